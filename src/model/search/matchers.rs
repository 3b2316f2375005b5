//! The matchers the reference evaluator and the store's SQL functions share: `*` wildcards,
//! words and phrases, decks and their children, whole tags; and the trigrams the full-text
//! index narrows a search with.

// ---- matching -----------------------------------------------------------------------------------

/// A `*` wildcard pattern, lowercased and split once, then matched in time linear in the
/// text: the pieces between stars are found leftmost in order (greedy is exact when `*` is the
/// only wildcard), so no pattern can make a match backtrack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    /// The lowercased pattern split at `*`: one piece means "exactly this".
    pieces: Vec<String>,
    ascii: bool,
}

impl Glob {
    pub fn new(pattern: &str) -> Glob {
        let lower: String = pattern.chars().flat_map(char::to_lowercase).collect();
        Glob {
            pieces: lower.split('*').map(str::to_string).collect(),
            ascii: lower.is_ascii(),
        }
    }

    pub fn matches(&self, text: &str) -> bool {
        if self.ascii && text.is_ascii() {
            return self.matches_ascii(text.as_bytes());
        }
        // The text is lowercased into a buffer kept per thread: no allocation per card.
        thread_local! {
            static LOWER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        LOWER.with(|buf| {
            let mut t = buf.borrow_mut();
            t.clear();
            if text.is_ascii() {
                t.push_str(text);
                t.make_ascii_lowercase();
            } else {
                t.extend(text.chars().flat_map(char::to_lowercase));
            }
            self.matches_lowercase(&t)
        })
    }

    /// The same as [`Glob::matches_lowercase`] for ASCII text, compared in place.
    fn matches_ascii(&self, t: &[u8]) -> bool {
        let eq = |a: &[u8], b: &str| a.eq_ignore_ascii_case(b.as_bytes());
        let (first, rest) = match self.pieces.split_first() {
            Some((first, [])) => return eq(t, first),
            Some(split) => split,
            None => return t.is_empty(),
        };
        let Some((last, middle)) = rest.split_last() else {
            return false;
        };
        if t.len() < first.len() + last.len()
            || !eq(&t[..first.len()], first)
            || !eq(&t[t.len() - last.len()..], last)
        {
            return false;
        }
        let (mut at, end) = (first.len(), t.len() - last.len());
        for piece in middle.iter().filter(|p| !p.is_empty()) {
            match t[at..end].windows(piece.len()).position(|w| eq(w, piece)) {
                Some(i) => at += i + piece.len(),
                None => return false,
            }
        }
        true
    }

    fn matches_lowercase(&self, t: &str) -> bool {
        let (first, rest) = match self.pieces.split_first() {
            Some((first, [])) => return t == first,
            Some(split) => split,
            None => return t.is_empty(),
        };
        let Some((last, middle)) = rest.split_last() else {
            return false;
        };
        if t.len() < first.len() + last.len()
            || !t.starts_with(first.as_str())
            || !t.ends_with(last.as_str())
        {
            return false;
        }
        let (mut at, end) = (first.len(), t.len() - last.len());
        for piece in middle.iter().filter(|p| !p.is_empty()) {
            // `str::find` is linear (Two-Way): no piece can make it backtrack.
            match t[at..end].find(piece.as_str()) {
                Some(i) => at += i + piece.len(),
                None => return false,
            }
        }
        true
    }
}

/// `*` wildcard matching, ignoring case.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    Glob::new(pattern).matches(text)
}

/// A text term, compiled once per query: a word or phrase anywhere in a field.
#[derive(Debug, Clone)]
pub struct TextMatcher {
    needle: String,
    glob: Glob,
}

impl TextMatcher {
    pub fn new(needle: &str) -> TextMatcher {
        TextMatcher {
            needle: needle.to_string(),
            glob: Glob::new(&format!("*{needle}*")),
        }
    }

    pub fn matches(&self, text: &str) -> bool {
        let n = self.needle.as_bytes();
        if n.is_ascii() && text.is_ascii() && !n.contains(&b'*') {
            // The common case, without allocating: an ASCII case-insensitive substring search.
            let t = text.as_bytes();
            return n.is_empty() || t.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
        }
        self.glob.matches(text)
    }
}

/// A `deck:` term, compiled once per query: the deck itself or any of its `::` children.
#[derive(Debug, Clone)]
pub struct DeckMatcher {
    deck: Glob,
    children: Glob,
}

impl DeckMatcher {
    pub fn new(pattern: &str) -> DeckMatcher {
        DeckMatcher {
            deck: Glob::new(pattern),
            children: Glob::new(&format!("{pattern}::*")),
        }
    }

    pub fn matches(&self, deck: &str) -> bool {
        self.deck.matches(deck) || self.children.matches(deck)
    }
}

/// A `tag:` term, compiled once per query: one of the space-separated tags matches as a whole.
#[derive(Debug, Clone)]
pub struct TagMatcher(Glob);

impl TagMatcher {
    pub fn new(pattern: &str) -> TagMatcher {
        TagMatcher(Glob::new(pattern))
    }

    pub fn matches(&self, tags: &str) -> bool {
        tags.split_whitespace().any(|t| self.0.matches(t))
    }
}

// ---- the full-text index's view of a card --------------------------------------------------------

