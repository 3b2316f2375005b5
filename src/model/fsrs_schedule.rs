//! FSRS-6 scheduling of one card, one review at a time: the memory state (stability in days,
//! difficulty 1-10) after an answer and the next interval at a desired retention. The `fsrs`
//! crate does the arithmetic; this module fixes how awscards uses it: the default FSRS-6
//! parameters, whole days (one review per day counts, as in `evaluate`), and intervals rounded
//! to days, at least 1 and at most a maximum.
//!
//! `schedule` answers with it when the settings choose FSRS, and `evaluate` scores FSRS with it.

use fsrs::{DEFAULT_PARAMETERS, FSRS, MemoryState};

/// How FSRS schedules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FsrsConfig {
    /// The recall probability at which a card comes due (0.7-0.99).
    pub desired_retention: f64,
    /// The longest interval, in days.
    pub max_interval: u32,
}

impl Default for FsrsConfig {
    fn default() -> Self {
        FsrsConfig {
            desired_retention: 0.9,
            max_interval: 36_500,
        }
    }
}

/// A card's FSRS state after a review.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FsrsStep {
    pub stability: f32,
    pub difficulty: f32,
    /// Days until the card is due.
    pub interval: u32,
}

/// The FSRS-6 model with its default parameters, built once for many steps.
pub struct Fsrs(FSRS);

impl Fsrs {
    pub fn new() -> Option<Fsrs> {
        FSRS::new(&DEFAULT_PARAMETERS).ok().map(Fsrs)
    }

    /// The state after answering `rating` (1 Again … 4 Easy) `elapsed_days` after the previous
    /// review, whose state was `previous` (None for a new card's first answer). None when the
    /// crate refuses the input (a rating outside 1-4, a state out of range).
    pub fn next(
        &self,
        previous: Option<(f32, f32)>,
        elapsed_days: u32,
        rating: u32,
        config: &FsrsConfig,
    ) -> Option<FsrsStep> {
        step(&self.0, previous, elapsed_days, rating, config)
    }
}

/// [`Fsrs::next`] with the default model, built once per thread (building it costs far more
/// than a step: switching 10 000 cards to FSRS took a minute when each answer built one).
pub fn next(
    previous: Option<(f32, f32)>,
    elapsed_days: u32,
    rating: u32,
    config: &FsrsConfig,
) -> Option<FsrsStep> {
    thread_local! {
        static MODEL: Option<Fsrs> = Fsrs::new();
    }
    MODEL.with(|m| m.as_ref()?.next(previous, elapsed_days, rating, config))
}

fn step(
    fsrs: &FSRS,
    previous: Option<(f32, f32)>,
    elapsed_days: u32,
    rating: u32,
    config: &FsrsConfig,
) -> Option<FsrsStep> {
    let previous = previous.map(|(stability, difficulty)| MemoryState {
        stability,
        difficulty,
    });
    let states = fsrs
        .next_states(previous, config.desired_retention as f32, elapsed_days)
        .ok()?;
    let state = match rating {
        1 => states.again,
        2 => states.hard,
        3 => states.good,
        4 => states.easy,
        _ => return None,
    };
    let interval = f64::from(state.interval).round().max(1.0);
    Some(FsrsStep {
        stability: state.memory.stability,
        difficulty: state.memory.difficulty,
        interval: (interval as u32).min(config.max_interval.max(1)),
    })
}

/// FSRS-6's forgetting curve: the probability of recall `days` after a review that left
/// `stability`.
pub fn retrievability(stability: f32, days: f64) -> f64 {
    let decay = f64::from(DEFAULT_PARAMETERS.get(20).copied().unwrap_or(0.5));
    let factor = 0.9f64.powf(-1.0 / decay) - 1.0;
    (1.0 + factor * days / f64::from(stability)).powf(-decay)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_card_starts_from_the_initial_stabilities() {
        let config = FsrsConfig::default();
        let good = next(None, 0, 3, &config).unwrap_or_else(|| panic!("a state"));
        assert!((good.stability - 2.3065).abs() < 1e-4);
        // At 90% desired retention the interval is the stability (FSRS's definition of S).
        assert_eq!(good.interval, 2);
        assert!(next(None, 0, 5, &config).is_none());
        let capped = FsrsConfig {
            max_interval: 3,
            ..config
        };
        assert_eq!(next(None, 0, 4, &capped).map(|s| s.interval), Some(3));
        assert!((retrievability(10.0, 10.0) - 0.9).abs() < 1e-9);
    }
}
