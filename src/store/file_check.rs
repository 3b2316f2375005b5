//! Checks a collection file's header before SQLite opens it, so that a file this build cannot use
//! is reported without being touched (no migration, no journal mode change, no WAL file).

use std::io::Read;
use std::path::Path;

use super::{Result, SCHEMA_VERSION, StoreError};

/// `PRAGMA application_id` of awscards collections ("awsc").
pub const APPLICATION_ID: u32 = 0x6177_7363;

/// Whether the file exists with content. Errors for anything that is not a collection this build
/// can open.
pub fn check(path: &Path) -> Result<bool> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let bad = |why: String| StoreError::NotADatabase {
        path: path.to_path_buf(),
        why,
    };
    let len = match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => return Err(bad("it is a folder".into())),
        // A device (/dev/null), FIFO or socket: SQLite would put a journal beside it.
        Ok(m) if !m.is_file() => {
            return Err(bad(
                "it is not a regular file (a device, pipe or socket)".into()
            ));
        }
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(io(e)),
    };
    if len == 0 {
        return Ok(false);
    }
    let mut header = Vec::with_capacity(100);
    let file = std::fs::File::open(path).map_err(io)?;
    file.take(100).read_to_end(&mut header).map_err(io)?;
    if header.len() < 100 || &header[..16] != b"SQLite format 3\0" {
        return Err(bad("not a SQLite database".into()));
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n if n >= 512 && n.is_power_of_two() => u64::from(n),
        n => return Err(bad(format!("corrupt header: page size {n}"))),
    };
    let counter_valid = be32(24) == be32(92);
    let pages = u64::from(be32(28));
    let wal = path.with_file_name(format!(
        "{}-wal",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    ));
    if counter_valid && !wal.exists() && len < pages * page_size {
        return Err(bad(format!(
            "truncated: {len} bytes, but its header says {} bytes",
            pages * page_size
        )));
    }
    let app_id = be32(68);
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(bad(format!(
            "a SQLite database of another application (application_id {app_id:#x})"
        )));
    }
    let version = be32(60);
    // Every collection is marked by the first migration, in the transaction that creates its
    // tables. An unmarked file is ours only while it is still empty (no schema, version 0):
    // one that holds tables or a version belongs to someone else.
    let schema_cookie = be32(40);
    if app_id == 0 && (schema_cookie != 0 || version != 0) {
        return Err(bad(
            "not an awscards collection (a SQLite database with tables of its own); \
             choose another file with --db"
                .into(),
        ));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            version,
        });
    }
    Ok(true)
}
