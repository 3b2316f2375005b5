//! Cards: one by id or key, a deck's, the daily queue (repeats, due, new), the counts and names
//! the deck list shows, and an export's rows. The browser's rows and actions are in `browser.rs`.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params, params_from_iter};

use super::rows::{CARD_COLUMNS, TAGS, card_by_id, card_from_row, distinct_names, in_deck};
use super::selection::CardSelection;
use super::{Result, Store, StoreError};
use crate::model::card::{ExportRow, StoredCard, day_from_number, day_number};
use crate::model::decks::DeckCounts;

impl Store {
    pub fn card(&self, id: i64) -> Result<StoredCard> {
        card_by_id(&self.conn, id)
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or_else(|| StoreError::NotFound(format!("card {id}")))
    }

    pub fn card_by_key(&self, key: &str) -> Result<Option<StoredCard>> {
        self.conn
            .query_row(
                &format!("SELECT {CARD_COLUMNS} FROM cards WHERE key = ?1"),
                [key],
                card_from_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every card (retired ones too), in introduction order.
    pub fn all_cards(&self) -> Result<Vec<StoredCard>> {
        self.query_cards(
            &format!("SELECT {CARD_COLUMNS} FROM cards ORDER BY position, id"),
            params![],
        )
    }

    pub(super) fn query_cards(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<StoredCard>> {
        self.rows(sql, args, card_from_row)
    }

    /// Pending same-day repeats of `deck`, oldest answer first.
    pub fn repeat_cards(&self, deck: &str, today: NaiveDate) -> Result<Vec<StoredCard>> {
        let in_deck = in_deck(deck);
        self.query_cards(
            &format!(
                "SELECT {CARD_COLUMNS} FROM cards INDEXED BY cards_repeat
                 WHERE repeat_pending = 1 AND last_review_day >= ?2 AND {in_deck}
                   AND retired = 0 AND suspended = 0 AND is_new = 0
                   AND id NOT IN (SELECT card_id FROM buried WHERE day = ?2)
                 ORDER BY (SELECT max(id) FROM review_log WHERE card_id = cards.id)"
            ),
            params![deck, day_number(today)],
        )
    }

    /// Hands `f` the due cards of `deck` and its children on `today` (not new, not buried,
    /// not repeats already seen today), oldest due first, each with its due day and deck,
    /// until `f` says it has enough (returns false).
    pub fn due_rows(
        &self,
        deck: &str,
        today: NaiveDate,
        mut f: impl FnMut(i64, NaiveDate, &str) -> bool,
    ) -> Result<()> {
        let in_deck = in_deck(deck);
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id, due_day, deck FROM cards INDEXED BY cards_queue
                 WHERE is_new = 0 AND due_day <= ?2 AND retired = 0 AND suspended = 0
                   AND (last_review_day IS NULL OR last_review_day < ?2) AND {in_deck}
                   AND id NOT IN (SELECT card_id FROM buried WHERE day = ?2)
                 ORDER BY due_day"
            ))?;
            let mut rows = stmt.query(params![deck, day_number(today)])?;
            while let Some(row) = rows.next()? {
                let deck = row.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
                if !f(row.get(0)?, day_from_number(row.get(1)?), deck) {
                    break;
                }
            }
            Ok(())
        })
    }

    /// Every live card of `deck` and its `::` children (the name taken literally, as
    /// everywhere a deck is named; wildcards belong to the search language's `deck:`).
    pub fn deck_cards(&self, deck: &str) -> Result<Vec<StoredCard>> {
        let in_deck = in_deck(deck);
        self.query_cards(
            &format!(
                "SELECT {CARD_COLUMNS} FROM cards WHERE {in_deck} AND retired = 0
                 ORDER BY position, id"
            ),
            [deck],
        )
    }

    /// Hands `f` the new cards of `deck` and its children (not buried today) in the order
    /// they are introduced, each with its deck, until `f` says it has enough.
    pub fn new_rows(
        &self,
        deck: &str,
        today: NaiveDate,
        mut f: impl FnMut(i64, &str) -> bool,
    ) -> Result<()> {
        let in_deck = in_deck(deck);
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id, deck FROM cards
                 WHERE {in_deck} AND retired = 0 AND suspended = 0 AND is_new = 1
                   AND id NOT IN (SELECT card_id FROM buried WHERE day = ?2)
                 ORDER BY position, id"
            ))?;
            let mut rows = stmt.query(params![deck, day_number(today)])?;
            while let Some(row) = rows.next()? {
                let deck = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
                if !f(row.get(0)?, deck) {
                    break;
                }
            }
            Ok(())
        })
    }

    /// Per deck (own cards only) that has live, unsuspended cards, what is available today,
    /// the new and due counts read up to `new_cap` and `due_cap` only: the tree caps at the
    /// daily limits anyway, and stopping there makes the counts cost a few index seeks per
    /// deck however big the collection (the decks themselves are found by seeking from one
    /// deck name to the next).
    pub fn deck_counts(
        &self,
        today: NaiveDate,
        new_cap: u32,
        due_cap: u32,
    ) -> Result<Vec<DeckCounts>> {
        self.rows(
            include_str!("sql/deck_counts.sql"),
            params![day_number(today), new_cap, due_cap],
            |r| {
                Ok(DeckCounts {
                    deck: r.get(0)?,
                    new: r.get(1)?,
                    repeat: r.get(2)?,
                    due: r.get(3)?,
                })
            },
        )
    }

    /// Every deck name in the collection, retired cards' too, found by seeking from one name
    /// to the next in the deck index (a few dozen seeks, not a scan of the cards).
    pub fn all_deck_names(&self) -> Result<Vec<String>> {
        self.distinct("cards", "deck")
    }

    /// Every tag name in the collection, found the same way.
    pub fn all_tag_names(&self) -> Result<Vec<String>> {
        self.distinct("card_tags", "tag")
    }

    pub(super) fn distinct(&self, table: &str, column: &str) -> Result<Vec<String>> {
        let sql = format!(
            "WITH RECURSIVE {} SELECT name FROM names WHERE name IS NOT NULL",
            distinct_names(table, column)
        );
        self.rows(&sql, [], |r| r.get(0))
    }

    /// Every deck name that has cards (retired ones excluded).
    pub fn deck_names(&self) -> Result<Vec<String>> {
        self.rows(
            "SELECT DISTINCT deck FROM cards WHERE retired = 0 ORDER BY deck",
            [],
            |r| r.get(0),
        )
    }

    /// The earliest day after `today` on which a card of `deck` is due.
    pub fn next_due_day(&self, deck: &str, today: NaiveDate) -> Result<Option<NaiveDate>> {
        let in_deck = in_deck(deck);
        let n: Option<i64> = self
            .conn
            .query_row(
                &format!(
                    "SELECT min(due_day) FROM cards
                     WHERE {in_deck} AND retired = 0 AND suspended = 0 AND is_new = 0
                       AND due_day > ?2"
                ),
                params![deck, day_number(today)],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        Ok(n.map(day_from_number))
    }

    /// Learned cards of `deck` due on or before `day`.
    pub fn count_due_by(&self, deck: &str, day: NaiveDate) -> Result<u32> {
        let in_deck = in_deck(deck);
        self.one(
            &format!(
                "SELECT count(*) FROM cards
                     WHERE {in_deck} AND retired = 0 AND suspended = 0 AND is_new = 0
                       AND due_day <= ?2"
            ),
            params![deck, day_number(day)],
            |r| r.get(0),
        )
    }
}

