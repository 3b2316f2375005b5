//! Sync with an Anki sync server (`python -m anki.syncserver`, AnkiWeb's protocol): awscards as
//! one more client. The protocol's facts come from Anki's rslib/src/sync (version 11: a POST to
//! `sync/METHOD`, a JSON `anki-sync` header with the host key, zstd-compressed bodies).
//!
//! What is built: logging in (only the host key the server returns is kept, in a file only the
//! user may read), and syncs by whole collections. A new server, or one that holds our
//! collection alone as awscards left it, gets the collection. Any other is downloaded: its
//! answers to our cards are imported (as a package's are), our cards and answers are written
//! into its collection, everything else in it (the learner's other decks, note types, notes)
//! left as it is, and that goes back whole. Not built yet: the normal (incremental) sync, so
//! after awscards sends, other devices are asked for a full sync; and adding our note type and
//! decks to a collection that lacks them.

use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::collection::{CardScope, Collection};
use super::error::AppError;
use super::progress::Progress;

/// The protocol version spoken (Anki 2.1.57 and later: headers and zstd).
const SYNC_VERSION: u8 = 11;

/// How awscards names itself to the server.
const CLIENT_VERSION: &str = concat!("awscards,", env!("CARGO_PKG_VERSION"), ",linux");

/// How long a request may wait on the network.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A login: the server, the user, and the host key the server gave (never the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login {
    pub server: String,
    pub user: String,
    pub key: String,
}

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

/// What the collection keeps of its last sync: which server, its modification time right
/// after the sync, a digest of our cards and answers then, and whether the server then held
/// our collection alone (sent whole, not merged into one with other content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SyncState {
    server: String,
    user: String,
    server_modified: i64,
    content: u64,
    #[serde(default)]
    ours_alone: bool,
}

/// The server's answer to `meta`.
#[derive(Debug, Deserialize)]
struct Meta {
    #[serde(rename = "mod")]
    modified: i64,
    #[serde(rename = "cont")]
    should_continue: bool,
    #[serde(rename = "msg", default)]
    message: String,
    #[serde(default)]
    empty: bool,
}

fn sync_error(why: impl std::fmt::Display) -> AppError {
    AppError::Sync(why.to_string())
}

/// One request to the server: `body` compressed, the answer's body decompressed.
fn post(server: &str, key: &str, method: &str, body: &[u8]) -> Result<Vec<u8>, AppError> {
    let url = format!("{}/sync/{method}", server.trim_end_matches('/'));
    let header = serde_json::json!({
        "v": SYNC_VERSION, "k": key, "c": CLIENT_VERSION, "s": session_key(),
    })
    .to_string();
    let compressed = zstd::encode_all(body, 0).map_err(sync_error)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .post(&url)
        .header("anki-sync", &header)
        .header("Content-Type", "application/octet-stream")
        .send(&compressed[..])
        .map_err(|e| sync_error(format!("cannot reach {server}: {e}")))?;
    let status = response.status().as_u16();
    let zstd_body = response.headers().contains_key("anki-original-size");
    let raw = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()
        .map_err(|e| sync_error(format!("the answer of {server} was cut: {e}")))?;
    let data = if zstd_body {
        zstd::decode_all(&raw[..])
            .map_err(|e| sync_error(format!("the answer of {server} is not readable: {e}")))?
    } else {
        raw
    };
    match status {
        200 => Ok(data),
        403 => Err(sync_error(format!(
            "{server} refused the login: check the user name and the password, and log in again"
        ))),
        _ => Err(sync_error(format!(
            "{server} answered {status} to {method}: {}",
            String::from_utf8_lossy(&data).trim()
        ))),
    }
}

/// A session key, as Anki's client makes one per sync.
fn session_key() -> String {
    format!("{:x}", rand::random::<u32>())
}

fn json<T: serde::de::DeserializeOwned>(data: &[u8], what: &str) -> Result<T, AppError> {
    serde_json::from_slice(data).map_err(|e| {
        sync_error(format!(
            "the server's answer to {what} is not what Anki sends: {e}"
        ))
    })
}

