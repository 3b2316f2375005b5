//! The collection in SQLite. The only module that speaks SQL.
//!
//! One user operation is one transaction. The connection runs in WAL mode with
//! `synchronous=FULL`, so a committed answer survives a crash or a power cut, and holds an
//! exclusive lock so that a second running awscards gets a clear message instead of writing
//! beside it.

mod anki;
mod answers;
mod cards;
mod check;
mod file_check;
pub mod files;
mod replay;
mod rows;
mod search;
mod seed;
mod stats;
mod sync;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

pub use crate::model::card::{
    BrowseRow, LogEntry, ReviewKind, Stats, StoredCard, day_from_number, day_number,
};
pub use anki::{
    AnkiAnswer, AnkiNote, ExportedAnswer, PackageCard, PackageCollection, PackageContents,
    PackageLimits, PackageRevlog, read_package_collection, write_package_collection,
};
pub use answers::{AnswerEffects, AnswerRecord};
pub use check::Damage;
pub use replay::{ReplayPlan, ReplayedAnswer};
pub use rows::CardSelection;
pub use search::{Compiled, compile};
pub use sync::SyncReport;

use crate::model::settings::Settings;

/// The schema, in order. `PRAGMA user_version` is the number of migrations applied.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_collection",
        include_str!("../../migrations/0001_collection.sql"),
    ),
    (
        "0002_filtered_decks",
        include_str!("../../migrations/0002_filtered_decks.sql"),
    ),
    (
        "0003_card_source",
        include_str!("../../migrations/0003_card_source.sql"),
    ),
    (
        "0004_queue_indexes",
        include_str!("../../migrations/0004_queue_indexes.sql"),
    ),
    (
        "0005_deck_seek_indexes",
        include_str!("../../migrations/0005_deck_seek_indexes.sql"),
    ),
    (
        "0006_text_index",
        include_str!("../../migrations/0006_text_index.sql"),
    ),
    (
        "0007_review_days",
        include_str!("../../migrations/0007_review_days.sql"),
    ),
    (
        "0008_anki_ids",
        include_str!("../../migrations/0008_anki_ids.sql"),
    ),
    (
        "0009_fsrs_state",
        include_str!("../../migrations/0009_fsrs_state.sql"),
    ),
    (
        "0010_leeches",
        include_str!("../../migrations/0010_leeches.sql"),
    ),
    (
        "0011_buried",
        include_str!("../../migrations/0011_buried.sql"),
    ),
    (
        "0012_flags",
        include_str!("../../migrations/0012_flags.sql"),
    ),
    (
        "0013_card_source_url",
        include_str!("../../migrations/0013_card_source_url.sql"),
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How many backups to keep in `backups/`.
pub const BACKUPS_KEPT: usize = 7;

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
            StoreError::UnreadableSettings(why) => {
                write!(f, "the stored settings are unreadable ({why})")
            }
            StoreError::UnsavableSettings(why) => write!(f, "cannot save the settings: {why}"),
            StoreError::MigrationFailed { path, name, why } => {
                write!(f, "{}: migration {name} failed: {why}", path.display())
            }
            StoreError::Damaged(message) => f.write_str(message),
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

/// An open collection.
pub struct Store {
    conn: Connection,
    /// The patterns of the search being run (see `search::compile`).
    matchers: search::Matchers,
    path: PathBuf,
    /// What went wrong but did not stop the collection from opening (a failed backup).
    warnings: Vec<String>,
    /// What the integrity check found, when the file is damaged: then it is read-only.
    damaged: Option<String>,
}

impl Store {
    /// Opens (or creates) the collection at `path`: checks the file, takes the lock, backs it up
    /// (before a migration, and on the first open of a day) and applies pending migrations.
    /// A file that is not a collection this build can use is left byte-for-byte unchanged.
    pub fn open(path: &Path, now: NaiveDateTime) -> Result<Store> {
        let existing = file_check::check(path)?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        if existing && let Some(why) = unwritable(path) {
            return Store::open_read_only(path, &why);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| sqlite_err(path, e))?;
        let mut store = Store::configured(conn, path)?;
        let version = store.user_version()?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                version,
            });
        }
        if existing && version > 0 {
            store.check_and_back_up(now, version)?;
        }
        if store.damaged.is_none() {
            store.migrate()?;
        }
        Ok(store)
    }

    /// A collection whose file cannot be written (immutable, on a read-only mount): read as
    /// it is on disk (SQLite's `immutable`: no lock, no journal, nothing written beside it),
    /// with a warning; a write fails as read-only. No backup, migration or sync.
    fn open_read_only(path: &Path, why: &str) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(immutable_uri(path), flags)
            .map_err(|e| sqlite_err(path, e))?;
        let store = Store {
            conn,
            matchers: Default::default(),
            path: path.to_path_buf(),
            warnings: vec![format!(
                "{} cannot be written ({why}): it is open read-only, to look at and export",
                path.display()
            )],
            damaged: None,
        };
        search::register_functions(&store.conn, &store.matchers).map_err(|e| store.err(e))?;
        let version = store.user_version()?;
        if version != SCHEMA_VERSION {
            return Err(StoreError::ReadOnlyNeedsUpgrade {
                path: path.to_path_buf(),
                why: why.to_string(),
                version,
            });
        }
        Ok(store)
    }

    /// Whether the file was opened read-only (it cannot be written, or failed its check).
    pub fn read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) || self.damaged.is_some()
    }

    /// A private in-memory collection (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        let path = Path::new(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| sqlite_err(path, e))?;
        let mut store = Store::configured(conn, path)?;
        store.migrate()?;
        Ok(store)
    }

    /// A writable store on `conn`, configured as every collection is (see `configure`).
    fn configured(conn: Connection, path: &Path) -> Result<Store> {
        let mut store = Store {
            conn,
            matchers: Default::default(),
            path: path.to_path_buf(),
            warnings: Vec::new(),
            damaged: None,
        };
        store.configure()?;
        Ok(store)
    }

    fn configure(&mut self) -> Result<()> {
        let path = self.path.clone();
        let e = |err| self::sqlite_err(&path, err);
        self.conn
            .busy_timeout(Duration::from_millis(1500))
            .map_err(e)?;
        // Exclusive: a second running awscards is told, instead of writing beside this one.
        self.conn
            .pragma_update(None, "locking_mode", "EXCLUSIVE")
            .map_err(e)?;
        let mode: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(e)?;
        if mode != "wal" && mode != "memory" {
            return Err(StoreError::NoWal { path, mode });
        }
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(e)?;
        self.conn
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(e)?;
        search::register_functions(&self.conn, &self.matchers).map_err(e)?;
        Ok(())
    }

    pub fn user_version(&self) -> Result<u32> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Applies every pending migration in one transaction.
    fn migrate(&mut self) -> Result<()> {
        let version = self.user_version()? as usize;
        if version >= MIGRATIONS.len() {
            return Ok(());
        }
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| sqlite_err(&path, e))?;
        for (name, sql) in &MIGRATIONS[version..] {
            tx.execute_batch(sql)
                .map_err(|e| StoreError::MigrationFailed {
                    path: path.clone(),
                    name: (*name).to_string(),
                    why: sqlite_message(&e),
                })?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(|e| sqlite_err(&path, e))?;
        tx.commit().map_err(|e| sqlite_err(&path, e))
    }

    /// Applies the migrations up to `version` only (tests of upgrades from older versions).
    #[doc(hidden)]
    pub fn create_at_version(path: &Path, version: u32) -> Result<()> {
        let conn = Connection::open(path).map_err(|e| sqlite_err(path, e))?;
        // Migrations may call the functions a store registers (0006 folds text).
        search::register_functions(&conn, &Default::default()).map_err(|e| sqlite_err(path, e))?;
        for (_, sql) in &MIGRATIONS[..version as usize] {
            conn.execute_batch(sql).map_err(|e| sqlite_err(path, e))?;
        }
        conn.pragma_update(None, "user_version", version)
            .map_err(|e| sqlite_err(path, e))
    }

    /// The collection file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder of the collection's backups (None in memory).
    pub fn backups_dir(&self) -> Option<PathBuf> {
        let parent = self.path.parent()?;
        Some(parent.join("backups"))
    }

    fn stem(&self) -> &std::ffi::OsStr {
        files::stem(&self.path)
    }

    /// Before a migration, and on the first open of a day: an integrity check, then a backup.
    /// A damaged file is not backed up (good backups are never rotated out for it): it is
    /// opened read-only, with a warning naming the newest backup that passes the check. A
    /// backup that cannot be made (full disk, `backups` not a folder) is a warning too: the
    /// collection is still read and written, each change in its own transaction.
    fn check_and_back_up(&mut self, now: NaiveDateTime, version: u32) -> Result<()> {
        let migrating = version < SCHEMA_VERSION;
        if !migrating && self.backed_up_today(now) {
            return Ok(());
        }
        let problems = self.integrity_problems(true);
        if !problems.is_empty() {
            let report = problems.join("; ");
            self.conn
                .pragma_update(None, "query_only", true)
                .map_err(|e| self.err(e))?;
            let restore = match self.newest_good_backup() {
                Some(b) => format!(
                    "restore the newest good backup: awscards check --restore {}",
                    b.display()
                ),
                None => {
                    "no backup passes the check; export what you can and start a new collection"
                        .into()
                }
            };
            let message = format!(
                "{} failed its integrity check ({report}): it is open read-only and was not backed up; {restore}",
                self.path.display()
            );
            if migrating {
                return Err(StoreError::Damaged(message));
            }
            self.warnings.push(message);
            self.damaged = Some(report);
            return Ok(());
        }
        let from = migrating.then_some(version);
        if let Err(e) = self.backup(now, from) {
            self.warnings.push(format!(
                "no backup was made ({e}); free some space or fix the backups folder"
            ));
        }
        Ok(())
    }

    fn backed_up_today(&self, now: NaiveDateTime) -> bool {
        let Some(dir) = self.backups_dir() else {
            return true;
        };
        let today = now.format("%Y%m%d").to_string();
        std::fs::read_dir(&dir)
            .map(|entries| {
                entries.flatten().any(|e| {
                    files::backup_date(&e.file_name(), self.stem())
                        .is_some_and(|d| d == today.as_bytes())
                })
            })
            .unwrap_or(false)
    }

    /// What SQLite's integrity check finds (`quick`: the faster check that skips index
    /// contents); empty when the file is sound. A check that cannot even run is a problem too.
    pub fn integrity_problems(&self, quick: bool) -> Vec<String> {
        integrity_problems(&self.conn, quick)
    }

    /// Whether the file failed its integrity check when it was opened (it is then read-only).
    pub fn damaged(&self) -> Option<&str> {
        self.damaged.as_deref()
    }

    /// The backups of this collection, newest first (by name: date and time), the files that
    /// restores replaced among them.
    pub fn backups(&self) -> Vec<PathBuf> {
        self.backups_of_kind(|_| true)
    }

    /// The backups of this collection whose kind `keep` accepts, newest first.
    fn backups_of_kind(&self, keep: impl Fn(files::Backup) -> bool) -> Vec<PathBuf> {
        let Some(dir) = self.backups_dir() else {
            return Vec::new();
        };
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| files::backup_kind(&e.file_name(), self.stem()).is_some_and(&keep))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        found.reverse();
        found
    }

    /// The newest backup that opens as a collection and passes the quick integrity check.
    pub fn newest_good_backup(&self) -> Option<PathBuf> {
        self.backups().into_iter().find(|b| backup_is_good(b))
    }

    /// Copies the collection to `backups/` with SQLite's online backup API (written under a
    /// temporary name, then renamed), and keeps the newest [`BACKUPS_KEPT`].
    pub fn backup(
        &self,
        now: NaiveDateTime,
        before_migration_from: Option<u32>,
    ) -> Result<PathBuf> {
        let dir = self
            .backups_dir()
            .ok_or_else(|| StoreError::NoBackupFolder)?;
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { path, source }
        };
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        remove_partials(&dir, self.stem());
        let suffix = before_migration_from.map_or(String::new(), |v| format!("-before-v{}", v + 1));
        let mut name = self.stem().to_owned();
        name.push(format!("-{}{suffix}.sqlite", now.format("%Y%m%d-%H%M%S")));
        let dest = dir.join(&name);
        let tmp = partial(&dir, &name);
        let written = self
            .conn
            .backup(rusqlite::MAIN_DB, &tmp, None)
            .map_err(|e| sqlite_err(&tmp, e))
            .and_then(|()| std::fs::rename(&tmp, &dest).map_err(io(&dest)));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }

        // Keep the newest by name, and always the one just made (a clock that was once ahead
        // leaves names that sort after it). Files kept by a restore are never rotated out.
        let older = self
            .backups_of_kind(|k| k == files::Backup::Made)
            .into_iter()
            .filter(|b| *b != dest);
        for old in older.skip(BACKUPS_KEPT - 1) {
            std::fs::remove_file(&old).map_err(io(&old))?;
        }
        Ok(dest)
    }

    /// A scratch folder for a package being written or read: beside the collection, not in
    /// `$TMPDIR` where a killed process would leave it for good, as `.<stem>.scratch-XXXXXX`,
    /// removed when dropped. Those that killed imports and exports of this collection left are
    /// removed first (the collection's lock is held: none of them is in use).
    pub fn scratch_dir(&self) -> Result<tempfile::TempDir> {
        use std::os::unix::ffi::OsStrExt;
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { path, source }
        };
        if self.path == Path::new(":memory:") {
            return tempfile::tempdir().map_err(io(&std::env::temp_dir()));
        }
        let dir = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(self.stem());
        prefix.push(".scratch-");
        const RANDOM: usize = 6;
        for e in std::fs::read_dir(dir).map_err(io(dir))?.flatten() {
            let name = e.file_name();
            if name.len() == prefix.len() + RANDOM && name.as_bytes().starts_with(prefix.as_bytes())
            {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
        tempfile::Builder::new()
            .prefix(&prefix)
            .rand_bytes(RANDOM)
            .tempdir_in(dir)
            .map_err(io(dir))
    }

    /// The stored settings; defaults, with a warning, when they no longer parse or hold a
    /// value out of range (the next save replaces them).
    pub fn load_settings(&self) -> Result<(Settings, Option<String>)> {
        let unreadable = |why: String| {
            format!(
                "the stored settings are unreadable ({why}); using the defaults until they are saved again"
            )
        };
        match self.settings() {
            Ok(s) => match s.check() {
                Ok(()) => Ok((s, None)),
                Err(why) => Ok((Settings::default(), Some(unreadable(why)))),
            },
            Err(StoreError::UnreadableSettings(why)) => {
                Ok((Settings::default(), Some(unreadable(why))))
            }
            Err(e) => Err(e),
        }
    }

    /// What went wrong while opening without stopping it (a failed backup).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn settings(&self) -> Result<Settings> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'settings'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        match json {
            None => Ok(Settings::default()),
            Some(j) => {
                serde_json::from_str(&j).map_err(|e| StoreError::UnreadableSettings(e.to_string()))
            }
        }
    }

    pub fn save_settings(&mut self, settings: &Settings) -> Result<()> {
        self.write(|tx| write_settings(tx, settings))
    }

    /// Runs a query and collects its rows.
    fn rows<T>(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
        row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map(args, row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<T>>>()
            .map_err(|e| self.err(e))
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        sqlite_err(&self.path, e)
    }

    /// Runs `f` in one transaction, committed when it returns Ok and rolled back otherwise
    /// (one user action, one transaction); SQLite's errors are said with the collection's path.
    fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> std::result::Result<T, TxError>,
    ) -> Result<T> {
        let path = &self.path;
        let said = |err: TxError| match err {
            TxError::Sql(e) => sqlite_err(path, e),
            TxError::Store(e) => e,
        };
        let tx = self.conn.transaction().map_err(|e| sqlite_err(path, e))?;
        let value = f(&tx).map_err(said)?;
        tx.commit().map_err(|e| sqlite_err(path, e))?;
        Ok(value)
    }
}