/// Text as every matcher compares it: lowercased a character at a time. The full-text index
/// holds each card's text folded so, which makes a lowercased pattern piece found in a card
/// a substring of what the index holds.
pub fn fold(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Trigrams that every text containing all of `pieces` contains: for each piece of three
/// characters or more, trigrams that cover it without overlapping (the last may overlap to
/// reach its end). A card that lacks one cannot match, so the index narrows a search to the
/// cards that have them all, and the matcher then decides exactly.
fn covering_trigrams<'a>(pieces: impl Iterator<Item = std::borrow::Cow<'a, str>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in pieces {
        let chars: Vec<char> = piece.chars().collect();
        if chars.len() < 3 {
            continue;
        }
        let mut starts: Vec<usize> = (0..=chars.len() - 3).step_by(3).collect();
        if starts.last() != Some(&(chars.len() - 3)) {
            starts.push(chars.len() - 3);
        }
        for i in starts {
            let trigram: String = chars[i..i + 3].iter().collect();
            if !out.contains(&trigram) {
                out.push(trigram);
            }
        }
    }
    out
}

impl Glob {
    /// The lowercased pieces between the stars.
    fn pieces(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().map(String::as_str)
    }
}

impl TextMatcher {
    /// Trigrams every folded field this term matches contains (empty: no piece is long
    /// enough for the index to help).
    pub fn trigrams(&self) -> Vec<String> {
        covering_trigrams(self.glob.pieces().map(std::borrow::Cow::Borrowed))
    }
}

/// A word or phrase anywhere in `text`.
pub fn text_matches(needle: &str, text: &str) -> bool {
    TextMatcher::new(needle).matches(text)
}

/// `deck:` semantics: the deck itself or any of its `::` children.
pub fn deck_matches(pattern: &str, deck: &str) -> bool {
    DeckMatcher::new(pattern).matches(deck)
}

/// `tag:` semantics: one of the space-separated tags matches as a whole.
pub fn tag_matches(pattern: &str, tags: &str) -> bool {
    TagMatcher::new(pattern).matches(tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The textbook backtracking glob (slow on hostile patterns): the oracle for [`Glob`].
    fn backtracking_glob(pattern: &str, text: &str) -> bool {
        let p: Vec<char> = pattern.chars().flat_map(char::to_lowercase).collect();
        let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
        let (mut pi, mut ti) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while ti < t.len() {
            if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
                pi += 1;
                ti += 1;
            } else if pi < p.len() && p[pi] == '*' {
                star = Some((pi, ti));
                pi += 1;
            } else if let Some((sp, st)) = star {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            } else {
                return false;
            }
        }
        p[pi..].iter().all(|c| *c == '*')
    }

    proptest! {
        #[test]
        fn glob_agrees_with_backtracking(
            pattern in "[abAB:*É]{0,8}",
            text in "[abAB:é]{0,12}",
        ) {
            prop_assert_eq!(
                Glob::new(&pattern).matches(&text),
                backtracking_glob(&pattern, &text),
                "pattern {:?} text {:?}", pattern, text
            );
        }
    }

    proptest! {
        // The index may only narrow a search: whatever a matcher accepts has every trigram
        // the index is asked for (case, the Kelvin sign and dotted capitals included).
        #[test]
        fn the_index_never_loses_a_text_match(
            needle in "[aAbBkK\u{212A}İı* ]{0,9}",
            text in "[aAbBkK\u{212A}İı ]{0,14}",
        ) {
            let m = TextMatcher::new(&needle);
            if m.matches(&text) {
                let folded = fold(&text);
                for t in m.trigrams() {
                    prop_assert!(folded.contains(&t), "{:?} in {:?} for {:?}", t, folded, needle);
                }
            }
        }

    }

    #[test]
    fn trigrams_cover_each_piece() {
        assert_eq!(
            TextMatcher::new("Question").trigrams(),
            ["que", "sti", "ion"]
        );
        assert_eq!(TextMatcher::new("ab*cdef").trigrams(), ["cde", "def"]);
        assert!(TextMatcher::new("s3").trigrams().is_empty());
    }

    #[test]
    fn glob_edge_cases() {
        for (p, t, want) in [
            ("", "", true),
            ("", "a", false),
            ("*", "", true),
            ("a*a", "a", false),
            ("a*a", "aa", true),
            ("*ab*ab*", "abab", true),
            ("*ab*ab*", "aba", false),
            ("ab*", "AB", true),
        ] {
            assert_eq!(Glob::new(p).matches(t), want, "{p:?} {t:?}");
            assert_eq!(backtracking_glob(p, t), want, "{p:?} {t:?}");
        }
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("abc", "ABC"));
        assert!(wildcard_match("a*c", "abbbc"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a**", "a"));
        assert!(!wildcard_match("a*d", "abc"));
        assert!(wildcard_match("*b*", "abc"));
        assert!(text_matches("DATA", "Kinesis data streams"));
        assert!(deck_matches(
            "AWS Big Data",
            "AWS Big Data::Instance families"
        ));
        assert!(!deck_matches("AWS Big", "AWS Big Data"));
        assert!(deck_matches(
            "*::instance*",
            "AWS Big Data::Instance families"
        ));
        assert!(tag_matches("s3", "firehose s3 destination"));
        assert!(!tag_matches("s", "firehose s3"));
        assert!(tag_matches("fire*", "firehose s3"));
    }
}
