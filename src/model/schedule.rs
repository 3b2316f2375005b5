//! The scheduler in use: SM-2 (the default, `sm2`) or FSRS (`fsrs_schedule`), answering a card
//! and previewing its buttons. Both keep SM-2's session rule: an answer below 4 brings the card
//! back the same day, and those same-day repeats change nothing but the repeat flag.

use chrono::NaiveDate;

use super::anki::button;
use super::fsrs_schedule::{self, FsrsConfig};
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
        Algorithm::Fsrs => fsrs_answer(state, quality, today, config),
    }
}

fn fsrs_answer(
    state: &CardState,
    quality: u8,
    today: NaiveDate,
    config: &Config,
) -> Result<CardState, BadQuality> {
    if let Some(repeat) = sm2::same_day_repeat(state, quality, today)? {
        return Ok(repeat);
    }
    let previous = (!state.is_new && state.stability > 0.0)
        .then_some((state.stability as f32, state.difficulty as f32));
    let elapsed = state.last_review.map_or(0, |last| {
        u32::try_from((today - last).num_days()).unwrap_or(0)
    });
    let fsrs = FsrsConfig {
        desired_retention: config.desired_retention,
        max_interval: config.max_interval,
    };
    let step = fsrs_schedule::next(previous, elapsed, button(quality) as u32, &fsrs)
        .ok_or(BadQuality(quality))?;
    let mut next = sm2::reviewed(state, quality, today, step.interval);
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
