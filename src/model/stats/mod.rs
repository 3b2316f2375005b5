//! Statistics as pure functions of what the store aggregates: each deck's answers per study
//! day (from the review log), the study days with answers, cards due per day, and one pass
//! over the cards' states. Days are study days (the rollover hour is applied when an answer
//! is recorded), written `YYYY-MM-DD` in JSON.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use super::card::{ReviewKind, Stats};
use super::schedule::Grading;

pub mod calendar;
pub mod charts;
pub use calendar::{Forecast, ForecastDay, HeatCell, HeatmapGrid, forecast, heatmap_grid};
use charts::{AddedDay, ButtonCounts, ChartCounts, HourCounts, Intervals, RetentionRow};

/// A card is mature once its interval reaches this many days (as in Anki); young before.
pub const MATURE_DAYS: u32 = 21;
/// How far back the review heatmap reaches (the last 12 months, today included).
pub const HEATMAP_DAYS: u32 = 365;
/// How far ahead the forecast reaches (its 1-year view; the short view shows 30 days).
pub const FORECAST_DAYS: u32 = 365;

/// A share as a percentage with one decimal: "90.2%".
pub fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

/// A count with its thousands apart, as Anki writes them: "1 000 300".
pub fn thousands(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A count of things, its thousands apart: "1 card", "2 cards", "1 000 cards".
pub fn count_of(n: impl Into<u64>, thing: &str) -> String {
    match n.into() {
        1 => format!("1 {thing}"),
        n => format!("{} {thing}s", thousands(n)),
    }
}

/// Passed answers out of reviews: one cell of the retention table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub passed: u32,
    pub reviews: u32,
}

impl Tally {
    /// The share passed, or None when there was nothing to pass.
    pub fn rate(self) -> Option<f64> {
        (self.reviews > 0).then(|| f64::from(self.passed) / f64::from(self.reviews))
    }

    fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.reviews += other.reviews;
    }
}

impl Serialize for Tally {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown {
            passed: u32,
            reviews: u32,
            rate: Option<f64>,
        }
        Shown {
            passed: self.passed,
            reviews: self.reviews,
            rate: self.rate(),
        }
        .serialize(s)
    }
}

/// One deck's answers on one study day: a row of the store's per-day summary of the log.
/// Young and mature count only a day's first review of a learned card (not new cards, not
/// same-day repeats, not cram), split by the interval before the answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DayRow {
    pub day: NaiveDate,
    pub deck: String,
    pub answers: u32,
    /// Answers graded below 3 (Again, or 0-2 in six-grade mode).
    pub again: u32,
    pub time_ms: u64,
    pub young: Tally,
    pub mature: Tally,
}

impl DayRow {
    /// Counts one answer into its day's row: the rule `review_days` is kept by (its SQL is in
    /// `store::stats`). Only review answers (not new cards, repeats or cram) count towards
    /// retention, as young or mature by the interval before the answer.
    pub fn count(&mut self, quality: u8, time_ms: u64, kind: ReviewKind, interval_before: i64) {
        let passed = u32::from(quality >= 3);
        self.answers += 1;
        self.again += 1 - passed;
        self.time_ms = self.time_ms.saturating_add(time_ms);
        if kind == ReviewKind::Review {
            let tally = if interval_before < i64::from(MATURE_DAYS) {
                &mut self.young
            } else {
                &mut self.mature
            };
            tally.reviews += 1;
            tally.passed += passed;
        }
    }
}

/// Retention over the last 7, 30 and 365 study days (today included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Windows {
    pub days_7: Tally,
    pub days_30: Tally,
    pub days_365: Tally,
}

impl Windows {
    pub const DAYS: [u32; 3] = [7, 30, 365];

    pub fn get(&self, i: usize) -> Tally {
        [self.days_7, self.days_30, self.days_365]
            .get(i)
            .copied()
            .unwrap_or_default()
    }

