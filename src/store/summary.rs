//! The per-day summary of the review log (`review_days`): one row per study day and deck, kept
//! in the answer's and the undo's transaction, so that the statistics never read the log for
//! a deck. Its columns, and how each is computed from the log, are defined here once.

use std::sync::LazyLock;

use chrono::NaiveDate;
use rusqlite::{Connection, Row};

use super::{Result, Store};
use crate::model::card::day_from_number;
use crate::model::stats::charts::ChartCounts;
use crate::model::stats::{DayRow, Tally};

/// The longest an answer counts in the statistics (a day; the literal in the time column):
/// whatever a log row says, sums of a lifetime of answers cannot overflow.
pub(super) const MAX_ANSWER_MS: i64 = 86_400_000;

/// The columns every row has, with their sums over the log rows `l` joined to their cards `c`.
/// Young and mature count a day's first review of a learned card, by the interval before it.
const BASE: [(&str, &str); 9] = [
    ("study_day", "l.study_day"),
    ("deck", "c.deck"),
    ("answers", "count(*)"),
    ("again", "sum(l.quality < 3)"),
    ("time_ms", "sum(min(max(l.time_taken_ms, 0), 86400000))"),
    (
        "young_passed",
        "sum(l.kind = 'review' AND l.interval_before < 21 AND l.quality >= 3)",
    ),
    (
        "young_reviews",
        "sum(l.kind = 'review' AND l.interval_before < 21)",
    ),
    (
        "mature_passed",
        "sum(l.kind = 'review' AND l.interval_before >= 21 AND l.quality >= 3)",
    ),
    (
        "mature_reviews",
        "sum(l.kind = 'review' AND l.interval_before >= 21)",
    ),
];

/// What an answer was for the button chart (`model::stats::charts::AnswerClass`, in its
/// order): learning (a new card's first answer, a same-day repeat), young, mature. Cram
/// answers are in none.
const CLASSES: [(&str, &str); 3] = [
    ("l", "l.kind IN ('new', 'repeat')"),
    ("y", "l.kind = 'review' AND l.interval_before < 21"),
    ("m", "l.kind = 'review' AND l.interval_before >= 21"),
];

/// The local hour of an answer, from its RFC 3339 time (`YYYY-MM-DDTHH:…`).
const HOUR: &str = "CAST(substr(l.reviewed_at, 12, 2) AS INTEGER)";

/// Every column (name, sum over the log): the base ones, then answers by class and grade
/// (`g_l0` … `g_m5`), answers by hour (`h00` … `h23`) and passed answers by hour (`p00` …).
static COLUMNS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut columns: Vec<(String, String)> = BASE
        .iter()
        .map(|(name, sum)| (name.to_string(), sum.to_string()))
        .collect();
    for (class, when) in CLASSES {
        for grade in 0..=5 {
            columns.push((
                format!("g_{class}{grade}"),
                format!("sum({when} AND l.quality = {grade})"),
            ));
        }
    }
    for hour in 0..24 {
        columns.push((format!("h{hour:02}"), format!("sum({HOUR} = {hour})")));
    }
    for hour in 0..24 {
        columns.push((
            format!("p{hour:02}"),
            format!("sum({HOUR} = {hour} AND l.quality >= 3)"),
        ));
    }
    columns
});

/// The summary's column names, in order.
pub(super) fn columns() -> &'static str {
    static NAMES: LazyLock<String> = LazyLock::new(|| {
        COLUMNS
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    });
    &NAMES
}

/// The summary's columns computed from the log rows `l` joined to their cards `c` (to be
/// grouped by day and deck).
fn of_log() -> &'static str {
    static OF_LOG: LazyLock<String> = LazyLock::new(|| {
        COLUMNS
            .iter()
            .map(|(name, sum)| format!("{sum} AS {name}"))
            .collect::<Vec<_>>()
            .join(", ")
    });
    &OF_LOG
}

/// The day-row columns of the summary, to read with [`day_row`].
pub(super) fn day_columns() -> &'static str {
    static NAMES: LazyLock<String> = LazyLock::new(|| {
        BASE.iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    });
    &NAMES
}

/// A summary row read with [`day_columns`] (the time read as a float: a summary written
/// before sums were bounded may hold one, an integer sum that overflowed).
pub(super) fn day_row(r: &Row) -> rusqlite::Result<DayRow> {
    let tally = |i: usize| -> rusqlite::Result<Tally> {
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
        time_ms: r.get::<_, f64>(4)?.max(0.0) as u64,
        young: tally(5)?,
        mature: tally(7)?,
    })
}

