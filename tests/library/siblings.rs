//! Siblings apart: the cards of one fact or list (one `fact`, see `cardgen::fact_of`) are never
//! studied on the same day. Once one is answered, the others are buried until the next day
//! (out of the queue and the deck counts); undo brings them back; the setting turns it off.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use awscards::app::session::Session;
use awscards::model::cardgen::fact_of;
use awscards::model::limits::AnswerOptions;
use awscards::model::search::parse;
use awscards::model::settings::{LeechAction, Settings};
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use common::{noon, open_on};

const START: NaiveDate = match NaiveDate::from_ymd_opt(2026, 3, 2) {
    Some(d) => d,
    None => panic!("a date"),
};

fn day(n: u64) -> NaiveDate {
    START.checked_add_days(Days::new(n)).unwrap()
}

/// The first card of the "Kinesis Data Firehose" deck's first list, and its siblings.
fn a_card_with_siblings(coll: &awscards::app::collection::Collection) -> (i64, Vec<i64>) {
    let cards = coll.store().all_cards().unwrap();
    let by_fact = |fact: &str| -> Vec<i64> {
        cards
            .iter()
            .filter(|c| fact_of(&c.key) == fact)
            .map(|c| c.id)
            .collect()
    };
    let first = cards
        .iter()
        .find(|c| by_fact(fact_of(&c.key)).len() >= 3)
        .unwrap();
    let siblings = by_fact(fact_of(&first.key))
        .into_iter()
        .filter(|id| *id != first.id)
        .collect();
    (first.id, siblings)
}

#[test]
fn an_answer_buries_its_siblings_for_the_day_and_undo_brings_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut coll = open_on(&dir.path().join("c.sqlite"), START);
    let (card, siblings) = a_card_with_siblings(&coll);
    let deck = coll.card(card).unwrap().deck;
    let new_before = coll.deck_tree(START).unwrap();
    let count = |rows: &[awscards::model::decks::DeckRow]| {
        rows.iter().find(|r| r.deck == deck).map(|r| r.new).unwrap()
    };
    let mut session = Session::start(&coll, &deck, START).unwrap();
    // The session holds one card of the fact, whichever it reaches first.
    let shown: Vec<i64> = siblings.iter().copied().chain([card]).collect();
    let first = session.current().unwrap();
    assert!(
        shown.contains(&first),
        "the deck's first card is of that fact"
    );
    session
        .answer(&mut coll, 4, noon(START), Duration::from_secs(2))
        .unwrap();
    let buried = coll
        .store()
        .search_ids(&parse("is:buried").unwrap(), START)
        .unwrap();
    let expected: HashSet<i64> = shown.iter().copied().filter(|id| *id != first).collect();
    assert_eq!(buried.iter().copied().collect::<HashSet<_>>(), expected);
    assert_eq!(
        count(&coll.deck_tree(START).unwrap()),
        count(&new_before) - shown.len() as u32
    );
    // A filtered deck over the deck leaves them out too.
    let filtered = awscards::model::filtered::FilteredDeck {
        name: "The deck, filtered".into(),
        query: format!("deck:\"{deck}\""),
        ..Default::default()
    };
    let query = filtered.validate().unwrap();
    let in_filtered = coll
        .store()
        .filtered_cards(&filtered, &query, START)
        .unwrap();
    assert!(!in_filtered.is_empty());
    assert!(in_filtered.iter().all(|c| !expected.contains(&c.id)));
    // Tomorrow nothing is buried: only the answered card has left the new cards.
    let tomorrow = day(1);
    assert!(coll.store().buried(tomorrow).unwrap().is_empty());
    assert_eq!(
        count(&coll.deck_tree(tomorrow).unwrap()),
        count(&new_before) - 1
    );
    // Today's session never shows them.
    while let Some(id) = session.current() {
        assert!(!expected.contains(&id), "a buried sibling was shown");
        session
            .answer(&mut coll, 4, noon(START), Duration::from_secs(2))
            .unwrap();
    }

    // Undo of the answer that buried them brings them back today.
    let dir = tempfile::tempdir().unwrap();
    let mut coll = open_on(&dir.path().join("d.sqlite"), START);
    let mut session = Session::start(&coll, &deck, START).unwrap();
    session
        .answer(&mut coll, 4, noon(START), Duration::from_secs(2))
        .unwrap();
    let remaining_before = Session::start(&coll, &deck, START)
        .unwrap()
        .remaining()
        .total();
    session.undo(&mut coll, START).unwrap();
    assert!(
        coll.store()
            .search_ids(&parse("is:buried").unwrap(), START)
            .unwrap()
            .is_empty()
    );
    assert_eq!(count(&coll.deck_tree(START).unwrap()), count(&new_before));
    // ... and into the running session: its queue and counters as a new session's.
    let fresh = Session::start(&coll, &deck, START).unwrap();
    assert_eq!(session.remaining(), fresh.remaining());
    assert_eq!(session.current(), Some(first), "the undone card first");
    let queued: HashSet<i64> = session.queued().into_iter().collect();
    assert!(
        expected.iter().all(|id| queued.contains(id)),
        "siblings back in the queue"
    );
    assert!(session.remaining().total() > remaining_before);
    // Unbury: buried by hand, then the deck unburied, and held back no more.
    let mut session = Session::start(&coll, &deck, START).unwrap();
    session.bury_current(&mut coll, START).unwrap();
    assert_eq!(coll.held_back(&deck, START).unwrap().buried, 1);
    assert_eq!(coll.unbury_deck(&deck, START).unwrap(), 1);
    assert_eq!(coll.held_back(&deck, START).unwrap().buried, 0);
    session.reload(&coll, START).unwrap();
    assert_eq!(session.remaining(), fresh.remaining());
}

