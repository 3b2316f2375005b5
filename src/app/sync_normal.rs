//! The normal (incremental) sync with an Anki sync server, once a full sync has recorded what
//! the server holds: start (the server's deletions), its changed note types, decks and deck
//! options, its changed answers, cards and notes in chunks, ours in chunks, the sanity check
//! and finish, in the order and shapes of Anki's rslib/src/sync/collection.
//!
//! What the server sent is taken as an import is: its answers to our cards added here, each
//! card they touch rescheduled from its whole log (one transaction). Then every card of ours
//! that changed here, or that the server changed, goes back with our state when it differs
//! from what the server holds, so both sides agree after one sync. What is kept of the server
//! is written before the sanity check with the sync marked unfinished, and marked finished
//! after `finish`: a sync stopped anywhere leaves a mark that makes the next one go whole.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde_json::{Value, json};

use super::anki::{package_card, package_revlog};
use super::anki_answers::{CardRef, ImportSummary};
use super::collection::Collection;
use super::error::AppError;
use super::progress::Progress;
use super::sync_client::{Login, Meta, json, post, sync_error};
use super::sync_objects::{deck_ids, missing_objects, objects_of};
use crate::model::anki;
use crate::model::anki_sync::{CardRow, NoteRow, RevlogRow, free_id};
use crate::model::card::ReviewKind;
use crate::store::{AnkiAnswer, PackageCard, SanityCounts, SyncedCard, SyncedChanges, SyncedNote};

/// How many rows a chunk carries (Anki's CHUNK_SIZE).
const CHUNK_SIZE: usize = 250;

/// What a normal sync did.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct NormalCounts {
    pub reviews_sent: u64,
    pub reviews_received: u64,
    pub cards_sent: u64,
    pub cards_received: u64,
}

/// Where a normal sync starts from: the server's usn and creation stamp at the last sync.
pub(super) struct Since {
    pub usn: i64,
    pub crt: i64,
}

/// The server's deletions since the last sync.
#[derive(Deserialize, Default)]
struct Graves {
    #[serde(default)]
    cards: Vec<i64>,
    #[serde(default)]
    notes: Vec<i64>,
    #[serde(default)]
    decks: Vec<i64>,
}

/// What the server sent in its chunks.
#[derive(Default)]
struct Received {
    revlog: Vec<RevlogRow>,
    cards: Vec<CardRow>,
    notes: Vec<NoteRow>,
    /// The cards it sent as they were at the last sync, by their id there.
    synced: HashMap<i64, SyncedCard>,
}

/// Runs a normal sync from `since`; `unfinished_state` is the sync's settings row kept with
/// what is recorded of the server until `finish` (it marks the sync unfinished). Returns the
/// counts and the server's modification stamp after `finish`.
pub(super) fn normal_sync(
    coll: &mut Collection,
    login: &Login,
    meta: &Meta,
    since: &Since,
    unfinished_state: &str,
    progress: &Progress,
) -> Result<(NormalCounts, i64), AppError> {
    let (server, key) = (login.server.as_str(), login.key.as_str());
    let start = json!({"minUsn": since.usn, "lnewer": false, "graves": null}).to_string();
    let graves: Graves = json(&post(server, key, "start", start.as_bytes())?, "start")?;
    let result = inner(coll, login, meta, since, graves, unfinished_state, progress);
    if result.is_err() {
        // The server keeps nothing of a sync that did not finish; tell it at once.
        let _ = post(server, key, "abort", b"{}");
    }
    result
}

