//! The collection in SQLite. The only module that speaks SQL.
//!
//! One user operation is one transaction. The connection runs in WAL mode with
//! `synchronous=FULL`, so a committed answer survives a crash or a power cut, and holds an
//! exclusive lock so that a second running awscards gets a clear message instead of writing
//! beside it.

mod anki;
mod answers;
mod backup;
mod browser;
mod cards;
mod check;
mod error;
mod file_check;
pub mod files;
mod filtered;
mod held;
mod open;
mod presets;
mod replay;
mod rows;
mod search;
mod seed;
mod selection;
mod settings;
mod stats;
mod summary;
mod sync;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use crate::model::card::{
    BrowseRow, LogEntry, ReviewKind, Stats, StoredCard, day_from_number, day_number,
};
pub use anki::{
    AnkiAnswer, AnkiNote, ExportedAnswer, PackageCard, PackageCollection, PackageContents,
    PackageLimits, PackageRevlog, SanityCounts, SyncedCard, SyncedChanges, SyncedNote,
    collection_crt, collection_holds_ours, merge_into_collection, prepare_full_upload,
    read_package_collection, write_package_collection,
};
pub use answers::{AnswerEffects, AnswerRecord};
pub use backup::{BACKUPS_KEPT, backup_is_good, restore};
pub use check::Damage;
pub use error::{Result, StoreError};
use error::{TxError, sqlite_err, sqlite_message};
pub use held::DeckBacklog;
pub use open::{MIGRATIONS, SCHEMA_VERSION, time_one_row_commits};
pub use replay::{ReplayPlan, ReplayedAnswer};
pub use search::{Compiled, compile};
pub use selection::CardSelection;
use settings::write_settings;
pub use sync::SyncReport;

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
    /// Whether the file was opened read-only (it cannot be written, or failed its check).
    pub fn read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) || self.damaged.is_some()
    }

    /// The collection file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What SQLite's integrity check finds (`quick`: the faster check that skips index
    /// contents); empty when the file is sound. A check that cannot even run is a problem too.
    pub fn integrity_problems(&self, quick: bool) -> Vec<String> {
        check::integrity_problems(&self.conn, quick)
    }

    /// Whether the file failed its integrity check when it was opened (it is then read-only).
    pub fn damaged(&self) -> Option<&str> {
        self.damaged.as_deref()
    }

    /// What went wrong while opening without stopping it (a failed backup).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Runs a query and collects its rows.
    fn rows<T>(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
        row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        rows::collect(&self.conn, sql, args, row).map_err(|e| self.err(e))
    }

    /// Runs a query for its one row.
    fn one<T>(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
        row: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        self.conn.query_row(sql, args, row).map_err(|e| self.err(e))
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        sqlite_err(&self.path, e)
    }

    /// The store's error for what a transaction's body failed with: SQLite's said with the
    /// collection's path.
    fn said(&self, err: TxError) -> StoreError {
        match err {
            TxError::Sql(e) => self.err(e),
            TxError::Store(e) => e,
        }
    }

    /// Runs `f` on one state of the collection: in a read transaction, or in the one already
    /// open (the twin of [`Store::write`] for reads).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> std::result::Result<T, TxError>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f(&self.conn).map_err(|err| self.said(err));
        }
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let value = f(&tx).map_err(|err| self.said(err))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(value)
    }

    /// Runs `f` (a write that touches much of the collection) with a page cache of 256 MB
    /// instead of SQLite's 2 MB: with the small one, the pages of a large transaction are
    /// spilled and read back again and again (a replay of a million answers took 30 s; the
    /// record of a synced collection's million answer ids, 2 s instead of 0.8).
    fn with_large_cache<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn
            .pragma_update(None, "cache_size", -262_144)
            .map_err(|e| self.err(e))?;
        let result = f(self);
        self.conn
            .pragma_update(None, "cache_size", -2_000)
            .map_err(|e| self.err(e))?;
        result
    }

    /// Runs `f` in one transaction, committed when it returns Ok and rolled back otherwise
    /// (one user action, one transaction); SQLite's errors are said with the collection's path.
    fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> std::result::Result<T, TxError>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction()
            .map_err(|e| sqlite_err(&self.path, e))?;
        let value = f(&tx).map_err(|err| match err {
            TxError::Sql(e) => sqlite_err(&self.path, e),
            TxError::Store(e) => e,
        })?;
        tx.commit().map_err(|e| sqlite_err(&self.path, e))?;
        Ok(value)
    }
}
