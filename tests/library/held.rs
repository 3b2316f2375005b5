//! What a deck's session holds back today: its buried cards and the cards a reached limit
//! keeps waiting, counted; custom study raises today's limits (today only) or studies the
//! deck's forgotten cards.

use crate::common;

use std::time::Duration;

use awscards::app::session::Session;
use awscards::model::held::CustomStudy;
use chrono::{Days, NaiveDate};

use common::{noon, open_on};

const DAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 3, 2) {
    Some(d) => d,
    None => panic!("a date"),
};

#[test]
fn a_reached_new_card_limit_is_counted_and_custom_study_raises_it_for_today() {
    let dir = tempfile::tempdir().unwrap();
    let mut coll = open_on(&dir.path().join("c.sqlite"), DAY);
    coll.settings.new_per_day = 2;
    coll.settings.bury_siblings = false;
    let deck = "AWS Big Data::Instance families";
    let new_in_deck = coll.store().backlog(deck, DAY).unwrap().new;
    assert!(new_in_deck > 5);
    // Nothing held back before the limit is reached.
    assert_eq!(
        coll.held_back(deck, DAY).unwrap().reasons(),
        Vec::<String>::new()
    );
    let mut session = Session::start(&coll, deck, DAY).unwrap();
    while session.current().is_some() {
        session
            .answer(&mut coll, 5, noon(DAY), Duration::from_secs(1))
            .unwrap();
    }
    assert_eq!(session.answered().len(), 2);
    let held = coll.held_back(deck, DAY).unwrap();
    assert_eq!(held.new_limit, Some(2));
    assert_eq!(held.new_waiting, new_in_deck - 2);
    assert_eq!(
        held.reasons(),
        [format!(
            "Daily new-card limit reached (2): {} new cards waiting.",
            new_in_deck - 2
        )]
    );
    // Custom study: 3 more today; the session goes on with exactly 3.
    coll.study_more_today(3, 0, DAY).unwrap();
    assert_eq!(coll.left_for(deck, DAY).unwrap().new, 3);
    session.reload(&coll, DAY).unwrap();
    assert_eq!(session.remaining().new, 3);
    assert_eq!(coll.held_back(deck, DAY).unwrap().new_limit, None);
    // Saved with the settings; tomorrow the limit is the usual one again.
    assert_eq!(coll.store().load_settings().unwrap().0.extra_today.new, 3);
    let tomorrow = DAY.checked_add_days(Days::new(1)).unwrap();
    assert_eq!(coll.left_for(deck, tomorrow).unwrap().new, 2);
}

#[test]
fn custom_study_of_forgotten_cards_studies_todays_agains_of_the_deck() {
    let dir = tempfile::tempdir().unwrap();
    let mut coll = open_on(&dir.path().join("c.sqlite"), DAY);
    coll.settings.bury_siblings = false;
    let deck = "AWS Big Data::Instance families";
    let mut session = Session::start(&coll, deck, DAY).unwrap();
    let mut forgotten = Vec::new();
    for q in [1, 4, 1, 5] {
        let id = session.current().unwrap();
        session
            .answer(&mut coll, q, noon(DAY), Duration::from_secs(1))
            .unwrap();
        if q == 1 {
            forgotten.push(id);
        }
    }
    let f = CustomStudy::Forgotten { days: 1 }.filtered(deck).unwrap();
    let mut studied = Session::start_filtered(&coll, &f, DAY).unwrap().queued();
    studied.sort_unstable();
    forgotten.sort_unstable();
    assert_eq!(studied, forgotten);
}
