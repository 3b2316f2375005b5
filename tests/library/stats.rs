//! Statistics: the pure functions on hand-made inputs, and the report of a collection with a
//! seeded review log against hand-computed answers (and the per-day summary against the log).

use std::collections::BTreeMap;
use std::time::Duration;

use awscards::app::collection::{CardScope, Collection};
use awscards::app::session::Session;
use awscards::model::card::ReviewKind;
use awscards::model::cardgen::Card;
use awscards::model::schedule::CardState;
use awscards::model::stats::{
    self, DayRow, ForecastDay, StatsReport, Tally, forecast, heatmap_grid, retention, streaks,
};
use awscards::store::AnswerRecord;
use chrono::{DateTime, Days, FixedOffset, NaiveDate};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn ago(today: NaiveDate, n: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(n)).unwrap()
}

#[test]
fn forecast_counts_each_day_and_keeps_overdue_apart() {
    let today = day("2026-11-26");
    let due = [
        (day("2026-11-20"), 3),
        (day("2026-11-25"), 2),
        (today, 4),
        (day("2026-11-28"), 1),
        (day("2026-12-25"), 7),
        (day("2026-12-26"), 9), // the 31st day: outside a 30-day forecast
    ];
    let f = forecast(&due, today, 30);
    assert_eq!(f.overdue, 5);
    assert_eq!(f.days.len(), 30);
    assert_eq!(f.days[0], ForecastDay { day: today, due: 4 });
    assert_eq!(f.days[1].due, 0);
    assert_eq!(
        f.days[2],
        ForecastDay {
            day: day("2026-11-28"),
            due: 1
        }
    );
    assert_eq!(
        f.days[29],
        ForecastDay {
            day: day("2026-12-25"),
            due: 7
        }
    );
    assert_eq!(f.days.iter().map(|d| d.due).sum::<u32>(), 12);
}

#[test]
fn heatmap_grid_is_a_calendar_of_weeks_ending_today() {
    // Thursday 26 November 2026.
    let today = day("2026-11-26");
    let answers: BTreeMap<NaiveDate, u32> = [
        (today, 40),
        (day("2026-11-23"), 10), // Monday of this week
        (day("2026-11-22"), 1),  // Sunday of last week
        (day("2025-11-27"), 20), // the first day in range (364 days ago)
        (day("2025-11-26"), 99), // a year ago: out of range, and not the busiest day
    ]
    .into_iter()
    .collect();
    let grid = heatmap_grid(&answers, today);
    assert_eq!(grid.cells.len(), 365);
    // 27 November 2025 is a Thursday: its week starts on Monday 24 November 2025.
    let first = grid.cells[0];
    assert_eq!(
        (first.day, first.week, first.weekday),
        (day("2025-11-27"), 0, 3)
    );
    assert_eq!((first.reviews, first.level), (20, 2));
    let last = *grid.cells.last().unwrap();
    assert_eq!(
        (last.day, last.weekday, last.reviews, last.level),
        (today, 3, 40, 4)
    );
    assert_eq!(grid.weeks, last.week + 1);
    assert_eq!(grid.weeks, 53);
    let monday = grid.cell(last.week, 0).unwrap();
    assert_eq!(
        (monday.day, monday.reviews, monday.level),
        (day("2026-11-23"), 10, 1)
    );
    let sunday = grid.cell(last.week - 1, 6).unwrap();
    assert_eq!(
        (sunday.day, sunday.reviews, sunday.level),
        (day("2026-11-22"), 1, 1)
    );
    assert_eq!(
        grid.cell(last.week, 1).unwrap().level,
        0,
        "no answers: no shade"
    );
    // After today, and before the first day, there are no cells.
    assert!(grid.cell(last.week, 4).is_none());
    assert!(grid.cell(0, 2).is_none());
    // Every day once, in order.
    assert!(
        grid.cells
            .windows(2)
            .all(|w| w[0].day.succ_opt() == Some(w[1].day))
    );
}

