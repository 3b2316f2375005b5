//! Writing a replay: the answers an import adds, the logged answers a replay rewrites and the
//! cards' new states, in one transaction.

use rusqlite::Connection;

use super::answers::log_values;
use super::{Result, Store};

/// What a replay writes (an import from Anki, a change of scheduler, a repair), computed from
/// the collection and any package: answers to add (with their Anki ids), answers whose day,
/// kind and states the replay changed, the cards' new states and the decks whose daily summary
/// to recount.
#[derive(Debug, Clone, Default)]
pub struct ReplayPlan {
    pub added: Vec<(crate::store::AnswerRecord, i64)>,
    pub rewritten: Vec<ReplayedAnswer>,
    pub states: Vec<(i64, crate::model::schedule::CardState)>,
    pub decks: Vec<String>,
    /// Cards suspended (or not) and flagged on another device: (id, suspended, flag).
    pub marks: Vec<(i64, bool, u8)>,
    /// Settings to save with it (a change of scheduler replays every card).
    pub settings: Option<crate::model::settings::Settings>,
}

/// A logged answer replayed: its row, what it now records, and whether its study day, kind or
/// interval before changed (what the daily summary counts it by; the day and kind are in the
/// log's day index, which is then rewritten too: a change of scheduler changes neither, for a
/// million rows).
#[derive(Debug, Clone)]
pub struct ReplayedAnswer {
    pub log_id: i64,
    pub record: crate::store::AnswerRecord,
    pub moved: bool,
}

/// Rewrites log row `log_id` as `record` says (its day, kind and states), keeping its time,
/// quality and ids: what replaying a card's history changes. (The values it does not set are
/// bound to numbers the statement leaves unused, which SQLite allows.)
pub(super) fn rewrite_log(conn: &Connection, r: &ReplayedAnswer) -> rusqlite::Result<usize> {
    let values = log_values(&r.record, Some(r.log_id));
    if r.moved {
        conn.prepare_cached("UPDATE review_log SET study_day = ?3, kind = ?5 WHERE id = ?19")?
            .execute(rusqlite::params_from_iter(&values))?;
    }
    conn.prepare_cached(
        "UPDATE review_log SET ease_before = ?7, ease_after = ?8,
             interval_before = ?9, interval_after = ?10, repetitions_before = ?11,
             due_day_before = ?12, lapses_before = ?13, is_new_before = ?14,
             last_review_day_before = ?15, repeat_pending_before = ?16,
             stability_before = ?17, difficulty_before = ?18
         WHERE id = ?19",
    )?
    .execute(rusqlite::params_from_iter(&values))
}

impl Store {
    /// Writes a replay (an import, a change of scheduler, a repair) in one transaction.
    pub fn apply_replay(&mut self, plan: &ReplayPlan) -> Result<()> {
        // A replay can rewrite the whole log.
        if plan.rewritten.len() > 10_000 {
            self.with_large_cache(|store| store.write_plan(plan))
        } else {
            self.write_plan(plan)
        }
    }

    fn write_plan(&mut self, plan: &ReplayPlan) -> Result<()> {
        self.write(|tx| {
            for (record, anki_id) in &plan.added {
                super::answers::insert_log(tx, record, Some(*anki_id))?;
            }
            // In row order: a page is then read once, not once per card that has rows in it.
            let mut rewritten: Vec<&ReplayedAnswer> = plan.rewritten.iter().collect();
            rewritten.sort_unstable_by_key(|r| r.log_id);
            for r in rewritten {
                rewrite_log(tx, r)?;
            }
            let mut states: Vec<_> = plan.states.iter().collect();
            states.sort_unstable_by_key(|(card_id, _)| *card_id);
            for (card_id, state) in states {
                super::answers::write_state(tx, *card_id, state)?;
            }
            let mut mark = tx.prepare(
                "UPDATE cards SET suspended = ?2, flag = ?3
                 WHERE id = ?1 AND (suspended, flag) IS NOT (?2, ?3)",
            )?;
            for (card_id, suspended, flag) in &plan.marks {
                mark.execute(rusqlite::params![card_id, suspended, flag])?;
            }
            // The daily summary: whole decks when a replayed answer counts otherwise now;
            // else only the days answers were added on (a sync's: today).
            if plan.rewritten.iter().any(|r| r.moved) {
                super::summary::recount_days(tx, Some(&plan.decks))?;
            } else {
                let mut days: Vec<i64> = plan
                    .added
                    .iter()
                    .map(|(r, _)| crate::model::card::day_number(r.study_day))
                    .collect();
                days.sort_unstable();
                days.dedup();
                super::summary::recount_deck_days(tx, &plan.decks, &days)?;
            }
            if let Some(settings) = &plan.settings {
                super::write_settings(tx, settings)?;
            }
            Ok(())
        })
    }
}