/// Logs `user` in at `server` with `password`: the host key to keep.
pub fn log_in(server: &str, user: &str, password: &str) -> Result<Login, AppError> {
    #[derive(Deserialize)]
    struct HostKey {
        key: String,
    }
    let body = serde_json::json!({"u": user, "p": password}).to_string();
    let answer = post(server, "", "hostKey", body.as_bytes())?;
    let HostKey { key } = json(&answer, "the login")?;
    Ok(Login {
        server: server.trim_end_matches('/').to_string(),
        user: user.to_string(),
        key,
    })
}

/// Where the login of the collection at `db` is kept: beside it.
pub fn login_path(db: &Path) -> PathBuf {
    let stem = db
        .file_stem()
        .map_or_else(|| "collection".into(), |s| s.to_string_lossy().into_owned());
    db.with_file_name(format!("{stem}.sync-login.json"))
}

/// The login kept at `path`, if any.
pub fn saved_login(path: &Path) -> Result<Option<Login>, AppError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            sync_error(format!(
                "{} is not a login awscards wrote ({e}): `awscards sync --logout` removes it",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(sync_error(format!("cannot read {}: {e}", path.display()))),
    }
}

/// Keeps `login` at `path`, readable and writable by the user alone.
pub fn save_login(path: &Path, login: &Login) -> Result<(), AppError> {
    use std::os::unix::fs::OpenOptionsExt;
    let cannot = |e: std::io::Error| AppError::CannotWrite {
        path: path.to_path_buf(),
        why: e.to_string(),
    };
    let partial = path.with_extension("json.partial");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)
        .map_err(cannot)?;
    let json = serde_json::to_vec_pretty(login).map_err(sync_error)?;
    file.write_all(&json)
        .and_then(|()| file.sync_all())
        .map_err(cannot)?;
    std::fs::rename(&partial, path).map_err(cannot)
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
        match self.kind {
            SyncKind::NoChanges => format!("{server}: no changes."),
            _ => format!(
                "{server}: sent {} cards and {} answers (the whole collection).",
                self.cards_sent, self.reviews_sent
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

    /// Syncs with the server of `login`. A server that holds nothing but what awscards last
    /// uploaded gets the collection again (or nothing, when nothing changed); any other is
    /// downloaded first: its answers to our cards are imported here (one transaction, each
    /// card they touch rescheduled), our cards and answers are written into its collection,
    /// everything else in it left as it is, and that goes back to the server.
    pub fn sync(&mut self, login: &Login, progress: &Progress) -> Result<SyncSummary, AppError> {
        let (server, key) = (login.server.as_str(), login.key.as_str());
        let before = meta(server, key)?;
        let last: Option<SyncState> = self
            .store
            .anki_sync_state()?
            .and_then(|s| serde_json::from_str(&s).ok());
        let unchanged = |s: &SyncState| {
            s.server == login.server && s.user == login.user && s.server_modified == before.modified
        };
        // A server that holds our collection alone, as awscards left it, gets it whole again;
        // any other is merged with.
        let ours_alone =
            before.empty || last.as_ref().is_some_and(|s| s.ours_alone && unchanged(s));
        progress.check()?;
        let now = self.now();
        let dir = self.store.scratch_dir()?;
        let file = dir.path().join("collection.anki2");
        let (kind, received, sent, content) = if ours_alone {
            let collection = self.package_collection(&CardScope::All, true, None)?;
            let content = digest(&collection);
            if !before.empty && last.as_ref().is_some_and(|s| s.content == content) {
                return Ok(SyncSummary::NO_CHANGES);
            }
            crate::store::write_package_collection(
                &file,
                &collection,
                now.timestamp(),
                &mut || !progress.is_cancelled(),
            )?;
            crate::store::prepare_full_upload(&file, now.timestamp_millis())?;
            (SyncKind::FullUpload, None, counts(&collection), content)
        } else {
            let theirs = post(server, key, "download", b"{}")?;
            std::fs::write(&file, &theirs).map_err(sync_error)?;
            progress.check()?;
            let received = self.import_collection_file(
                &file,
                Path::new(server),
                crate::store::PackageLimits::default(),
                false,
                progress,
            )?;
            // Nothing new on either side since the last sync (the server's stamp moves when
            // another device downloads too): nothing to send.
            let content = digest(&self.package_collection(&CardScope::All, true, None)?);
            if received.reviews_added == 0
                && last.as_ref().is_some_and(|s| {
                    s.server == login.server && s.user == login.user && s.content == content
                })
            {
                self.save_sync_state(login, before.modified, content, false)?;
                return Ok(SyncSummary::NO_CHANGES);
            }
            let crt = crate::store::collection_crt(&file)?;
            let collection = self.package_collection(&CardScope::All, true, Some(crt))?;
            let missing =
                crate::store::merge_into_collection(&file, &collection, now.timestamp_millis())?;
            if !missing.is_empty() {
                return Err(sync_error(format!(
                    "the collection on {server} lacks the awscards note type or decks that our \
                     cards need ({}), and awscards cannot add them to it yet, so nothing was \
                     sent (any answers it held for our cards are here now). Import an awscards \
                     package into Anki once (`awscards export deck.apkg`, then File > Import), \
                     sync Anki, then sync here",
                    missing.join(", ")
                )));
            }
            (
                SyncKind::FullDownload,
                Some(received),
                counts(&collection),
                content,
            )
        };
        let mut bytes = Vec::new();
        std::fs::File::open(&file)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(sync_error)?;
        progress.check()?;
        let answer = post(server, key, "upload", &bytes)?;
        if answer != b"OK" {
            return Err(sync_error(format!(
                "{server} refused the upload: {}",
                String::from_utf8_lossy(&answer).trim()
            )));
        }
        // The server's collection is what was sent: its stamp, to know it unchanged next time.
        let modified = meta(server, key)?.modified;
        self.save_sync_state(login, modified, content, kind == SyncKind::FullUpload)?;
        let (cards, reviews) = sent;
        Ok(SyncSummary {
            kind,
            reviews_sent: reviews,
            reviews_received: received.as_ref().map_or(0, |r| u64::from(r.reviews_added)),
            cards_sent: cards,
            cards_received: received
                .as_ref()
                .map_or(0, |r| u64::from(r.cards_rescheduled)),
        })
    }

    fn save_sync_state(
        &mut self,
        login: &Login,
        server_modified: i64,
        content: u64,
        ours_alone: bool,
    ) -> Result<(), AppError> {
        let state = SyncState {
            server: login.server.clone(),
            user: login.user.clone(),
            server_modified,
            content,
            ours_alone,
        };
        let json = serde_json::to_string(&state).map_err(sync_error)?;
        Ok(self.store.save_anki_sync_state(&json)?)
    }
}

/// A digest of what a sync sends (every card's Anki schedule and every answer), built with our
/// own creation day: the same when nothing changed here.
fn digest(c: &crate::store::PackageCollection) -> u64 {
    let mut digest = std::hash::DefaultHasher::new();
    format!("{:?}{:?}", c.cards, c.revlog).hash(&mut digest);
    digest.finish()
}

/// The cards and answers of `c`.
fn counts(c: &crate::store::PackageCollection) -> (u64, u64) {
    (c.cards.len() as u64, c.revlog.len() as u64)
}

/// The server's `meta`: what it holds, and whether it lets the sync go on.
fn meta(server: &str, key: &str) -> Result<Meta, AppError> {
    let ask = serde_json::json!({"v": SYNC_VERSION, "cv": CLIENT_VERSION}).to_string();
    let meta: Meta = json(&post(server, key, "meta", ask.as_bytes())?, "meta")?;
    if meta.should_continue {
        Ok(meta)
    } else {
        Err(sync_error(format!(
            "{server} stops the sync: {}",
            meta.message
        )))
    }
}
