//! The SQL side of the Anki bridge: the cards and answers an export takes (and the Anki ids
//! it gives the answers); the collection file inside a package is written in `write` and
//! read in `read`.

mod merge;
mod read;
mod shadow;
mod write;

pub use merge::{collection_crt, merge_into_collection};
pub use read::{AnkiAnswer, AnkiNote, PackageContents, PackageLimits, read_package_collection};
pub use shadow::{SanityCounts, SyncedCard, SyncedChanges, SyncedNote, collection_holds_ours};
pub use write::{
    PackageCard, PackageCollection, PackageRevlog, prepare_full_upload, write_package_collection,
};

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate};
use rusqlite::params_from_iter;

use super::rows::{CARD_COLUMNS, card_from_row, review_kind};
use super::selection::CardSelection;
use super::{Result, Store};
use crate::model::anki;
use crate::model::card::{ReviewKind, StoredCard, day_from_number};

impl Store {
    /// The live cards an export selects (a search, or a deck and its children), in
    /// introduction order.
    pub fn selected_cards(
        &self,
        selection: CardSelection,
        today: NaiveDate,
    ) -> Result<Vec<StoredCard>> {
        let cards = self.selection_sql(selection, today, false)?;
        let sql = cards.select(CARD_COLUMNS);
        self.rows(&sql, params_from_iter(cards.params.iter()), card_from_row)
    }

    /// The answers to these cards, in log order, each with its Anki revlog id. Answers that
    /// have none yet are given one (their time in ms, made unique against every id the
    /// collection holds) in one transaction, so that the next export gives the same ids.
    pub fn exported_answers(&mut self, card_ids: &HashSet<i64>) -> Result<Vec<ExportedAnswer>> {
        self.answers_with_anki_ids(card_ids, "")
    }

    /// [`Store::exported_answers`] of a few cards (read through the card index, not the whole
    /// log).
    pub fn answers_of_cards(&mut self, card_ids: &HashSet<i64>) -> Result<Vec<ExportedAnswer>> {
        let ids: Vec<i64> = card_ids.iter().copied().collect();
        let list = serde_json::Value::from(ids).to_string();
        self.answers_with_anki_ids(
            card_ids,
            &format!("WHERE card_id IN (SELECT value FROM json_each('{list}'))"),
        )
    }

    fn answers_with_anki_ids(
        &mut self,
        card_ids: &HashSet<i64>,
        filter: &str,
    ) -> Result<Vec<ExportedAnswer>> {
        self.write(|tx| {
            let mut answers = Vec::new();
            // (index in `answers`, log row id, time in ms) of the answers without an Anki id.
            let mut missing: Vec<(usize, i64, i64)> = Vec::new();
            {
                // The time is read only where an id is still to be given: a string per answer
                // is ~100 MB at a million answers.
                let mut stmt = tx.prepare(&format!(
                    "SELECT anki_id, card_id, id, CASE WHEN anki_id IS NULL THEN reviewed_at END,
                         study_day, quality, kind, time_taken_ms, ease_after, interval_before,
                         interval_after
                     FROM review_log {filter} ORDER BY id"
                ))?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let anki_id: Option<i64> = r.get(0)?;
                    let card_id = r.get(1)?;
                    if !card_ids.contains(&card_id) {
                        continue;
                    }
                    if anki_id.is_none() {
                        let at: Option<String> = r.get(3)?;
                        let ms = at
                            .and_then(|at| DateTime::parse_from_rfc3339(&at).ok())
                            .map_or(0, |t| t.timestamp_millis());
                        missing.push((answers.len(), r.get(2)?, ms));
                    }
                    let kind: String = r.get(6)?;
                    answers.push(ExportedAnswer {
                        anki_id: anki_id.unwrap_or(0),
                        card_id,
                        study_day: day_from_number(r.get(4)?),
                        quality: r.get(5)?,
                        kind: review_kind(&kind, 6)?,
                        time_taken_ms: u64::try_from(r.get::<_, i64>(7)?).unwrap_or(0),
                        ease_after: r.get(8)?,
                        interval_before: r.get(9)?,
                        interval_after: r.get(10)?,
                    });
                }
            }
            if missing.is_empty() {
                return Ok(answers);
            }
            let mut taken: HashSet<i64> = {
                let mut stmt =
                    tx.prepare("SELECT anki_id FROM review_log WHERE anki_id IS NOT NULL")?;
                stmt.query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            };
            let times: Vec<i64> = missing.iter().map(|m| m.2).collect();
            let given = anki::revlog_ids(&times, &mut taken);
            // One UPDATE from a table of the new ids: row by row, a million answers took a
            // minute; this way, seconds.
            tx.execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS given_anki_ids
                 (id INTEGER PRIMARY KEY, anki_id INTEGER NOT NULL);
             DELETE FROM given_anki_ids;",
            )?;
            {
                let mut add = tx.prepare("INSERT INTO given_anki_ids VALUES (?1, ?2)")?;
                for ((at, log_id, _), anki_id) in missing.iter().zip(&given) {
                    add.execute([log_id, anki_id])?;
                    answers[*at].anki_id = *anki_id;
                }
            }
            tx.execute_batch(
                "UPDATE review_log SET anki_id = g.anki_id FROM given_anki_ids g
                 WHERE review_log.id = g.id;
             DELETE FROM given_anki_ids;",
            )?;
            Ok(answers)
        })
    }
}

/// An answer an export takes: its Anki revlog id, and what the revlog row is made of.
#[derive(Debug, Clone, Copy)]
pub struct ExportedAnswer {
    pub anki_id: i64,
    pub card_id: i64,
    pub study_day: NaiveDate,
    pub quality: u8,
    pub kind: ReviewKind,
    pub time_taken_ms: u64,
    pub ease_after: f64,
    pub interval_before: u32,
    pub interval_after: u32,
}

impl Store {
    /// The logged answers that carry an Anki id: their ids here by Anki id.
    pub fn anki_ids(&self) -> Result<HashMap<i64, i64>> {
        Ok(self
            .rows(
                "SELECT anki_id, id FROM review_log WHERE anki_id IS NOT NULL",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .into_iter()
            .collect())
    }

    /// The live cards of `ids`, each with its place in introduction order among all live
    /// cards (as an export of every card numbers them).
    pub fn cards_with_rank(&self, ids: &[i64]) -> Result<Vec<(StoredCard, i64)>> {
        let list = serde_json::Value::from(ids).to_string();
        let sql = format!(
            "SELECT {CARD_COLUMNS}, r.rank FROM cards
             JOIN (SELECT id AS rid, row_number() OVER (ORDER BY position, id) - 1 AS rank
                   FROM cards WHERE retired = 0) r ON r.rid = cards.id
             WHERE cards.id IN (SELECT value FROM json_each(?1))"
        );
        self.rows(&sql, [list], |r| Ok((card_from_row(r)?, r.get("rank")?)))
    }

    /// Card ids and decks by key, retired cards too.
    pub fn cards_by_key(&self) -> Result<HashMap<String, (i64, String)>> {
        Ok(self
            .rows("SELECT key, id, deck FROM cards", [], |r| {
                Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))
            })?
            .into_iter()
            .collect())
    }
}
