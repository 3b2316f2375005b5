//! `awscards check`, like Anki's Check Database: the file's integrity, answers dated after
//! today (a clock that was set in the future), the backups; repairing those answers and
//! restoring a backup.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::clock::Clock;
use super::collection::Collection;
use super::error::AppError;
use super::paths::default_db_path;
use crate::model::schedule::CardState;
use crate::store::{self, Damage};

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// What SQLite's full integrity check found; empty when the file is sound.
    pub integrity: Vec<String>,
    /// Objects of the schema that are missing ("table review_days"), the ones no repair
    /// brings back among them (`irreparable`), and triggers or views that are not ours.
    pub missing: Vec<String>,
    pub irreparable: Vec<String>,
    pub foreign: Vec<String>,
    /// Cards whose stored state is of the wrong type or out of range; answers whose day or
    /// time is; rows that point at cards that are gone.
    pub bad_cards: u32,
    pub bad_answers: u32,
    pub orphans: u32,
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
            && self.missing.is_empty()
            && self.foreign.is_empty()
            && self.bad_cards == 0
            && self.bad_answers == 0
            && self.orphans == 0
            && self.future_cards == 0
            && self.future_answers == 0
            && self.text_index_out_of_step.is_empty()
            && self.review_days_out_of_step == 0
    }
}

impl Collection {
    pub fn check(&self) -> Result<CheckReport, AppError> {
        let store = &self.store;
        let mut integrity = store.integrity_problems(false);
        if integrity.is_empty()
            && let Some(report) = store.damaged()
        {
            integrity.push(report.to_string());
        }
        let damage = if integrity.is_empty() {
            store.damage()?
        } else {
            Damage::default()
        };
        let ((future_cards, future_answers), text_index_out_of_step, review_days_out_of_step) =
        // The summaries are compared once the schema is whole and the answers' days are
        // numbers.
        if integrity.is_empty() && damage.missing.is_empty() && damage.bad_answers == 0 {
            (
                store.future_dated(self.today())?,
                store.search_index_problems()?,
                store.review_days_problems()?.len(),
            )
        } else {
            ((0, 0), Vec::new(), 0)
        };
        Ok(CheckReport {
            integrity,
            irreparable: damage.irreparable().into_iter().map(String::from).collect(),
            missing: damage.missing,
            foreign: damage.foreign,
            bad_cards: damage.bad_cards.len() as u32,
            bad_answers: damage.bad_answers,
            orphans: damage.orphans,
            future_cards,
            future_answers,
            text_index_out_of_step,
            review_days_out_of_step,
            backups: store.backups(),
            newest_good_backup: store.newest_good_backup(),
        })
    }
}

/// What `repair` did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Repaired {
    /// Schema objects made again; triggers and views dropped.
    pub remade: Vec<String>,
    pub dropped: Vec<String>,
    /// Rows of cards that are gone, removed.
    pub orphans: u32,
    /// Cards whose state was replayed from their log (it was out of range, or an answer of
    /// theirs was).
    pub replayed: u32,
    /// Cards whose answers dated after today moved to today.
    pub cards: u32,
    /// Whether the search indexes were rebuilt from the cards.
    pub search_index: bool,
    /// Whether the statistics' per-day summary was rebuilt from the log.
    pub review_days: bool,
}

impl Collection {
    /// Moves answers dated after today to today (their cards keep their intervals from today),
    /// and builds the search indexes and the per-day summary again when they are out of step with
    /// the cards and the log. A damaged file is not touched: restore a backup instead.
    pub fn repair(&mut self) -> Result<Repaired, AppError> {
        if self.store.damaged().is_some() {
            return Err(AppError::DamagedNoRepair);
        }
        let damage = self.store.damage()?;
        let irreparable = damage.irreparable();
        if !irreparable.is_empty() {
            return Err(AppError::Irreparable(
                irreparable.into_iter().map(String::from).collect(),
            ));
        }
        let rollover = self.settings.scheduler.rollover_hour;
        let replay = self.store.mend(&damage, rollover)?;
        replay_cards(self, &replay)?;
        let today = self.today();
        let cards = self.store.repair_future(today)?;
        let search_index = !self.store.search_index_problems()?.is_empty();
        if search_index {
            self.store.rebuild_search_indexes()?;
        }
        let review_days = !self.store.review_days_problems()?.is_empty();
        if review_days {
            self.store.rebuild_review_days()?;
        }
        Ok(Repaired {
            remade: damage.missing,
            dropped: damage.foreign,
            orphans: damage.orphans,
            replayed: replay.len() as u32,
            cards,
            search_index,
            review_days,
        })
    }
}

/// Sets the state of each of `cards` to the replay of its log with the collection's
/// scheduler (a card with no answers is new), in one transaction.
fn replay_cards(coll: &mut Collection, cards: &[i64]) -> Result<(), AppError> {
    if cards.is_empty() {
        return Ok(());
    }
    let keys: HashMap<i64, (String, String)> = coll
        .store
        .cards_by_key()?
        .into_iter()
        .map(|(key, (id, deck))| (id, (key, deck)))
        .collect();
    let mut plan = crate::store::ReplayPlan::default();
    for id in cards {
        let Some((key, deck)) = keys.get(id) else {
            continue;
        };
        let log = coll.store.log(Some(*id))?;
        let resets = coll.store.resets(*id)?;
        let history = super::replay::CardHistory {
            card_id: *id,
            key,
            log: &log,
            resets: &resets,
        };
        super::replay::replan(
            coll.now(),
            coll.today(),
            &mut plan,
            &history,
            &[],
            &coll.settings.scheduler,
        )?;
        if log.is_empty() && resets.is_empty() {
            plan.states.push((*id, CardState::new_card()));
        }
        plan.decks.push(deck.clone());
    }
    plan.decks.sort_unstable();
    plan.decks.dedup();
    coll.store.apply_replay(&plan)?;
    Ok(())
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
