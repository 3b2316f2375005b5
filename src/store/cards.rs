//! Cards, answers, undo, the daily queue and counts.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::Serialize;

use super::{Result, Store, StoreError};
use crate::model::card::{LogEntry, ReviewKind, StoredCard, day_from_number, day_number};
use crate::model::cardgen::Card;
use crate::model::decks::DeckCounts;
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

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct SyncReport {
    pub added: u32,
    pub updated: u32,
    pub retired: u32,
    pub restored: u32,
}

pub(super) const CARD_COLUMNS: &str = "id, key, deck, front, back, note, tags, retired, suspended, is_new, \
     repetitions, ease, interval_days, due_day, lapses, last_review_day, repeat_pending, added_day, source, \
     stability, difficulty, leech, flag, source_url";

/// The condition for cards of `deck` and its `::` children, the deck bound as ?1: for ""
/// (every deck) one that is always true, so that it leaves the choice of index to the rest
/// of the query (an `?1 = '' OR …` kept SQLite from seeking any).
pub(super) fn in_deck(deck: &str) -> &'static str {
    if deck.is_empty() {
        "(?1 = '')"
    } else {
        "(deck = ?1 OR substr(deck, 1, length(?1) + 2) = ?1 || '::')"
    }
}

pub(super) fn card_from_row(r: &Row) -> rusqlite::Result<StoredCard> {
    let tags: String = r.get(6)?;
    let due: Option<i64> = r.get(13)?;
    let last: Option<i64> = r.get(15)?;
    Ok(StoredCard {
        id: r.get(0)?,
        key: r.get(1)?,
        deck: r.get(2)?,
        front: r.get(3)?,
        back: r.get(4)?,
        note: r.get(5)?,
        tags: tags.split_whitespace().map(str::to_string).collect(),
        retired: r.get(7)?,
        suspended: r.get(8)?,
        added: day_from_number(r.get(17)?),
        source: r.get(18)?,
        source_url: r.get(23)?,
        state: CardState {
            is_new: r.get(9)?,
            repetitions: r.get(10)?,
            ease: r.get(11)?,
            interval: r.get(12)?,
            due: due.map_or(NaiveDate::MIN, day_from_number),
            lapses: r.get(14)?,
            last_review: last.map(day_from_number),
            repeat_pending: r.get(16)?,
            stability: r.get(19)?,
            difficulty: r.get(20)?,
        },
        leech: r.get(21)?,
        flag: r.get(22)?,
    })
}

fn log_from_row(r: &Row) -> rusqlite::Result<LogEntry> {
    let kind: String = r.get(5)?;
    Ok(LogEntry {
        id: r.get(0)?,
        card_id: r.get(1)?,
        reviewed_at: r.get(2)?,
        study_day: day_from_number(r.get(3)?),
        quality: r.get(4)?,
        kind: review_kind(&kind, 5)?,
        time_taken_ms: u64::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
        ease_before: r.get(7)?,
        ease_after: r.get(8)?,
        interval_before: r.get(9)?,
        interval_after: r.get(10)?,
    })
}

const LOG_COLUMNS: &str = "id, card_id, reviewed_at, study_day, quality, kind, time_taken_ms, \
     ease_before, ease_after, interval_before, interval_after";

/// A stored review kind; an unknown one is a conversion error of column `col`.
pub(super) fn review_kind(name: &str, col: usize) -> rusqlite::Result<ReviewKind> {
    ReviewKind::parse(name).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            col,
            rusqlite::types::Type::Text,
            format!("unknown review kind \"{name}\"").into(),
        )
    })
}

/// A log row's values as `?1`…`?19`: card, time, day, quality, kind, time taken, the states
/// before and after, and `last` (the Anki id of a row to add, the id of a row to rewrite).
fn log_values(record: &AnswerRecord, last: Option<i64>) -> [Value; 19] {
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

/// Adds `record` to the review log (with its Anki revlog id, if it came from Anki); returns
/// its row id.
pub(super) fn insert_log(
    conn: &Connection,
    record: &AnswerRecord,
    anki_id: Option<i64>,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO review_log (card_id, reviewed_at, study_day, quality, kind, time_taken_ms,
             ease_before, ease_after, interval_before, interval_after, repetitions_before,
             due_day_before, lapses_before, is_new_before, last_review_day_before,
             repeat_pending_before, stability_before, difficulty_before, anki_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19)",
    )?
    .execute(rusqlite::params_from_iter(log_values(record, anki_id)))?;
    Ok(conn.last_insert_rowid())
}

