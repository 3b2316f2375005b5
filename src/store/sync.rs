//! Card sync: the stored cards made to match the generated ones, by key; the facts' fingerprint
//! and stamp; answers dated after today moved back to it.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::rows::{index_tags, index_text};
use super::{Result, Store, StoreError};
use crate::model::card::{day_from_number, day_number};
use crate::model::cardgen::Card;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct SyncReport {
    pub added: u32,
    pub updated: u32,
    pub retired: u32,
    pub restored: u32,
}

/// Every stored card's generated content, by key, as `sync_cards` compares it.
pub(super) fn existing_cards(tx: &Transaction) -> rusqlite::Result<HashMap<String, Existing>> {
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
pub(super) struct Existing {
    id: i64,
    /// The content (key and tags left empty: tags are compared as stored).
    content: Card,
    tags: String,
    position: i64,
    retired: bool,
}

/// Brings the search indexes (the full-text index and the tag rows) up to date after a sync
/// wrote cards: the cards added (every id above `newest_before`) in one statement each, and
/// each rewritten card again.
pub(super) fn update_search_indexes(
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
        self.sync_cards_counted(cards, today, fingerprint, &mut || true)
    }

    /// [`Store::sync_cards`], calling `step` before each card; when it returns false, the
    /// transaction is rolled back ([`StoreError::Cancelled`]).
    pub fn sync_cards_counted(
        &mut self,
        cards: &[Card],
        today: NaiveDate,
        fingerprint: Option<&str>,
        step: &mut dyn FnMut() -> bool,
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
                    if !step() {
                        return Err(StoreError::Cancelled.into());
                    }
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
                super::summary::recount_days(tx, Some(&moved))?;
                let mut retire = tx.prepare("UPDATE cards SET retired = 1 WHERE id = ?1")?;
                for (key, old) in &existing {
                    if !old.retired && !seen.contains(key.as_str()) {
                        retire.execute([old.id])?;
                        report.retired += 1;
                    }
                }
                if let Some(f) = fingerprint {
                    super::settings::put_setting(tx, "facts_fingerprint", f)?;
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
        let count = |sql: &str| -> Result<u32> { self.one(sql, [t], |r| r.get(0)) };
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
                super::summary::recount_days(tx, None)?;
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
        super::settings::put_setting(&self.conn, "facts_stamp", stamp).map_err(|e| self.err(e))
    }

    pub(super) fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }
}
