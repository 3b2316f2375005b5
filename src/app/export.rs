//! CSV export in Anki's text import format: header lines that tell Anki the separator, the
//! note type and which columns hold the deck, the tags and the guid, so that File → Import
//! needs no settings, and a re-import updates the notes (matched by guid) instead of adding
//! copies.

use std::io::Write;
use std::path::{Path, PathBuf};

pub use super::collection::CardScope;
use super::collection::{AppError, Collection};
use crate::model::card::ExportRow;
use crate::store::ExportSelection;
use crate::store::files;

/// The header lines, in the order Anki documents them.
pub const HEADER: &str = "#separator:Comma\n\
#html:false\n\
#notetype:Basic\n\
#columns:GUID,Front,Back,Deck,Tags\n\
#deck column:4\n\
#tags column:5\n\
#guid column:1\n";

/// Anki's CSV being written: the header first, then one record per card. Fields are plain
/// text (`#html:false`: Anki shows `<b>` as typed); newlines, commas and quotes are quoted by
/// the csv writer, and so is every field holding a `#`, which Anki would otherwise take for a
/// comment at the start of a line.
pub struct AnkiCsv<W: Write> {
    csv: csv::Writer<W>,
    /// The Back field being built, reused from card to card.
    back: String,
}

impl<W: Write> AnkiCsv<W> {
    pub fn new(mut out: W) -> std::io::Result<AnkiCsv<W>> {
        out.write_all(HEADER.as_bytes())?;
        let csv = csv::WriterBuilder::new()
            .comment(Some(b'#'))
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        Ok(AnkiCsv {
            csv,
            back: String::new(),
        })
    }

    /// One card. The Back field is the answer, then the card's note (a renamed service's
    /// current name) after a blank line.
    pub fn push(&mut self, card: &ExportRow) -> csv::Result<()> {
        self.back.clear();
        self.back.push_str(card.back);
        if let Some(note) = card.note {
            self.back.push_str("\n\n");
            self.back.push_str(note);
        }
        self.csv.write_record([
            card.key,
            card.front,
            self.back.as_str(),
            card.deck,
            card.tags,
        ])
    }

    pub fn finish(self) -> std::io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}

/// Writes the cards of `scope` to `path` and returns how many, streamed from the collection
/// into the file. The file is written next to its destination under a temporary name and
/// renamed into place, so a failure leaves no partial file.
pub fn export(coll: &Collection, scope: &CardScope, path: &Path) -> Result<usize, AppError> {
    refuse_collection_files(coll, path)?;
    let today = coll.today();
    let query = coll.scope_query(scope)?;
    let selection = match scope {
        CardScope::Deck(name) => ExportSelection::Deck(name),
        _ => ExportSelection::Matching(&query),
    };
    let cannot = |why: String| AppError::CannotWrite {
        path: path.to_path_buf(),
        why,
    };
    let mut count = 0;
    write_atomically(path, |file| {
        let mut csv = AnkiCsv::new(std::io::BufWriter::with_capacity(1 << 16, file))
            .map_err(|e| cannot(e.to_string()))?;
        coll.store.export_rows(selection, today, |card| {
            count += 1;
            csv.push(&card).map_err(|e| cannot(e.to_string()))
        })?;
        if count == 0
            && let CardScope::Deck(name) = scope
        {
            return Err(AppError::UnknownDeck(name.clone()));
        }
        csv.finish().map_err(|e| cannot(e.to_string()))?;
        Ok(())
    })?;
    Ok(count)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn card<'a>(
        key: &'a str,
        front: &'a str,
        back: &'a str,
        note: Option<&'a str>,
    ) -> ExportRow<'a> {
        ExportRow {
            key,
            front,
            back,
            note,
            deck: "A::B",
            tags: "t1 t-2",
        }
    }

    fn anki_csv(cards: &[ExportRow]) -> Vec<u8> {
        let mut csv = AnkiCsv::new(Vec::new()).unwrap();
        for c in cards {
            csv.push(c).unwrap();
        }
        csv.finish().unwrap()
    }

    #[test]
    fn the_header_comes_first_and_tricky_fields_are_quoted() {
        let cards = [
            card("k/1", "plain", "answer", None),
            card("k/2", "#hash, comma", "say \"hi\"\nnext line", Some("note")),
        ];
        let text = String::from_utf8(anki_csv(&cards)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            &lines[..7],
            [
                "#separator:Comma",
                "#html:false",
                "#notetype:Basic",
                "#columns:GUID,Front,Back,Deck,Tags",
                "#deck column:4",
                "#tags column:5",
                "#guid column:1",
            ]
        );
        assert_eq!(lines[7], "k/1,plain,answer,A::B,t1 t-2");
        assert_eq!(lines[8], "k/2,\"#hash, comma\",\"say \"\"hi\"\"");
        assert_eq!(lines[9], "next line");
        assert_eq!(lines[10], "");
        assert_eq!(lines[11], "note\",A::B,t1 t-2");
        // No body line starts with '#'.
        assert!(lines[7..].iter().all(|l| !l.starts_with('#')));
    }
}
