//! What a deck's session holds back today, unburying it, and custom study's raised limits.

use chrono::NaiveDate;

use super::collection::Collection;
use super::error::AppError;
use crate::model::held::HeldBack;
use crate::model::settings::ExtraToday;

impl Collection {
    /// What the session of `deck` ("" for every deck) holds back on `today`: its buried
    /// cards, and the new and due cards a reached limit keeps waiting.
    pub fn held_back(&self, deck: &str, today: NaiveDate) -> Result<HeldBack, AppError> {
        let backlog = self.store.backlog(deck, today)?;
        let left = self.left_for(deck, today)?;
        // Every deck: the Default preset's limits (each top-level deck has its own).
        let limits = self.deck_limits(deck, today)?;
        let new_reached = left.new == 0;
        let reviews_reached = left.reviews == 0;
        Ok(HeldBack {
            buried: backlog.buried,
            new_waiting: if new_reached { backlog.new } else { 0 },
            new_limit: new_reached.then_some(limits.new),
            due_waiting: if reviews_reached { backlog.due } else { 0 },
            review_limit: reviews_reached.then_some(limits.reviews),
        })
    }

    /// Unburies today's buried cards of `deck`; how many.
    pub fn unbury_deck(&mut self, deck: &str, today: NaiveDate) -> Result<usize, AppError> {
        Ok(self.store.unbury_deck(deck, today)?)
    }

    /// Custom study: `new` more new cards and `reviews` more reviews than the limits allow,
    /// on `today` only (on top of any raise made earlier that day). Saved with the settings.
    pub fn study_more_today(
        &mut self,
        new: u32,
        reviews: u32,
        today: NaiveDate,
    ) -> Result<(), AppError> {
        let (more_new, more_reviews) = self.settings.extra_today.on(today);
        let mut settings = self.settings;
        settings.extra_today = ExtraToday {
            day: Some(today),
            new: more_new.saturating_add(new),
            reviews: more_reviews.saturating_add(reviews),
        };
        self.save_settings(settings)
    }
}
