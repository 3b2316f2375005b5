//! The files the app writes (exports, packages, the learner's own cards): whole or not at all,
//! and never over the collection, its journal or its backups.

use std::path::{Path, PathBuf};

use super::collection::Collection;
use super::error::AppError;
use crate::store::files;

/// Refuses to export onto the collection itself, its journal files or its backups (a CSV
/// written there would destroy them).
pub(crate) fn refuse_collection_files(coll: &Collection, path: &Path) -> Result<(), AppError> {
    let db = coll.store.path();
    if db == Path::new(":memory:") {
        return Ok(());
    }
    match files::collection_file_at(path, db) {
        Some(why) => Err(AppError::CannotWrite {
            path: path.to_path_buf(),
            why: format!("{why}: nothing was written; export to another file"),
        }),
        None => Ok(()),
    }
}

/// Writes `path` through a temporary file that `write` fills and that is then renamed into
/// place. Through a symlink the link's target is written (the link stays); an existing file
/// keeps its permissions; a target that is not a regular file (a device, a FIFO, a socket) is
/// refused, never replaced. When `write` fails, the temporary file is removed.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let cannot = |why: String| AppError::CannotWrite {
        path: path.to_path_buf(),
        why,
    };
    if path.as_os_str().is_empty() {
        return Err(AppError::NoFileName);
    }
    let target = files::follow_links(path).map_err(|e| cannot(e.to_string()))?;
    let permissions = match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => {
            return Err(cannot(
                "it is a folder; give a file name such as awscards.csv".into(),
            ));
        }
        Ok(m) if !m.is_file() => {
            return Err(cannot(
                "it is not a regular file (a device, pipe or socket); write to a file".into(),
            ));
        }
        Ok(m) => m.permissions(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => new_file_permissions(),
        Err(e) => return Err(cannot(e.to_string())),
    };
    let dir: PathBuf = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(cannot(format!(
            "the folder {} does not exist; create it or choose another path",
            dir.display()
        )));
    }
    remove_stale_partials(&dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(".awscards-export-")
        .suffix(".partial")
        .tempfile_in(&dir)
        .map_err(|e| cannot(e.to_string()))?;
    write(tmp.as_file_mut())?;
    let file = tmp.as_file();
    file.set_permissions(permissions)
        .map_err(|e| cannot(e.to_string()))?;
    file.sync_all().map_err(|e| cannot(e.to_string()))?;
    tmp.persist(&target)
        .map_err(|e| cannot(e.error.to_string()))?;
    Ok(())
}

/// Removes the temporary files of exports that were killed half-way (an hour old: not one that
/// another awscards is writing now).
fn remove_stale_partials(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < hour_ago);
        if name.starts_with(".awscards-export-") && name.ends_with(".partial") && old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// What a program creating a file gets: 0666 less the process's umask.
fn new_file_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    let umask = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|m| u32::from_str_radix(m.trim(), 8).ok())
        })
        .unwrap_or(0o022);
    std::fs::Permissions::from_mode(0o666 & !umask)
}
