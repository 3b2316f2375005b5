//! Searches and filtered decks: the search AST compiled to parameterised SQL (no user text is
//! ever spliced into the SQL), card management from the browser.

use chrono::NaiveDate;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::StoredCard;
use super::rows::{
    CARD_COLUMNS, CardSelection, card_from_row, in_deck, index_tags, index_text, split_tags,
};
use super::{Result, Store, StoreError};
use crate::model::card::{BrowseRow, ExportRow, day_number};
use crate::model::filtered::{FilteredDeck, Mode, Order};
use crate::model::search::{self, CardIs, Cmp, Prop, Query};

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

/// What a query is compiled against: the names `deck:` and `tag:` patterns are matched
/// against (every deck and tag in the collection; empty when the query has no such term), and
/// the forgetting curve's decay of the FSRS parameters in use (for `prop:r`).
#[derive(Debug, Clone)]
pub struct Names {
    pub decks: Vec<String>,
    pub tags: Vec<String>,
    pub decay: f64,
}

/// A WHERE clause over `cards`, its parameters and its patterns.
pub struct Compiled {
    pub sql: String,
    pub params: Vec<Value>,
    pub matchers: Vec<Matcher>,
    /// How to read `cards` for it (`FROM {table}`): the index that answers its top-level
    /// condition, or a scan.
    pub table: &'static str,
    /// Whether words and tags ask the full-text index first (not worth it when the caller
    /// reads a small window of positions: it would list every match in the collection).
    text_index: bool,
}

/// Compiles a query for study day `today`, given every deck name in the collection. Every
/// predicate is 0 or 1 (never NULL), so `NOT` means exactly "does not match". Retired cards
/// are left out unless the query asks for them.
///
/// Words and tags ask the full-text index (`cards_text`) for the cards with their trigrams
/// first and check only those exactly; a `deck:` pattern is matched against the deck names
/// here, so that one matching every deck costs nothing. Run it with [`Store`]'s search
/// methods, which hand the patterns to the SQL functions.
pub fn compile(q: &Query, today: NaiveDate, names: &Names, text_index: bool) -> Compiled {
    let mut c = Compiled {
        sql: String::new(),
        params: Vec::new(),
        matchers: Vec::new(),
        table: "cards NOT INDEXED",
        text_index,
    };
    let today = day_number(today);
    // Whether retired cards count is the query's as typed (`deck:X or is:retired` keeps
    // them even when `deck:X` matches every deck).
    let with_retired = search::mentions_retired(q);
    let q = &resolve_decks(q, &names.decks);
    let top: Vec<&Query> = match q {
        Query::And(parts) => parts.iter().collect(),
        q => vec![q],
    };
    // The top level's words ask the full-text index once, together (each alone might return
    // most of the collection: "question" in "question 123"), and are then checked exactly;
    // words deeper down narrow themselves.
    let asked: Vec<String> = top
        .iter()
        .filter(|_| text_index)
        .filter_map(|q| match q {
            Query::Text(t) => text_index_query(t),
            _ => None,
        })
        .map(|fts| format!("({fts})"))
        .collect();
    let body = if asked.is_empty() {
        expr(q, today, names, &mut c)
    } else {
        let fts = param(&mut c.params, Value::Text(asked.join(" AND ")));
        let mut parts = vec![format!(
            "id IN (SELECT rowid FROM cards_text WHERE cards_text MATCH {fts})"
        )];
        for part in &top {
            parts.push(match part {
                Query::Text(t) => exact(t, "", &mut c),
                _ => expr(part, today, names, &mut c),
            });
        }
        format!("({})", parts.join(" AND "))
    };
    // Searches read every card through the matchers, which no index can answer: they scan
    // the table (NOT INDEXED, which still looks up the rowids the full-text index returns)
    // rather than visit each row through an index that the planner might pick for
    // `retired = 0` (the queue's covering indexes made that 5x slower). Two shapes have an
    // index that answers them: the whole collection, and the cards due today.
    if *q == Query::All {
        c.table = "cards INDEXED BY cards_position";
    } else if asked.is_empty() && top.iter().any(|q| matches!(q, Query::Is(CardIs::Due))) {
        c.table = "cards INDEXED BY cards_queue";
    }
    c.sql = if with_retired {
        body
    } else {
        format!("retired = 0 AND {body}")
    };
    c
}

