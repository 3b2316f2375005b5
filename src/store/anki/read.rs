//! What an import reads from the collection file inside a package (schema 11 or 18), streamed
//! and bounded whatever the file holds.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rusqlite::Connection;

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
            crate::store::sqlite_message(e)
        ),
        _ => format!(
            "its collection cannot be read ({})",
            crate::store::sqlite_message(e)
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
