//! SM-2 as published (pure): no I/O, no clock. "Today" is passed in as a study day.
//!
//! The first review of a day follows SM-2 exactly as the `supermemo2` Python package (3.0.1)
//! computes it; with fuzz off the results are bit-for-bit the same. Same-day repeats (SM-2 step 7)
//! are logged by the caller but change neither EF, interval nor repetitions.

use super::{BadQuality, CardState, Config, PASS_FOR_TODAY};
use chrono::{Days, NaiveDate};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

pub const START_EASE: f64 = 2.5;
pub const MIN_EASE: f64 = 1.3;

/// EF' = EF + (0.1 − (5−q)·(0.08 + (5−q)·0.02)), floored at 1.3, in exactly that order.
pub fn next_ease(ease: f64, quality: u8) -> f64 {
    let d = f64::from(5 - quality.min(5));
    let next = ease + (0.1 - d * (0.08 + d * 0.02));
    if next < MIN_EASE { MIN_EASE } else { next }
}

/// The SM-2 interval after a first review of the day, before fuzz.
pub fn next_interval(state: &CardState, quality: u8) -> u32 {
    if quality < 3 {
        return 1;
    }
    match state.repetitions {
        0 => 1,
        1 => 6,
        _ => {
            let raw = (f64::from(state.interval) * state.ease).ceil();
            // Intervals beyond u32 days are not meaningful; saturate instead of wrapping.
            if raw >= f64::from(u32::MAX) {
                u32::MAX
            } else {
                raw as u32
            }
        }
    }
}

/// The most days fuzz may move an interval: ±5% of it, at least ±1 day; 0 for 2 days or less.
pub fn fuzz_range(interval: u32) -> u32 {
    if interval <= 2 {
        0
    } else {
        (interval / 20).max(1)
    }
}

/// `interval` moved by a deterministic amount within [`fuzz_range`], seeded by the card's key
/// and its repetition count.
pub fn fuzzed(interval: u32, key: &str, repetitions: u32) -> u32 {
    let range = fuzz_range(interval);
    if range == 0 {
        return interval;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(fuzz_seed(key, repetitions));
    let delta = rng.random_range(-i64::from(range)..=i64::from(range));
    let moved = i64::from(interval) + delta;
    u32::try_from(moved.max(1)).unwrap_or(interval)
}

/// FNV-1a over the key and the repetition count: stable across builds and platforms.
fn fuzz_seed(key: &str, repetitions: u32) -> u64 {
    crate::model::fnv1a(key.bytes().chain(repetitions.to_le_bytes()))
}

/// The state after answering `quality` on study day `today`.
///
/// The first answer of a day is an SM-2 review. Later answers the same day are repeats: they only
/// clear `repeat_pending` once the answer is 4 or more. A clock set back behind the last review
/// counts as the day of the last review, so intervals never go negative or zero.
pub fn answer(
    state: &CardState,
    quality: u8,
    today: NaiveDate,
    config: &Config,
    key: &str,
) -> Result<CardState, BadQuality> {
    if let Some(repeat) = same_day_repeat(state, quality, today)? {
        return Ok(repeat);
    }
    let interval = fuzz_answer(next_interval(state, quality), state, quality, config, key);
    let mut next = reviewed(state, quality, today, interval);
    next.ease = next_ease(state.ease, quality);
    Ok(next)
}

/// `interval`, given by answering `quality` on a card in `state`, with the fuzz the settings
/// ask for (none when off): seeded by the card's key and the repetitions the answer leaves,
/// whichever scheduler computed the interval.
pub fn fuzz_answer(
    interval: u32,
    state: &CardState,
    quality: u8,
    config: &Config,
    key: &str,
) -> u32 {
    if !config.fuzz {
        return interval;
    }
    let repetitions = if quality < 3 {
        0
    } else {
        state.repetitions + 1
    };
    fuzzed(interval, key, repetitions)
}

/// The session rule every scheduler keeps: a quality outside 0-5 is an error, and a later
/// answer on the day of the last review is a same-day repeat, which only clears
/// `repeat_pending` once the answer is 4 or more. None for a first review of the day.
pub fn same_day_repeat(
    state: &CardState,
    quality: u8,
    today: NaiveDate,
) -> Result<Option<CardState>, BadQuality> {
    if quality > 5 {
        return Err(BadQuality(quality));
    }
    if !state.is_repeat_on(today) {
        return Ok(None);
    }
    let mut next = *state;
    if quality >= PASS_FOR_TODAY {
        next.repeat_pending = false;
    }
    Ok(Some(next))
}

/// The bookkeeping of a first review of the day that gives `interval` days, whatever the
/// scheduler: repetitions (reset by a lapse), lapses, due day, last review, repeat flag.
pub fn reviewed(state: &CardState, quality: u8, today: NaiveDate, interval: u32) -> CardState {
    let mut next = *state;
    if quality < 3 {
        next.repetitions = 0;
        next.lapses += 1;
    } else {
        next.repetitions += 1;
    }
    next.interval = interval;
    next.due = today
        .checked_add_days(Days::new(u64::from(interval)))
        .unwrap_or(NaiveDate::MAX);
    next.is_new = false;
    next.last_review = Some(today);
    next.repeat_pending = quality < PASS_FOR_TODAY;
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzz_seed_is_stable() {
        // FNV-1a of four zero bytes, computed independently. Pinned so a change of hashing (which would reshuffle every user's schedule) is noticed.
        assert_eq!(fuzz_seed("", 0), 0x4d25_767f_9dce_13f5);
    }
}
