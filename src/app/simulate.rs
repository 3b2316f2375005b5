//! `awscards simulate`: one new card through a sequence of qualities, each answered as the first
//! review of its due day.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::schedule;
use crate::model::schedule::{BadQuality, CardState, Config};

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
    let mut day: u64 = 0;
    let mut steps = Vec::with_capacity(qualities.len());
    for (i, &quality) in qualities.iter().enumerate() {
        // SM-2 needs only to tell one day's first review from a repeat: a new calendar day
        // per answer does that without dates running past the calendar's end (long runs of
        // perfect grades reach intervals of millions of years), while `day` counts the days.
        let today = start
            .checked_add_days(chrono::Days::new(i as u64))
            .unwrap_or(NaiveDate::MAX);
        state = schedule::answer(&state, quality, today, config, SIMULATION_KEY)?;
        steps.push(Step {
            quality,
            repetitions: state.repetitions,
            ease: state.ease,
            interval_days: state.interval,
            lapses: state.lapses,
            day,
        });
        day = day.saturating_add(u64::from(state.interval));
    }
    Ok(steps)
}
