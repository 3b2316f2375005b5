//! The current time: the system clock, or a fixed time from `AWSCARDS_NOW` (RFC 3339) for
//! tests and demos.

use chrono::{DateTime, FixedOffset, Local, NaiveDate};

use crate::model::schedule;

pub const NOW_VAR: &str = "AWSCARDS_NOW";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(DateTime<FixedOffset>),
}

impl Clock {
    /// `AWSCARDS_NOW` when set, else the system clock.
    pub fn from_env() -> Result<Clock, String> {
        match std::env::var(NOW_VAR) {
            Ok(s) => DateTime::parse_from_rfc3339(s.trim())
                .map(Clock::Fixed)
                .map_err(|e| {
                    format!(
                        "{NOW_VAR}={s:?} is not an RFC 3339 time ({e}); use e.g. 2026-05-06T09:30:00+02:00"
                    )
                }),
            Err(_) => Ok(Clock::System),
        }
    }

    /// Now, in local time with its offset.
    pub fn now(&self) -> DateTime<FixedOffset> {
        match self {
            Clock::System => Local::now().fixed_offset(),
            Clock::Fixed(t) => *t,
        }
    }
}

/// The study day of `now` with days starting at `rollover_hour`.
pub fn study_day(now: DateTime<FixedOffset>, rollover_hour: u32) -> NaiveDate {
    schedule::study_day(now.naive_local(), rollover_hour)
}
