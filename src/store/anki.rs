//! The SQL side of the Anki bridge: the cards and answers an export takes (and the Anki ids
//! it gives the answers), and the collection file inside a package, in Anki's schema 11.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};

use super::rows::CardSelection;
use super::rows::{CARD_COLUMNS, card_from_row, in_deck, review_kind};
use super::{Result, Store, sqlite_err};
use crate::model::anki::{self, AnkiSchedule, ColJson};
use crate::model::card::{ReviewKind, StoredCard, day_from_number};

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
    /// The learner's flag (0 none, 1 red, 2 orange, 3 green, 4 blue: Anki's numbers).
    pub flag: u8,
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
";

/// Anki's indexes of schema 11, built once the rows are in: faster than row by row.
const INDEXES_11: &str = "
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
";

/// Writes `c` as a new Anki collection file at `path` (which must not exist), in one
/// transaction. The file is a scratch file, zipped once complete and deleted if anything
/// fails: it has no journal and no fsync.
pub fn write_package_collection(path: &Path, c: &PackageCollection, now_secs: i64) -> Result<()> {
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
            .prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, 0, 0, '')")
            .map_err(e)?;
        let mut card = tx
            .prepare(
                "INSERT INTO cards VALUES (?1, ?1, ?2, 0, ?3, -1, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                     0, 0, 0, ?11, '')",
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
                c.lapses, c.flag
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
    tx.execute_batch(INDEXES_11).map_err(e)?;
    tx.commit().map_err(e)
}