fn param(params: &mut Vec<Value>, v: Value) -> String {
    params.push(v);
    format!("?{}", params.len())
}

/// The matcher's index, for the SQL (a number this code made, never user text).
fn matcher(c: &mut Compiled, m: Matcher) -> usize {
    c.matchers.push(m);
    c.matchers.len() - 1
}

/// The full-text query that narrows a word term, when its pattern has trigrams: every
/// trigram, in the front or the back.
fn text_index_query(text: &str) -> Option<String> {
    let trigrams = search::TextMatcher::new(text).trigrams();
    if trigrams.is_empty() {
        return None;
    }
    let quoted: Vec<String> = trigrams
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect();
    Some(format!("{{front back}} : ({})", quoted.join(" AND ")))
}

/// A word term: the cards the full-text index returns for it, checked exactly once each (a
/// set the outer query only looks ids up in, reading no card row of its own), or, when the
/// index cannot help, every card checked.
fn narrowed(text: &str, c: &mut Compiled) -> String {
    match text_index_query(text).filter(|_| c.text_index) {
        Some(fts) => {
            let fts = param(&mut c.params, Value::Text(fts));
            let exact = exact(text, "n.", c);
            format!(
                "id IN (SELECT n.id FROM cards_text JOIN cards AS n ON n.id = cards_text.rowid
                        WHERE cards_text MATCH {fts} AND {exact})"
            )
        }
        None => exact(text, "", c),
    }
}

/// A word term checked by its matcher, on the columns of the table `alias` names.
fn exact(text: &str, alias: &str, c: &mut Compiled) -> String {
    let i = matcher(c, Matcher::Text(search::TextMatcher::new(text)));
    format!("aw_text({i}, {alias}front, {alias}back)")
}

/// A tag term: its pattern matched against the tag names here, the cards with those tags
/// read from `card_tags` (an exact set; no card row is read).
fn tagged(pattern: &str, tags: &[String], c: &mut Compiled) -> String {
    let m = search::TagMatcher::new(pattern);
    let names: Vec<&String> = tags.iter().filter(|name| m.matches(name)).collect();
    if names.is_empty() {
        return "0".into();
    }
    let list = serde_json::to_string(&names).unwrap_or_default();
    let list = param(&mut c.params, Value::Text(list));
    format!(
        "id IN (SELECT card_id FROM card_tags
                WHERE tag IN (SELECT value FROM json_each({list})))"
    )
}

