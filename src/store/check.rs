//! What `awscards check` looks for beyond SQLite's integrity check: the schema this build
//! made (a dropped table or index, a trigger that is not ours), values of the right type and
//! range (a card's interval, ease, counts and days; an answer's day and time), rows that point
//! at cards that are gone. And what of it `--repair` can mend.

use std::collections::HashMap;

use rusqlite::Connection;

use super::{Result, Store};

/// Tables nothing else holds: when one is gone, only a backup brings its rows back.
const IRREPLACEABLE: &[&str] = &["cards", "review_log"];

/// A card whose stored state is of the wrong type or out of range (SQLite stores what it is
/// given: a text interval, a negative one, an ease that is not a number).
const BAD_CARD: &str = "typeof(is_new) != 'integer' OR is_new NOT IN (0, 1)
    OR typeof(repetitions) != 'integer' OR repetitions < 0
    OR typeof(lapses) != 'integer' OR lapses < 0
    OR typeof(interval_days) != 'integer' OR interval_days < 0
    OR typeof(ease) NOT IN ('real', 'integer') OR NOT (ease BETWEEN 1.3 AND 1000)
    OR typeof(stability) NOT IN ('real', 'integer') OR NOT (stability BETWEEN 0 AND 1e9)
    OR typeof(difficulty) NOT IN ('real', 'integer') OR NOT (difficulty BETWEEN 0 AND 10)
    OR (due_day IS NOT NULL AND typeof(due_day) != 'integer')
    OR (is_new = 0 AND due_day IS NULL)
    OR (last_review_day IS NOT NULL AND typeof(last_review_day) != 'integer')
    OR typeof(repeat_pending) != 'integer' OR repeat_pending NOT IN (0, 1)";

/// An answer whose day or time is of the wrong type or out of range.
const BAD_ANSWER: &str = "typeof(study_day) != 'integer' OR typeof(time_taken_ms) != 'integer'
    OR time_taken_ms < 0 OR typeof(interval_before) != 'integer' OR interval_before < 0
    OR typeof(interval_after) != 'integer' OR interval_after < 0
    OR typeof(ease_before) NOT IN ('real', 'integer')
    OR typeof(ease_after) NOT IN ('real', 'integer')";

/// The schema objects (type and name) of a collection this build makes, with their SQL:
/// tables, indexes and the text index, not the text index's own shadow tables.
fn reference_schema() -> Result<Vec<(String, String, String)>> {
    let store = Store::open_in_memory()?;
    schema(&store.conn).map_err(|e| store.err(e))
}

fn schema(conn: &Connection) -> rusqlite::Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master
         WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'cards_text_%' ORDER BY rowid",
    )?;
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect()
}

/// What `check` finds wrong in the schema and the values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Damage {
    /// Objects of this build's schema that are missing, as "table review_days".
    pub missing: Vec<String>,
    /// Triggers and views this build never makes (they would change what is written).
    pub foreign: Vec<String>,
    /// Cards whose stored state is of the wrong type or out of range.
    pub bad_cards: Vec<i64>,
    /// Answers whose day or time is of the wrong type or out of range.
    pub bad_answers: u32,
    /// Rows that point at a card that is not there (answers, tags, resets, buried).
    pub orphans: u32,
}

impl Damage {
    pub fn is_empty(&self) -> bool {
        *self == Damage::default()
    }

    /// Missing tables that no repair brings back.
    pub fn irreparable(&self) -> Vec<&str> {
        self.missing
            .iter()
            .filter_map(|m| m.strip_prefix("table "))
            .filter(|t| IRREPLACEABLE.contains(t))
            .collect()
    }
}

impl Store {
    /// The schema's and the values' problems. Values are looked at only when the cards and
    /// the log are there.
    pub fn damage(&self) -> Result<Damage> {
        let e = |err| self.err(err);
        let reference = reference_schema()?;
        let here = schema(&self.conn).map_err(e)?;
        let mut damage = Damage::default();
        for (kind, name, _) in &reference {
            if !here.iter().any(|(k, n, _)| k == kind && n == name) {
                damage.missing.push(format!("{kind} {name}"));
            }
        }
        for (kind, name, _) in &here {
            let ours = reference.iter().any(|(k, n, _)| k == kind && n == name);
            if !ours && (kind == "trigger" || kind == "view") {
                damage.foreign.push(format!("{kind} {name}"));
            }
        }
        if !damage.irreparable().is_empty() {
            return Ok(damage);
        }
        damage.bad_cards =
            self.rows(&format!("SELECT id FROM cards WHERE {BAD_CARD}"), [], |r| {
                r.get(0)
            })?;
        damage.bad_answers = self
            .conn
            .query_row(
                &format!("SELECT count(*) FROM review_log WHERE {BAD_ANSWER}"),
                [],
                |r| r.get(0),
            )
            .map_err(e)?;
        damage.orphans = self.rows("PRAGMA foreign_key_check", [], |_| Ok(()))?.len() as u32;
        Ok(damage)
    }

