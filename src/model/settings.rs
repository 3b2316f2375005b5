//! The user's settings (stored in the collection; plain data here).

use super::limits::AnswerOptions;
use serde::{Deserialize, Serialize};

use super::schedule;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// What happens to a card that becomes a leech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeechAction {
    /// Marked a leech and suspended (Anki's default).
    #[default]
    Suspend,
    /// Only marked a leech.
    TagOnly,
}

/// Whether a learned card's `lapses`-th lapse makes it a leech: at `threshold` lapses and at
/// every half threshold after it, as in Anki (8, 12, 16, … for 8). A threshold of 0 turns
/// leeches off.
pub fn leech_at(lapses: u32, threshold: u32) -> bool {
    if threshold == 0 || lapses < threshold {
        return false;
    }
    (lapses - threshold).is_multiple_of((threshold / 2).max(1))
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
    pub scheduler: schedule::Config,
    pub theme: Theme,
    /// Lapses of a learned card that make it a leech (0: never).
    pub leech_threshold: u32,
    pub leech_action: LeechAction,
    /// Once a card is answered, the other cards of its fact or list (its siblings) wait for
    /// the next day, as Anki's "bury siblings" does.
    pub bury_siblings: bool,
    /// Custom study: more new cards or reviews than the limits allow, for one study day.
    pub extra_today: ExtraToday,
}

/// Custom study's "increase today's limit": on `day` only, `new` more new cards and `reviews`
/// more reviews than the daily limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExtraToday {
    pub day: Option<chrono::NaiveDate>,
    pub new: u32,
    pub reviews: u32,
}

impl ExtraToday {
    /// The extra (new, reviews) on `today`: none on any other day.
    pub fn on(&self, today: chrono::NaiveDate) -> (u32, u32) {
        if self.day == Some(today) {
            (self.new, self.reviews)
        } else {
            (0, 0)
        }
    }
}

impl Settings {
    /// The Default preset's answering options: these settings'.
    pub fn answer_options(&self) -> AnswerOptions {
        AnswerOptions {
            bury_siblings: self.bury_siblings,
            leech_threshold: self.leech_threshold,
            leech_action: self.leech_action,
        }
    }

    /// These settings with the Default preset's answering options `o`.
    pub fn with_answer_options(self, o: AnswerOptions) -> Settings {
        Settings {
            bury_siblings: o.bury_siblings,
            leech_threshold: o.leech_threshold,
            leech_action: o.leech_action,
            ..self
        }
    }

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
            scheduler: schedule::Config::default(),
            theme: Theme::System,
            leech_threshold: 8,
            leech_action: LeechAction::Suspend,
            bury_siblings: true,
            extra_today: ExtraToday::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leech_at_the_threshold_and_every_half_threshold_after() {
        let at: Vec<u32> = (0..=20).filter(|&n| leech_at(n, 8)).collect();
        assert_eq!(at, [8, 12, 16, 20]);
        assert!((0..100).all(|n| !leech_at(n, 0)));
        let at: Vec<u32> = (0..=4).filter(|&n| leech_at(n, 1)).collect();
        assert_eq!(at, [1, 2, 3, 4]);
    }
}
