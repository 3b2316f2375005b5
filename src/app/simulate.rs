//! `awscards simulate`: one new card through a sequence of qualities, each answered as the first
//! review of its due day.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::sm2::{self, BadQuality, CardState, Config};

/// The card key that seeds fuzz in simulations.
pub const SIMULATION_KEY: &str = "simulate";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub quality: u8,
    pub repetitions: u32,
    pub ease: f64,
    pub interval_days: u32,
    pub lapses: u32,
    /// Days since the first review.
    pub day: u64,
}

pub fn simulate(qualities: &[u8], config: &Config) -> Result<Vec<Step>, BadQuality> {
    let start = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    let mut state = CardState::new_card();
    let mut today = start;
    let mut steps = Vec::with_capacity(qualities.len());
    for &quality in qualities {
        state = sm2::answer(&state, quality, today, config, SIMULATION_KEY)?;
        steps.push(Step {
            quality,
            repetitions: state.repetitions,
            ease: state.ease,
            interval_days: state.interval,
            lapses: state.lapses,
            day: u64::try_from((today - start).num_days()).unwrap_or(0),
        });
        today = state.due;
    }
    Ok(steps)
}
