//! The Anki bridge: packages (`.apkg`) that Anki imports with the cards' scheduling and every
//! answer. The mapping is documented in `model::anki`.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

pub use super::anki_answers::ImportSummary;
use super::collection::{CardScope, Collection};
use super::error::AppError;
use super::files::{refuse_collection_files, write_atomically};
use super::progress::Progress;
use crate::model::anki;
use crate::model::card::{ReviewKind, StoredCard};
use crate::model::search::Query;
use crate::store::{CardSelection, ExportedAnswer, PackageCard, PackageCollection, PackageRevlog};

impl Collection {
    /// Writes the cards of `scope` to an Anki package at `path` (replaced if it exists, written
    /// under a temporary name and renamed into place), with their scheduling and review log
    /// unless `with_scheduling` is false. Returns how many cards. `progress` counts the rows
    /// written, then the megabytes packed; Cancel leaves no file behind (an existing one as it
    /// was).
    pub fn export_package(
        &mut self,
        scope: &CardScope,
        path: &Path,
        with_scheduling: bool,
        progress: &Progress,
    ) -> Result<usize, AppError> {
        refuse_collection_files(self, path)?;
        let collection = self.package_collection(scope, with_scheduling, None)?;
        let (cards, now) = (collection.cards.len(), self.now());
        let cannot = |why: String| AppError::CannotWrite {
            path: path.to_path_buf(),
            why,
        };
        let dir = self.store.scratch_dir()?;
        let inner = dir.path().join("collection.anki21");
        progress.check()?;
        progress.start(
            (collection.cards.len() + collection.revlog.len()) as u64,
            "cards and answers written",
        );
        crate::store::write_package_collection(&inner, &collection, now.timestamp(), &mut || {
            progress.step().is_ok()
        })?;
        drop(collection);
        // Streamed from the file into the archive: at a million answers it is ~100 MB.
        let mut inner = std::fs::File::open(&inner).map_err(|e| cannot(e.to_string()))?;
        let size = inner.metadata().map_or(0, |m| m.len());
        progress.start(size.div_ceil(MIB), "MB packed");
        write_atomically(path, |file| {
            let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            let mut entry = |name: &str, data: &mut dyn std::io::Read| -> Result<(), AppError> {
                zip.start_file(name, options)
                    .map_err(|e| cannot(e.to_string()))?;
                // A megabyte at a time, each a step of `progress`.
                loop {
                    let mut chunk = std::io::Read::take(&mut *data, MIB);
                    match std::io::copy(&mut chunk, &mut zip) {
                        Ok(0) => return Ok(()),
                        Ok(_) => progress.step()?,
                        Err(e) => return Err(cannot(e.to_string())),
                    }
                }
            };
            entry("collection.anki21", &mut inner)?;
            entry("media", &mut &b"{}"[..])?;
            zip.finish()
                .and_then(|mut w| w.flush().map_err(Into::into))
                .map_err(|e| cannot(e.to_string()))
        })?;
        Ok(cards)
    }

    /// The Anki collection a package of the cards of `scope` holds (with their scheduling and
    /// review log unless `with_scheduling` is false). Due dates count from `crt` (seconds, an
    /// Anki collection's creation stamp) when given, else from a creation day of its own.
    pub(in crate::app) fn package_collection(
        &mut self,
        scope: &CardScope,
        with_scheduling: bool,
        crt: Option<i64>,
    ) -> Result<PackageCollection, AppError> {
        let today = self.today();
        let query = self.scope_query(scope)?;
        let selection = match scope {
            CardScope::Deck(name) => CardSelection::Deck(name),
            CardScope::All => CardSelection::Matching(&Query::All),
            _ => CardSelection::Matching(&query),
        };
        let cards = self.store.selected_cards(selection, today)?;
        if let CardScope::Deck(name) = scope
            && cards.is_empty()
        {
            return Err(AppError::UnknownDeck(name.clone()));
        }
        let ids: HashSet<i64> = cards.iter().map(|c| c.id).collect();
        let answers = if with_scheduling {
            self.store.exported_answers(&ids)?
        } else {
            Vec::new()
        };
        let now = self.now();
        let minutes_west = -now.offset().local_minus_utc() / 60;
        let earliest = cards
            .iter()
            .filter(|c| with_scheduling && !c.state.is_new)
            .map(|c| c.state.due)
            .chain(answers.iter().map(|a| a.study_day))
            .min();
        let crt_day = match crt {
            Some(crt) => anki::creation_day_of(crt, minutes_west),
            None => anki::creation_day(today, earliest),
        };
        let package = package(&cards, &answers, crt_day, with_scheduling);
        let decks: Vec<&str> = cards.iter().map(|c| c.deck.as_str()).collect();
        Ok(PackageCollection {
            crt: crt.unwrap_or_else(|| anki::creation_stamp(crt_day, minutes_west)),
            col: anki::col_json(&decks, self.settings.scheduler.rollover_hour, minutes_west),
            cards: package.0,
            revlog: package.1,
        })
    }
}

