//! What the card browser reads and does: its rows for a search, and the actions on the cards
//! it selects (suspend, bury, flag, move the due day, make new again), each in one
//! transaction.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter};

use super::rows::TAGS;
use super::search::param;
use super::{Result, Store};
use crate::model::card::{BrowseRow, day_from_number, day_number};
use crate::model::search::Query;

impl Store {
    /// The browser's rows for `q`, in introduction order; with `positions`, only the cards
    /// whose position is in that range, read through the position index: however rare or
    /// common the matches, a window of positions costs about the same, so a big search loads
    /// a window at a time.
    pub fn browse(
        &self,
        q: &Query,
        today: NaiveDate,
        positions: Option<std::ops::Range<i64>>,
    ) -> Result<Vec<BrowseRow>> {
        let mut c = self.compile_with(q, today, positions.is_none())?;
        let today = param(&mut c.params, Value::Integer(day_number(today)));
        let (table, window) = match positions {
            Some(range) => {
                let lo = param(&mut c.params, Value::Integer(range.start));
                let hi = param(&mut c.params, Value::Integer(range.end));
                (
                    "cards INDEXED BY cards_position",
                    format!("retired IN (0, 1) AND position >= {lo} AND position < {hi} AND "),
                )
            }
            None => (c.table, String::new()),
        };
        let sql = format!(
            "SELECT id, deck, front, is_new, due_day, interval_days, ease, lapses,
                    (SELECT count(*) FROM review_log WHERE card_id = cards.id), suspended, retired,
                    position, back, {TAGS}, flag,
                    id IN (SELECT card_id FROM buried WHERE day = {today}),
                    source, stability, difficulty, last_review_day, key
             FROM {table} WHERE {window}{} ORDER BY position, id",
            c.sql
        );
        self.rows(&sql, params_from_iter(c.params.iter()), |r| {
            let due: Option<i64> = r.get(4)?;
            Ok(BrowseRow {
                id: r.get(0)?,
                deck: r.get(1)?,
                front: r.get(2)?,
                is_new: r.get(3)?,
                due_day: due.map(crate::model::card::day_from_number),
                interval: r.get(5)?,
                ease: r.get(6)?,
                lapses: r.get(7)?,
                reviews: r.get(8)?,
                suspended: r.get(9)?,
                retired: r.get(10)?,
                position: r.get(11)?,
                back: r.get(12)?,
                tags: r.get(13)?,
                flag: r.get(14)?,
                buried: r.get(15)?,
                source: r.get(16)?,
                stability: r.get(17)?,
                difficulty: r.get(18)?,
                last_review: r.get::<_, Option<i64>>(19)?.map(day_from_number),
                key: r.get(20)?,
            })
        })
    }

    /// Suspends or unsuspends cards, in one transaction.
    pub fn set_suspended(&mut self, ids: &[i64], suspended: bool) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare("UPDATE cards SET suspended = ?2 WHERE id = ?1")?;
            for id in ids {
                stmt.execute(params![id, suspended])?;
            }
            Ok(())
        })
    }

    /// Buries cards for study day `day` (or unburies them), in one transaction.
    pub fn set_buried_cards(&mut self, ids: &[i64], day: NaiveDate, buried: bool) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare(if buried {
                "INSERT OR REPLACE INTO buried (card_id, day) VALUES (?1, ?2)"
            } else {
                "DELETE FROM buried WHERE card_id = ?1 AND day = ?2"
            })?;
            for id in ids {
                stmt.execute(params![id, day_number(day)])?;
            }
            Ok(())
        })
    }

    /// Flags cards (0: no flag, 1-4), in one transaction.
    pub fn set_flags(&mut self, ids: &[i64], flag: u8) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare("UPDATE cards SET flag = ?2 WHERE id = ?1")?;
            for id in ids {
                stmt.execute(params![id, flag])?;
            }
            Ok(())
        })
    }

    /// Moves the due day of the learned cards among `ids` to `day` (new cards have no
    /// schedule to move), in one transaction. Returns how many moved.
    pub fn set_due_day(&mut self, ids: &[i64], day: NaiveDate) -> Result<usize> {
        self.write(|tx| {
            let mut stmt =
                tx.prepare("UPDATE cards SET due_day = ?2 WHERE id = ?1 AND is_new = 0")?;
            let mut moved = 0;
            for id in ids {
                moved += stmt.execute(params![id, day_number(day)])?;
            }
            Ok(moved)
        })
    }

    /// Makes cards new again (their review history is kept, and the reset is recorded at
    /// `at`, RFC 3339), in one transaction.
    pub fn reset_to_new(&mut self, ids: &[i64], at: &str) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare(
                "UPDATE cards SET is_new = 1, repetitions = 0, ease = 2.5, interval_days = 0,
                     due_day = NULL, lapses = 0, last_review_day = NULL, repeat_pending = 0,
                     stability = 0, difficulty = 0
                 WHERE id = ?1",
            )?;
            let mut record =
                tx.prepare("INSERT INTO card_resets (card_id, reset_at) VALUES (?1, ?2)")?;
            for id in ids {
                stmt.execute([id])?;
                record.execute(rusqlite::params![id, at])?;
            }
            Ok(())
        })
    }

    /// When a card was made new again, oldest first (RFC 3339).
    pub fn resets(&self, card_id: i64) -> Result<Vec<String>> {
        self.rows(
            "SELECT reset_at FROM card_resets WHERE card_id = ?1 ORDER BY id",
            [card_id],
            |r| r.get(0),
        )
    }

    /// Every card's resets as (card id, when), oldest first.
    pub fn all_resets(&self) -> Result<Vec<(i64, String)>> {
        self.rows(
            "SELECT card_id, reset_at FROM card_resets ORDER BY id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }
}
