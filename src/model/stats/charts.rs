//! The charts Anki users look for beside the calendar and the forecast: the intervals of
//! learned cards, the answer buttons, answers by hour of the day, cards added per day and the
//! true-retention table. Pure functions of what the store counts.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{DayRow, MATURE_DAYS, Tally};
use crate::model::card::ReviewKind;
use crate::model::schedule::Grading;

/// How far back the button, hour and added charts look: the last 365 study days (today
/// included), as the calendar.
pub const CHART_DAYS: u32 = super::HEATMAP_DAYS;

/// The percentiles the interval chart gives.
pub const PERCENTILES: [u8; 4] = [50, 75, 90, 95];

/// Learned cards with one interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IntervalCards {
    pub days: u32,
    pub cards: u32,
}

/// The interval below which `percent`% of the learned cards are (nearest rank: the smallest
/// interval with at least that share of cards at or below it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Percentile {
    pub percent: u8,
    pub days: u32,
}

/// The intervals of learned cards (not new, not retired; suspended ones too, as the ease
/// chart): every interval with its cards, in order, and their percentiles.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Intervals {
    pub cards: u32,
    pub mean_days: Option<f64>,
    pub percentiles: Vec<Percentile>,
    pub days: Vec<IntervalCards>,
}

/// The interval chart of the learned cards' intervals, counted by interval.
pub fn intervals(counts: &BTreeMap<u32, u32>) -> Intervals {
    let cards: u32 = counts.values().sum();
    if cards == 0 {
        return Intervals::default();
    }
    let total_days: f64 = counts
        .iter()
        .map(|(days, n)| f64::from(*days) * f64::from(*n))
        .sum();
    let percentiles = PERCENTILES
        .iter()
        .filter_map(|&percent| {
            let rank = (u64::from(cards) * u64::from(percent)).div_ceil(100).max(1);
            let mut seen = 0u64;
            counts.iter().find_map(|(days, n)| {
                seen += u64::from(*n);
                (seen >= rank).then_some(Percentile {
                    percent,
                    days: *days,
                })
            })
        })
        .collect();
    Intervals {
        cards,
        mean_days: Some(total_days / f64::from(cards)),
        percentiles,
        days: counts
            .iter()
            .map(|(days, cards)| IntervalCards {
                days: *days,
                cards: *cards,
            })
            .collect(),
    }
}

/// What an answer was when it was given: the three rows of Anki's button chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerClass {
    /// A new card's first answer, or a same-day repeat.
    Learning,
    /// A review of a card whose interval was under [`MATURE_DAYS`].
    Young,
    Mature,
}

impl AnswerClass {
    /// The class of a logged answer; None for cram answers, which schedule nothing.
    pub fn of(kind: ReviewKind, interval_before: i64) -> Option<AnswerClass> {
        match kind {
            ReviewKind::New | ReviewKind::Repeat => Some(AnswerClass::Learning),
            ReviewKind::Review if interval_before < i64::from(MATURE_DAYS) => {
                Some(AnswerClass::Young)
            }
            ReviewKind::Review => Some(AnswerClass::Mature),
            ReviewKind::Cram => None,
        }
    }
}

/// Answers of the last [`CHART_DAYS`]: by grade and class, and by hour of the day (the
/// answer's local time, as it was logged). The store fills it from its per-day summary (a
/// deck) or counts it answer by answer (a search).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartCounts {
    /// Answers by grade (0-5) and [`AnswerClass`] (learning, young, mature); cram answers in
    /// none.
    pub grades: [[u32; 3]; 6],
    /// Answers and passed answers (grade 3 or more) by hour, 0-23.
    pub hours: [Tally; 24],
}

impl ChartCounts {
    pub fn count(&mut self, quality: u8, kind: ReviewKind, interval_before: i64, hour: u32) {
        if let Some(class) = AnswerClass::of(kind, interval_before)
            && let Some(row) = self.grades.get_mut(usize::from(quality))
        {
            row[class as usize] += 1;
        }
        if let Some(h) = self.hours.get_mut(hour as usize) {
            h.reviews += 1;
            h.passed += u32::from(quality >= 3);
        }
    }
}

/// One answer button's answers in the last [`CHART_DAYS`], by what the card was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ButtonCounts {
    pub button: &'static str,
    pub learning: u32,
    pub young: u32,
    pub mature: u32,
}

/// The button chart for the grading in use: Again (any grade below 3), Hard, Good and Easy
/// with four buttons; grades 0-5 with six.
pub fn buttons(counts: &ChartCounts, grading: Grading) -> Vec<ButtonCounts> {
    let button = |name: &'static str, grades: &[usize]| {
        let sum = |class: AnswerClass| {
            grades
                .iter()
                .filter_map(|g| counts.grades.get(*g))
                .map(|row| row[class as usize])
                .sum()
        };
        ButtonCounts {
            button: name,
            learning: sum(AnswerClass::Learning),
            young: sum(AnswerClass::Young),
            mature: sum(AnswerClass::Mature),
        }
    };
    match grading {
        Grading::FourButtons => vec![
            button("Again", &[0, 1, 2]),
            button("Hard", &[3]),
            button("Good", &[4]),
            button("Easy", &[5]),
        ],
        Grading::SixGrades => ["0", "1", "2", "3", "4", "5"]
            .iter()
            .enumerate()
            .map(|(g, name)| button(name, &[g]))
            .collect(),
    }
}