/// A megabyte: how much of a package is packed between two steps of its progress.
const MIB: u64 = 1 << 20;

/// The package's cards and review log (`answers`: the cards' answers).
fn package(
    cards: &[StoredCard],
    answers: &[ExportedAnswer],
    crt_day: chrono::NaiveDate,
    with_scheduling: bool,
) -> (Vec<PackageCard>, Vec<PackageRevlog>) {
    let mut reps: HashMap<i64, i64> = HashMap::new();
    for a in answers.iter().filter(|a| a.kind != ReviewKind::Cram) {
        *reps.entry(a.card_id).or_default() += 1;
    }
    let cards = cards
        .iter()
        .enumerate()
        .map(|(position, c)| {
            let reps = reps.get(&c.id).copied().unwrap_or(0);
            package_card(c, position as i64, crt_day, with_scheduling, reps)
        })
        .collect();
    let mut revlog: Vec<PackageRevlog> = answers.iter().map(package_revlog).collect();
    revlog.sort_unstable_by_key(|r| r.id);
    (cards, revlog)
}

/// Card `c` as a package holds it: `position` orders new cards, due days count from `crt_day`,
/// `reps` is its number of answers.
pub(in crate::app) fn package_card(
    c: &StoredCard,
    position: i64,
    crt_day: chrono::NaiveDate,
    with_scheduling: bool,
    reps: i64,
) -> PackageCard {
    PackageCard {
        id: c.id,
        guid: c.key.clone(),
        deck_id: anki::deck_id(&c.deck),
        deck: c.deck.clone(),
        front: c.front.clone(),
        fields: anki::fields(&c.front, &c.back, c.note.as_deref()),
        tags: c.tags.join(" "),
        schedule: anki::schedule(&c.state, c.suspended, position, crt_day, with_scheduling),
        reps,
        lapses: if with_scheduling {
            i64::from(c.state.lapses)
        } else {
            0
        },
        flag: c.flag,
    }
}

/// Answer `a` as a row of Anki's review log.
pub(in crate::app) fn package_revlog(a: &ExportedAnswer) -> PackageRevlog {
    PackageRevlog {
        id: a.anki_id,
        card_id: a.card_id,
        button: anki::button(a.quality),
        ivl: i64::from(a.interval_after),
        last_ivl: i64::from(a.interval_before),
        factor: anki::ease_factor(a.ease_after),
        time_ms: i64::try_from(a.time_taken_ms).unwrap_or(i64::MAX),
        kind: anki::revlog_type(a.kind),
    }
}

impl Collection {
    /// Imports the answers of an Anki package (`.apkg` or `.colpkg`, legacy or current format)
    /// into the collection, in one transaction: notes are matched to cards by guid, answers the
    /// collection does not hold yet are added, and each card that got answers has its whole log
    /// replayed with the collection's scheduler. A package that is no Anki package, or holds no
    /// card of the collection, changes nothing. Time and memory are bounded whatever the package
    /// holds (see [`crate::store::PackageLimits`]); answers dated after today are left out.
    /// `progress` counts the cards rescheduled; Cancel, until the answers are written, leaves
    /// the collection as it was.
    pub fn import_package(
        &mut self,
        path: &Path,
        progress: &Progress,
    ) -> Result<ImportSummary, AppError> {
        self.import_package_with(path, crate::store::PackageLimits::default(), progress)
    }
}