    fn add(&mut self, days_ago: i64, t: Tally) {
        for (window, tally) in
            Self::DAYS
                .iter()
                .zip([&mut self.days_7, &mut self.days_30, &mut self.days_365])
        {
            if days_ago < i64::from(*window) {
                tally.add(t);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Retention {
    pub young: Windows,
    pub mature: Windows,
}

/// Retention of one deck (with its children).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeckRetention {
    pub deck: String,
    pub retention: Retention,
}

/// Retention from the day rows (any days outside the last 365, or after today, are ignored).
pub fn retention<'a>(rows: impl IntoIterator<Item = &'a DayRow>, today: NaiveDate) -> Retention {
    let mut r = Retention::default();
    for row in rows {
        let ago = (today - row.day).num_days();
        if ago < 0 {
            continue;
        }
        r.young.add(ago, row.young);
        r.mature.add(ago, row.mature);
    }
    r
}

/// Retention per top-level deck and per deck one level below (such as
/// "AWS Big Data::Instance families"), in name order, each with its children's answers.
pub fn retention_by_deck(rows: &[DayRow], today: NaiveDate) -> Vec<DeckRetention> {
    let mut by_deck: BTreeMap<&str, Vec<&DayRow>> = BTreeMap::new();
    for row in rows {
        let mut parts = row.deck.match_indices("::").map(|(i, _)| i);
        let top = parts.next().map_or(row.deck.as_str(), |i| &row.deck[..i]);
        let second = parts.next().map_or(row.deck.as_str(), |i| &row.deck[..i]);
        by_deck.entry(top).or_default().push(row);
        if second != top {
            by_deck.entry(second).or_default().push(row);
        }
    }
    by_deck
        .into_iter()
        .map(|(deck, rows)| DeckRetention {
            deck: deck.to_string(),
            retention: retention(rows, today),
        })
        .collect()
}

/// What today's answers add up to.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Today {
    pub answers: u32,
    /// Distinct cards answered.
    pub cards: u32,
    pub time_ms: u64,
    /// Share of today's answers graded below 3; None before the first answer.
    pub again_rate: Option<f64>,
}

pub fn today_summary(rows: &[DayRow], cards: u32, today: NaiveDate) -> Today {
    let (answers, again, time_ms) = rows
        .iter()
        .filter(|r| r.day == today)
        .fold((0, 0, 0u64), |(a, g, t), r| {
            (a + r.answers, g + r.again, t.saturating_add(r.time_ms))
        });
    Today {
        answers,
        cards,
        time_ms,
        again_rate: (answers > 0).then(|| f64::from(again) / f64::from(answers)),
    }
}

/// Answers per study day, summed over decks.
pub fn answers_per_day(rows: &[DayRow]) -> BTreeMap<NaiveDate, u32> {
    let mut days = BTreeMap::new();
    for r in rows {
        *days.entry(r.day).or_insert(0) += r.answers;
    }
    days
}

/// The current streak (consecutive study days with answers, ending today, or yesterday while
/// today has none yet: the day is not over) and the longest one. `days` are the study days with
/// answers, in any order; days after today (a clock once set ahead) are ignored.
pub fn streaks(days: &[NaiveDate], today: NaiveDate) -> (u32, u32) {
    let mut days: Vec<NaiveDate> = days.iter().copied().filter(|d| *d <= today).collect();
    days.sort_unstable();
    days.dedup();
    let (mut longest, mut run) = (0u32, 0u32);
    let mut previous: Option<NaiveDate> = None;
    for day in &days {
        run = match previous {
            Some(p) if p.succ_opt() == Some(*day) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(*day);
    }
    let yesterday = today.pred_opt().unwrap_or(today);
    let current = match previous {
        Some(last) if last == today || last == yesterday => run,
        _ => 0,
    };
    (current, longest)
}

/// What a card is, for the counts by state. Each card is in exactly one: retired first, then
/// suspended, then by its schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    New,
    /// Failed last time, or a same-day repeat pending.
    Learning,
    Young,
    Mature,
    Suspended,
    Retired,
}

/// The scheduling fields the state counts read, as stored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardFields {
    pub retired: bool,
    pub suspended: bool,
    pub is_new: bool,
    pub repetitions: u32,
    pub repeat_pending: bool,
    pub last_review: Option<NaiveDate>,
    pub interval: u32,
    pub ease: f64,
    pub added: NaiveDate,
}