/// Rewrites log row `log_id` as `record` says (its day, kind and states), keeping its time,
/// quality and ids: what replaying a card's history changes. (The values it does not set are
/// bound to numbers the statement leaves unused, which SQLite allows.)
pub(super) fn rewrite_log(
    conn: &Connection,
    r: &super::anki::ReplayedAnswer,
) -> rusqlite::Result<usize> {
    let values = log_values(&r.record, Some(r.log_id));
    if r.moved {
        conn.prepare_cached("UPDATE review_log SET study_day = ?3, kind = ?5 WHERE id = ?19")?
            .execute(rusqlite::params_from_iter(&values))?;
    }
    conn.prepare_cached(
        "UPDATE review_log SET ease_before = ?7, ease_after = ?8,
             interval_before = ?9, interval_after = ?10, repetitions_before = ?11,
             due_day_before = ?12, lapses_before = ?13, is_new_before = ?14,
             last_review_day_before = ?15, repeat_pending_before = ?16,
             stability_before = ?17, difficulty_before = ?18
         WHERE id = ?19",
    )?
    .execute(rusqlite::params_from_iter(&values))
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
fn bury_siblings(
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

/// One card by id, through the statement cache (the answer path reads it twice per answer).
fn card_by_id(conn: &Connection, id: i64) -> rusqlite::Result<StoredCard> {
    conn.prepare_cached(&format!("SELECT {CARD_COLUMNS} FROM cards WHERE id = ?1"))?
        .query_row([id], card_from_row)
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

/// Every stored card's generated content, by key, as `sync_cards` compares it.
fn existing_cards(tx: &Transaction) -> rusqlite::Result<HashMap<String, Existing>> {
    let mut stmt = tx.prepare(
        "SELECT key, id, deck, front, back, note, tags, position, retired, source, source_url
         FROM cards",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Existing {
                id: r.get(1)?,
                content: Card {
                    key: String::new(),
                    deck: r.get(2)?,
                    front: r.get(3)?,
                    back: r.get(4)?,
                    note: r.get(5)?,
                    tags: Vec::new(),
                    source: r.get(9)?,
                    source_url: r.get(10)?,
                },
                tags: r.get(6)?,
                position: r.get(7)?,
                retired: r.get(8)?,
            },
        ))
    })?;
    rows.collect()
}

/// A stored card's generated content, as `sync_cards` compares it with the new cards.
struct Existing {
    id: i64,
    /// The content (key and tags left empty: tags are compared as stored).
    content: Card,
    tags: String,
    position: i64,
    retired: bool,
}

/// `split (card_id, tag, rest)`, a recursive common table expression of the tags of the
/// cards `cards` selects (a condition on `cards`): the stored space-separated list split at
/// its spaces, one row per tag where `tag <> ''`.
pub(super) fn split_tags(cards: &str) -> String {
    format!(
        "split (card_id, tag, rest) AS (
             SELECT id, '', tags || ' ' FROM cards WHERE {cards}
             UNION ALL
             SELECT card_id, substr(rest, 1, instr(rest, ' ') - 1),
                 substr(rest, instr(rest, ' ') + 1)
             FROM split WHERE rest <> ''
         )"
    )
}

/// `names (name)`, a recursive common table expression of the distinct values of an indexed
/// column (`table` and `column` are this code's names, never user text), each found by
/// seeking past the one before: a few dozen seeks for a few dozen decks, not a scan. Its
/// last row is NULL.
fn distinct_names(table: &str, column: &str) -> String {
    format!(
        "names (name) AS (
             SELECT min({column}) FROM {table}
             UNION ALL
             SELECT (SELECT min({column}) FROM {table} WHERE {column} > names.name)
             FROM names WHERE names.name IS NOT NULL
         )"
    )
}