fn inner(
    coll: &mut Collection,
    login: &Login,
    meta: &Meta,
    since: &Since,
    graves: Graves,
    unfinished_state: &str,
    progress: &Progress,
) -> Result<(NormalCounts, i64), AppError> {
    let (server, key) = (login.server.as_str(), login.key.as_str());
    // The server's note types, decks and deck options as last synced (read once: nothing
    // here changes them before the sync is recorded).
    let synced_objects = coll.store.synced_objects()?;
    let (models, decks, added) = missing_objects(coll, &synced_objects, meta.usn)?;
    let ours = json!({"changes": {"models": models, "decks": [decks, []], "tags": []}});
    let theirs: Value = json(
        &post(server, key, "applyChanges", ours.to_string().as_bytes())?,
        "applyChanges",
    )?;
    let mut objects = added;
    objects.extend(objects_of(&theirs));
    let mut received = receive(server, key, progress)?;
    let received_ids: Vec<i64> = received.cards.iter().map(|c| c.id).collect();
    received.synced = coll
        .store
        .synced_cards(&received_ids)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut counts = NormalCounts::default();

    // Their answers to our cards, imported; the cards they touch rescheduled.
    let cids: Vec<i64> = received.revlog.iter().map(|r| r.cid).collect();
    let ours: HashMap<i64, i64> = coll
        .store
        .synced_cards(&cids)?
        .into_iter()
        .filter_map(|s| Some((s.card_id?, s.id)))
        .collect();
    let refs = coll
        .store
        .card_refs(&ours.keys().copied().collect::<Vec<_>>())?;
    let cards: HashMap<i64, CardRef> = refs
        .iter()
        .filter_map(|(id, key, deck)| Some((*ours.get(id)?, (*id, key.as_str(), deck.as_str()))))
        .collect();
    let answers: Vec<AnkiAnswer> = received
        .revlog
        .iter()
        .map(|r| AnkiAnswer {
            id: r.id,
            card_id: r.cid,
            button: r.button,
            time_ms: r.time_ms,
            kind: r.kind,
        })
        .collect();
    // Suspended or flagged there, and not changed here since: taken (Anki's rule, the newer
    // change wins), in the same transaction.
    let pending: HashSet<i64> = coll.store.sync_pending()?.into_iter().collect();
    let marks: Vec<(i64, bool, u8)> = received
        .cards
        .iter()
        .filter_map(|c| {
            let ours = received.synced.get(&c.id)?.card_id?;
            let flag = u8::try_from(c.flags & 0b111).unwrap_or(0);
            (!pending.contains(&ours)).then_some((ours, c.queue == -1, flag))
        })
        .collect();
    let mut summary = ImportSummary::default();
    coll.reschedule_with_answers(&answers, &cards, &marks, &mut summary, progress)?;
    counts.reviews_received = u64::from(summary.reviews_added);
    counts.cards_received = u64::from(summary.cards_rescheduled);

    // What goes back.
    let mut changes = SyncedChanges {
        removed: [graves.cards, graves.notes, graves.decks],
        objects,
        revlog: received.revlog.iter().map(|r| r.id).collect(),
        ..SyncedChanges::default()
    };
    let outgoing = outgoing(coll, meta, since, &received, &synced_objects, &mut changes)?;
    counts.reviews_sent = outgoing.revlog.len() as u64;
    counts.cards_sent = outgoing.cards.len() as u64;
    send(server, key, outgoing, progress)?;

    let recorded = coll
        .store
        .record_synced_changes(&changes, unfinished_state)?;
    sanity_check(server, key, recorded)?;
    let modified: i64 = json(&post(server, key, "finish", b"{}")?, "finish")?;
    Ok((counts, modified))
}

/// The server's chunks, until it says done.
fn receive(server: &str, key: &str, progress: &Progress) -> Result<Received, AppError> {
    #[derive(Deserialize)]
    struct Chunk {
        #[serde(default)]
        done: bool,
        #[serde(default)]
        revlog: Vec<Value>,
        #[serde(default)]
        cards: Vec<Value>,
        #[serde(default)]
        notes: Vec<Value>,
    }
    let bad = |what: &str| sync_error(format!("{server} sent a {what} row awscards cannot read"));
    let mut received = Received::default();
    loop {
        progress.check()?;
        let chunk: Chunk = json(&post(server, key, "chunk", b"{}")?, "chunk")?;
        for r in &chunk.revlog {
            received
                .revlog
                .push(RevlogRow::from_json(r).ok_or_else(|| bad("review log"))?);
        }
        for c in &chunk.cards {
            received
                .cards
                .push(CardRow::from_json(c).ok_or_else(|| bad("card"))?);
        }
        for n in &chunk.notes {
            received
                .notes
                .push(NoteRow::from_json(n).ok_or_else(|| bad("note"))?);
        }
        if chunk.done {
            return Ok(received);
        }
    }
}

/// What a normal sync sends.
#[derive(Default)]
struct Outgoing {
    revlog: Vec<RevlogRow>,
    cards: Vec<CardRow>,
    notes: Vec<NoteRow>,
}

