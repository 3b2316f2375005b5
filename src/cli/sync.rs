//! `awscards sync`: the collection with an Anki sync server (see `app::sync`).

use std::io::{IsTerminal, Write};

use super::args::SyncArgs;
use super::{Cli, CliError, open, user};
use crate::app::sync;

/// The environment variable a password may come from (scripts, tests).
pub const PASSWORD_VAR: &str = "AWSCARDS_SYNC_PASSWORD";

pub(super) fn run(out: &mut impl Write, cli: &Cli, args: &SyncArgs) -> Result<(), CliError> {
    let (server, name) = (args.server.as_deref(), args.user.as_deref());
    let full = match (args.full_upload, args.full_download) {
        (true, _) => Some(sync::FullSync::Upload),
        (_, true) => Some(sync::FullSync::Download),
        _ => None,
    };
    let db = match &cli.db {
        Some(db) => db.clone(),
        None => crate::app::paths::default_db_path()
            .ok_or_else(|| user(crate::app::error::AppError::NoDataDir))?,
    };
    let path = sync::login_path(&db);
    let saved = sync::saved_login(&path).map_err(user)?;
    if args.logout {
        match saved {
            Some(login) => {
                std::fs::remove_file(&path)
                    .map_err(|e| user(format!("cannot remove {}: {e}", path.display())))?;
                writeln!(
                    out,
                    "Logged out of {} ({}): its host key is forgotten.",
                    login.server, login.user
                )?;
            }
            None => writeln!(out, "Not logged in to any sync server.")?,
        }
        return Ok(());
    }
    let login = match saved {
        Some(l)
            if server.is_none_or(|s| s.trim_end_matches('/') == l.server)
                && name.is_none_or(|n| n == l.user) =>
        {
            l
        }
        _ => {
            let (Some(server), Some(name)) = (server, name) else {
                return Err(CliError::User(
                    "not logged in: give the server and the user the first time, e.g. \
                     `awscards sync --server http://192.168.1.10:8080 --user me`"
                        .into(),
                ));
            };
            let login = sync::log_in(server, name, &password(name, server)?).map_err(user)?;
            sync::save_login(&path, &login).map_err(user)?;
            login
        }
    };
    let mut coll = open(cli)?;
    let summary = coll.sync(&login, full, &Default::default()).map_err(user)?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &summary)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", summary.describe(&login.server))?;
    }
    Ok(())
}

/// The password: from the environment, or asked for on the terminal without echo.
fn password(name: &str, server: &str) -> Result<String, CliError> {
    if let Ok(p) = std::env::var(PASSWORD_VAR) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::User(format!(
            "a password is needed to log in to {server}: run `awscards sync` in a terminal, or \
             set {PASSWORD_VAR}"
        )));
    }
    rpassword::prompt_password(format!("Password of {name} at {server}: "))
        .map_err(|e| user(format!("cannot read the password: {e}")))
}