/// Inserts the full-text index entries of the cards `cards` selects.
pub(super) fn index_text(cards: &str) -> String {
    format!(
        "INSERT INTO cards_text (rowid, front, back)
         SELECT id, aw_fold(front), aw_fold(back) FROM cards WHERE {cards}"
    )
}

/// Inserts the tag rows of the cards `cards` selects.
pub(super) fn index_tags(cards: &str) -> String {
    format!(
        "WITH RECURSIVE {} INSERT OR IGNORE INTO card_tags (tag, card_id)
             SELECT tag, card_id FROM split WHERE tag <> ''",
        split_tags(cards)
    )
}

/// Brings the search indexes (the full-text index and the tag rows) up to date after a sync
/// wrote cards: the cards added (every id above `newest_before`) in one statement each, and
/// each rewritten card again.
fn update_search_indexes(
    tx: &rusqlite::Transaction,
    newest_before: i64,
    rewritten: &[i64],
) -> rusqlite::Result<()> {
    tx.execute(&index_text("id > ?1"), [newest_before])?;
    tx.execute(&index_tags("id > ?1"), [newest_before])?;
    let mut forget_text = tx.prepare("DELETE FROM cards_text WHERE rowid = ?1")?;
    let mut forget_tags = tx.prepare("DELETE FROM card_tags WHERE card_id = ?1")?;
    let mut text = tx.prepare(&index_text("id = ?1"))?;
    let mut tags = tx.prepare(&index_tags("id = ?1"))?;
    for id in rewritten {
        forget_text.execute([id])?;
        forget_tags.execute([id])?;
        text.execute([id])?;
        tags.execute([id])?;
    }
    Ok(())
}

impl Store {
    /// Makes the stored cards match the generated ones, by key, in one transaction: new keys are
    /// added as new cards, changed content is updated in place (state and history kept), keys
    /// that vanished are retired, and retired keys that came back are restored. The facts'
    /// fingerprint, when given, is recorded in the same transaction.
    pub fn sync_cards(
        &mut self,
        cards: &[Card],
        today: NaiveDate,
        fingerprint: Option<&str>,
    ) -> Result<SyncReport> {
        self.write(|tx| {
            let mut report = SyncReport::default();
            {
                let existing = existing_cards(tx)?;
                let mut insert = tx.prepare(
                    "INSERT INTO cards (key, deck, front, back, note, tags, position, added_day,
                         source, source_url)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?;
                let mut update = tx.prepare(
                    "UPDATE cards SET deck = ?2, front = ?3, back = ?4, note = ?5, tags = ?6,
                         position = ?7, source = ?8, source_url = ?9, retired = 0
                     WHERE id = ?1",
                )?;
                let newest_before: i64 =
                    tx.query_row("SELECT coalesce(max(id), 0) FROM cards", [], |r| r.get(0))?;
                let mut rewritten = Vec::new();
                // Decks that cards left or joined: their answers move with them in the summary.
                let mut moved: Vec<String> = Vec::new();
                let mut seen = HashSet::with_capacity(cards.len());
                for (position, card) in cards.iter().enumerate() {
                    let position = position as i64;
                    let tags = card.tags.join(" ");
                    seen.insert(card.key.as_str());
                    match existing.get(&card.key) {
                        None => {
                            insert.execute(params![
                                card.key,
                                card.deck,
                                card.front,
                                card.back,
                                card.note,
                                tags,
                                position,
                                day_number(today),
                                card.source,
                                card.source_url,
                            ])?;
                            report.added += 1;
                        }
                        Some(old) => {
                            let c = &old.content;
                            let same = c.deck == card.deck
                                && c.front == card.front
                                && c.back == card.back
                                && c.note == card.note
                                && c.source == card.source
                                && c.source_url == card.source_url
                                && old.tags == tags
                                && old.position == position;
                            if same && !old.retired {
                                continue;
                            }
                            if c.front != card.front || c.back != card.back || old.tags != tags {
                                rewritten.push(old.id);
                            }
                            if c.deck != card.deck {
                                moved.extend([c.deck.clone(), card.deck.clone()]);
                            }
                            update.execute(params![
                                old.id,
                                card.deck,
                                card.front,
                                card.back,
                                card.note,
                                tags,
                                position,
                                card.source,
                                card.source_url
                            ])?;
                            if old.retired {
                                report.restored += 1;
                            } else {
                                report.updated += 1;
                            }
                        }
                    }
                }
                update_search_indexes(tx, newest_before, &rewritten)?;
                moved.sort_unstable();
                moved.dedup();
                super::stats::recount_days(tx, Some(&moved))?;
                let mut retire = tx.prepare("UPDATE cards SET retired = 1 WHERE id = ?1")?;
                for (key, old) in &existing {
                    if !old.retired && !seen.contains(key.as_str()) {
                        retire.execute([old.id])?;
                        report.retired += 1;
                    }
                }
                if let Some(f) = fingerprint {
                    tx.execute(
                        "INSERT INTO settings (key, value) VALUES ('facts_fingerprint', ?1)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        [f],
                    )?;
                }
            }
            Ok(report)
        })
    }

