//! `awscards check`, like Anki's Check Database: the file's integrity, answers dated after
//! today (a clock that was set in the future), the backups; repairing those answers and
//! restoring a backup.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::clock::Clock;
use super::collection::{AppError, Collection, default_db_path};
use crate::store;

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// What SQLite's full integrity check found; empty when the file is sound.
    pub integrity: Vec<String>,
    /// Cards last reviewed after today, and answers recorded for a day after it.
    pub future_cards: u32,
    pub future_answers: u32,
    /// Cards whose entry in the full-text index (what searches for words and tags read)
    /// differs from the card.
    pub text_index_out_of_step: Vec<i64>,
    /// Newest first.
    pub backups: Vec<PathBuf>,
    /// The newest backup that passes the quick integrity check.
    pub newest_good_backup: Option<PathBuf>,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.integrity.is_empty()
            && self.future_cards == 0
            && self.future_answers == 0
            && self.text_index_out_of_step.is_empty()
    }
}

pub fn check(coll: &Collection) -> Result<CheckReport, AppError> {
    let store = &coll.store;
    let mut integrity = store.integrity_problems(false);
    if integrity.is_empty()
        && let Some(report) = store.damaged()
    {
        integrity.push(report.to_string());
    }
    let ((future_cards, future_answers), text_index_out_of_step) = if integrity.is_empty() {
        (
            store.future_dated(coll.today())?,
            store.search_index_problems()?,
        )
    } else {
        ((0, 0), Vec::new())
    };
    Ok(CheckReport {
        integrity,
        future_cards,
        future_answers,
        text_index_out_of_step,
        backups: store.backups(),
        newest_good_backup: store.newest_good_backup(),
    })
}

/// Moves answers dated after today to today (their cards keep their intervals from today)
/// and builds the full-text index again when it is out of step with the cards. Returns the
/// cards whose answers moved, and whether the index was rebuilt. A damaged file is not
/// touched: restore a backup instead.
pub fn repair(coll: &mut Collection) -> Result<(u32, bool), AppError> {
    if coll.store.damaged().is_some() {
        return Err(AppError::DamagedNoRepair);
    }
    let today = coll.today();
    let moved = coll.store.repair_future(today)?;
    let rebuild = !coll.store.search_index_problems()?.is_empty();
    if rebuild {
        coll.store.rebuild_search_indexes()?;
    }
    Ok((moved, rebuild))
}

/// Puts `backup` in place of the collection (the default one, or `db`); the file it replaces
/// is kept in `backups/`. Returns where.
pub fn restore(db: Option<&Path>, backup: &Path) -> Result<PathBuf, AppError> {
    let path = match db {
        Some(p) => p.to_path_buf(),
        None => default_db_path().ok_or(AppError::NoDataDir)?,
    };
    let now = Clock::from_env().map_err(AppError::Clock)?.now();
    Ok(store::restore(&path, backup, now.naive_local())?)
}
