//! Leeches: a card that lapses `leech_threshold` times (8 by default; lapses of a learned card)
//! is marked a leech and suspended (or only marked), with a notice; its history stays whole, and
//! undoing the answer that made it a leech takes all of it back.

use crate::common;

use std::time::Duration;

use awscards::app::collection::Collection;
use awscards::app::session::Session;
use awscards::model::search::parse;
use awscards::model::settings::LeechAction;
use chrono::{Days, NaiveDate};

use common::{noon, open_on};

/// Learns the first new card on `start`, then fails it on each of the `fails` days after (a
/// same-day repeat passed each time, unless it is suspended). Returns the card's id and the last
/// answer's leech notice.
fn fail_daily(coll: &mut Collection, start: NaiveDate, fails: u64) -> (i64, Option<(u32, bool)>) {
    coll.settings.new_per_day = 1;
    let mut session = Session::start(coll, "", start).unwrap();
    let card = session.current().unwrap();
    coll.clock = awscards::app::clock::Clock::Fixed(noon(start));
    session
        .answer(coll, 4, noon(start), Duration::from_secs(2))
        .unwrap();
    let mut leech = None;
    for d in 1..=fails {
        let day = start.checked_add_days(Days::new(d)).unwrap();
        coll.clock = awscards::app::clock::Clock::Fixed(noon(day));
        coll.settings.new_per_day = 0;
        let mut session = Session::start(coll, "", day).unwrap();
        assert_eq!(session.current(), Some(card), "due on day {d}");
        let failed = session
            .answer(coll, 1, noon(day), Duration::from_secs(2))
            .unwrap();
        leech = failed.leech;
        if session.current() == Some(card) {
            session
                .answer(coll, 4, noon(day), Duration::from_secs(2))
                .unwrap();
        }
    }
    (card, leech)
}

#[test]
fn the_eighth_lapse_suspends_and_tags_the_card_and_undo_takes_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let start = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mut coll = open_on(&db, start);
    let (card, leech) = fail_daily(&mut coll, start, 7);
    assert_eq!(leech, None, "7 lapses are not a leech yet");
    let before = coll.card(card).unwrap();
    assert!(!before.leech && !before.suspended);
    let log_before = coll.card_log(card).unwrap().len();

    // The eighth lapse.
    let day = start.checked_add_days(Days::new(8)).unwrap();
    coll.clock = awscards::app::clock::Clock::Fixed(noon(day));
    let mut session = Session::start(&coll, "", day).unwrap();
    assert_eq!(session.current(), Some(card));
    let answered = session
        .answer(&mut coll, 1, noon(day), Duration::from_secs(2))
        .unwrap();
    assert_eq!(answered.leech, Some((8, true)));
    let leech = coll.card(card).unwrap();
    assert!(leech.leech && leech.suspended);
    // Suspended: it does not come back today, in this session or another.
    assert_ne!(session.current(), Some(card));
    assert!(
        Session::start(&coll, "", day)
            .unwrap()
            .current()
            .is_none_or(|c| c != card)
    );
    // Its history is whole, and searches and exports know it as a leech.
    assert_eq!(coll.card_log(card).unwrap().len(), log_before + 1);
    let found = coll
        .store()
        .search_ids(&parse("is:leech").unwrap(), day)
        .unwrap();
    assert_eq!(found, [card]);
    // A leech carries the tag `leech`, as in Anki: found by tag:, listed with its tags, once.
    for query in ["tag:leech", "tag:LEE*", "is:leech tag:leech"] {
        let found = coll
            .store()
            .search_ids(&parse(query).unwrap(), day)
            .unwrap();
        assert_eq!(found, [card], "{query}");
    }
    assert_eq!(
        leech.tags.iter().filter(|t| *t == "leech").count(),
        1,
        "{:?}",
        leech.tags
    );
    let csv = dir.path().join("leeches.csv");
    let scope = awscards::app::collection::CardScope::Search("is:leech".into());
    assert_eq!(coll.export_csv(&scope, &csv).unwrap(), 1);
    let text = std::fs::read_to_string(&csv).unwrap();
    let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    let body = body.join("\n");
    let row = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap();
    assert!(row[4].ends_with(" leech"), "{row:?}");
    assert_eq!(row[4].matches("leech").count(), 1, "{row:?}");

    // Undo: the card as it was before that answer, not a leech, not suspended.
    session.undo(&mut coll, day).unwrap();
    let undone = coll.card(card).unwrap();
    assert_eq!(undone.state, before.state);
    assert!(!undone.leech && !undone.suspended);
    assert!(
        !undone.tags.iter().any(|t| t == "leech"),
        "{:?}",
        undone.tags
    );
    assert!(
        coll.store()
            .search_ids(&parse("tag:leech").unwrap(), day)
            .unwrap()
            .is_empty()
    );
    assert_eq!(coll.card_log(card).unwrap().len(), log_before);
    assert_eq!(session.current(), Some(card));
}

#[test]
fn tag_only_keeps_the_leech_in_the_session_and_zero_turns_leeches_off() {
    let dir = tempfile::tempdir().unwrap();
    let start = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mut coll = open_on(&dir.path().join("a.sqlite"), start);
    coll.settings.leech_threshold = 2;
    coll.settings.leech_action = LeechAction::TagOnly;
    let (card, leech) = fail_daily(&mut coll, start, 2);
    assert_eq!(leech, Some((2, false)));
    let tagged = coll.card(card).unwrap();
    assert!(tagged.leech && !tagged.suspended);

    let mut coll = open_on(&dir.path().join("b.sqlite"), start);
    coll.settings.leech_threshold = 0;
    let (card, leech) = fail_daily(&mut coll, start, 9);
    assert_eq!(leech, None);
    assert!(!coll.card(card).unwrap().leech);
}