    /// Mends what can be mended of `damage`, in one transaction: missing indexes and tables
    /// made again (the ones derived from the cards and the log are rebuilt by the caller;
    /// others start empty), foreign triggers and views dropped, rows of cards that are gone
    /// removed, answers' days taken again from their time and bad times set to 0. Returns the
    /// cards whose state is to be replayed from their log: those whose state was bad, and
    /// those with a bad answer.
    pub fn mend(&mut self, damage: &Damage, rollover_hour: u32) -> Result<Vec<i64>> {
        let reference = reference_schema()?;
        let mut cards = self.write(|tx| {
            for object in &damage.foreign {
                let (kind, name) = object.split_once(' ').unwrap_or(("", object));
                tx.execute_batch(&format!(
                    "DROP {kind} IF EXISTS \"{}\"",
                    name.replace('"', "\"\"")
                ))?;
            }
            // Tables first, then their indexes: the reference's own order.
            for (kind, name, sql) in &reference {
                if damage.missing.contains(&format!("{kind} {name}")) {
                    tx.execute_batch(sql)?;
                }
            }
            let mut cards: Vec<i64> = damage.bad_cards.clone();
            if damage.orphans > 0 {
                // Each referencing table, its rows whose card is gone.
                let mut by_table: HashMap<String, Vec<i64>> = HashMap::new();
                {
                    let mut stmt = tx.prepare("PRAGMA foreign_key_check")?;
                    let rows = stmt.query_map([], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))
                    })?;
                    for row in rows {
                        let (table, rowid) = row?;
                        if let Some(rowid) = rowid {
                            by_table.entry(table).or_default().push(rowid);
                        }
                    }
                }
                for (table, rowids) in by_table {
                    let mut delete = tx.prepare(&format!(
                        "DELETE FROM \"{}\" WHERE rowid = ?1",
                        table.replace('"', "\"\"")
                    ))?;
                    for rowid in rowids {
                        delete.execute([rowid])?;
                    }
                }
            }
            if damage.bad_answers > 0 {
                let mut stmt = tx.prepare(&format!(
                    "SELECT DISTINCT card_id FROM review_log WHERE {BAD_ANSWER}"
                ))?;
                let ids = stmt
                    .query_map([], |r| r.get::<_, i64>(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()?;
                cards.extend(ids);
                drop(stmt);
                tx.execute(
                    "UPDATE review_log SET study_day = CAST(
                     julianday(substr(reviewed_at, 1, 19), printf('-%d hours', ?1))
                     - 2440587.5 AS INTEGER)
                 WHERE typeof(study_day) != 'integer'",
                    [rollover_hour],
                )?;
                tx.execute_batch(
                    "UPDATE review_log SET time_taken_ms = 0
                     WHERE typeof(time_taken_ms) != 'integer' OR time_taken_ms < 0;
                 UPDATE review_log SET interval_before = 0
                     WHERE typeof(interval_before) != 'integer' OR interval_before < 0;
                 UPDATE review_log SET interval_after = 0
                     WHERE typeof(interval_after) != 'integer' OR interval_after < 0;
                 UPDATE review_log SET ease_before = 2.5
                     WHERE typeof(ease_before) NOT IN ('real', 'integer');
                 UPDATE review_log SET ease_after = 2.5
                     WHERE typeof(ease_after) NOT IN ('real', 'integer');",
                )?;
            }
            Ok(cards)
        })?;
        cards.sort_unstable();
        cards.dedup();
        Ok(cards)
    }
}

/// What SQLite's integrity check of `conn` finds; empty when the file is sound.
pub(super) fn integrity_problems(conn: &Connection, quick: bool) -> Vec<String> {
    let pragma = if quick {
        "quick_check"
    } else {
        "integrity_check"
    };
    let rows = conn
        .prepare(&format!("PRAGMA {pragma}"))
        .and_then(|mut stmt| {
            stmt.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        });
    match rows {
        Ok(rows) if rows == ["ok"] => Vec::new(),
        Ok(rows) => rows,
        Err(e) => vec![e.to_string()],
    }
}
