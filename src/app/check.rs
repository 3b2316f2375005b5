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
    /// Study days (and decks) whose row in the statistics' per-day summary differs from the
    /// review log.
    pub review_days_out_of_step: usize,
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
            && self.review_days_out_of_step == 0
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
    let ((future_cards, future_answers), text_index_out_of_step, review_days_out_of_step) =
        if integrity.is_empty() {
            (
                store.future_dated(coll.today())?,
                store.search_index_problems()?,
                store.review_days_problems()?.len(),
            )
        } else {
            ((0, 0), Vec::new(), 0)
        };
    Ok(CheckReport {
        integrity,
        future_cards,
        future_answers,
        text_index_out_of_step,
        review_days_out_of_step,
        backups: store.backups(),
        newest_good_backup: store.newest_good_backup(),
    })
}

/// What `repair` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repaired {
    /// Cards whose answers dated after today moved to today.
    pub cards: u32,
    /// Whether the search indexes were rebuilt from the cards.
    pub search_index: bool,
    /// Whether the statistics' per-day summary was rebuilt from the log.
    pub review_days: bool,
}

/// Moves answers dated after today to today (their cards keep their intervals from today),
/// and builds the search indexes and the per-day summary again when they are out of step with
/// the cards and the log. A damaged file is not touched: restore a backup instead.
pub fn repair(coll: &mut Collection) -> Result<Repaired, AppError> {
    if coll.store.damaged().is_some() {
        return Err(AppError::DamagedNoRepair);
    }
    let today = coll.today();
    let cards = coll.store.repair_future(today)?;
    let search_index = !coll.store.search_index_problems()?.is_empty();
    if search_index {
        coll.store.rebuild_search_indexes()?;
    }
    let review_days = !coll.store.review_days_problems()?.is_empty();
    if review_days {
        coll.store.rebuild_review_days()?;
    }
    Ok(Repaired {
        cards,
        search_index,
        review_days,
    })
}

/// Puts `backup` in place of the collection (the default one, or `db`); the collection it
/// replaces is kept whole in `backups/`. Returns where (None: there was no collection).
pub fn restore(db: Option<&Path>, backup: &Path) -> Result<Option<PathBuf>, AppError> {
    let path = match db {
        Some(p) => p.to_path_buf(),
        None => default_db_path().ok_or(AppError::NoDataDir)?,
    };
    let now = Clock::from_env().map_err(AppError::Clock)?.now();
    Ok(store::restore(&path, backup, now.naive_local())?)
}
