//! The user's settings (stored in the collection; plain data here).

use serde::{Deserialize, Serialize};

use super::sm2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// Every setting. Fields missing from a stored copy take their defaults, so older collections
/// keep working when a setting is added.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// New cards introduced per study day.
    pub new_per_day: u32,
    /// Reviews (first reviews of due cards) per study day.
    pub reviews_per_day: u32,
    pub scheduler: sm2::Config,
    pub theme: Theme,
}

impl Settings {
    /// Whether every value is in range (stored settings come from a file anyone can edit).
    pub fn check(&self) -> Result<(), String> {
        let s = &self.scheduler;
        let hour = s.rollover_hour;
        if hour > 23 {
            return Err(format!(
                "rollover_hour {hour} is not an hour of the day (0-23)"
            ));
        }
        if !(0.7..=0.99).contains(&s.desired_retention) {
            return Err(format!(
                "desired_retention {} is outside 0.70-0.99",
                s.desired_retention
            ));
        }
        if s.max_interval == 0 {
            return Err("max_interval must be at least 1 day".into());
        }
        Ok(())
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            new_per_day: 20,
            reviews_per_day: 200,
            scheduler: sm2::Config::default(),
            theme: Theme::System,
        }
    }
}
