//! Upgrading a collection reviewed on the 2019-notes deck (the bundled deck before the facts
//! were corrected and lists became cue questions) to today's deck: every card whose key
//! survived keeps its schedule and history; the rest are retired with their history, and come
//! back with it if their facts return.
//!
//! `tests/data/deck-2019-cards.json` is `awscards cards --json` of that deck (commit 7f2f248).

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use awscards::app::clock::Clock;
use awscards::app::collection::Collection;
use awscards::app::session::Session;
use awscards::model::cardgen::{Card, generate};
use awscards::model::facts::parse;
use awscards::model::schedule::CardState;
use awscards::model::{bundled_files, settings::Settings};
use awscards::store::{LogEntry, SCHEMA_VERSION, Store};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};

fn noon(day: NaiveDate) -> DateTime<FixedOffset> {
    day.and_hms_opt(12, 0, 0).unwrap().and_utc().fixed_offset()
}

/// What must survive the upgrade for one card.
#[derive(Debug, PartialEq)]
struct History {
    id: i64,
    state: CardState,
    log: Vec<LogEntry>,
}

fn histories(store: &Store) -> BTreeMap<String, History> {
    store
        .all_cards()
        .unwrap()
        .into_iter()
        .map(|c| {
            let log = store.log(Some(c.id)).unwrap();
            (
                c.key,
                History {
                    id: c.id,
                    state: c.state,
                    log,
                },
            )
        })
        .collect()
}

/// A week of daily reviews of every card of `old` in a new collection at `db`, with some
/// lapses; returns each card's history.
fn review_a_week(
    db: &std::path::Path,
    old: &[Card],
    first_day: NaiveDate,
) -> BTreeMap<String, History> {
    {
        let mut store = Store::open(db, first_day.and_hms_opt(12, 0, 0).unwrap()).unwrap();
        let sync = store.sync_cards(old, first_day, None).unwrap();
        assert_eq!(sync.added as usize, old.len());
        let mut coll = Collection::with_store(
            store,
            // Every card reviewed in the week: siblings studied together.
            Settings {
                new_per_day: 1000,
                bury_siblings: false,
                ..Settings::default()
            },
            Clock::Fixed(noon(first_day)),
        );
        let mut answers = 0usize;
        for d in 0..7 {
            let today = first_day + TimeDelta::days(d);
            coll.clock = Clock::Fixed(noon(today));
            let mut session = Session::start(&coll, "", today).unwrap();
            while session.current().is_some() {
                answers += 1;
                let q = if answers.is_multiple_of(5) { 1 } else { 4 };
                session
                    .answer(&mut coll, q, noon(today), Duration::from_secs(3))
                    .unwrap();
            }
        }
        assert!(answers > old.len() * 2, "{answers} answers");
    }
    histories(&Store::open(db, noon(first_day).naive_local()).unwrap())
}