impl Collection {
    /// [`Collection::import_package`] with other bounds (tests).
    pub fn import_package_with(
        &mut self,
        path: &Path,
        limits: crate::store::PackageLimits,
        progress: &Progress,
    ) -> Result<ImportSummary, AppError> {
        let dir = self.store.scratch_dir()?;
        let inner = dir.path().join("collection");
        unpack_collection(path, &inner, MAX_COLLECTION_BYTES).map_err(|why| {
            AppError::BadPackage {
                path: path.to_path_buf(),
                why,
            }
        })?;
        progress.check()?;
        self.import_collection_file(&inner, path, limits, true, progress)
    }

    /// Imports the answers of the Anki collection file `inner` (of the package `path`, as
    /// errors name it), as [`Collection::import_package`] does. With `ours_required`, a file
    /// that holds no card of this collection is an error; without, it imports nothing.
    pub(in crate::app) fn import_collection_file(
        &mut self,
        inner: &Path,
        path: &Path,
        limits: crate::store::PackageLimits,
        ours_required: bool,
        progress: &Progress,
    ) -> Result<ImportSummary, AppError> {
        let bad = |why: String| AppError::BadPackage {
            path: path.to_path_buf(),
            why,
        };
        let by_key = self.store.cards_by_key()?;
        let contents =
            crate::store::read_package_collection(inner, |guid| by_key.contains_key(guid), limits)
                .map_err(bad)?;
        progress.check()?;
        let mut summary = ImportSummary {
            skipped: (contents.notes
                - contents.matched.len()
                - contents.shared_guid
                - contents.unknown_type) as u32,
            conflicting: (contents.shared_guid + contents.unknown_type) as u32,
            duplicates: contents.duplicate_ids as u32,
            ..ImportSummary::default()
        };
        // Anki note id → our card (id, key, deck).
        let mut notes: HashMap<i64, (i64, &str, &str)> = HashMap::new();
        for note in &contents.matched {
            if let Some((key, (id, deck))) = by_key.get_key_value(&note.guid) {
                notes.insert(note.id, (*id, key.as_str(), deck.as_str()));
            }
        }
        if notes.is_empty() && !ours_required {
            return Ok(summary);
        }
        if notes.is_empty() {
            let mut types: Vec<&str> = contents
                .notetypes
                .values()
                .map(|(name, _)| name.as_str())
                .collect();
            types.sort_unstable();
            return Err(bad(format!(
                "none of its {} notes is a card of this collection (their guid is no card key; \
             note types: {})",
                contents.notes,
                types.join(", ")
            )));
        }
        summary.matched = notes.len() as u32;
        let cards: HashMap<i64, (i64, &str, &str)> = contents
            .cards
            .iter()
            .filter_map(|(cid, nid)| notes.get(nid).map(|c| (*cid, *c)))
            .collect();
        self.reschedule_with_answers(&contents.revlog, &cards, &[], &mut summary, progress)?;
        Ok(summary)
    }
}

/// The largest collection an import unpacks: far above any real collection (100 000 cards and
/// a million answers take about 150 MB), low enough that a hostile package cannot fill the disk.
pub const MAX_COLLECTION_BYTES: u64 = 4 << 30;