impl Store {
    /// The live cards an export selects (a search, or a deck and its children), in
    /// introduction order.
    pub fn selected_cards(
        &self,
        selection: CardSelection,
        today: NaiveDate,
    ) -> Result<Vec<StoredCard>> {
        let (sql, params) = match selection {
            CardSelection::Matching(q) => {
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
            CardSelection::Deck(deck) => (
                format!(
                    "SELECT {CARD_COLUMNS} FROM cards WHERE {} AND retired = 0
                     ORDER BY position, id",
                    in_deck(deck)
                ),
                vec![Value::Text(deck.to_string())],
            ),
        };
        self.rows(&sql, params_from_iter(params.iter()), card_from_row)
    }

    /// The answers to these cards, in log order, each with its Anki revlog id. Answers that
    /// have none yet are given one (their time in ms, made unique against every id the
    /// collection holds) in one transaction, so that the next export gives the same ids.
    pub fn exported_answers(&mut self, card_ids: &HashSet<i64>) -> Result<Vec<ExportedAnswer>> {
        self.write(|tx| {
            let mut answers = Vec::new();
            // (index in `answers`, log row id, time in ms) of the answers without an Anki id.
            let mut missing: Vec<(usize, i64, i64)> = Vec::new();
            {
                // The time is read only where an id is still to be given: a string per answer
                // is ~100 MB at a million answers.
                let mut stmt = tx.prepare(
                    "SELECT anki_id, card_id, id, CASE WHEN anki_id IS NULL THEN reviewed_at END,
                         study_day, quality, kind, time_taken_ms, ease_after, interval_before,
                         interval_after
                     FROM review_log ORDER BY id",
                )?;
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

/// A note in a package: its id, guid and note type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiNote {
    pub id: i64,
    pub guid: String,
    pub notetype: i64,
}

/// An answer in a package's review log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnkiAnswer {
    /// Anki's revlog id: the answer's time in ms since 1970.
    pub id: i64,
    pub card_id: i64,
    pub button: i64,
    pub time_ms: i64,
    pub kind: i64,
}

/// What an import may read from a package: bounds on time and memory whatever it holds.
#[derive(Debug, Clone, Copy)]
pub struct PackageLimits {
    /// Answers to the collection's cards (each is kept in memory until the import is written).
    pub max_answers: usize,
    /// The longest value (a guid, a note type's JSON) read from the package.
    pub max_value_bytes: i32,
}

impl Default for PackageLimits {
    fn default() -> Self {
        PackageLimits {
            // 30 answers for each of 100 000 cards: far above a real history of this deck.
            max_answers: 3_000_000,
            max_value_bytes: 1 << 20,
        }
    }
}

/// What an import takes from a package: the notes that are cards of the collection, their
/// cards and their answers; the rest is only counted.
#[derive(Debug, Clone, Default)]
pub struct PackageContents {
    /// Every note of the package.
    pub notes: usize,
    /// Notes whose guid `ours` accepts, of a note type the package has, no other note sharing
    /// their guid.
    pub matched: Vec<AnkiNote>,
    /// Notes left out because another note of the package has their guid too.
    pub shared_guid: usize,
    /// Notes with one of our guids but a note type the package does not have.
    pub unknown_type: usize,
    /// Note types by id: name and field names.
    pub notetypes: HashMap<i64, (String, Vec<String>)>,
    /// (card id, note id) of the matched notes' cards.
    pub cards: Vec<(i64, i64)>,
    /// The answers to those cards, in id order, each id once.
    pub revlog: Vec<AnkiAnswer>,
    /// Answers left out because an earlier row had their id.
    pub duplicate_ids: usize,
}

/// Reads what an import needs from an Anki collection file (schema 11 of legacy packages, or
/// 18 of current ones), opened read-only: the notes whose guid `ours` accepts, their cards and
/// answers. Rows are streamed, values are capped at `limits.max_value_bytes` and the answers
/// kept at `limits.max_answers`; a file whose tables are views, virtual tables or carry
/// triggers (which could compute rows without end) is refused. The error says what is wrong
/// with the package, in words.
pub fn read_package_collection(
    path: &Path,
    ours: impl Fn(&str) -> bool,
    limits: PackageLimits,
) -> std::result::Result<PackageContents, String> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| package_error(&e))?;
    conn.set_limit(
        rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH,
        limits.max_value_bytes,
    )
    .map_err(|e| package_error(&e))?;
    // Anki's current schema orders names with its own collation.
    conn.create_collation("unicase", |a: &str, b: &str| {
        a.to_lowercase().cmp(&b.to_lowercase())
    })
    .map_err(|e| package_error(&e))?;
    refuse_computed_tables(&conn)?;
    let mut contents = PackageContents {
        notetypes: read_notetypes(&conn)?,
        ..PackageContents::default()
    };
    read_notes(&conn, &ours, &mut contents)?;
    let notes: HashSet<i64> = contents.matched.iter().map(|n| n.id).collect();
    let mut card_ids = HashSet::new();
    each_row(&conn, "SELECT id, nid FROM cards", |r| {
        let (id, nid) = (r.get(0)?, r.get(1)?);
        if notes.contains(&nid) {
            card_ids.insert(id);
            contents.cards.push((id, nid));
        }
        Ok(())
    })?;
    let mut seen = HashSet::new();
    let mut too_many = false;
    each_row(
        &conn,
        "SELECT id, cid, ease, time, type FROM revlog ORDER BY id",
        |r| {
            let answer = AnkiAnswer {
                id: r.get(0)?,
                card_id: r.get(1)?,
                button: r.get(2)?,
                time_ms: r.get(3)?,
                kind: r.get(4)?,
            };
            if !card_ids.contains(&answer.card_id) {
                return Ok(());
            }
            if !seen.insert(answer.id) {
                contents.duplicate_ids += 1;
            } else if contents.revlog.len() < limits.max_answers {
                contents.revlog.push(answer);
            } else {
                too_many = true;
            }
            Ok(())
        },
    )?;
    if too_many {
        return Err(format!(
            "it holds more than {} answers to this collection's cards, more than awscards \
             imports at once",
            limits.max_answers
        ));
    }
    Ok(contents)
}

/// The package's problem in words: SQLite's message without the path of the scratch copy.
fn package_error(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::TooBig) => format!(
            "a value in it is larger than any Anki collection holds ({})",
            super::sqlite_message(e)
        ),
        _ => format!(
            "its collection cannot be read ({})",
            super::sqlite_message(e)
        ),
    }
}

