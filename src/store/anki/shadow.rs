//! What the Anki sync server held after the last sync (its ids, and digests of our cards and
//! notes there), kept so that a normal sync sends only what changed and answers the server's
//! sanity check with its counts; and the cards changed here since (`anki_sync_pending`, kept
//! by triggers).

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OpenFlags, Transaction, params};

use crate::model::anki_sync::{CardRow, NoteRow};
use crate::store::{Result, Store, StoreError, sqlite_err};

/// A card on the server: its ids, our card (None for one of the learner's own) and the digest
/// of the row as last synced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncedCard {
    pub id: i64,
    pub nid: i64,
    pub card_id: Option<i64>,
    pub digest: i64,
}

/// A note on the server, and the digest of its row as last synced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedNote {
    pub id: i64,
    pub guid: String,
    pub digest: i64,
}

/// What a normal sync changed on the server, written when it ends.
#[derive(Debug, Clone, Default)]
pub struct SyncedChanges {
    /// Removed there (Anki's graves): cards, notes, decks.
    pub removed: [Vec<i64>; 3],
    /// Note types, decks and deck options there now: (kind, id, name).
    pub objects: Vec<(&'static str, i64, String)>,
    pub cards: Vec<SyncedCard>,
    pub notes: Vec<SyncedNote>,
    pub revlog: Vec<i64>,
}

/// What the server's sanity check compares (Anki's order: cards, notes, answers, note types,
/// decks, deck options).
pub type SanityCounts = [u32; 6];

/// The ids of `ids` as a JSON array, for `json_each`.
fn id_list(ids: &[i64]) -> String {
    serde_json::Value::from(ids).to_string()
}

impl Store {
    /// Replaces what is kept of the server with what the Anki collection file at `file` (the
    /// one just uploaded or downloaded: schema 11 or 18) holds, our cards found by guid, and
    /// forgets what was pending (`mark_lacking`: but what it lacks of ours): one transaction.
    /// `state`, called last, gives what is kept with it (the sync's settings row); when it
    /// gives None, nothing is kept ([`StoreError::Cancelled`]). So a caller may record while
    /// the file is on its way to the server, and keep the record only if the server took it.
    pub fn record_synced_collection(
        &mut self,
        file: &Path,
        mark_lacking: bool,
        state: impl FnOnce() -> Option<String>,
    ) -> Result<()> {
        let e = |err| sqlite_err(file, err);
        let up = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(e)?;
        let objects = objects_of(&up).map_err(e)?;
        self.with_large_cache(|store| store.record_file(file, &up, &objects, mark_lacking, state))
    }

