//! The reference evaluator: what a query means on plain card data. The store compiles the
//! same query to SQL, and the tests hold the two equal.

use super::matchers::{deck_matches, tag_matches, text_matches};
use super::{CardIs, Prop, Query};
use crate::model::card::LEECH_TAG;

/// Whether a query asks for retired cards; searches leave them out otherwise.
pub fn mentions_retired(q: &Query) -> bool {
    match q {
        Query::Is(CardIs::Retired) => true,
        Query::Not(inner) => mentions_retired(inner),
        Query::And(parts) | Query::Or(parts) => parts.iter().any(mentions_retired),
        _ => false,
    }
}

/// Whether a query has a term `is` says yes to.
pub fn mentions(q: &Query, is: fn(&Query) -> bool) -> bool {
    match q {
        Query::Not(inner) => mentions(inner, is),
        Query::And(parts) | Query::Or(parts) => parts.iter().any(|p| mentions(p, is)),
        q => is(q),
    }
}

/// What the reference evaluator needs to know of a card. Days are day numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct CardFacts {
    pub deck: String,
    pub front: String,
    pub back: String,
    /// Space-separated.
    pub tags: String,
    pub is_new: bool,
    pub repetitions: u32,
    pub ease: f64,
    pub interval: u32,
    /// None while new.
    pub due_day: Option<i64>,
    pub lapses: u32,
    pub last_review_day: Option<i64>,
    pub repeat_pending: bool,
    /// FSRS's memory state (0 while SM-2 schedules the card).
    pub stability: f64,
    pub difficulty: f64,
    pub suspended: bool,
    pub retired: bool,
    /// From the learner's own facts files.
    pub user: bool,
    pub leech: bool,
    /// Buried for today.
    pub buried: bool,
    pub flag: u8,
    pub added_day: i64,
    /// (study day, quality) of every answer.
    pub reviews: Vec<(i64, u8)>,
}

/// FSRS's recall probability `days` after the last review (what `prop:r` compares), on the
/// forgetting curve with `decay`: the same arithmetic the store's SQL function runs.
pub fn retrievability(stability: f64, days: i64, decay: f64) -> f64 {
    crate::model::schedule::fsrs::retrievability(stability as f32, days.max(0) as f64, decay)
}

/// The reference semantics of a query, on plain data (the SQL the store runs must agree).
/// Leaves retired cards out unless the query mentions `is:retired`. Retrievability is on
/// FSRS-6's default forgetting curve.
pub fn matches(q: &Query, card: &CardFacts, today: i64) -> bool {
    (mentions_retired(q) || !card.retired) && eval(q, card, today)
}

fn eval(q: &Query, c: &CardFacts, today: i64) -> bool {
    let repeat_today = c.repeat_pending && c.last_review_day.is_some_and(|d| d >= today);
    match q {
        Query::All => true,
        Query::Text(t) => text_matches(t, &c.front) || text_matches(t, &c.back),
        Query::Deck(d) => deck_matches(d, &c.deck),
        Query::Tag(t) => tag_matches(t, &c.tags) || (c.leech && tag_matches(t, LEECH_TAG)),
        Query::Is(CardIs::New) => c.is_new,
        Query::Is(CardIs::Due) => !c.is_new && c.due_day.is_some_and(|d| d <= today),
        Query::Is(CardIs::Review) => !c.is_new && c.repetitions > 0 && !repeat_today,
        Query::Is(CardIs::Repeat) => !c.is_new && repeat_today,
        Query::Is(CardIs::Suspended) => c.suspended,
        Query::Is(CardIs::Retired) => c.retired,
        Query::Is(CardIs::User) => c.user,
        Query::Is(CardIs::Leech) => c.leech,
        Query::Is(CardIs::Buried) => c.buried,
        Query::Prop(p, cmp, n) => {
            let value = match p {
                Prop::Ivl => Some(f64::from(c.interval)),
                Prop::Ease => Some(c.ease),
                Prop::Lapses => Some(f64::from(c.lapses)),
                Prop::Reps => Some(f64::from(c.repetitions)),
                Prop::Due => c.due_day.filter(|_| !c.is_new).map(|d| (d - today) as f64),
                Prop::Stability => (c.stability > 0.0).then_some(c.stability),
                Prop::Difficulty => (c.stability > 0.0)
                    .then(|| crate::model::card_info::difficulty_share(c.difficulty)),
                Prop::Retrievability => {
                    c.last_review_day.filter(|_| c.stability > 0.0).map(|last| {
                        let decay = f64::from(crate::model::schedule::fsrs::DEFAULT_WEIGHTS[20]);
                        retrievability(c.stability, today - last, decay)
                    })
                }
            };
            value.is_some_and(|v| cmp.holds(v, *n))
        }
        Query::Rated { days, quality } => c.reviews.iter().any(|(day, q)| {
            *day > today - i64::from(*days) && quality.is_none_or(|want| want == *q)
        }),
        Query::Added { days } => c.added_day > today - i64::from(*days),
        Query::Flag(n) => c.flag == *n,
        Query::Not(inner) => !eval(inner, c, today),
        Query::And(parts) => parts.iter().all(|p| eval(p, c, today)),
        Query::Or(parts) => parts.iter().any(|p| eval(p, c, today)),
    }
}
