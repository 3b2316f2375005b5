//! How awscards' cards and answers map to an Anki package (schema 11, as Anki's legacy
//! `.apkg` writes it, which Anki 2.1.50 and later import): pure functions, no SQL, no files.
//!
//! The mapping, one awscards card to one Anki note and card:
//! - note: note type "Basic" (fields Front, Back), guid = the card key (the CSV export's guid
//!   too, so either route updates the same note), Back = the answer, then the card's note
//!   after a blank line (as in the CSV), tags as they are (and `leech` for a leech), the deck
//!   path as the deck name; the card's flag as Anki's (1 red, 2 orange, 3 green, 4 blue);
//! - card, with scheduling: a new card is Anki's new card (type 0, queue 0) in introduction
//!   order; any other card is a review card (type 2, queue 2, or -1 when suspended) with
//!   interval = SM-2 interval, factor = ease x 1000, due = its due day counted in days from
//!   the package's creation day, lapses = lapses, reps = its answers in the log. Anki has no
//!   SM-2 same-day repeat: a card failed today is simply due tomorrow there, as here.
//! - review log, one Anki revlog row per answer: button from the quality (1 Again for
//!   qualities 0-2, 2 Hard for 3, 3 Good for 4, 4 Easy for 5), ivl = interval after, lastIvl =
//!   interval before, factor = ease after x 1000, time = time taken (ms), type = 0 learn (a new
//!   card's first answer), 1 review, 2 relearn (a same-day repeat), 3 filtered (cram); the id
//!   is the answer's time in ms since 1970, made unique.
//! - without scheduling: every card new, no review log.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::card::{ReviewKind, day_from_number, day_number};
use super::schedule::CardState;

/// The package's one note type.
pub const NOTETYPE_ID: i64 = 1_700_000_000_000;
/// Anki's default deck and options group.
pub const DEFAULT_DECK_ID: i64 = 1;
/// Anki's field separator in a note's `flds`.
pub const FIELD_SEPARATOR: char = '\u{1f}';
/// How many days before the oldest date it holds the package's collection is "created", so
/// that every due day counts positive days from it.
const CREATION_MARGIN_DAYS: i64 = 30;

/// Anki's card fields for a card's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnkiSchedule {
    pub ctype: i64,
    pub queue: i64,
    pub due: i64,
    pub ivl: i64,
    pub factor: i64,
}

/// The schedule of a card: `position` orders new cards, `crt_day` is the package's creation
/// day. Without scheduling every card is new.
pub fn schedule(
    state: &CardState,
    suspended: bool,
    position: i64,
    crt_day: NaiveDate,
    with_scheduling: bool,
) -> AnkiSchedule {
    if state.is_new || !with_scheduling {
        return AnkiSchedule {
            ctype: 0,
            queue: if suspended && with_scheduling { -1 } else { 0 },
            due: position + 1,
            ivl: 0,
            factor: 0,
        };
    }
    AnkiSchedule {
        ctype: 2,
        queue: if suspended { -1 } else { 2 },
        due: (state.due - crt_day).num_days(),
        ivl: i64::from(state.interval.max(1)),
        factor: ease_factor(state.ease),
    }
}

pub fn ease_factor(ease: f64) -> i64 {
    (ease * 1000.0).round() as i64
}

/// The package's creation day: before every due day and answer it holds, so that due days
/// count forward from it.
pub fn creation_day(today: NaiveDate, earliest: Option<NaiveDate>) -> NaiveDate {
    let first = earliest.map_or(today, |d| d.min(today));
    first
        .checked_sub_days(chrono::Days::new(CREATION_MARGIN_DAYS as u64))
        .unwrap_or(first)
}

/// Anki's answer button for a quality.
pub fn button(quality: u8) -> i64 {
    match quality {
        0..=2 => 1,
        3 => 2,
        4 => 3,
        _ => 4,
    }
}

/// The quality an Anki button stands for (the four-button mapping).
pub fn quality_of_button(button: i64) -> Option<u8> {
    match button {
        1 => Some(1),
        2 => Some(3),
        3 => Some(4),
        4 => Some(5),
        _ => None,
    }
}

/// Anki's revlog type for an answer's kind.
pub fn revlog_type(kind: ReviewKind) -> i64 {
    match kind {
        ReviewKind::New => 0,
        ReviewKind::Review => 1,
        ReviewKind::Repeat => 2,
        ReviewKind::Cram => 3,
    }
}

/// Revlog ids for answers at `times_ms` (in log order): each answer's time, moved on by a
/// millisecond at a time past any id already `taken` (Anki's revlog id is its time and its
/// key). Returns the ids, and leaves them in `taken`.
pub fn revlog_ids(times_ms: &[i64], taken: &mut HashSet<i64>) -> Vec<i64> {
    // Where the search for a free id resumes for each time: many answers can share one time
    // (an import from elsewhere, a synthetic log), and probing from the time each time would
    // be quadratic in their number.
    let mut resume: HashMap<i64, i64> = HashMap::new();
    times_ms
        .iter()
        .map(|t| {
            let mut id = resume.get(t).copied().unwrap_or(*t);
            while !taken.insert(id) {
                id += 1;
            }
            resume.insert(*t, id + 1);
            id
        })
        .collect()
}

