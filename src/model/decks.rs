//! The deck tree and its daily counts (pure).

use std::collections::BTreeMap;

use serde::Serialize;

use super::limits::Limits;

/// Cards available today in one deck, or in a deck and its children.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DeckCounts {
    pub deck: String,
    pub new: u32,
    pub repeat: u32,
    pub due: u32,
}

/// One row of the deck tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeckRow {
    /// Full `::` path.
    pub deck: String,
    /// The last component of the path.
    pub name: String,
    /// 0 for a top-level deck.
    pub depth: usize,
    pub new: u32,
    pub repeat: u32,
    pub due: u32,
    /// Today's limits stop the deck: it shows no new cards (or no reviews) though some are
    /// there.
    pub limited: bool,
}

/// Every deck named and each of its `::` parents, once each, sorted by name.
pub fn with_parents<S: AsRef<str>>(decks: &[S]) -> Vec<String> {
    let mut all = std::collections::BTreeSet::new();
    for deck in decks {
        let deck = deck.as_ref();
        if all.contains(deck) {
            continue;
        }
        for (end, _) in deck.match_indices("::") {
            all.insert(deck[..end].to_string());
        }
        all.insert(deck.to_string());
    }
    all.into_iter().collect()
}

/// The deck tree in display order (parents before children, siblings by name), each row
/// counting its own cards and its children's as a session of it would show them: within each
/// deck's limits `left` today (a deck with none listed has no limit of its own).
pub fn tree(own: &[DeckCounts], left: &BTreeMap<String, Limits>) -> Vec<DeckRow> {
    let names = with_parents(&own.iter().map(|c| c.deck.as_str()).collect::<Vec<_>>());
    let own: BTreeMap<&str, &DeckCounts> = own.iter().map(|c| (c.deck.as_str(), c)).collect();
    // Children before parents: each deck's counts are its own and its children's, capped;
    // beside them, the same uncapped (what is there, limits aside).
    let mut done: BTreeMap<&str, DeckRow> = BTreeMap::new();
    let mut there: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for deck in names.iter().rev() {
        let mine = own.get(deck.as_str());
        let prefix = format!("{deck}::");
        let children = done
            .range::<str, _>((
                std::ops::Bound::Excluded(deck.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .take_while(|(d, _)| d.starts_with(&prefix))
            .filter(|(d, _)| !d[prefix.len()..].contains("::"))
            .map(|(_, r)| r);
        let (mut new, mut repeat, mut due) = mine.map_or((0, 0, 0), |c| (c.new, c.repeat, c.due));
        let (mut all_new, mut all_due) = (new, due);
        for c in children {
            new += c.new;
            repeat += c.repeat;
            due += c.due;
            let (n, d) = there.get(c.deck.as_str()).copied().unwrap_or_default();
            all_new = all_new.saturating_add(n);
            all_due = all_due.saturating_add(d);
        }
        let limit = left.get(deck).copied().unwrap_or(Limits {
            new: u32::MAX,
            reviews: u32::MAX,
        });
        let parts: Vec<&str> = deck.split("::").collect();
        let row = DeckRow {
            deck: deck.clone(),
            name: parts.last().copied().unwrap_or_default().to_string(),
            depth: parts.len() - 1,
            new: new.min(limit.new),
            repeat,
            due: due.min(limit.reviews),
            // Shows none though some are there: a limit stops it (its own or its subdecks').
            limited: (new.min(limit.new) == 0 && all_new > 0)
                || (due.min(limit.reviews) == 0 && all_due > 0),
        };
        there.insert(deck.as_str(), (all_new, all_due));
        done.insert(deck.as_str(), row);
    }
    done.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(deck: &str, new: u32, repeat: u32, due: u32) -> DeckCounts {
        DeckCounts {
            deck: deck.into(),
            new,
            repeat,
            due,
        }
    }

    #[test]
    fn parents_sum_children_and_each_decks_limits_cap() {
        let left: BTreeMap<String, Limits> = [
            ("A", 12, 4),
            ("A::B", 0, 100),
            ("A::C", 20, 100),
            ("Y", 20, 0),
            ("Y::C", 20, 100),
            ("Z", 20, 100),
        ]
        .into_iter()
        .map(|(d, new, reviews)| (d.to_string(), Limits { new, reviews }))
        .collect();
        let rows = tree(
            &[
                c("A::B", 5, 1, 3),
                c("A::C", 10, 0, 2),
                c("Y::C", 0, 0, 3),
                c("Z", 1, 0, 0),
            ],
            &left,
        );
        let got: Vec<(&str, usize, u32, u32, u32, bool)> = rows
            .iter()
            .map(|r| (r.deck.as_str(), r.depth, r.new, r.repeat, r.due, r.limited))
            .collect();
        assert_eq!(
            got,
            [
                // A: B gives none (its limit is reached), C 10; due 5 capped at 4.
                ("A", 0, 10, 1, 4, false),
                ("A::B", 1, 0, 1, 3, true),
                ("A::C", 1, 10, 0, 2, false),
                // Y's reviews are done for today: its subdeck's due cards wait.
                ("Y", 0, 0, 0, 0, true),
                ("Y::C", 1, 0, 0, 3, false),
                ("Z", 0, 1, 0, 0, false)
            ]
        );
        assert_eq!(rows[1].name, "B");
    }

    #[test]
    fn with_parents_lists_each_deck_and_parent_once() {
        let decks = ["A::B::C", "A::D", "A::B::C", "E"];
        assert_eq!(with_parents(&decks), ["A", "A::B", "A::B::C", "A::D", "E"]);
    }
}
