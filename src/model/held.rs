//! What a deck's session holds back today, and the words that say it: cards buried until
//! tomorrow (an answered card's siblings, or buried by hand), new cards beyond the daily
//! new-card limit, due cards beyond the review limit.

use super::filtered::{FilteredDeck, Mode, Order};
use super::stats::{count_of, thousands};

/// Anki's custom study, for today only: more new cards or reviews than the limits allow, or
/// a session of the deck's cards forgotten lately or due soon (a filtered deck of its own,
/// not saved).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomStudy {
    MoreNew(u32),
    MoreReviews(u32),
    /// Cards answered below "Hard" (Again; 0-2 of six grades) in the last `days` days.
    Forgotten {
        days: u32,
    },
    /// Cards due in the next `days` days, studied ahead.
    Ahead {
        days: u32,
    },
}

impl CustomStudy {
    /// The session's filtered deck for `deck` ("" for every deck), for the two that are one.
    pub fn filtered(&self, deck: &str) -> Option<FilteredDeck> {
        let (name, query) = match *self {
            CustomStudy::MoreNew(_) | CustomStudy::MoreReviews(_) => return None,
            CustomStudy::Forgotten { days } => (
                format!("Forgotten in the last {}", count_of(days, "day")),
                format!("(rated:{days}:0 or rated:{days}:1 or rated:{days}:2)"),
            ),
            CustomStudy::Ahead { days } => (
                format!("Due in the next {}", count_of(days, "day")),
                format!("-is:new prop:due>0 prop:due<={days}"),
            ),
        };
        let query = if deck.is_empty() {
            query
        } else {
            format!("deck:\"{}\" {query}", deck.replace('"', ""))
        };
        Some(FilteredDeck {
            name: format!("Custom study: {name}"),
            query,
            order: Order::DueFirst,
            mode: Mode::Scheduled,
            ..FilteredDeck::default()
        })
    }
}

/// Cards of a deck that today's session does not show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeldBack {
    /// Buried until the next study day.
    pub buried: u64,
    /// New cards waiting, and the daily limit that holds them (when it is reached).
    pub new_waiting: u64,
    pub new_limit: Option<u32>,
    /// Due cards waiting, and the review limit that holds them (when it is reached).
    pub due_waiting: u64,
    pub review_limit: Option<u32>,
}

impl HeldBack {
    /// One sentence per reason, in the order a learner can act on them.
    pub fn reasons(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.buried > 0 {
            let wait = if self.buried == 1 { "waits" } else { "wait" };
            out.push(format!(
                "{} {wait} until tomorrow (once a card is answered, its related cards are buried).",
                count_of(self.buried, "buried card")
            ));
        }
        if let Some(limit) = self.review_limit.filter(|_| self.due_waiting > 0) {
            out.push(format!(
                "Daily review limit reached ({}): {} still due.",
                thousands(u64::from(limit)),
                count_of(self.due_waiting, "card")
            ));
        }
        if let Some(limit) = self.new_limit.filter(|_| self.new_waiting > 0) {
            out.push(format!(
                "Daily new-card limit reached ({}): {} waiting.",
                thousands(u64::from(limit)),
                count_of(self.new_waiting, "new card")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_study_sessions_search_the_deck_and_parse() {
        let f = CustomStudy::Forgotten { days: 2 }
            .filtered("AWS Big Data::Integrations")
            .unwrap();
        assert_eq!(
            f.query,
            "deck:\"AWS Big Data::Integrations\" (rated:2:0 or rated:2:1 or rated:2:2)"
        );
        assert_eq!(f.mode, Mode::Scheduled);
        assert!(f.validate().is_ok(), "{:?}", f.validate());
        let a = CustomStudy::Ahead { days: 1 }.filtered("").unwrap();
        assert_eq!(a.query, "-is:new prop:due>0 prop:due<=1");
        assert_eq!(a.name, "Custom study: Due in the next 1 day");
        assert!(a.validate().is_ok());
        assert_eq!(CustomStudy::MoreNew(10).filtered("x"), None);
    }

    #[test]
    fn each_reason_is_said_with_its_numbers() {
        let h = HeldBack {
            buried: 3,
            new_waiting: 1_200,
            new_limit: Some(20),
            due_waiting: 27_380,
            review_limit: Some(200),
        };
        assert_eq!(
            h.reasons(),
            [
                "3 buried cards wait until tomorrow (once a card is answered, its related cards are buried).",
                "Daily review limit reached (200): 27 380 cards still due.",
                "Daily new-card limit reached (20): 1 200 new cards waiting.",
            ]
        );
        let one = HeldBack {
            buried: 1,
            ..HeldBack::default()
        };
        assert_eq!(
            one.reasons(),
            [
                "1 buried card waits until tomorrow (once a card is answered, its related cards are buried)."
            ]
        );
        // A limit not reached, or nothing behind it, says nothing.
        let quiet = HeldBack {
            new_waiting: 5,
            new_limit: None,
            due_waiting: 0,
            review_limit: Some(200),
            ..HeldBack::default()
        };
        assert!(quiet.reasons().is_empty());
    }
}
