//! Card info: a card, its log and what FSRS made of each answer.

use super::collection::Collection;
use super::error::AppError;
use super::replay::{CardHistory, replan};
use crate::model::card_info::{self, CardInfo};
use crate::model::schedule::Algorithm;
use crate::store::ReplayPlan;

impl Collection {
    /// What Card info shows of card `id`. Under FSRS each answer's difficulty comes from
    /// replaying the card's log (as a change of scheduler would), so that the history shows
    /// the difficulty each answer left.
    pub fn card_info(&self, id: i64) -> Result<CardInfo, AppError> {
        let card = self.store.card(id)?;
        let log = self.store.log(Some(id))?;
        let scheduler = &self.settings.scheduler;
        let mut difficulties = vec![None; log.len()];
        if scheduler.algorithm == Algorithm::Fsrs && !log.is_empty() {
            let resets = self.store.resets(id)?;
            let mut plan = ReplayPlan::default();
            let history = CardHistory {
                card_id: id,
                key: &card.key,
                log: &log,
                resets: &resets,
            };
            replan(
                self.now(),
                self.today(),
                &mut plan,
                &history,
                &[],
                scheduler,
            )?;
            for replayed in &plan.rewritten {
                let after = replayed.record.after;
                if let Some(i) = log.iter().position(|l| l.id == replayed.log_id)
                    && after.stability > 0.0
                {
                    difficulties[i] = Some(after.difficulty);
                }
            }
        }
        Ok(card_info::card_info(
            &card,
            &log,
            &difficulties,
            self.today(),
            scheduler.fsrs_decay(),
            scheduler.grading,
        ))
    }
}
