//! Answers: recording one (with its effects: siblings buried, a leech tagged or suspended),
//! undoing it, and the log they make.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::rows::{LOG_COLUMNS, card_by_id, log_from_row, review_kind};
use super::{Result, Store, StoreError};
use crate::model::card::{LogEntry, ReviewKind, day_from_number, day_number};
use crate::model::schedule::CardState;
use crate::model::settings::LeechAction;

/// One answer to record.
#[derive(Debug, Clone)]
pub struct AnswerRecord {
    pub card_id: i64,
    pub reviewed_at: DateTime<FixedOffset>,
    pub study_day: NaiveDate,
    pub quality: u8,
    pub kind: ReviewKind,
    pub time_taken_ms: u64,
    pub before: CardState,
    pub after: CardState,
}

/// A log row's values as `?1`…`?19`: card, time, day, quality, kind, time taken, the states
/// before and after, and `last` (the Anki id of a row to add, the id of a row to rewrite).
pub(super) fn log_values(record: &AnswerRecord, last: Option<i64>) -> [Value; 19] {
    let b = &record.before;
    let int = |n: i64| Value::Integer(n);
    let opt = |n: Option<i64>| n.map_or(Value::Null, Value::Integer);
    [
        int(record.card_id),
        Value::Text(record.reviewed_at.to_rfc3339()),
        int(day_number(record.study_day)),
        int(i64::from(record.quality)),
        Value::Text(record.kind.as_str().into()),
        int(i64::try_from(record.time_taken_ms).unwrap_or(i64::MAX)),
        Value::Real(b.ease),
        Value::Real(record.after.ease),
        int(i64::from(b.interval)),
        int(i64::from(record.after.interval)),
        int(i64::from(b.repetitions)),
        opt((!b.is_new).then(|| day_number(b.due))),
        int(i64::from(b.lapses)),
        int(i64::from(b.is_new)),
        opt(b.last_review.map(day_number)),
        int(i64::from(b.repeat_pending)),
        Value::Real(b.stability),
        Value::Real(b.difficulty),
        opt(last),
    ]
}

/// Adds `record` to the review log with its Anki revlog id: the one it came with from Anki, or
/// else one given now (its time in ms, moved on past the ids taken, as Anki gives its own), so
/// that an export or a sync never has to give a whole log its ids; returns its row id.
pub(super) fn insert_log(
    conn: &Connection,
    record: &AnswerRecord,
    anki_id: Option<i64>,
) -> rusqlite::Result<i64> {
    let anki_id = match anki_id {
        Some(id) => id,
        None => free_anki_id(conn, record.reviewed_at.timestamp_millis())?,
    };
    conn.prepare_cached(
        "INSERT INTO review_log (card_id, reviewed_at, study_day, quality, kind, time_taken_ms,
             ease_before, ease_after, interval_before, interval_after, repetitions_before,
             due_day_before, lapses_before, is_new_before, last_review_day_before,
             repeat_pending_before, stability_before, difficulty_before, anki_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19)",
    )?
    .execute(rusqlite::params_from_iter(log_values(
        record,
        Some(anki_id),
    )))?;
    Ok(conn.last_insert_rowid())
}

/// The first Anki revlog id from `ms` on that no logged answer has, nor any answer a sync
/// server held at the last sync (the learner's own Anki cards' answers are not logged here:
/// with the id of one, ours would be taken as held there and never sent). Read along the
/// indexes of the ids: one step, unless answers share the millisecond.
fn free_anki_id(conn: &Connection, ms: i64) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare_cached(
        "SELECT anki_id FROM review_log WHERE anki_id >= ?1
         UNION SELECT id FROM anki_sync_revlog WHERE id >= ?1
         ORDER BY 1",
    )?;
    let mut taken = stmt.query([ms])?;
    let mut id = ms;
    while let Some(row) = taken.next()? {
        if row.get::<_, i64>(0)? != id {
            break;
        }
        id += 1;
    }
    Ok(id)
}

/// What an answer does besides recording itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnswerEffects {
    /// It makes the card a leech, which gets this.
    pub leech: Option<LeechAction>,
    /// Its siblings (the cards of the same fact) stay out of today's study.
    pub bury_siblings: bool,
}