    fn record_file(
        &mut self,
        file: &Path,
        up: &Connection,
        objects: &[(&'static str, i64, String)],
        mark_lacking: bool,
        state: impl FnOnce() -> Option<String>,
    ) -> Result<()> {
        let e = |err| sqlite_err(file, err);
        self.write(|tx| {
            tx.execute_batch(
                "DELETE FROM anki_sync_cards; DELETE FROM anki_sync_notes;
                 DELETE FROM anki_sync_revlog; DELETE FROM anki_sync_objects;
                 DELETE FROM anki_sync_pending;",
            )?;
            let ours: HashMap<String, i64> = {
                let mut stmt = tx.prepare("SELECT key, id FROM cards")?;
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?
            };
            let mut guids: HashMap<i64, String> = HashMap::new();
            {
                let mut add = tx.prepare("INSERT INTO anki_sync_notes VALUES (?1, ?2, ?3)")?;
                let mut stmt = up
                    .prepare("SELECT id, guid, mid, mod, usn, tags, flds FROM notes")
                    .map_err(e)?;
                let mut rows = stmt.query([]).map_err(e)?;
                while let Some(r) = rows.next().map_err(e)? {
                    let note = NoteRow {
                        id: r.get(0).map_err(e)?,
                        guid: r.get(1).map_err(e)?,
                        notetype: r.get(2).map_err(e)?,
                        modified: r.get(3).map_err(e)?,
                        usn: r.get(4).map_err(e)?,
                        tags: r.get(5).map_err(e)?,
                        fields: r.get(6).map_err(e)?,
                    };
                    add.execute(params![note.id, note.guid, note.digest()])?;
                    guids.insert(note.id, note.guid);
                }
            }
            {
                let mut add = tx.prepare("INSERT INTO anki_sync_cards VALUES (?1, ?2, ?3, ?4)")?;
                let mut stmt = up
                    .prepare(
                        "SELECT id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps,
                             lapses, left, odue, odid, flags FROM cards",
                    )
                    .map_err(e)?;
                let mut rows = stmt.query([]).map_err(e)?;
                while let Some(r) = rows.next().map_err(e)? {
                    let get = |i| r.get::<_, i64>(i).map_err(e);
                    let card = CardRow {
                        id: get(0)?,
                        nid: get(1)?,
                        did: get(2)?,
                        ord: get(3)?,
                        modified: get(4)?,
                        usn: get(5)?,
                        ctype: get(6)?,
                        queue: get(7)?,
                        due: get(8)?,
                        ivl: get(9)?,
                        factor: get(10)?,
                        reps: get(11)?,
                        lapses: get(12)?,
                        left: get(13)?,
                        odue: get(14)?,
                        odid: get(15)?,
                        flags: get(16)?,
                        data: String::new(),
                    };
                    let ours = guids.get(&card.nid).and_then(|g| ours.get(g));
                    add.execute(params![card.id, card.nid, ours, card.digest()])?;
                }
            }
            // Its answers' ids, 100 000 to a statement: a million one by one took seconds.
            let ids: Vec<i64> = {
                let mut stmt = up.prepare("SELECT id FROM revlog").map_err(e)?;
                stmt.query_map([], |r| r.get(0))
                    .and_then(Iterator::collect)
                    .map_err(e)?
            };
            let mut add = tx.prepare(
                "INSERT OR IGNORE INTO anki_sync_revlog SELECT value FROM json_each(?1)",
            )?;
            for chunk in ids.chunks(100_000) {
                add.execute([id_list(chunk)])?;
            }
            write_objects(tx, objects)?;
            if mark_lacking {
                // Ours it lacks: answers, and live cards (sent by the next sync).
                tx.execute_batch(
                    "INSERT OR IGNORE INTO anki_sync_pending
                         SELECT DISTINCT l.card_id FROM review_log l
                         JOIN cards c ON c.id = l.card_id
                         WHERE c.retired = 0 AND (l.anki_id IS NULL
                             OR l.anki_id NOT IN (SELECT id FROM anki_sync_revlog));
                     INSERT OR IGNORE INTO anki_sync_pending
                         SELECT id FROM cards WHERE retired = 0 AND id NOT IN
                             (SELECT card_id FROM anki_sync_cards WHERE card_id IS NOT NULL);",
                )?;
            }
            let state = state().ok_or(StoreError::Cancelled)?;
            super::super::settings::put_setting(tx, "anki_sync", &state)?;
            Ok(())
        })
    }

    /// Our cards changed since the last sync.
    pub fn sync_pending(&self) -> Result<Vec<i64>> {
        self.rows("SELECT card_id FROM anki_sync_pending", [], |r| r.get(0))
    }

    /// The decks of our changed cards, and whether any of them is not on the server.
    pub fn pending_needs(&self) -> Result<(Vec<String>, bool)> {
        // From the changed cards to theirs (CROSS JOIN: the planner took a pass over every
        // card by the retired index).
        let decks = self.rows(
            "SELECT DISTINCT c.deck FROM anki_sync_pending p CROSS JOIN cards c ON c.id = p.card_id
             WHERE c.retired = 0",
            [],
            |r| r.get(0),
        )?;
        let new = self.one(
            "SELECT EXISTS (SELECT 1 FROM anki_sync_pending p CROSS JOIN cards c ON c.id = p.card_id
                 WHERE c.retired = 0 AND NOT EXISTS
                     (SELECT 1 FROM anki_sync_cards s WHERE s.card_id = p.card_id))",
            [],
            |r| r.get(0),
        )?;
        Ok((decks, new))
    }

    /// The server's cards of `anki_ids` that it held at the last sync.
    pub fn synced_cards(&self, anki_ids: &[i64]) -> Result<Vec<SyncedCard>> {
        self.rows(
            "SELECT id, nid, card_id, digest FROM anki_sync_cards
             WHERE id IN (SELECT value FROM json_each(?1))",
            [id_list(anki_ids)],
            synced_card,
        )
    }

    /// The server's cards of our cards `ours`, and of the notes `nids`.
    pub fn synced_cards_of(&self, ours: &[i64], nids: &[i64]) -> Result<Vec<SyncedCard>> {
        self.rows(
            "SELECT id, nid, card_id, digest FROM anki_sync_cards
             WHERE card_id IN (SELECT value FROM json_each(?1))
             UNION
             SELECT id, nid, card_id, digest FROM anki_sync_cards
             WHERE nid IN (SELECT value FROM json_each(?2))",
            [id_list(ours), id_list(nids)],
            synced_card,
        )
    }

    /// The server's notes of `nids` as last synced.
    pub fn synced_notes(&self, nids: &[i64]) -> Result<Vec<SyncedNote>> {
        self.rows(
            "SELECT id, guid, digest FROM anki_sync_notes
             WHERE id IN (SELECT value FROM json_each(?1))",
            [id_list(nids)],
            |r| {
                Ok(SyncedNote {
                    id: r.get(0)?,
                    guid: r.get(1)?,
                    digest: r.get(2)?,
                })
            },
        )
    }

    /// The server's note types, decks and deck options: (kind, id, name).
    pub fn synced_objects(&self) -> Result<Vec<(String, i64, String)>> {
        self.rows("SELECT kind, id, name FROM anki_sync_objects", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
    }

    /// Whether the server held a card or note with this id at the last sync.
    pub fn synced_id_taken(&self, id: i64) -> Result<bool> {
        self.one(
            "SELECT EXISTS (SELECT 1 FROM anki_sync_cards WHERE id = ?1)
                 OR EXISTS (SELECT 1 FROM anki_sync_notes WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )
    }

    /// Of the answers `anki_ids`, those the server held at the last sync.
    pub fn synced_answers(&self, anki_ids: &[i64]) -> Result<Vec<i64>> {
        self.rows(
            "SELECT id FROM anki_sync_revlog WHERE id IN (SELECT value FROM json_each(?1))",
            [id_list(anki_ids)],
            |r| r.get(0),
        )
    }

    /// Writes what a normal sync changed on the server, forgets what was pending and keeps
    /// `state`, in one transaction: the server's counts as they now are.
    pub fn record_synced_changes(
        &mut self,
        changes: &SyncedChanges,
        state: &str,
    ) -> Result<SanityCounts> {
        self.write(|tx| {
            let [cards, notes, decks] = &changes.removed;
            for (table, ids) in [("anki_sync_cards", cards), ("anki_sync_notes", notes)] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE id IN (SELECT value FROM json_each(?1))"),
                    [id_list(ids)],
                )?;
            }
            tx.execute(
                "DELETE FROM anki_sync_objects
                 WHERE kind = 'deck' AND id IN (SELECT value FROM json_each(?1))",
                [id_list(decks)],
            )?;
            write_objects(tx, &changes.objects)?;
            let mut card =
                tx.prepare("INSERT OR REPLACE INTO anki_sync_cards VALUES (?1, ?2, ?3, ?4)")?;
            for c in &changes.cards {
                card.execute(params![c.id, c.nid, c.card_id, c.digest])?;
            }
            let mut note =
                tx.prepare("INSERT OR REPLACE INTO anki_sync_notes VALUES (?1, ?2, ?3)")?;
            for n in &changes.notes {
                note.execute(params![n.id, n.guid, n.digest])?;
            }
            let mut revlog = tx.prepare("INSERT OR IGNORE INTO anki_sync_revlog VALUES (?1)")?;
            for id in &changes.revlog {
                revlog.execute([id])?;
            }
            tx.execute("DELETE FROM anki_sync_pending", [])?;
            super::super::settings::put_setting(tx, "anki_sync", state)?;
            let count =
                |sql: &str| -> rusqlite::Result<u32> { tx.query_row(sql, [], |r| r.get(0)) };
            let kind = |k: &str| {
                count(&format!(
                    "SELECT count(*) FROM anki_sync_objects WHERE kind = '{k}'"
                ))
            };
            Ok([
                count("SELECT count(*) FROM anki_sync_cards")?,
                count("SELECT count(*) FROM anki_sync_notes")?,
                count("SELECT count(*) FROM anki_sync_revlog")?,
                kind("notetype")?,
                kind("deck")?,
                kind("deck_config")?,
            ])
        })
    }
}

/// Whether the Anki collection file at `file` holds our note type and the decks `decks`.
pub fn collection_holds_ours(file: &Path, decks: &[String]) -> Result<bool> {
    let e = |err| sqlite_err(file, err);
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(e)?;
    let objects = objects_of(&conn).map_err(e)?;
    let has = |kind: &str, wanted: &dyn Fn(i64, &str) -> bool| {
        objects
            .iter()
            .any(|(k, id, name)| *k == kind && wanted(*id, name))
    };
    Ok(
        has("notetype", &|id, _| id == crate::model::anki::NOTETYPE_ID)
            && decks.iter().all(|d| has("deck", &|_, name| name == d)),
    )
}

fn synced_card(r: &rusqlite::Row) -> rusqlite::Result<SyncedCard> {
    Ok(SyncedCard {
        id: r.get(0)?,
        nid: r.get(1)?,
        card_id: r.get(2)?,
        digest: r.get(3)?,
    })
}

fn write_objects(
    tx: &Transaction,
    objects: &[(&'static str, i64, String)],
) -> rusqlite::Result<()> {
    let mut add = tx.prepare("INSERT OR REPLACE INTO anki_sync_objects VALUES (?1, ?2, ?3)")?;
    for (kind, id, name) in objects {
        add.execute(params![kind, id, name])?;
    }
    Ok(())
}

/// The note types, decks and deck options of an Anki collection file: its tables in schema 18,
/// the JSON of its `col` row in schema 11. Deck names with `::` between levels.
fn objects_of(conn: &Connection) -> rusqlite::Result<Vec<(&'static str, i64, String)>> {
    let schema_18: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'notetypes')",
        [],
        |r| r.get(0),
    )?;
    let kinds = [
        ("notetype", "notetypes", "models"),
        ("deck", "decks", "decks"),
        ("deck_config", "deck_config", "dconf"),
    ];
    let mut out = Vec::new();
    for (kind, table, column) in kinds {
        if schema_18 {
            let mut stmt = conn.prepare(&format!("SELECT id, name FROM {table}"))?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (id, name) = row?;
                out.push((kind, id, name.replace('\x1f', "::")));
            }
        } else {
            let text: String =
                conn.query_row(&format!("SELECT {column} FROM col"), [], |r| r.get(0))?;
            let map: HashMap<String, serde_json::Value> =
                serde_json::from_str(&text).unwrap_or_default();
            for (id, value) in map {
                if let Ok(id) = id.parse() {
                    let name = value["name"].as_str().unwrap_or_default().to_string();
                    out.push((kind, id, name));
                }
            }
        }
    }
    Ok(out)
}
