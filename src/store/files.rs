//! The files around a collection: its backups (told apart from another collection's by their
//! exact name), the files an export must never overwrite, links followed to their target.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// What a file of `backups/` is to the collection whose file stem is `stem`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backup {
    /// A backup made on the first open of a day or before a migration: rotated.
    Made,
    /// A collection replaced by a restore, kept: never rotated out.
    Kept,
}

/// Whether `name` is a backup of the collection with file stem `stem`: exactly
/// `<stem>-YYYYMMDD-HHMMSS<suffix>.sqlite`, the suffix empty, `-before-vN`, or `-replaced`,
/// `-replaced-N` or `-damaged` (kept files). Compared as bytes: names need not be UTF-8, and
/// `w-2`'s backups are not `w`'s.
pub fn backup_kind(name: &OsStr, stem: &OsStr) -> Option<Backup> {
    let rest = name
        .as_bytes()
        .strip_prefix(stem.as_bytes())?
        .strip_prefix(b"-")?
        .strip_suffix(b".sqlite")?;
    let digits = |b: &[u8]| b.iter().all(u8::is_ascii_digit);
    let (stamp, suffix) = (rest.get(..15)?, &rest[15..]);
    if !(digits(&stamp[..8]) && stamp[8] == b'-' && digits(&stamp[9..])) {
        return None;
    }
    let number = |b: &[u8]| !b.is_empty() && digits(b);
    match suffix {
        b"" => Some(Backup::Made),
        s if s.strip_prefix(b"-before-v").is_some_and(number) => Some(Backup::Made),
        b"-replaced" | b"-damaged" => Some(Backup::Kept),
        s if s.strip_prefix(b"-replaced-").is_some_and(number) => Some(Backup::Kept),
        _ => None,
    }
}

/// The date (`YYYYMMDD`) in a backup's name.
pub fn backup_date<'a>(name: &'a OsStr, stem: &OsStr) -> Option<&'a [u8]> {
    backup_kind(name, stem)?;
    name.as_bytes().get(stem.len() + 1..stem.len() + 9)
}

/// The file stem of a collection file (`collection` for one without a name).
pub fn stem(path: &Path) -> &OsStr {
    path.file_stem().unwrap_or(OsStr::new("collection"))
}

/// `path` with `suffix` appended to its file name (`c.sqlite` → `c.sqlite-wal`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// The file a path names once its symlinks are followed, also when the last one dangles.
pub fn follow_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    // As many as the kernel follows before ELOOP.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// The folder and name a path writes to: links followed, the folder made canonical (`a/../b`
/// and `./b` are `b`). None when the folder does not exist.
fn place(path: &Path) -> Option<(PathBuf, std::ffi::OsString)> {
    let target = follow_links(path).ok()?;
    let name = target.file_name()?.to_owned();
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some((std::fs::canonicalize(dir).ok()?, name))
}

/// Whether two paths are one file (the same device and inode), for files that exist.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Why writing `target` would destroy a file of the collection at `db`, if it would: the
/// collection itself, its -wal, -shm or -journal, or anything in its backups folder. Files are
/// compared, not names: links are followed, hard links and `..` in paths are seen through.
pub fn collection_file_at(target: &Path, db: &Path) -> Option<String> {
    let ours: Vec<PathBuf> = ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|s| with_suffix(db, s))
        .collect();
    if ours.iter().any(|f| same_file(target, f)) {
        return Some("it is the collection itself or one of its journal files".into());
    }
    let (dir, name) = place(target)?;
    if let Some((db_dir, _)) = place(db)
        && std::fs::canonicalize(db_dir.join("backups")).is_ok_and(|b| b == dir)
    {
        return Some("it is in the collection's backups folder".into());
    }
    let clash = ours
        .iter()
        .filter_map(|f| place(f))
        .any(|(d, n)| d == dir && n == name);
    clash.then(|| "it is the collection itself or one of its journal files".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str, stem: &str) -> Option<Backup> {
        backup_kind(OsStr::new(name), OsStr::new(stem))
    }

    #[test]
    fn backup_names_are_matched_exactly() {
        assert_eq!(kind("w-20260601-100000.sqlite", "w"), Some(Backup::Made));
        assert_eq!(
            kind("w-20260601-100000-before-v13.sqlite", "w"),
            Some(Backup::Made)
        );
        assert_eq!(
            kind("w-20260601-100000-replaced.sqlite", "w"),
            Some(Backup::Kept)
        );
        assert_eq!(
            kind("w-20260601-100000-replaced-3.sqlite", "w"),
            Some(Backup::Kept)
        );
        assert_eq!(
            kind("w-20260601-100000-damaged.sqlite", "w"),
            Some(Backup::Kept)
        );
        for other in [
            "w-2-20260601-100000.sqlite",
            "w-20260601-100000-x.sqlite",
            "w-20260601-10000.sqlite",
            "w-2026060a-100000.sqlite",
            "w-20260601-100000.sqlite-wal",
            "w-20260601-100000-before-v.sqlite",
            "ww-20260601-100000.sqlite",
        ] {
            assert_eq!(kind(other, "w"), None, "{other}");
        }
        assert_eq!(
            backup_date(OsStr::new("w-20260601-100000.sqlite"), OsStr::new("w")),
            Some(&b"20260601"[..])
        );
    }
}
