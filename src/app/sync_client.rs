//! Speaking to an Anki sync server (`python -m anki.syncserver`, AnkiWeb's protocol): the
//! protocol's facts come from Anki's rslib/src/sync (version 11: a POST to `sync/METHOD`, a
//! JSON `anki-sync` header with the host key, zstd-compressed bodies), and logging in (only the
//! host key the server returns is kept, in a file only the user may read).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::error::AppError;

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

/// The server's answer to `meta`.
#[derive(Debug, Deserialize)]
pub(super) struct Meta {
    /// When its collection last changed (ms).
    #[serde(rename = "mod")]
    pub modified: i64,
    /// When its collection's schema last changed (ms): a change forces a full sync.
    #[serde(rename = "scm", default)]
    pub schema: i64,
    /// Its update sequence number: what it will stamp the next changes with.
    #[serde(default)]
    pub usn: i64,
    #[serde(rename = "cont")]
    should_continue: bool,
    #[serde(rename = "msg", default)]
    message: String,
    /// It holds no collection yet.
    #[serde(default)]
    pub empty: bool,
}

pub(super) fn sync_error(why: impl std::fmt::Display) -> AppError {
    AppError::Sync(why.to_string())
}

/// One request to the server: `body` compressed, the answer's body decompressed.
pub(super) fn post(
    server: &str,
    key: &str,
    method: &str,
    body: &[u8],
) -> Result<Vec<u8>, AppError> {
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

/// The session key: the server ties the requests of a normal sync together by it (a request
/// with another key gets 409). Anki's client makes one per sync; one per process does the same,
/// as a process runs one sync at a time.
fn session_key() -> &'static str {
    static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    KEY.get_or_init(|| format!("{:x}", rand::random::<u32>()))
}

pub(super) fn json<T: serde::de::DeserializeOwned>(data: &[u8], what: &str) -> Result<T, AppError> {
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

/// The server's `meta`: what it holds, and whether it lets the sync go on.
pub(super) fn meta(server: &str, key: &str) -> Result<Meta, AppError> {
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
