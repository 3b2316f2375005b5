//! The Anki bridge: packages (`.apkg`) that Anki imports with the cards' scheduling and every
//! answer. The mapping is documented in `model::anki`.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use super::collection::{AppError, CardScope, Collection};
use super::export::write_atomically;
use crate::model::anki;
use crate::model::card::{LogEntry, ReviewKind, StoredCard};
use crate::model::search::Query;
use crate::store::{ExportSelection, PackageCard, PackageCollection, PackageRevlog};

/// Writes the cards of `scope` to an Anki package at `path` (replaced if it exists, written
/// under a temporary name and renamed into place), with their scheduling and review log
/// unless `with_scheduling` is false. Returns how many cards.
pub fn export_package(
    coll: &mut Collection,
    scope: &CardScope,
    path: &Path,
    with_scheduling: bool,
) -> Result<usize, AppError> {
    let today = coll.today();
    let query = coll.scope_query(scope)?;
    let selection = match scope {
        CardScope::Deck(name) => ExportSelection::Deck(name),
        CardScope::All => ExportSelection::Matching(&Query::All),
        _ => ExportSelection::Matching(&query),
    };
    let cards = coll.store.selected_cards(selection, today)?;
    if let CardScope::Deck(name) = scope
        && cards.is_empty()
    {
        return Err(AppError::UnknownDeck(name.clone()));
    }
    let ids: HashSet<i64> = cards.iter().map(|c| c.id).collect();
    let mut logs: HashMap<i64, Vec<LogEntry>> = HashMap::new();
    let mut anki_ids = HashMap::new();
    if with_scheduling {
        for entry in coll.store.log(None)? {
            if ids.contains(&entry.card_id) {
                logs.entry(entry.card_id).or_default().push(entry);
            }
        }
        anki_ids = coll.store.anki_ids(&ids)?;
    }
    let now = coll.now();
    let minutes_west = -now.offset().local_minus_utc() / 60;
    let earliest = cards
        .iter()
        .filter(|c| with_scheduling && !c.state.is_new)
        .map(|c| c.state.due)
        .chain(logs.values().flatten().map(|l| l.study_day))
        .min();
    let crt_day = anki::creation_day(today, earliest);
    let package = package(&cards, &logs, &anki_ids, crt_day, with_scheduling);
    let decks: Vec<&str> = cards.iter().map(|c| c.deck.as_str()).collect();
    let collection = PackageCollection {
        crt: anki::creation_stamp(crt_day, minutes_west),
        col: anki::col_json(&decks, coll.settings.scheduler.rollover_hour, minutes_west),
        cards: package.0,
        revlog: package.1,
    };
    let cannot = |why: String| AppError::CannotWrite {
        path: path.to_path_buf(),
        why,
    };
    let dir = tempfile::tempdir().map_err(|e| cannot(e.to_string()))?;
    let inner = dir.path().join("collection.anki21");
    crate::store::write_package_collection(&inner, &collection, now.timestamp())?;
    let bytes = std::fs::read(&inner).map_err(|e| cannot(e.to_string()))?;
    write_atomically(path, |file| {
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut entry = |name: &str, data: &[u8]| -> Result<(), AppError> {
            zip.start_file(name, options)
                .map_err(|e| cannot(e.to_string()))?;
            zip.write_all(data).map_err(|e| cannot(e.to_string()))
        };
        entry("collection.anki21", &bytes)?;
        entry("media", b"{}")?;
        zip.finish()
            .and_then(|mut w| w.flush().map_err(Into::into))
            .map_err(|e| cannot(e.to_string()))
    })?;
    Ok(cards.len())
}

/// The package's cards and review log.
fn package(
    cards: &[StoredCard],
    logs: &HashMap<i64, Vec<LogEntry>>,
    anki_ids: &HashMap<i64, i64>,
    crt_day: chrono::NaiveDate,
    with_scheduling: bool,
) -> (Vec<PackageCard>, Vec<PackageRevlog>) {
    let mut revlog = Vec::new();
    let cards = cards
        .iter()
        .enumerate()
        .map(|(position, c)| {
            let log = logs.get(&c.id).map(Vec::as_slice).unwrap_or_default();
            for l in log {
                if let Some(id) = anki_ids.get(&l.id) {
                    revlog.push(PackageRevlog {
                        id: *id,
                        card_id: c.id,
                        button: anki::button(l.quality),
                        ivl: i64::from(l.interval_after),
                        last_ivl: i64::from(l.interval_before),
                        factor: anki::ease_factor(l.ease_after),
                        time_ms: i64::try_from(l.time_taken_ms).unwrap_or(i64::MAX),
                        kind: anki::revlog_type(l.kind),
                    });
                }
            }
            PackageCard {
                id: c.id,
                guid: c.key.clone(),
                deck_id: anki::deck_id(&c.deck),
                front: c.front.clone(),
                fields: anki::fields(&c.front, &c.back, c.note.as_deref()),
                tags: c.tags.join(" "),
                schedule: anki::schedule(
                    &c.state,
                    c.suspended,
                    position as i64,
                    crt_day,
                    with_scheduling,
                ),
                reps: log.iter().filter(|l| l.kind != ReviewKind::Cram).count() as i64,
                lapses: if with_scheduling {
                    i64::from(c.state.lapses)
                } else {
                    0
                },
            }
        })
        .collect();
    (cards, revlog)
}