    /// The latest study day an answer was recorded for.
    pub fn last_study_day(&self) -> Result<Option<NaiveDate>> {
        let day: Option<i64> = self
            .conn
            .prepare_cached("SELECT max(study_day) FROM review_log")
            .and_then(|mut stmt| stmt.query_row([], |r| r.get(0)))
            .map_err(|e| self.err(e))?;
        Ok(day.map(day_from_number))
    }

    /// Cards last reviewed after `today`, and answers recorded for a day after it: what a
    /// clock set in the future leaves behind.
    pub fn future_dated(&self, today: NaiveDate) -> Result<(u32, u32)> {
        let t = day_number(today);
        let count = |sql: &str| -> Result<u32> {
            self.conn
                .query_row(sql, [t], |r| r.get(0))
                .map_err(|e| self.err(e))
        };
        Ok((
            count("SELECT count(*) FROM cards WHERE last_review_day > ?1")?,
            count("SELECT count(*) FROM review_log WHERE study_day > ?1")?,
        ))
    }

    /// Moves what a clock in the future left behind to `today`, in one transaction: those
    /// cards keep their interval from today, those answers count for today. Returns the cards.
    pub fn repair_future(&mut self, today: NaiveDate) -> Result<u32> {
        let t = day_number(today);
        self.write(|tx| {
            let cards = tx.execute(
                "UPDATE cards SET last_review_day = ?1,
                     due_day = CASE WHEN is_new = 1 THEN due_day ELSE ?1 + interval_days END
                 WHERE last_review_day > ?1",
                [t],
            )?;
            let answers = tx.execute(
                "UPDATE review_log SET study_day = ?1 WHERE study_day > ?1",
                [t],
            )?;
            if answers > 0 {
                super::stats::recount_days(tx, None)?;
            }
            Ok(u32::try_from(cards).unwrap_or(u32::MAX))
        })
    }

    /// The fingerprint of the facts the cards were last synced from.
    pub fn facts_fingerprint(&self) -> Result<Option<String>> {
        self.setting("facts_fingerprint")
    }

    /// The stamp (files, sizes, times) of the facts folder the cards were last checked against.
    pub fn facts_stamp(&self) -> Result<Option<String>> {
        self.setting("facts_stamp")
    }

