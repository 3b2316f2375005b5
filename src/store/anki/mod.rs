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
        self.answers_with_anki_ids(card_ids, "ORDER BY id")
    }

    /// [`Store::exported_answers`] of a few cards, in card order (read through the card index,
    /// not the whole log).
    pub fn answers_of_cards(&mut self, card_ids: &HashSet<i64>) -> Result<Vec<ExportedAnswer>> {
        let ids: Vec<i64> = card_ids.iter().copied().collect();
        let list = serde_json::Value::from(ids).to_string();
        self.answers_with_anki_ids(
            card_ids,
            // In card order, through the card index (in log order SQLite walks the whole log).
            &format!(
                "WHERE card_id IN (SELECT value FROM json_each('{list}')) ORDER BY card_id, id"
            ),
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
                     FROM review_log {filter}"
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
            let times: Vec<i64> = missing.iter().map(|m| m.2).collect();
            // An id given is its time or one after: only ids from the earliest time on can
            // be in the way (a sync's few new answers: today's, not a million).
            let earliest = times.iter().copied().min().unwrap_or(0);
            let mut taken: HashSet<i64> = {
                let mut stmt = tx.prepare(
                    "SELECT anki_id FROM review_log WHERE anki_id IS NOT NULL AND anki_id >= ?1",
                )?;
                stmt.query_map([earliest], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            };
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
            // Many ids (a first export or sync): the unique index built again after, not kept
            // up row by row (2.7 s at a million answers, 1.4 s so).
            let many = missing.len() > 100_000;
            if many {
                tx.execute_batch("DROP INDEX review_log_anki")?;
            }
            tx.execute_batch(
                // By row id from the table (an UPDATE .. FROM walks the whole log).
                "UPDATE review_log
                 SET anki_id = (SELECT g.anki_id FROM given_anki_ids g WHERE g.id = review_log.id)
                 WHERE id IN (SELECT id FROM given_anki_ids);
             DELETE FROM given_anki_ids;",
            )?;
            if many {
                tx.execute_batch(
                    "CREATE UNIQUE INDEX review_log_anki ON review_log (anki_id) WHERE anki_id IS NOT NULL",
                )?;
            }
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

    /// Of the answers with these Anki ids, those logged here: their ids here by Anki id.
    pub fn anki_ids_among(&self, anki_ids: &[i64]) -> Result<HashMap<i64, i64>> {
        let list = serde_json::Value::from(anki_ids).to_string();
        Ok(self
            .rows(
                "SELECT anki_id, id FROM review_log
                 WHERE anki_id IN (SELECT value FROM json_each(?1))",
                [list],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .into_iter()
            .collect())
    }

    /// The live cards of `ids`, each new one with its place in introduction order among all
    /// live cards (as an export of every card numbers them; 0 for the others).
    pub fn cards_with_rank(&self, ids: &[i64]) -> Result<Vec<(StoredCard, i64)>> {
        let list = serde_json::Value::from(ids).to_string();
        let sql = format!(
            // By id (the `+` keeps the planner off the retired index, a pass over every card).
            "SELECT {CARD_COLUMNS} FROM cards
             WHERE +retired = 0 AND id IN (SELECT value FROM json_each(?1))"
        );
        let cards = self.rows(&sql, [&list], card_from_row)?;
        // The ranks only when a card is new: they take a pass over every card.
        let ranks: HashMap<i64, i64> = if cards.iter().any(|c| c.state.is_new) {
            self.rows(
                "SELECT id, rank FROM (SELECT id, row_number() OVER (ORDER BY position, id) - 1
                     AS rank FROM cards WHERE retired = 0)
                 WHERE id IN (SELECT value FROM json_each(?1))",
                [&list],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .into_iter()
            .collect()
        } else {
            HashMap::new()
        };
        Ok(cards
            .into_iter()
            .map(|c| {
                let rank = ranks.get(&c.id).copied().unwrap_or(0);
                (c, rank)
            })
            .collect())
    }

    /// The keys and decks of the cards `ids`.
    pub fn card_refs(&self, ids: &[i64]) -> Result<Vec<(i64, String, String)>> {
        let list = serde_json::Value::from(ids).to_string();
        self.rows(
            "SELECT id, key, deck FROM cards WHERE id IN (SELECT value FROM json_each(?1))",
            [list],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
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
