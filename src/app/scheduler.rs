//! Changing the scheduler (every card replayed with the new one, worked out before it is
//! written), and scoring and fitting it on the learner's own reviews.

use std::collections::HashMap;

use super::collection::Collection;
use super::error::AppError;
use super::progress::Progress;
use crate::model::card::{LogEntry, ReviewKind};
use crate::model::evaluate::{self, Evaluation, Review};
use crate::model::schedule::fsrs::Optimised;
use crate::model::schedule::preview::{ScheduleFigures, SchedulePreview};
use crate::model::settings::Settings;

/// Settings to save, and what saving them will do: for a change of scheduler, every card's
/// new schedule and what it does to today's numbers.
#[derive(Debug, Clone)]
pub struct SettingsChange {
    pub settings: Settings,
    plan: Option<crate::store::ReplayPlan>,
    pub preview: Option<SchedulePreview>,
}

impl Collection {
    /// Saves the settings. A change of scheduler (or of FSRS's retention or maximum interval)
    /// replays every card's log with the new one, in the same transaction: each card's state
    /// is a function of its answers, so switching back restores it exactly.
    pub fn save_settings(&mut self, settings: Settings) -> Result<(), AppError> {
        let change = self.plan_settings(settings, &Progress::default())?;
        self.apply_settings(change)
    }

    /// What saving `settings` would do, worked out and not written: for a change of
    /// scheduler, every card replayed (a step of `progress` each; Cancel stops it) and what
    /// the change does to today's numbers.
    pub fn plan_settings(
        &self,
        settings: Settings,
        progress: &Progress,
    ) -> Result<SettingsChange, AppError> {
        if !self
            .settings
            .scheduler
            .schedules_differently(&settings.scheduler)
        {
            return Ok(SettingsChange {
                settings,
                plan: None,
                preview: None,
            });
        }
        let mut plan = crate::store::ReplayPlan {
            settings: Some(settings),
            ..Default::default()
        };
        let cards = self.store.cards_by_key()?;
        progress.start(cards.len() as u64, "cards");
        // The whole log and every reset in one read each, grouped by card.
        let mut logs: HashMap<i64, Vec<LogEntry>> = HashMap::new();
        for entry in self.store.log(None)? {
            logs.entry(entry.card_id).or_default().push(entry);
        }
        let mut resets: HashMap<i64, Vec<String>> = HashMap::new();
        for (card_id, at) in self.store.all_resets()? {
            resets.entry(card_id).or_default().push(at);
        }
        for (key, (card_id, _)) in &cards {
            let history = super::replay::CardHistory {
                card_id: *card_id,
                key,
                log: logs.get(card_id).map_or(&[], Vec::as_slice),
                resets: resets.get(card_id).map_or(&[], Vec::as_slice),
            };
            super::replay::replan(
                self.now(),
                self.today(),
                &mut plan,
                &history,
                &[],
                &settings.scheduler,
            )?;
            progress.step()?;
        }
        // Every deck's daily summary is recounted (young and mature follow the intervals):
        // deck by deck, which is faster than one pass that groups the whole log.
        let mut decks: Vec<String> = cards.into_values().map(|(_, deck)| deck).collect();
        decks.sort_unstable();
        decks.dedup();
        plan.decks = decks;
        let before = self.store.all_cards()?;
        let today = self.today();
        let after: HashMap<i64, &crate::model::schedule::CardState> =
            plan.states.iter().map(|(id, s)| (*id, s)).collect();
        let states_after = before
            .iter()
            .filter(|c| !c.retired && !c.suspended)
            .map(|c| *after.get(&c.id).copied().unwrap_or(&c.state));
        let states_before = before
            .iter()
            .filter(|c| !c.retired && !c.suspended)
            .map(|c| c.state);
        let preview = SchedulePreview {
            before: ScheduleFigures::of(states_before, today),
            after: ScheduleFigures::of(states_after, today),
        };
        Ok(SettingsChange {
            settings,
            plan: Some(plan),
            preview: Some(preview),
        })
    }

    /// Writes what [`Collection::plan_settings`] worked out, in one transaction.
    pub fn apply_settings(&mut self, change: SettingsChange) -> Result<(), AppError> {
        match &change.plan {
            Some(plan) => self.store.apply_replay(plan)?,
            None => self.store.save_settings(&change.settings)?,
        }
        self.settings = change.settings;
        Ok(())
    }

    /// SM-2 and FSRS scored on the learner's own history (each card's reviews on different
    /// days, each predicted from those before it); None before any card has two. A step of
    /// `progress` per card; Cancel stops it.
    pub fn evaluate(&self, progress: &Progress) -> Result<Option<Evaluation>, AppError> {
        let histories = self.review_histories()?;
        progress.check()?;
        progress.start(histories.len() as u64, "cards scored");
        let optimised = self.settings.scheduler.fsrs_parameters;
        evaluate::evaluate(&histories, optimised.as_ref(), &mut || {
            progress.step().is_ok()
        })
        .map_err(|_| AppError::Cancelled)
    }

    /// Each card's reviews that FSRS learns from and is scored on: its first answer of each
    /// study day (new or review; same-day repeats and cram answers left out), oldest first.
    pub fn review_histories(&self) -> Result<Vec<Vec<Review>>, AppError> {
        let mut histories: std::collections::BTreeMap<i64, Vec<Review>> =
            std::collections::BTreeMap::new();
        for entry in self.store.log(None)? {
            if matches!(entry.kind, ReviewKind::New | ReviewKind::Review) {
                histories.entry(entry.card_id).or_default().push(Review {
                    day: entry.study_day,
                    quality: entry.quality,
                    interval_after: entry.interval_after,
                });
            }
        }
        Ok(histories.into_values().collect())
    }

    /// FSRS's parameters fitted to the learner's log (not kept: save them in the settings).
    /// Returns the reviews learned from, and the parameters (None while the log holds too
    /// few reviews for them: the defaults stay). `progress` follows the fit's training steps;
    /// Cancel stops it.
    pub fn fit_fsrs(&self, progress: &Progress) -> Result<(u32, Option<Optimised>), AppError> {
        let histories = self.review_histories()?;
        progress.check()?;
        let today = self.today();
        let shared = crate::model::schedule::fsrs::FitProgress::new_shared();
        let fitting = std::sync::atomic::AtomicBool::new(true);
        // The crate counts its steps in a state of its own: copied into `progress` (and
        // Cancel into it) until the fit returns.
        let copy = || {
            if let Ok(mut state) = shared.lock() {
                progress.set_done(state.current() as u64, state.total() as u64);
                state.want_abort = progress.is_cancelled();
            }
        };
        let fitted = std::thread::scope(|scope| {
            scope.spawn(|| {
                while fitting.load(std::sync::atomic::Ordering::Relaxed) {
                    copy();
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
            });
            let fitted = evaluate::optimise(&histories, today, Some(shared.clone()));
            fitting.store(false, std::sync::atomic::Ordering::Relaxed);
            fitted
        });
        copy();
        progress.check()?;
        let fitted = fitted.map_err(AppError::Optimise)?;
        Ok((evaluate::predictable_reviews(&histories), fitted))
    }
}
