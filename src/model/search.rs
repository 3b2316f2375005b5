//! The search language (pure): parsing into an AST, the wildcard matcher, and a reference
//! evaluator over plain card data. The store compiles the same AST to parameterised SQL.
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

// ---- tokens -----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    Minus,
    Or,
    And,
    /// A term: `word`, `"a phrase"`, `field:value`, `field:"quoted value"`. `quoted` is true when
    /// the whole term was quoted (then it is text even if it holds a colon).
    Term {
        text: String,
        quoted: bool,
    },
}

fn err(position: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        position,
        message: message.into(),
    }
}

fn tokenize(input: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let chars: Vec<char> = input.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        match c {
            '(' => {
                toks.push((start, Tok::Open));
                i += 1;
            }
            ')' => {
                toks.push((start, Tok::Close));
                i += 1;
            }
            '-' => {
                toks.push((start, Tok::Minus));
                i += 1;
            }
            '"' => {
                let (text, next) = quoted(&chars, i)?;
                toks.push((start, Tok::Term { text, quoted: true }));
                i = next;
            }
            _ => {
                let mut text = String::new();
                while i < chars.len() {
                    let c = chars[i];
                    if c.is_whitespace() || c == '(' || c == ')' {
                        break;
                    }
                    if c == '"' {
                        // field:"quoted value"
                        let (q, next) = quoted(&chars, i)?;
                        text.push_str(&q);
                        i = next;
                        continue;
                    }
                    text.push(c);
                    i += 1;
                }
                let tok = if text.eq_ignore_ascii_case("or") {
                    Tok::Or
                } else if text.eq_ignore_ascii_case("and") {
                    Tok::And
                } else {
                    Tok::Term {
                        text,
                        quoted: false,
                    }
                };
                toks.push((start, tok));
            }
        }
    }
    Ok(toks)
}

/// The text of a quoted string starting at `chars[start] == '"'`; `\"` and `\\` escape.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), ParseError> {
    let mut text = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok((text, i + 1)),
            '\\' if i + 1 < chars.len() && (chars[i + 1] == '"' || chars[i + 1] == '\\') => {
                text.push(chars[i + 1]);
                i += 2;
            }
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    Err(err(start, "unclosed quote: expected a closing \""))
}

// ---- parser -----------------------------------------------------------------------------------

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
    /// Text, deck and tag terms so far.
    patterns: usize,
}