/// What the body of a [`Store::write`] fails with: SQLite's error, which `write` says with the
/// collection's path, or one of the store's own.
enum TxError {
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

/// Times `runs` commits of one small row each, in a scratch database at `path` opened as a
/// collection is (WAL, `synchronous = FULL`, exclusive), then removes it: the floor that a
/// durable answer through SQLite cannot beat on that disk, beside the bare fsync's.
pub fn time_one_row_commits(path: &Path, runs: usize) -> Result<Vec<Duration>> {
    let e = |err| sqlite_err(path, err);
    let mut store = Store::configured(Connection::open(path).map_err(e)?, path)?;
    store
        .conn
        .execute_batch("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY)")
        .map_err(e)?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = std::time::Instant::now();
        let tx = store.conn.transaction().map_err(e)?;
        tx.prepare_cached("INSERT INTO probe DEFAULT VALUES")
            .and_then(|mut insert| insert.execute([]))
            .map_err(e)?;
        tx.commit().map_err(e)?;
        times.push(t.elapsed());
    }
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        if file.exists() {
            std::fs::remove_file(&file).map_err(|source| StoreError::Io { path: file, source })?;
        }
    }
    Ok(times)
}

fn write_settings(conn: &Connection, settings: &Settings) -> std::result::Result<(), TxError> {
    let json = serde_json::to_string(settings)
        .map_err(|e| StoreError::UnsavableSettings(e.to_string()))?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('settings', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [json],
    )?;
    Ok(())
}

