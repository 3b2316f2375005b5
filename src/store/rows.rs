//! Row mapping and SQL fragments every other file of the store shares: the columns of a card
//! and of a log row, a row as a card or a log entry, and the SQL that splits tags, lists
//! distinct names and fills the search indexes.

use chrono::NaiveDate;
use rusqlite::{Connection, Row};

use crate::model::card::{LogEntry, ReviewKind, StoredCard, day_from_number};
use crate::model::schedule::CardState;

/// A card's tags as the learner sees them: those of its fact, and `leech` on a leech (as Anki
/// tags its own leeches), once. A macro, to be part of the constants below.
macro_rules! tags_sql {
    () => {
        "CASE WHEN leech = 1 AND instr(' ' || tags || ' ', ' leech ') = 0 \
         THEN trim(tags || ' leech') ELSE tags END"
    };
}

/// [`tags_sql`] for a query of its own.
pub(super) const TAGS: &str = tags_sql!();

pub(super) const CARD_COLUMNS: &str = concat!(
    "id, key, deck, front, back, note, ",
    tags_sql!(),
    ", retired, suspended, is_new, repetitions, ease, interval_days, due_day, lapses, \
     last_review_day, repeat_pending, added_day, source, stability, difficulty, leech, flag, \
     source_url"
);

/// The condition for cards of `deck` and its `::` children, the deck bound as ?1: for ""
/// (every deck) one that is always true, so that it leaves the choice of index to the rest
/// of the query (an `?1 = '' OR …` kept SQLite from seeking any).
pub(super) fn in_deck(deck: &str) -> &'static str {
    if deck.is_empty() {
        "(?1 = '')"
    } else {
        "(deck = ?1 OR substr(deck, 1, length(?1) + 2) = ?1 || '::')"
    }
}

pub(super) fn card_from_row(r: &Row) -> rusqlite::Result<StoredCard> {
    let tags: String = r.get(6)?;
    let due: Option<i64> = r.get(13)?;
    let last: Option<i64> = r.get(15)?;
    Ok(StoredCard {
        id: r.get(0)?,
        key: r.get(1)?,
        deck: r.get(2)?,
        front: r.get(3)?,
        back: r.get(4)?,
        note: r.get(5)?,
        tags: tags.split_whitespace().map(str::to_string).collect(),
        retired: r.get(7)?,
        suspended: r.get(8)?,
        added: day_from_number(r.get(17)?),
        source: r.get(18)?,
        source_url: r.get(23)?,
        state: CardState {
            is_new: r.get(9)?,
            repetitions: r.get(10)?,
            ease: r.get(11)?,
            interval: r.get(12)?,
            due: due.map_or(NaiveDate::MIN, day_from_number),
            lapses: r.get(14)?,
            last_review: last.map(day_from_number),
            repeat_pending: r.get(16)?,
            stability: r.get(19)?,
            difficulty: r.get(20)?,
        },
        leech: r.get(21)?,
        flag: r.get(22)?,
    })
}

pub(super) fn log_from_row(r: &Row) -> rusqlite::Result<LogEntry> {
    let kind: String = r.get(5)?;
    Ok(LogEntry {
        id: r.get(0)?,
        card_id: r.get(1)?,
        reviewed_at: r.get(2)?,
        study_day: day_from_number(r.get(3)?),
        quality: r.get(4)?,
        kind: review_kind(&kind, 5)?,
        time_taken_ms: u64::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
        ease_before: r.get(7)?,
        ease_after: r.get(8)?,
        interval_before: r.get(9)?,
        interval_after: r.get(10)?,
    })
}

pub(super) const LOG_COLUMNS: &str = "id, card_id, reviewed_at, study_day, quality, kind, time_taken_ms, \
     ease_before, ease_after, interval_before, interval_after";

/// A stored review kind; an unknown one is a conversion error of column `col`.
pub(super) fn review_kind(name: &str, col: usize) -> rusqlite::Result<ReviewKind> {
    ReviewKind::parse(name).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            col,
            rusqlite::types::Type::Text,
            format!("unknown review kind \"{name}\"").into(),
        )
    })
}

/// Runs a query (through the statement cache) and collects its rows.
pub(super) fn collect<T>(
    conn: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
    row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    conn.prepare_cached(sql)?.query_map(args, row)?.collect()
}

/// One card by id, through the statement cache (the answer path reads it twice per answer).
pub(super) fn card_by_id(conn: &Connection, id: i64) -> rusqlite::Result<StoredCard> {
    conn.prepare_cached(&format!("SELECT {CARD_COLUMNS} FROM cards WHERE id = ?1"))?
        .query_row([id], card_from_row)
}

/// `split (card_id, tag, rest)`, a recursive common table expression of the tags of the
/// cards `cards` selects (a condition on `cards`): the stored space-separated list split at
/// its spaces, one row per tag where `tag <> ''`.
pub(super) fn split_tags(cards: &str) -> String {
    format!(
        "split (card_id, tag, rest) AS (
             SELECT id, '', tags || ' ' FROM cards WHERE {cards}
             UNION ALL
             SELECT card_id, substr(rest, 1, instr(rest, ' ') - 1),
                 substr(rest, instr(rest, ' ') + 1)
             FROM split WHERE rest <> ''
         )"
    )
}

/// `names (name)`, a recursive common table expression of the distinct values of an indexed
/// column (`table` and `column` are this code's names, never user text), each found by
/// seeking past the one before: a few dozen seeks for a few dozen decks, not a scan. Its
/// last row is NULL.
pub(super) fn distinct_names(table: &str, column: &str) -> String {
    format!(
        "names (name) AS (
             SELECT min({column}) FROM {table}
             UNION ALL
             SELECT (SELECT min({column}) FROM {table} WHERE {column} > names.name)
             FROM names WHERE names.name IS NOT NULL
         )"
    )
}

/// Inserts the full-text index entries of the cards `cards` selects.
pub(super) fn index_text(cards: &str) -> String {
    format!(
        "INSERT INTO cards_text (rowid, front, back)
         SELECT id, aw_fold(front), aw_fold(back) FROM cards WHERE {cards}"
    )
}

/// Inserts the tag rows of the cards `cards` selects.
pub(super) fn index_tags(cards: &str) -> String {
    format!(
        "WITH RECURSIVE {} INSERT OR IGNORE INTO card_tags (tag, card_id)
             SELECT tag, card_id FROM split WHERE tag <> ''",
        split_tags(cards)
    )
}
