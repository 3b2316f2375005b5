//! A simulated learner whose memory follows a known forgetting curve (FSRS-6 with its default
//! parameters), studied for a year by FSRS at 90% desired retention and, beside it, by SM-2:
//! FSRS's measured retention must land within 3 points of 90%; SM-2's retention and workload
//! are printed next to it (`cargo test --test fsrs_simulation -- --nocapture`).

use awscards::model::fsrs_schedule::{FsrsConfig, next, retrievability};
use awscards::model::sm2::{self, CardState, Config};
use chrono::{Days, NaiveDate};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// One card: the learner's true memory (stability, difficulty), when it was last reviewed and
/// when the scheduler has it due, and SM-2's state when SM-2 schedules.
struct Card {
    memory: Option<(f32, f32)>,
    last: u32,
    due: u32,
    sm2: CardState,
}

/// Reviews and recalls of a year: 1 000 cards, 10 new a day for the first 100 days.
#[derive(Debug, Default)]
struct Outcome {
    reviews: u32,
    recalled: u32,
}

impl Outcome {
    fn retention(&self) -> f64 {
        f64::from(self.recalled) / f64::from(self.reviews.max(1))
    }
}

fn simulate(use_fsrs: bool, seed: u64) -> Outcome {
    let fsrs = FsrsConfig::default();
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
                    memory: None,
                    last: day,
                    due: day,
                    sm2: CardState::new_card(),
                });
            }
        }
        for card in cards.iter_mut().filter(|c| c.due <= day) {
            let elapsed = day - card.last;
            // The learner: recall with the true forgetting curve (a new card is learned).
            let recalled = match card.memory {
                None => true,
                Some((stability, _)) => {
                    let p = retrievability(stability, f64::from(elapsed));
                    let recalled = rng.random_bool(p.clamp(0.0, 1.0));
                    outcome.reviews += 1;
                    outcome.recalled += u32::from(recalled);
                    recalled
                }
            };
            let rating = if recalled { 3 } else { 1 };
            let step = next(card.memory, elapsed, rating, &fsrs).unwrap();
            card.memory = Some((step.stability, step.difficulty));
            card.last = day;
            card.due = if use_fsrs {
                day + step.interval
            } else {
                let quality = if recalled { 4 } else { 1 };
                card.sm2 = sm2::answer(&card.sm2, quality, date(day), &sm2_config, "k").unwrap();
                day + card.sm2.interval.max(1)
            };
        }
    }
    outcome
}

#[test]
fn fsrs_at_90_percent_keeps_a_simulated_learner_near_90_percent() {
    let fsrs = simulate(true, 11);
    let sm2 = simulate(false, 11);
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
