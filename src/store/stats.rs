//! What the statistics read: for a deck the per-day summary of the review log (`summary.rs`),
//! for a search one pass over the log; the study days with answers, cards due per day, and one
//! pass over the cards' states through the deck-counts index.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::rows::in_deck;
use super::rows::{self, review_kind};
use super::selection::{CardSelection, SelectionSql};
use super::summary::{self, MAX_ANSWER_MS};
use super::{Result, Store};
use crate::model::card::{day_from_number, day_number};
use crate::model::stats::charts::{CHART_DAYS, ChartCounts};
use crate::model::stats::{CardFields, DayRow, HEATMAP_DAYS, StatsInput};

impl Store {
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
    let mut decks = matches!(scope, CardSelection::Matching(_)).then(DecksById::default);
    tally_cards(conn, &cards, params, today, &mut input, decks.as_mut())?;
    let (all_days, cards_today) = match scope {
        CardSelection::Deck(deck) => (
            rows::collect(
                conn,
                &format!(
                    "SELECT {} FROM review_days WHERE {}",
                    summary::day_columns(),
                    in_deck(deck)
                ),
                [deck],
                summary::day_row,
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
        CardSelection::Matching(_) => {
            let (days, cards, charts) = days_of_cards(conn, &decks.unwrap_or_default(), today)?;
            input.charts = charts;
            (days, cards)
        }
    };
    // A deck's charts: its summary rows of the charts' days, summed in one row.
    if let CardSelection::Deck(deck) = scope {
        input.charts = conn.query_row(
            &format!(
                "SELECT {} FROM review_days WHERE {} AND study_day > ?2 AND study_day <= ?3",
                summary::chart_sums(),
                in_deck(deck)
            ),
            rusqlite::params![deck, t - i64::from(CHART_DAYS), t],
            summary::chart_counts,
        )?;
    }
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

/// The answers per day and deck of the cards in `decks`, how many of them were answered on
/// `today`, and the charts' counts, from one pass over the log: each log row counts if its
/// card is one of them.
/// (Joined in SQL, the log was read through its card index, or each answer looked up its
/// card's deck: 2-7 s per query at 1 000 000 answers.)
fn days_of_cards(
    conn: &Connection,
    decks: &DecksById,
    today: NaiveDate,
) -> rusqlite::Result<(Vec<DayRow>, u32, ChartCounts)> {
    let mut days: HashMap<(i64, usize), DayRow> = HashMap::new();
    let mut charts = ChartCounts::default();
    let mut today_cards = std::collections::HashSet::new();
    let t = day_number(today);
    let mut stmt = conn.prepare(
        "SELECT card_id, study_day, quality, time_taken_ms, kind, interval_before,
                CAST(substr(reviewed_at, 12, 2) AS INTEGER)
         FROM review_log NOT INDEXED",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let card: i64 = r.get(0)?;
        let Some((deck, name)) = decks.of(card) else {
            continue;
        };
        let day: i64 = r.get(1)?;
        if day == t {
            today_cards.insert(card);
        }
        let (quality, kind, interval_before) = (
            r.get(2)?,
            review_kind(r.get_ref(4)?.as_str()?, 4)?,
            r.get(5)?,
        );
        if day > t - i64::from(CHART_DAYS) && day <= t {
            charts.count(quality, kind, interval_before, r.get(6)?);
        }
        let row = days.entry((day, deck)).or_insert_with(|| DayRow {
            day: day_from_number(day),
            deck: name.to_string(),
            ..DayRow::default()
        });
        row.count(
            quality,
            r.get::<_, i64>(3)?.clamp(0, MAX_ANSWER_MS).unsigned_abs(),
            kind,
            interval_before,
        );
    }
    let mut days: Vec<DayRow> = days.into_values().collect();
    days.sort_by(|a, b| (a.day, &a.deck).cmp(&(b.day, &b.deck)));
    let cards_today = u32::try_from(today_cards.len()).unwrap_or(u32::MAX);
    Ok((days, cards_today, charts))
}

/// One pass over the scope's cards in deck order, reading only the deck-counts index.
fn tally_cards(
    conn: &Connection,
    cards: &str,
    params: &[Value],
    today: NaiveDate,
    input: &mut StatsInput,
    mut decks: Option<&mut DecksById>,
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
        if let Some(decks) = decks.as_deref_mut() {
            decks.add(r.get(9)?, deck);
        }
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
