//! The facts that cards are generated from: parsing and validation (pure).
//!
//! Facts live in TOML files (see `cards/`). Parsing takes the files' names and texts and returns
//! either the validated [`Facts`] or the first [`FactsError`], which names `file:line:col`.

use std::fmt;

/// One facts file: a name for messages (usually its path) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// What is wrong with the facts, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for FactsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

impl std::error::Error for FactsError {}

/// The `status` values of a service or instance type that is no longer what the notes describe.
/// Each needs a `note` that says what changed and when.
pub const STATUSES: &[&str] = &[
    "renamed",
    "replaced",
    "superseded",
    "previous generation",
    "deprecated",
    "maintenance",
    "closed",
    "discontinued",
    "retired",
];

/// Where a fact comes from: the page a learner can open (its title and URL), and the line of
/// the 2019 study notes it came from, kept as provenance (never shown to the learner).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    pub title: Option<String>,
    pub url: Option<String>,
    pub notes: Option<String>,
}

impl Source {
    /// This source where it names a page, else `fallback` (an item's own, else its list's).
    pub fn or(&self, fallback: &Source) -> Source {
        if self.title.is_some() || self.url.is_some() {
            self.clone()
        } else {
            Source {
                notes: self.notes.clone().or_else(|| fallback.notes.clone()),
                ..fallback.clone()
            }
        }
    }
}

/// What a scenario card's answer is: the list's subject, or the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Subject,
    Item,
}

/// Marks where a list's `question` takes an item's cue.
pub const CUE: &str = "{cue}";

/// Overview ("name all N") cards are only for closed lists of at most this many items.
pub const MAX_OVERVIEW_ITEMS: usize = 5;

/// A service, tool or product that facts refer to.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub id: String,
    /// The current name.
    pub name: String,
    /// Earlier names, shown after the current one in answers: "(formerly …)".
    pub formerly: Option<String>,
    /// Facts about this service are filed in this service's deck.
    pub part_of: Option<String>,
    /// Shown on the back of every card that mentions the service.
    pub note: Option<String>,
    /// One of [`STATUSES`] when the service was renamed, retired, …
    pub status: Option<String>,
    pub source: Source,
}

impl Service {
    /// The name as answers show it: the current one, then "(formerly …)".
    pub fn display_name(&self) -> String {
        match &self.formerly {
            Some(old) => format!("{} (formerly {old})", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub service: String,
    /// What singles this item out among every member of the relation (never its name): the
    /// question of a description → name card, where the description is worth knowing.
    pub cue: Option<String>,
    /// A concrete situation that needs the integration to answer, and whose answer it is.
    pub scenario: Option<(String, Answer)>,
    pub detail: Option<String>,
    pub note: Option<String>,
    /// What the notes got wrong and what is true instead: shown as "Correction: …" under the
    /// answer, and the card is tagged `corrected`.
    pub correction: Option<String>,
    /// What changed since, and when.
    pub history: Option<String>,
    /// Where this item comes from (the list's source when it names no page).
    pub source: Source,
}

/// A set of services related to a subject ("Firehose delivers to S3, Redshift, …"). Each item
/// becomes one question built from its cue; a closed short list may also have an overview card.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationList {
    pub subject: String,
    pub relation: String,
    /// The question of each cue card, with [`CUE`] where the item's cue goes (only when an
    /// item has a cue).
    pub question: Option<String>,
    /// The question of the overview card (closed lists of at most [`MAX_OVERVIEW_ITEMS`]).
    pub overview: Option<String>,
    /// True when the items are examples of a larger set ("+ many others").
    pub open: bool,
    pub note: Option<String>,
    pub source: Source,
    pub items: Vec<ListItem>,
}

/// One question and its answer, about a service (its subject) or on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Qa {
    /// A service id; None for a question on its own (a learner's card about anything).
    pub subject: Option<String>,
    pub id: String,
    pub kind: Option<String>,
    pub refs: Vec<String>,
    pub front: String,
    pub back: String,
    pub reverse: bool,
    pub note: Option<String>,
    /// What the notes got wrong and what is true instead: shown as "Correction: …" under the
    /// answer, and the card is tagged `corrected`.
    pub correction: Option<String>,
    /// What changed since, and when.
    pub history: Option<String>,
    pub source: Source,
    /// The deck it goes in, `::` between levels (default: the subject's, or "My cards").
    pub deck: Option<String>,
    /// Tags besides the subject's (no spaces).
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    pub id: String,
    /// A scenario whose right answer is the family, never naming it.
    pub text: String,
    pub note: Option<String>,
    /// What the notes got wrong and what is true instead: shown as "Correction: …" under the
    /// answer, and the card is tagged `corrected`.
    pub correction: Option<String>,
    pub source: Source,
}

/// An instance type named in the notes, kept as history.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceType {
    pub code: String,
    pub status: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    pub id: String,
    pub name: String,
    /// The instance types of the family that the notes name.
    pub types: Vec<InstanceType>,
    pub workloads: Vec<Workload>,
    pub source: Source,
}

/// An instance series: the letters an instance type starts with (`c` in `c7g.large`).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub letter: String,
    pub family: String,
    /// The one thing that defines the series.
    pub trait_: String,
    /// Current types of the series, as examples.
    pub current: String,
    pub note: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InstanceQuestion {
    pub id: String,
    /// The family the answer points at, when it points at one.
    pub family: Option<String>,
    pub front: String,
    pub back: String,
    pub note: Option<String>,
    /// What the notes got wrong and what is true instead: shown as "Correction: …" under the
    /// answer, and the card is tagged `corrected`.
    pub correction: Option<String>,
    pub source: Source,
}

/// All facts, validated: every reference resolves, ids are unique, no field is empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub services: Vec<Service>,
    pub lists: Vec<RelationList>,
    pub qas: Vec<Qa>,
    pub families: Vec<Family>,
    pub series: Vec<Series>,
    pub instance_questions: Vec<InstanceQuestion>,
}

impl Facts {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }
}

/// The series letters of an instance type code: `C` of `C4`, `z` of `Z1d`, `inf` of `Inf2`,
/// lowercased.
pub fn series_of(code: &str) -> String {
    code.chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_lowercase()
}

mod limits;
mod parse;
mod raw;

pub use limits::{
    MAX_DECK_CHARS, MAX_DECK_LEVELS, MAX_TAG_CHARS, MAX_TAGS, MAX_TEXT_CHARS, deck_problem,
    line_col, tag_problem, text_problem,
};
pub use parse::parse;