impl CardFields {
    /// Failed last time, or a same-day repeat pending (the legacy counts' "learning").
    fn learning(&self, today: NaiveDate) -> bool {
        !self.is_new
            && (self.repetitions == 0
                || (self.repeat_pending && self.last_review.is_some_and(|d| d >= today)))
    }

    pub fn kind(&self, today: NaiveDate) -> CardKind {
        if self.retired {
            CardKind::Retired
        } else if self.suspended {
            CardKind::Suspended
        } else if self.is_new {
            CardKind::New
        } else if self.learning(today) {
            CardKind::Learning
        } else if self.interval < MATURE_DAYS {
            CardKind::Young
        } else {
            CardKind::Mature
        }
    }
}

/// Cards by state (each card in one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct StateCounts {
    pub new: u32,
    pub learning: u32,
    pub young: u32,
    pub mature: u32,
    pub suspended: u32,
    pub retired: u32,
}

impl StateCounts {
    pub fn total(&self) -> u32 {
        self.new + self.learning + self.young + self.mature + self.suspended + self.retired
    }

    fn count(&mut self, kind: CardKind) {
        let n = match kind {
            CardKind::New => &mut self.new,
            CardKind::Learning => &mut self.learning,
            CardKind::Young => &mut self.young,
            CardKind::Mature => &mut self.mature,
            CardKind::Suspended => &mut self.suspended,
            CardKind::Retired => &mut self.retired,
        };
        *n += 1;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeckStates {
    pub deck: String,
    #[serde(flatten)]
    pub counts: StateCounts,
}

/// Cards of one ease bucket: ease from `ease` to `ease + 0.1`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EaseBucket {
    pub ease: f64,
    pub cards: u32,
}

/// Counts cards one at a time, in deck order (as the store reads them), without keeping them:
/// the counts by state per deck, the ease histogram of cards in review (not new, not retired;
/// suspended ones too, as Anki's ease graph), and the legacy totals.
#[derive(Debug, Clone, Default)]
pub struct CardTally {
    pub decks: Vec<DeckStates>,
    /// Cards per tenth of ease: index 0 is 1.3 (SM-2's floor).
    ease_tenths: Vec<u32>,
    /// Learned cards by interval, as the ease histogram counts them.
    intervals: BTreeMap<u32, u32>,
    /// Cards (not retired) by the day they were added.
    added: BTreeMap<NaiveDate, u32>,
    legacy: Stats,
}

impl CardTally {
    pub fn add(&mut self, deck: &str, card: &CardFields, today: NaiveDate) {
        if self.decks.last().is_none_or(|d| d.deck != deck) {
            self.decks.push(DeckStates {
                deck: deck.to_string(),
                counts: StateCounts::default(),
            });
        }
        let kind = card.kind(today);
        if let Some(d) = self.decks.last_mut() {
            d.counts.count(kind);
        }
        if !card.retired && !card.is_new {
            let tenth = ((card.ease - 1.3) * 10.0 + 1e-6).floor().max(0.0) as usize;
            if self.ease_tenths.len() <= tenth {
                self.ease_tenths.resize(tenth + 1, 0);
            }
            if let Some(n) = self.ease_tenths.get_mut(tenth) {
                *n += 1;
            }
            *self.intervals.entry(card.interval).or_insert(0) += 1;
        }
        if !card.retired {
            *self.added.entry(card.added).or_insert(0) += 1;
        }
        let s = &mut self.legacy;
        if card.retired {
            s.retired += 1;
            return;
        }
        s.cards += 1;
        s.suspended += u32::from(card.suspended);
        if card.is_new {
            s.new += 1;
        } else if card.learning(today) {
            s.learning += 1;
        } else {
            s.review += 1;
        }
    }

