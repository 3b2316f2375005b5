//! Answers from Anki (a package's, or those a sync receives) added to our cards, each card
//! they touch rescheduled from its whole log with the scheduler in use.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::collection::Collection;
use super::error::AppError;
use super::progress::Progress;
use super::replay::{CardHistory, replan};
use crate::model::anki;
use crate::model::card::LogEntry;
use crate::model::stats::thousands;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    /// Cards of the package that are cards of the collection (by guid = card key).
    pub matched: u32,
    pub reviews_added: u32,
    /// Cards that got answers, each rescheduled from its whole log.
    pub cards_rescheduled: u32,
    /// Answers the collection already held (exported from it, or imported before; by their
    /// Anki id, or by card, time and button).
    pub reviews_present: u32,
    /// Notes whose guid is no card key: not imported.
    pub skipped: u32,
    /// Notes left out because another note of the package has their guid, or because their
    /// note type is not in the package.
    pub conflicting: u32,
    /// Answers dated after today (by the clock of the device that made them), or at no
    /// valid time: left out, as they would stop every review here.
    pub misdated: u32,
    /// Answers whose id an earlier answer of the package has: left out.
    pub duplicates: u32,
}

impl ImportSummary {
    /// What the import did, in a sentence.
    pub fn describe(&self, package: &Path) -> String {
        let mut text = format!(
            "Imported {}: {} cards matched, {} answers added, {} already here, {} notes skipped \
             (not cards of this collection)",
            package.display(),
            thousands(self.matched),
            thousands(self.reviews_added),
            thousands(self.reviews_present),
            thousands(self.skipped)
        );
        if self.conflicting > 0 {
            text.push_str(&format!(
                "; {} notes left out (their guid is shared with another note, or their note \
                 type is missing)",
                thousands(self.conflicting)
            ));
        }
        if self.misdated > 0 {
            text.push_str(&format!(
                "; {} answers dated after today left out (check the clock of the device that \
                 made them)",
                thousands(self.misdated)
            ));
        }
        if self.duplicates > 0 {
            text.push_str(&format!(
                "; {} answers with the id of another left out",
                thousands(self.duplicates)
            ));
        }
        text.push('.');
        text
    }
}

impl Collection {
    /// Adds the answers of `revlog` to our `cards` (by Anki card id) that the collection does
    /// not hold, and reschedules each card they touch from its whole log; `marks` suspends or
    /// unsuspends and flags cards (id, suspended, flag): one transaction.
    pub(in crate::app) fn reschedule_with_answers(
        &mut self,
        revlog: &[crate::store::AnkiAnswer],
        cards: &HashMap<i64, CardRef<'_>>,
        marks: &[(i64, bool, u8)],
        summary: &mut ImportSummary,
        progress: &Progress,
    ) -> Result<(), AppError> {
        let new_answers = unseen_answers(self, revlog, cards, summary)?;
        let mut plan = crate::store::ReplayPlan::default();
        let mut decks = Vec::new();
        progress.start(new_answers.len() as u64, "cards rescheduled");
        for ((card_id, key, deck), (log, answers)) in &new_answers {
            progress.step()?;
            let history = CardHistory {
                card_id: *card_id,
                key,
                log,
                resets: &self.store.resets(*card_id)?,
            };
            replan(
                self.now(),
                self.today(),
                &mut plan,
                &history,
                answers,
                &self.settings.scheduler,
            )?;
            decks.push((*deck).to_string());
        }
        decks.sort_unstable();
        decks.dedup();
        plan.decks = decks;
        plan.marks = marks.to_vec();
        progress.check()?;
        self.store.apply_replay(&plan)?;
        Ok(())
    }
}

/// A card of the collection: (id, key, deck).
pub(in crate::app) type CardRef<'a> = (i64, &'a str, &'a str);

/// Answers from a package that a card does not hold yet, with the card's log.
type Unseen<'a> = HashMap<CardRef<'a>, (Vec<LogEntry>, Vec<&'a crate::store::AnkiAnswer>)>;

/// The package's answers to our `cards` that the collection does not hold, by card, with the
/// card's log: neither by Anki id nor by card, time and button (a copy of the collection from
/// before an export holds them without the ids). Answers dated after today, or at no valid
/// time, are left out; the summary counts each kind.
fn unseen_answers<'a>(
    coll: &Collection,
    revlog: &'a [crate::store::AnkiAnswer],
    cards: &HashMap<i64, CardRef<'a>>,
    summary: &mut ImportSummary,
) -> Result<Unseen<'a>, AppError> {
    // A few answers (a sync's) are looked up; many (a package's) read with every id here.
    let present = if revlog.len() < 10_000 {
        let ids: Vec<i64> = revlog.iter().map(|a| a.id).collect();
        coll.store.anki_ids_among(&ids)?
    } else {
        coll.store.anki_ids()?
    };
    // Logged answers a package answer is by its Anki id: they stand for no other answer.
    let mut taken = HashSet::new();
    let today = coll.today();
    let rollover = coll.settings.scheduler.rollover_hour;
    let offset = *coll.now().offset();
    let mut candidates: HashMap<CardRef, Vec<&crate::store::AnkiAnswer>> = HashMap::new();
    for answer in revlog {
        let Some(card) = cards.get(&answer.card_id) else {
            continue;
        };
        // Button 0: a manual reschedule or reset in Anki, not an answer.
        if anki::quality_of_button(answer.button).is_none() {
            continue;
        }
        if let Some(&here) = present.get(&answer.id) {
            taken.insert(here);
            summary.reviews_present += 1;
            continue;
        }
        let day = chrono::TimeZone::timestamp_millis_opt(&offset, answer.id)
            .single()
            .map(|at| crate::model::schedule::study_day(at.naive_local(), rollover));
        if day.is_none_or(|d| d > today) {
            summary.misdated += 1;
            continue;
        }
        candidates.entry(*card).or_default().push(answer);
    }
    let mut unseen = HashMap::new();
    for (card, answers) in candidates {
        let log = coll.store.log(Some(card.0))?;
        let logged: Vec<(i64, i64)> = log
            .iter()
            .filter(|e| !taken.contains(&e.id))
            .filter_map(|e| {
                let at = chrono::DateTime::parse_from_rfc3339(&e.reviewed_at).ok()?;
                Some((at.timestamp_millis(), anki::button(e.quality)))
            })
            .collect();
        let keys: Vec<(i64, i64)> = answers.iter().map(|a| (a.id, a.button)).collect();
        let here = anki::logged_already(&logged, &keys);
        let new: Vec<&crate::store::AnkiAnswer> = answers
            .into_iter()
            .zip(here)
            .filter_map(|(a, here)| (!here).then_some(a))
            .collect();
        summary.reviews_present += (keys.len() - new.len()) as u32;
        summary.reviews_added += new.len() as u32;
        if !new.is_empty() {
            summary.cards_rescheduled += 1;
            unseen.insert(card, (log, new));
        }
    }
    Ok(unseen)
}
