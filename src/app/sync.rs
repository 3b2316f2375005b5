//! Sync with an Anki sync server (`python -m anki.syncserver`, AnkiWeb's protocol): awscards as
//! one more client (the protocol itself is in `sync_client` and `sync_normal`).
//!
//! The first sync with a server sends the collection whole: to an empty server as it is; to
//! one that holds a collection with our note type and decks already (the learner imported our
//! package into Anki before), after downloading it, importing its answers to our cards (as a
//! package's are) and writing our cards and answers into it by guid, everything else in it
//! (the learner's other decks, note types, notes) left as it is. A collection without our note
//! type or decks is taken as it is, and a normal sync adds them with our cards. What the
//! server then holds is recorded, and later syncs are normal (incremental) ones. When the
//! server's schema changed since (another device sent its collection whole), the learner
//! chooses: upload (merged as on a first sync) or download (the server's collection taken;
//! our answers it lacks sent at once).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::collection::{CardScope, Collection};
use super::error::AppError;
use super::progress::Progress;
pub use super::sync_client::{Login, log_in, login_path, save_login, saved_login};
use super::sync_client::{Meta, meta, post, sync_error};
use super::sync_normal::{Since, normal_sync};
use crate::model::stats::count_of;

/// What a sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncKind {
    FullUpload,
    FullDownload,
    Normal,
    NoChanges,
}

/// What a sync did, with its counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SyncSummary {
    pub kind: SyncKind,
    pub reviews_sent: u64,
    pub reviews_received: u64,
    pub cards_sent: u64,
    pub cards_received: u64,
}

/// What the collection keeps of its last sync: which server and user, and the server's
/// modification and schema stamps, usn and creation stamp right after it. `usn` is None while a
/// normal sync has not finished: what is recorded of the server may then not be what it holds,
/// and the next sync goes whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SyncState {
    server: String,
    user: String,
    server_modified: i64,
    #[serde(default)]
    schema: i64,
    #[serde(default)]
    usn: Option<i64>,
    #[serde(default)]
    crt: i64,
}

impl SyncState {
    /// The state of a sync with `login`'s server, whose `meta` said what it holds.
    fn new(login: &Login, meta: &Meta, usn: Option<i64>, crt: i64) -> SyncState {
        SyncState {
            server: login.server.clone(),
            user: login.user.clone(),
            server_modified: meta.modified,
            schema: meta.schema,
            usn,
            crt,
        }
    }

    fn json(&self) -> Result<String, AppError> {
        serde_json::to_string(self).map_err(sync_error)
    }
}

/// Which side wins a full sync the server asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FullSync {
    /// Ours goes to the server, merged into what it holds (its answers taken first).
    Upload,
    /// The server's collection is taken (its answers imported); ours it lacks are then sent.
    Download,
}

impl SyncSummary {
    const NO_CHANGES: SyncSummary = SyncSummary {
        kind: SyncKind::NoChanges,
        reviews_sent: 0,
        reviews_received: 0,
        cards_sent: 0,
        cards_received: 0,
    };

    /// What it did, in words, for `server`.
    pub fn describe(&self, server: &str) -> String {
        let (cards, answers) = (|n: u64| count_of(n, "card"), |n: u64| count_of(n, "answer"));
        match self.kind {
            SyncKind::NoChanges => format!("{server}: no changes."),
            SyncKind::Normal => format!(
                "{server}: sent {} and {}; received {} ({} rescheduled).",
                answers(self.reviews_sent),
                cards(self.cards_sent),
                answers(self.reviews_received),
                cards(self.cards_received)
            ),
            SyncKind::FullUpload => format!(
                "{server}: sent the whole collection, {} and {} (received {} first).",
                cards(self.cards_sent),
                answers(self.reviews_sent),
                answers(self.reviews_received)
            ),
            SyncKind::FullDownload => format!(
                "{server}: took the server's collection, {} new here ({} rescheduled); sent {} \
                 it lacked.",
                answers(self.reviews_received),
                cards(self.cards_received),
                answers(self.reviews_sent)
            ),
        }
    }
}

impl Collection {
    /// Where this collection's sync login is kept (None for one in memory).
    pub fn sync_login_path(&self) -> Option<PathBuf> {
        let db = self.store.path();
        (db != Path::new(":memory:")).then(|| login_path(db))
    }

    /// Syncs with the server of `login` (see the module's notes). `full` says which side
    /// wins when the server asks for a full sync; without it that is [`AppError::FullSync`].
    pub fn sync(
        &mut self,
        login: &Login,
        full: Option<FullSync>,
        progress: &Progress,
    ) -> Result<SyncSummary, AppError> {
        let (server, key) = (login.server.as_str(), login.key.as_str());
        let before = meta(server, key)?;
        let last: Option<SyncState> = self
            .store
            .anki_sync_state()?
            .and_then(|s| serde_json::from_str(&s).ok())
            .filter(|s: &SyncState| s.server == login.server && s.user == login.user);
        progress.check()?;
        let Some(last) = last.filter(|_| !before.empty) else {
            return self.full_sync(login, &before, FullSync::Upload, progress);
        };
        let Some(usn) = last.usn else {
            // A normal sync that did not finish: sent whole, merged, so nothing is lost.
            return self.full_sync(login, &before, FullSync::Upload, progress);
        };
        if last.schema != before.schema {
            return match full {
                Some(full) => self.full_sync(login, &before, full, progress),
                None => Err(AppError::FullSync(server.to_string())),
            };
        }
        if last.server_modified == before.modified && self.store.sync_pending()?.is_empty() {
            return Ok(SyncSummary::NO_CHANGES);
        }
        self.normal(login, &before, usn, last.crt, progress)
    }

