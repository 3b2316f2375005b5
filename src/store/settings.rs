//! The learner's settings, kept as JSON in the collection.

use rusqlite::{Connection, OptionalExtension};

use super::error::TxError;
use super::{Result, Store, StoreError};

use crate::model::settings::Settings;

pub(super) fn write_settings(
    conn: &Connection,
    settings: &Settings,
) -> std::result::Result<(), TxError> {
    let json = serde_json::to_string(settings)
        .map_err(|e| StoreError::UnsavableSettings(e.to_string()))?;
    Ok(put_setting(conn, "settings", &json)?)
}

/// Keeps `value` under `key` in the settings table (replacing what was there).
pub(super) fn put_setting(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
    .map(drop)
}

impl Store {
    /// The stored settings; defaults, with a warning, when they no longer parse or hold a
    /// value out of range (the next save replaces them).
    pub fn load_settings(&self) -> Result<(Settings, Option<String>)> {
        let unreadable = |why: String| {
            format!(
                "the stored settings are unreadable ({why}); using the defaults until they are saved again"
            )
        };
        match self.settings() {
            Ok(s) => match s.check() {
                Ok(()) => Ok((s, None)),
                Err(why) => Ok((Settings::default(), Some(unreadable(why)))),
            },
            Err(StoreError::UnreadableSettings(why)) => {
                Ok((Settings::default(), Some(unreadable(why))))
            }
            Err(e) => Err(e),
        }
    }

    pub fn settings(&self) -> Result<Settings> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'settings'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        match json {
            None => Ok(Settings::default()),
            Some(j) => {
                serde_json::from_str(&j).map_err(|e| StoreError::UnreadableSettings(e.to_string()))
            }
        }
    }

    pub fn save_settings(&mut self, settings: &Settings) -> Result<()> {
        self.write(|tx| write_settings(tx, settings))
    }

    /// What the last sync with an Anki sync server left (JSON, see `app::sync`).
    pub fn anki_sync_state(&self) -> Result<Option<String>> {
        self.setting("anki_sync")
    }

    pub fn save_anki_sync_state(&mut self, state: &str) -> Result<()> {
        self.write(|tx| Ok(put_setting(tx, "anki_sync", state)?))
    }
}
