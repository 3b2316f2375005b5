//! What the statistics read: the per-day summary of the review log (`review_days`, kept in
//! the answer's and the undo's transaction), the study days with answers, cards due per day,
//! and one pass over the cards' states through the deck-counts index.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::rows::in_deck;
use super::rows::{self, review_kind};
use super::selection::{CardSelection, SelectionSql};
use super::{Result, Store};
use crate::model::card::ReviewKind;
use crate::model::card::{day_from_number, day_number};
use crate::model::stats::charts::{CHART_DAYS, LogCounts};
use crate::model::stats::{CardFields, DayRow, HEATMAP_DAYS, StatsInput, Tally};

/// The longest an answer counts in the statistics (a day; the literal in `SUMMARY_OF_LOG`):
/// whatever a log row says, sums of a lifetime of answers cannot overflow.
const MAX_ANSWER_MS: i64 = 86_400_000;

/// The summary's columns computed from the log rows `l` joined to their cards `c`.
const SUMMARY_OF_LOG: &str = "l.study_day AS study_day, c.deck AS deck, count(*) AS answers,
    sum(l.quality < 3) AS again,
    sum(min(max(l.time_taken_ms, 0), 86400000)) AS time_ms,
    sum(l.kind = 'review' AND l.interval_before < 21 AND l.quality >= 3) AS young_passed,
    sum(l.kind = 'review' AND l.interval_before < 21) AS young_reviews,
    sum(l.kind = 'review' AND l.interval_before >= 21 AND l.quality >= 3) AS mature_passed,
    sum(l.kind = 'review' AND l.interval_before >= 21) AS mature_reviews";

const SUMMARY_COLUMNS: &str = "study_day, deck, answers, again, time_ms, young_passed,
    young_reviews, mature_passed, mature_reviews";

/// Adds the log row `log_id` to its day's and deck's summary row (`sign` 1), or takes it away
/// (`sign` -1, before the row is deleted). Runs in the caller's transaction.
pub(super) fn count_answer(conn: &Connection, log_id: i64, sign: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO review_days ({SUMMARY_COLUMNS})
         SELECT study_day, deck, ?2 * answers, ?2 * again, ?2 * time_ms, ?2 * young_passed,
                ?2 * young_reviews, ?2 * mature_passed, ?2 * mature_reviews
         FROM (SELECT {SUMMARY_OF_LOG}
               FROM review_log l JOIN cards c ON c.id = l.card_id WHERE l.id = ?1)
         WHERE study_day IS NOT NULL
         ON CONFLICT (study_day, deck) DO UPDATE SET
             answers = answers + excluded.answers, again = again + excluded.again,
             time_ms = time_ms + excluded.time_ms,
             young_passed = young_passed + excluded.young_passed,
             young_reviews = young_reviews + excluded.young_reviews,
             mature_passed = mature_passed + excluded.mature_passed,
             mature_reviews = mature_reviews + excluded.mature_reviews"
    ))?
    .execute(rusqlite::params![log_id, sign])?;
    if sign < 0 {
        conn.prepare_cached(
            "DELETE FROM review_days WHERE answers = 0 AND (study_day, deck) =
                 (SELECT l.study_day, c.deck
                  FROM review_log l JOIN cards c ON c.id = l.card_id WHERE l.id = ?1)",
        )?
        .execute([log_id])?;
    }
    Ok(())
}

/// Recomputes the summary rows of these decks from the log (after cards moved between them),
/// or of every deck.
pub(super) fn recount_days(conn: &Connection, decks: Option<&[String]>) -> rusqlite::Result<()> {
    let Some(decks) = decks else {
        return conn.execute_batch(&format!(
            "DELETE FROM review_days;
             INSERT INTO review_days ({SUMMARY_COLUMNS})
             SELECT {SUMMARY_OF_LOG} FROM review_log l JOIN cards c ON c.id = l.card_id
             GROUP BY l.study_day, c.deck;"
        ));
    };
    for deck in decks {
        conn.execute("DELETE FROM review_days WHERE deck = ?1", [deck])?;
        conn.execute(
            &format!(
                "INSERT INTO review_days ({SUMMARY_COLUMNS})
                 SELECT {SUMMARY_OF_LOG}
                 FROM cards c JOIN review_log l ON l.card_id = c.id
                 WHERE c.deck = ?1 GROUP BY l.study_day, c.deck"
            ),
            [deck],
        )?;
    }
    Ok(())
}

