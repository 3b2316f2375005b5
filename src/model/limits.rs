//! Daily limits per deck, as Anki's deck options presets: a preset holds new cards a day and
//! reviews a day, and how its decks' cards are answered (related cards buried, leeches);
//! decks are given presets (a deck without one has the Default preset, the settings'). A deck's limits hold for it and its subdecks together, counted from
//! what was done in them today; a session of a deck keeps to its own limits and to each of
//! its subdecks' (not to its parents', as Anki does by default).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::settings::LeechAction;

/// New cards and reviews a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Limits {
    pub new: u32,
    pub reviews: u32,
}

/// What a preset decides of answering its decks' cards (a card's own deck's preset), as
/// Anki's options "bury siblings", "leech threshold" and "leech action".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerOptions {
    /// Once a card is answered, the rest of its fact or list waits for another day.
    pub bury_siblings: bool,
    /// Lapses that make a card a leech (0: never).
    pub leech_threshold: u32,
    pub leech_action: LeechAction,
}

/// A named set of deck options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preset {
    /// None for the Default preset (the settings' limits and options).
    pub id: Option<i64>,
    pub name: String,
    pub limits: Limits,
    pub options: AnswerOptions,
}

/// The Default preset's name.
pub const DEFAULT_PRESET: &str = "Default";

/// Whether `deck` is `root` or one of its subdecks (every deck is within "").
pub fn within(deck: &str, root: &str) -> bool {
    root.is_empty()
        || deck == root
        || deck
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with("::"))
}

/// `deck` and each of its parents, innermost first, down to `root` (included; "" has no
/// limits of its own and is not listed).
pub fn chain<'a>(deck: &'a str, root: &str) -> Vec<&'a str> {
    let mut out = vec![deck];
    let mut d = deck;
    while d != root {
        match d.rfind("::") {
            Some(at) if within(&d[..at], root) => {
                d = &d[..at];
                out.push(d);
            }
            _ => break,
        }
    }
    out
}

/// What each deck (of `decks`, parents included) may still show today: its limits (from
/// `limits_of`) less what was done today in it and its subdecks (`done`: a deck's own new
/// cards and reviews answered today).
pub fn left_today(
    decks: &[String],
    limits_of: impl Fn(&str) -> Limits,
    done: &[(String, Limits)],
) -> BTreeMap<String, Limits> {
    decks
        .iter()
        .map(|deck| {
            let limits = limits_of(deck);
            let (new, reviews) = done
                .iter()
                .filter(|(d, _)| within(d, deck))
                .fold((0u32, 0u32), |(n, r), (_, l)| {
                    (n.saturating_add(l.new), r.saturating_add(l.reviews))
                });
            let left = Limits {
                new: limits.new.saturating_sub(new),
                reviews: limits.reviews.saturating_sub(reviews),
            };
            (deck.clone(), left)
        })
        .collect()
}

/// A session's room for new cards (or reviews): a card of a deck is taken while that deck
/// and each of its parents up to the session's deck have room, and counts against them all.
pub struct Allowance {
    left: BTreeMap<String, u32>,
    root: String,
}

impl Allowance {
    /// The room of a session of `root`, from each deck's `left` (`which` picks new or
    /// reviews).
    pub fn new(left: &BTreeMap<String, Limits>, root: &str, which: fn(&Limits) -> u32) -> Self {
        Allowance {
            left: left
                .iter()
                .filter(|(d, _)| within(d, root))
                .map(|(d, l)| (d.clone(), which(l)))
                .collect(),
            root: root.to_string(),
        }
    }

    /// Takes a card of `deck` if there is room for it.
    pub fn take(&mut self, deck: &str) -> bool {
        let decks = chain(deck, &self.root);
        if decks
            .iter()
            .any(|d| self.left.get(*d).is_some_and(|n| *n == 0))
        {
            return false;
        }
        for d in decks {
            if let Some(n) = self.left.get_mut(d) {
                *n -= 1;
            }
        }
        true
    }

    /// No card can be taken any more: the session's deck (or, for every deck, each
    /// top-level deck) has no room left.
    pub fn full(&self) -> bool {
        if self.root.is_empty() {
            self.left
                .iter()
                .filter(|(d, _)| !d.contains("::"))
                .all(|(_, n)| *n == 0)
        } else {
            self.left.get(&self.root).is_none_or(|n| *n == 0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(new: u32, reviews: u32) -> Limits {
        Limits { new, reviews }
    }

    #[test]
    fn a_decks_limit_counts_what_was_done_in_it_and_its_subdecks() {
        let decks: Vec<String> = ["A", "A::B", "A::C", "Z"].map(String::from).to_vec();
        let limits_of = |d: &str| if d == "A::B" { l(5, 50) } else { l(20, 200) };
        let done = [("A::B".to_string(), l(3, 10)), ("Z".to_string(), l(1, 0))];
        let left = left_today(&decks, limits_of, &done);
        assert_eq!(left["A"], l(17, 190));
        assert_eq!(left["A::B"], l(2, 40));
        assert_eq!(left["A::C"], l(20, 200), "a sibling's answers do not count");
        assert_eq!(left["Z"], l(19, 200));
    }

    #[test]
    fn a_session_keeps_to_its_decks_limit_and_each_subdecks() {
        let decks: Vec<String> = ["A", "A::B", "A::C"].map(String::from).to_vec();
        let limits_of = |d: &str| match d {
            "A" => l(4, 0),
            "A::B" => l(1, 0),
            _ => l(10, 0),
        };
        let left = left_today(&decks, limits_of, &[]);
        let mut a = Allowance::new(&left, "A", |l| l.new);
        let taken: Vec<&str> = ["A::B", "A::B", "A::C", "A", "A::C", "A::C"]
            .into_iter()
            .filter(|d| a.take(d))
            .collect();
        assert_eq!(taken, ["A::B", "A::C", "A", "A::C"]);
        assert!(a.full());
        // Studying the subdeck alone: its own limit, not its parent's.
        let mut c = Allowance::new(&left, "A::C", |l| l.new);
        assert_eq!((0..12).filter(|_| c.take("A::C")).count(), 10);
        // Every deck: each top-level deck's own limit.
        let mut all = Allowance::new(&left, "", |l| l.new);
        assert_eq!((0..12).filter(|_| all.take("A::C")).count(), 4);
        assert!(all.full());
    }

    #[test]
    fn chains_stop_at_the_sessions_deck() {
        assert_eq!(chain("A::B::C", "A"), ["A::B::C", "A::B", "A"]);
        assert_eq!(chain("A::B::C", ""), ["A::B::C", "A::B", "A"]);
        assert_eq!(chain("A::B", "A::B"), ["A::B"]);
        assert!(within("A::B", "A") && !within("AB", "A") && within("X", ""));
    }
}
