//! The collection in SQLite: migrations, sync, answers, undo, the daily queue and backups.

use crate::common;

use std::path::Path;
use std::time::Duration;

use awscards::app::clock::Clock;
use awscards::app::collection::Collection;
use awscards::app::session::Session;
use awscards::model::cardgen::{Card, generate};
use awscards::model::decks::{self, DeckCounts};
use awscards::model::facts::parse;
use awscards::model::limits::Limits;
use awscards::model::{bundled_files, schedule};
use awscards::store::{MIGRATIONS, SCHEMA_VERSION, Store};
use chrono::{DateTime, FixedOffset, NaiveDate};

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn noon(day: NaiveDate) -> DateTime<FixedOffset> {
    day.and_hms_opt(12, 0, 0).unwrap().and_utc().fixed_offset()
}

fn bundled() -> Vec<Card> {
    generate(&parse(&bundled_files()).unwrap())
}

fn card(key: &str, front: &str) -> Card {
    Card {
        key: key.into(),
        deck: "D::Sub".into(),
        front: front.into(),
        back: "back".into(),
        note: None,
        tags: vec!["t".into()],
        source: None,
        source_url: None,
    }
}

fn open(path: &Path, cards: &[Card], today: NaiveDate) -> Collection {
    let mut store = Store::open(path, today.and_hms_opt(12, 0, 0).unwrap()).unwrap();
    let sync = store.sync_cards(cards, today, None).unwrap();
    let settings = store.settings().unwrap();
    let mut coll = Collection::with_store(store, settings, Clock::Fixed(noon(today)));
    coll.sync = sync;
    coll
}

fn schema(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn migrations_apply_to_an_empty_database_and_are_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    let now = day("2026-01-05").and_hms_opt(9, 0, 0).unwrap();
    let store = Store::open(&path, now).unwrap();
    assert_eq!(store.user_version().unwrap(), SCHEMA_VERSION);
    drop(store);
    let first = schema(&path);
    assert!(first.iter().any(|s| s.contains("CREATE TABLE review_log")));
    let store = Store::open(&path, now).unwrap();
    assert_eq!(store.user_version().unwrap(), SCHEMA_VERSION);
    drop(store);
    assert_eq!(schema(&path), first);
}

#[test]
fn a_database_at_every_older_version_upgrades() {
    let now = day("2026-01-05").and_hms_opt(9, 0, 0).unwrap();
    for version in 0..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        Store::create_at_version(&path, version).unwrap();
        let store = Store::open(&path, now).unwrap();
        assert_eq!(
            store.user_version().unwrap(),
            SCHEMA_VERSION,
            "from {version}"
        );
        drop(store);
        if version > 0 {
            let backups: Vec<String> = std::fs::read_dir(dir.path().join("backups"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert!(
                backups
                    .iter()
                    .any(|b| b.contains(&format!("before-v{}", version + 1))),
                "{backups:?}"
            );
        }
    }
    assert_eq!(SCHEMA_VERSION as usize, MIGRATIONS.len());
}

#[test]
fn presets_made_before_their_answer_options_hold_what_the_settings_held() {
    let now = day("2026-01-05").and_hms_opt(9, 0, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    Store::create_at_version(&path, 15).unwrap();
    let mut settings = awscards::model::settings::Settings::default();
    settings.bury_siblings = false;
    settings.leech_threshold = 3;
    settings.leech_action = awscards::model::settings::LeechAction::TagOnly;
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('settings', ?1)",
            [serde_json::to_string(&settings).unwrap()],
        )
        .unwrap();
        conn.execute_batch(
            "INSERT INTO presets (name, new_per_day, reviews_per_day) VALUES ('Kinesis', 5, 50)",
        )
        .unwrap();
    }
    let store = Store::open(&path, now).unwrap();
    let presets = store.presets().unwrap();
    assert_eq!(presets.len(), 1);
    assert_eq!(presets[0].options, settings.answer_options());
    assert_eq!(
        presets[0].limits,
        Limits {
            new: 5,
            reviews: 50
        }
    );
}

