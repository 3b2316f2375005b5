//! What a deck's session holds back today, counted: its buried, new and due cards, limits
//! left aside; and unburying a deck.

use chrono::NaiveDate;
use rusqlite::params;

use super::rows::in_deck;
use super::{Result, Store, day_number};

/// Cards of a deck and its children (suspended and retired ones left out), limits aside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeckBacklog {
    /// Buried on the day.
    pub buried: u64,
    /// New and not buried.
    pub new: u64,
    /// Due on or before the day and not buried.
    pub due: u64,
}

impl Store {
    /// The backlog of `deck` ("" for every deck) on `today`.
    pub fn backlog(&self, deck: &str, today: NaiveDate) -> Result<DeckBacklog> {
        let sql = format!(
            "WITH b AS (SELECT card_id FROM buried WHERE day = ?2)
             SELECT coalesce(sum(id IN b), 0),
                    coalesce(sum(is_new = 1 AND id NOT IN b), 0),
                    coalesce(sum(is_new = 0 AND due_day <= ?2 AND id NOT IN b), 0)
             FROM cards WHERE {} AND retired = 0 AND suspended = 0",
            in_deck(deck)
        );
        self.one(&sql, params![deck, day_number(today)], |r| {
            let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
            Ok(DeckBacklog {
                buried: n(0)?,
                new: n(1)?,
                due: n(2)?,
            })
        })
    }

    /// Unburies the cards of `deck` buried on `today`, in one transaction; how many.
    pub fn unbury_deck(&mut self, deck: &str, today: NaiveDate) -> Result<usize> {
        let sql = format!(
            "DELETE FROM buried WHERE day = ?2
                 AND card_id IN (SELECT id FROM cards WHERE {})",
            in_deck(deck)
        );
        self.write(|tx| Ok(tx.execute(&sql, params![deck, day_number(today)])?))
    }
}
