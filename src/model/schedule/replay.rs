//! A card's state as a function of its answers: replaying a log from a new card, as a session
//! would have recorded it (the kind of each answer follows from the state before it), with the
//! scheduler the configuration names.

use chrono::NaiveDate;

use super::{BadQuality, CardState, Config};
use crate::model::card::ReviewKind;
use crate::model::schedule;

/// One answer to replay: its study day, its quality, and whether it was a cram answer (logged,
/// changing nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub day: NaiveDate,
    pub quality: u8,
    pub cram: bool,
}

/// What an answer did: its kind, and the card's state before and after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub kind: ReviewKind,
    pub before: CardState,
    pub after: CardState,
}

/// Each answer's step, in the order given (oldest first), starting from a new card.
pub fn replay(key: &str, answers: &[Answer], config: &Config) -> Result<Vec<Step>, BadQuality> {
    let mut state = CardState::new_card();
    answers
        .iter()
        .map(|a| {
            let before = state;
            let (kind, after) = if a.cram {
                (ReviewKind::Cram, before)
            } else {
                let kind = if before.is_new {
                    ReviewKind::New
                } else if before.is_repeat_on(a.day) {
                    ReviewKind::Repeat
                } else {
                    ReviewKind::Review
                };
                (
                    kind,
                    schedule::answer(&before, a.quality, a.day, config, key)?,
                )
            };
            state = after;
            Ok(Step {
                kind,
                before,
                after,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn replay_gives_each_answer_its_kind_and_states() {
        let config = Config {
            fuzz: false,
            ..Config::default()
        };
        let a = |d: &str, quality: u8, cram: bool| Answer {
            day: day(d),
            quality,
            cram,
        };
        let steps = replay(
            "k",
            &[
                a("2026-01-01", 4, false),
                a("2026-01-02", 1, false),
                a("2026-01-02", 4, false),
                a("2026-01-02", 5, true),
                a("2026-01-03", 4, false),
            ],
            &config,
        )
        .unwrap_or_default();
        let kinds: Vec<ReviewKind> = steps.iter().map(|s| s.kind).collect();
        use ReviewKind::*;
        assert_eq!(kinds, [New, Review, Repeat, Cram, Review]);
        assert_eq!(steps[1].after.lapses, 1);
        assert!(steps[1].after.repeat_pending && !steps[2].after.repeat_pending);
        assert_eq!(steps[3].before, steps[3].after);
        assert_eq!(steps[4].before, steps[2].after);
        assert_eq!(steps[4].after.interval, 1);
        assert!(replay("k", &[a("2026-01-01", 6, false)], &config).is_err());
    }
}
