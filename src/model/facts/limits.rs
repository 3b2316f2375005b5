//! Bounds on what facts hold and where a position is in a file: shared by parsing and by the
//! learner's own cards.

/// Bounds on what facts hold, where they are read and where `add` takes them: long enough for
/// any real card, short enough that nothing done with them grows out of hand (a deck of 10 000
/// levels cost seconds and gigabytes in every deck tree).
pub const MAX_TEXT_CHARS: usize = 10_000;
pub const MAX_DECK_LEVELS: usize = 8;
pub const MAX_DECK_CHARS: usize = 300;
pub const MAX_TAG_CHARS: usize = 100;
pub const MAX_TAGS: usize = 50;

/// The start of a long text, to name it in a message.
pub(super) fn shown(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// What is wrong with the text of `field`, if anything: longer than [`MAX_TEXT_CHARS`].
pub fn text_problem(field: &str, text: &str) -> Option<String> {
    let n = text.chars().count();
    (n > MAX_TEXT_CHARS)
        .then(|| format!("`{field}` holds {n} characters; at most {MAX_TEXT_CHARS}"))
}

/// What is wrong with a tag, if anything: empty, a space (spaces separate tags in searches
/// and exports), longer than [`MAX_TAG_CHARS`].
pub fn tag_problem(tag: &str) -> Option<String> {
    let n = tag.chars().count();
    if tag.trim().is_empty() {
        Some("an empty tag: give it a name or leave it out".into())
    } else if tag.chars().any(char::is_whitespace) {
        Some(format!(
            "tag \"{}\" holds a space: use '-' or '_' instead",
            shown(tag)
        ))
    } else if n > MAX_TAG_CHARS {
        Some(format!(
            "tag \"{}\" holds {n} characters; at most {MAX_TAG_CHARS}",
            shown(tag)
        ))
    } else {
        None
    }
}

/// What is wrong with a deck path, if anything: levels separated by `::`, none of them empty
/// or starting or ending with ':', at most [`MAX_DECK_LEVELS`] of them and
/// [`MAX_DECK_CHARS`] characters in all.
pub fn deck_problem(deck: &str) -> Option<String> {
    let levels: Vec<&str> = deck.split("::").map(str::trim).collect();
    let n = deck.chars().count();
    if deck.trim().is_empty() {
        Some("the deck is empty: write levels as A::B".into())
    } else if levels.len() > MAX_DECK_LEVELS {
        Some(format!(
            "deck \"{}\" has {} levels; at most {MAX_DECK_LEVELS}",
            shown(deck),
            levels.len()
        ))
    } else if n > MAX_DECK_CHARS {
        Some(format!(
            "deck \"{}\" holds {n} characters; at most {MAX_DECK_CHARS}",
            shown(deck)
        ))
    } else if levels.iter().any(|l| l.is_empty()) {
        Some(format!(
            "deck \"{deck}\" has an empty level: write levels as A::B"
        ))
    } else if levels
        .iter()
        .any(|l| l.starts_with(':') || l.ends_with(':'))
    {
        Some(format!(
            "deck \"{deck}\" has a level that starts or ends with ':': write levels as A::B"
        ))
    } else {
        None
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}
