//! A study session: the queue of today's cards for a deck, answering and undoing.

use std::collections::VecDeque;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::clock;
use super::collection::Collection;
use super::error::AppError;
use crate::model::filtered::{FilteredDeck, Mode};
use crate::model::limits::Allowance;
use crate::model::schedule;
use crate::model::schedule::CardState;
use crate::model::search::{Cmp, Prop, Query};
use crate::model::settings::{LeechAction, leech_at};
use crate::store::{AnswerEffects, AnswerRecord, ReviewKind};

/// A card answered below 4 comes back after this many other cards (or sooner, when fewer are
/// left): "later in the session", as SM-2 step 7 asks.
pub const REPEAT_GAP: usize = 3;

/// Why a card is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    New,
    Repeat,
    Due,
}

impl Slot {
    fn of(state: &CardState, today: NaiveDate) -> Slot {
        if state.is_new {
            Slot::New
        } else if state.repeat_pending && state.is_repeat_on(today) {
            Slot::Repeat
        } else {
            Slot::Due
        }
    }
}

/// Cards left in the session, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Remaining {
    pub new: usize,
    pub repeat: usize,
    pub due: usize,
}

impl Remaining {
    pub fn total(&self) -> usize {
        self.new + self.repeat + self.due
    }
}

/// One answer the session recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub log_id: i64,
    pub card_id: i64,
    pub key: String,
    pub after: CardState,
    /// Days until the card is shown again; 0 when it comes back today.
    pub days_until_next: i64,
    pub time_taken: Duration,
    /// The answer made the card a leech: its learned lapses, and whether it was suspended.
    pub leech: Option<(u32, bool)>,
    /// The card's siblings the answer buried until tomorrow.
    pub buried: Vec<i64>,
}

/// What to tell the learner when an answer made a card a leech.
pub fn leech_notice(lapses: u32, suspended: bool) -> String {
    let what = if suspended {
        "suspended it and tagged it leech"
    } else {
        "tagged it leech"
    };
    let times = if lapses == 1 { "once" } else { "times" };
    let lapses = if lapses == 1 {
        String::new()
    } else {
        format!("{lapses} ")
    };
    format!(
        "leech: this card has lapsed {lapses}{times}, so awscards {what}. Rewrite it or look \
         it up (is:leech in Browse finds it)"
    )
}

/// What a session studies.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// A deck and its `::` children ("" for every deck), within the daily limits.
    Deck(String),
    /// A filtered deck: its search, order and limit; in cram mode answers change nothing.
    Filtered(FilteredDeck),
}

#[derive(Debug, Clone)]
pub struct Session {
    scope: Scope,
    queue: VecDeque<(i64, Slot)>,
    answered: Vec<Answered>,
    /// What undo takes back, newest last.
    done: Vec<Done>,
}

/// One thing the session did, for undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    /// An answer (the last of `answered`).
    Answer,
    Suspended(i64),
    Buried(i64),
    Flagged {
        card: i64,
        before: u8,
    },
}