/// Parses a query. The empty (or all-blank) query is [`Query::All`].
pub fn parse(input: &str) -> Result<Query, ParseError> {
    let toks = tokenize(input)?;
    if let Some((at, _)) = toks
        .iter()
        .find(|(_, t)| matches!(t, Tok::Term { text, .. } if text.chars().count() > MAX_TERM_CHARS))
    {
        return Err(err(
            *at,
            format!("a search term may hold at most {MAX_TERM_CHARS} characters"),
        ));
    }
    if input.chars().nth(MAX_QUERY_CHARS).is_some() {
        return Err(err(
            MAX_QUERY_CHARS,
            format!("the query is too long: at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    if toks.is_empty() {
        return Ok(Query::All);
    }
    if let Some((at, _)) = toks.get(MAX_TOKENS) {
        return Err(err(
            *at,
            format!("the query is too long: at most {MAX_TOKENS} terms and operators"),
        ));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        patterns: 0,
        end: input.chars().count(),
    };
    let q = p.or_expr(0)?;
    if let Some((at, tok)) = p.toks.get(p.pos) {
        return Err(match tok {
            Tok::Close => err(*at, "unexpected ')': no '(' to close"),
            _ => err(*at, "expected the end of the query"),
        });
    }
    Ok(q)
}

/// Parentheses and '-' nest at most this deep (so no input can overflow the stack).
const MAX_DEPTH: usize = 64;
/// Tokens in one query (keeps the SQL within SQLite's expression limits).
const MAX_TOKENS: usize = 400;
/// Characters in one query, and in one term: bounds the work of any search (every term is
/// matched against every card).
pub const MAX_QUERY_CHARS: usize = 2_000;
pub const MAX_TERM_CHARS: usize = 200;
/// Text, `deck:` and `tag:` terms in one query: each is matched against every card.
pub const MAX_PATTERN_TERMS: usize = 16;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn here(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(at, _)| *at)
    }

    fn or_expr(&mut self, depth: usize) -> Result<Query, ParseError> {
        let mut parts = vec![self.and_expr(depth)?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            parts.push(self.and_expr(depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Query::Or(parts)
        })
    }

    fn and_expr(&mut self, depth: usize) -> Result<Query, ParseError> {
        let mut parts = vec![self.unary(depth)?];
        loop {
            match self.peek() {
                None | Some(Tok::Or | Tok::Close) => break,
                Some(Tok::And) => {
                    self.pos += 1;
                    parts.push(self.unary(depth)?);
                }
                Some(_) => parts.push(self.unary(depth)?),
            }
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Query::And(parts)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Query, ParseError> {
        let at = self.here();
        match self.toks.get(self.pos).cloned() {
            None => Err(err(at, "expected a search term")),
            Some((_, Tok::Minus)) => {
                if depth >= MAX_DEPTH {
                    return Err(err(at, "too many '-' in a row"));
                }
                self.pos += 1;
                if self.peek().is_none() {
                    return Err(err(self.here(), "expected a search term after '-'"));
                }
                Ok(Query::Not(Box::new(self.unary(depth + 1)?)))
            }
            Some((_, Tok::Open)) => {
                if depth >= MAX_DEPTH {
                    return Err(err(at, "parentheses nest too deep"));
                }
                self.pos += 1;
                if self.peek() == Some(&Tok::Close) {
                    return Err(err(self.here(), "expected a search term inside '()'"));
                }
                let q = self.or_expr(depth + 1)?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(err(
                        self.here(),
                        format!("expected ')' to close the '(' at character {}", at + 1),
                    ));
                }
                self.pos += 1;
                Ok(q)
            }
            Some((_, Tok::Close)) => Err(err(at, "unexpected ')': expected a search term")),
            Some((_, Tok::Or)) => Err(err(at, "expected a search term before 'or'")),
            Some((_, Tok::And)) => Err(err(at, "expected a search term before 'and'")),
            Some((_, Tok::Term { text, quoted })) => {
                self.pos += 1;
                let q = term(at, &text, quoted)?;
                if matches!(q, Query::Text(_) | Query::Deck(_) | Query::Tag(_)) {
                    self.patterns += 1;
                    if self.patterns > MAX_PATTERN_TERMS {
                        return Err(err(
                            at,
                            format!(
                                "too many words to look for: at most {MAX_PATTERN_TERMS} \
                                 text, deck: and tag: terms in one search"
                            ),
                        ));
                    }
                }
                Ok(q)
            }
        }
    }
}

fn term(at: usize, text: &str, quoted: bool) -> Result<Query, ParseError> {
    if quoted {
        return Ok(Query::Text(text.to_string()));
    }
    let Some((field, value)) = text.split_once(':') else {
        return Ok(Query::Text(text.to_string()));
    };
    let value_at = at + field.chars().count() + 1;
    let need = |what: &str| {
        if value.is_empty() {
            Err(err(value_at, format!("expected {what} after '{field}:'")))
        } else {
            Ok(value.to_string())
        }
    };
    match field.to_ascii_lowercase().as_str() {
        "deck" => Ok(Query::Deck(need("a deck name")?)),
        "tag" => Ok(Query::Tag(need("a tag")?)),
        "is" => {
            let v = need("new, due, review, repeat, suspended, buried, retired, user or leech")?;
            let is = match v.to_ascii_lowercase().as_str() {
                "new" => CardIs::New,
                "due" => CardIs::Due,
                "review" => CardIs::Review,
                "repeat" => CardIs::Repeat,
                "suspended" => CardIs::Suspended,
                "retired" => CardIs::Retired,
                "user" => CardIs::User,
                "leech" => CardIs::Leech,
                "buried" => CardIs::Buried,
                _ => {
                    return Err(err(
                        value_at,
                        format!(
                            "unknown 'is:{v}': expected new, due, review, repeat, suspended, buried, retired, user or leech"
                        ),
                    ));
                }
            };
            Ok(Query::Is(is))
        }
        "prop" => prop(value_at, value),
        "rated" => {
            let mut parts = value.splitn(2, ':');
            let days_text = parts.next().unwrap_or("");
            let days = days_number(value_at, days_text, "rated")?;
            let quality = match parts.next() {
                None => None,
                Some(q) => {
                    let q_at = value_at + days_text.chars().count() + 1;
                    match q.parse::<u8>() {
                        Ok(q) if q <= 5 => Some(q),
                        _ => {
                            return Err(err(
                                q_at,
                                "expected a quality from 0 to 5 after 'rated:N:'",
                            ));
                        }
                    }
                }
            };
            Ok(Query::Rated { days, quality })
        }
        "added" => Ok(Query::Added {
            days: days_number(value_at, value, "added")?,
        }),
        "flag" => match value.parse::<u8>() {
            Ok(n) if n <= 4 => Ok(Query::Flag(n)),
            _ => Err(err(
                value_at,
                format!("flag:{value}: expected 0 (none) to 4"),
            )),
        },
        _ => Err(err(
            at,
            format!(
                "unknown field '{field}:': expected deck:, tag:, is:, prop:, rated:, added: or flag: (put text with a colon in quotes)"
            ),
        )),
    }
}

fn days_number(at: usize, text: &str, field: &str) -> Result<u32, ParseError> {
    match text.parse::<u32>() {
        Ok(n) if (1..=36_500).contains(&n) => Ok(n),
        _ => Err(err(
            at,
            format!("expected a number of days (1 or more) after '{field}:'"),
        )),
    }
}

fn prop(at: usize, value: &str) -> Result<Query, ParseError> {
    let name_len = value
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let name: String = value.chars().take(name_len).collect();
    let prop = match name.to_ascii_lowercase().as_str() {
        "ivl" => Prop::Ivl,
        "ease" => Prop::Ease,
        "lapses" => Prop::Lapses,
        "reps" => Prop::Reps,
        "due" => Prop::Due,
        "s" => Prop::Stability,
        "d" => Prop::Difficulty,
        "r" => Prop::Retrievability,
        _ => {
            return Err(err(
                at,
                "expected ivl, ease, lapses, reps, due, s, d or r after 'prop:'",
            ));
        }
    };
    let rest: String = value.chars().skip(name_len).collect();
    let op_at = at + name_len;
    let (cmp, op_len) = [
        ("<=", Cmp::Le),
        (">=", Cmp::Ge),
        ("!=", Cmp::Ne),
        ("<", Cmp::Lt),
        (">", Cmp::Gt),
        ("=", Cmp::Eq),
    ]
    .iter()
    .find(|(s, _)| rest.starts_with(s))
    .map(|(s, c)| (*c, s.len()))
    .ok_or_else(|| {
        err(
            op_at,
            format!("expected = != < <= > or >= after 'prop:{name}'"),
        )
    })?;
    let number = &rest[op_len..];
    let n_at = op_at + op_len;
    let n: f64 = match prop {
        Prop::Ease | Prop::Stability | Prop::Difficulty | Prop::Retrievability => {
            number.parse::<f64>().ok().filter(|n| n.is_finite())
        }
        Prop::Due => number.parse::<i64>().ok().map(|n| n as f64),
        _ => number.parse::<u32>().ok().map(f64::from),
    }
    .ok_or_else(|| {
        let what = match prop {
            Prop::Ease | Prop::Stability | Prop::Difficulty | Prop::Retrievability => "a number",
            Prop::Due => "a whole number of days (negative: overdue)",
            _ => "a whole number",
        };
        err(
            n_at,
            format!("expected {what} after 'prop:{name}{}'", &rest[..op_len]),
        )
    })?;
    Ok(Query::Prop(prop, cmp, n))
}

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

/// Whether a query asks for retired cards; searches leave them out otherwise.
pub fn mentions_retired(q: &Query) -> bool {
    match q {
        Query::Is(CardIs::Retired) => true,
        Query::Not(inner) => mentions_retired(inner),
        Query::And(parts) | Query::Or(parts) => parts.iter().any(mentions_retired),
        _ => false,
    }
}

/// Whether a query has a term `is` says yes to.
pub fn mentions(q: &Query, is: fn(&Query) -> bool) -> bool {
    match q {
        Query::Not(inner) => mentions(inner, is),
        Query::And(parts) | Query::Or(parts) => parts.iter().any(|p| mentions(p, is)),
        q => is(q),
    }
}

/// What the reference evaluator needs to know of a card. Days are day numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct CardFacts {
    pub deck: String,
    pub front: String,
    pub back: String,
    /// Space-separated.
    pub tags: String,
    pub is_new: bool,
    pub repetitions: u32,
    pub ease: f64,
    pub interval: u32,
    /// None while new.
    pub due_day: Option<i64>,
    pub lapses: u32,
    pub last_review_day: Option<i64>,
    pub repeat_pending: bool,
    /// FSRS's memory state (0 while SM-2 schedules the card).
    pub stability: f64,
    pub difficulty: f64,
    pub suspended: bool,
    pub retired: bool,
    /// From the learner's own facts files.
    pub user: bool,
    pub leech: bool,
    /// Buried for today.
    pub buried: bool,
    pub flag: u8,
    pub added_day: i64,
    /// (study day, quality) of every answer.
    pub reviews: Vec<(i64, u8)>,
}

/// FSRS's recall probability `days` after the last review (what `prop:r` compares), on the
/// forgetting curve with `decay`: the same arithmetic the store's SQL function runs.
pub fn retrievability(stability: f64, days: i64, decay: f64) -> f64 {
    super::schedule::fsrs::retrievability(stability as f32, days.max(0) as f64, decay)
}

/// The reference semantics of a query, on plain data (the SQL the store runs must agree).
/// Leaves retired cards out unless the query mentions `is:retired`. Retrievability is on
/// FSRS-6's default forgetting curve.
pub fn matches(q: &Query, card: &CardFacts, today: i64) -> bool {
    (mentions_retired(q) || !card.retired) && eval(q, card, today)
}

fn eval(q: &Query, c: &CardFacts, today: i64) -> bool {
    let repeat_today = c.repeat_pending && c.last_review_day.is_some_and(|d| d >= today);
    match q {
        Query::All => true,
        Query::Text(t) => text_matches(t, &c.front) || text_matches(t, &c.back),
        Query::Deck(d) => deck_matches(d, &c.deck),
        Query::Tag(t) => tag_matches(t, &c.tags),
        Query::Is(CardIs::New) => c.is_new,
        Query::Is(CardIs::Due) => !c.is_new && c.due_day.is_some_and(|d| d <= today),
        Query::Is(CardIs::Review) => !c.is_new && c.repetitions > 0 && !repeat_today,
        Query::Is(CardIs::Repeat) => !c.is_new && repeat_today,
        Query::Is(CardIs::Suspended) => c.suspended,
        Query::Is(CardIs::Retired) => c.retired,
        Query::Is(CardIs::User) => c.user,
        Query::Is(CardIs::Leech) => c.leech,
        Query::Is(CardIs::Buried) => c.buried,
        Query::Prop(p, cmp, n) => {
            let value = match p {
                Prop::Ivl => Some(f64::from(c.interval)),
                Prop::Ease => Some(c.ease),
                Prop::Lapses => Some(f64::from(c.lapses)),
                Prop::Reps => Some(f64::from(c.repetitions)),
                Prop::Due => c.due_day.filter(|_| !c.is_new).map(|d| (d - today) as f64),
                Prop::Stability => (c.stability > 0.0).then_some(c.stability),
                Prop::Difficulty => (c.stability > 0.0).then(|| (c.difficulty - 1.0) / 9.0),
                Prop::Retrievability => {
                    c.last_review_day.filter(|_| c.stability > 0.0).map(|last| {
                        let decay = f64::from(super::schedule::fsrs::DEFAULT_WEIGHTS[20]);
                        retrievability(c.stability, today - last, decay)
                    })
                }
            };
            value.is_some_and(|v| cmp.holds(v, *n))
        }
        Query::Rated { days, quality } => c.reviews.iter().any(|(day, q)| {
            *day > today - i64::from(*days) && quality.is_none_or(|want| want == *q)
        }),
        Query::Added { days } => c.added_day > today - i64::from(*days),
        Query::Flag(n) => c.flag == *n,
        Query::Not(inner) => !eval(inner, c, today),
        Query::And(parts) => parts.iter().all(|p| eval(p, c, today)),
        Query::Or(parts) => parts.iter().any(|p| eval(p, c, today)),
    }
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