#[test]
fn sync_adds_edits_retires_and_restores_keeping_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    let today = day("2026-02-01");
    let now = at("2026-02-01T10:00:00+00:00");
    let cards = vec![card("a", "A?"), card("b", "B?")];
    let mut coll = open(&path, &cards, today);
    assert_eq!(coll.sync.added, 2);

    // Study "a" once.
    let mut session = Session::start(&coll, "", today).unwrap();
    assert_eq!(
        session.current(),
        Some(coll.store().card_by_key("a").unwrap().unwrap().id)
    );
    session
        .answer(&mut coll, 4, now, Duration::from_secs(2))
        .unwrap();
    let a_state = coll.store().card_by_key("a").unwrap().unwrap().state;
    drop(coll);

    // Edit a's wording, remove b, add c.
    let edited = vec![card("a", "A, reworded?"), card("c", "C?")];
    let coll = open(&path, &edited, today);
    assert_eq!(
        (coll.sync.added, coll.sync.updated, coll.sync.retired),
        (1, 1, 1)
    );
    let a = coll.store().card_by_key("a").unwrap().unwrap();
    assert_eq!(a.front, "A, reworded?");
    assert_eq!(a.state, a_state, "editing the wording kept the state");
    assert_eq!(
        coll.store().log(Some(a.id)).unwrap().len(),
        1,
        "and the history"
    );
    let b = coll.store().card_by_key("b").unwrap().unwrap();
    assert!(b.retired);
    let session = Session::start(&coll, "", today).unwrap();
    assert_ne!(session.current(), Some(b.id));
    assert_eq!(counts(&coll, today).retired, 1);
    drop(coll);

    // Bring b back: restored with its id (and so its history).
    let coll = open(
        &path,
        &[card("a", "A, reworded?"), card("b", "B?"), card("c", "C?")],
        today,
    );
    assert_eq!(coll.sync.restored, 1);
    let b2 = coll.store().card_by_key("b").unwrap().unwrap();
    assert_eq!((b2.id, b2.retired), (b.id, false));
    // Nothing changed: a second sync writes nothing.
    drop(coll);
    let coll = open(
        &path,
        &[card("a", "A, reworded?"), card("b", "B?"), card("c", "C?")],
        today,
    );
    assert_eq!(coll.sync, Default::default());
}

#[test]
fn answers_are_logged_with_before_and_after() {
    let today = day("2026-03-01");
    let mut coll = Collection::in_memory(&bundled(), noon(today)).unwrap();
    let mut session = Session::start(&coll, "", today).unwrap();
    let id = session.current().unwrap();
    let a = session
        .answer(
            &mut coll,
            5,
            at("2026-03-01T08:00:00+01:00"),
            Duration::from_millis(1234),
        )
        .unwrap();
    let log = coll.store().log(Some(id)).unwrap();
    assert_eq!(log.len(), 1);
    let l = &log[0];
    assert_eq!((l.quality, l.time_taken_ms, l.study_day), (5, 1234, today));
    assert_eq!((l.ease_before, l.ease_after), (2.5, 2.6));
    assert_eq!((l.interval_before, l.interval_after), (0, 1));
    assert_eq!(l.reviewed_at, "2026-03-01T08:00:00+01:00");
    assert_eq!(a.days_until_next, 1);
}