#[test]
fn with_the_setting_off_siblings_are_studied_together() {
    let dir = tempfile::tempdir().unwrap();
    let mut coll = open_on(&dir.path().join("c.sqlite"), START);
    coll.settings.bury_siblings = false;
    let mut facts = HashSet::new();
    let mut same_day_siblings = false;
    let mut session = Session::start(&coll, "", START).unwrap();
    while let Some(id) = session.current() {
        let key = coll.card(id).unwrap().key;
        same_day_siblings |= !facts.insert(fact_of(&key).to_string());
        session
            .answer(&mut coll, 4, noon(START), Duration::from_secs(2))
            .unwrap();
    }
    assert!(same_day_siblings);
    assert!(
        coll.store()
            .search_ids(&parse("is:buried").unwrap(), START)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_decks_own_preset_decides_burying_and_leeches_for_its_own_cards() {
    let dir = tempfile::tempdir().unwrap();
    let mut coll = open_on(&dir.path().join("c.sqlite"), START);
    let (card, _) = a_card_with_siblings(&coll);
    let deck = coll.card(card).unwrap().deck;
    let options = AnswerOptions {
        bury_siblings: false,
        leech_threshold: 1,
        leech_action: LeechAction::TagOnly,
    };
    let preset = coll
        .set_deck_options(&deck, None, Some(options), None)
        .unwrap();
    // A preset of its own, named after the deck; the Default preset (the settings') is as it
    // was, and so are the daily limits.
    assert_eq!(
        (preset.name.as_str(), preset.options),
        (deck.as_str(), options)
    );
    assert_eq!(
        coll.settings.answer_options(),
        Settings::default().answer_options()
    );
    assert_eq!(preset.limits, coll.default_preset().limits);
    let buried = |coll: &awscards::app::collection::Collection| {
        coll.store()
            .search_ids(&parse("is:buried").unwrap(), START)
            .unwrap()
            .len()
    };
    // Answered in this deck: its related cards are not buried.
    let mut session = Session::start(&coll, &deck, START).unwrap();
    while let Some(id) = session.current() {
        session
            .answer(&mut coll, 4, noon(START), Duration::from_secs(2))
            .unwrap();
        if id == card {
            break;
        }
    }
    assert_eq!(buried(&coll), 0);
    // In another deck, with the Default preset, they are.
    let other = coll
        .store()
        .all_cards()
        .unwrap()
        .into_iter()
        .find(|c| c.deck != deck && c.state.is_new)
        .unwrap()
        .deck;
    let mut session = Session::start(&coll, &other, START).unwrap();
    while session.current().is_some() && buried(&coll) == 0 {
        session
            .answer(&mut coll, 4, noon(START), Duration::from_secs(2))
            .unwrap();
    }
    assert!(buried(&coll) > 0);
    // One lapse makes a leech in this deck, tagged and not suspended.
    let mut session = Session::start(&coll, &deck, day(1)).unwrap();
    while let Some(id) = session.current() {
        let quality = if id == card { 1 } else { 4 };
        session
            .answer(&mut coll, quality, noon(day(1)), Duration::from_secs(2))
            .unwrap();
        if id == card {
            break;
        }
    }
    let leech = coll.card(card).unwrap();
    assert!(leech.leech && !leech.suspended, "{leech:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Over random answers on random days, no day shows two cards of one fact.
    #[test]
    fn a_day_never_shows_two_siblings(
        grades in proptest::collection::vec(0usize..4, 60..160),
        gaps in proptest::collection::vec(0u64..3, 4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut coll = open_on(&dir.path().join("c.sqlite"), START);
        coll.settings.new_per_day = 25;
        let mut grades = grades.into_iter().cycle();
        let mut today = START;
        for gap in gaps {
            today = today.checked_add_days(Days::new(gap + 1)).unwrap();
            coll.clock = awscards::app::clock::Clock::Fixed(noon(today));
            let mut shown: HashMap<String, i64> = HashMap::new();
            // Two sessions a day, as a learner who comes back in the evening.
            for _ in 0..2 {
                let mut session = Session::start(&coll, "", today).unwrap();
                for _ in 0..60 {
                    let Some(id) = session.current() else { break };
                    let key = coll.card(id).unwrap().key;
                    let other = shown.insert(fact_of(&key).to_string(), id);
                    prop_assert!(
                        other.is_none_or(|o| o == id),
                        "{today}: {key} and card {other:?} are siblings"
                    );
                    let grade = [1, 3, 4, 5][grades.next().unwrap()];
                    session.answer(&mut coll, grade, noon(today), Duration::from_secs(1)).unwrap();
                }
            }
        }
    }
}