/// Buries for `day` the live siblings of the card with `key` (answered in log row `log_id`,
/// which records them), and returns their ids. Siblings are found as a range of the key index.
pub(super) fn bury_siblings(
    tx: &Transaction,
    log_id: i64,
    key: &str,
    day: NaiveDate,
) -> rusqlite::Result<Vec<i64>> {
    // The keys that start with "FACT/": from "FACT/" to "FACT0" ('0' follows '/'), a range of
    // the key index (the `+` keeps the planner off the retired index, which made it scan).
    let fact = crate::model::cardgen::fact_of(key);
    let (from, to) = (format!("{fact}/"), format!("{fact}0"));
    let ids: Vec<i64> = tx
        .prepare_cached(
            "SELECT id FROM cards
             WHERE key > ?1 AND key < ?2 AND key != ?3
               AND +retired = 0 AND +suspended = 0
               AND id NOT IN (SELECT card_id FROM buried WHERE day = ?4)",
        )?
        .query_map(params![from, to, key, day_number(day)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if ids.is_empty() {
        return Ok(ids);
    }
    let mut insert =
        tx.prepare_cached("INSERT OR REPLACE INTO buried (card_id, day) VALUES (?1, ?2)")?;
    for id in &ids {
        insert.execute(params![id, day_number(day)])?;
    }
    let list = serde_json::to_string(&ids).unwrap_or_default();
    tx.execute(
        "UPDATE review_log SET buried = ?2 WHERE id = ?1",
        params![log_id, list],
    )?;
    Ok(ids)
}

pub(super) fn write_state(
    tx: &Transaction,
    card_id: i64,
    s: &CardState,
) -> rusqlite::Result<usize> {
    tx.prepare_cached(
        "UPDATE cards SET is_new = ?2, repetitions = ?3, ease = ?4, interval_days = ?5,
             due_day = ?6, lapses = ?7, last_review_day = ?8, repeat_pending = ?9,
             stability = ?10, difficulty = ?11
         WHERE id = ?1",
    )?
    .execute(params![
        card_id,
        s.is_new,
        s.repetitions,
        s.ease,
        s.interval,
        (!s.is_new).then(|| day_number(s.due)),
        s.lapses,
        s.last_review.map(day_number),
        s.repeat_pending,
        s.stability,
        s.difficulty,
    ])
}

impl Store {
    /// Records one answer in one transaction: the card's new state (unless a cram answer) and
    /// its review-log row. When this returns Ok, the answer is on disk.
    ///
    /// Fails, changing nothing, if the card's stored state is not `record.before` (the answer
    /// was computed from a stale state).
    pub fn answer(&mut self, record: &AnswerRecord) -> Result<i64> {
        Ok(self.answer_with(record, AnswerEffects::default())?.0)
    }

    /// [`answer`](Self::answer) with its effects, in the same transaction: the answer may make
    /// the card a leech (and suspend it, for [`LeechAction::Suspend`]), and bury its siblings
    /// for the rest of the day. The log row records what it changed, for undo. Returns the log
    /// row's id and the cards it buried.
    pub fn answer_with(
        &mut self,
        record: &AnswerRecord,
        effects: AnswerEffects,
    ) -> Result<(i64, Vec<i64>)> {
        let leech = effects.leech;
        self.write(|tx| {
            let current = card_by_id(tx, record.card_id)
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("card {}", record.card_id)))?;
            if current.state != record.before {
                return Err(StoreError::StaleAnswer { key: current.key }.into());
            }
            if record.kind != ReviewKind::Cram {
                write_state(tx, record.card_id, &record.after)?;
            }
            let id = insert_log(tx, record, None)?;
            if let Some(action) = leech {
                let suspend = action == LeechAction::Suspend;
                let made =
                    u8::from(!current.leech) | (u8::from(suspend && !current.suspended) << 1);
                tx.execute(
                    "UPDATE cards SET leech = 1, suspended = suspended OR ?2 WHERE id = ?1",
                    params![record.card_id, suspend],
                )?;
                tx.execute(
                    "UPDATE review_log SET made_leech = ?2 WHERE id = ?1",
                    params![id, made],
                )?;
            }
            let buried = if effects.bury_siblings {
                bury_siblings(tx, id, &current.key, record.study_day)?
            } else {
                Vec::new()
            };
            super::summary::count_answer(tx, id, 1)?;
            Ok((id, buried))
        })
    }

    /// Buries a card for `day` (true), or brings it back (false), in one statement.
    pub fn set_buried(&mut self, card_id: i64, day: NaiveDate, buried: bool) -> Result<()> {
        let sql = if buried {
            "INSERT OR REPLACE INTO buried (card_id, day) VALUES (?1, ?2)"
        } else {
            "DELETE FROM buried WHERE card_id = ?1 AND day = ?2"
        };
        self.conn
            .execute(sql, params![card_id, day_number(day)])
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Sets a card's flag (0 for none, 1-4).
    pub fn set_flag(&mut self, card_id: i64, flag: u8) -> Result<()> {
        self.conn
            .execute(
                "UPDATE cards SET flag = ?2 WHERE id = ?1",
                params![card_id, flag],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// The cards buried on `day`.
    pub fn buried(&self, day: NaiveDate) -> Result<HashSet<i64>> {
        Ok(self
            .rows(
                "SELECT card_id FROM buried WHERE day = ?1",
                [day_number(day)],
                |r| r.get(0),
            )?
            .into_iter()
            .collect())
    }

    /// A card's lapses while learned: its first answers of a day below 3 (new cards' first
    /// answers and cram answers are not lapses).
    pub fn learned_lapses(&self, card_id: i64) -> Result<u32> {
        self.one(
            "SELECT count(*) FROM review_log
                 WHERE card_id = ?1 AND kind = 'review' AND quality < 3",
            [card_id],
            |r| r.get(0),
        )
    }

    /// Undoes one answer in one transaction: restores the card's state from before it and
    /// removes its log row. Only the card's latest answer can be undone.
    pub fn undo(&mut self, log_id: i64) -> Result<i64> {
        self.write(|tx| {
            let row = tx
                .query_row(
                    "SELECT card_id, kind, ease_before, interval_before, repetitions_before,
                     due_day_before, lapses_before, is_new_before, last_review_day_before,
                     repeat_pending_before,
                     (SELECT max(id) FROM review_log l2 WHERE l2.card_id = review_log.card_id),
                     stability_before, difficulty_before, made_leech, buried, study_day
                 FROM review_log WHERE id = ?1",
                    [log_id],
                    |r| {
                        let due: Option<i64> = r.get(5)?;
                        let last: Option<i64> = r.get(8)?;
                        let kind: String = r.get(1)?;
                        Ok((
                            r.get::<_, i64>(0)?,
                            review_kind(&kind, 1)?,
                            CardState {
                                ease: r.get(2)?,
                                interval: r.get(3)?,
                                repetitions: r.get(4)?,
                                due: due.map_or(NaiveDate::MIN, day_from_number),
                                lapses: r.get(6)?,
                                is_new: r.get(7)?,
                                last_review: last.map(day_from_number),
                                repeat_pending: r.get(9)?,
                                stability: r.get(11)?,
                                difficulty: r.get(12)?,
                            },
                            r.get::<_, i64>(10)?,
                            r.get::<_, u8>(13)?,
                            r.get::<_, Option<String>>(14)?,
                            r.get::<_, i64>(15)?,
                        ))
                    },
                )
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("answer {log_id}")))?;
            let (card_id, kind, before, latest, made_leech, buried, day) = row;
            if latest != log_id {
                return Err(StoreError::NotLatestAnswer.into());
            }
            if kind != ReviewKind::Cram {
                write_state(tx, card_id, &before)?;
            }
            // What the answer did as a leech, taken back.
            if made_leech != 0 {
                tx.execute(
                    "UPDATE cards SET leech = leech AND NOT ?2, suspended = suspended AND NOT ?3
                 WHERE id = ?1",
                    params![card_id, made_leech & 1 != 0, made_leech & 2 != 0],
                )?;
            }
            // The siblings it buried come back.
            if let Some(ids) = buried {
                tx.execute(
                    "DELETE FROM buried WHERE day = ?2
                   AND card_id IN (SELECT value FROM json_each(?1))",
                    params![ids, day],
                )?;
            }
            super::summary::count_answer(tx, log_id, -1)?;
            tx.execute("DELETE FROM review_log WHERE id = ?1", [log_id])?;
            Ok(card_id)
        })
    }

    /// The review log, oldest first (all cards when `card_id` is None).
    pub fn log(&self, card_id: Option<i64>) -> Result<Vec<LogEntry>> {
        // Two statements: `?1 IS NULL OR card_id = ?1` would read the whole log for one card.
        match card_id {
            Some(id) => self.rows(
                &format!("SELECT {LOG_COLUMNS} FROM review_log WHERE card_id = ?1 ORDER BY id"),
                [id],
                log_from_row,
            ),
            None => self.rows(
                &format!("SELECT {LOG_COLUMNS} FROM review_log ORDER BY id"),
                [],
                log_from_row,
            ),
        }
    }

    /// New cards introduced and reviews done on `today`, from the log (so a restart does not
    /// reset the daily limits).
    pub fn done_today(&self, today: NaiveDate) -> Result<(u32, u32)> {
        self.conn
            .query_row(
                "SELECT count(DISTINCT CASE WHEN kind = 'new' THEN card_id END),
                        count(DISTINCT CASE WHEN kind = 'review' THEN card_id END)
                 FROM review_log WHERE study_day = ?1",
                [day_number(today)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))
    }
}
