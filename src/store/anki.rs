//! The SQL side of the Anki bridge: the cards and answers an export takes (and the Anki ids
//! it gives the answers), and the collection file inside a package, in Anki's schema 11.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};

use super::cards::{CARD_COLUMNS, IN_DECK, card_from_row};
use super::search::ExportSelection;
use super::{Result, Store, sqlite_err};
use crate::model::anki::{self, AnkiSchedule, ColJson};
use crate::model::card::StoredCard;

/// One note and its card, as the package stores them.
#[derive(Debug, Clone)]
pub struct PackageCard {
    pub id: i64,
    pub guid: String,
    pub deck_id: i64,
    pub front: String,
    pub fields: String,
    pub tags: String,
    pub schedule: AnkiSchedule,
    pub reps: i64,
    pub lapses: i64,
}

/// One answer in Anki's review log.
#[derive(Debug, Clone, Copy)]
pub struct PackageRevlog {
    pub id: i64,
    pub card_id: i64,
    pub button: i64,
    pub ivl: i64,
    pub last_ivl: i64,
    pub factor: i64,
    pub time_ms: i64,
    pub kind: i64,
}

/// The collection inside a package.
pub struct PackageCollection {
    /// Seconds since 1970 of the collection's creation (Anki's `crt`).
    pub crt: i64,
    pub col: ColJson,
    pub cards: Vec<PackageCard>,
    pub revlog: Vec<PackageRevlog>,
}

/// Anki's schema 11, as its legacy packages hold it.
const SCHEMA_11: &str = "
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
    scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,
    ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
    dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
    mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
    sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
    ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,
    queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
    reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
    odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
    ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL,
    factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
";

/// Writes `c` as a new Anki collection file at `path` (which must not exist), in one
/// transaction.
pub fn write_package_collection(path: &Path, c: &PackageCollection, now_secs: i64) -> Result<()> {
    let e = |err| sqlite_err(path, err);
    let mut conn = Connection::open(path).map_err(e)?;
    let tx = conn.transaction().map_err(e)?;
    tx.execute_batch(SCHEMA_11).map_err(e)?;
    tx.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
        params![
            c.crt,
            now_secs * 1000,
            c.col.conf,
            c.col.models,
            c.col.decks,
            c.col.dconf
        ],
    )
    .map_err(e)?;
    {
        let mut note = tx
            .prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, 0, 0, '')")
            .map_err(e)?;
        let mut card = tx
            .prepare(
                "INSERT INTO cards VALUES (?1, ?1, ?2, 0, ?3, -1, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                     0, 0, 0, 0, '')",
            )
            .map_err(e)?;
        for c in &c.cards {
            let tags = if c.tags.is_empty() {
                String::new()
            } else {
                format!(" {} ", c.tags)
            };
            note.execute(params![
                c.id,
                c.guid,
                anki::NOTETYPE_ID,
                now_secs,
                tags,
                c.fields,
                c.front
            ])
            .map_err(e)?;
            let s = c.schedule;
            card.execute(params![
                c.id, c.deck_id, now_secs, s.ctype, s.queue, s.due, s.ivl, s.factor, c.reps,
                c.lapses
            ])
            .map_err(e)?;
        }
        let mut revlog = tx
            .prepare("INSERT INTO revlog VALUES (?1, ?2, -1, ?3, ?4, ?5, ?6, ?7, ?8)")
            .map_err(e)?;
        for r in &c.revlog {
            revlog
                .execute(params![
                    r.id, r.card_id, r.button, r.ivl, r.last_ivl, r.factor, r.time_ms, r.kind
                ])
                .map_err(e)?;
        }
    }
    tx.commit().map_err(e)
}

impl Store {
    /// The live cards an export selects (a search, or a deck and its children), in
    /// introduction order.
    pub fn selected_cards(
        &self,
        selection: ExportSelection,
        today: NaiveDate,
    ) -> Result<Vec<StoredCard>> {
        let (sql, params) = match selection {
            ExportSelection::Matching(q) => {
                let c = self.compile(q, today)?;
                (
                    format!(
                        "SELECT {CARD_COLUMNS} FROM cards WHERE id IN
                             (SELECT id FROM {} WHERE {}) ORDER BY position, id",
                        c.table, c.sql
                    ),
                    c.params,
                )
            }
            ExportSelection::Deck(deck) => (
                format!(
                    "SELECT {CARD_COLUMNS} FROM cards WHERE {IN_DECK} AND retired = 0
                     ORDER BY position, id"
                ),
                vec![Value::Text(deck.to_string())],
            ),
        };
        self.rows(&sql, params_from_iter(params.iter()), card_from_row)
    }

    /// The Anki revlog id of every answer to these cards, giving one to those that have none
    /// yet (their time in ms, made unique against every id the collection holds), in one
    /// transaction. By log row id.
    pub fn anki_ids(&mut self, card_ids: &HashSet<i64>) -> Result<HashMap<i64, i64>> {
        let path = self.path.clone();
        let e = |err| sqlite_err(&path, err);
        let tx = self.conn.transaction().map_err(e)?;
        let rows: Vec<(i64, i64, String, Option<i64>)> = {
            let mut stmt = tx
                .prepare("SELECT id, card_id, reviewed_at, anki_id FROM review_log ORDER BY id")
                .map_err(e)?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .map_err(e)?
                .collect::<rusqlite::Result<_>>()
                .map_err(e)?
        };
        let mut taken: HashSet<i64> = rows.iter().filter_map(|r| r.3).collect();
        let wanted: Vec<&(i64, i64, String, Option<i64>)> =
            rows.iter().filter(|r| card_ids.contains(&r.1)).collect();
        let missing: Vec<(i64, i64)> = wanted
            .iter()
            .filter(|r| r.3.is_none())
            .map(|r| {
                let ms = DateTime::parse_from_rfc3339(&r.2).map_or(0, |t| t.timestamp_millis());
                (r.0, ms)
            })
            .collect();
        let times: Vec<i64> = missing.iter().map(|m| m.1).collect();
        let given = anki::revlog_ids(&times, &mut taken);
        {
            let mut set = tx
                .prepare("UPDATE review_log SET anki_id = ?2 WHERE id = ?1")
                .map_err(e)?;
            for ((log_id, _), anki_id) in missing.iter().zip(&given) {
                set.execute([log_id, anki_id]).map_err(e)?;
            }
        }
        tx.commit().map_err(e)?;
        let given: HashMap<i64, i64> = missing.iter().map(|m| m.0).zip(given).collect();
        Ok(wanted
            .iter()
            .filter_map(|r| r.3.or_else(|| given.get(&r.0).copied()).map(|a| (r.0, a)))
            .collect())
    }
}