/// Opens the collection at `db` (reviewed on `old`, its history `before`) with this build:
/// the migration, then the bundled deck synced by key. Checks that every card whose key
/// survived keeps its schedule and history, that the rest are retired with theirs and come
/// back with it when their facts return, and that the new cards are new. Returns the
/// surviving and retired keys.
fn upgrade(
    db: &std::path::Path,
    old: &[Card],
    mut before: BTreeMap<String, History>,
) -> (Vec<String>, Vec<String>) {
    let later = "2026-06-10T12:00:00+00:00";
    let o = common::awscards()
        .env("AWSCARDS_DB", db)
        .env("AWSCARDS_NOW", later)
        .args(["stats", "--json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", common::stderr(&o));

    let store = Store::open(db, noon("2026-06-01".parse().unwrap()).naive_local()).unwrap();
    assert_eq!(store.user_version().unwrap(), SCHEMA_VERSION);
    let new: Vec<Card> = generate(&parse(&bundled_files()).unwrap());
    let new_keys: BTreeSet<&str> = new.iter().map(|c| c.key.as_str()).collect();
    let old_keys: BTreeSet<&str> = old.iter().map(|c| c.key.as_str()).collect();
    let kept: Vec<&str> = old_keys.intersection(&new_keys).copied().collect();
    let gone: Vec<&str> = old_keys.difference(&new_keys).copied().collect();
    let now = |key: &str| {
        let c = store.card_by_key(key).unwrap().unwrap();
        let history = History {
            id: c.id,
            state: c.state,
            log: store.log(Some(c.id)).unwrap(),
        };
        (c, history)
    };
    for key in &kept {
        let (c, history) = now(key);
        assert!(!c.retired, "{key} was retired");
        assert!(c.source_url.is_some(), "{key} has no page to open");
        let was = before.remove(*key).unwrap();
        assert_eq!(history, was, "{key} lost its history");
        assert!(!was.log.is_empty(), "{key} was never reviewed");
    }
    for key in &gone {
        let (c, history) = now(key);
        assert!(c.retired, "{key} is still live");
        assert_eq!(
            history,
            before.remove(*key).unwrap(),
            "{key} lost its history when retired"
        );
    }
    assert!(before.is_empty(), "cards disappeared: {:?}", before.keys());
    // The new cards are new; retired cards are out of every queue.
    for c in &new {
        if !old_keys.contains(c.key.as_str()) {
            let stored = store.card_by_key(&c.key).unwrap().unwrap();
            assert!(stored.state.is_new && store.log(Some(stored.id)).unwrap().is_empty());
        }
    }
    let today: NaiveDate = "2026-06-10".parse().unwrap();
    let mut ids = Vec::new();
    store
        .due_rows("", today, |id, _, _| {
            ids.push(id);
            true
        })
        .unwrap();
    store
        .new_rows("", today, |id, _| {
            ids.push(id);
            true
        })
        .unwrap();
    let queued: BTreeSet<String> = ids
        .into_iter()
        .map(|id| store.card(id).unwrap().key)
        .collect();
    assert!(gone.iter().all(|k| !queued.contains(*k)));
    let stats: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(stats["retired"].as_u64(), Some(gone.len() as u64));
    assert_eq!(stats["cards"].as_u64(), Some(new.len() as u64));
    // The week's answers, counted into the statistics' daily summary, whatever deck their
    // cards moved to (deck names follow the services' current names).
    assert_eq!(
        stats["reviews_total"].as_u64(),
        Some(store.log(None).unwrap().len() as u64)
    );
    assert_eq!(store.review_days_problems().unwrap(), []);
    assert!(stats["longest_streak_days"].as_u64().unwrap() >= 5);

    // Bring the old facts back (say, with `--facts` on a copy of the old deck): the retired
    // cards return with their history.
    drop(store);
    let mut store = Store::open(db, noon(today).naive_local()).unwrap();
    let logged = store.log(None).unwrap().len();
    let sync = store.sync_cards(old, today, None).unwrap();
    assert_eq!(sync.restored as usize, gone.len());
    assert_eq!(store.log(None).unwrap().len(), logged);
    let strings = |keys: Vec<&str>| keys.into_iter().map(String::from).collect();
    (strings(kept), strings(gone))
}

#[test]
fn a_collection_reviewed_on_the_2019_deck_keeps_its_history_on_todays_deck() {
    let old: Vec<Card> =
        serde_json::from_str(include_str!("../data/deck-2019-cards.json")).unwrap();
    assert_eq!(old.len(), 212);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("collection.sqlite");
    let before = review_a_week(&db, &old, "2026-06-01".parse().unwrap());
    // Make the file exactly what that release left: schema version 2 (no source column, the
    // indexes of then).
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP INDEX cards_queue; DROP INDEX cards_new; DROP INDEX cards_deck_counts;
             DROP INDEX cards_repeat; DROP TABLE cards_text; DROP INDEX cards_position;
             DROP TABLE card_tags; DROP TABLE review_days; DROP INDEX review_log_anki;
             ALTER TABLE review_log DROP COLUMN anki_id;
             ALTER TABLE review_log DROP COLUMN stability_before;
             ALTER TABLE review_log DROP COLUMN difficulty_before;
             ALTER TABLE cards DROP COLUMN stability; ALTER TABLE cards DROP COLUMN difficulty;
             DROP TABLE card_resets;
             ALTER TABLE cards DROP COLUMN leech; ALTER TABLE review_log DROP COLUMN made_leech;
             DROP TABLE buried; ALTER TABLE review_log DROP COLUMN buried;
             ALTER TABLE cards DROP COLUMN flag; ALTER TABLE cards DROP COLUMN source_url;
             CREATE INDEX cards_deck ON cards (deck);
             CREATE INDEX cards_due ON cards (is_new, due_day);
             ALTER TABLE cards DROP COLUMN source; DROP TABLE deck_presets; DROP TABLE presets;
             DROP TRIGGER anki_sync_card_added; DROP TRIGGER anki_sync_card_changed;
             DROP TRIGGER anki_sync_answer_removed; DROP TABLE anki_sync_cards;
             DROP TABLE anki_sync_notes; DROP TABLE anki_sync_revlog;
             DROP TABLE anki_sync_objects; DROP TABLE anki_sync_pending;
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let (kept, gone) = upgrade(&db, &old, before);
    assert_eq!(
        (kept.len(), gone.len()),
        (KEPT_FROM_2019, 212 - KEPT_FROM_2019)
    );
    assert!(kept.contains(&"integration/redshift/s3-load/qa".to_string()));
    assert!(gone.contains(&"integration/firehose/source/kpl/cloze".to_string()));
    assert!(gone.contains(&"instance/type/f1/family".to_string()));
}

/// The keys of the 2019 deck and of deck v2 that deck v3 keeps (README, "After upgrading").
const KEPT_FROM_2019: usize = 23;
const KEPT_FROM_V2: usize = 47;

#[test]
fn a_collection_reviewed_on_deck_v2_keeps_its_history_on_deck_v3() {
    // `awscards cards --json` of the deck before v3 (commit 388afe3): 167 cards.
    let old: Vec<Card> = serde_json::from_str(include_str!("../data/deck-v2-cards.json")).unwrap();
    assert_eq!(old.len(), 167);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("collection.sqlite");
    let before = review_a_week(&db, &old, "2026-06-01".parse().unwrap());
    // What that release left: schema version 12, no page address, no chart columns in the
    // per-day summary.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let charts: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('review_days') WHERE cid >= 9")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(charts.len(), 66);
        for column in charts {
            conn.execute_batch(&format!("ALTER TABLE review_days DROP COLUMN {column}"))
                .unwrap();
        }
        conn.execute_batch(
            "ALTER TABLE cards DROP COLUMN source_url; DROP TABLE deck_presets;
             DROP TABLE presets; DROP TRIGGER anki_sync_card_added; DROP TRIGGER anki_sync_card_changed;
             DROP TRIGGER anki_sync_answer_removed; DROP TABLE anki_sync_cards;
             DROP TABLE anki_sync_notes; DROP TABLE anki_sync_revlog;
             DROP TABLE anki_sync_objects; DROP TABLE anki_sync_pending;
             PRAGMA user_version = 12;",
        )
        .unwrap();
    }
    let (kept, gone) = upgrade(&db, &old, before);
    assert_eq!((kept.len(), gone.len()), (KEPT_FROM_V2, 167 - KEPT_FROM_V2));
    // Kept where the meaning is: a description worth knowing, a question reworded.
    for key in [
        "integration/firehose/destination/redshift/cloze",
        "integration/redshift/s3-load/qa",
        "instance/series/c/family",
    ] {
        assert!(kept.contains(&key.to_string()), "{key}");
    }
    // A new question gets a new key; the old one retires with its history.
    for key in [
        "integration/firehose/destination/splunk/cloze",
        "integration/kinesis-data-analytics/input/s3/cloze",
        "integration/amazon-ml/exposes/qa",
    ] {
        assert!(gone.contains(&key.to_string()), "{key}");
    }
}