/// The chart columns summed over the summary rows selected, to read with [`chart_counts`]:
/// one row, whatever the number of days and decks.
pub(super) fn chart_sums() -> &'static str {
    static SUMS: LazyLock<String> = LazyLock::new(|| {
        COLUMNS[BASE.len()..]
            .iter()
            .map(|(name, _)| format!("coalesce(sum({name}), 0)"))
            .collect::<Vec<_>>()
            .join(", ")
    });
    &SUMS
}

/// The row of [`chart_sums`].
pub(super) fn chart_counts(r: &Row) -> rusqlite::Result<ChartCounts> {
    let mut c = ChartCounts::default();
    for class in 0..CLASSES.len() {
        for grade in 0..6 {
            c.grades[grade][class] = r.get(class * 6 + grade)?;
        }
    }
    let hours = CLASSES.len() * 6;
    for hour in 0..24 {
        c.hours[hour] = Tally {
            reviews: r.get(hours + hour)?,
            passed: r.get(hours + 24 + hour)?,
        };
    }
    Ok(c)
}

/// Adds the log row `log_id` to its day's and deck's summary row (`sign` 1), or takes it away
/// (`sign` -1, before the row is deleted). Runs in the caller's transaction.
pub(super) fn count_answer(conn: &Connection, log_id: i64, sign: i64) -> rusqlite::Result<()> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let counts = &COLUMNS[2..];
        let signed: Vec<String> = counts.iter().map(|(n, _)| format!("?2 * {n}")).collect();
        let added: Vec<String> = counts
            .iter()
            .map(|(n, _)| format!("{n} = {n} + excluded.{n}"))
            .collect();
        format!(
            "INSERT INTO review_days ({})
             SELECT study_day, deck, {}
             FROM (SELECT {} FROM review_log l JOIN cards c ON c.id = l.card_id WHERE l.id = ?1)
             WHERE study_day IS NOT NULL
             ON CONFLICT (study_day, deck) DO UPDATE SET {}",
            columns(),
            signed.join(", "),
            of_log(),
            added.join(", ")
        )
    });
    conn.prepare_cached(&SQL)?
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
    let (columns, of_log) = (columns(), of_log());
    let Some(decks) = decks else {
        return conn.execute_batch(&format!(
            "DELETE FROM review_days;
             INSERT INTO review_days ({columns})
             SELECT {of_log} FROM review_log l JOIN cards c ON c.id = l.card_id
             GROUP BY l.study_day, c.deck;"
        ));
    };
    for deck in decks {
        conn.execute("DELETE FROM review_days WHERE deck = ?1", [deck])?;
        conn.execute(
            &format!(
                "INSERT INTO review_days ({columns})
                 SELECT {of_log}
                 FROM cards c JOIN review_log l ON l.card_id = c.id
                 WHERE c.deck = ?1 GROUP BY l.study_day, c.deck"
            ),
            [deck],
        )?;
    }
    Ok(())
}

/// Counts the summary rows of `decks` on `days` (day numbers) again from the log.
pub(super) fn recount_deck_days(
    conn: &Connection,
    decks: &[String],
    days: &[i64],
) -> rusqlite::Result<()> {
    let (columns, of_log) = (columns(), of_log());
    let mut forget = conn.prepare("DELETE FROM review_days WHERE deck = ?1 AND study_day = ?2")?;
    let mut count = conn.prepare(&format!(
        "INSERT INTO review_days ({columns})
         SELECT {of_log}
         FROM review_log l JOIN cards c ON c.id = l.card_id
         WHERE l.study_day = ?2 AND c.deck = ?1 GROUP BY l.study_day, c.deck"
    ))?;
    for deck in decks {
        for day in days {
            forget.execute(rusqlite::params![deck, day])?;
            count.execute(rusqlite::params![deck, day])?;
        }
    }
    Ok(())
}

impl Store {
    /// Summary rows that differ from the log (missing, extra or wrong), as (day, deck).
    pub fn review_days_problems(&self) -> Result<Vec<(NaiveDate, String)>> {
        let (columns, of_log) = (columns(), of_log());
        self.rows(
            &format!(
                "WITH fresh AS MATERIALIZED (
                     SELECT {of_log} FROM review_log l JOIN cards c ON c.id = l.card_id
                     GROUP BY l.study_day, c.deck)
                 SELECT study_day, deck FROM (
                     SELECT * FROM fresh EXCEPT SELECT {columns} FROM review_days)
                 UNION
                 SELECT study_day, deck FROM (
                     SELECT {columns} FROM review_days EXCEPT SELECT * FROM fresh)
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
}
