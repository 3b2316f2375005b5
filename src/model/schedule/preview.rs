//! What a change of scheduler does to today's numbers, before it is saved: cards due today,
//! overdue, and the average interval, before and after.

use chrono::NaiveDate;

use super::CardState;
use crate::model::stats::thousands;

/// Today's figures of a set of cards' schedules.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ScheduleFigures {
    /// Learned cards due today or before.
    pub due: u64,
    /// Of them, due before today.
    pub overdue: u64,
    /// The learned cards' average interval (days).
    pub average_interval: f64,
}

impl ScheduleFigures {
    /// The figures of `states` on `today`.
    pub fn of(states: impl Iterator<Item = CardState>, today: NaiveDate) -> ScheduleFigures {
        let (mut due, mut overdue, mut learned, mut days) = (0u64, 0u64, 0u64, 0u64);
        for s in states.filter(|s| !s.is_new) {
            learned += 1;
            days += u64::from(s.interval);
            if s.due <= today {
                due += 1;
            }
            if s.due < today {
                overdue += 1;
            }
        }
        ScheduleFigures {
            due,
            overdue,
            average_interval: if learned == 0 {
                0.0
            } else {
                days as f64 / learned as f64
            },
        }
    }
}

/// The figures before a change and after it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SchedulePreview {
    pub before: ScheduleFigures,
    pub after: ScheduleFigures,
}

impl SchedulePreview {
    /// One line per figure: "Due today: 120 now, 340 after" (no arrow: the window's fonts
    /// have none).
    pub fn lines(&self) -> Vec<String> {
        let (b, a) = (self.before, self.after);
        vec![
            format!(
                "Due today: {} now, {} after",
                thousands(b.due),
                thousands(a.due)
            ),
            format!(
                "Of them overdue: {} now, {} after",
                thousands(b.overdue),
                thousands(a.overdue)
            ),
            format!(
                "Average interval: {:.1} days now, {:.1} after",
                b.average_interval, a.average_interval
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_count_learned_cards_only() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 10).unwrap_or_default();
        let card = |interval: u32, due_in: i64| CardState {
            is_new: false,
            interval,
            due: today + chrono::TimeDelta::days(due_in),
            ..CardState::new_card()
        };
        let states = [card(4, -2), card(10, 0), card(30, 5), CardState::new_card()];
        let f = ScheduleFigures::of(states.into_iter(), today);
        assert_eq!((f.due, f.overdue), (2, 1));
        assert!((f.average_interval - 44.0 / 3.0).abs() < 1e-9);
        let p = SchedulePreview {
            before: f,
            after: ScheduleFigures {
                due: 1_234,
                overdue: 0,
                average_interval: 2.0,
            },
        };
        assert_eq!(
            p.lines(),
            [
                "Due today: 2 now, 1 234 after",
                "Of them overdue: 1 now, 0 after",
                "Average interval: 14.7 days now, 2.0 after"
            ]
        );
    }
}
