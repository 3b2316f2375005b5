//! The collection file inside a package an export writes, in Anki's schema 11.

use std::path::Path;

use rusqlite::{Connection, params};

use crate::model::anki::{self, AnkiSchedule, ColJson};
use crate::store::{Result, StoreError, sqlite_err};

/// One note and its card, as the package stores them.
#[derive(Debug, Clone)]
pub struct PackageCard {
    pub id: i64,
    pub guid: String,
    pub deck_id: i64,
    /// The deck's name (`::` between levels).
    pub deck: String,
    pub front: String,
    pub fields: String,
    pub tags: String,
    pub schedule: AnkiSchedule,
    pub reps: i64,
    pub lapses: i64,
    /// The learner's flag (0 none, 1 red, 2 orange, 3 green, 4 blue: Anki's numbers).
    pub flag: u8,
}

impl PackageCard {
    /// Its tags as Anki's notes table holds them: space-separated between spaces.
    pub fn anki_tags(&self) -> String {
        if self.tags.is_empty() {
            String::new()
        } else {
            format!(" {} ", self.tags)
        }
    }
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
    /// In id order: rows appended to the table, not inserted here and there.
    pub revlog: Vec<PackageRevlog>,
}

/// Anki's schema 11, as its legacy packages hold it.
const SCHEMA_11: &str = include_str!("schema_11.sql");

/// Anki's indexes of schema 11, built once the rows are in: faster than row by row.
const INDEXES_11: &str = include_str!("indexes_11.sql");

/// Writes `c` as a new Anki collection file at `path` (which must not exist), in one
/// transaction. The file is a scratch file, zipped once complete and deleted if anything
/// fails: it has no journal and no fsync. `step` is called after each row; when it returns
/// false, writing stops with [`StoreError::Cancelled`].
pub fn write_package_collection(
    path: &Path,
    c: &PackageCollection,
    now_secs: i64,
    step: &mut dyn FnMut() -> bool,
) -> Result<()> {
    let mut step = || {
        if step() {
            Ok(())
        } else {
            Err(StoreError::Cancelled)
        }
    };
    let e = |err| sqlite_err(path, err);
    let mut conn = Connection::open(path).map_err(e)?;
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;",
    )
    .map_err(e)?;
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
            .prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, 0, 0, '')")
            .map_err(e)?;
        let mut card = tx
            .prepare(
                "INSERT INTO cards VALUES (?1, ?1, ?2, 0, ?3, 0, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                     0, 0, 0, ?11, '')",
            )
            .map_err(e)?;
        for c in &c.cards {
            note.execute(params![
                c.id,
                c.guid,
                anki::NOTETYPE_ID,
                now_secs,
                c.anki_tags(),
                c.fields,
                c.front
            ])
            .map_err(e)?;
            let s = c.schedule;
            card.execute(params![
                c.id, c.deck_id, now_secs, s.ctype, s.queue, s.due, s.ivl, s.factor, c.reps,
                c.lapses, c.flag
            ])
            .map_err(e)?;
            step()?;
        }
        let mut revlog = tx
            .prepare("INSERT INTO revlog VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8)")
            .map_err(e)?;
        for r in &c.revlog {
            revlog
                .execute(params![
                    r.id, r.card_id, r.button, r.ivl, r.last_ivl, r.factor, r.time_ms, r.kind
                ])
                .map_err(e)?;
            step()?;
        }
    }
    tx.execute_batch(INDEXES_11).map_err(e)?;
    tx.commit().map_err(e)
}

/// Makes the Anki collection file at `path` (written by [`write_package_collection`]) what a
/// sync server takes as a full upload, as Anki's client leaves its own before one: nothing
/// pending (every usn 0), the collection's usn 1, and its schema, modification and last sync
/// stamped `now_ms`.
pub fn prepare_full_upload(path: &Path, now_ms: i64) -> Result<()> {
    let e = |err| sqlite_err(path, err);
    let mut conn = Connection::open(path).map_err(e)?;
    let tx = conn.transaction().map_err(e)?;
    // (The rows are written with usn 0: nothing of them pending.)
    let unpending = |column: &str| {
        format!(
            "{column} = (SELECT json_group_object(key, json_set(value, '$.usn', 0))
                         FROM json_each(col.{column}))"
        )
    };
    tx.execute(
        &format!(
            "UPDATE col SET usn = 1, mod = ?1, scm = ?1, ls = ?1, {}, {}, {}",
            unpending("decks"),
            unpending("models"),
            unpending("dconf")
        ),
        [now_ms],
    )
    .map_err(e)?;
    tx.commit().map_err(e)
}