    pub fn save_facts_stamp(&mut self, stamp: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO settings (key, value) VALUES ('facts_stamp', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [stamp],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn card(&self, id: i64) -> Result<StoredCard> {
        card_by_id(&self.conn, id)
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or_else(|| StoreError::NotFound(format!("card {id}")))
    }

    pub fn card_by_key(&self, key: &str) -> Result<Option<StoredCard>> {
        self.conn
            .query_row(
                &format!("SELECT {CARD_COLUMNS} FROM cards WHERE key = ?1"),
                [key],
                card_from_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every card (retired ones too), in introduction order.
    pub fn all_cards(&self) -> Result<Vec<StoredCard>> {
        self.query_cards(
            &format!("SELECT {CARD_COLUMNS} FROM cards ORDER BY position, id"),
            params![],
        )
    }

    fn query_cards(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<StoredCard>> {
        self.rows(sql, args, card_from_row)
    }

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
            super::stats::count_answer(tx, id, 1)?;
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
        self.conn
            .query_row(
                "SELECT count(*) FROM review_log
                 WHERE card_id = ?1 AND kind = 'review' AND quality < 3",
                [card_id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
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
            super::stats::count_answer(tx, log_id, -1)?;
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

    /// Pending same-day repeats of `deck`, oldest answer first.
    pub fn repeat_cards(&self, deck: &str, today: NaiveDate) -> Result<Vec<StoredCard>> {
        let in_deck = in_deck(deck);
        self.query_cards(
            &format!(
                "SELECT {CARD_COLUMNS} FROM cards INDEXED BY cards_repeat
                 WHERE repeat_pending = 1 AND last_review_day >= ?2 AND {in_deck}
                   AND retired = 0 AND suspended = 0 AND is_new = 0
                   AND id NOT IN (SELECT card_id FROM buried WHERE day = ?2)
                 ORDER BY (SELECT max(id) FROM review_log WHERE card_id = cards.id)"
            ),
            params![deck, day_number(today)],
        )
    }

    /// The ids and due days of the learned cards of `deck` due today, oldest due first: at
    /// least `limit` of them when there are that many, and every card due on the last day
    /// read (so that the caller can shuffle a day's ties fairly). Read from the covering
    /// index in due order, stopping there, so a big backlog costs no more than the limit.
    pub fn due_ids(
        &self,
        deck: &str,
        today: NaiveDate,
        limit: u32,
    ) -> Result<Vec<(i64, NaiveDate)>> {
        let in_deck = in_deck(deck);
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT id, due_day FROM cards INDEXED BY cards_queue
                 WHERE is_new = 0 AND due_day <= ?2 AND retired = 0 AND suspended = 0
                   AND (last_review_day IS NULL OR last_review_day < ?2) AND {in_deck}
                   AND id NOT IN (SELECT card_id FROM buried WHERE day = ?2)
                 ORDER BY due_day"
            ))
            .map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params![deck, day_number(today)])
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = row.get(0).map_err(|e| self.err(e))?;
            let day = day_from_number(row.get(1).map_err(|e| self.err(e))?);
            if out.len() >= limit as usize && out.last().is_none_or(|&(_, last)| last != day) {
                break;
            }
            out.push((id, day));
        }
        Ok(out)
    }

    /// Every live card of `deck` and its `::` children (the name taken literally, as
    /// everywhere a deck is named; wildcards belong to the search language's `deck:`).
    pub fn deck_cards(&self, deck: &str) -> Result<Vec<StoredCard>> {
        let in_deck = in_deck(deck);
        self.query_cards(
            &format!(
                "SELECT {CARD_COLUMNS} FROM cards WHERE {in_deck} AND retired = 0
                 ORDER BY position, id"
            ),
            [deck],
        )
    }

    /// New cards of `deck` in introduction order, at most `limit`, none buried on `today`.
    pub fn new_cards(&self, deck: &str, limit: u32, today: NaiveDate) -> Result<Vec<StoredCard>> {
        let in_deck = in_deck(deck);
        self.query_cards(
            &format!(
                "SELECT {CARD_COLUMNS} FROM cards
                 WHERE {in_deck} AND retired = 0 AND suspended = 0 AND is_new = 1
                   AND id NOT IN (SELECT card_id FROM buried WHERE day = ?3)
                 ORDER BY position, id LIMIT ?2"
            ),
            params![deck, limit, day_number(today)],
        )
    }

    /// Per deck (own cards only) that has live, unsuspended cards, what is available today,
    /// the new and due counts read up to `new_cap` and `due_cap` only: the tree caps at the
    /// daily limits anyway, and stopping there makes the counts cost a few index seeks per
    /// deck however big the collection (the decks themselves are found by seeking from one
    /// deck name to the next).
    pub fn deck_counts(
        &self,
        today: NaiveDate,
        new_cap: u32,
        due_cap: u32,
    ) -> Result<Vec<DeckCounts>> {
        self.rows(
            &format!(
                "WITH RECURSIVE {}
             SELECT name,
                 (SELECT count(*) FROM (
                     SELECT 1 FROM cards INDEXED BY cards_deck_counts
                     WHERE deck = name AND retired = 0 AND suspended = 0 AND is_new = 1
                       AND id NOT IN (SELECT card_id FROM buried WHERE day = ?1)
                     LIMIT ?2)),
                 (SELECT count(*) FROM cards INDEXED BY cards_repeat
                     WHERE repeat_pending = 1 AND deck = name AND last_review_day >= ?1
                       AND retired = 0 AND suspended = 0 AND is_new = 0
                       AND id NOT IN (SELECT card_id FROM buried WHERE day = ?1)),
                 (SELECT count(*) FROM (
                     SELECT 1 FROM cards INDEXED BY cards_deck_counts
                     WHERE deck = name AND retired = 0 AND suspended = 0 AND is_new = 0
                       AND due_day <= ?1
                       AND (last_review_day IS NULL OR last_review_day < ?1)
                       AND id NOT IN (SELECT card_id FROM buried WHERE day = ?1)
                     LIMIT ?3))
             FROM names
             WHERE name IS NOT NULL AND EXISTS (
                 SELECT 1 FROM cards WHERE deck = name AND retired = 0 AND suspended = 0)
             ORDER BY name",
                distinct_names("cards", "deck")
            ),
            params![day_number(today), new_cap, due_cap],
            |r| {
                Ok(DeckCounts {
                    deck: r.get(0)?,
                    new: r.get(1)?,
                    repeat: r.get(2)?,
                    due: r.get(3)?,
                })
            },
        )
    }

    /// Every deck name in the collection, retired cards' too, found by seeking from one name
    /// to the next in the deck index (a few dozen seeks, not a scan of the cards).
    pub fn all_deck_names(&self) -> Result<Vec<String>> {
        self.distinct("cards", "deck")
    }

    /// Every tag name in the collection, found the same way.
    pub fn all_tag_names(&self) -> Result<Vec<String>> {
        self.distinct("card_tags", "tag")
    }

    fn distinct(&self, table: &str, column: &str) -> Result<Vec<String>> {
        let sql = format!(
            "WITH RECURSIVE {} SELECT name FROM names WHERE name IS NOT NULL",
            distinct_names(table, column)
        );
        self.rows(&sql, [], |r| r.get(0))
    }

    /// Every deck name that has cards (retired ones excluded).
    pub fn deck_names(&self) -> Result<Vec<String>> {
        self.rows(
            "SELECT DISTINCT deck FROM cards WHERE retired = 0 ORDER BY deck",
            [],
            |r| r.get(0),
        )
    }

    /// The earliest day after `today` on which a card of `deck` is due.
    pub fn next_due_day(&self, deck: &str, today: NaiveDate) -> Result<Option<NaiveDate>> {
        let in_deck = in_deck(deck);
        let n: Option<i64> = self
            .conn
            .query_row(
                &format!(
                    "SELECT min(due_day) FROM cards
                     WHERE {in_deck} AND retired = 0 AND suspended = 0 AND is_new = 0
                       AND due_day > ?2"
                ),
                params![deck, day_number(today)],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        Ok(n.map(day_from_number))
    }

    /// Learned cards of `deck` due on or before `day`.
    pub fn count_due_by(&self, deck: &str, day: NaiveDate) -> Result<u32> {
        let in_deck = in_deck(deck);
        self.conn
            .query_row(
                &format!(
                    "SELECT count(*) FROM cards
                     WHERE {in_deck} AND retired = 0 AND suspended = 0 AND is_new = 0
                       AND due_day <= ?2"
                ),
                params![deck, day_number(day)],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }
}