#[test]
fn an_answer_is_logged_with_its_anki_id_its_time_moved_past_ids_taken() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    let today = day("2026-03-01");
    let now = at("2026-03-01T08:00:00.123+01:00");
    let cards = [card("a", "A?"), card("b", "B?")];
    {
        let mut coll = open(&path, &cards, today);
        let mut session = Session::start(&coll, "", today).unwrap();
        for _ in 0..3 {
            session.answer(&mut coll, 1, now, Duration::ZERO).unwrap();
        }
    }
    // As Anki gives its revlog ids: the time in ms, and the next free one when taken. An
    // export or a sync then never gives a whole log its ids.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let ids: Vec<Option<i64>> = conn
        .prepare("SELECT anki_id FROM review_log ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let ms = now.timestamp_millis();
    assert_eq!(ids, [Some(ms), Some(ms + 1), Some(ms + 2)]);
    // An id a sync server holds for an answer not logged here (one of the learner's own
    // Anki cards) is taken too: the server would count ours as held and never take it.
    conn.execute("INSERT INTO anki_sync_revlog VALUES (?1)", [ms + 3])
        .unwrap();
    drop(conn);
    {
        let mut coll = open(&path, &cards, today);
        let mut session = Session::start(&coll, "", today).unwrap();
        session.answer(&mut coll, 1, now, Duration::ZERO).unwrap();
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    let last: i64 = conn
        .query_row("SELECT anki_id FROM review_log ORDER BY id DESC", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(last, ms + 4);
}

#[test]
fn undo_restores_state_and_log_exactly() {
    let today = day("2026-03-01");
    let now = at("2026-03-01T08:00:00+00:00");
    let mut coll = Collection::in_memory(&bundled(), noon(today)).unwrap();
    let before_cards = coll.store().all_cards().unwrap();
    let mut session = Session::start(&coll, "", today).unwrap();
    let first = session.current().unwrap();
    for q in [1, 4, 3, 5] {
        session
            .answer(&mut coll, q, now, Duration::from_secs(1))
            .unwrap();
    }
    let after_four = coll.store().log(None).unwrap();
    assert_eq!(after_four.len(), 4);
    // Undo two: the log is the first two rows, exactly.
    session.undo(&mut coll, today).unwrap();
    session.undo(&mut coll, today).unwrap();
    assert_eq!(coll.store().log(None).unwrap(), after_four[..2]);
    session.undo(&mut coll, today).unwrap();
    assert_eq!(session.undo(&mut coll, today).unwrap(), Some(first));
    assert_eq!(session.undo(&mut coll, today).unwrap(), None);
    assert!(coll.store().log(None).unwrap().is_empty());
    assert_eq!(coll.store().all_cards().unwrap(), before_cards);
    assert_eq!(session.current(), Some(first));
}

#[test]
fn undo_only_takes_a_cards_latest_answer() {
    let today = day("2026-03-01");
    let now = at("2026-03-01T08:00:00+00:00");
    let mut coll = Collection::in_memory(&[card("a", "A?")], noon(today)).unwrap();
    let mut session = Session::start(&coll, "", today).unwrap();
    let first = session.answer(&mut coll, 1, now, Duration::ZERO).unwrap();
    session.answer(&mut coll, 4, now, Duration::ZERO).unwrap();
    assert!(coll.store_mut().undo(first.log_id).is_err());
    assert_eq!(coll.store().log(None).unwrap().len(), 2);
}

#[test]
fn a_failed_card_comes_back_later_the_same_day_until_passed() {
    let today = day("2026-03-01");
    let now = at("2026-03-01T08:00:00+00:00");
    let mut coll = Collection::in_memory(&bundled(), noon(today)).unwrap();
    // The gap counts cards shown; buried siblings would shorten it (tests/library/siblings.rs).
    coll.settings.bury_siblings = false;
    let mut session = Session::start(&coll, "", today).unwrap();
    let failed = session.current().unwrap();
    session.answer(&mut coll, 1, now, Duration::ZERO).unwrap();
    assert_eq!(session.remaining().repeat, 1);
    let mut shown = Vec::new();
    while session.current() != Some(failed) {
        shown.push(session.current().unwrap());
        session.answer(&mut coll, 4, now, Duration::ZERO).unwrap();
    }
    assert_eq!(
        shown.len(),
        awscards::app::session::REPEAT_GAP,
        "later, not at once"
    );
    let state = coll.store().card(failed).unwrap().state;
    // Repeats below 4 keep it coming; they are logged but change neither EF, I nor n.
    session.answer(&mut coll, 3, now, Duration::ZERO).unwrap();
    let after_repeat = coll.store().card(failed).unwrap().state;
    assert_eq!(after_repeat, state);
    assert!(session.remaining().repeat == 1);
    while session.current() != Some(failed) {
        session.answer(&mut coll, 4, now, Duration::ZERO).unwrap();
    }
    session.answer(&mut coll, 4, now, Duration::ZERO).unwrap();
    let passed = coll.store().card(failed).unwrap().state;
    assert!(!passed.repeat_pending);
    assert_eq!(
        (passed.ease, passed.interval, passed.repetitions),
        (state.ease, state.interval, state.repetitions)
    );
    assert_eq!(coll.store().log(Some(failed)).unwrap().len(), 3);
    assert_eq!(session.remaining().repeat, 0);
}

/// The bundled collection's first top-level deck: a deck's limits hold for it and its
/// subdecks (a session of every deck has each top-level deck's).
const TOP: &str = "AWS Big Data";

#[test]
fn daily_limits_hold_across_a_restart_and_reset_at_rollover() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    let cards = bundled();
    let today = day("2026-04-10");
    let mut coll = open(&path, &cards, today);
    let mut settings = coll.settings;
    settings.new_per_day = 5;
    coll.save_settings(settings).unwrap();
    let mut session = Session::start(&coll, TOP, today).unwrap();
    assert_eq!(session.remaining().new, 5);
    for _ in 0..3 {
        session
            .answer(
                &mut coll,
                4,
                at("2026-04-11T03:59:00+02:00"),
                Duration::ZERO,
            )
            .unwrap();
    }
    drop(session);
    drop(coll);

    // Restart the same study day: 2 new left, not 5.
    let coll = open(&path, &cards, today);
    assert_eq!(coll.settings.new_per_day, 5);
    assert_eq!(
        Session::start(&coll, TOP, today).unwrap().remaining().new,
        2
    );
    let top = &coll.deck_tree(today).unwrap()[0];
    assert_eq!((top.deck.as_str(), top.new), ("AWS Big Data", 2));

    // 03:59 still counts for the 10th; 04:00 is the 11th: the limit resets, and the three
    // cards studied (interval 1) are due.
    assert_eq!(
        awscards::app::clock::study_day(at("2026-04-11T03:59:00+02:00"), 4),
        today
    );
    let next = awscards::app::clock::study_day(at("2026-04-11T04:00:00+02:00"), 4);
    assert_eq!(next, day("2026-04-11"));
    let s = Session::start(&coll, TOP, next).unwrap().remaining();
    assert_eq!((s.new, s.due), (5, 3));
}

#[test]
fn review_limit_caps_due_cards() {
    let today = day("2026-04-10");
    let now = at("2026-04-10T12:00:00+00:00");
    let mut coll = Collection::in_memory(&bundled(), noon(today)).unwrap();
    coll.settings.new_per_day = 30;
    let mut session = Session::start(&coll, TOP, today).unwrap();
    for _ in 0..30 {
        session.answer(&mut coll, 5, now, Duration::ZERO).unwrap();
    }
    coll.settings.reviews_per_day = 10;
    let tomorrow = day("2026-04-11");
    let s = Session::start(&coll, TOP, tomorrow).unwrap();
    assert_eq!(s.remaining().due, 10);
    let tree = coll.deck_tree(tomorrow).unwrap();
    assert_eq!(tree[0].due, 10);
}

/// Per deck, what every card says is available today, counted the slow, obvious way.
fn counted_card_by_card(coll: &Collection, today: NaiveDate) -> Vec<DeckCounts> {
    let mut own: std::collections::BTreeMap<String, DeckCounts> = Default::default();
    for c in coll.store().deck_cards("").unwrap() {
        if c.suspended {
            continue;
        }
        let s = &c.state;
        let counts = own.entry(c.deck.clone()).or_insert_with(|| DeckCounts {
            deck: c.deck.clone(),
            ..Default::default()
        });
        let reviewed_today = s.last_review.is_some_and(|d| d >= today);
        counts.new += u32::from(s.is_new);
        counts.repeat += u32::from(!s.is_new && s.repeat_pending && reviewed_today);
        counts.due += u32::from(!s.is_new && s.due <= today && !reviewed_today);
    }
    own.into_values().collect()
}

#[test]
fn deck_counts_and_the_queue_stop_at_the_limits_and_agree_with_every_card() {
    let today = day("2026-04-10");
    let now = at("2026-04-10T12:00:00+00:00");
    let mut coll = Collection::in_memory(&bundled(), noon(today)).unwrap();
    coll.store_mut().seed_history(today, 3_000, 7).unwrap();
    // Same-day repeats, a suspended card, and a deck with every card suspended.
    coll.settings.new_per_day = 3;
    let mut session = Session::start(&coll, "", today).unwrap();
    for _ in 0..3 {
        session.answer(&mut coll, 3, now, Duration::ZERO).unwrap();
    }
    let queued = Session::start(&coll, "", today).unwrap().queued();
    coll.set_suspended(&queued[5..6], true).unwrap();
    let deck = "AWS Big Data::Instance families";
    let hidden: Vec<i64> = coll
        .store()
        .deck_cards(deck)
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    coll.set_suspended(&hidden, true).unwrap();

    let expected = counted_card_by_card(&coll, today);
    assert!(expected.iter().all(|c| c.deck != deck));
    assert!(expected.iter().map(|c| c.repeat).sum::<u32>() > 0);
    let due_total: u32 = expected.iter().map(|c| c.due).sum();
    assert!(
        due_total > 8,
        "the seeded history leaves cards due: {due_total}"
    );
    for (new_cap, due_cap) in [(0, 0), (1, 3), (20, 200), (u32::MAX, u32::MAX)] {
        let got = coll.store().deck_counts(today, new_cap, due_cap).unwrap();
        let capped: Vec<DeckCounts> = expected
            .iter()
            .map(|c| DeckCounts {
                new: c.new.min(new_cap),
                due: c.due.min(due_cap),
                ..c.clone()
            })
            .collect();
        assert_eq!(got, capped, "caps {new_cap}/{due_cap}");
        // Counts read up to the caps give the tree that uncapped counts give, within them.
        let left: std::collections::BTreeMap<String, Limits> =
            decks::with_parents(&expected.iter().map(|c| c.deck.as_str()).collect::<Vec<_>>())
                .into_iter()
                .map(|d| {
                    let l = Limits {
                        new: new_cap,
                        reviews: due_cap,
                    };
                    (d, l)
                })
                .collect();
        let tree = |counts: &[DeckCounts]| -> Vec<(String, u32, u32)> {
            decks::tree(counts, &left)
                .into_iter()
                .map(|r| (r.deck, r.new, r.due))
                .collect()
        };
        assert_eq!(tree(&got), tree(&expected));
    }

    // The queue takes the oldest due cards, reading no further than the limit needs.
    let mut all = Vec::new();
    coll.store()
        .due_rows("", today, |id, d, deck| {
            let top = deck.split("::").next().unwrap_or_default().to_string();
            all.push((id, d, top));
            true
        })
        .unwrap();
    assert_eq!(all.len(), due_total as usize);
    assert!(all.windows(2).all(|w| w[0].1 <= w[1].1), "oldest first");
    let tops: std::collections::BTreeSet<String> = all.iter().map(|r| r.2.clone()).collect();
    for limit in [1, 7, due_total - 1, due_total, due_total + 5] {
        coll.settings.reviews_per_day = limit;
        coll.settings.new_per_day = 0;
        let s = Session::start(&coll, "", today).unwrap();
        let taken: std::collections::HashSet<i64> = s.queued().into_iter().collect();
        // Each top-level deck has its own limit: it gives its oldest due cards, up to it.
        for top in &tops {
            let of_top = || all.iter().filter(move |r| &r.2 == top);
            let shown = of_top().filter(|r| taken.contains(&r.0)).count();
            let left = coll.left_for(top, today).unwrap().reviews as usize;
            assert!(left <= limit as usize);
            assert_eq!(shown, of_top().count().min(left), "limit {limit}, {top}");
            let latest_taken = of_top().filter(|r| taken.contains(&r.0)).map(|r| r.1).max();
            let earliest_left = of_top()
                .filter(|r| !taken.contains(&r.0))
                .map(|r| r.1)
                .min();
            if let (Some(t), Some(l)) = (latest_taken, earliest_left) {
                assert!(t <= l, "limit {limit}, {top}");
            }
        }
        let due_taken = all.iter().filter(|r| taken.contains(&r.0)).count();
        assert_eq!(s.remaining().due, due_taken);
    }
}

#[test]
fn a_deck_includes_its_children_only() {
    let today = day("2026-04-10");
    let now = at("2026-04-10T12:00:00+00:00");
    let mut coll = Collection::in_memory(&bundled(), noon(today)).unwrap();
    coll.settings.new_per_day = 1000;
    let deck = "AWS Big Data::Instance families";
    let mut session = Session::start(&coll, deck, today).unwrap();
    let expected = bundled().iter().filter(|c| c.deck == deck).count();
    assert_eq!(session.remaining().new, expected);
    while let Some(id) = session.current() {
        assert_eq!(coll.store().card(id).unwrap().deck, deck);
        session.answer(&mut coll, 5, now, Duration::ZERO).unwrap();
    }
    let parent = Session::start(&coll, "AWS Big Data::Integrations", today).unwrap();
    let integration_cards = bundled()
        .iter()
        .filter(|c| c.deck.starts_with("AWS Big Data::Integrations::"))
        .count();
    assert_eq!(parent.remaining().new, integration_cards);
    // "AWS Big" is not a deck: prefixes only match on a `::` boundary.
    assert_eq!(
        Session::start(&coll, "AWS Big", today)
            .unwrap()
            .remaining()
            .total(),
        0
    );
}

/// The counts `awscards stats` has always printed, as of `today`.
fn counts(coll: &Collection, today: NaiveDate) -> awscards::model::card::Stats {
    let input = coll
        .store()
        .stats_input(awscards::store::CardSelection::Deck(""), today)
        .unwrap();
    awscards::model::stats::report(input, today, Default::default()).counts
}

#[test]
fn stats_count_states() {
    let today = day("2026-04-10");
    let now = at("2026-04-10T12:00:00+00:00");
    let mut coll = Collection::in_memory(&bundled(), noon(today)).unwrap();
    let total = bundled().len() as u32;
    let mut session = Session::start(&coll, "", today).unwrap();
    session.answer(&mut coll, 1, now, Duration::ZERO).unwrap();
    session.answer(&mut coll, 4, now, Duration::ZERO).unwrap();
    let s = counts(&coll, today);
    assert_eq!(
        (s.cards, s.new, s.learning, s.review),
        (total, total - 2, 1, 1)
    );
    assert_eq!(
        (s.reviews_total, s.reviews_today, s.retired, s.suspended),
        (2, 2, 0, 0)
    );
    let s = counts(&coll, day("2026-04-11"));
    assert_eq!(s.reviews_today, 0);
}

#[test]
fn settings_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    let today = day("2026-04-10");
    let mut coll = open(&path, &[], today);
    let mut s = coll.settings;
    s.new_per_day = 7;
    s.scheduler.fuzz = false;
    s.scheduler.grading = schedule::Grading::SixGrades;
    coll.save_settings(s).unwrap();
    drop(coll);
    assert_eq!(open(&path, &[], today).settings, s);
}

