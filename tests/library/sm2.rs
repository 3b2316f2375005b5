//! The SM-2 engine against the published algorithm, its invariants, same-day repeats and the
//! day rollover.

use awscards::app::simulate::simulate;
use awscards::model::schedule::sm2::{MIN_EASE, answer, fuzz_range, fuzzed};
use awscards::model::schedule::{
    Algorithm, CardState, Config, Grading, Preview, interval_label, preview, study_day,
};
use chrono::{Days, NaiveDate, NaiveDateTime, TimeZone};
use proptest::prelude::*;

include!("../data/sm2_reference_table.rs");

const NO_FUZZ: Config = Config {
    fuzz: false,
    grading: Grading::FourButtons,
    rollover_hour: 4,
    algorithm: Algorithm::Sm2,
    desired_retention: 0.9,
    max_interval: 36_500,
    fsrs_parameters: None,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// Each quality answered as the first review of the card's due day.
fn run(qualities: &[u8], config: &Config, key: &str) -> Vec<CardState> {
    let mut state = CardState::new_card();
    let mut today = day(2024, 1, 1);
    let mut out = Vec::new();
    for &q in qualities {
        state = answer(&state, q, today, config, key).unwrap();
        out.push(state);
        today = state.due;
    }
    out
}

#[test]
fn reference_table_has_at_least_twenty_sequences() {
    assert!(TABLE.len() >= 20);
}

#[test]
fn engine_equals_reference_table_exactly() {
    for (qualities, expected) in TABLE {
        let states = run(qualities, &NO_FUZZ, "k");
        let got: Vec<(u32, f64, u32)> = states
            .iter()
            .map(|s| (s.repetitions, s.ease, s.interval))
            .collect();
        // Bit-for-bit equality of EF: the order of the float operations matters.
        assert_eq!(got.len(), expected.len());
        for (step, (g, e)) in got.iter().zip(expected.iter()).enumerate() {
            assert_eq!(g.0, e.0, "{qualities:?} step {step}: repetitions");
            assert_eq!(
                g.1.to_bits(),
                e.1.to_bits(),
                "{qualities:?} step {step}: ease {g:?} vs {e:?}"
            );
            assert_eq!(g.2, e.2, "{qualities:?} step {step}: interval");
        }
    }
}

#[test]
fn ease_update_order_matters_and_follows_the_reference() {
    // EF 1.5 reached by (1,2,3,4): computed as EF + (0.1 - x) it is exactly 1.5 and the next
    // interval is ceil(6 * 1.5) = 9; the other order gives 1.5000000000000002 and 10.
    let states = run(&[1, 2, 3, 4, 3], &NO_FUZZ, "k");
    assert_eq!(states[3].ease, 1.5);
    assert_eq!(states[4].interval, 9);
}

#[test]
fn good_every_day_gives_the_published_intervals() {
    let steps = simulate(&[4, 4, 4, 4, 4], &NO_FUZZ).unwrap();
    let intervals: Vec<u32> = steps.iter().map(|s| s.interval_days).collect();
    assert_eq!(intervals, [1, 6, 15, 38, 95]);
    assert!(steps.iter().all(|s| s.ease == 2.5));
}

#[test]
fn failing_counts_a_lapse_and_restarts() {
    let s = run(&[4, 4, 4, 1], &NO_FUZZ, "k");
    assert_eq!((s[3].repetitions, s[3].interval, s[3].lapses), (0, 1, 1));
    assert!(s[3].repeat_pending);
}

#[test]
fn same_day_repeats_change_nothing_until_passed() {
    let today = day(2024, 3, 1);
    let first = answer(&CardState::new_card(), 4, today, &NO_FUZZ, "k").unwrap();
    let mut s = answer(&first, 2, first.due, &NO_FUZZ, "k").unwrap();
    assert!(s.repeat_pending);
    let after_fail = s;
    // Repeats the same day, below 4: logged by the caller, but state stays.
    for q in [0, 1, 3] {
        s = answer(&s, q, first.due, &NO_FUZZ, "k").unwrap();
        assert_eq!(s, after_fail, "repeat with q={q} changed the state");
    }
    // A 4 clears the repeat, and still changes neither EF, I nor n.
    s = answer(&s, 4, first.due, &NO_FUZZ, "k").unwrap();
    assert!(!s.repeat_pending);
    assert_eq!(
        (s.ease, s.interval, s.repetitions, s.due),
        (
            after_fail.ease,
            after_fail.interval,
            after_fail.repetitions,
            after_fail.due
        )
    );
    // A hard (3) first review is also shown again today.
    let hard = answer(&CardState::new_card(), 3, today, &NO_FUZZ, "k").unwrap();
    assert!(hard.repeat_pending);
    let good = answer(&CardState::new_card(), 4, today, &NO_FUZZ, "k").unwrap();
    assert!(!good.repeat_pending);
}

#[test]
fn quality_above_five_is_an_error() {
    assert!(answer(&CardState::new_card(), 6, day(2024, 1, 1), &NO_FUZZ, "k").is_err());
    assert!(simulate(&[4, 7], &NO_FUZZ).is_err());
}

#[test]
fn preview_shows_each_button_and_changes_nothing() {
    let s = run(&[4, 4], &NO_FUZZ, "k")[1];
    let p: Vec<(u8, u32, bool)> = preview(&s, s.due, &NO_FUZZ, "k")
        .iter()
        .map(|p| (p.quality, p.interval, p.again_today))
        .collect();
    assert_eq!(
        p,
        vec![(1, 1, true), (3, 15, true), (4, 15, false), (5, 15, false)]
    );
    // A new card graded Again or Hard comes back today: the button says so, not just "1d".
    let labels: Vec<String> = preview(&CardState::new_card(), s.due, &NO_FUZZ, "k")
        .iter()
        .map(Preview::label)
        .collect();
    assert_eq!(labels, ["today · 1d", "today · 1d", "1d", "1d"]);
    // Good and Easy both give 1 day: what Easy does differ in, the ease, is said.
    let new = preview(&CardState::new_card(), s.due, &NO_FUZZ, "k");
    let notes: Vec<Option<String>> = new.iter().map(|p| p.ease_note(&new)).collect();
    assert_eq!(
        notes,
        [
            Some("ease −0.54".to_string()),
            Some("ease −0.14".to_string()),
            None,
            Some("ease +0.10".to_string())
        ]
    );
    // "today" explained; a button that does not bring the card back today needs no words.
    assert_eq!(
        new[0].explained().as_deref(),
        Some("You will see it again in this session; then in 1 day.")
    );
    assert_eq!(new[2].explained(), None);
    // A learned card: Hard, Good and Easy keep SM-2's one interval, and say their eases.
    let learned = preview(&s, s.due, &NO_FUZZ, "k");
    let notes: Vec<Option<String>> = learned.iter().map(|p| p.ease_note(&learned)).collect();
    assert_eq!(
        notes,
        [
            None,
            Some("ease −0.14".to_string()),
            None,
            Some("ease +0.10".to_string())
        ]
    );
    // Under FSRS intervals differ and no ease is said.
    let fsrs = Config {
        algorithm: awscards::model::schedule::Algorithm::Fsrs,
        ..NO_FUZZ
    };
    let p = preview(&CardState::new_card(), s.due, &fsrs, "k");
    assert!(p.iter().all(|x| x.ease_note(&p).is_none()), "{p:?}");
    let six = Config {
        grading: Grading::SixGrades,
        ..NO_FUZZ
    };
    assert_eq!(preview(&s, s.due, &six, "k").len(), 6);
}

#[test]
fn rollover_splits_days_at_four() {
    assert_eq!(study_day(at("2024-05-06 03:59"), 4), day(2024, 5, 5));
    assert_eq!(study_day(at("2024-05-06 04:00"), 4), day(2024, 5, 6));
    assert_eq!(study_day(at("2024-05-06 02:00"), 4), day(2024, 5, 5));
    assert_eq!(study_day(at("2024-05-06 00:30"), 0), day(2024, 5, 6));
}

#[test]
fn rollover_on_dst_days_uses_wall_clock_time() {
    // Europe/Berlin-like change: clocks jump from 02:00 to 03:00 on 2024-03-31, and from 03:00
    // back to 02:00 on 2024-10-27. Wall-clock times around 04:00 still split the day at 04:00.
    let berlin = chrono::FixedOffset::east_opt(3600).unwrap();
    let summer = chrono::FixedOffset::east_opt(7200).unwrap();
    let spring_0359 = summer
        .with_ymd_and_hms(2024, 3, 31, 3, 59, 0)
        .unwrap()
        .naive_local();
    let spring_0400 = summer
        .with_ymd_and_hms(2024, 3, 31, 4, 0, 0)
        .unwrap()
        .naive_local();
    assert_eq!(study_day(spring_0359, 4), day(2024, 3, 30));
    assert_eq!(study_day(spring_0400, 4), day(2024, 3, 31));
    // The autumn day has 25 hours; 02:30 happens twice and belongs to the previous study day both
    // times.
    let first_0230 = summer
        .with_ymd_and_hms(2024, 10, 27, 2, 30, 0)
        .unwrap()
        .naive_local();
    let second_0230 = berlin
        .with_ymd_and_hms(2024, 10, 27, 2, 30, 0)
        .unwrap()
        .naive_local();
    assert_eq!(study_day(first_0230, 4), day(2024, 10, 26));
    assert_eq!(study_day(second_0230, 4), day(2024, 10, 26));
    // A review just before and after the DST change still gets a positive interval.
    let s = answer(
        &CardState::new_card(),
        4,
        study_day(first_0230, 4),
        &NO_FUZZ,
        "k",
    )
    .unwrap();
    assert!(s.due > study_day(second_0230, 4));
}

#[test]
fn clock_set_backwards_never_gives_zero_or_negative_intervals() {
    let s = run(&[4, 4, 4], &NO_FUZZ, "k")[2];
    let last = s.last_review.unwrap();
    // The clock now says a day well before the last review.
    let earlier = last.checked_sub_days(Days::new(30)).unwrap();
    let after = answer(&s, 5, earlier, &NO_FUZZ, "k").unwrap();
    // It counts as another answer on the day of the last review: nothing moves backwards.
    assert_eq!(
        (after.interval, after.due, after.ease),
        (s.interval, s.due, s.ease)
    );
    assert!(after.due > earlier);
}

#[test]
fn fuzz_is_bounded_deterministic_and_off_for_short_intervals() {
    assert_eq!(fuzz_range(1), 0);
    assert_eq!(fuzz_range(2), 0);
    assert_eq!(fuzz_range(3), 1);
    assert_eq!(fuzz_range(100), 5);
    assert_eq!(fuzzed(2, "a", 3), 2);
    // Different keys spread a 100-day interval over several values.
    let spread: std::collections::BTreeSet<u32> = (0..50)
        .map(|i| fuzzed(100, &format!("card{i}"), 4))
        .collect();
    assert!(spread.len() > 3, "{spread:?}");
    assert!(spread.iter().all(|d| (95..=105).contains(d)));
}

#[test]
fn fuzz_leaves_the_first_two_intervals_alone() {
    let fuzz = Config::default();
    let with: Vec<u32> = run(
        &[4, 4, 4, 4, 4, 4],
        &fuzz,
        "integration/s3/writer/emr/cloze",
    )
    .iter()
    .map(|s| s.interval)
    .collect();
    assert_eq!(&with[..2], &[1, 6]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn ease_never_below_floor(qs in prop::collection::vec(0u8..=5, 1..60)) {
        for s in run(&qs, &NO_FUZZ, "k") {
            prop_assert!(s.ease >= MIN_EASE);
        }
    }

    #[test]
    fn failing_resets(qs in prop::collection::vec(0u8..=5, 0..30), fail in 0u8..3) {
        let mut all = qs.clone();
        all.push(fail);
        let last = *run(&all, &NO_FUZZ, "k").last().unwrap();
        prop_assert_eq!(last.repetitions, 0);
        prop_assert_eq!(last.interval, 1);
    }

    #[test]
    fn passing_intervals_never_shrink(qs in prop::collection::vec(4u8..=5, 1..25)) {
        let states = run(&qs, &NO_FUZZ, "k");
        for w in states.windows(2) {
            prop_assert!(w[1].interval >= w[0].interval, "{:?}", states);
        }
    }

    #[test]
    fn fuzz_within_bounds_and_deterministic(interval in 0u32..100_000, key in ".{0,40}", reps in 0u32..100) {
        let f = fuzzed(interval, &key, reps);
        prop_assert_eq!(f, fuzzed(interval, &key, reps));
        let range = fuzz_range(interval);
        prop_assert!(f.abs_diff(interval) <= range);
        prop_assert!(f64::from(range) <= (f64::from(interval) * 0.05).max(1.0));
        prop_assert!(f >= 1 || interval == 0);
    }

    #[test]
    fn fuzz_off_equals_fuzz_free_formula(qs in prop::collection::vec(0u8..=5, 1..40)) {
        // With fuzz, only intervals > 2 move, and every interval stays positive.
        let plain = run(&qs, &NO_FUZZ, "k");
        let fuzzy = run(&qs, &Config::default(), "k");
        for (p, f) in plain.iter().zip(&fuzzy) {
            prop_assert!(f.interval >= 1);
            prop_assert_eq!(p.repetitions, f.repetitions);
            prop_assert_eq!(p.ease.to_bits(), f.ease.to_bits());
        }
    }

    #[test]
    fn simulate_never_panics(qs in prop::collection::vec(any::<u8>(), 0..200), fuzz in any::<bool>()) {
        let config = Config { fuzz, ..Config::default() };
        let result = simulate(&qs, &config);
        prop_assert_eq!(result.is_ok(), qs.iter().all(|q| *q <= 5));
    }

    #[test]
    fn any_day_any_answer_gives_positive_interval(
        qs in prop::collection::vec((0u8..=5, -400i64..400), 1..40),
    ) {
        let mut s = CardState::new_card();
        let base = day(2024, 1, 1);
        for (q, offset) in qs {
            let today = if offset >= 0 {
                base.checked_add_days(Days::new(offset as u64)).unwrap()
            } else {
                base.checked_sub_days(Days::new((-offset) as u64)).unwrap()
            };
            s = answer(&s, q, today, &Config::default(), "k").unwrap();
            prop_assert!(s.interval >= 1);
            prop_assert!(s.due > s.last_review.unwrap());
        }
    }
}

#[test]
fn interval_labels_are_short() {
    assert_eq!(interval_label(15), "15d");
}