/// Err with what the file looks like when it does not start as a zip archive (as every .apkg
/// and .colpkg does): a CSV or other text, or something else.
fn not_a_package(file: &mut std::fs::File) -> Result<(), String> {
    use std::io::{Read, Seek};
    let mut head = Vec::with_capacity(512);
    Read::by_ref(file)
        .take(512)
        .read_to_end(&mut head)
        .map_err(|e| e.to_string())?;
    file.rewind().map_err(|e| e.to_string())?;
    if head.starts_with(b"PK\x03\x04") {
        return Ok(());
    }
    // A cut multi-byte character at the end is still text.
    let text = match std::str::from_utf8(&head) {
        Ok(_) => true,
        Err(e) => e.valid_up_to() + 4 > head.len() && e.error_len().is_none(),
    };
    Err(if text && !head.is_empty() {
        "this is not an Anki package (.apkg/.colpkg): it holds text, such as a CSV file \
         (awscards exports CSV for Anki to import; it imports only packages, with their answers)"
            .to_string()
    } else {
        "this is not an Anki package (.apkg/.colpkg): not a zip archive".to_string()
    })
}

/// Copies the collection file out of the package at `path` to `to`, uncompressed, refusing
/// one that unpacks to more than `limit` bytes.
fn unpack_collection(path: &Path, to: &Path, limit: u64) -> Result<(), String> {
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    not_a_package(&mut file)?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| format!("it is not an Anki package (not a zip archive: {e})"))?;
    let cannot_write = |e: &dyn std::fmt::Display| {
        format!(
            "its collection cannot be unpacked to {}: {e} (is that disk full?)",
            to.display()
        )
    };
    let mut out = Capped {
        inner: std::fs::File::create(to).map_err(|e| cannot_write(&e))?,
        left: limit,
        write_error: None,
    };
    for name in [
        "collection.anki21b",
        "collection.anki21",
        "collection.anki2",
    ] {
        let Ok(mut entry) = zip.by_name(name) else {
            continue;
        };
        let copied = if name.ends_with('b') {
            zstd::stream::copy_decode(&mut entry, &mut out)
        } else {
            std::io::copy(&mut entry, &mut out).map(drop)
        };
        return copied.map_err(|e| {
            if let Some(e) = &out.write_error {
                cannot_write(e)
            } else if out.left == 0 {
                format!(
                    "its {name} unpacks to more than {} MiB, more than any Anki collection",
                    limit >> 20
                )
            } else {
                format!("its {name} cannot be read ({e}): a damaged package?")
            }
        });
    }
    Err("it holds no Anki collection (collection.anki21b, .anki21 or .anki2)".into())
}

/// A writer that fails once more than `left` bytes come, and keeps what went wrong writing
/// (to tell it from a package that cannot be read).
struct Capped<W> {
    inner: W,
    left: u64,
    write_error: Option<std::io::Error>,
}

impl<W: Write> Write for Capped<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = u64::try_from(buf.len()).unwrap_or(u64::MAX);
        if n > self.left {
            self.left = 0;
            return Err(std::io::Error::other("too large"));
        }
        self.left -= n;
        if let Err(e) = self.inner.write_all(buf) {
            let kept = std::io::Error::new(e.kind(), e.to_string());
            self.write_error = Some(e);
            return Err(kept);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collection_that_unpacks_too_large_is_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let package = dir.path().join("bomb.apkg");
        // 64 KiB of zeros compress to almost nothing; the limit here is 16 KiB.
        let packed = zstd::encode_all(&vec![0u8; 64 << 10][..], 3).unwrap_or_default();
        {
            let file = std::fs::File::create(&package).unwrap_or_else(|e| panic!("{e}"));
            let mut zip = zip::ZipWriter::new(file);
            let _ = zip.start_file(
                "collection.anki21b",
                zip::write::SimpleFileOptions::default(),
            );
            let _ = zip.write_all(&packed);
            let _ = zip.finish();
        }
        let to = dir.path().join("out");
        let err = unpack_collection(&package, &to, 16 << 10)
            .err()
            .unwrap_or_default();
        assert!(err.contains("unpacks to more than"), "{err}");
        assert!(unpack_collection(&package, &to, 1 << 20).is_ok());
        // A full disk is named, not blamed on the package.
        let full = Path::new("/dev/full");
        let err = unpack_collection(&package, full, 1 << 20)
            .err()
            .unwrap_or_default();
        assert!(
            err.contains("/dev/full") && err.contains("disk full"),
            "{err}"
        );
    }
}