    /// A normal sync from the server's `usn` (its creation stamp `crt`).
    fn normal(
        &mut self,
        login: &Login,
        before: &Meta,
        usn: i64,
        crt: i64,
        progress: &Progress,
    ) -> Result<SyncSummary, AppError> {
        let mut state = SyncState::new(login, before, None, crt);
        let since = Since { usn, crt };
        let (counts, modified) =
            normal_sync(self, login, before, &since, &state.json()?, progress)?;
        state.server_modified = modified;
        state.usn = Some(before.usn + 1);
        self.store.save_anki_sync_state(&state.json()?)?;
        Ok(SyncSummary {
            kind: SyncKind::Normal,
            reviews_sent: counts.reviews_sent,
            reviews_received: counts.reviews_received,
            cards_sent: counts.cards_sent,
            cards_received: counts.cards_received,
        })
    }

    /// A full sync: `Upload` sends the collection whole (to an empty server as it is; else
    /// merged into the server's, whose answers are taken first); `Download` takes the server's
    /// collection (its answers imported), then sends ours it lacks in a normal sync. What the
    /// server then holds is recorded.
    fn full_sync(
        &mut self,
        login: &Login,
        before: &Meta,
        full: FullSync,
        progress: &Progress,
    ) -> Result<SyncSummary, AppError> {
        let (server, key) = (login.server.as_str(), login.key.as_str());
        let now = self.now();
        let dir = self.store.scratch_dir()?;
        let file = dir.path().join("collection.anki2");
        let mut summary = SyncSummary {
            kind: SyncKind::FullUpload,
            ..SyncSummary::NO_CHANGES
        };
        let crt = if before.empty {
            let collection = self.package_collection(&CardScope::All, true, None)?;
            crate::store::write_package_collection(
                &file,
                &collection,
                now.timestamp(),
                &mut || !progress.is_cancelled(),
            )?;
            crate::store::prepare_full_upload(&file, now.timestamp_millis())?;
            (summary.cards_sent, summary.reviews_sent) = counts(&collection);
            collection.crt
        } else {
            let theirs = post(server, key, "download", b"{}")?;
            std::fs::write(&file, &theirs).map_err(sync_error)?;
            progress.check()?;
            let crt = crate::store::collection_crt(&file)?;
            // A collection without our note type or decks cannot be merged with: it is taken,
            // and the normal sync below adds them, with our cards.
            let decks = self.deck_names()?;
            let download =
                full == FullSync::Download || !crate::store::collection_holds_ours(&file, &decks)?;
            if download {
                // Recorded first (marked unfinished until the normal sync below ends), so that
                // the cards its answers reschedule here are sent back with their new state.
                let state = SyncState::new(login, before, None, crt).json()?;
                self.store
                    .record_synced_collection(&file, true, || Some(state))?;
            }
            let received = self.import_collection_file(
                &file,
                Path::new(server),
                crate::store::PackageLimits::default(),
                false,
                progress,
            )?;
            summary.reviews_received = u64::from(received.reviews_added);
            summary.cards_received = u64::from(received.cards_rescheduled);
            if download {
                let sent = self.normal(login, before, before.usn, crt, progress)?;
                return Ok(SyncSummary {
                    kind: SyncKind::FullDownload,
                    reviews_sent: sent.reviews_sent,
                    cards_sent: sent.cards_sent,
                    ..summary
                });
            }
            let collection = self.package_collection(&CardScope::All, true, Some(crt))?;
            let missing =
                crate::store::merge_into_collection(&file, &collection, now.timestamp_millis())?;
            if !missing.is_empty() {
                return Err(sync_error(format!(
                    "the collection on {server} lacks decks our cards need ({}): nothing was \
                     sent",
                    missing.join(", ")
                )));
            }
            (summary.cards_sent, summary.reviews_sent) = counts(&collection);
            crt
        };
        progress.check()?;
        self.upload(login, &file, crt)?;
        Ok(summary)
    }

    /// Sends the collection file `file` whole (its creation stamp `crt`), and records what the
    /// server then holds. The record is made while the file is on its way, in a transaction
    /// kept only if the server took the file: the two overlap, and neither waits on the other.
    fn upload(&mut self, login: &Login, file: &Path, crt: i64) -> Result<(), AppError> {
        let (server, key) = (login.server.as_str(), login.key.as_str());
        let bytes = std::fs::read(file).map_err(sync_error)?;
        let mut failed = None;
        let recorded = std::thread::scope(|scope| {
            let sending = scope.spawn(|| {
                let answer = post(server, key, "upload", &bytes)?;
                if answer != b"OK" {
                    return Err(sync_error(format!(
                        "{server} refused the upload: {}",
                        String::from_utf8_lossy(&answer).trim()
                    )));
                }
                // What the server now holds: what was sent, with its stamps.
                let after = meta(server, key)?;
                SyncState::new(login, &after, Some(after.usn), crt).json()
            });
            self.store
                .record_synced_collection(file, false, || match sending.join() {
                    Ok(Ok(state)) => Some(state),
                    Ok(Err(e)) => {
                        failed = Some(e);
                        None
                    }
                    Err(_) => {
                        failed = Some(sync_error("the upload stopped unexpectedly"));
                        None
                    }
                })
        });
        match failed {
            Some(e) => Err(e),
            None => Ok(recorded?),
        }
    }
}

/// The cards and answers of `c`.
fn counts(c: &crate::store::PackageCollection) -> (u64, u64) {
    (c.cards.len() as u64, c.revlog.len() as u64)
}