/// Answers given in one hour of the day over the last [`CHART_DAYS`], and how many passed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HourCounts {
    pub hour: u32,
    #[serde(flatten)]
    pub answers: Tally,
}

/// Every hour of the day, 0 to 23.
pub fn hours(counts: &ChartCounts) -> Vec<HourCounts> {
    (0u32..)
        .zip(counts.hours)
        .map(|(hour, answers)| HourCounts { hour, answers })
        .collect()
}

/// Cards added on one study day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AddedDay {
    pub day: NaiveDate,
    pub cards: u32,
}

/// Cards added per day over the last [`CHART_DAYS`] (days without any left out).
pub fn added(counts: &BTreeMap<NaiveDate, u32>, today: NaiveDate) -> Vec<AddedDay> {
    let first = today
        .checked_sub_days(chrono::Days::new(u64::from(CHART_DAYS - 1)))
        .unwrap_or(today);
    counts
        .range(first..=today)
        .map(|(day, cards)| AddedDay {
            day: *day,
            cards: *cards,
        })
        .collect()
}

/// One row of Anki's true-retention table: the reviews of learned cards in a period that
/// passed (new cards, repeats and cram left out), young, mature and both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RetentionRow {
    pub period: &'static str,
    pub young: Tally,
    pub mature: Tally,
    pub total: Tally,
}

/// The periods of the true-retention table: name, first and last day back from today.
const PERIODS: [(&str, i64, i64); 5] = [
    ("today", 0, 0),
    ("yesterday", 1, 1),
    ("week", 0, 6),
    ("month", 0, 29),
    ("year", 0, 364),
];

/// The true-retention table: today, yesterday, the last 7, 30 and 365 days.
pub fn true_retention(rows: &[DayRow], today: NaiveDate) -> Vec<RetentionRow> {
    PERIODS
        .iter()
        .map(|&(period, from, to)| {
            let mut row = RetentionRow {
                period,
                young: Tally::default(),
                mature: Tally::default(),
                total: Tally::default(),
            };
            for r in rows {
                let ago = (today - r.day).num_days();
                if (from..=to).contains(&ago) {
                    row.young.add(r.young);
                    row.mature.add(r.mature);
                    row.total.add(r.young);
                    row.total.add(r.mature);
                }
            }
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn percentiles_are_nearest_rank_and_the_mean_is_per_card() {
        // 10 cards: 1 d ×4, 3 d ×3, 10 d ×2, 40 d ×1.
        let counts = BTreeMap::from([(1, 4), (3, 3), (10, 2), (40, 1)]);
        let i = intervals(&counts);
        assert_eq!(i.cards, 10);
        assert_eq!(i.mean_days, Some((4.0 + 9.0 + 20.0 + 40.0) / 10.0));
        // Ranks 5, 8, 9 and 10 of 10.
        let days: Vec<u32> = i.percentiles.iter().map(|p| p.days).collect();
        assert_eq!(days, [3, 10, 10, 40]);
        assert_eq!(intervals(&BTreeMap::new()), Intervals::default());
    }

    #[test]
    fn buttons_group_grades_by_the_grading_in_use_and_leave_cram_out() {
        let mut c = ChartCounts::default();
        c.count(1, ReviewKind::New, 0, 9);
        c.count(0, ReviewKind::Review, 5, 9);
        c.count(4, ReviewKind::Review, 30, 21);
        c.count(5, ReviewKind::Repeat, 1, 21);
        c.count(4, ReviewKind::Cram, 30, 21);
        let four = buttons(&c, Grading::FourButtons);
        assert_eq!(
            (four[0].learning, four[0].young, four[0].mature),
            (1, 1, 0),
            "Again holds grades 0-2"
        );
        assert_eq!((four[2].young, four[2].mature), (0, 1));
        assert_eq!(four[3].learning, 1);
        let six = buttons(&c, Grading::SixGrades);
        assert_eq!(six.len(), 6);
        assert_eq!((six[0].young, six[1].learning), (1, 1));
        // Cram counts by hour (it was an answer), not by button.
        let h = hours(&c);
        assert_eq!(h.len(), 24);
        assert_eq!(
            h[9].answers,
            Tally {
                passed: 0,
                reviews: 2
            }
        );
        assert_eq!(
            h[21].answers,
            Tally {
                passed: 3,
                reviews: 3
            }
        );
    }

    #[test]
    fn true_retention_periods_count_their_days_only() {
        let row = |d: u32, young: (u32, u32), mature: (u32, u32)| DayRow {
            day: day(d),
            young: Tally {
                passed: young.0,
                reviews: young.1,
            },
            mature: Tally {
                passed: mature.0,
                reviews: mature.1,
            },
            ..DayRow::default()
        };
        let rows = [
            row(20, (1, 2), (3, 3)),
            row(19, (2, 2), (0, 1)),
            row(10, (5, 5), (0, 0)),
        ];
        let t = true_retention(&rows, day(20));
        let by = |p: &str| *t.iter().find(|r| r.period == p).unwrap();
        assert_eq!(
            by("today").total,
            Tally {
                passed: 4,
                reviews: 5
            }
        );
        assert_eq!(
            by("yesterday").mature,
            Tally {
                passed: 0,
                reviews: 1
            }
        );
        assert_eq!(
            by("week").young,
            Tally {
                passed: 3,
                reviews: 4
            }
        );
        assert_eq!(
            by("month").total,
            Tally {
                passed: 11,
                reviews: 13
            }
        );
    }
}
