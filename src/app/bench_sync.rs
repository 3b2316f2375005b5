//! `awscards bench --sync-server URL --sync-user NAME`: what a sync costs on the bench
//! collection, against an Anki sync server whose collection for that user is empty. On copies
//! (the bench collection is left as it is): the first sync (a full upload), then a normal sync
//! with 100 new answers each way (the other device a copy of the first, as synced).

use std::path::Path;
use std::time::{Duration, Instant};

use super::collection::Collection;
use super::error::AppError;
use super::progress::Progress;
use super::session::Session;
use super::sync::{SyncKind, log_in};

/// New answers on each side before the timed normal sync (fewer where a deck holds fewer).
pub const ANSWERS_EACH_WAY: usize = 100;

/// The sync figures (ms).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyncFigures {
    pub sync_full_ms: f64,
    pub sync_normal_ms: f64,
    pub answers_each_way: usize,
}

/// Times the syncs of copies of the bench collection in `folder` with `server`, as `user`.
pub fn run(
    folder: &Path,
    server: &str,
    user: &str,
    password: &str,
) -> Result<SyncFigures, AppError> {
    let login = log_in(server, user, password)?;
    let ours = copy(folder, "collection.sqlite", "sync-ours.sqlite")?;
    let mut coll = open(folder, &ours)?;
    let t = Instant::now();
    let full = coll.sync(&login, None, &Progress::default())?;
    let sync_full_ms = t.elapsed().as_secs_f64() * 1000.0;
    if full.kind != SyncKind::FullUpload || full.reviews_received != 0 {
        return Err(AppError::Sync(format!(
            "the first sync was not a full upload to an empty collection ({:?}): give a server \
             and user that hold no collection",
            full.kind
        )));
    }
    drop(coll);
    // The other device: this one as synced, answering another deck's cards.
    let theirs = copy(folder, "sync-ours.sqlite", "sync-theirs.sqlite")?;
    let mut other = open(folder, &theirs)?;
    // Two decks that hold no other: the two devices answer different cards.
    let names = other.deck_names()?;
    let leaves: Vec<&String> = names
        .iter()
        .filter(|d| !names.iter().any(|o| o.starts_with(&format!("{d}::"))))
        .collect();
    let (first, last) = match (leaves.first(), leaves.last()) {
        (Some(first), Some(last)) if first != last => ((*first).clone(), (*last).clone()),
        _ => {
            return Err(AppError::Sync(
                "the bench collection needs two decks".into(),
            ));
        }
    };
    let each_way = answer(&mut other, &last, ANSWERS_EACH_WAY)?;
    other.sync(&login, None, &Progress::default())?;
    drop(other);
    let mut coll = open(folder, &ours)?;
    if answer(&mut coll, &first, each_way)? != each_way {
        return Err(AppError::Sync(format!(
            "fewer than {each_way} cards to study in {first}"
        )));
    }
    let t = Instant::now();
    let normal = coll.sync(&login, None, &Progress::default())?;
    let sync_normal_ms = t.elapsed().as_secs_f64() * 1000.0;
    let answers = each_way as u64;
    if normal.kind != SyncKind::Normal
        || normal.reviews_sent != answers
        || normal.reviews_received != answers
    {
        return Err(AppError::Sync(format!(
            "the timed sync was not a normal one with {each_way} answers each way: {normal:?}"
        )));
    }
    Ok(SyncFigures {
        sync_full_ms,
        sync_normal_ms,
        answers_each_way: each_way,
    })
}

/// `folder/from` copied to `folder/to` (its journal folded in: the collection is closed).
fn copy(folder: &Path, from: &str, to: &str) -> Result<std::path::PathBuf, AppError> {
    let to = folder.join(to);
    let io = |e: std::io::Error| AppError::CannotWrite {
        path: to.clone(),
        why: e.to_string(),
    };
    for suffix in ["-wal", "-shm", ".sync-login.json"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", to.display()));
    }
    std::fs::copy(folder.join(from), &to).map_err(io)?;
    Ok(to)
}

fn open(folder: &Path, db: &Path) -> Result<Collection, AppError> {
    Collection::open(Some(db), Some(&folder.join("facts")))
}

/// Up to `most` answers, each Good, in `deck`: how many.
fn answer(coll: &mut Collection, deck: &str, most: usize) -> Result<usize, AppError> {
    coll.settings.new_per_day = u32::MAX;
    let today = coll.today();
    let mut session = Session::start(coll, deck, today)?;
    let mut answered = 0;
    while answered < most && session.current().is_some() {
        let now = coll.now();
        session.answer(coll, 4, now, Duration::from_secs(3))?;
        answered += 1;
    }
    Ok(answered)
}