#[test]
fn streaks_count_consecutive_study_days() {
    let today = day("2026-11-26");
    let days = |offsets: &[u64]| offsets.iter().map(|n| ago(today, *n)).collect::<Vec<_>>();
    // Today, yesterday and the day before; earlier a run of 4.
    assert_eq!(streaks(&days(&[0, 1, 2, 5, 6, 7, 8]), today), (3, 4));
    // Nothing yet today: the streak that ended yesterday still stands.
    assert_eq!(streaks(&days(&[1, 2]), today), (2, 2));
    // The day before yesterday was the last: broken.
    assert_eq!(streaks(&days(&[2, 3, 4]), today), (0, 3));
    // Order and repeats do not matter; days after today (a wrong clock) do not count.
    let mut shuffled = days(&[1, 0, 1, 2]);
    shuffled.push(day("2026-11-27"));
    assert_eq!(streaks(&shuffled, today), (3, 3));
    assert_eq!(streaks(&[], today), (0, 0));
}

fn row(
    today: NaiveDate,
    days_ago: u64,
    deck: &str,
    young: (u32, u32),
    mature: (u32, u32),
) -> DayRow {
    DayRow {
        day: ago(today, days_ago),
        deck: deck.into(),
        answers: young.1 + mature.1,
        again: 0,
        time_ms: 0,
        young: Tally {
            passed: young.0,
            reviews: young.1,
        },
        mature: Tally {
            passed: mature.0,
            reviews: mature.1,
        },
    }
}

#[test]
fn retention_sums_each_window_and_each_deck() {
    let today = day("2026-11-26");
    let rows = [
        row(today, 0, "A::X", (3, 4), (1, 1)),
        row(today, 6, "A::Y", (1, 2), (0, 0)),
        row(today, 7, "A::X", (0, 1), (5, 5)),
        row(today, 29, "B", (2, 2), (0, 3)),
        row(today, 364, "B", (1, 1), (1, 1)),
        row(today, 365, "B", (9, 9), (9, 9)), // outside every window
    ];
    let r = retention(&rows, today);
    assert_eq!(
        r.young.days_7,
        Tally {
            passed: 4,
            reviews: 6
        }
    );
    assert_eq!(
        r.young.days_30,
        Tally {
            passed: 6,
            reviews: 9
        }
    );
    assert_eq!(
        r.young.days_365,
        Tally {
            passed: 7,
            reviews: 10
        }
    );
    assert_eq!(
        r.mature.days_7,
        Tally {
            passed: 1,
            reviews: 1
        }
    );
    assert_eq!(
        r.mature.days_30,
        Tally {
            passed: 6,
            reviews: 9
        }
    );
    assert_eq!(r.mature.days_365.rate(), Some(0.7));
    assert_eq!(Tally::default().rate(), None);
    let by_deck = stats::retention_by_deck(&rows, today);
    let names: Vec<&str> = by_deck.iter().map(|d| d.deck.as_str()).collect();
    assert_eq!(names, ["A", "A::X", "A::Y", "B"]);
    assert_eq!(
        by_deck[0].retention.young.days_30,
        Tally {
            passed: 4,
            reviews: 7
        }
    );
    assert_eq!(
        by_deck[1].retention.mature.days_30,
        Tally {
            passed: 6,
            reviews: 6
        }
    );
    assert_eq!(
        by_deck[3].retention.mature.days_365,
        Tally {
            passed: 1,
            reviews: 4
        }
    );
}

fn card(key: &str, deck: &str) -> Card {
    Card {
        key: key.into(),
        deck: deck.into(),
        front: format!("front {key}"),
        back: "back".into(),
        note: None,
        tags: vec!["t".into()],
        source: None,
        source_url: None,
    }
}

/// Records an answer to `key` on `on` (a study day, at noon) that leaves the card with
/// `interval` days, the interval before being the card's own.
fn answer(coll: &mut Collection, key: &str, on: NaiveDate, quality: u8, interval: u32) {
    let card = coll.store().card_by_key(key).unwrap().unwrap();
    let before = card.state;
    let after = CardState {
        is_new: false,
        repetitions: before.repetitions + 1,
        interval,
        due: on.checked_add_days(Days::new(u64::from(interval))).unwrap(),
        last_review: Some(on),
        ..before
    };
    let kind = if before.is_new {
        ReviewKind::New
    } else {
        ReviewKind::Review
    };
    coll.store_mut()
        .answer(&AnswerRecord {
            card_id: card.id,
            reviewed_at: on.and_hms_opt(12, 0, 0).unwrap().and_utc().fixed_offset(),
            study_day: on,
            quality,
            kind,
            time_taken_ms: 10_000,
            before,
            after,
        })
        .unwrap();
}