/// How long after its answer an exported answer's Anki id can be: [`revlog_ids`] moves an id
/// on by a millisecond at a time past the ids already taken, which in a log where thousands of
/// answers share one time (an import from elsewhere, a synthetic log) adds up to seconds. A
/// minute: no learner answers one card twice with one button within it on two devices.
pub const ID_SHIFT_MS: i64 = 60_000;

/// Which of a card's answers from a package (`(id, button)`, Anki's id being the answer's time
/// in ms, in id order) the card's log (`(time in ms, button)`) holds already, under another
/// Anki id or none (a copy of the collection from before an export gave the ids): a logged
/// answer with the same button at the id's millisecond or up to [`ID_SHIFT_MS`] before it.
/// Each logged answer stands for one answer of the package at most.
pub fn logged_already(log: &[(i64, i64)], answers: &[(i64, i64)]) -> Vec<bool> {
    let mut log: Vec<(i64, i64)> = log.to_vec();
    log.sort_unstable();
    let mut used = vec![false; log.len()];
    answers
        .iter()
        .map(|&(id, button)| {
            let from = log.partition_point(|&(t, _)| t < id.saturating_sub(ID_SHIFT_MS));
            let found = (from..log.len())
                .take_while(|&i| log[i].0 <= id)
                .find(|&i| !used[i] && log[i].1 == button);
            if let Some(i) = found {
                used[i] = true;
            }
            found.is_some()
        })
        .collect()
}

/// A deck's id in the package: stable for a name (so that packages exported twice name the
/// same deck), positive, below the ids Anki gives by time.
pub fn deck_id(name: &str) -> i64 {
    let h = super::fnv1a(name.bytes());
    1_000_000 + (h % 1_000_000_000_000) as i64
}

/// A note's fields as Anki stores them.
pub fn fields(front: &str, back: &str, note: Option<&str>) -> String {
    let mut flds = String::with_capacity(front.len() + back.len() + 1);
    flds.push_str(front);
    flds.push(FIELD_SEPARATOR);
    flds.push_str(back);
    if let Some(note) = note {
        flds.push_str("\n\n");
        flds.push_str(note);
    }
    flds
}

/// The `col` row's JSON: configuration, the Basic note type, the decks (each deck and every
/// parent, as Anki needs them), the default options group.
pub struct ColJson {
    pub conf: String,
    pub models: String,
    pub decks: String,
    pub dconf: String,
}

/// `deck_names`: every deck the cards are in; `rollover_hour`: when the study day starts;
/// `minutes_west`: the local time's offset from UTC, as Anki stores it.
pub fn col_json(deck_names: &[&str], rollover_hour: u32, minutes_west: i32) -> ColJson {
    let conf = json!({
        "schedVer": 2,
        "sched2021": true,
        "rollover": rollover_hour,
        "creationOffset": minutes_west,
        "curModel": NOTETYPE_ID,
        "activeDecks": [DEFAULT_DECK_ID],
        "curDeck": DEFAULT_DECK_ID,
        "newSpread": 0,
        "collapseTime": 1200,
        "timeLim": 0,
        "estTimes": true,
        "dueCounts": true,
        "nextPos": 1,
        "sortType": "noteFld",
        "sortBackwards": false,
        "addToCur": true,
        "dayLearnFirst": false
    });
    let field = |name: &str, ord: u32| {
        json!({"name": name, "ord": ord, "sticky": false, "rtl": false, "font": "Arial",
               "size": 20, "description": "", "plainText": false, "collapsed": false,
               "excludeFromSearch": false})
    };
    let models = json!({ NOTETYPE_ID.to_string(): {
        "id": NOTETYPE_ID,
        "name": "Basic",
        "type": 0,
        "mod": 0,
        "usn": -1,
        "sortf": 0,
        "did": null,
        "tmpls": [{
            "name": "Card 1", "ord": 0, "qfmt": "{{Front}}",
            "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
            "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0
        }],
        "flds": [field("Front", 0), field("Back", 1)],
        "css": ".card {\n    font-family: arial;\n    font-size: 20px;\n    text-align: center;\n    color: black;\n    background-color: white;\n}\n",
        "latexPre": "",
        "latexPost": "",
        "latexsvg": false,
        "req": [[0, "any", [0]]]
    }});
    let names = super::decks::with_parents(deck_names);
    let deck = |id: i64, name: &str| {
        json!({"id": id, "mod": 0, "name": name, "usn": -1, "lrnToday": [0, 0],
               "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0],
               "collapsed": false, "browserCollapsed": false, "desc": "", "dyn": 0,
               "conf": 1, "extendNew": 0, "extendRev": 0})
    };
    let mut decks = serde_json::Map::new();
    decks.insert(
        DEFAULT_DECK_ID.to_string(),
        deck(DEFAULT_DECK_ID, "Default"),
    );
    for name in &names {
        decks.insert(deck_id(name).to_string(), deck(deck_id(name), name));
    }
    let dconf = json!({"1": {
        "id": 1, "mod": 0, "name": "Default", "usn": -1, "maxTaken": 60, "autoplay": true,
        "timer": 0, "replayq": true, "dyn": false,
        "new": {"bury": false, "delays": [1.0, 10.0], "initialFactor": 2500, "ints": [1, 4, 0],
                "order": 1, "perDay": 20},
        "rev": {"bury": false, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200,
                "hardFactor": 1.2},
        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1,
                  "mult": 0.0}
    }});
    ColJson {
        conf: conf.to_string(),
        models: models.to_string(),
        decks: Value::Object(decks).to_string(),
        dconf: dconf.to_string(),
    }
}

