//! What can go wrong in the store, said with the collection's path and what to do.

use std::fmt;
use std::path::{Path, PathBuf};

use super::SCHEMA_VERSION;

/// What went wrong with the collection file. Each message says what, where and what to do.
#[derive(Debug)]
pub enum StoreError {
    NotADatabase {
        path: PathBuf,
        why: String,
    },
    TooNew {
        path: PathBuf,
        version: u32,
    },
    Locked {
        path: PathBuf,
    },
    ReadOnly {
        path: PathBuf,
    },
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    NotFound(String),
    /// The card changed between being shown and being answered.
    StaleAnswer {
        key: String,
    },
    /// Undo of an answer that is not the card's latest.
    NotLatestAnswer,
    /// A filtered deck's name is taken.
    DuplicateName(String),
    /// A filtered deck that cannot be saved (its search, limit or name).
    BadFilteredDeck(String),
    /// A deck options preset's name is taken, or empty.
    BadPreset(String),
    /// The stored settings no longer parse.
    UnreadableSettings(String),
    /// Settings that cannot be encoded to be saved.
    UnsavableSettings(String),
    MigrationFailed {
        path: PathBuf,
        name: String,
        why: String,
    },
    /// Failed the integrity check before a migration: the full message names a backup.
    Damaged(String),
    NoBackupFolder,
    /// A long write stopped at the caller's asking (Cancel): its transaction rolled back.
    Cancelled,
    NotAGoodBackup(PathBuf),
    /// A read-only file at an older schema version.
    ReadOnlyNeedsUpgrade {
        path: PathBuf,
        why: String,
        version: u32,
    },
    /// WAL journaling could not be switched on.
    NoWal {
        path: PathBuf,
        mode: String,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NotADatabase { path, why } => write!(
                f,
                "{} is not a usable awscards collection ({why}); it was left untouched. \
                 Restore a copy from the backups/ folder next to it, or pass --db with another path",
                path.display()
            ),
            StoreError::TooNew { path, version } => write!(
                f,
                "{} has schema version {version}, newer than this awscards knows ({SCHEMA_VERSION}); \
                 it was left untouched. Update awscards to open it",
                path.display()
            ),
            StoreError::Locked { path } => write!(
                f,
                "{} is in use by another running awscards, or another program that opened it; \
                 close it and try again",
                path.display()
            ),
            StoreError::ReadOnly { path } => write!(
                f,
                "{} is open read-only (it failed its integrity check, or its file or folder \
                 cannot be written): nothing was written. `awscards check` says what to do",
                path.display()
            ),
            StoreError::Io { path, source } => {
                write!(f, "cannot use {}: {source}", path.display())
            }
            StoreError::Sqlite { path, source } => {
                write!(
                    f,
                    "database error in {}: {}",
                    path.display(),
                    sqlite_message(source)
                )
            }
            StoreError::NotFound(what) => write!(f, "{what} not found"),
            StoreError::StaleAnswer { key } => {
                write!(f, "card {key} changed since it was shown; answer it again")
            }
            StoreError::NotLatestAnswer => {
                f.write_str("only the latest answer of a card can be undone")
            }
            StoreError::DuplicateName(name) => write!(
                f,
                "a filtered deck named \"{name}\" already exists; choose another name"
            ),
            StoreError::BadFilteredDeck(why) => f.write_str(why),
            StoreError::BadPreset(why) => write!(f, "{why}"),
            StoreError::UnreadableSettings(why) => {
                write!(f, "the stored settings are unreadable ({why})")
            }
            StoreError::UnsavableSettings(why) => write!(f, "cannot save the settings: {why}"),
            StoreError::MigrationFailed { path, name, why } => {
                write!(f, "{}: migration {name} failed: {why}", path.display())
            }
            StoreError::Damaged(message) => f.write_str(message),
            StoreError::Cancelled => f.write_str("cancelled: nothing was changed"),
            StoreError::NoBackupFolder => f.write_str("the collection has no folder for backups"),
            StoreError::NotAGoodBackup(backup) => write!(
                f,
                "{} is not a good backup (not an awscards collection, or it fails the integrity \
                 check); choose another one from `awscards check`",
                backup.display()
            ),
            StoreError::ReadOnlyNeedsUpgrade { path, why, version } => write!(
                f,
                "{} cannot be written ({why}) and needs an upgrade from schema version \
                 {version}: make it writable and open it once",
                path.display()
            ),
            StoreError::NoWal { path, mode } => write!(
                f,
                "{}: cannot switch to WAL journaling (got {mode})",
                path.display()
            ),
        }
    }
}

impl std::error::Error for StoreError {}

pub type Result<T> = std::result::Result<T, StoreError>;

/// What the body of a [`Store::write`] fails with: SQLite's error, which `write` says with the
/// collection's path, or one of the store's own.
pub(super) enum TxError {
    Sql(rusqlite::Error),
    Store(StoreError),
}

impl From<rusqlite::Error> for TxError {
    fn from(e: rusqlite::Error) -> Self {
        TxError::Sql(e)
    }
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        TxError::Store(e)
    }
}

/// SQLite's message, without the SQL it was about (which may be a whole migration).
pub(super) fn sqlite_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

pub(super) fn sqlite_err(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::NotADatabase {
            path: path.to_path_buf(),
            why: e.to_string(),
        },
        _ => StoreError::Sqlite {
            path: path.to_path_buf(),
            source: e,
        },
    }
}
