//! The search language (pure): the query's tree here, parsing it in `parse.rs`, the matchers
//! shared with the store's SQL in `matchers.rs`, and the reference evaluator over plain card
//! data in `evaluate.rs`. The store compiles the same tree to parameterised SQL.
//!
//! ```text
//! kinesis "data streams"        words and phrases, in front or back, any case; * is a wildcard
//! deck:"AWS Big Data::Inst*"     a deck and its :: children
//! tag:instance-family tag:s3*    a tag
//! is:new is:due is:review is:repeat is:suspended is:retired
//! prop:ivl>=10 prop:ease<2 prop:lapses>0 prop:reps=3 prop:due<=-1   (= != < <= > >=)
//! rated:7 rated:7:1 added:3      answered in the last N days (with quality Q); added
//! a b   a or b   -a   (a or b) -c
//! ```

use std::fmt;

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// The empty query: every card.
    All,
    /// A word or phrase in the front or back (case-insensitive, `*` wildcard).
    Text(String),
    /// `deck:` a deck and its `::` children.
    Deck(String),
    /// `tag:` one of the card's tags.
    Tag(String),
    Is(CardIs),
    Prop(Prop, Cmp, f64),
    /// Answered in the last `days` days (today counts as the first), optionally with a quality.
    Rated {
        days: u32,
        quality: Option<u8>,
    },
    /// Added in the last `days` days.
    Added {
        days: u32,
    },
    /// Flagged with this flag (0: none, 1-4).
    Flag(u8),
    Not(Box<Query>),
    And(Vec<Query>),
    Or(Vec<Query>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardIs {
    New,
    /// Learned and due today or earlier.
    Due,
    /// Learned and passed: repetitions > 0, no repeat pending today.
    Review,
    /// Answered below 4 today: a same-day repeat is pending.
    Repeat,
    Suspended,
    Retired,
    /// From the learner's own facts files.
    User,
    /// Lapsed the leech threshold's number of times.
    Leech,
    /// Kept out of today's study (a sibling answered today, or buried by hand).
    Buried,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prop {
    /// Interval in days.
    Ivl,
    Ease,
    Lapses,
    /// Repetitions (SM-2's n).
    Reps,
    /// Days from today to the due day (negative: overdue). New cards have none.
    Due,
    /// FSRS stability in days (cards FSRS schedules; others have none).
    Stability,
    /// FSRS difficulty from 0 (easiest) to 1 (hardest), as Anki's search shows it.
    Difficulty,
    /// FSRS's probability of recall today.
    Retrievability,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
        }
    }
}

/// A malformed query: where (0-based character position) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub position: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position + 1, self.message)
    }
}

impl std::error::Error for ParseError {}

mod evaluate;
mod matchers;
mod parse;

pub use evaluate::{CardFacts, matches, mentions, mentions_retired, retrievability};
pub use matchers::{
    DeckMatcher, Glob, TagMatcher, TextMatcher, deck_matches, fold, tag_matches, text_matches,
    wildcard_match,
};
pub use parse::{MAX_PATTERN_TERMS, MAX_QUERY_CHARS, MAX_TERM_CHARS, parse};