    pub fn ease_histogram(&self) -> Vec<EaseBucket> {
        self.ease_tenths
            .iter()
            .enumerate()
            .map(|(i, n)| EaseBucket {
                ease: (13 + i) as f64 / 10.0,
                cards: *n,
            })
            .collect()
    }

    pub fn totals(&self) -> StateCounts {
        let mut t = StateCounts::default();
        for d in &self.decks {
            let c = d.counts;
            t.new += c.new;
            t.learning += c.learning;
            t.young += c.young;
            t.mature += c.mature;
            t.suspended += c.suspended;
            t.retired += c.retired;
        }
        t
    }
}

/// Everything `awscards stats` and the Stats screen show, for one scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatsReport {
    /// The counts `awscards stats` has always printed (a card in several: suspended cards
    /// also count as new, learning or review).
    #[serde(flatten)]
    pub counts: Stats,
    pub today: Today,
    pub streak_days: u32,
    pub longest_streak_days: u32,
    pub forecast: Vec<ForecastDay>,
    pub overdue: u32,
    pub heatmap: Vec<DayAnswers>,
    pub retention: Retention,
    pub retention_by_deck: Vec<DeckRetention>,
    pub states: StateCounts,
    pub states_by_deck: Vec<DeckStates>,
    pub ease_histogram: Vec<EaseBucket>,
    pub intervals: Intervals,
    /// Answers per button over the last [`charts::CHART_DAYS`], by what the card was.
    pub buttons: Vec<ButtonCounts>,
    /// Answers and passed answers per hour of the day over the last [`charts::CHART_DAYS`].
    pub hours: Vec<HourCounts>,
    /// Cards added per day over the last [`charts::CHART_DAYS`].
    pub added: Vec<AddedDay>,
    pub true_retention: Vec<RetentionRow>,
}

/// A day of the heatmap in JSON: a study day with answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayAnswers {
    pub day: NaiveDate,
    pub reviews: u32,
}

/// What the store reads for a report.
#[derive(Debug, Clone, Default)]
pub struct StatsInput {
    /// Per-deck answers per day over the last [`HEATMAP_DAYS`] (and today).
    pub days: Vec<DayRow>,
    /// Every study day with answers, for the streaks.
    pub study_days: Vec<NaiveDate>,
    /// Distinct cards answered today.
    pub cards_today: u32,
    pub reviews_total: u32,
    /// Review cards (not suspended, not retired) due per day.
    pub due: Vec<(NaiveDate, u32)>,
    pub cards: CardTally,
    /// The answers of the last [`charts::CHART_DAYS`] by button and by hour.
    pub charts: ChartCounts,
}

/// The report of `input` on study day `today`, its buttons named as `grading` names them.
pub fn report(input: StatsInput, today: NaiveDate, grading: Grading) -> StatsReport {
    let per_day = answers_per_day(&input.days);
    let (streak, longest) = streaks(&input.study_days, today);
    let forecast = forecast(&input.due, today, FORECAST_DAYS);
    let counts = Stats {
        reviews_total: input.reviews_total,
        reviews_today: per_day.get(&today).copied().unwrap_or(0),
        ..input.cards.legacy.clone()
    };
    StatsReport {
        counts,
        today: today_summary(&input.days, input.cards_today, today),
        streak_days: streak,
        longest_streak_days: longest,
        forecast: forecast.days,
        overdue: forecast.overdue,
        heatmap: per_day
            .range(..=today)
            .map(|(day, n)| DayAnswers {
                day: *day,
                reviews: *n,
            })
            .collect(),
        retention: retention(&input.days, today),
        true_retention: charts::true_retention(&input.days, today),
        intervals: charts::intervals(&input.cards.intervals),
        buttons: charts::buttons(&input.charts, grading),
        hours: charts::hours(&input.charts),
        added: charts::added(&input.cards.added, today),
        retention_by_deck: retention_by_deck(&input.days, today),
        states: input.cards.totals(),
        ease_histogram: input.cards.ease_histogram(),
        states_by_deck: input.cards.decks,
    }
}
