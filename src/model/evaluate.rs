//! How well SM-2 and FSRS predict the learner's own recall: each review of a card is predicted
//! from the reviews before it, and the predictions are scored by log loss and RMSE over bins,
//! as the open srs-benchmark does.
//!
//! - One review per card and study day counts (the day's first answer; same-day repeats and
//!   cram answers say little about memory across days); the first is only learned from.
//! - Recall means quality 3 or more (Hard or better).
//! - SM-2 has no forgetting curve of its own; as in srs-benchmark, its interval is read as the
//!   time at which recall falls to 90%: R = 0.9^(t / interval).
//! - FSRS: the memory state after the earlier reviews (`schedule::fsrs`: the `fsrs` crate, with
//!   the parameters in use: FSRS-6's defaults or those fitted to this same log, which then
//!   predict it in-sample, as Anki's evaluation does), and its retrievability after the
//!   elapsed days.
//! - RMSE (bins): predictions are put in 20 bins (finer near 1, where most fall: the binning of
//!   the `fsrs` crate's own calibration measure); per bin, the mean prediction against the
//!   share recalled, weighted by the bin's reviews.

use super::schedule::fsrs::{
    self, DEFAULT_WEIGHTS, Fsrs, FsrsConfig, Optimised, REVIEWS_TO_OPTIMISE, Weights,
    retrievability,
};
use chrono::NaiveDate;
use serde::Serialize;

use super::anki::button;

/// One review of a card: its study day, quality, and the interval SM-2 gave after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    pub day: NaiveDate,
    pub quality: u8,
    pub interval_after: u32,
}

/// Which scheduler predicted better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Recommended {
    Sm2,
    Fsrs,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Reviews predicted (each card's first review is only learned from).
    pub reviews: u32,
    pub sm2_log_loss: f64,
    pub fsrs_log_loss: f64,
    pub sm2_rmse_bins: f64,
    pub fsrs_rmse_bins: f64,
    pub recommended: Recommended,
    /// The FSRS parameters used, in words.
    pub fsrs_parameters: String,
    /// The recommendation in plain words.
    pub advice: String,
}

/// FSRS's memory state (stability in days, difficulty 1-10) after each review of a history,
/// with the parameters `weights`; None if the crate refuses the history.
pub fn memory_states(history: &[Review], weights: &Weights) -> Option<Vec<(f32, f32)>> {
    memory_states_with(&Fsrs::new(weights)?, history)
}

fn memory_states_with(fsrs: &Fsrs, history: &[Review]) -> Option<Vec<(f32, f32)>> {
    let config = FsrsConfig::default();
    let mut previous: Option<(&Review, (f32, f32))> = None;
    history
        .iter()
        .map(|r| {
            let elapsed = previous.map_or(0, |(p, _)| days_between(p.day, r.day));
            let rating = button(r.quality) as u32;
            let step = fsrs.next(previous.map(|(_, s)| s), elapsed, rating, &config)?;
            let state = (step.stability, step.difficulty);
            previous = Some((r, state));
            Some(state)
        })
        .collect()
}

/// FSRS's predicted recall of each review after the first, from the memory state before it.
pub fn fsrs_recall(history: &[Review], weights: &Weights) -> Option<Vec<f64>> {
    recall_with(&Fsrs::new(weights)?, f64::from(weights[20]), history)
}

fn recall_with(fsrs: &Fsrs, decay: f64, history: &[Review]) -> Option<Vec<f64>> {
    let states = memory_states_with(fsrs, history)?;
    Some(
        history
            .windows(2)
            .zip(states)
            .map(|(pair, (stability, _))| {
                let days = f64::from(days_between(pair[0].day, pair[1].day));
                retrievability(stability, days, decay)
            })
            .collect(),
    )
}