impl Store {
    /// Hands `f` what an export writes of each card `cards` selects (a search, or a deck and
    /// its children), in introduction order, one row at a time: nothing is collected.
    pub fn export_rows<E: From<StoreError>>(
        &self,
        cards: CardSelection,
        today: NaiveDate,
        mut f: impl FnMut(ExportRow<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let cards = self.selection_sql(cards, today, false)?;
        let sql = cards.select(&format!("key, front, back, note, deck, {TAGS}"));
        let e = |err| self.err(err);
        let mut stmt = self.conn.prepare(&sql).map_err(e)?;
        let mut rows = stmt
            .query(params_from_iter(cards.params.iter()))
            .map_err(e)?;
        while let Some(r) = rows.next().map_err(e)? {
            let text = |i: usize| -> Result<&str> {
                r.get_ref(i)
                    .and_then(|v| v.as_str().map_err(rusqlite::Error::from))
                    .map_err(e)
            };
            let note = r
                .get_ref(3)
                .and_then(|v| v.as_str_or_null().map_err(rusqlite::Error::from))
                .map_err(e)?;
            f(ExportRow {
                key: text(0)?,
                front: text(1)?,
                back: text(2)?,
                note,
                deck: text(4)?,
                tags: text(5)?,
            })?;
        }
        Ok(())
    }
}
