//! Backups: one a day when the collection opens (checked first), kept seven deep, listed and
//! restored whole; and the scratch folder beside the collection.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags};

use super::check::integrity_problems;
use super::error::sqlite_err;
use super::{Result, SCHEMA_VERSION, Store, StoreError, file_check, files};

/// How many backups to keep in `backups/`.
pub const BACKUPS_KEPT: usize = 7;

/// A `file:` URI that opens `path` as immutable: read as it is, with no lock and no -wal or
/// -shm file beside it.
pub(super) fn immutable_uri(path: &Path) -> String {
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
pub(super) fn partial(dir: &Path, name: &std::ffi::OsStr) -> PathBuf {
    let mut p = std::ffi::OsString::from(".");
    p.push(name);
    p.push(".partial");
    dir.join(p)
}

/// Removes what backups of the collection with `stem` left when they were killed half-way
/// (never renamed into place, never used). Another collection's are left alone.
pub(super) fn remove_partials(dir: &Path, stem: &std::ffi::OsStr) {
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
pub(super) fn keep_whole(path: &Path, dir: &Path, now: NaiveDateTime) -> Result<PathBuf> {
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

impl Store {
    /// The folder of the collection's backups (None in memory).
    pub fn backups_dir(&self) -> Option<PathBuf> {
        let parent = self.path.parent()?;
        Some(parent.join("backups"))
    }

    pub(super) fn stem(&self) -> &std::ffi::OsStr {
        files::stem(&self.path)
    }

    /// Before a migration, and on the first open of a day: an integrity check, then a backup.
    /// A damaged file is not backed up (good backups are never rotated out for it): it is
    /// opened read-only, with a warning naming the newest backup that passes the check. A
    /// backup that cannot be made (full disk, `backups` not a folder) is a warning too: the
    /// collection is still read and written, each change in its own transaction.
    pub(super) fn check_and_back_up(&mut self, now: NaiveDateTime, version: u32) -> Result<()> {
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

    pub(super) fn backed_up_today(&self, now: NaiveDateTime) -> bool {
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

    /// The backups of this collection, newest first (by name: date and time), the files that
    /// restores replaced among them.
    pub fn backups(&self) -> Vec<PathBuf> {
        self.backups_of_kind(|_| true)
    }

    /// The backups of this collection whose kind `keep` accepts, newest first.
    pub(super) fn backups_of_kind(&self, keep: impl Fn(files::Backup) -> bool) -> Vec<PathBuf> {
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
}
