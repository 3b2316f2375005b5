//! Filtered decks: built-ins, saving, limits and order, cram and scheduled sessions.

use std::time::Duration;

use awscards::app::collection::Collection;
use awscards::app::session::Session;
use awscards::model::bundled_files;
use awscards::model::cardgen::{Card, generate};
use awscards::model::facts::parse as parse_facts;
use awscards::model::filtered::{FilteredDeck, Mode, Order};
use awscards::store::ReviewKind;
use chrono::{DateTime, FixedOffset, NaiveDate};

fn bundled() -> Vec<Card> {
    generate(&parse_facts(&bundled_files()).unwrap())
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn noon(d: NaiveDate) -> DateTime<FixedOffset> {
    d.and_hms_opt(12, 0, 0).unwrap().and_utc().fixed_offset()
}

fn deck(name: &str, query: &str, mode: Mode) -> FilteredDeck {
    FilteredDeck {
        name: name.into(),
        query: query.into(),
        mode,
        ..FilteredDeck::default()
    }
}

#[test]
fn a_new_collection_has_the_built_in_filtered_decks() {
    let coll = Collection::in_memory(&bundled(), noon(day("2026-07-01"))).unwrap();
    let decks = coll.store().filtered_decks().unwrap();
    let names: Vec<(&str, &str, Mode)> = decks
        .iter()
        .map(|d| (d.name.as_str(), d.query.as_str(), d.mode))
        .collect();
    assert_eq!(
        names,
        [
            ("Failed this week", "rated:7:1", Mode::Scheduled),
            ("Instance families", "tag:instance-family", Mode::Cram),
        ]
    );
    assert!(decks.iter().all(|d| d.limit == 100));
    let counts = coll.filtered_counts(day("2026-07-01")).unwrap();
    assert_eq!(counts[0].1, Ok(0));
    assert_eq!(counts[1].1, Ok(48));
}

#[test]
fn filtered_decks_can_be_edited_and_deleted() {
    let mut coll = Collection::in_memory(&bundled(), noon(day("2026-07-01"))).unwrap();
    let mut inst = coll
        .store()
        .filtered_deck("Instance families")
        .unwrap()
        .unwrap();
    inst.limit = 10;
    inst.query = "tag:instance-family tag:memory-optimized".into();
    coll.store_mut().save_filtered_deck(&inst).unwrap();
    let again = coll
        .store()
        .filtered_deck("Instance families")
        .unwrap()
        .unwrap();
    assert_eq!(again, inst);
    coll.store_mut()
        .delete_filtered_deck(again.id.unwrap())
        .unwrap();
    assert!(
        coll.store()
            .filtered_deck("Instance families")
            .unwrap()
            .is_none()
    );

    // A new one; names are unique; bad searches and empty names are refused.
    let id = coll
        .store_mut()
        .save_filtered_deck(&deck("Kinesis", "kinesis", Mode::Cram))
        .unwrap();
    assert!(id > 0);
    let dup = coll
        .store_mut()
        .save_filtered_deck(&deck("Kinesis", "s3", Mode::Cram));
    assert!(dup.unwrap_err().to_string().contains("already exists"));
    let bad = coll
        .store_mut()
        .save_filtered_deck(&deck("Bad", "(kinesis", Mode::Cram));
    assert!(bad.unwrap_err().to_string().contains("expected ')'"));
    let unnamed = coll
        .store_mut()
        .save_filtered_deck(&deck("  ", "kinesis", Mode::Cram));
    assert!(unnamed.is_err());
    assert_eq!(coll.store().filtered_decks().unwrap().len(), 2);
}

#[test]
fn limit_and_order_are_honoured() {
    let today = day("2026-07-01");
    let mut coll = Collection::in_memory(&bundled(), noon(today)).unwrap();
    let mut d = deck("Five", "tag:instance-family", Mode::Cram);
    d.limit = 5;
    let s = Session::start_filtered(&coll, &d, today).unwrap();
    assert_eq!(s.remaining().total(), 5);

    // Give a few cards lapses; "most lapses" puts them first.
    coll.settings.new_per_day = 100;
    let mut home = Session::start(&coll, "AWS Big Data::Instance families", today).unwrap();
    let (mut failed, mut answered) = (Vec::new(), Vec::new());
    while answered.len() < 6 {
        let id = home.current().unwrap();
        // Fail every other new card once; pass everything else (repeats change no lapses).
        let q = if !answered.contains(&id) && answered.len() % 2 == 0 {
            failed.push(id);
            1
        } else {
            5
        };
        if !answered.contains(&id) {
            answered.push(id);
        }
        home.answer(&mut coll, q, noon(today), Duration::ZERO)
            .unwrap();
    }
    d.order = Order::MostLapses;
    d.limit = 3;
    let s = Session::start_filtered(&coll, &d, today).unwrap();
    let mut shown = Vec::new();
    let mut s = s;
    while let Some(id) = s.current() {
        shown.push(id);
        s.answer(&mut coll, 5, noon(today), Duration::ZERO).unwrap();
    }
    failed.sort();
    shown.sort();
    assert_eq!(shown, failed);
}

#[test]
fn cram_answers_are_logged_and_change_nothing() {
    let today = day("2026-07-01");
    let mut coll = Collection::in_memory(&bundled(), noon(today)).unwrap();
    let before = coll.store().all_cards().unwrap();
    let cram = coll
        .store()
        .filtered_deck("Instance families")
        .unwrap()
        .unwrap();
    let mut s = Session::start_filtered(&coll, &cram, today).unwrap();
    assert_eq!(
        s.remaining().total(),
        48,
        "cram takes every matching card, new or not"
    );
    let first = s.current().unwrap();
    s.answer(&mut coll, 1, noon(today), Duration::ZERO).unwrap();
    // The failed card comes back later in the session.
    let mut between = 0;
    while s.current() != Some(first) {
        s.answer(&mut coll, 5, noon(today), Duration::ZERO).unwrap();
        between += 1;
        assert!(between < 10, "the failed card did not come back");
    }
    assert_eq!(
        coll.store().all_cards().unwrap(),
        before,
        "no SM-2 state changed"
    );
    let log = coll.store().log(None).unwrap();
    assert_eq!(log.len(), 1 + between);
    assert!(log.iter().all(|l| l.kind == ReviewKind::Cram));
    // Undo removes the log row and leaves the state as it was.
    s.undo(&mut coll, today).unwrap();
    assert_eq!(coll.store().log(None).unwrap().len(), log.len() - 1);
    assert_eq!(coll.store().all_cards().unwrap(), before);
    // Cram answers do not use up the daily new-card limit.
    assert_eq!(
        coll.left_for("", today).unwrap().new,
        40,
        "20 for each top-level deck"
    );
}

#[test]
fn scheduled_answers_behave_like_home_deck_answers() {
    let today = day("2026-07-01");
    let cards = bundled();
    let mut home = Collection::in_memory(&cards, noon(today)).unwrap();
    let mut filt = Collection::in_memory(&cards, noon(today)).unwrap();
    let d = deck(
        "Instances",
        "deck:\"AWS Big Data::Instance families\"",
        Mode::Scheduled,
    );
    let mut hs = Session::start(&home, "AWS Big Data::Instance families", today).unwrap();
    let mut fs = Session::start_filtered(&filt, &d, today).unwrap();
    for q in [5, 4, 3, 1, 4, 5] {
        let (h, f) = (hs.current().unwrap(), fs.current().unwrap());
        let hk = home.store().card(h).unwrap().key;
        let fk = filt.store().card(f).unwrap().key;
        assert_eq!(hk, fk, "same card order");
        let ha = hs
            .answer(&mut home, q, noon(today), Duration::ZERO)
            .unwrap();
        let fa = fs
            .answer(&mut filt, q, noon(today), Duration::ZERO)
            .unwrap();
        assert_eq!(ha.after, fa.after);
        assert_eq!(ha.days_until_next, fa.days_until_next);
    }
    let strip = |c: &Collection| -> Vec<_> {
        c.store()
            .log(None)
            .unwrap()
            .into_iter()
            .map(|l| (l.card_id, l.quality, l.kind, l.interval_after, l.ease_after))
            .collect()
    };
    assert_eq!(strip(&home), strip(&filt));
    assert!(strip(&filt).iter().all(|l| l.2 != ReviewKind::Cram));
    // Started again today, the scheduled deck holds the pending repeats and new cards, not
    // the cards answered 4 or 5 (due later).
    let again = Session::start_filtered(&filt, &d, today).unwrap().queued();
    for l in filt.store().log(None).unwrap() {
        let pending = filt.store().card(l.card_id).unwrap().state.repeat_pending;
        assert_eq!(again.contains(&l.card_id), pending, "card {}", l.card_id);
    }
}

#[test]
fn a_filtered_decks_count_is_the_number_of_cards_it_studies_at_any_limit_and_order() {
    // The count reads unordered and stops at the limit; the cards are read in order. Both
    // must agree for every order, mode and limit, below and above the matches.
    let d = day("2026-07-01");
    let mut coll = Collection::in_memory(&bundled(), noon(d)).unwrap();
    // Some history: a session's answers, a third of them failed, the day before.
    let before = d.pred_opt().unwrap();
    coll.settings.new_per_day = 60;
    let mut session = Session::start(&coll, "", before).unwrap();
    for i in 0..60 {
        let quality = if i % 3 == 0 { 1 } else { 4 };
        session
            .answer(&mut coll, quality, noon(before), Duration::from_secs(2))
            .unwrap();
    }
    let store = coll.store();
    let mut seen = std::collections::BTreeSet::new();
    for query in ["rated:7:1", "is:new", "tag:instance-family", "deck:*"] {
        for mode in [Mode::Scheduled, Mode::Cram] {
            for order in Order::ALL {
                for limit in [1, 7, 50, 9999] {
                    let f = FilteredDeck {
                        limit,
                        order,
                        ..deck("f", query, mode)
                    };
                    let q = f.validate().unwrap();
                    let cards = store.filtered_cards(&f, &q, d).unwrap();
                    let count = store.count_filtered(&f, &q, d).unwrap();
                    assert_eq!(
                        count as usize,
                        cards.len(),
                        "{query} {mode:?} {order:?} {limit}"
                    );
                    seen.insert(cards.len());
                }
            }
        }
    }
    // The shapes above reach both sides of the limits.
    assert!(seen.contains(&1) && seen.contains(&50) && seen.iter().any(|&n| n > 50 && n < 9999));
}