/// Our cards to send (changed here since the last sync, or changed there), their notes and
/// their answers the server lacks, each card and note only when it differs from what the
/// server holds. `changes` gets what the server holds after the sync.
fn outgoing(
    coll: &mut Collection,
    meta: &Meta,
    since: &Since,
    received: &Received,
    synced_objects: &[(String, i64, String)],
    changes: &mut SyncedChanges,
) -> Result<Outgoing, AppError> {
    let (pending, by_card, notes) = server_rows(coll, received, changes)?;
    let ids: Vec<i64> = pending.into_iter().collect();
    let cards = coll.store.cards_with_rank(&ids)?;
    let answers = coll
        .store
        .answers_of_cards(&cards.iter().map(|(c, _)| c.id).collect())?;
    let anki_ids: Vec<i64> = answers.iter().map(|a| a.anki_id).collect();
    let mut there: HashSet<i64> = coll.store.synced_answers(&anki_ids)?.into_iter().collect();
    there.extend(received.revlog.iter().map(|r| r.id));

    let (decks, our_type) = deck_ids(synced_objects, changes);
    let deck_id = |name: &str| decks.get(name).copied();

    let now = coll.now();
    let minutes_west = -now.offset().local_minus_utc() / 60;
    let crt_day = anki::creation_day_of(since.crt, minutes_west);
    let now_ms = now.timestamp_millis();
    let stamp = Stamp {
        usn: meta.usn,
        now_secs: now.timestamp(),
        cards: received.cards.iter().map(|c| (c.id, c.modified)).collect(),
        notes: received.notes.iter().map(|n| (n.id, n.modified)).collect(),
    };
    let mut reps: HashMap<i64, i64> = HashMap::new();
    for a in answers.iter().filter(|a| a.kind != ReviewKind::Cram) {
        *reps.entry(a.card_id).or_default() += 1;
    }
    let mut out = Outgoing::default();
    let mut given: HashSet<i64> = HashSet::new();
    let mut new_id = |coll: &Collection| -> Result<i64, AppError> {
        let mut failed = None;
        let id = free_id(now_ms, &mut |id| {
            given.contains(&id)
                || coll.store.synced_id_taken(id).unwrap_or_else(|e| {
                    failed = Some(e);
                    false
                })
        });
        if let Some(e) = failed {
            return Err(e.into());
        }
        given.insert(id);
        Ok(id)
    };
    let mut cid_of: HashMap<i64, i64> = HashMap::new();
    for (card, rank) in &cards {
        // A deck the server lost since this sync began (deleted there): the card goes when
        // it changes here again, and the deck with it.
        let Some(did) = deck_id(&card.deck) else {
            continue;
        };
        let synced = by_card.get(&card.id);
        let (cid, nid) = match synced {
            Some(s) => (s.id, s.nid),
            None if our_type => (new_id(coll)?, new_id(coll)?),
            None => continue,
        };
        cid_of.insert(card.id, cid);
        let reps = reps.get(&card.id).copied().unwrap_or(0);
        let (row, note) = stamp.rows(
            &package_card(card, *rank, crt_day, true, reps),
            cid,
            nid,
            did,
        );
        if synced.is_none_or(|s| s.digest != row.digest()) {
            changes.cards.push(SyncedCard {
                id: cid,
                nid,
                card_id: Some(card.id),
                digest: row.digest(),
            });
            out.cards.push(row);
        }
        if notes.get(&nid).is_none_or(|n| n.digest != note.digest()) {
            changes.notes.push(SyncedNote {
                id: nid,
                guid: note.guid.clone(),
                digest: note.digest(),
            });
            out.notes.push(note);
        }
    }
    for a in answers.iter().filter(|a| !there.contains(&a.anki_id)) {
        if let Some(cid) = cid_of.get(&a.card_id) {
            let r = package_revlog(a);
            out.revlog.push(RevlogRow {
                id: r.id,
                cid: *cid,
                usn: meta.usn,
                button: r.button,
                ivl: r.ivl,
                last_ivl: r.last_ivl,
                factor: r.factor,
                time_ms: r.time_ms,
                kind: r.kind,
            });
            changes.revlog.push(r.id);
        }
    }
    Ok(out)
}

/// What stamps the rows a sync sends: the server's usn, and modification times newer than
/// those of the rows it sent (which it would keep otherwise: ours hold their answers too).
struct Stamp {
    usn: i64,
    now_secs: i64,
    /// The modification times of the cards and notes the server sent, by id.
    cards: HashMap<i64, i64>,
    notes: HashMap<i64, i64>,
}

impl Stamp {
    fn newer(&self, theirs: &HashMap<i64, i64>, id: i64) -> i64 {
        theirs
            .get(&id)
            .map_or(self.now_secs, |m| self.now_secs.max(m + 1))
    }

    /// Our card `p` as card `cid` of note `nid` in deck `did`: its card and note rows.
    fn rows(&self, p: &PackageCard, cid: i64, nid: i64, did: i64) -> (CardRow, NoteRow) {
        let card = CardRow {
            id: cid,
            nid,
            did,
            ord: 0,
            modified: self.newer(&self.cards, cid),
            usn: self.usn,
            ctype: p.schedule.ctype,
            queue: p.schedule.queue,
            due: p.schedule.due,
            ivl: p.schedule.ivl,
            factor: p.schedule.factor,
            reps: p.reps,
            lapses: p.lapses,
            left: 0,
            odue: 0,
            odid: 0,
            flags: i64::from(p.flag),
            data: String::new(),
        };
        let note = NoteRow {
            id: nid,
            guid: p.guid.clone(),
            notetype: anki::NOTETYPE_ID,
            modified: self.newer(&self.notes, nid),
            usn: self.usn,
            tags: p.anki_tags(),
            fields: p.fields.clone(),
        };
        (card, note)
    }
}

