//! Filtered decks: saved searches to study (cards never leave their home deck).

use serde::{Deserialize, Serialize};

use super::search::{self, ParseError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Learned cards by due day (most overdue first), then new cards.
    #[default]
    DueFirst,
    Random,
    MostLapses,
    LowestEase,
    /// In the order the cards were added.
    Added,
}

impl Order {
    pub const ALL: [Order; 5] = [
        Order::DueFirst,
        Order::Random,
        Order::MostLapses,
        Order::LowestEase,
        Order::Added,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Order::DueFirst => "due_first",
            Order::Random => "random",
            Order::MostLapses => "most_lapses",
            Order::LowestEase => "lowest_ease",
            Order::Added => "added",
        }
    }

    pub fn parse(s: &str) -> Option<Order> {
        Order::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Order::DueFirst => "Due first",
            Order::Random => "Random",
            Order::MostLapses => "Most lapses",
            Order::LowestEase => "Lowest ease",
            Order::Added => "Order added",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Cards due today and new cards; answers reschedule as in their home deck.
    #[default]
    Scheduled,
    /// Every matching card whatever its due day; answers are logged and change nothing.
    Cram,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Scheduled => "scheduled",
            Mode::Cram => "cram",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        [Mode::Scheduled, Mode::Cram]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

pub const DEFAULT_LIMIT: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilteredDeck {
    /// None until saved.
    pub id: Option<i64>,
    pub name: String,
    pub query: String,
    pub limit: u32,
    pub order: Order,
    pub mode: Mode,
}

impl Default for FilteredDeck {
    fn default() -> Self {
        FilteredDeck {
            id: None,
            name: String::new(),
            query: String::new(),
            limit: DEFAULT_LIMIT,
            order: Order::DueFirst,
            mode: Mode::Scheduled,
        }
    }
}

/// What is wrong with a filtered deck before it can be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    EmptyName,
    Query(ParseError),
    ZeroLimit,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Invalid::EmptyName => f.write_str("give the filtered deck a name"),
            Invalid::Query(e) => write!(f, "the search {e}"),
            Invalid::ZeroLimit => f.write_str("the limit must be at least 1 card"),
        }
    }
}

impl FilteredDeck {
    pub fn validate(&self) -> Result<search::Query, Invalid> {
        if self.name.trim().is_empty() {
            return Err(Invalid::EmptyName);
        }
        if self.limit == 0 {
            return Err(Invalid::ZeroLimit);
        }
        search::parse(&self.query).map_err(Invalid::Query)
    }
}