#[test]
fn daily_backups_keep_the_last_seven() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    drop(Store::open(&path, day("2026-05-01").and_hms_opt(9, 0, 0).unwrap()).unwrap());
    for d in 1..=10 {
        let now = day("2026-05-01").and_hms_opt(9, 0, 0).unwrap() + chrono::TimeDelta::days(d);
        drop(Store::open(&path, now).unwrap());
        // A second open the same day takes no second backup.
        drop(Store::open(&path, now + chrono::TimeDelta::hours(1)).unwrap());
    }
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 7, "{names:?}");
    assert_eq!(names[0], "c-20260505-090000.sqlite");
    // A backup is a usable collection.
    let backup = dir.path().join("backups").join(&names[6]);
    let store = Store::open(&backup, day("2026-06-01").and_hms_opt(9, 0, 0).unwrap()).unwrap();
    assert_eq!(store.user_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn unchanged_facts_are_not_synced_again_and_changed_ones_are() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let facts = dir.path().join("facts");
    std::fs::create_dir(&facts).unwrap();
    common::copy_cards(&facts);
    let first = Collection::open(Some(&db), Some(&facts)).unwrap();
    assert_eq!(first.sync.added as usize, bundled().len());
    let fingerprint = first.store().facts_fingerprint().unwrap();
    assert!(fingerprint.is_some());
    drop(first);

    // Same facts: nothing to parse or sync.
    let again = Collection::open(Some(&db), Some(&facts)).unwrap();
    assert_eq!(again.sync, Default::default());
    drop(again);

    // Edited wording: synced, and the new fingerprint recorded.
    let path = facts.join("integrations.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "Which Amazon Data Firehose destination is {cue}?",
            "Firehose sends to {cue}?",
        ),
    )
    .unwrap();
    let edited = Collection::open(Some(&db), Some(&facts)).unwrap();
    assert_eq!(edited.sync.updated, 1);
    assert_ne!(edited.store().facts_fingerprint().unwrap(), fingerprint);
    drop(edited);

    // A broken facts file is still reported, and no card changes.
    std::fs::write(&path, "[[qa]\n").unwrap();
    let err = Collection::open(Some(&db), Some(&facts))
        .err()
        .expect("rejected")
        .to_string();
    assert!(err.contains("integrations.toml:1:"), "{err}");
    let store = Store::open(&db, day("2026-01-05").and_hms_opt(9, 0, 0).unwrap()).unwrap();
    let card = store
        .card_by_key("integration/firehose/destination/redshift/cloze")
        .unwrap();
    assert!(card.unwrap().front.starts_with("Firehose sends to"));
}