fn integrity_problems(conn: &Connection, quick: bool) -> Vec<String> {
    let pragma = if quick {
        "quick_check"
    } else {
        "integrity_check"
    };
    let rows = conn
        .prepare(&format!("PRAGMA {pragma}"))
        .and_then(|mut stmt| {
            stmt.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        });
    match rows {
        Ok(rows) if rows == ["ok"] => Vec::new(),
        Ok(rows) => rows,
        Err(e) => vec![e.to_string()],
    }
}

/// Why the file at `path` cannot be opened for writing, if it cannot (permissions, the
/// immutable attribute, a read-only mount).
fn unwritable(path: &Path) -> Option<String> {
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(_) => None,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            Some(e.to_string())
        }
        Err(_) => None,
    }
}

/// A `file:` URI that opens `path` as immutable: read as it is, with no lock and no -wal or
/// -shm file beside it.
fn immutable_uri(path: &Path) -> String {
    format!(
        "file:{}?immutable=1",
        path.to_string_lossy()
            .replace('%', "%25")
            .replace('?', "%3f")
            .replace('#', "%23")
    )
}

/// Whether a backup file is an awscards collection that passes the quick integrity check.
/// It is opened read-only and left as it is.
pub fn backup_is_good(path: &Path) -> bool {
    if !matches!(file_check::check(path), Ok(true)) {
        return false;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
    Connection::open_with_flags(immutable_uri(path), flags)
        .is_ok_and(|conn| integrity_problems(&conn, true).is_empty())
}

/// `backups/.<name>.partial`: where a backup or a kept file is written before it is renamed.
fn partial(dir: &Path, name: &std::ffi::OsStr) -> PathBuf {
    let mut p = std::ffi::OsString::from(".");
    p.push(name);
    p.push(".partial");
    dir.join(p)
}

/// Removes what backups of the collection with `stem` left when they were killed half-way
/// (never renamed into place, never used). Another collection's are left alone.
fn remove_partials(dir: &Path, stem: &std::ffi::OsStr) {
    use std::os::unix::ffi::OsStrExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let inner = name
            .as_bytes()
            .strip_prefix(b".")
            .and_then(|n| n.strip_suffix(b".partial"));
        if inner.is_some_and(|n| files::backup_kind(std::ffi::OsStr::from_bytes(n), stem).is_some())
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Puts `backup` in place of the collection at `path` (which must not be open; through a
/// link, its target is replaced and the link stays): checks the backup, keeps the whole
/// current collection (with the answers still in its -wal) in `backups/` as
/// `<name>-<time>-replaced.sqlite` (never over another file), then copies the backup under a
/// temporary name and renames it into place. Returns the kept file (None when there was no
/// collection).
pub fn restore(path: &Path, backup: &Path, now: NaiveDateTime) -> Result<Option<PathBuf>> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| StoreError::Io { path: p, source }
    };
    let path = &files::follow_links(path).map_err(io(path))?;
    if !backup_is_good(backup) {
        return Err(StoreError::NotAGoodBackup(backup.to_path_buf()));
    }
    let dir = path.parent().unwrap_or(Path::new(".")).join("backups");
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let exists = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
    let kept = if exists {
        Some(keep_whole(path, &dir, now)?)
    } else {
        None
    };
    let stem = files::stem(path);
    let mut name = std::ffi::OsString::from(".");
    name.push(stem);
    name.push(".restoring.partial");
    let tmp = path.with_file_name(name);
    std::fs::copy(backup, &tmp).map_err(io(&tmp))?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(io(&tmp))?;
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(files::with_suffix(path, side));
    }
    std::fs::rename(&tmp, path).map_err(io(path))?;
    Ok(kept)
}