impl Store {
    /// Summary rows that differ from the log (missing, extra or wrong), as (day, deck).
    pub fn review_days_problems(&self) -> Result<Vec<(NaiveDate, String)>> {
        self.rows(
            &format!(
                "WITH fresh AS MATERIALIZED (
                     SELECT {SUMMARY_OF_LOG} FROM review_log l JOIN cards c ON c.id = l.card_id
                     GROUP BY l.study_day, c.deck)
                 SELECT study_day, deck FROM (
                     SELECT * FROM fresh EXCEPT SELECT {SUMMARY_COLUMNS} FROM review_days)
                 UNION
                 SELECT study_day, deck FROM (
                     SELECT {SUMMARY_COLUMNS} FROM review_days EXCEPT SELECT * FROM fresh)
                 ORDER BY 1, 2"
            ),
            [],
            |r| Ok((day_from_number(r.get(0)?), r.get(1)?)),
        )
    }

    /// Builds the per-day summary again from the log, in one transaction.
    pub fn rebuild_review_days(&mut self) -> Result<()> {
        self.write(|tx| Ok(recount_days(tx, None)?))
    }

    /// What the statistics of `scope` need, read in one read transaction.
    pub fn stats_input(&self, scope: CardSelection, today: NaiveDate) -> Result<StatsInput> {
        // The cards of the scope, as `FROM {cards}` with `params` (a deck's with ?1).
        let selected = self.selection_sql(scope, today, true)?;
        self.read(|conn| Ok(read_stats(conn, scope, &selected, today)?))
    }
}

/// [`Store::stats_input`] on one state of the collection.
fn read_stats(
    conn: &Connection,
    scope: CardSelection,
    selected: &SelectionSql,
    today: NaiveDate,
) -> rusqlite::Result<StatsInput> {
    let t = day_number(today);
    let (cards, params) = (selected.table(), &selected.params);
    let n = params.len();
    let with = |extra: Vec<Value>| params_from_iter(params.iter().cloned().chain(extra));
    // One pass over the scope's cards, which for a search also keeps each card's deck (its
    // log is counted by them; a deck's comes from the summary).
    let mut input = StatsInput::default();
    let mut decks = DecksById::default();
    tally_cards(conn, &cards, params, today, &mut input, &mut decks)?;
    // The answers by button and hour, and for a search each deck's answers per day and the
    // cards answered today, from one pass over the log (for a deck, over the charts' days).
    let search = matches!(scope, CardSelection::Matching(_));
    let (log, days_of_search) = scan_log(conn, &decks, today, search)?;
    input.log = log;
    let (all_days, cards_today) = match scope {
        CardSelection::Deck(deck) => (
            rows::collect(
                conn,
                &format!(
                    "SELECT {SUMMARY_COLUMNS} FROM review_days WHERE {}",
                    in_deck(deck)
                ),
                [deck],
                |r| {
                    let tally = |i| -> rusqlite::Result<Tally> {
                        Ok(Tally {
                            passed: r.get(i)?,
                            reviews: r.get(i + 1)?,
                        })
                    };
                    Ok(DayRow {
                        day: day_from_number(r.get(0)?),
                        deck: r.get(1)?,
                        answers: r.get(2)?,
                        again: r.get(3)?,
                        // Read as a float: a summary written before sums were bounded may
                        // hold one (an integer sum that overflowed).
                        time_ms: r.get::<_, f64>(4)?.max(0.0) as u64,
                        young: tally(5)?,
                        mature: tally(7)?,
                    })
                },
            )?,
            conn.query_row(
                &format!(
                    "SELECT count(DISTINCT l.card_id)
                     FROM review_log l JOIN {cards} c ON c.id = l.card_id
                     WHERE l.study_day = ?{}",
                    n + 1
                ),
                with(vec![Value::Integer(t)]),
                |r| r.get(0),
            )?,
        ),
        CardSelection::Matching(_) => days_of_search,
    };
    let study_days: Vec<NaiveDate> = all_days
        .iter()
        .map(|r| r.day)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let reviews_total = all_days.iter().map(|r| r.answers).sum();
    let since = day_from_number(t - i64::from(HEATMAP_DAYS));
    let days = all_days.into_iter().filter(|r| r.day > since).collect();
    let due = rows::collect(
        conn,
        &format!(
            "SELECT due_day, count(*) FROM {cards}
             WHERE is_new = 0 AND retired = 0 AND suspended = 0 AND due_day < ?{}
             GROUP BY due_day",
            n + 1
        ),
        with(vec![Value::Integer(
            t + i64::from(crate::model::stats::FORECAST_DAYS),
        )]),
        |r| Ok((day_from_number(r.get(0)?), r.get(1)?)),
    )?;
    Ok(StatsInput {
        days,
        study_days,
        cards_today,
        reviews_total,
        due,
        ..input
    })
}