#[test]
fn a_failing_migration_says_what_failed_without_quoting_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    Store::create_at_version(&path, 1).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE filtered_decks (x);")
            .unwrap();
    }
    let err = Store::open(&path, day("2026-01-05").and_hms_opt(9, 0, 0).unwrap())
        .err()
        .expect("the migration fails")
        .to_string();
    assert!(
        err.contains("migration 0002_filtered_decks failed"),
        "{err}"
    );
    assert!(err.contains("already exists"), "{err}");
    assert!(
        !err.contains("--") && !err.contains("CREATE TABLE"),
        "{err}"
    );
    // Rolled back: the tables are as they were (the file may only have gained WAL mode).
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
}

#[test]
fn errors_someone_acts_on_have_names() {
    use awscards::app::error::AppError;
    use awscards::model::card::ReviewKind;
    use awscards::model::filtered::FilteredDeck;
    use awscards::store::StoreError;

    let dir = tempfile::tempdir().unwrap();
    let today = day("2026-06-01");
    let mut coll = open(&dir.path().join("c.sqlite"), &bundled(), today);
    assert!(matches!(
        coll.filtered_deck("Nope"),
        Err(AppError::UnknownFilteredDeck(n)) if n == "Nope"
    ));
    let taken = FilteredDeck {
        name: "Instance families".into(),
        ..FilteredDeck::default()
    };
    assert!(matches!(
        coll.save_filtered_deck(&taken),
        Err(AppError::Store(StoreError::DuplicateName(_)))
    ));
    // An empty session: answering is "finished", not a generic error.
    coll.settings.new_per_day = 0;
    let mut session = Session::start(&coll, "", today).unwrap();
    assert!(matches!(
        session.answer(&mut coll, 4, noon(today), Duration::from_secs(1)),
        Err(AppError::SessionFinished)
    ));
    coll.settings.new_per_day = 1;
    let mut session = Session::start(&coll, "", today).unwrap();
    assert!(matches!(
        session.answer(&mut coll, 2, noon(today), Duration::from_secs(1)),
        Err(AppError::BadGrade { quality: 2, .. })
    ));
    // A stored kind this build does not know is not taken for a cram answer.
    assert_eq!(ReviewKind::parse("cram"), Some(ReviewKind::Cram));
    assert_eq!(ReviewKind::parse("bogus"), None);
}

#[test]
fn facts_whose_files_did_not_change_are_not_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let facts = dir.path().join("facts");
    std::fs::create_dir(&facts).unwrap();
    common::copy_cards(&facts);
    drop(Collection::open(Some(&db), Some(&facts)).unwrap());
    // Same size, same modification time, other bytes (a broken file): not read, so no error.
    let path = facts.join("integrations.toml");
    let meta = std::fs::metadata(&path).unwrap();
    let len = meta.len() as usize;
    std::fs::write(&path, vec![b'['; len]).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(meta.modified().unwrap())
        .unwrap();
    let same = Collection::open(Some(&db), Some(&facts)).unwrap();
    assert_eq!(same.sync, Default::default());
    drop(same);
    // Touched (a new modification time): read, and the broken file is reported.
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(std::time::SystemTime::now())
        .unwrap();
    let err = Collection::open(Some(&db), Some(&facts))
        .err()
        .expect("read again");
    assert!(err.to_string().contains("integrations.toml:1:"), "{err}");
}