/// A collection with a hand-made history (today is Thursday 26 November 2026):
/// - a (A::X): new 40 days ago (q4 → 30 d), reviewed 10 days ago at 30 d (q5 → 40 d, mature
///   pass), today at 40 d (q2 → 1 d, mature fail);
/// - b (A::Y): new 3 days ago (q4 → 5 d), reviewed yesterday at 5 d (q3 → 6 d, young pass),
///   today at 6 d (q4 → 7 d, young pass);
/// - c (B): new today (q1 → 1 d);
/// - d (B) and e (A::X): never answered.
fn seeded() -> (Collection, NaiveDate) {
    let today = day("2026-11-26");
    let cards = [
        card("a", "A::X"),
        card("b", "A::Y"),
        card("c", "B"),
        card("d", "B"),
        card("e", "A::X"),
    ];
    let mut coll = Collection::in_memory(&cards, at("2026-11-26T12:00:00+00:00")).unwrap();
    answer(&mut coll, "a", ago(today, 40), 4, 30);
    answer(&mut coll, "a", ago(today, 10), 5, 40);
    answer(&mut coll, "a", today, 2, 1);
    answer(&mut coll, "b", ago(today, 3), 4, 5);
    answer(&mut coll, "b", ago(today, 1), 3, 6);
    answer(&mut coll, "b", today, 4, 7);
    answer(&mut coll, "c", today, 1, 1);
    (coll, today)
}

fn report(coll: &Collection, scope: CardScope) -> StatsReport {
    coll.stats_report(&scope).unwrap()
}

#[test]
fn a_seeded_log_gives_the_hand_computed_report() {
    let (coll, today) = seeded();
    let r = report(&coll, CardScope::All);
    assert_eq!(r.today.answers, 3);
    assert_eq!(r.today.cards, 3);
    assert_eq!(r.today.time_ms, 30_000);
    // a (q2) and c (q1) were below 3: 2 of 3.
    assert_eq!(r.today.again_rate, Some(2.0 / 3.0));
    // Days with answers: 40, 10, 3, 1 and 0 days ago.
    assert_eq!((r.streak_days, r.longest_streak_days), (2, 2));
    let heat: Vec<(NaiveDate, u32)> = r.heatmap.iter().map(|d| (d.day, d.reviews)).collect();
    assert_eq!(
        heat,
        [
            (ago(today, 40), 1),
            (ago(today, 10), 1),
            (ago(today, 3), 1),
            (ago(today, 1), 1),
            (today, 3)
        ]
    );
    // Reviews (not new cards): a at 30 d 10 days ago (pass), a at 40 d today (fail), b at 5 d
    // yesterday (pass), b at 6 d today (pass).
    assert_eq!(
        r.retention.young.days_7,
        Tally {
            passed: 2,
            reviews: 2
        }
    );
    assert_eq!(
        r.retention.mature.days_7,
        Tally {
            passed: 0,
            reviews: 1
        }
    );
    assert_eq!(
        r.retention.mature.days_30,
        Tally {
            passed: 1,
            reviews: 2
        }
    );
    let decks: Vec<&str> = r
        .retention_by_deck
        .iter()
        .map(|d| d.deck.as_str())
        .collect();
    // B's only answer was a new card's: a row, with nothing to retain.
    assert_eq!(decks, ["A", "A::X", "A::Y", "B"]);
    assert_eq!(r.retention_by_deck[3].retention, Default::default());
    // Due: a tomorrow (1 d), b in 7 days, c tomorrow.
    assert_eq!(r.overdue, 0);
    assert_eq!(r.forecast.len(), stats::FORECAST_DAYS as usize);
    assert_eq!(r.forecast[1].due, 2);
    assert_eq!(r.forecast[7].due, 1);
    assert_eq!(r.forecast.iter().map(|d| d.due).sum::<u32>(), 3);
    // By state: a mature interval 1 after a lapse is young; d and e new.
    assert_eq!(
        (
            r.states.new,
            r.states.young,
            r.states.mature,
            r.states.total()
        ),
        (2, 3, 0, 5)
    );
    assert_eq!(
        (
            r.counts.cards,
            r.counts.reviews_total,
            r.counts.reviews_today
        ),
        (5, 7, 3)
    );
    // Eases: untouched by these hand-made answers (2.5) for the three cards in review.
    let eases: Vec<(f64, u32)> = r
        .ease_histogram
        .iter()
        .filter(|b| b.cards > 0)
        .map(|b| (b.ease, b.cards))
        .collect();
    assert_eq!(eases, [(2.5, 3)]);

    // A deck, and a search: only their cards' answers.
    let a = report(&coll, CardScope::Deck("A".into()));
    assert_eq!(
        (a.today.answers, a.today.cards, a.counts.reviews_total),
        (2, 2, 6)
    );
    assert_eq!(
        a.retention.mature.days_30,
        Tally {
            passed: 1,
            reviews: 2
        }
    );
    assert_eq!(a.states.total(), 3);
    let b = report(&coll, CardScope::Search("deck:B".into()));
    assert_eq!(
        (b.today.answers, b.counts.reviews_total, b.streak_days),
        (1, 1, 1)
    );
    assert_eq!(b.retention.young.days_365, Tally::default());
    assert_eq!((b.states.new, b.states.young), (1, 1));
    assert!(coll.stats_report(&CardScope::Deck("Nope".into())).is_err());
}

