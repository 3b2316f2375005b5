//! Sync with an Anki sync server (`python -m anki.syncserver`, AnkiWeb's protocol): awscards as
//! one more client. The protocol's facts come from Anki's rslib/src/sync (version 11: a POST to
//! `sync/METHOD`, a JSON `anki-sync` header with the host key, zstd-compressed bodies).
//!
//! What is built: logging in (only the host key the server returns is kept, in a file only the
//! user may read), and full uploads of the collection while the server holds nothing but what
//! awscards itself uploaded (a new, empty server; then every later sync while no other device
//! changed it). A server that holds anything else is refused with nothing sent and nothing
//! here changed: merging with it (the normal sync) is not built yet.

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
/// after awscards' upload, and a digest of what was uploaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SyncState {
    server: String,
    user: String,
    server_modified: i64,
    content: u64,
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

    /// Syncs with the server of `login` (see the module's comment for what is built).
    pub fn sync(&mut self, login: &Login, progress: &Progress) -> Result<SyncSummary, AppError> {
        let (server, key) = (login.server.as_str(), login.key.as_str());
        let ask = serde_json::json!({"v": SYNC_VERSION, "cv": CLIENT_VERSION}).to_string();
        let meta: Meta = json(&post(server, key, "meta", ask.as_bytes())?, "meta")?;
        if !meta.should_continue {
            return Err(sync_error(format!(
                "{server} stops the sync: {}",
                meta.message
            )));
        }
        let last: Option<SyncState> = self
            .store
            .anki_sync_state()?
            .and_then(|s| serde_json::from_str(&s).ok());
        let ours_alone = last.as_ref().is_some_and(|s| {
            s.server == login.server && s.user == login.user && s.server_modified == meta.modified
        });
        if !meta.empty && !ours_alone {
            return Err(sync_error(format!(
                "{server} holds a collection that awscards did not upload, or that another \
                 device changed since: merging with it is not built yet, so nothing was sent. \
                 Meanwhile answers move by package: `awscards export` and Anki's File > Import, \
                 or Anki's File > Export and `awscards import`"
            )));
        }
        progress.check()?;
        let collection = self.package_collection(&CardScope::All, true)?;
        let mut digest = std::hash::DefaultHasher::new();
        format!("{:?}{:?}", collection.cards, collection.revlog).hash(&mut digest);
        let content = digest.finish();
        let (cards, reviews) = (
            collection.cards.len() as u64,
            collection.revlog.len() as u64,
        );
        if ours_alone && last.as_ref().is_some_and(|s| s.content == content) {
            return Ok(SyncSummary {
                kind: SyncKind::NoChanges,
                reviews_sent: 0,
                reviews_received: 0,
                cards_sent: 0,
                cards_received: 0,
            });
        }
        let now = self.now();
        let dir = self.store.scratch_dir()?;
        let file = dir.path().join("collection.anki2");
        crate::store::write_package_collection(&file, &collection, now.timestamp(), &mut || {
            !progress.is_cancelled()
        })?;
        crate::store::prepare_full_upload(&file, now.timestamp_millis())?;
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
        // The server's collection is ours now: its stamp, to know it unchanged next time.
        let meta: Meta = json(&post(server, key, "meta", ask.as_bytes())?, "meta")?;
        let state = SyncState {
            server: login.server.clone(),
            user: login.user.clone(),
            server_modified: meta.modified,
            content,
        };
        self.store
            .save_anki_sync_state(&serde_json::to_string(&state).map_err(sync_error)?)?;
        Ok(SyncSummary {
            kind: SyncKind::FullUpload,
            reviews_sent: reviews,
            reviews_received: 0,
            cards_sent: cards,
            cards_received: 0,
        })
    }
}
