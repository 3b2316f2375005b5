//! The collection's domain types: a card as stored with its scheduling state, the review log,
//! counts, and how study days are numbered. Plain data (the store reads and writes them).

use chrono::NaiveDate;
use serde::Serialize;

use super::schedule::CardState;

/// Days since 1970-01-01: how study days are stored.
pub fn day_number(day: NaiveDate) -> i64 {
    (day - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN)).num_days()
}

pub fn day_from_number(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_signed(chrono::TimeDelta::days(n)))
        .unwrap_or(NaiveDate::MAX)
}

/// The tag a leech carries, as in Anki (`tag:leech`, `tags` in `cards --json`, exports).
pub const LEECH_TAG: &str = "leech";

/// A card as stored: generated content plus scheduling state.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCard {
    pub id: i64,
    pub key: String,
    pub deck: String,
    pub front: String,
    pub back: String,
    pub note: Option<String>,
    pub tags: Vec<String>,
    /// The title of the page the card's fact was checked on, and its address.
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub state: CardState,
    pub retired: bool,
    pub suspended: bool,
    /// The study day the card was first synced in.
    pub added: NaiveDate,
    /// It lapsed the leech threshold's number of times (`is:leech`; tagged `leech` in exports).
    pub leech: bool,
    /// The learner's flag: 0 none, 1 red, 2 orange, 3 green, 4 blue (`flag:N`).
    pub flag: u8,
}

/// What kind of answer a review-log row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// First answer of a new card.
    New,
    /// First review of the day of a card already learned.
    Review,
    /// A same-day repeat (SM-2 step 7): logged, changes nothing but the repeat flag.
    Repeat,
    /// A cram answer in a filtered deck: logged, changes nothing.
    Cram,
}

impl ReviewKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewKind::New => "new",
            ReviewKind::Review => "review",
            ReviewKind::Repeat => "repeat",
            ReviewKind::Cram => "cram",
        }
    }

    /// The kind a stored name stands for; None for a name this build does not know.
    pub fn parse(s: &str) -> Option<ReviewKind> {
        match s {
            "new" => Some(ReviewKind::New),
            "review" => Some(ReviewKind::Review),
            "repeat" => Some(ReviewKind::Repeat),
            "cram" => Some(ReviewKind::Cram),
            _ => None,
        }
    }
}

/// A review-log row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    pub id: i64,
    pub card_id: i64,
    pub reviewed_at: String,
    pub study_day: NaiveDate,
    pub quality: u8,
    pub kind: ReviewKind,
    pub time_taken_ms: u64,
    pub ease_before: f64,
    pub ease_after: f64,
    pub interval_before: u32,
    pub interval_after: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Stats {
    /// Cards that can be studied (not retired).
    pub cards: u32,
    pub new: u32,
    /// Seen, and being (re)learned: failed last time, or a same-day repeat pending.
    pub learning: u32,
    pub review: u32,
    pub retired: u32,
    pub suspended: u32,
    pub reviews_total: u32,
    pub reviews_today: u32,
}

/// What an export writes of a card, borrowed from the row being read (no copy per card).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportRow<'a> {
    pub key: &'a str,
    pub front: &'a str,
    pub back: &'a str,
    pub note: Option<&'a str>,
    pub deck: &'a str,
    /// Space-separated, as stored.
    pub tags: &'a str,
}

/// One row of the card browser.
#[derive(Debug, Clone, PartialEq)]
pub struct BrowseRow {
    pub id: i64,
    /// Introduction order: rows come in (position, id) order, and a page of them continues
    /// after the last one's.
    pub position: i64,
    pub key: String,
    pub deck: String,
    pub front: String,
    pub is_new: bool,
    pub due_day: Option<NaiveDate>,
    pub interval: u32,
    pub ease: f64,
    pub lapses: u32,
    pub reviews: u32,
    pub suspended: bool,
    pub retired: bool,
    pub back: String,
    /// Space-separated, as stored.
    pub tags: String,
    /// The learner's flag, 0-4 (Anki's numbers).
    pub flag: u8,
    /// Buried for the study day the rows were read on.
    pub buried: bool,
    /// Where the card's claim comes from (a page title), if the fact says.
    pub source: Option<String>,
    /// FSRS's memory state (0 before the card has one).
    pub stability: f64,
    pub difficulty: f64,
    pub last_review: Option<NaiveDate>,
}
