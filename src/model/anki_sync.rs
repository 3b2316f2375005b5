//! The rows of Anki's normal (incremental) sync, as its protocol sends them (version 11: each a
//! JSON array, in the order of the columns of Anki's tables), and the digests a sync keeps of
//! what it last sent or received, to know what changed since. Pure: no I/O.

use serde_json::{Value, json};

/// A card row of a sync chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRow {
    pub id: i64,
    pub nid: i64,
    pub did: i64,
    pub ord: i64,
    pub modified: i64,
    pub usn: i64,
    pub ctype: i64,
    pub queue: i64,
    pub due: i64,
    pub ivl: i64,
    pub factor: i64,
    pub reps: i64,
    pub lapses: i64,
    pub left: i64,
    pub odue: i64,
    pub odid: i64,
    pub flags: i64,
    pub data: String,
}

/// A note row of a sync chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRow {
    pub id: i64,
    pub guid: String,
    pub notetype: i64,
    pub modified: i64,
    pub usn: i64,
    /// Space-separated, between spaces (Anki's notes table).
    pub tags: String,
    /// The fields, separated by `\x1f`.
    pub fields: String,
}

/// A review-log row of a sync chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevlogRow {
    pub id: i64,
    pub cid: i64,
    pub usn: i64,
    pub button: i64,
    pub ivl: i64,
    pub last_ivl: i64,
    pub factor: i64,
    pub time_ms: i64,
    pub kind: i64,
}

/// The `at`th element of a row as an integer (Anki sends some as floats).
fn int(row: &[Value], at: usize) -> Option<i64> {
    let v = row.get(at)?;
    v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))
}

fn text(row: &[Value], at: usize) -> Option<String> {
    row.get(at)?.as_str().map(str::to_string)
}

impl CardRow {
    pub fn from_json(v: &Value) -> Option<CardRow> {
        let r = v.as_array()?;
        Some(CardRow {
            id: int(r, 0)?,
            nid: int(r, 1)?,
            did: int(r, 2)?,
            ord: int(r, 3)?,
            modified: int(r, 4)?,
            usn: int(r, 5)?,
            ctype: int(r, 6)?,
            queue: int(r, 7)?,
            due: int(r, 8)?,
            ivl: int(r, 9)?,
            factor: int(r, 10)?,
            reps: int(r, 11)?,
            lapses: int(r, 12)?,
            left: int(r, 13)?,
            odue: int(r, 14)?,
            odid: int(r, 15)?,
            flags: int(r, 16)?,
            data: text(r, 17).unwrap_or_default(),
        })
    }

    pub fn to_json(&self) -> Value {
        json!([
            self.id,
            self.nid,
            self.did,
            self.ord,
            self.modified,
            self.usn,
            self.ctype,
            self.queue,
            self.due,
            self.ivl,
            self.factor,
            self.reps,
            self.lapses,
            self.left,
            self.odue,
            self.odid,
            self.flags,
            self.data
        ])
    }

    /// What a learner sees of the card: its note, deck, schedule and flag (not when or where
    /// it was last written).
    pub fn digest(&self) -> i64 {
        digest(
            &[
                self.nid,
                self.did,
                self.ctype,
                self.queue,
                self.due,
                self.ivl,
                self.factor,
                self.reps,
                self.lapses,
                self.flags,
            ],
            &[],
        )
    }
}

impl NoteRow {
    pub fn from_json(v: &Value) -> Option<NoteRow> {
        let r = v.as_array()?;
        Some(NoteRow {
            id: int(r, 0)?,
            guid: text(r, 1)?,
            notetype: int(r, 2)?,
            modified: int(r, 3)?,
            usn: int(r, 4)?,
            tags: text(r, 5)?,
            fields: text(r, 6)?,
        })
    }