/// Copies the collection at `path` whole into `dir` under a name no file has yet: through
/// SQLite's backup API, which reads the answers still in the -wal too. A file SQLite cannot
/// read (damaged) is copied as it is, with its -wal beside the copy. Refuses a collection
/// that a running awscards holds.
fn keep_whole(path: &Path, dir: &Path, now: NaiveDateTime) -> Result<PathBuf> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| StoreError::Io { path: p, source }
    };
    let mut base = files::stem(path).to_owned();
    base.push(format!("-{}-replaced", now.format("%Y%m%d-%H%M%S")));
    let mut first = base.clone();
    first.push(".sqlite");
    let tmp = partial(dir, &first);
    let _ = std::fs::remove_file(&tmp);
    let copied = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|conn| conn.backup(rusqlite::MAIN_DB, &tmp, None));
    let wal = match copied {
        Ok(()) => None,
        Err(e) => match sqlite_err(path, e) {
            locked @ StoreError::Locked { .. } => {
                let _ = std::fs::remove_file(&tmp);
                return Err(locked);
            }
            _ => {
                std::fs::copy(path, &tmp).map_err(io(&tmp))?;
                Some(files::with_suffix(path, "-wal")).filter(|w| w.exists())
            }
        },
    };
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(io(&tmp))?;
    // The first free name: a hard link never replaces a file, so two restores in one second
    // keep both.
    let mut n = 1;
    loop {
        let mut name = base.clone();
        if n > 1 {
            name.push(format!("-{n}"));
        }
        name.push(".sqlite");
        let dest = dir.join(name);
        match std::fs::hard_link(&tmp, &dest) {
            Ok(()) => {
                let _ = std::fs::remove_file(&tmp);
                if let Some(wal) = wal {
                    let side = files::with_suffix(&dest, "-wal");
                    std::fs::copy(&wal, &side).map_err(io(&side))?;
                }
                return Ok(dest);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
            Err(e) => return Err(io(&dest)(e)),
        }
    }
}

/// SQLite's message, without the SQL it was about (which may be a whole migration).
fn sqlite_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

fn sqlite_err(path: &Path, e: rusqlite::Error) -> StoreError {
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