/// Our cards' rows and notes on the server now (as last synced, then as it sent them; those
/// deleted there left out), by our card id and by note id; and our cards to look at: those
/// changed here, and those the server sent (or whose note it sent). `changes` gets the rows
/// the server sent.
#[allow(clippy::type_complexity)]
fn server_rows(
    coll: &Collection,
    received: &Received,
    changes: &mut SyncedChanges,
) -> Result<
    (
        HashSet<i64>,
        HashMap<i64, SyncedCard>,
        HashMap<i64, SyncedNote>,
    ),
    AppError,
> {
    let received_nids: Vec<i64> = received.notes.iter().map(|n| n.id).collect();
    let mut known = received.synced.clone();
    for c in &received.cards {
        let card_id = known.get(&c.id).and_then(|s| s.card_id);
        let s = SyncedCard {
            id: c.id,
            nid: c.nid,
            card_id,
            digest: c.digest(),
        };
        changes.cards.push(s);
        known.insert(c.id, s);
    }
    let mut pending: HashSet<i64> = coll.store.sync_pending()?.into_iter().collect();
    pending.extend(known.values().filter_map(|s| s.card_id));
    let ids: Vec<i64> = pending.iter().copied().collect();
    // Our cards' rows there (of our changed cards, and of the notes the server sent).
    let mut by_card: HashMap<i64, SyncedCard> = HashMap::new();
    let [removed_cards, removed_notes, _] = &changes.removed;
    for s in coll.store.synced_cards_of(&ids, &received_nids)? {
        let s = known.get(&s.id).copied().unwrap_or(s);
        // Deleted there: ours is sent again as a new card, once it changes here.
        if removed_cards.contains(&s.id) || removed_notes.contains(&s.nid) {
            continue;
        }
        if let Some(card_id) = s.card_id {
            pending.insert(card_id);
            by_card.insert(card_id, s);
        }
    }
    let nids: Vec<i64> = by_card.values().map(|s| s.nid).collect();
    let mut notes: HashMap<i64, SyncedNote> = coll
        .store
        .synced_notes(&nids)?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    for n in &received.notes {
        let note = SyncedNote {
            id: n.id,
            guid: n.guid.clone(),
            digest: n.digest(),
        };
        changes.notes.push(note.clone());
        notes.insert(n.id, note);
    }

    Ok((pending, by_card, notes))
}

/// Sends `out` in chunks, the last one marked done.
fn send(server: &str, key: &str, out: Outgoing, progress: &Progress) -> Result<(), AppError> {
    let rows = out.revlog.len() + out.cards.len() + out.notes.len();
    progress.start(rows as u64, "rows sent");
    let mut done_rows = 0;
    let mut revlog = out.revlog.into_iter().map(|r| r.to_json());
    let mut cards = out.cards.into_iter().map(|c| c.to_json());
    let mut notes = out.notes.into_iter().map(|n| n.to_json());
    // No Cancel here: the server's answers are written here already.
    loop {
        let (mut r, mut c, mut n) = (Vec::new(), Vec::new(), Vec::new());
        while r.len() + c.len() + n.len() < CHUNK_SIZE {
            let before = r.len() + c.len() + n.len();
            r.extend(revlog.next());
            n.extend(notes.next());
            c.extend(cards.next());
            if r.len() + c.len() + n.len() == before {
                break;
            }
        }
        let sent = r.len() + c.len() + n.len();
        let done = sent < CHUNK_SIZE;
        let body = json!({"chunk": {"done": done, "revlog": r, "cards": c, "notes": n}});
        post(server, key, "applyChunk", body.to_string().as_bytes())?;
        done_rows += sent;
        progress.set_done(done_rows as u64, rows as u64);
        if done {
            return Ok(());
        }
    }
}

/// The server's sanity check of `counts` (Anki's: due counts no longer compared, graves 0).
fn sanity_check(server: &str, key: &str, counts: SanityCounts) -> Result<(), AppError> {
    let [cards, notes, revlog, notetypes, decks, deck_config] = counts;
    let body =
        json!({"client": [[0, 0, 0], cards, notes, revlog, 0, notetypes, decks, deck_config]});
    let answer: Value = json(
        &post(server, key, "sanityCheck2", body.to_string().as_bytes())?,
        "sanityCheck2",
    )?;
    if answer["status"] == "ok" {
        Ok(())
    } else {
        Err(sync_error(format!(
            "{server} found that the collections differ after the sync (ours: {}, its: {}), \
             so it kept nothing of it; the next sync sends the whole collection",
            answer["c"], answer["s"]
        )))
    }
}
