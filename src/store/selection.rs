//! The one translation of a [`CardSelection`] into SQL, which exports and statistics share.

use chrono::NaiveDate;
use rusqlite::types::Value;

use super::rows::in_deck;
use super::{Result, Store};
use crate::model::search::Query;

/// A set of cards: an export writes them, the statistics count them.
#[derive(Debug, Clone, Copy)]
pub enum CardSelection<'a> {
    Matching(&'a Query),
    /// A deck and its `::` children, the name taken literally.
    Deck(&'a str),
}

/// The cards a selection picks, as SQL: `FROM {from} WHERE {condition}`, bound to `params`.
pub(super) struct SelectionSql {
    from: &'static str,
    condition: String,
    pub params: Vec<Value>,
}

impl SelectionSql {
    /// `SELECT {columns}` of the cards, in introduction order.
    pub fn select(&self, columns: &str) -> String {
        format!(
            "SELECT {columns} FROM {} WHERE {} ORDER BY position, id",
            self.from, self.condition
        )
    }

    /// The cards as a table to read from (`FROM {table}`), in no order.
    pub fn table(&self) -> String {
        format!("(SELECT * FROM {} WHERE {})", self.from, self.condition)
    }
}

impl Store {
    /// The SQL of the cards `selection` picks on study day `today`. A search leaves retired
    /// cards out unless it asks for them; a deck keeps them only `with_retired`.
    pub(super) fn selection_sql(
        &self,
        selection: CardSelection,
        today: NaiveDate,
        with_retired: bool,
    ) -> Result<SelectionSql> {
        Ok(match selection {
            CardSelection::Matching(q) => {
                let c = self.compile(q, today)?;
                SelectionSql {
                    from: c.table,
                    condition: c.sql,
                    params: c.params,
                }
            }
            CardSelection::Deck(deck) => SelectionSql {
                from: "cards",
                condition: if with_retired {
                    in_deck(deck).to_string()
                } else {
                    format!("{} AND retired = 0", in_deck(deck))
                },
                params: vec![Value::Text(deck.to_string())],
            },
        })
    }
}
