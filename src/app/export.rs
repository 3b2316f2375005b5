//! CSV export in Anki's text import format: header lines that tell Anki the separator, the
//! note type and which columns hold the deck, the tags and the guid, so that File → Import
//! needs no settings, and a re-import updates the notes (matched by guid) instead of adding
//! copies.

use std::io::Write;
use std::path::Path;

pub use super::collection::CardScope;
use super::collection::Collection;
use super::error::AppError;
use super::files::{refuse_collection_files, write_atomically};
use crate::model::card::ExportRow;
use crate::store::CardSelection;

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

impl Collection {
    /// Writes the cards of `scope` to `path` and returns how many, streamed from the collection
    /// into the file. The file is written next to its destination under a temporary name and
    /// renamed into place, so a failure leaves no partial file.
    pub fn export_csv(&self, scope: &CardScope, path: &Path) -> Result<usize, AppError> {
        refuse_collection_files(self, path)?;
        let today = self.today();
        let query = self.scope_query(scope)?;
        let selection = match scope {
            CardScope::Deck(name) => CardSelection::Deck(name),
            _ => CardSelection::Matching(&query),
        };
        let cannot = |why: String| AppError::CannotWrite {
            path: path.to_path_buf(),
            why,
        };
        let mut count = 0;
        write_atomically(path, |file| {
            let mut csv = AnkiCsv::new(std::io::BufWriter::with_capacity(1 << 16, file))
                .map_err(|e| cannot(e.to_string()))?;
            self.store.export_rows(selection, today, |card| {
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