/// Scores both schedulers on `histories` (each card's reviews, oldest first, one per day), FSRS
/// with the parameters in use. None when no review can be predicted (no card was reviewed on
/// two days). `step` is called after each history; when it returns false, scoring stops.
pub fn evaluate(
    histories: &[Vec<Review>],
    optimised: Option<&Optimised>,
    step: &mut dyn FnMut() -> bool,
) -> Result<Option<Evaluation>, Stopped> {
    let weights = optimised.map_or(DEFAULT_WEIGHTS, |o| o.weights);
    let Some(fsrs) = Fsrs::new(&weights) else {
        return Ok(None);
    };
    let decay = f64::from(weights[20]);
    let mut sm2 = Scores::default();
    let mut fs = Scores::default();
    for history in histories {
        if !step() {
            return Err(Stopped);
        }
        if history.len() < 2 {
            continue;
        }
        let Some(recall) = recall_with(&fsrs, decay, history) else {
            continue;
        };
        for (pair, r) in history.windows(2).zip(recall) {
            let (before, now) = (pair[0], pair[1]);
            let t = days_between(before.day, now.day) as f64;
            let recalled = now.quality >= 3;
            let interval = f64::from(before.interval_after.max(1));
            sm2.add(0.9f64.powf(t / interval), recalled);
            fs.add(r, recalled);
        }
    }
    if sm2.count() == 0 {
        return Ok(None);
    }
    let reviews = sm2.count();
    let (sm2_log_loss, fsrs_log_loss) = (sm2.log_loss(), fs.log_loss());
    let recommended = if reviews >= REVIEWS_TO_OPTIMISE && fsrs_log_loss < sm2_log_loss {
        Recommended::Fsrs
    } else {
        Recommended::Sm2
    };
    let advice = match (recommended, reviews >= REVIEWS_TO_OPTIMISE) {
        (Recommended::Fsrs, _) => format!(
            "FSRS predicts your recall better than SM-2 on your {reviews} reviews (log loss \
             {fsrs_log_loss:.3} against {sm2_log_loss:.3}): it would schedule your cards \
             closer to when you are about to forget them."
        ),
        (Recommended::Sm2, true) => format!(
            "SM-2 predicts your recall as well as FSRS or better on your {reviews} reviews \
             (log loss {sm2_log_loss:.3} against {fsrs_log_loss:.3}): keep SM-2."
        ),
        (Recommended::Sm2, false) => format!(
            "Only {reviews} reviews can be predicted so far (each card's first review only \
             teaches): too few to tell the two apart (from {REVIEWS_TO_OPTIMISE} on). Keep SM-2 \
             for now."
        ),
    };
    let advice = if optimised.is_none() && reviews >= REVIEWS_TO_OPTIMISE {
        format!(
            "{advice} FSRS used its default parameters here; fitted to your log (Settings > \
             Optimise, or `awscards settings --optimize`) it usually predicts better still."
        )
    } else {
        advice
    };
    Ok(Some(Evaluation {
        reviews,
        sm2_log_loss,
        fsrs_log_loss,
        sm2_rmse_bins: sm2.rmse_bins(),
        fsrs_rmse_bins: fs.rmse_bins(),
        recommended,
        fsrs_parameters: fsrs::describe(optimised),
        advice,
    }))
}

