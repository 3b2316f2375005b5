//! What Card info shows of a card (as Anki's): its dates, its schedule, FSRS's memory state on
//! the scale `prop:d/s/r` compares, its answers' count and time, and its review history newest
//! first with each answer's grade by name and the schedule it left.

use chrono::NaiveDate;
use serde::Serialize;

use super::card::{LogEntry, ReviewKind, StoredCard};
use super::schedule::Grading;
use super::search::retrievability;

/// FSRS's memory state as every screen shows it and `prop:d`, `prop:s` and `prop:r` compare:
/// difficulty from 0 (easiest) to 1, stability in days, and the recall predicted today.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Memory {
    pub difficulty: f64,
    pub stability: f64,
    pub retrievability: Option<f64>,
}

/// FSRS's difficulty (1-10 as stored) on the 0-1 scale shown and searched.
pub fn difficulty_share(difficulty: f64) -> f64 {
    (difficulty - 1.0) / 9.0
}

/// The memory state of a card with this stability and difficulty, last reviewed on
/// `last_review`, on study day `today`; None before FSRS has given it one.
pub fn memory(
    stability: f64,
    difficulty: f64,
    last_review: Option<NaiveDate>,
    today: NaiveDate,
    decay: f64,
) -> Option<Memory> {
    (stability > 0.0).then(|| Memory {
        difficulty: difficulty_share(difficulty),
        stability,
        retrievability: last_review
            .map(|last| retrievability(stability, (today - last).num_days(), decay)),
    })
}

/// One answer of the history, as Card info lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryRow {
    /// The answer's local time, `YYYY-MM-DD HH:MM`.
    pub when: String,
    pub kind: ReviewKind,
    /// The button (Again/Hard/Good/Easy), or the grade 0-5 in six-grade mode.
    pub grade: String,
    pub interval: u32,
    pub ease: f64,
    /// FSRS's difficulty after the answer (0-1), when FSRS schedules the card.
    pub difficulty: Option<f64>,
    pub time_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardInfo {
    pub added: NaiveDate,
    pub first_review: Option<NaiveDate>,
    pub latest_review: Option<NaiveDate>,
    /// None while the card is new.
    pub due: Option<NaiveDate>,
    pub interval: u32,
    pub ease: f64,
    pub memory: Option<Memory>,
    pub reviews: u32,
    pub lapses: u32,
    pub average_ms: Option<u64>,
    pub total_ms: u64,
    /// Newest first.
    pub history: Vec<HistoryRow>,
}

/// Card info of `card` from its log (oldest first) on study day `today`. `difficulties` holds
/// FSRS's difficulty (1-10) after each answer of the log, where FSRS gave one.
pub fn card_info(
    card: &StoredCard,
    log: &[LogEntry],
    difficulties: &[Option<f64>],
    today: NaiveDate,
    decay: f64,
    grading: Grading,
) -> CardInfo {
    let s = &card.state;
    let total_ms = log
        .iter()
        .fold(0u64, |sum, l| sum.saturating_add(l.time_taken_ms));
    let reviews = u32::try_from(log.len()).unwrap_or(u32::MAX);
    let history = log
        .iter()
        .enumerate()
        .rev()
        .map(|(i, l)| HistoryRow {
            when: l
                .reviewed_at
                .get(..16)
                .unwrap_or(&l.reviewed_at)
                .replace('T', " "),
            kind: l.kind,
            grade: grading.grade_name(l.quality),
            interval: l.interval_after,
            ease: l.ease_after,
            difficulty: difficulties.get(i).copied().flatten().map(difficulty_share),
            time_ms: l.time_taken_ms,
        })
        .collect();
    CardInfo {
        added: card.added,
        first_review: log.first().map(|l| l.study_day),
        latest_review: log.last().map(|l| l.study_day),
        due: (!s.is_new).then_some(s.due),
        interval: s.interval,
        ease: s.ease,
        memory: memory(s.stability, s.difficulty, s.last_review, today, decay),
        reviews,
        lapses: s.lapses,
        average_ms: (reviews > 0).then(|| total_ms / u64::from(reviews)),
        total_ms,
        history,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn difficulty_is_shown_on_the_scale_prop_d_searches() {
        assert_eq!(difficulty_share(1.0), 0.0);
        assert_eq!(difficulty_share(10.0), 1.0);
        let day = |d| NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
        assert_eq!(memory(0.0, 5.0, Some(day(1)), day(3), -0.5), None);
        let m = memory(10.0, 5.5, Some(day(1)), day(1), -0.5).unwrap();
        assert_eq!((m.difficulty, m.stability), (0.5, 10.0));
        // Recall on the day of the review is certain.
        assert!((m.retrievability.unwrap() - 1.0).abs() < 1e-9);
    }
}