/// Runs `sql` on the package and hands each row to `row`.
fn each_row(
    conn: &Connection,
    sql: &str,
    mut row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<()>,
) -> std::result::Result<(), String> {
    let mut run = || -> rusqlite::Result<()> {
        let mut stmt = conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            row(r)?;
        }
        Ok(())
    };
    run().map_err(|e| package_error(&e))
}

/// Refuses a package whose schema computes rows: views, virtual tables, triggers.
fn refuse_computed_tables(conn: &Connection) -> std::result::Result<(), String> {
    let mut found = Vec::new();
    each_row(
        conn,
        "SELECT type, name FROM sqlite_master
         WHERE type IN ('view', 'trigger')
            OR (type = 'table' AND upper(substr(ltrim(sql), 1, 14)) = 'CREATE VIRTUAL')",
        |r| {
            found.push(format!(
                "{} {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ));
            Ok(())
        },
    )?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "its collection holds what no Anki collection holds ({}): not imported",
            found.join(", ")
        ))
    }
}

/// The package's note types by id: name and field names.
fn read_notetypes(
    conn: &Connection,
) -> std::result::Result<HashMap<i64, (String, Vec<String>)>, String> {
    let mut notetypes: HashMap<i64, (String, Vec<String>)> = HashMap::new();
    let mut schema_18 = false;
    each_row(
        conn,
        "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'notetypes'",
        |r| {
            schema_18 = r.get(0)?;
            Ok(())
        },
    )?;
    if schema_18 {
        each_row(conn, "SELECT id, name FROM notetypes", |r| {
            notetypes.insert(r.get(0)?, (r.get(1)?, Vec::new()));
            Ok(())
        })?;
        each_row(
            conn,
            "SELECT ntid, name FROM fields ORDER BY ntid, ord",
            |r| {
                if let Some(t) = notetypes.get_mut(&r.get(0)?) {
                    t.1.push(r.get(1)?);
                }
                Ok(())
            },
        )?;
        return Ok(notetypes);
    }
    let mut models = None;
    each_row(conn, "SELECT models FROM col", |r| {
        models = Some(r.get::<_, String>(0)?);
        Ok(())
    })?;
    let models = models.ok_or("its collection has no `col` row: the package is damaged")?;
    let models: serde_json::Value = serde_json::from_str(&models).unwrap_or_default();
    for (id, m) in models.as_object().into_iter().flatten() {
        let fields = m["flds"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["name"].as_str().map(str::to_string))
            .collect();
        let name = m["name"].as_str().unwrap_or_default().to_string();
        if let Ok(id) = id.parse() {
            notetypes.insert(id, (name, fields));
        }
    }
    Ok(notetypes)
}

/// Streams the notes: counts them, and keeps in `contents.matched` those with one of our
/// guids, a known note type and a guid no other note has.
fn read_notes(
    conn: &Connection,
    ours: &impl Fn(&str) -> bool,
    contents: &mut PackageContents,
) -> std::result::Result<(), String> {
    let mut by_guid: HashMap<String, Vec<AnkiNote>> = HashMap::new();
    each_row(conn, "SELECT id, mid, guid FROM notes", |r| {
        contents.notes += 1;
        let guid: String = r.get(2)?;
        if ours(&guid) {
            by_guid.entry(guid.clone()).or_default().push(AnkiNote {
                id: r.get(0)?,
                notetype: r.get(1)?,
                guid,
            });
        }
        Ok(())
    })?;
    for (_, mut notes) in by_guid {
        if notes.len() > 1 {
            contents.shared_guid += notes.len();
        } else if let Some(note) = notes.pop() {
            if contents.notetypes.contains_key(&note.notetype) {
                contents.matched.push(note);
            } else {
                contents.unknown_type += 1;
            }
        }
    }
    Ok(())
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