#[test]
fn the_seeded_log_gives_the_hand_computed_charts_in_json() {
    // The JSON `stats --json` prints (the report, serialized as the CLI does).
    let (coll, today) = seeded();
    let r = serde_json::to_value(report(&coll, CardScope::All)).unwrap();
    // Learned cards: a at 1 d, b at 7 d, c at 1 d. Nearest rank of 3: 2nd, 3rd, 3rd, 3rd.
    assert_eq!(
        r["intervals"],
        serde_json::json!({
            "cards": 3, "mean_days": 3.0,
            "percentiles": [
                {"percent": 50, "days": 1}, {"percent": 75, "days": 7},
                {"percent": 90, "days": 7}, {"percent": 95, "days": 7}],
            "days": [{"days": 1, "cards": 2}, {"days": 7, "cards": 1}]
        })
    );
    // Again: a today (q2, mature 40 d) and c (q1, new). Hard: b yesterday (young). Good: a and
    // b new, b today (young). Easy: a 10 days ago (mature 30 d).
    assert_eq!(
        r["buttons"],
        serde_json::json!([
            {"button": "Again", "learning": 1, "young": 0, "mature": 1},
            {"button": "Hard", "learning": 0, "young": 1, "mature": 0},
            {"button": "Good", "learning": 2, "young": 1, "mature": 0},
            {"button": "Easy", "learning": 0, "young": 0, "mature": 1}
        ])
    );
    // Every answer at 12:00 local time, five of seven at 3 or more.
    let hours = r["hours"].as_array().unwrap();
    assert_eq!(hours.len(), 24);
    assert_eq!(
        hours[12],
        serde_json::json!({"hour": 12, "passed": 5, "reviews": 7, "rate": 5.0 / 7.0})
    );
    assert!(
        hours
            .iter()
            .filter(|h| h["hour"] != 12)
            .all(|h| h["reviews"] == 0)
    );
    assert_eq!(
        r["added"],
        serde_json::json!([{"day": today.to_string(), "cards": 5}])
    );
    // Reviews only: today b young pass, a mature fail; yesterday b young pass; 10 days ago a
    // mature pass.
    let t = |p: u32, n: u32| serde_json::json!({"passed": p, "reviews": n, "rate": (n > 0).then(|| f64::from(p) / f64::from(n))});
    let row = |period: &str, young: serde_json::Value, mature, total| serde_json::json!({"period": period, "young": young, "mature": mature, "total": total});
    assert_eq!(
        r["true_retention"],
        serde_json::json!([
            row("today", t(1, 1), t(0, 1), t(1, 2)),
            row("yesterday", t(1, 1), t(0, 0), t(1, 1)),
            row("week", t(2, 2), t(0, 1), t(2, 3)),
            row("month", t(2, 2), t(1, 2), t(3, 4)),
            row("year", t(2, 2), t(1, 2), t(3, 4)),
        ])
    );
    // A deck's charts count its cards only: B holds c (Again, new) and d (new, unanswered).
    let b = serde_json::to_value(report(&coll, CardScope::Deck("B".into()))).unwrap();
    assert_eq!(b["buttons"][0]["learning"], 1);
    assert_eq!(b["hours"][12]["reviews"], 1);
    assert_eq!(b["intervals"]["cards"], 1);
}