/// Orders due cards with equal due days in a random order that stays the same for the day.
fn tie_break(card_id: i64, today: NaiveDate) -> u64 {
    let mut h = (card_id as u64) ^ (crate::store::day_number(today) as u64).rotate_left(32);
    // splitmix64 finaliser
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

impl Session {
    /// Today's queue for `deck` (and its children; "" for everything): pending same-day
    /// repeats, then due reviews (oldest due first, ties shuffled), then new cards, within the
    /// daily limits left.
    pub fn start(coll: &Collection, deck: &str, today: NaiveDate) -> Result<Session, AppError> {
        let queue = Self::queue(coll, deck, today)?;
        Ok(Session {
            scope: Scope::Deck(deck.to_string()),
            queue,
            answered: Vec::new(),
            done: Vec::new(),
        })
    }

    /// Today's queue for `deck`: repeats, due reviews, new cards (see [`Session::start`]).
    fn queue(
        coll: &Collection,
        deck: &str,
        today: NaiveDate,
    ) -> Result<VecDeque<(i64, Slot)>, AppError> {
        let left = coll.limits_left(today)?;
        let store = &coll.store;
        let mut queue = VecDeque::new();
        for c in store.repeat_cards(deck, today)? {
            queue.push_back((c.id, Slot::Repeat));
        }
        // Due cards oldest first, a day's ties shuffled, each deck's review limit kept: read
        // a day at a time, until the session's deck has no room left.
        let mut reviews = Allowance::new(&left, deck, |l| l.reviews);
        let mut day_rows: Vec<(i64, String)> = Vec::new();
        let mut day_of_rows = None;
        let mut take_day = |rows: &mut Vec<(i64, String)>, queue: &mut VecDeque<_>| {
            rows.sort_by_key(|(id, _)| tie_break(*id, today));
            for (id, d) in rows.drain(..) {
                if reviews.take(&d) {
                    queue.push_back((id, Slot::Due));
                }
            }
            !reviews.full()
        };
        let mut go_on = true;
        store.due_rows(deck, today, |id, day, d| {
            if day_of_rows != Some(day) {
                go_on = take_day(&mut day_rows, &mut queue);
                day_of_rows = Some(day);
            }
            day_rows.push((id, d.to_string()));
            go_on
        })?;
        if go_on {
            take_day(&mut day_rows, &mut queue);
        }
        let mut new = Allowance::new(&left, deck, |l| l.new);
        store.new_rows(deck, today, |id, d| {
            if new.take(d) {
                queue.push_back((id, Slot::New));
            }
            !new.full()
        })?;
        Ok(queue)
    }

    /// After an answer buried cards: they leave the queue, and the cards that take their
    /// places within the limits left (as the deck counts say) join its end.
    fn refill(
        &mut self,
        coll: &Collection,
        buried: &[i64],
        today: NaiveDate,
    ) -> Result<(), AppError> {
        self.queue.retain(|(id, _)| !buried.contains(id));
        let Scope::Deck(deck) = &self.scope else {
            return Ok(());
        };
        let queued: std::collections::HashSet<i64> = self.queue.iter().map(|(id, _)| *id).collect();
        let fresh = Self::queue(coll, deck, today)?;
        self.queue.extend(
            fresh
                .into_iter()
                .filter(|(id, slot)| *slot != Slot::Repeat && !queued.contains(id)),
        );
        Ok(())
    }

    /// A filtered deck's cards for today, in its order and within its limit.
    pub fn start_filtered(
        coll: &Collection,
        deck: &FilteredDeck,
        today: NaiveDate,
    ) -> Result<Session, AppError> {
        let query = deck.validate().map_err(|e| AppError::BadSearch {
            context: format!("filtered deck \"{}\"", deck.name),
            error: e.to_string(),
        })?;
        let queue = coll
            .store
            .filtered_cards(deck, &query, today)?
            .iter()
            .map(|c| (c.id, Slot::of(&c.state, today)))
            .collect();
        Ok(Session {
            scope: Scope::Filtered(deck.clone()),
            queue,
            answered: Vec::new(),
            done: Vec::new(),
        })
    }

    /// Today's queue again, from the collection as it is now (after an unburial, a raised
    /// limit, an undone burial): what this session answered stays answered.
    pub fn reload(&mut self, coll: &Collection, today: NaiveDate) -> Result<(), AppError> {
        self.queue = match &self.scope {
            Scope::Deck(deck) => Self::queue(coll, deck, today)?,
            Scope::Filtered(f) => Self::start_filtered(coll, f, today)?.queue,
        };
        Ok(())
    }

    /// The deck this session studies (with its children), unless it is a filtered deck's.
    pub fn deck(&self) -> Option<&str> {
        match &self.scope {
            Scope::Deck(d) => Some(d),
            Scope::Filtered(_) => None,
        }
    }

    /// The deck's name, or the filtered deck's.
    pub fn title(&self) -> &str {
        match &self.scope {
            Scope::Deck(d) if d.is_empty() => "All decks",
            Scope::Deck(d) => d,
            Scope::Filtered(f) => &f.name,
        }
    }

    pub fn cram(&self) -> bool {
        matches!(&self.scope, Scope::Filtered(f) if f.mode == Mode::Cram)
    }

    /// Cards of this session's deck or search that are due on or before `day`.
    pub fn due_by(
        &self,
        coll: &Collection,
        today: NaiveDate,
        day: NaiveDate,
    ) -> Result<u32, AppError> {
        Ok(match &self.scope {
            Scope::Deck(d) => coll.store.count_due_by(d, day)?,
            Scope::Filtered(f) => {
                let query = f.validate().map_err(|e| AppError::BadSearch {
                    context: format!("filtered deck \"{}\"", f.name),
                    error: e.to_string(),
                })?;
                let days = (day - today).num_days() as f64;
                let due = Query::And(vec![query, Query::Prop(Prop::Due, Cmp::Le, days)]);
                coll.store.count_matching(&due, today)?
            }
        })
    }

    /// The card to show now.
    pub fn current(&self) -> Option<i64> {
        self.queue.front().map(|(id, _)| *id)
    }

    /// The ids of the cards left, in the order they will be shown.
    pub fn queued(&self) -> Vec<i64> {
        self.queue.iter().map(|(id, _)| *id).collect()
    }

    pub fn remaining(&self) -> Remaining {
        let mut r = Remaining::default();
        for (_, slot) in &self.queue {
            match slot {
                Slot::New => r.new += 1,
                Slot::Repeat => r.repeat += 1,
                Slot::Due => r.due += 1,
            }
        }
        r
    }

    /// Answers recorded in this session, oldest first.
    pub fn answered(&self) -> &[Answered] {
        &self.answered
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    /// Answers the current card with `quality`. When this returns, the answer is on disk.
    pub fn answer(
        &mut self,
        coll: &mut Collection,
        quality: u8,
        now: DateTime<FixedOffset>,
        time_taken: Duration,
    ) -> Result<Answered, AppError> {
        let Some(card_id) = self.current() else {
            return Err(AppError::SessionFinished);
        };
        let config = coll.settings.scheduler;
        let allowed = config.grading.qualities();
        if !allowed.contains(&quality) {
            return Err(AppError::BadGrade { quality, allowed });
        }
        let card = coll.store.card(card_id)?;
        let today = clock::study_day(now, config.rollover_hour);
        // A day of tolerance (travel west across time zones); beyond it, the clock is wrong
        // now or was wrong then, and an answer would schedule from the wrong day.
        if let Some(last) = coll.store.last_study_day()?
            && last > today + chrono::Days::new(1)
        {
            return Err(AppError::ClockLooksWrong { today, last });
        }
        let before = card.state;
        let cram = self.cram();
        let kind = if cram {
            ReviewKind::Cram
        } else if before.is_new {
            ReviewKind::New
        } else if before.is_repeat_on(today) {
            ReviewKind::Repeat
        } else {
            ReviewKind::Review
        };
        let after = if cram {
            before
        } else {
            schedule::answer(&before, quality, today, &config, &card.key).map_err(|e| {
                AppError::BadGrade {
                    quality: e.0,
                    allowed: config.grading.qualities(),
                }
            })?
        };
        // The card's own deck's preset: a lapse of a learned card may make it a leech, and
        // an answer may bury its related cards.
        let options = coll.answer_options(&card.deck)?;
        let leech = if kind == ReviewKind::Review && quality < 3 {
            let lapses = coll.store.learned_lapses(card_id)? + 1;
            leech_at(lapses, options.leech_threshold).then_some((lapses, options.leech_action))
        } else {
            None
        };
        let record = AnswerRecord {
            card_id,
            reviewed_at: now,
            study_day: today,
            quality,
            kind,
            time_taken_ms: u64::try_from(time_taken.as_millis()).unwrap_or(u64::MAX),
            before,
            after,
        };
        let effects = AnswerEffects {
            leech: leech.map(|(_, action)| action),
            bury_siblings: options.bury_siblings && !cram,
        };
        let (log_id, buried) = coll.store.answer_with(&record, effects)?;
        // A suspended leech does not come back in this session.
        let suspended = leech.is_some_and(|(_, action)| action == LeechAction::Suspend);
        self.queue.pop_front();
        if !buried.is_empty() {
            self.refill(coll, &buried, today)?;
        }
        // Failed cards come back later in the session; in cram that is all that happens.
        let again = if cram {
            quality < schedule::PASS_FOR_TODAY
        } else {
            after.repeat_pending && !suspended
        };
        let days_until_next = if again {
            let at = REPEAT_GAP.min(self.queue.len());
            self.queue.insert(at, (card_id, Slot::Repeat));
            0
        } else if after.is_new {
            0
        } else {
            (after.due - today).num_days().max(0)
        };
        let answered = Answered {
            log_id,
            card_id,
            key: card.key,
            after,
            days_until_next,
            time_taken,
            leech: leech.map(|(lapses, _)| (lapses, suspended)),
            buried,
        };
        self.answered.push(answered.clone());
        self.done.push(Done::Answer);
        Ok(answered)
    }

    /// Suspends the current card (it leaves the session). Returns its id.
    pub fn suspend_current(&mut self, coll: &mut Collection) -> Result<Option<i64>, AppError> {
        let Some(card) = self.current() else {
            return Ok(None);
        };
        coll.store.set_suspended(&[card], true)?;
        self.queue.retain(|(id, _)| *id != card);
        self.done.push(Done::Suspended(card));
        Ok(Some(card))
    }

    /// Buries the current card until the next study day. Returns its id.
    pub fn bury_current(
        &mut self,
        coll: &mut Collection,
        today: NaiveDate,
    ) -> Result<Option<i64>, AppError> {
        let Some(card) = self.current() else {
            return Ok(None);
        };
        coll.store.set_buried(card, today, true)?;
        self.queue.retain(|(id, _)| *id != card);
        self.done.push(Done::Buried(card));
        Ok(Some(card))
    }

    /// Flags the current card with `flag` (1-4), or takes the flag off when it has that one
    /// already, as Anki's Ctrl+1…4 do. Returns the card's flag now.
    pub fn flag_current(
        &mut self,
        coll: &mut Collection,
        flag: u8,
    ) -> Result<Option<u8>, AppError> {
        let Some(card) = self.current() else {
            return Ok(None);
        };
        let before = coll.store.card(card)?.flag;
        let now = if before == flag { 0 } else { flag };
        coll.store.set_flag(card, now)?;
        self.done.push(Done::Flagged { card, before });
        Ok(Some(now))
    }

    /// Undoes the last thing this session did (an answer, a suspension, a burial or a flag):
    /// the card is as it was and becomes the current card again. Returns its id, or None when
    /// nothing is left to undo.
    pub fn undo(
        &mut self,
        coll: &mut Collection,
        today: NaiveDate,
    ) -> Result<Option<i64>, AppError> {
        let Some(&last) = self.done.last() else {
            return Ok(None);
        };
        let card_id = match last {
            Done::Answer => {
                let Some(answer) = self.answered.last() else {
                    return Ok(None);
                };
                let card_id = coll.store.undo(answer.log_id)?;
                let unburied = !answer.buried.is_empty();
                self.answered.pop();
                // The siblings it buried are back: today's queue again, counters with it.
                if unburied {
                    self.reload(coll, today)?;
                }
                card_id
            }
            Done::Suspended(card) => {
                coll.store.set_suspended(&[card], false)?;
                card
            }
            Done::Buried(card) => {
                coll.store.set_buried(card, today, false)?;
                card
            }
            Done::Flagged { card, before } => {
                coll.store.set_flag(card, before)?;
                card
            }
        };
        self.done.pop();
        let restored = coll.store.card(card_id)?;
        self.queue.retain(|(id, _)| *id != card_id);
        self.queue
            .push_front((card_id, Slot::of(&restored.state, today)));
        Ok(Some(card_id))
    }

    /// Total time spent answering in this session.
    pub fn time_spent(&self) -> Duration {
        self.answered.iter().map(|a| a.time_taken).sum()
    }
}