/// Days since 1970 of the creation day, in seconds at the start of its local day: Anki's `crt`.
pub fn creation_stamp(crt_day: NaiveDate, minutes_west: i32) -> i64 {
    day_number(crt_day) * 86_400 + i64::from(minutes_west) * 60
}

/// The creation day of an Anki collection created at `crt` (seconds), as Anki counts its days
/// from it: the local calendar date of `crt` (Anki's today is the days since it, less one
/// before the rollover hour: our study day less this day).
pub fn creation_day_of(crt: i64, minutes_west: i32) -> NaiveDate {
    day_from_number((crt - i64::from(minutes_west) * 60).div_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buttons_and_qualities_map_both_ways() {
        assert_eq!((0..=5).map(button).collect::<Vec<_>>(), [1, 1, 1, 2, 3, 4]);
        for b in 1..=4 {
            assert_eq!(quality_of_button(b).map(button), Some(b));
        }
        assert_eq!(quality_of_button(0), None);
        assert_eq!(quality_of_button(5), None);
    }

    #[test]
    fn answers_are_recognised_by_card_time_and_button() {
        // Three answers logged at one millisecond, exported as 1000, 1001, 1002; one at 5000.
        let log = [(1_000, 3), (1_000, 3), (1_000, 1), (5_000, 3)];
        let answers = [
            (1_000, 3),
            (1_001, 3),
            (1_002, 1),
            (1_003, 3),
            (5_000, 2),
            (90_000, 3),
        ];
        assert_eq!(
            logged_already(&log, &answers),
            [true, true, true, false, false, false]
        );
        // Never before the logged answer, never more than the shift after it.
        assert_eq!(logged_already(&[(5_000, 3)], &[(4_999, 3)]), [false]);
        assert_eq!(logged_already(&[(5_000, 3)], &[(65_001, 3)]), [false]);
        assert_eq!(logged_already(&[(5_000, 3)], &[(65_000, 3)]), [true]);
    }

    #[test]
    fn revlog_ids_are_the_times_made_unique() {
        let mut taken: HashSet<i64> = [1_000, 2_000].into_iter().collect();
        let ids = revlog_ids(&[1_000, 1_000, 1_500, 2_000, 1_001], &mut taken);
        assert_eq!(ids, [1_001, 1_002, 1_500, 2_001, 1_003]);
        assert_eq!(taken.len(), 7);
        // 20 000 answers at one time: each gets the next free id, in linear time.
        let many = revlog_ids(&vec![5_000; 20_000], &mut taken);
        assert_eq!(many.first(), Some(&5_000));
        assert_eq!(many.last(), Some(&24_999));
    }

    #[test]
    fn schedules_count_due_days_from_the_creation_day() {
        let crt = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let mut state = CardState::new_card();
        assert_eq!(
            schedule(&state, false, 4, crt, true),
            AnkiSchedule {
                ctype: 0,
                queue: 0,
                due: 5,
                ivl: 0,
                factor: 0
            }
        );
        state.is_new = false;
        state.interval = 12;
        state.ease = 2.36;
        state.due = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default();
        assert_eq!(
            schedule(&state, true, 4, crt, true),
            AnkiSchedule {
                ctype: 2,
                queue: -1,
                due: 31,
                ivl: 12,
                factor: 2360
            }
        );
        assert_eq!(schedule(&state, true, 4, crt, false).ctype, 0);
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        assert!(creation_day(today, Some(crt)) < crt);
    }

    #[test]
    fn decks_have_stable_ids_and_every_parent() {
        assert_eq!(deck_id("A::B"), deck_id("A::B"));
        assert_ne!(deck_id("A::B"), deck_id("A::C"));
        let col = col_json(&["A::B::C", "A::D"], 4, 0);
        let decks: serde_json::Value = serde_json::from_str(&col.decks).unwrap_or_default();
        let mut names: Vec<&str> = decks
            .as_object()
            .map(|m| m.values().filter_map(|d| d["name"].as_str()).collect())
            .unwrap_or_default();
        names.sort_unstable();
        assert_eq!(names, ["A", "A::B", "A::B::C", "A::D", "Default"]);
        assert_eq!(fields("q", "a", Some("n")), "q\u{1f}a\n\nn");
    }
}