fn expr(q: &Query, today: i64, names: &Names, c: &mut Compiled) -> String {
    let repeat_today = |p: &mut Vec<Value>| {
        let t = param(p, Value::Integer(today));
        format!("(repeat_pending = 1 AND coalesce(last_review_day >= {t}, 0))")
    };
    match q {
        Query::All => "1".into(),
        Query::Text(t) => narrowed(t, c),
        Query::Tag(t) => tagged(t, &names.tags, c),
        Query::Deck(d) => {
            let i = matcher(c, Matcher::Deck(search::DeckMatcher::new(d)));
            format!("aw_deck({i}, deck)")
        }
        Query::Is(CardIs::New) => "(is_new = 1)".into(),
        Query::Is(CardIs::Due) => {
            // NULL-free without coalesce, so that the queue's index can answer it.
            let t = param(&mut c.params, Value::Integer(today));
            format!("(is_new = 0 AND due_day IS NOT NULL AND due_day <= {t})")
        }
        Query::Is(CardIs::Review) => {
            format!(
                "(is_new = 0 AND repetitions > 0 AND NOT {})",
                repeat_today(&mut c.params)
            )
        }
        Query::Is(CardIs::Repeat) => format!("(is_new = 0 AND {})", repeat_today(&mut c.params)),
        Query::Is(CardIs::Suspended) => "(suspended = 1)".into(),
        Query::Is(CardIs::Retired) => "(retired = 1)".into(),
        // Keys of the learner's cards start with "user/": a range of the key index.
        Query::Is(CardIs::User) => "(key >= 'user/' AND key < 'user0')".into(),
        Query::Is(CardIs::Leech) => "(leech = 1)".into(),
        Query::Is(CardIs::Buried) => {
            let t = param(&mut c.params, Value::Integer(today));
            format!("id IN (SELECT card_id FROM buried WHERE day = {t})")
        }
        Query::Prop(prop, cmp, n) => {
            let n = param(&mut c.params, Value::Real(*n));
            let op = cmp_sql(*cmp);
            match prop {
                Prop::Ivl => format!("(interval_days {op} {n})"),
                Prop::Ease => format!("(ease {op} {n})"),
                Prop::Lapses => format!("(lapses {op} {n})"),
                Prop::Reps => format!("(repetitions {op} {n})"),
                Prop::Due => {
                    let t = param(&mut c.params, Value::Integer(today));
                    format!("(is_new = 0 AND coalesce((due_day - {t}) {op} {n}, 0))")
                }
                Prop::Stability => format!("(stability > 0 AND stability {op} {n})"),
                Prop::Difficulty => {
                    format!("(stability > 0 AND (difficulty - 1.0) / 9.0 {op} {n})")
                }
                Prop::Retrievability => {
                    let t = param(&mut c.params, Value::Integer(today));
                    let decay = param(&mut c.params, Value::Real(names.decay));
                    format!(
                        "(stability > 0 AND last_review_day IS NOT NULL
                          AND aw_r(stability, {t} - last_review_day, {decay}) {op} {n})"
                    )
                }
            }
        }
        Query::Rated { days, quality } => {
            let since = param(&mut c.params, Value::Integer(today - i64::from(*days)));
            let q = quality.map_or(String::new(), |q| {
                format!(
                    " AND r.quality = {}",
                    param(&mut c.params, Value::Integer(i64::from(q)))
                )
            });
            // One range of the log's day index, not a probe per card.
            format!("id IN (SELECT r.card_id FROM review_log r WHERE r.study_day > {since}{q})")
        }
        Query::Flag(n) => format!(
            "(flag = {})",
            param(&mut c.params, Value::Integer(i64::from(*n)))
        ),
        Query::Added { days } => {
            format!(
                "(added_day > {})",
                param(&mut c.params, Value::Integer(today - i64::from(*days)))
            )
        }
        Query::Not(inner) => format!("(NOT {})", expr(inner, today, names, c)),
        Query::And(parts) => join(parts, " AND ", today, names, c),
        Query::Or(parts) => join(parts, " OR ", today, names, c),
    }
}

fn join(parts: &[Query], op: &str, today: i64, names: &Names, c: &mut Compiled) -> String {
    let inner: Vec<String> = parts.iter().map(|q| expr(q, today, names, c)).collect();
    format!("({})", inner.join(op))
}

/// Nothing: what a `deck:` pattern that matches no deck becomes.
fn nothing() -> Query {
    Query::Not(Box::new(Query::All))
}

/// `q` with each `deck:` pattern matched against the deck names: one matching every deck
/// becomes `All`, one matching none [`nothing`], and the `and`, `or` and `not` around them
/// are simplified, so that `deck:AWS*` costs nothing and reads no card.
fn resolve_decks(q: &Query, decks: &[String]) -> Query {
    let none = nothing();
    match q {
        Query::Deck(d) => {
            let m = search::DeckMatcher::new(d);
            let hits = decks.iter().filter(|name| m.matches(name)).count();
            if hits == decks.len() {
                Query::All
            } else if hits == 0 {
                none
            } else {
                q.clone()
            }
        }
        Query::Not(inner) => match resolve_decks(inner, decks) {
            Query::All => none,
            Query::Not(x) if *x == Query::All => Query::All,
            inner => Query::Not(Box::new(inner)),
        },
        Query::And(parts) | Query::Or(parts) => {
            let and = matches!(q, Query::And(_));
            let (neutral, decisive) = if and {
                (Query::All, none)
            } else {
                (none, Query::All)
            };
            let mut kept = Vec::with_capacity(parts.len());
            for part in parts.iter().map(|p| resolve_decks(p, decks)) {
                if part == decisive {
                    return decisive;
                }
                if part != neutral {
                    kept.push(part);
                }
            }
            match kept.len() {
                0 => neutral,
                1 => kept.remove(0),
                _ if and => Query::And(kept),
                _ => Query::Or(kept),
            }
        }
        q => q.clone(),
    }
}

