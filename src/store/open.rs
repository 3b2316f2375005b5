//! Opening a collection: the file's check, the lock, the backup, the connection's settings
//! and the migrations; the schema's history is `MIGRATIONS`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags};

use super::backup::immutable_uri;
use super::error::{sqlite_err, sqlite_message};
use super::{Result, Store, StoreError, file_check, search};

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
    (
        "0014_review_chart_columns",
        include_str!("../../migrations/0014_review_chart_columns.sql"),
    ),
    (
        "0015_deck_presets",
        include_str!("../../migrations/0015_deck_presets.sql"),
    ),
    (
        "0016_preset_options",
        include_str!("../../migrations/0016_preset_options.sql"),
    ),
    (
        "0017_anki_sync_shadow",
        include_str!("../../migrations/0017_anki_sync_shadow.sql"),
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

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