/// One pass over the log, counting the answers to the cards in `decks`: by button and hour
/// over the charts' days, and with `days` each deck's answers per day and the cards answered
/// on `today` (for a search, which the per-day summary cannot answer). The log is read in
/// order, each row's card looked up in `decks`. (Joined in SQL, the log was read through its
/// card index, or each answer looked up its card's deck: 2-7 s per query at 1 000 000
/// answers.)
fn scan_log(
    conn: &Connection,
    decks: &DecksById,
    today: NaiveDate,
    days: bool,
) -> rusqlite::Result<(LogCounts, (Vec<DayRow>, u32))> {
    let mut log = LogCounts::default();
    let mut by_day: HashMap<(i64, usize), DayRow> = HashMap::new();
    let mut today_cards = std::collections::HashSet::new();
    let t = day_number(today);
    let charts_since = t - i64::from(CHART_DAYS);
    let mut stmt = conn.prepare(&format!(
        "SELECT card_id, study_day, quality, time_taken_ms, kind, interval_before,
                CAST(substr(reviewed_at, 12, 2) AS INTEGER)
         FROM review_log {}",
        if days {
            "NOT INDEXED"
        } else {
            "WHERE study_day > ?1"
        }
    ))?;
    let mut rows = if days {
        stmt.query([])?
    } else {
        stmt.query([charts_since])?
    };
    while let Some(r) = rows.next()? {
        let card: i64 = r.get(0)?;
        let Some((deck, name)) = decks.of(card) else {
            continue;
        };
        let day: i64 = r.get(1)?;
        let quality: u8 = r.get(2)?;
        let kind = review_kind(r.get_ref(4)?.as_str()?, 4)?;
        let interval_before: i64 = r.get(5)?;
        if day > charts_since && day <= t {
            log.count(quality, kind, interval_before, r.get(6)?);
        }
        if !days {
            continue;
        }
        if day == t {
            today_cards.insert(card);
        }
        let row = by_day.entry((day, deck)).or_insert_with(|| DayRow {
            day: day_from_number(day),
            deck: name.to_string(),
            ..DayRow::default()
        });
        row.count(
            quality,
            r.get::<_, i64>(3)?.clamp(0, MAX_ANSWER_MS).unsigned_abs(),
            kind == ReviewKind::Review,
            interval_before,
        );
    }
    let mut by_day: Vec<DayRow> = by_day.into_values().collect();
    by_day.sort_by(|a, b| (a.day, &a.deck).cmp(&(b.day, &b.deck)));
    let cards_today = u32::try_from(today_cards.len()).unwrap_or(u32::MAX);
    Ok((log, (by_day, cards_today)))
}

/// One pass over the scope's cards in deck order, reading only the deck-counts index.
fn tally_cards(
    conn: &Connection,
    cards: &str,
    params: &[Value],
    today: NaiveDate,
    input: &mut StatsInput,
    decks: &mut DecksById,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT deck, retired, suspended, is_new, repetitions, repeat_pending,
                last_review_day, interval_days, ease, id, added_day
         FROM {cards} ORDER BY deck"
    ))?;
    let mut rows = stmt.query(params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let last: Option<i64> = r.get(6)?;
        let card = CardFields {
            retired: r.get(1)?,
            suspended: r.get(2)?,
            is_new: r.get(3)?,
            repetitions: r.get(4)?,
            repeat_pending: r.get(5)?,
            last_review: last.map(day_from_number),
            interval: r.get(7)?,
            ease: r.get(8)?,
            added: day_from_number(r.get(10)?),
        };
        let deck = r.get_ref(0)?.as_str()?;
        input.cards.add(deck, &card, today);
        decks.add(r.get(9)?, deck);
    }
    Ok(())
}

/// Cards' decks by card id, filled in deck order. (A map, not a table indexed by id: a
/// damaged or hand-made collection may hold any id.)
#[derive(Default)]
struct DecksById {
    names: Vec<String>,
    /// Index into `names` by card id (FxHash: 1 000 000 lookups per pass over the log).
    of: rustc_hash::FxHashMap<i64, usize>,
}

impl DecksById {
    fn add(&mut self, id: i64, deck: &str) {
        if self.names.last().is_none_or(|last| last != deck) {
            self.names.push(deck.to_string());
        }
        self.of.insert(id, self.names.len() - 1);
    }

    /// The card's deck, as an index and a name, when it is in the scope.
    fn of(&self, id: i64) -> Option<(usize, &str)> {
        let i = *self.of.get(&id)?;
        Some((i, self.names.get(i)?.as_str()))
    }
}
