//! The scheduler in use: SM-2 (the default, `sm2`) or FSRS (`fsrs_schedule`), answering a card
//! and previewing its buttons. Both keep SM-2's session rule: an answer below 4 brings the card
//! back the same day, and those same-day repeats change nothing but the repeat flag.

use chrono::NaiveDate;

use super::anki::button;
use super::fsrs_schedule;
use super::sm2::{self, Algorithm, BadQuality, CardState, Config, Preview};

/// The state after answering `quality` on study day `today`, by the scheduler `config` names.
pub fn answer(
    state: &CardState,
    quality: u8,
    today: NaiveDate,
    config: &Config,
    key: &str,
) -> Result<CardState, BadQuality> {
    match config.algorithm {
        Algorithm::Sm2 => sm2::answer(state, quality, today, config, key),
        Algorithm::Fsrs => fsrs_answer(state, quality, today, config, key),
    }
}

fn fsrs_answer(
    state: &CardState,
    quality: u8,
    today: NaiveDate,
    config: &Config,
    key: &str,
) -> Result<CardState, BadQuality> {
    if let Some(repeat) = sm2::same_day_repeat(state, quality, today)? {
        return Ok(repeat);
    }
    let previous = (!state.is_new && state.stability > 0.0)
        .then_some((state.stability as f32, state.difficulty as f32));
    let elapsed = state.last_review.map_or(0, |last| {
        u32::try_from((today - last).num_days()).unwrap_or(0)
    });
    let step = fsrs_schedule::next(previous, elapsed, button(quality) as u32, &config.fsrs())
        .ok_or(BadQuality(quality))?;
    // Fuzz as SM-2's, so that cards learned together do not stay due together.
    let interval = sm2::fuzz_answer(step.interval, state, quality, config, key)
        .min(config.max_interval.max(1));
    let mut next = sm2::reviewed(state, quality, today, interval);
    next.stability = f64::from(step.stability);
    next.difficulty = f64::from(step.difficulty);
    Ok(next)
}

/// What each grade of the grading mode would do now.
pub fn preview(state: &CardState, today: NaiveDate, config: &Config, key: &str) -> Vec<Preview> {
    config
        .grading
        .qualities()
        .into_iter()
        .filter_map(|quality| {
            answer(state, quality, today, config, key)
                .ok()
                .map(|s| Preview {
                    quality,
                    interval: s.interval,
                    again_today: s.repeat_pending,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sm2::{Algorithm, fuzz_range};

    #[test]
    fn fsrs_intervals_are_fuzzed_like_sm2s_when_fuzz_is_on() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        let later = day + chrono::Days::new(20);
        let exact = Config {
            algorithm: Algorithm::Fsrs,
            fuzz: false,
            ..Config::default()
        };
        let fuzzy = Config {
            fuzz: true,
            ..exact
        };
        let mut moved = 0;
        for i in 0..50 {
            let key = format!("card-{i}");
            let first = answer(&CardState::new_card(), 5, day, &exact, &key)
                .unwrap_or_else(|e| panic!("{e}"));
            let plain = answer(&first, 4, later, &exact, &key).unwrap_or_else(|e| panic!("{e}"));
            let fuzzed = answer(&first, 4, later, &fuzzy, &key).unwrap_or_else(|e| panic!("{e}"));
            assert!(plain.interval > 2);
            assert!(plain.interval.abs_diff(fuzzed.interval) <= fuzz_range(plain.interval));
            assert_eq!(plain.stability, fuzzed.stability);
            moved += usize::from(plain.interval != fuzzed.interval);
            // Deterministic: the same card and answer give the same interval.
            let again = answer(&first, 4, later, &fuzzy, &key).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(again, fuzzed);
        }
        assert!(moved > 10, "fuzz moved only {moved} of 50 intervals");
    }
}
