//! A simulated learner whose memory follows a known forgetting curve (FSRS-6 with known
//! parameters), studied for a year:
//! - an average learner (FSRS-6's default parameters) by FSRS at 90% desired retention lands
//!   within 3 points of 90%; SM-2's retention and workload are printed next to it;
//! - a learner who forgets faster than average is scheduled too late by the defaults; the
//!   parameters fitted to a year of their log bring the next year back to 90%.
//!
//! `cargo test --test library fsrs_simulation -- --nocapture` prints the figures.

use awscards::model::evaluate::{self, Review};
use awscards::model::schedule::fsrs::{DEFAULT_WEIGHTS, FsrsConfig, Weights, next, retrievability};
use awscards::model::schedule::sm2::{self};
use awscards::model::schedule::{CardState, Config};
use chrono::{Days, NaiveDate};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// One card: the learner's true memory and the scheduler's estimate of it (stability,
/// difficulty), when it was last reviewed and when the scheduler has it due, SM-2's state
/// when SM-2 schedules, and the log.
struct Card {
    truth: Option<(f32, f32)>,
    belief: Option<(f32, f32)>,
    last: u32,
    due: u32,
    sm2: CardState,
    log: Vec<Review>,
}

/// Reviews and recalls of a year (1 000 cards, 10 new a day for the first 100 days), and each
/// card's log.
#[derive(Debug, Default)]
struct Outcome {
    reviews: u32,
    recalled: u32,
    histories: Vec<Vec<Review>>,
}

impl Outcome {
    fn retention(&self) -> f64 {
        f64::from(self.recalled) / f64::from(self.reviews.max(1))
    }
}

/// A year of study of a learner whose memory follows FSRS with `learner`'s parameters, by
/// FSRS with `scheduler`'s parameters at 90% desired retention, or by SM-2 (None).
fn simulate(learner: &Weights, scheduler: Option<&Weights>, seed: u64) -> Outcome {
    let truth_config = FsrsConfig {
        weights: *learner,
        ..FsrsConfig::default()
    };
    let belief_config = FsrsConfig {
        weights: *scheduler.unwrap_or(&DEFAULT_WEIGHTS),
        ..FsrsConfig::default()
    };
    let decay = f64::from(learner[20]);
    let sm2_config = Config {
        fuzz: false,
        ..Config::default()
    };
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let date = |day: u32| start.checked_add_days(Days::new(u64::from(day))).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cards: Vec<Card> = Vec::new();
    let mut outcome = Outcome::default();
    for day in 0..365u32 {
        if day < 100 {
            for _ in 0..10 {
                cards.push(Card {
                    truth: None,
                    belief: None,
                    last: day,
                    due: day,
                    sm2: CardState::new_card(),
                    log: Vec::new(),
                });
            }
        }
        for card in cards.iter_mut().filter(|c| c.due <= day) {
            let elapsed = day - card.last;
            // The learner: recall with the true forgetting curve (a new card is learned).
            let recalled = match card.truth {
                None => true,
                Some((stability, _)) => {
                    let p = retrievability(stability, f64::from(elapsed), decay);
                    let recalled = rng.random_bool(p.clamp(0.0, 1.0));
                    outcome.reviews += 1;
                    outcome.recalled += u32::from(recalled);
                    recalled
                }
            };
            let rating = if recalled { 3 } else { 1 };
            let truth = next(card.truth, elapsed, rating, &truth_config).unwrap();
            card.truth = Some((truth.stability, truth.difficulty));
            let belief = next(card.belief, elapsed, rating, &belief_config).unwrap();
            card.belief = Some((belief.stability, belief.difficulty));
            card.last = day;
            let quality = if recalled { 4 } else { 1 };
            let interval = if scheduler.is_some() {
                belief.interval
            } else {
                card.sm2 = sm2::answer(&card.sm2, quality, date(day), &sm2_config, "k").unwrap();
                card.sm2.interval.max(1)
            };
            card.due = day + interval;
            card.log.push(Review {
                day: date(day),
                quality,
                interval_after: interval,
            });
        }
    }
    outcome.histories = cards.into_iter().map(|c| c.log).collect();
    outcome
}