    /// As Anki sends a note: its sort field and checksum empty (the receiver works them out).
    pub fn to_json(&self) -> Value {
        json!([
            self.id,
            self.guid,
            self.notetype,
            self.modified,
            self.usn,
            self.tags,
            self.fields,
            "",
            "",
            0,
            ""
        ])
    }

    /// Its guid, note type, fields and tags.
    pub fn digest(&self) -> i64 {
        digest(
            &[self.notetype],
            &[&self.guid, &self.fields, self.tags.trim()],
        )
    }
}

impl RevlogRow {
    pub fn from_json(v: &Value) -> Option<RevlogRow> {
        let r = v.as_array()?;
        Some(RevlogRow {
            id: int(r, 0)?,
            cid: int(r, 1)?,
            usn: int(r, 2)?,
            button: int(r, 3)?,
            ivl: int(r, 4)?,
            last_ivl: int(r, 5)?,
            factor: int(r, 6)?,
            time_ms: int(r, 7)?,
            kind: int(r, 8)?,
        })
    }

    pub fn to_json(&self) -> Value {
        json!([
            self.id,
            self.cid,
            self.usn,
            self.button,
            self.ivl,
            self.last_ivl,
            self.factor,
            self.time_ms,
            self.kind
        ])
    }
}

/// FNV-1a of the numbers and texts, each text ended by a 0 byte: the same on every build.
fn digest(numbers: &[i64], texts: &[&str]) -> i64 {
    let bytes = numbers.iter().flat_map(|n| n.to_le_bytes()).chain(
        texts
            .iter()
            .flat_map(|t| t.bytes().chain(std::iter::once(0))),
    );
    super::fnv1a(bytes) as i64
}

/// An id for a new card or note: `wanted` (a time in ms, as Anki's ids are) or the first one
/// after it that `taken` does not hold.
pub fn free_id(wanted: i64, taken: &mut dyn FnMut(i64) -> bool) -> i64 {
    let mut id = wanted;
    while taken(id) {
        id += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> CardRow {
        CardRow {
            id: 1,
            nid: 2,
            did: 3,
            ord: 0,
            modified: 100,
            usn: 4,
            ctype: 2,
            queue: 2,
            due: 40,
            ivl: 6,
            factor: 2500,
            reps: 3,
            lapses: 0,
            left: 0,
            odue: 0,
            odid: 0,
            flags: 0,
            data: String::new(),
        }
    }

    #[test]
    fn a_card_row_reads_back_what_it_writes_and_floats_count_as_integers() {
        let c = card();
        assert_eq!(CardRow::from_json(&c.to_json()), Some(c.clone()));
        let mut v = c.to_json();
        v[8] = json!(40.0);
        assert_eq!(CardRow::from_json(&v), Some(c));
        assert_eq!(CardRow::from_json(&json!([1, 2])), None);
    }

    #[test]
    fn a_digest_follows_what_a_learner_sees_not_when_it_was_written() {
        let c = card();
        let later = CardRow {
            modified: 200,
            usn: 9,
            ..c.clone()
        };
        assert_eq!(c.digest(), later.digest());
        let moved = CardRow {
            due: 41,
            ..c.clone()
        };
        assert_ne!(c.digest(), moved.digest());
        let note = NoteRow {
            id: 2,
            guid: "k".into(),
            notetype: 7,
            modified: 1,
            usn: 0,
            tags: " a b ".into(),
            fields: "f\x1fb".into(),
        };
        let same = NoteRow {
            tags: "a b".into(),
            modified: 5,
            ..note.clone()
        };
        assert_eq!(note.digest(), same.digest());
        let edited = NoteRow {
            fields: "f\x1fc".into(),
            ..note.clone()
        };
        assert_ne!(note.digest(), edited.digest());
    }

    #[test]
    fn a_new_id_skips_the_taken_ones() {
        assert_eq!(free_id(10, &mut |id| id == 10 || id == 11), 12);
        assert_eq!(free_id(10, &mut |_| false), 10);
    }
}
