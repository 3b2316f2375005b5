//! Parsing a search: the query text into tokens, then into a [`Query`], within limits that
//! bound the work of any search.

use super::{CardIs, Cmp, ParseError, Prop, Query};

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
