//! The deck tree and its daily counts (pure).

use serde::Serialize;

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
/// counting its own cards and its children's, with the daily limits left today applied.
pub fn tree(own: &[DeckCounts], new_left: u32, reviews_left: u32) -> Vec<DeckRow> {
    let mut totals: std::collections::BTreeMap<Vec<&str>, DeckCounts> = Default::default();
    for c in own {
        let parts: Vec<&str> = c.deck.split("::").collect();
        for depth in 1..=parts.len() {
            let t = totals.entry(parts[..depth].to_vec()).or_default();
            t.new += c.new;
            t.repeat += c.repeat;
            t.due += c.due;
        }
    }
    totals
        .into_iter()
        .map(|(parts, t)| DeckRow {
            deck: parts.join("::"),
            name: parts.last().copied().unwrap_or_default().to_string(),
            depth: parts.len() - 1,
            new: t.new.min(new_left),
            repeat: t.repeat,
            due: t.due.min(reviews_left),
        })
        .collect()
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
    fn parents_sum_children_and_limits_cap() {
        let rows = tree(
            &[c("A::B", 5, 1, 3), c("A::C", 10, 0, 2), c("Z", 1, 0, 0)],
            12,
            4,
        );
        let got: Vec<(&str, usize, u32, u32, u32)> = rows
            .iter()
            .map(|r| (r.deck.as_str(), r.depth, r.new, r.repeat, r.due))
            .collect();
        assert_eq!(
            got,
            [
                ("A", 0, 12, 1, 4),
                ("A::B", 1, 5, 1, 3),
                ("A::C", 1, 10, 0, 2),
                ("Z", 0, 1, 0, 0)
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
