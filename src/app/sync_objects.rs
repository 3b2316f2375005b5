//! The note types, decks and deck options of a normal sync: what the server lacks of ours
//! (sent in `applyChanges`), what it sent, and its decks by name.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::collection::Collection;
use super::error::AppError;
use crate::model::anki;
use crate::store::SyncedChanges;

/// What our changed cards need that the server lacks: our note type (for cards new there) and
/// their decks with their parents, as Anki's schema-11 JSON stamped with the server's `usn`
/// (what `applyChanges` sends), and as (kind, id, name).
#[allow(clippy::type_complexity)]
pub(super) fn missing_objects(
    coll: &Collection,
    synced: &[(String, i64, String)],
    usn: i64,
) -> Result<(Vec<Value>, Vec<Value>, Vec<(&'static str, i64, String)>), AppError> {
    let (decks, new_cards) = coll.store.pending_needs()?;
    let (there, our_type) = server_decks(synced, &[], &HashSet::new());
    let lacking: Vec<String> = crate::model::decks::with_parents(&decks)
        .into_iter()
        .filter(|d| !there.contains_key(d))
        .collect();
    if lacking.is_empty() && (our_type || !new_cards) {
        return Ok((Vec::new(), Vec::new(), Vec::new()));
    }
    let now = coll.now();
    let minutes_west = -now.offset().local_minus_utc() / 60;
    let names: Vec<&str> = lacking.iter().map(String::as_str).collect();
    let col = anki::col_json(&names, coll.settings.scheduler.rollover_hour, minutes_west);
    let stamped = |mut v: Value| {
        v["usn"] = usn.into();
        v["mod"] = now.timestamp().into();
        v
    };
    let parse =
        |text: &str| -> HashMap<String, Value> { serde_json::from_str(text).unwrap_or_default() };
    let mut added = Vec::new();
    let mut models = Vec::new();
    if new_cards && !our_type {
        let model = parse(&col.models).remove(&anki::NOTETYPE_ID.to_string());
        if let Some(model) = model {
            let name = model["name"].as_str().unwrap_or_default().to_string();
            added.push(("notetype", anki::NOTETYPE_ID, name));
            models.push(stamped(model));
        }
    }
    let mut deck_rows = Vec::new();
    for (_, deck) in parse(&col.decks) {
        let (Some(id), Some(name)) = (deck["id"].as_i64(), deck["name"].as_str()) else {
            continue;
        };
        if lacking.iter().any(|d| d == name) {
            added.push(("deck", id, name.to_string()));
            deck_rows.push(stamped(deck));
        }
    }
    Ok((models, deck_rows, added))
}

/// The note types, decks and deck options of the server's `applyChanges` answer.
pub(super) fn objects_of(theirs: &Value) -> Vec<(&'static str, i64, String)> {
    let listed = [
        ("notetype", &theirs["models"]),
        ("deck", &theirs["decks"][0]),
        ("deck_config", &theirs["decks"][1]),
    ];
    let mut out = Vec::new();
    for (kind, list) in listed {
        for object in list.as_array().into_iter().flatten() {
            if let Some(id) = object["id"].as_i64() {
                let name = object["name"].as_str().unwrap_or_default().to_string();
                out.push((kind, id, name));
            }
        }
    }
    out
}

/// The server's decks by name (`::` between levels), as last synced (`synced`, from
/// [`crate::store::Store::synced_objects`]) and as this sync changed them, and whether it holds
/// our note type.
pub(super) fn deck_ids(
    synced: &[(String, i64, String)],
    changes: &SyncedChanges,
) -> (HashMap<String, i64>, bool) {
    let removed: HashSet<i64> = changes.removed[2].iter().copied().collect();
    server_decks(synced, &changes.objects, &removed)
}

/// The decks by name among the objects `synced` and then `changed` (kind, id, name), but
/// those `removed`, and whether our note type is among them.
fn server_decks(
    synced: &[(String, i64, String)],
    changed: &[(&'static str, i64, String)],
    removed: &HashSet<i64>,
) -> (HashMap<String, i64>, bool) {
    let mut decks = HashMap::new();
    let mut our_type = false;
    let synced = synced.iter().map(|(k, id, n)| (k.as_str(), *id, n));
    let changed = changed.iter().map(|(k, id, n)| (*k, *id, n));
    for (kind, id, name) in synced.chain(changed) {
        match kind {
            "deck" if !removed.contains(&id) => {
                decks.insert(name.clone(), id);
            }
            "notetype" => our_type |= id == anki::NOTETYPE_ID,
            _ => {}
        }
    }
    (decks, our_type)
}
