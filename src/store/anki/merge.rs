//! Our cards written into an Anki collection a sync server gave (schema 18), everything else in
//! it left as it is: the learner's other decks, note types, notes and answers go back to the
//! server untouched.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::write::{PackageCard, PackageCollection};
use crate::model::anki;
use crate::store::{Result, sqlite_err};

/// Writes `ours` into the Anki collection file at `path`, in one transaction: each of our notes
/// already there (by guid) gets our fields and tags, its card our schedule and deck; our notes
/// not there are added (into their deck, which must be there, as our note type must); our
/// answers not in its review log are added. Then nothing in it is pending (every usn 0), its
/// usn goes up by one and its schema, modification and last sync are stamped `now_ms`, as
/// Anki's client leaves its collection before a full upload. Returns the decks our new notes
/// need that the file lacks: when there are any, nothing was written.
pub fn merge_into_collection(
    path: &Path,
    ours: &PackageCollection,
    now_ms: i64,
) -> Result<Vec<String>> {
    let e = |err| sqlite_err(path, err);
    let mut conn = Connection::open(path).map_err(e)?;
    // Anki's own collation, which its tables' name columns use.
    conn.create_collation("unicase", |a: &str, b: &str| {
        a.to_lowercase().cmp(&b.to_lowercase())
    })
    .map_err(e)?;
    let tx = conn.transaction().map_err(e)?;
    let missing = merge(&tx, ours, now_ms).map_err(e)?;
    if missing.is_empty() {
        tx.commit().map_err(e)?;
    }
    Ok(missing)
}

fn merge(tx: &Transaction, ours: &PackageCollection, now_ms: i64) -> rusqlite::Result<Vec<String>> {
    let note_of = keyed(tx, "SELECT guid, id FROM notes")?;
    // Its decks by name (Anki may have given ours other ids when it imported them).
    let deck_of: HashMap<String, i64> = keyed(tx, "SELECT name, id FROM decks")?
        .into_iter()
        .map(|(name, id)| (name.replace('\x1f', "::"), id))
        .collect();
    let our_type = tx
        .query_row(
            "SELECT 1 FROM notetypes WHERE id = ?1",
            [anki::NOTETYPE_ID],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    let mut missing: Vec<String> = ours
        .cards
        .iter()
        // A note the file lacks needs our note type and its deck there.
        .filter(|c| {
            let can_add = our_type && deck_of.contains_key(&c.deck);
            !note_of.contains_key(&c.guid) && !can_add
        })
        .map(|c| c.deck.clone())
        .collect();
    if !missing.is_empty() {
        missing.sort_unstable();
        missing.dedup();
        return Ok(missing);
    }
    let now_secs = now_ms / 1000;
    // Our card id → the card's id in the file.
    let mut card_of: HashMap<i64, i64> = HashMap::new();
    for c in &ours.cards {
        let deck = deck_of.get(&c.deck).copied();
        let cid = write_card(tx, c, note_of.get(&c.guid).copied(), deck, now_secs)?;
        card_of.insert(c.id, cid);
    }
    let mut add =
        tx.prepare("INSERT OR IGNORE INTO revlog VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8)")?;
    for r in &ours.revlog {
        if let Some(cid) = card_of.get(&r.card_id) {
            add.execute(params![
                r.id, cid, r.button, r.ivl, r.last_ivl, r.factor, r.time_ms, r.kind
            ])?;
        }
    }
    ready_for_upload(tx, now_ms)?;
    Ok(Vec::new())
}

/// Rows of `sql` (a text key and an id) as a map.
fn keyed(tx: &Transaction, sql: &str) -> rusqlite::Result<HashMap<String, i64>> {
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Our card `c` in the file: its note (`nid`, when the file has it; else added, with its card)
/// with our fields and tags, its card with our schedule, in `deck` when the file has it. Its
/// card's id in the file.
fn write_card(
    tx: &Transaction,
    c: &PackageCard,
    nid: Option<i64>,
    deck: Option<i64>,
    now_secs: i64,
) -> rusqlite::Result<i64> {
    let tags = c.anki_tags();
    let nid = match nid {
        Some(nid) => {
            tx.execute(
                "UPDATE notes SET flds = ?2, sfld = ?3, tags = ?4, mod = ?5, usn = 0
                 WHERE id = ?1 AND (flds <> ?2 OR tags <> ?4)",
                params![nid, c.fields, c.front, tags, now_secs],
            )?;
            nid
        }
        None => {
            let nid = free_id(tx, "notes", c.id)?;
            tx.execute(
                "INSERT INTO notes VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, 0, 0, '')",
                params![
                    nid,
                    c.guid,
                    anki::NOTETYPE_ID,
                    now_secs,
                    tags,
                    c.fields,
                    c.front
                ],
            )?;
            let cid = free_id(tx, "cards", c.id)?;
            tx.execute(
                "INSERT INTO cards VALUES (?1, ?2, ?3, 0, ?4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                     '')",
                params![cid, nid, deck, now_secs],
            )?;
            nid
        }
    };
    // Into our deck when the file has it (a card moved there); else it stays where it is.
    let s = c.schedule;
    tx.execute(
        "UPDATE cards SET did = coalesce(?2, did), mod = ?3, usn = 0, type = ?4, queue = ?5,
             due = ?6, ivl = ?7, factor = ?8, reps = ?9, lapses = ?10, left = 0, odue = 0,
             odid = 0, flags = ?11
         WHERE nid = ?1 AND (did, type, queue, due, ivl, factor, reps, lapses, flags)
             IS NOT (coalesce(?2, did), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            nid, deck, now_secs, s.ctype, s.queue, s.due, s.ivl, s.factor, c.reps, c.lapses, c.flag
        ],
    )?;
    tx.query_row(
        "SELECT id FROM cards WHERE nid = ?1 ORDER BY ord LIMIT 1",
        [nid],
        |r| r.get(0),
    )
}

/// Nothing pending (every usn 0, no graves), the collection's usn one up, and its schema,
/// modification and last sync stamped `now_ms`: as Anki's client leaves its collection before
/// a full upload.
fn ready_for_upload(tx: &Transaction, now_ms: i64) -> rusqlite::Result<()> {
    for table in [
        "notes",
        "cards",
        "revlog",
        "decks",
        "deck_config",
        "notetypes",
        "tags",
        "config",
    ] {
        tx.execute(&format!("UPDATE {table} SET usn = 0 WHERE usn = -1"), [])?;
    }
    tx.execute_batch("DELETE FROM graves")?;
    tx.execute(
        "UPDATE col SET usn = usn + 1, mod = ?1, scm = ?1, ls = ?1",
        [now_ms],
    )?;
    Ok(())
}

/// `wanted` if no row of `table` has that id, else one past the largest.
fn free_id(conn: &Connection, table: &str, wanted: i64) -> rusqlite::Result<i64> {
    let taken: bool = conn.query_row(
        &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"),
        [wanted],
        |r| r.get(0),
    )?;
    if !taken {
        return Ok(wanted);
    }
    conn.query_row(&format!("SELECT max(id) + 1 FROM {table}"), [], |r| {
        r.get(0)
    })
}

/// The creation stamp (`crt`, seconds) of the Anki collection file at `path`.
pub fn collection_crt(path: &Path) -> Result<i64> {
    let e = |err| sqlite_err(path, err);
    let conn =
        Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(e)?;
    conn.query_row("SELECT crt FROM col", [], |r| r.get(0))
        .map_err(e)
}