/// A scoring stopped before its end (Cancel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// The reviews FSRS can learn from (each card's after its first).
pub fn predictable_reviews(histories: &[Vec<Review>]) -> u32 {
    let n: usize = histories.iter().map(|h| h.len().saturating_sub(1)).sum();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// FSRS-6's parameters fitted to `histories` on study day `today`; None while they hold fewer
/// than [`REVIEWS_TO_OPTIMISE`] reviews to learn from (the defaults stay in use). `progress`
/// counts the fit's steps and can stop it (an error then).
pub fn optimise(
    histories: &[Vec<Review>],
    today: NaiveDate,
    progress: Option<std::sync::Arc<std::sync::Mutex<fsrs::FitProgress>>>,
) -> Result<Option<Optimised>, String> {
    let reviews = predictable_reviews(histories);
    if reviews < REVIEWS_TO_OPTIMISE {
        return Ok(None);
    }
    let rated: Vec<Vec<(NaiveDate, u32)>> = histories
        .iter()
        .map(|h| {
            h.iter()
                .map(|r| (r.day, button(r.quality) as u32))
                .collect()
        })
        .collect();
    let weights = fsrs::optimise(&rated, progress)?;
    Ok(Some(Optimised {
        weights,
        reviews,
        day: today,
    }))
}

fn days_between(a: NaiveDate, b: NaiveDate) -> u32 {
    u32::try_from((b - a).num_days()).unwrap_or(0)
}

/// Predictions and outcomes.
#[derive(Debug, Default)]
struct Scores {
    predicted: Vec<f64>,
    recalled: Vec<bool>,
}

impl Scores {
    fn add(&mut self, p: f64, recalled: bool) {
        self.predicted.push(p.clamp(1e-4, 1.0 - 1e-4));
        self.recalled.push(recalled);
    }

    fn count(&self) -> u32 {
        u32::try_from(self.predicted.len()).unwrap_or(u32::MAX)
    }

    fn log_loss(&self) -> f64 {
        let total: f64 = self
            .predicted
            .iter()
            .zip(&self.recalled)
            .map(|(p, y)| if *y { -p.ln() } else { -(1.0 - p).ln() })
            .sum();
        total / self.predicted.len().max(1) as f64
    }

    fn rmse_bins(&self) -> f64 {
        const BINS: usize = 20;
        let mut bins = [(0.0f64, 0.0f64, 0.0f64); BINS];
        for (p, y) in self.predicted.iter().zip(&self.recalled) {
            let b = &mut bins[bin(*p, BINS)];
            b.0 += p;
            b.1 += f64::from(u8::from(*y));
            b.2 += 1.0;
        }
        let (sum, count) = bins
            .iter()
            .filter(|b| b.2 > 0.0)
            .fold((0.0, 0.0), |(s, c), (p, y, n)| {
                (s + ((p - y) / n).powi(2) * n, c + n)
            });
        (sum / count.max(1.0)).sqrt()
    }
}

/// The bin of a prediction: exp(p * ln(bins + 1)) - 1, so that bins narrow towards 1.
fn bin(p: f64, bins: usize) -> usize {
    let log_base = ((bins + 1) as f64).ln();
    let x = ((p * log_base).exp() - 1.0).floor();
    (x.max(0.0) as usize).min(bins - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(n)))
            .unwrap_or_default()
    }

    #[test]
    fn scores_follow_the_definitions() {
        let mut s = Scores::default();
        s.add(0.9, true);
        s.add(0.9, false);
        s.add(0.5, true);
        let expected = (-(0.9f64.ln()) - (0.1f64.ln()) - (0.5f64.ln())) / 3.0;
        assert!((s.log_loss() - expected).abs() < 1e-12);
        // Bins: 0.9 and 0.9 together (mean 0.9, half recalled), 0.5 alone (recalled).
        assert_ne!(bin(0.9, 20), bin(0.5, 20));
        let rmse = ((2.0 * 0.4f64.powi(2) + 0.5f64.powi(2)) / 3.0).sqrt();
        assert!((s.rmse_bins() - rmse).abs() < 1e-12);
        assert_eq!((bin(0.0, 20), bin(1.0, 20)), (0, 19));
    }

    #[test]
    fn sm2_reads_its_interval_as_90_percent_recall() {
        // One card: reviewed on day 0 (interval 4), then exactly 4 days later, recalled.
        let history = vec![
            Review {
                day: day(0),
                quality: 4,
                interval_after: 4,
            },
            Review {
                day: day(4),
                quality: 4,
                interval_after: 10,
            },
        ];
        let e = evaluate(std::slice::from_ref(&history), None, &mut || true)
            .unwrap()
            .unwrap_or_else(|| panic!("one review to predict"));
        assert_eq!(e.reviews, 1);
        assert!((e.sm2_log_loss - (-(0.9f64.ln()))).abs() < 1e-9);
        assert!(e.fsrs_log_loss > 0.0 && e.fsrs_log_loss.is_finite());
        assert_eq!(e.recommended, Recommended::Sm2, "too few reviews to switch");
        assert_eq!(evaluate(&[vec![]], None, &mut || true), Ok(None));
        // Stopped after the first of three cards: no result.
        let mut steps = 0;
        let stopped = evaluate(&vec![history; 3], None, &mut || {
            steps += 1;
            steps < 2
        });
        assert_eq!((stopped, steps), (Err(Stopped), 2));
    }
}