fn cmp_sql(cmp: Cmp) -> &'static str {
    match cmp {
        Cmp::Eq => "=",
        Cmp::Ne => "!=",
        Cmp::Lt => "<",
        Cmp::Le => "<=",
        Cmp::Gt => ">",
        Cmp::Ge => ">=",
    }
}

fn order_sql(order: Order) -> &'static str {
    match order {
        Order::DueFirst => "is_new, due_day, position, id",
        Order::Random => "random()",
        Order::MostLapses => "lapses DESC, position, id",
        Order::LowestEase => "ease, position, id",
        Order::Added => "added_day, position, id",
    }
}

impl Store {
    /// The cards whose entry in the search indexes (the full-text index, the tag rows) is
    /// missing, stale, or has no card (ids): empty when the indexes say exactly what the
    /// cards say. (The full-text index's own consistency is part of SQLite's integrity check.)
    pub fn search_index_problems(&self) -> Result<Vec<i64>> {
        self.rows(
            &format!(
                "WITH RECURSIVE {},
                     listed (tag, card_id) AS (SELECT tag, card_id FROM split WHERE tag <> ''),
                     folded AS MATERIALIZED (
                         SELECT id, aw_fold(front), aw_fold(back) FROM cards)
                 SELECT id FROM (
                     SELECT * FROM folded EXCEPT SELECT rowid, front, back FROM cards_text)
                 UNION
                 SELECT rowid FROM (
                     SELECT rowid, front, back FROM cards_text EXCEPT SELECT * FROM folded)
                 UNION
                 SELECT card_id FROM (SELECT * FROM listed EXCEPT SELECT tag, card_id FROM card_tags)
                 UNION
                 SELECT card_id FROM (SELECT tag, card_id FROM card_tags EXCEPT SELECT * FROM listed)
                 ORDER BY 1",
                split_tags("1")
            ),
            [],
            |r| r.get(0),
        )
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
    fn compile_with(&self, q: &Query, today: NaiveDate, text_index: bool) -> Result<Compiled> {
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
        self.conn
            .query_row(&sql, params_from_iter(c.params.iter()), |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// One more than the highest card position (0 without cards): where windows of
    /// positions end.
    pub fn position_end(&self) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT coalesce(max(p), -1) + 1 FROM (
                     SELECT max(position) AS p FROM cards WHERE retired = 0
                     UNION ALL SELECT max(position) FROM cards WHERE retired = 1)",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Hands `f` what an export writes of each card `cards` selects (a search, or a deck and
    /// its children), in introduction order, one row at a time: nothing is collected.
    pub fn export_rows<E: From<StoreError>>(
        &self,
        cards: CardSelection,
        today: NaiveDate,
        mut f: impl FnMut(ExportRow<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        // A leech is tagged `leech` where it goes, as Anki tags its own.
        const COLUMNS: &str = "key, front, back, note, deck,
            CASE WHEN leech = 1 THEN trim(tags || ' leech') ELSE tags END";
        let (sql, params) = match cards {
            CardSelection::Matching(q) => {
                let c = self.compile(q, today)?;
                let sql = format!(
                    "SELECT {COLUMNS} FROM {} WHERE {} ORDER BY position, id",
                    c.table, c.sql
                );
                (sql, c.params)
            }
            CardSelection::Deck(deck) => (
                format!(
                    "SELECT {COLUMNS} FROM cards WHERE {} AND retired = 0
                     ORDER BY position, id",
                    in_deck(deck)
                ),
                vec![Value::Text(deck.to_string())],
            ),
        };
        let e = |err| self.err(err);
        let mut stmt = self.conn.prepare(&sql).map_err(e)?;
        let mut rows = stmt.query(params_from_iter(params.iter())).map_err(e)?;
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

    /// The browser's rows for `q`, in introduction order; with `positions`, only the cards
    /// whose position is in that range, read through the position index: however rare or
    /// common the matches, a window of positions costs about the same, so a big search loads
    /// a window at a time.
    pub fn browse(
        &self,
        q: &Query,
        today: NaiveDate,
        positions: Option<std::ops::Range<i64>>,
    ) -> Result<Vec<BrowseRow>> {
        let mut c = self.compile_with(q, today, positions.is_none())?;
        let (table, window) = match positions {
            Some(range) => {
                let lo = param(&mut c.params, Value::Integer(range.start));
                let hi = param(&mut c.params, Value::Integer(range.end));
                (
                    "cards INDEXED BY cards_position",
                    format!("retired IN (0, 1) AND position >= {lo} AND position < {hi} AND "),
                )
            }
            None => (c.table, String::new()),
        };
        let sql = format!(
            "SELECT id, deck, front, is_new, due_day, interval_days, ease, lapses,
                    (SELECT count(*) FROM review_log WHERE card_id = cards.id), suspended, retired,
                    position
             FROM {table} WHERE {window}{} ORDER BY position, id",
            c.sql
        );
        self.rows(&sql, params_from_iter(c.params.iter()), |r| {
            let due: Option<i64> = r.get(4)?;
            Ok(BrowseRow {
                id: r.get(0)?,
                deck: r.get(1)?,
                front: r.get(2)?,
                is_new: r.get(3)?,
                due_day: due.map(crate::model::card::day_from_number),
                interval: r.get(5)?,
                ease: r.get(6)?,
                lapses: r.get(7)?,
                reviews: r.get(8)?,
                suspended: r.get(9)?,
                retired: r.get(10)?,
                position: r.get(11)?,
            })
        })
    }

    /// The cards a filtered deck studies today, in its order, at most its limit: scheduled
    /// decks take new cards, cards due today and pending repeats; cram decks take every
    /// matching card. Suspended cards are never studied.
    pub fn filtered_cards(
        &self,
        deck: &FilteredDeck,
        q: &Query,
        today: NaiveDate,
    ) -> Result<Vec<StoredCard>> {
        let (sql, c) = self.filtered_sql(deck, q, today, true)?;
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM cards WHERE id IN ({sql}) ORDER BY {}",
            order_sql(deck.order)
        );
        self.rows(&sql, params_from_iter(c.params.iter()), card_from_row)
    }

    /// How many cards a filtered deck studies today (as [`Store::filtered_cards`] would load).
    /// Unordered: the count is the same, and reading stops at the limit instead of ordering
    /// every match first (the deck list counts before its first frame; "Failed this week"
    /// took ~9 ms on 100 000 cards, looking up each of ~2 700 failed cards).
    pub fn count_filtered(&self, deck: &FilteredDeck, q: &Query, today: NaiveDate) -> Result<u32> {
        let (sql, c) = self.filtered_sql(deck, q, today, false)?;
        self.conn
            .query_row(
                &format!("SELECT count(*) FROM ({sql})"),
                params_from_iter(c.params.iter()),
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// The ids a filtered deck studies today: eligible, matching, within its limit, and in
    /// its order when `ordered`.
    fn filtered_sql(
        &self,
        deck: &FilteredDeck,
        q: &Query,
        today: NaiveDate,
        ordered: bool,
    ) -> Result<(String, Compiled)> {
        let mut c = self.compile(q, today)?;
        let eligible = match deck.mode {
            Mode::Cram => "suspended = 0 AND retired = 0".to_string(),
            Mode::Scheduled => {
                let t = param(&mut c.params, Value::Integer(day_number(today)));
                format!(
                    "suspended = 0 AND retired = 0 AND (is_new = 1 OR due_day <= {t}
                       OR (repeat_pending = 1 AND last_review_day >= {t}))
                     AND id NOT IN (SELECT card_id FROM buried WHERE day = {t})"
                )
            }
        };
        let limit = param(&mut c.params, Value::Integer(i64::from(deck.limit)));
        let order = if ordered {
            format!("ORDER BY {}", order_sql(deck.order))
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT id FROM {} WHERE {eligible} AND {} {order} LIMIT {limit}",
            c.table, c.sql
        );
        Ok((sql, c))
    }

    pub fn filtered_decks(&self) -> Result<Vec<FilteredDeck>> {
        self.rows(
            "SELECT id, name, query, card_limit, card_order, mode FROM filtered_decks ORDER BY name",
            [],
            |r| {
                let order: String = r.get(4)?;
                let mode: String = r.get(5)?;
                Ok(FilteredDeck {
                    id: Some(r.get(0)?),
                    name: r.get(1)?,
                    query: r.get(2)?,
                    limit: r.get(3)?,
                    order: Order::parse(&order).unwrap_or_default(),
                    mode: Mode::parse(&mode).unwrap_or_default(),
                })
            },
        )
    }

    pub fn filtered_deck(&self, name: &str) -> Result<Option<FilteredDeck>> {
        Ok(self.filtered_decks()?.into_iter().find(|d| d.name == name))
    }

    /// Saves a filtered deck (inserts it when it has no id), in one transaction. Returns its id.
    pub fn save_filtered_deck(&mut self, deck: &FilteredDeck) -> Result<i64> {
        deck.validate()
            .map_err(|e| StoreError::BadFilteredDeck(e.to_string()))?;
        let name = deck.name.trim();
        let taken: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM filtered_decks WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if taken.is_some() && taken != deck.id {
            return Err(StoreError::DuplicateName(name.to_string()));
        }
        let args = params![
            name,
            deck.query,
            deck.limit,
            deck.order.as_str(),
            deck.mode.as_str()
        ];
        match deck.id {
            None => {
                self.conn
                    .execute(
                        "INSERT INTO filtered_decks (name, query, card_limit, card_order, mode)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        args,
                    )
                    .map_err(|e| self.err(e))?;
                Ok(self.conn.last_insert_rowid())
            }
            Some(id) => {
                let changed = self
                    .conn
                    .execute(
                        "UPDATE filtered_decks SET name = ?1, query = ?2, card_limit = ?3,
                             card_order = ?4, mode = ?5
                         WHERE id = ?6",
                        params![
                            name,
                            deck.query,
                            deck.limit,
                            deck.order.as_str(),
                            deck.mode.as_str(),
                            id
                        ],
                    )
                    .map_err(|e| self.err(e))?;
                if changed == 0 {
                    return Err(StoreError::NotFound(format!("filtered deck {id}")));
                }
                Ok(id)
            }
        }
    }

    pub fn delete_filtered_deck(&mut self, id: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM filtered_decks WHERE id = ?1", [id])
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Suspends or unsuspends cards, in one transaction.
    pub fn set_suspended(&mut self, ids: &[i64], suspended: bool) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare("UPDATE cards SET suspended = ?2 WHERE id = ?1")?;
            for id in ids {
                stmt.execute(params![id, suspended])?;
            }
            Ok(())
        })
    }

    /// Makes cards new again (their review history is kept, and the reset is recorded at
    /// `at`, RFC 3339), in one transaction.
    pub fn reset_to_new(&mut self, ids: &[i64], at: &str) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare(
                "UPDATE cards SET is_new = 1, repetitions = 0, ease = 2.5, interval_days = 0,
                     due_day = NULL, lapses = 0, last_review_day = NULL, repeat_pending = 0,
                     stability = 0, difficulty = 0
                 WHERE id = ?1",
            )?;
            let mut record =
                tx.prepare("INSERT INTO card_resets (card_id, reset_at) VALUES (?1, ?2)")?;
            for id in ids {
                stmt.execute([id])?;
                record.execute(rusqlite::params![id, at])?;
            }
            Ok(())
        })
    }

    /// When a card was made new again, oldest first (RFC 3339).
    pub fn resets(&self, card_id: i64) -> Result<Vec<String>> {
        self.rows(
            "SELECT reset_at FROM card_resets WHERE card_id = ?1 ORDER BY id",
            [card_id],
            |r| r.get(0),
        )
    }

    /// Every card's resets as (card id, when), oldest first.
    pub fn all_resets(&self) -> Result<Vec<(i64, String)>> {
        self.rows(
            "SELECT card_id, reset_at FROM card_resets ORDER BY id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }
}
