//! Searches: the SQL functions the compiled queries call, running a query, and the search
//! indexes. The query's translation into SQL is in `compile`.

mod compile;

pub(super) use compile::param;
pub use compile::{Compiled, Names, compile};

use chrono::NaiveDate;
use rusqlite::functions::FunctionFlags;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, params_from_iter};

use super::StoredCard;
use super::rows::{CARD_COLUMNS, card_from_row, index_tags, index_text};
use super::{Result, Store};
use crate::model::search::{self, Query};

/// A query's text, deck and tag patterns, compiled once: the SQL refers to them by index
/// (`aw_text(0, front, back)`), so no pattern is compiled, or looked up, once per card.
#[derive(Debug, Clone)]
pub enum Matcher {
    Text(search::TextMatcher),
    Deck(search::DeckMatcher),
}

/// The matchers of the statement being run, shared with the SQL functions.
pub(super) type Matchers = Arc<Mutex<Vec<Matcher>>>;

/// Registers the functions the compiled SQL calls: the same matchers as the reference
/// evaluator in `model::search`, taken from `matchers` by index.
pub(super) fn register_functions(conn: &Connection, matchers: &Matchers) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    let with = |args: usize| {
        let matchers = Arc::clone(matchers);
        move |ctx: &rusqlite::functions::Context| -> rusqlite::Result<bool> {
            let text = |i| {
                ctx.get_raw(i)
                    .as_str()
                    .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
            };
            let index = usize::try_from(ctx.get::<i64>(0)?).unwrap_or(usize::MAX);
            let list = matchers.lock().unwrap_or_else(|e| e.into_inner());
            Ok(match list.get(index) {
                Some(Matcher::Text(m)) if args == 3 => m.matches(text(1)?) || m.matches(text(2)?),
                Some(Matcher::Deck(m)) => m.matches(text(1)?),
                _ => {
                    return Err(rusqlite::Error::UserFunctionError(
                        "a search ran without its compiled patterns".into(),
                    ));
                }
            })
        }
    };
    let fold = |f: fn(&str) -> String| {
        move |ctx: &rusqlite::functions::Context| -> rusqlite::Result<String> {
            let text = ctx
                .get_raw(0)
                .as_str()
                .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?;
            Ok(f(text))
        }
    };
    conn.create_scalar_function("aw_fold", 1, flags, fold(search::fold))?;
    conn.create_scalar_function("aw_r", 3, flags, |ctx| {
        Ok(search::retrievability(
            ctx.get(0)?,
            ctx.get(1)?,
            ctx.get(2)?,
        ))
    })?;
    conn.create_scalar_function("aw_text", 3, flags, with(3))?;
    conn.create_scalar_function("aw_deck", 2, flags, with(2))
}

impl Store {
    /// The cards whose entry in the search indexes (the full-text index, the tag rows) is
    /// missing, stale, or has no card (ids): empty when the indexes say exactly what the
    /// cards say. (The full-text index's own consistency is part of SQLite's integrity check.)
    pub fn search_index_problems(&self) -> Result<Vec<i64>> {
        self.rows(include_str!("../sql/search_index_problems.sql"), [], |r| {
            r.get(0)
        })
    }

    /// Builds the search indexes again from the cards, in one transaction.
    pub fn rebuild_search_indexes(&mut self) -> Result<()> {
        self.conn
            .execute_batch(&format!(
                "BEGIN;
                 DELETE FROM cards_text;
                 {};
                 DELETE FROM card_tags;
                 {};
                 COMMIT;",
                index_text("1"),
                index_tags("1")
            ))
            .map_err(|e| {
                let _ = self.conn.execute_batch("ROLLBACK");
                self.err(e)
            })
    }

    /// Compiles `q` and hands its patterns to the SQL functions, for the next statement.
    pub(super) fn compile(&self, q: &Query, today: NaiveDate) -> Result<Compiled> {
        self.compile_with(q, today, true)
    }

    /// [`compile`] with the patterns handed to the SQL functions; `text_index` as there.
    pub(super) fn compile_with(
        &self,
        q: &Query,
        today: NaiveDate,
        text_index: bool,
    ) -> Result<Compiled> {
        let names = Names {
            decks: if search::mentions(q, |q| matches!(q, Query::Deck(_))) {
                self.all_deck_names()?
            } else {
                Vec::new()
            },
            tags: if search::mentions(q, |q| matches!(q, Query::Tag(_))) {
                self.all_tag_names()?
            } else {
                Vec::new()
            },
            decay: if search::mentions(q, |q| {
                matches!(q, Query::Prop(search::Prop::Retrievability, _, _))
            }) {
                self.load_settings()?.0.scheduler.fsrs_decay()
            } else {
                0.0
            },
        };
        let c = compile(q, today, &names, text_index);
        *self.matchers.lock().unwrap_or_else(|e| e.into_inner()) = c.matchers.clone();
        Ok(c)
    }

    /// Ids of the cards matching `q`, in introduction order.
    pub fn search_ids(&self, q: &Query, today: NaiveDate) -> Result<Vec<i64>> {
        let c = self.compile(q, today)?;
        let sql = format!(
            "SELECT id FROM {} WHERE {} ORDER BY position, id",
            c.table, c.sql
        );
        self.rows(&sql, params_from_iter(c.params.iter()), |r| r.get(0))
    }

    /// The cards matching `q`, in introduction order.
    pub fn search_cards(&self, q: &Query, today: NaiveDate) -> Result<Vec<StoredCard>> {
        let c = self.compile(q, today)?;
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM {} WHERE {} ORDER BY position, id",
            c.table, c.sql
        );
        self.rows(&sql, params_from_iter(c.params.iter()), card_from_row)
    }

    pub fn count_matching(&self, q: &Query, today: NaiveDate) -> Result<u32> {
        let c = self.compile(q, today)?;
        let sql = format!("SELECT count(*) FROM {} WHERE {}", c.table, c.sql);
        self.one(&sql, params_from_iter(c.params.iter()), |r| r.get(0))
    }

    /// One more than the highest card position (0 without cards): where windows of
    /// positions end.
    pub fn position_end(&self) -> Result<i64> {
        self.one(
            "SELECT coalesce(max(p), -1) + 1 FROM (
                     SELECT max(position) AS p FROM cards WHERE retired = 0
                     UNION ALL SELECT max(position) FROM cards WHERE retired = 1)",
            [],
            |r| r.get(0),
        )
    }
}
