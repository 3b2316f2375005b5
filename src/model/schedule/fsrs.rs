//! FSRS-6 scheduling of one card, one review at a time: the memory state (stability in days,
//! difficulty 1-10) after an answer and the next interval at a desired retention. The `fsrs`
//! crate does the arithmetic; this module fixes how awscards uses it: FSRS-6's 21 parameters
//! (the crate's defaults, or [`optimise`]d on the learner's own log), whole days (one review per
//! day counts, as in `evaluate`), and intervals rounded to days, at least 1 and at most a
//! maximum.
//!
//! `schedule` answers with it when the settings choose FSRS, and `evaluate` scores FSRS with it.

use chrono::NaiveDate;
use fsrs::{ComputeParametersInput, DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview, MemoryState};

/// How far a fit is (training items done and in all), and a way to stop it: the `fsrs`
/// crate's own, shared with whoever watches the fit.
pub use fsrs::CombinedProgressState as FitProgress;
use serde::{Deserialize, Serialize};

/// FSRS-6's parameters (the last one is the forgetting curve's decay).
pub type Weights = [f32; 21];

/// The parameters FSRS-6 fits to the average learner.
pub const DEFAULT_WEIGHTS: Weights = {
    let mut w = [0.0; 21];
    let mut i = 0;
    while i < 21 {
        w[i] = DEFAULT_PARAMETERS[i];
        i += 1;
    }
    w
};

/// Below this many reviews (after each card's first) the log says too little to fit 21
/// parameters, and the defaults are used.
pub const REVIEWS_TO_OPTIMISE: u32 = 400;

/// Parameters fitted to the learner's log, and what they were fitted on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Optimised {
    pub weights: Weights,
    /// The reviews they were fitted on (after each card's first).
    pub reviews: u32,
    /// The study day they were fitted.
    pub day: NaiveDate,
}

/// Which parameters are in use, in words.
pub fn describe(optimised: Option<&Optimised>) -> String {
    match optimised {
        None => "FSRS-6 defaults".into(),
        Some(o) => format!("optimised on {} of your reviews on {}", o.reviews, o.day),
    }
}

/// How FSRS schedules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FsrsConfig {
    /// The recall probability at which a card comes due (0.7-0.99).
    pub desired_retention: f64,
    /// The longest interval, in days.
    pub max_interval: u32,
    pub weights: Weights,
}

impl Default for FsrsConfig {
    fn default() -> Self {
        FsrsConfig {
            desired_retention: 0.9,
            max_interval: 36_500,
            weights: DEFAULT_WEIGHTS,
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

/// The FSRS-6 model with a set of parameters, built once for many steps.
pub struct Fsrs(FSRS);

impl Fsrs {
    /// None when the crate refuses the parameters (out of its ranges).
    pub fn new(weights: &Weights) -> Option<Fsrs> {
        FSRS::new(weights).ok().map(Fsrs)
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

/// [`Fsrs::next`] with the model for `config.weights`, built once per thread and set of
/// parameters (building it costs far more than a step: switching 10 000 cards to FSRS took a
/// minute when each answer built one).
pub fn next(
    previous: Option<(f32, f32)>,
    elapsed_days: u32,
    rating: u32,
    config: &FsrsConfig,
) -> Option<FsrsStep> {
    /// Models kept per thread (a simulation alternates two sets of parameters).
    const KEPT: usize = 4;
    thread_local! {
        static MODELS: std::cell::RefCell<Vec<(Weights, Fsrs)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    MODELS.with_borrow_mut(|models| {
        let i = match models.iter().position(|(w, _)| *w == config.weights) {
            Some(i) => i,
            None => {
                if models.len() == KEPT {
                    models.remove(0);
                }
                models.push((config.weights, Fsrs::new(&config.weights)?));
                models.len() - 1
            }
        };
        models[i].1.next(previous, elapsed_days, rating, config)
    })
}

/// Fits FSRS-6's parameters to review histories: each card's reviews as (study day, rating
/// 1-4), oldest first. A review on the day of the one before it, or before it (a clock set
/// back), is left out: FSRS learns across days. Each review after a card's first is one
/// training item (the reviews up to it). An error in words when the crate refuses the data, or
/// when `progress` asked it to stop.
pub fn optimise(
    histories: &[Vec<(NaiveDate, u32)>],
    progress: Option<std::sync::Arc<std::sync::Mutex<FitProgress>>>,
) -> Result<Weights, String> {
    let mut items = Vec::new();
    for history in histories {
        let mut reviews: Vec<FSRSReview> = Vec::with_capacity(history.len());
        let mut previous: Option<NaiveDate> = None;
        for &(day, rating) in history {
            let delta_t = match previous {
                None => 0,
                Some(p) if day <= p => continue,
                Some(p) => u32::try_from((day - p).num_days()).unwrap_or(u32::MAX),
            };
            previous = Some(day);
            reviews.push(FSRSReview { rating, delta_t });
        }
        for end in 2..=reviews.len() {
            items.push(FSRSItem {
                reviews: reviews[..end].to_vec(),
            });
        }
    }
    let input = ComputeParametersInput {
        train_set: items,
        progress,
        ..Default::default()
    };
    // The crate asserts some of what it expects of its input; its panic is reported as an
    // error, like the errors it returns.
    let fitted = std::panic::catch_unwind(|| fsrs::compute_parameters(input))
        .map_err(|_| "FSRS's optimiser failed on this log".to_string())?
        .map_err(|e| format!("FSRS could not fit parameters to the log: {e}"))?;
    Weights::try_from(fitted.as_slice())
        .map_err(|_| format!("FSRS returned {} parameters, not 21", fitted.len()))
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
/// `stability`, with the curve's `decay` (the last parameter).
pub fn retrievability(stability: f32, days: f64, decay: f64) -> f64 {
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
        assert!((retrievability(10.0, 10.0, 0.1542) - 0.9).abs() < 1e-9);
        assert!((retrievability(10.0, 10.0, 0.5) - 0.9).abs() < 1e-9);
        assert!(retrievability(10.0, 20.0, 0.5) < retrievability(10.0, 20.0, 0.1542));
    }

    #[test]
    fn same_day_and_backdated_reviews_are_left_out_of_fitting() {
        let day = |d: u32| {
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default() + chrono::Days::new(d.into())
        };
        // Every card: reviews on days 0, 0 (same day), 3, 2 (clock set back), 9, 20, 41.
        let days = [(0, 3), (0, 1), (3, 3), (2, 3), (9, 1), (20, 3), (41, 3)];
        let history: Vec<(NaiveDate, u32)> = days.iter().map(|&(d, r)| (day(d), r)).collect();
        let weights = optimise(&vec![history; 200], None).unwrap_or_else(|e| panic!("{e}"));
        assert!(weights.iter().all(|w| w.is_finite()));
        // Cards seen on one day only teach nothing, and must not stop the fit.
        let one_day = vec![vec![(day(0), 3), (day(0), 1)]; 10];
        assert!(optimise(&one_day, None).is_ok());
    }
}
