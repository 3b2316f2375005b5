//! Replaying a card: its state recomputed from its log, with the scheduler of the settings, as
//! a change of scheduler, a repair and an import from Anki need it.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};

use super::error::AppError;
use crate::model::anki;
use crate::model::card::{LogEntry, ReviewKind};
use crate::model::schedule::CardState;
use crate::model::schedule::replay::{self, Answer};

/// The longest an imported answer counts: Anki caps an answer's time at 60 s.
pub const MAX_ANSWER_MS: i64 = 60_000;

/// What a card's state is replayed from: its log and the times it was made new again.
pub(crate) struct CardHistory<'a> {
    pub card_id: i64,
    pub key: &'a str,
    /// Its answers, oldest first.
    pub log: &'a [LogEntry],
    /// When it was made new again (RFC 3339), oldest first.
    pub resets: &'a [String],
}

/// Adds to `plan` the card's new answers from Anki (if any) and its whole log replayed in time
/// order with the scheduler `config` names; `now` and `today` stand in for a time that does not
/// parse.
pub(crate) fn replan(
    now: DateTime<FixedOffset>,
    today: NaiveDate,
    plan: &mut crate::store::ReplayPlan,
    history: &CardHistory<'_>,
    new: &[&crate::store::AnkiAnswer],
    config: &crate::model::schedule::Config,
) -> Result<(), AppError> {
    let CardHistory {
        card_id,
        key,
        log,
        resets,
    } = *history;
    let offset = *now.offset();
    let config = *config;
    /// Where an event of the card's history comes from.
    enum Source<'a> {
        Log(&'a LogEntry),
        /// The index of a new answer.
        New(usize),
        /// The card was made new again.
        Reset,
    }
    /// An event of the card's history: when, where from, and the answer (if it is one).
    struct Timed<'a> {
        at: DateTime<FixedOffset>,
        source: Source<'a>,
        answer: Answer,
        time_ms: u64,
    }
    let parse = |text: &str, day: chrono::NaiveDate| {
        DateTime::parse_from_rfc3339(text).unwrap_or_else(|_| {
            offset.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap_or_default())
        })
    };
    let mut all: Vec<Timed> = Vec::new();
    for entry in log {
        let answer = Answer {
            day: entry.study_day,
            quality: entry.quality,
            cram: entry.kind == ReviewKind::Cram,
        };
        all.push(Timed {
            at: parse(&entry.reviewed_at, entry.study_day),
            source: Source::Log(entry),
            answer,
            time_ms: entry.time_taken_ms,
        });
    }
    for (i, a) in new.iter().enumerate() {
        let at = offset.timestamp_millis_opt(a.id).single().unwrap_or(now);
        let answer = Answer {
            day: crate::model::schedule::study_day(at.naive_local(), config.rollover_hour),
            quality: anki::quality_of_button(a.button).unwrap_or(4),
            cram: a.kind == 3,
        };
        all.push(Timed {
            at,
            source: Source::New(i),
            answer,
            time_ms: a.time_ms.clamp(0, MAX_ANSWER_MS).unsigned_abs(),
        });
    }
    for reset in resets {
        let at = parse(reset, today);
        let answer = Answer {
            day: crate::model::schedule::study_day(at.naive_local(), config.rollover_hour),
            quality: 0,
            cram: true,
        };
        all.push(Timed {
            at,
            source: Source::Reset,
            answer,
            time_ms: 0,
        });
    }
    all.sort_by_key(|a| a.at);
    // Each stretch between resets replays from a new card.
    let mut state = None;
    for stretch in all.split(|t| matches!(t.source, Source::Reset)) {
        let answers: Vec<Answer> = stretch.iter().map(|a| a.answer).collect();
        let steps = replay::replay(key, &answers, &config).map_err(|e| AppError::BadGrade {
            quality: e.0,
            allowed: config.grading.qualities(),
        })?;
        for (t, step) in stretch.iter().zip(&steps) {
            let record = crate::store::AnswerRecord {
                card_id,
                reviewed_at: t.at,
                study_day: t.answer.day,
                quality: t.answer.quality,
                kind: step.kind,
                time_taken_ms: t.time_ms,
                before: step.before,
                after: step.after,
            };
            match t.source {
                Source::Log(entry) => plan.rewritten.push(crate::store::ReplayedAnswer {
                    log_id: entry.id,
                    moved: entry.study_day != record.study_day
                        || entry.kind != record.kind
                        || entry.interval_before != record.before.interval,
                    record,
                }),
                Source::New(i) => plan.added.push((record, new[i].id)),
                Source::Reset => {}
            }
        }
        state = Some(steps.last().map_or_else(CardState::new_card, |s| s.after));
    }
    if let Some(state) = state.filter(|_| !all.is_empty()) {
        plan.states.push((card_id, state));
    }
    Ok(())
}
