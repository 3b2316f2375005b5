//! The search AST compiled to parameterised SQL: no user text is ever spliced into the SQL.

use chrono::NaiveDate;
use rusqlite::types::Value;

use crate::model::card::{LEECH_TAG, day_number};
use crate::model::search::{self, CardIs, Cmp, Prop, Query};

use super::Matcher;

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

pub(in crate::store) fn param(params: &mut Vec<Value>, v: Value) -> String {
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
    // A leech carries the tag without its fact having it.
    let leech = m.matches(LEECH_TAG).then_some("leech = 1");
    let tagged = (!names.is_empty()).then(|| {
        let list = serde_json::to_string(&names).unwrap_or_default();
        let list = param(&mut c.params, Value::Text(list));
        format!(
            "id IN (SELECT card_id FROM card_tags
                    WHERE tag IN (SELECT value FROM json_each({list})))"
        )
    });
    match (tagged, leech) {
        (Some(t), Some(l)) => format!("({t} OR {l})"),
        (Some(t), None) => t,
        (None, Some(l)) => l.into(),
        (None, None) => "0".into(),
    }
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