#[test]
fn a_search_for_a_deck_gives_the_decks_statistics() {
    // A deck's statistics read the daily summary; a search's count its cards' log rows one by
    // one. Both must say the same, young and mature apart, on every day.
    let (mut coll, today) = seeded();
    answer(&mut coll, "e", ago(today, 2), 1, 25);
    answer(&mut coll, "d", ago(today, 400), 4, 3);
    for deck in ["A", "A::X", "A::Y", "B"] {
        let by_deck = report(&coll, CardScope::Deck(deck.into()));
        let by_search = report(&coll, CardScope::Search(format!("deck:{deck}")));
        let (d, s) = (
            serde_json::to_value(&by_deck).unwrap(),
            serde_json::to_value(&by_search).unwrap(),
        );
        for key in d.as_object().unwrap().keys() {
            assert_eq!(s[key], d[key], "{deck}: {key}");
        }
        assert!(by_deck.counts.reviews_total > 0, "{deck}");
    }
}

#[test]
fn the_daily_summary_follows_answers_undo_and_deck_moves() {
    let (mut coll, today) = seeded();
    assert_eq!(coll.store().review_days_problems().unwrap(), []);
    // Undo through a session: the summary loses the answer.
    let mut session = Session::start(&coll, "", today).unwrap();
    let now = coll.now();
    session
        .answer(&mut coll, 4, now, Duration::from_secs(5))
        .unwrap();
    assert_eq!(report(&coll, CardScope::All).today.answers, 4);
    session.undo(&mut coll, today).unwrap();
    assert_eq!(report(&coll, CardScope::All).today.answers, 3);
    assert_eq!(coll.store().review_days_problems().unwrap(), []);
    // The facts move b to deck B: its answers go with it.
    let moved = [
        card("a", "A::X"),
        card("b", "B"),
        card("c", "B"),
        card("d", "B"),
        card("e", "A::X"),
    ];
    coll.store_mut().sync_cards(&moved, today, None).unwrap();
    assert_eq!(coll.store().review_days_problems().unwrap(), []);
    assert_eq!(
        report(&coll, CardScope::Deck("B".into()))
            .counts
            .reviews_total,
        4
    );
    assert_eq!(
        report(&coll, CardScope::Deck("A".into()))
            .counts
            .reviews_total,
        3
    );
}

#[test]
fn check_finds_a_summary_out_of_step_and_repair_rebuilds_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let cards = [card("a", "A"), card("b", "A")];
    let now = at("2026-11-26T12:00:00+00:00");
    let today = day("2026-11-26");
    {
        let mut store = awscards::store::Store::open(&db, now.naive_local()).unwrap();
        store.sync_cards(&cards, today, None).unwrap();
        let settings = store.settings().unwrap();
        let mut coll =
            Collection::with_store(store, settings, awscards::app::clock::Clock::Fixed(now));
        answer(&mut coll, "a", today, 4, 1);
    }
    let tamper = rusqlite::Connection::open(&db).unwrap();
    tamper
        .execute("UPDATE review_days SET answers = 5", [])
        .unwrap();
    drop(tamper);
    let store = awscards::store::Store::open(&db, now.naive_local()).unwrap();
    let settings = store.settings().unwrap();
    let mut coll = Collection::with_store(store, settings, awscards::app::clock::Clock::Fixed(now));
    assert_eq!(
        coll.store().review_days_problems().unwrap(),
        [(today, "A".to_string())]
    );
    let report = coll.check().unwrap();
    assert_eq!(report.review_days_out_of_step, 1);
    assert!(!report.ok());
    let done = coll.repair().unwrap();
    assert!(done.review_days && !done.search_index);
    assert_eq!(coll.store().review_days_problems().unwrap(), []);
    assert!(coll.check().unwrap().ok());
}

#[test]
fn an_answer_before_the_rollover_hour_counts_for_the_day_before() {
    let cards = [card("a", "A"), card("b", "A")];
    let thursday = day("2026-11-26");
    let mut coll = Collection::in_memory(&cards, at("2026-11-26T12:00:00+00:00")).unwrap();
    assert_eq!(coll.settings.scheduler.rollover_hour, 4);
    let mut session = Session::start(&coll, "", thursday).unwrap();
    // 03:59 on Thursday is still Wednesday's study day; 04:00 is Thursday's.
    for time in ["2026-11-26T03:59:00+00:00", "2026-11-26T04:00:00+00:00"] {
        session
            .answer(&mut coll, 4, at(time), Duration::from_secs(5))
            .unwrap();
    }
    let r = report(&coll, CardScope::All);
    let heat: Vec<(NaiveDate, u32)> = r.heatmap.iter().map(|d| (d.day, d.reviews)).collect();
    assert_eq!(heat, [(day("2026-11-25"), 1), (thursday, 1)]);
    assert_eq!((r.today.answers, r.streak_days), (1, 2));
}