#[test]
fn fsrs_at_90_percent_keeps_a_simulated_learner_near_90_percent() {
    let fsrs = simulate(&DEFAULT_WEIGHTS, Some(&DEFAULT_WEIGHTS), 11);
    let sm2 = simulate(&DEFAULT_WEIGHTS, None, 11);
    println!(
        "simulated year, 1 000 cards: FSRS (desired 90%) retention {:.1}% over {} reviews; \
         SM-2 retention {:.1}% over {} reviews",
        fsrs.retention() * 100.0,
        fsrs.reviews,
        sm2.retention() * 100.0,
        sm2.reviews
    );
    assert!(
        (fsrs.retention() - 0.90).abs() <= 0.03,
        "FSRS retention {:.3}",
        fsrs.retention()
    );
    assert!(fsrs.reviews > 5_000 && sm2.reviews > 5_000);
}

#[test]
fn parameters_fitted_to_a_fast_forgetters_log_bring_retention_back_to_the_target() {
    // Stabilities after a first answer and growth after a success far below the average
    // learner's: the defaults wait too long for this learner.
    let mut forgetful = DEFAULT_WEIGHTS;
    for w in &mut forgetful[0..4] {
        *w *= 0.25;
    }
    forgetful[8] -= 0.8;
    let with_defaults = simulate(&forgetful, Some(&DEFAULT_WEIGHTS), 5);
    let day = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    // Asked to stop, the fit stops with an error and fits nothing.
    let stopping = awscards::model::schedule::fsrs::FitProgress::new_shared();
    stopping.lock().unwrap().want_abort = true;
    assert!(evaluate::optimise(&with_defaults.histories, day, Some(stopping)).is_err());
    // To its end, it counts its steps.
    let counted = awscards::model::schedule::fsrs::FitProgress::new_shared();
    let fitted = evaluate::optimise(&with_defaults.histories, day, Some(counted.clone()))
        .unwrap()
        .expect("a year of reviews is enough to fit");
    assert_eq!(
        fitted.reviews,
        evaluate::predictable_reviews(&with_defaults.histories)
    );
    let counted = counted.lock().unwrap();
    assert!(counted.total() > 0 && counted.current() == counted.total());
    let with_fitted = simulate(&forgetful, Some(&fitted.weights), 6);
    // The fitted parameters also predict the log they were fitted on better.
    let scored = |weights| {
        let o = awscards::model::schedule::fsrs::Optimised {
            weights,
            reviews: 0,
            day,
        };
        evaluate::evaluate(&with_defaults.histories, Some(&o), &mut || true)
            .unwrap()
            .unwrap()
            .fsrs_log_loss
    };
    println!(
        "a fast forgetter: defaults retention {:.1}% over {} reviews; fitted on {} reviews, \
         retention {:.1}% over {} reviews; log loss {:.3} -> {:.3}",
        with_defaults.retention() * 100.0,
        with_defaults.reviews,
        fitted.reviews,
        with_fitted.retention() * 100.0,
        with_fitted.reviews,
        scored(DEFAULT_WEIGHTS),
        scored(fitted.weights),
    );
    assert!(
        with_defaults.retention() < 0.85,
        "the defaults should miss this learner: {:.3}",
        with_defaults.retention()
    );
    assert!(
        (with_fitted.retention() - 0.90).abs() <= 0.03,
        "retention with fitted parameters {:.3}",
        with_fitted.retention()
    );
    assert!(scored(fitted.weights) < scored(DEFAULT_WEIGHTS));
}

#[test]
fn too_short_a_log_keeps_the_default_parameters() {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let history: Vec<Review> = (0..10)
        .map(|i| Review {
            day: start.checked_add_days(Days::new(i * 3)).unwrap(),
            quality: 4,
            interval_after: 3,
        })
        .collect();
    // 39 cards × 9 reviews after the first = 351 < 400.
    let histories = vec![history; 39];
    assert_eq!(evaluate::predictable_reviews(&histories), 351);
    assert_eq!(evaluate::optimise(&histories, start, None), Ok(None));
}
