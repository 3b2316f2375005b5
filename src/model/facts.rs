//! The facts that cards are generated from: parsing and validation (pure).
//!
//! Facts live in TOML files (see `cards/`). Parsing takes the files' names and texts and returns
//! either the validated [`Facts`] or the first [`FactsError`], which names `file:line:col`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

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

// ---- the files' shape -------------------------------------------------------------------------

type S = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    service: Vec<RawService>,
    #[serde(default)]
    list: Vec<RawList>,
    #[serde(default)]
    qa: Vec<RawQa>,
    #[serde(default)]
    family: Vec<RawFamily>,
    #[serde(default)]
    series: Vec<RawSeries>,
    #[serde(default)]
    instance_question: Vec<RawInstanceQuestion>,
    #[serde(default)]
    replaced: Vec<RawReplaced>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    id: S,
    name: S,
    formerly: Option<S>,
    part_of: Option<S>,
    note: Option<S>,
    status: Option<S>,
    source: Option<S>,
    url: Option<S>,
    notes: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    #[serde(rename = "ref")]
    service: S,
    cue: Option<S>,
    scenario: Option<S>,
    answer: Option<S>,
    detail: Option<S>,
    note: Option<S>,
    correction: Option<S>,
    history: Option<S>,
    source: Option<S>,
    url: Option<S>,
    notes: Option<S>,
}

/// The one card of a service that takes no new customers or is gone: what replaced it, when.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReplaced {
    service: S,
    front: S,
    back: S,
    note: Option<S>,
    source: Option<S>,
    url: Option<S>,
    notes: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    subject: S,
    relation: S,
    question: Option<S>,
    overview: Option<S>,
    #[serde(default)]
    open: bool,
    note: Option<S>,
    source: Option<S>,
    url: Option<S>,
    notes: Option<S>,
    items: Spanned<Vec<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQa {
    subject: Option<S>,
    id: S,
    kind: Option<S>,
    #[serde(default)]
    refs: Vec<S>,
    front: S,
    back: S,
    #[serde(default)]
    reverse: bool,
    note: Option<S>,
    correction: Option<S>,
    history: Option<S>,
    source: Option<S>,
    url: Option<S>,
    notes: Option<S>,
    deck: Option<S>,
    #[serde(default)]
    tags: Vec<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkload {
    id: S,
    text: S,
    note: Option<S>,
    correction: Option<S>,
    source: Option<S>,
    url: Option<S>,
    notes: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawType {
    code: S,
    status: Option<S>,
    note: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFamily {
    id: S,
    name: S,
    #[serde(default)]
    types: Vec<RawType>,
    #[serde(default)]
    workloads: Vec<RawWorkload>,
    source: Option<S>,
    url: Option<S>,
    notes: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeries {
    letter: S,
    family: S,
    #[serde(rename = "trait")]
    trait_: S,
    current: S,
    note: Option<S>,
    source: Option<S>,
    url: Option<S>,
    notes: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstanceQuestion {
    id: S,
    family: Option<S>,
    front: S,
    back: S,
    note: Option<S>,
    correction: Option<S>,
    source: Option<S>,
    url: Option<S>,
    notes: Option<S>,
}

// ---- parsing and validation --------------------------------------------------------------------

/// Bounds on what facts hold, where they are read and where `add` takes them: long enough for
/// any real card, short enough that nothing done with them grows out of hand (a deck of 10 000
/// levels cost seconds and gigabytes in every deck tree).
pub const MAX_TEXT_CHARS: usize = 10_000;
pub const MAX_DECK_LEVELS: usize = 8;
pub const MAX_DECK_CHARS: usize = 300;
pub const MAX_TAG_CHARS: usize = 100;
pub const MAX_TAGS: usize = 50;

/// The start of a long text, to name it in a message.
fn shown(text: &str) -> String {
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

/// Reports errors against one file.
struct Ctx<'a> {
    file: &'a SourceFile,
}

impl Ctx<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> FactsError {
        let (line, col) = line_col(&self.file.text, span.start);
        FactsError {
            file: self.file.name.clone(),
            line,
            col,
            message: message.into(),
        }
    }

    /// The trimmed text of a field that must not be empty nor longer than [`MAX_TEXT_CHARS`].
    fn text(&self, field: &str, value: &S) -> Result<String, FactsError> {
        let t = value.get_ref().trim();
        if t.is_empty() {
            return Err(self.err(value.span(), format!("`{field}` is empty")));
        }
        if let Some(why) = text_problem(field, t) {
            return Err(self.err(value.span(), why));
        }
        Ok(t.to_string())
    }

    fn opt_text(&self, field: &str, value: &Option<S>) -> Result<Option<String>, FactsError> {
        value.as_ref().map(|v| self.text(field, v)).transpose()
    }

    /// A fact's source: the page's title and URL (an `https://` address), the notes line.
    fn source(
        &self,
        title: &Option<S>,
        url: &Option<S>,
        notes: &Option<S>,
    ) -> Result<Source, FactsError> {
        if let Some(u) = url {
            let t = self.text("url", u)?;
            if !t.starts_with("https://") || t.contains(char::is_whitespace) {
                return Err(self.err(
                    u.span(),
                    format!("`url` \"{t}\" is not an https:// address"),
                ));
            }
        }
        Ok(Source {
            title: self.opt_text("source", title)?,
            url: self.opt_text("url", url)?,
            notes: self.opt_text("notes", notes)?,
        })
    }

    /// A tag: see [`tag_problem`].
    fn tag(&self, value: &S) -> Result<String, FactsError> {
        let t = value.get_ref().trim();
        match tag_problem(t) {
            Some(why) => Err(self.err(value.span(), why)),
            None => Ok(t.to_string()),
        }
    }

    /// A deck path: see [`deck_problem`]; levels are trimmed.
    fn deck(&self, value: &S) -> Result<String, FactsError> {
        let t = value.get_ref().trim();
        if let Some(why) = deck_problem(t) {
            return Err(self.err(value.span(), why));
        }
        Ok(t.split("::").map(str::trim).collect::<Vec<_>>().join("::"))
    }

    /// An identifier: lowercase letters, digits and `-` (it becomes part of keys and tags).
    fn id(&self, field: &str, value: &S) -> Result<String, FactsError> {
        let t = self.text(field, value)?;
        let ok = t
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            return Err(self.err(
                value.span(),
                format!("`{field}` \"{t}\" may only hold lowercase letters, digits and '-'"),
            ));
        }
        Ok(t)
    }

    /// An optional `status`: one of [`STATUSES`], and then a `note` must say what changed.
    fn status(
        &self,
        status: &Option<S>,
        note: &Option<S>,
        what: &str,
    ) -> Result<Option<String>, FactsError> {
        let Some(s) = status else { return Ok(None) };
        let t = self.text("status", s)?;
        if !STATUSES.contains(&t.as_str()) {
            return Err(self.err(
                s.span(),
                format!("`status` \"{t}\" is not one of: {}", STATUSES.join(", ")),
            ));
        }
        if note.is_none() {
            return Err(self.err(
                s.span(),
                format!("{what} has status \"{t}\": add a `note` that says what changed and when"),
            ));
        }
        Ok(Some(t))
    }
}

/// Where each id was first defined (file and byte offset), to report duplicates.
#[derive(Default)]
struct Seen<'a> {
    first: HashMap<String, (&'a SourceFile, usize)>,
}

impl<'a> Seen<'a> {
    fn insert(
        &mut self,
        ctx: &Ctx<'a>,
        what: &str,
        key: String,
        span: Range<usize>,
    ) -> Result<(), FactsError> {
        if let Some((file, offset)) = self.first.get(&key) {
            let (line, col) = line_col(&file.text, *offset);
            return Err(ctx.err(
                span,
                format!(
                    "duplicate {what} \"{key}\" (first defined at {}:{line}:{col})",
                    file.name
                ),
            ));
        }
        self.first.insert(key, (ctx.file, span.start));
        Ok(())
    }
}

/// Parses and validates facts files, in the order given.
pub fn parse(files: &[SourceFile]) -> Result<Facts, FactsError> {
    let mut raws = Vec::with_capacity(files.len());
    for file in files {
        let raw: RawFile = toml::from_str(&file.text).map_err(|e| {
            let (line, col) = line_col(&file.text, e.span().map_or(0, |s| s.start));
            FactsError {
                file: file.name.clone(),
                line,
                col,
                message: e.message().trim().to_string(),
            }
        })?;
        raws.push((file, raw));
    }

    // Services first: every other section refers to them, in any file.
    let mut b = Builder::default();
    for (file, raw) in &raws {
        let ctx = Ctx { file };
        for s in &raw.service {
            b.service(&ctx, s)?;
        }
    }
    b.known = b.facts.services.iter().map(|s| s.id.clone()).collect();
    let mut part_of = Vec::new();
    for (file, raw) in &raws {
        let ctx = Ctx { file };
        for s in &raw.service {
            part_of.push(
                s.part_of
                    .as_ref()
                    .map(|p| b.service_ref(&ctx, "part_of", p))
                    .transpose()?,
            );
        }
        for l in &raw.list {
            b.list(&ctx, l)?;
        }
        for q in &raw.qa {
            b.qa(&ctx, q)?;
        }
        for r in &raw.replaced {
            b.replaced(&ctx, r)?;
        }
        for f in &raw.family {
            b.family(&ctx, f)?;
        }
    }
    for (file, raw) in &raws {
        let ctx = Ctx { file };
        for s in &raw.series {
            b.series(&ctx, s)?;
        }
        for q in &raw.instance_question {
            b.instance_question(&ctx, q)?;
        }
    }
    for (service, p) in b.facts.services.iter_mut().zip(part_of) {
        service.part_of = p;
    }
    Ok(b.facts)
}

/// The facts parsed so far, and the ids seen, to report duplicates and unknown references.
#[derive(Default)]
struct Builder<'a> {
    facts: Facts,
    service_ids: Seen<'a>,
    known: HashSet<String>,
    fact_ids: Seen<'a>,
    family_ids: Seen<'a>,
    type_codes: Seen<'a>,
    series_letters: Seen<'a>,
    question_ids: Seen<'a>,
}

impl<'a> Builder<'a> {
    fn service(&mut self, ctx: &Ctx<'a>, s: &RawService) -> Result<(), FactsError> {
        let id = ctx.id("id", &s.id)?;
        self.service_ids
            .insert(ctx, "service id", id.clone(), s.id.span())?;
        self.facts.services.push(Service {
            id,
            name: no_deck_separator(ctx, "name", &s.name)?,
            formerly: ctx.opt_text("formerly", &s.formerly)?,
            part_of: None,
            note: ctx.opt_text("note", &s.note)?,
            status: ctx.status(&s.status, &s.note, "a service")?,
            source: ctx.source(&s.source, &s.url, &s.notes)?,
        });
        Ok(())
    }

    fn service_ref(&self, ctx: &Ctx, field: &str, value: &S) -> Result<String, FactsError> {
        let id = ctx.text(field, value)?;
        if !self.known.contains(&id) {
            return Err(ctx.err(
                value.span(),
                format!("unknown service \"{id}\": add a [[service]] with this id, or fix the id"),
            ));
        }
        Ok(id)
    }

    fn family_ref(&self, ctx: &Ctx, value: &S) -> Result<String, FactsError> {
        let id = ctx.text("family", value)?;
        if !self.family_ids.first.contains_key(&id) {
            return Err(ctx.err(
                value.span(),
                format!("unknown family \"{id}\": add a [[family]] with this id, or fix the id"),
            ));
        }
        Ok(id)
    }

    fn list(&mut self, ctx: &Ctx<'a>, l: &RawList) -> Result<(), FactsError> {
        let subject = self.service_ref(ctx, "subject", &l.subject)?;
        let relation = ctx.id("relation", &l.relation)?;
        self.fact_ids.insert(
            ctx,
            "fact id",
            format!("{subject}/{relation}"),
            l.relation.span(),
        )?;
        let question = ctx.opt_text("question", &l.question)?;
        if let (Some(q), Some(raw)) = (&question, &l.question)
            && q.matches(CUE).count() != 1
        {
            return Err(ctx.err(
                raw.span(),
                format!("`question` must hold {CUE} once: it is replaced by each item's cue"),
            ));
        }
        let items = l.items.get_ref();
        if items.is_empty() {
            return Err(ctx.err(l.items.span(), "`items` is empty"));
        }
        if let Some(o) = &l.overview
            && (l.open || items.len() > MAX_OVERVIEW_ITEMS)
        {
            return Err(ctx.err(
                o.span(),
                format!(
                    "an overview card is only for a closed list of at most \
                     {MAX_OVERVIEW_ITEMS} items: remove `overview`"
                ),
            ));
        }
        let mut item_ids = Seen::default();
        let mut parsed = Vec::with_capacity(items.len());
        for item in items {
            let service = self.service_ref(ctx, "ref", &item.service)?;
            item_ids.insert(ctx, "item", service.clone(), item.service.span())?;
            let cue = ctx.opt_text("cue", &item.cue)?;
            if cue.is_some() && question.is_none() {
                return Err(ctx.err(
                    item.service.span(),
                    format!("an item with a `cue` needs the list's `question` (with {CUE})"),
                ));
            }
            let answer = match item.answer.as_ref().map(|a| (a, a.get_ref().trim())) {
                None | Some((_, "item")) => Answer::Item,
                Some((_, "subject")) => Answer::Subject,
                Some((a, other)) => {
                    return Err(ctx.err(
                        a.span(),
                        format!("`answer` \"{other}\" is neither \"subject\" nor \"item\""),
                    ));
                }
            };
            let scenario = ctx.opt_text("scenario", &item.scenario)?;
            if cue.is_none() && scenario.is_none() {
                return Err(ctx.err(
                    item.service.span(),
                    "an item needs a `scenario` (or a `cue`): the question of its card",
                ));
            }
            parsed.push(ListItem {
                service,
                cue,
                scenario: scenario.map(|s| (s, answer)),
                detail: ctx.opt_text("detail", &item.detail)?,
                note: ctx.opt_text("note", &item.note)?,
                correction: ctx.opt_text("correction", &item.correction)?,
                history: ctx.opt_text("history", &item.history)?,
                source: ctx.source(&item.source, &item.url, &item.notes)?,
            });
        }
        self.facts.lists.push(RelationList {
            subject,
            relation,
            question,
            overview: ctx.opt_text("overview", &l.overview)?,
            open: l.open,
            note: ctx.opt_text("note", &l.note)?,
            source: ctx.source(&l.source, &l.url, &l.notes)?,
            items: parsed,
        });
        Ok(())
    }

    /// The card of a service that takes no new customers or is gone: a question of its own.
    fn replaced(&mut self, ctx: &Ctx<'a>, r: &RawReplaced) -> Result<(), FactsError> {
        let subject = self.service_ref(ctx, "service", &r.service)?;
        self.fact_ids.insert(
            ctx,
            "fact id",
            format!("{subject}/replaced"),
            r.service.span(),
        )?;
        self.facts.qas.push(Qa {
            subject: Some(subject),
            id: super::cardgen::REPLACED_KIND.into(),
            kind: Some(super::cardgen::REPLACED_KIND.into()),
            refs: Vec::new(),
            front: ctx.text("front", &r.front)?,
            back: ctx.text("back", &r.back)?,
            reverse: false,
            note: ctx.opt_text("note", &r.note)?,
            correction: None,
            history: None,
            source: ctx.source(&r.source, &r.url, &r.notes)?,
            deck: None,
            tags: Vec::new(),
        });
        Ok(())
    }

    fn qa(&mut self, ctx: &Ctx<'a>, q: &RawQa) -> Result<(), FactsError> {
        let subject = q
            .subject
            .as_ref()
            .map(|s| self.service_ref(ctx, "subject", s))
            .transpose()?;
        let id = ctx.id("id", &q.id)?;
        let fact = match &subject {
            Some(subject) => format!("{subject}/{id}"),
            None => id.clone(),
        };
        self.fact_ids.insert(ctx, "fact id", fact, q.id.span())?;
        if let Some(extra) = q.tags.get(MAX_TAGS) {
            return Err(ctx.err(
                extra.span(),
                format!("more than {MAX_TAGS} tags: keep the ones you search by"),
            ));
        }
        let tags = q
            .tags
            .iter()
            .map(|t| ctx.tag(t))
            .collect::<Result<Vec<_>, _>>()?;
        let refs = q
            .refs
            .iter()
            .map(|r| self.service_ref(ctx, "refs", r))
            .collect::<Result<Vec<_>, _>>()?;
        self.facts.qas.push(Qa {
            subject,
            id,
            kind: q.kind.as_ref().map(|k| ctx.id("kind", k)).transpose()?,
            refs,
            front: ctx.text("front", &q.front)?,
            back: ctx.text("back", &q.back)?,
            reverse: q.reverse,
            note: ctx.opt_text("note", &q.note)?,
            correction: ctx.opt_text("correction", &q.correction)?,
            history: ctx.opt_text("history", &q.history)?,
            source: ctx.source(&q.source, &q.url, &q.notes)?,
            deck: q.deck.as_ref().map(|d| ctx.deck(d)).transpose()?,
            tags,
        });
        Ok(())
    }

    fn family(&mut self, ctx: &Ctx<'a>, f: &RawFamily) -> Result<(), FactsError> {
        let id = ctx.id("id", &f.id)?;
        self.family_ids
            .insert(ctx, "family id", id.clone(), f.id.span())?;
        let mut types = Vec::with_capacity(f.types.len());
        for t in &f.types {
            let code = ctx.text("code", &t.code)?;
            if !code.starts_with(|c: char| c.is_ascii_alphabetic())
                || !code.chars().all(|c| c.is_ascii_alphanumeric())
            {
                return Err(ctx.err(
                    t.code.span(),
                    format!("instance type \"{code}\" must be letters, then letters and digits"),
                ));
            }
            self.type_codes
                .insert(ctx, "instance type", code.to_lowercase(), t.code.span())?;
            types.push(InstanceType {
                code,
                status: ctx.status(&t.status, &t.note, "an instance type")?,
                note: ctx.opt_text("note", &t.note)?,
            });
        }
        let mut workload_ids = Seen::default();
        let mut workloads = Vec::with_capacity(f.workloads.len());
        for w in &f.workloads {
            let wid = ctx.id("id", &w.id)?;
            workload_ids.insert(ctx, "workload id", wid.clone(), w.id.span())?;
            workloads.push(Workload {
                id: wid,
                text: ctx.text("text", &w.text)?,
                note: ctx.opt_text("note", &w.note)?,
                correction: ctx.opt_text("correction", &w.correction)?,
                source: ctx.source(&w.source, &w.url, &w.notes)?,
            });
        }
        self.facts.families.push(Family {
            id,
            name: ctx.text("name", &f.name)?,
            types,
            workloads,
            source: ctx.source(&f.source, &f.url, &f.notes)?,
        });
        Ok(())
    }

    fn series(&mut self, ctx: &Ctx<'a>, s: &RawSeries) -> Result<(), FactsError> {
        let letter = ctx.text("letter", &s.letter)?;
        if !letter.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(ctx.err(
                s.letter.span(),
                format!("series \"{letter}\" may only hold letters"),
            ));
        }
        self.series_letters
            .insert(ctx, "series", letter.to_lowercase(), s.letter.span())?;
        self.facts.series.push(Series {
            letter,
            family: self.family_ref(ctx, &s.family)?,
            trait_: ctx.text("trait", &s.trait_)?,
            current: ctx.text("current", &s.current)?,
            note: ctx.opt_text("note", &s.note)?,
            source: ctx.source(&s.source, &s.url, &s.notes)?,
        });
        Ok(())
    }

    fn instance_question(
        &mut self,
        ctx: &Ctx<'a>,
        q: &RawInstanceQuestion,
    ) -> Result<(), FactsError> {
        let id = ctx.id("id", &q.id)?;
        self.question_ids
            .insert(ctx, "instance question id", id.clone(), q.id.span())?;
        self.facts.instance_questions.push(InstanceQuestion {
            id,
            family: q
                .family
                .as_ref()
                .map(|f| self.family_ref(ctx, f))
                .transpose()?,
            front: ctx.text("front", &q.front)?,
            back: ctx.text("back", &q.back)?,
            note: ctx.opt_text("note", &q.note)?,
            correction: ctx.opt_text("correction", &q.correction)?,
            source: ctx.source(&q.source, &q.url, &q.notes)?,
        });
        Ok(())
    }
}

/// Service names become deck names, where `::` separates levels.
fn no_deck_separator(ctx: &Ctx, field: &str, value: &S) -> Result<String, FactsError> {
    let t = ctx.text(field, value)?;
    if t.contains("::") {
        return Err(ctx.err(value.span(), format!("`{field}` must not contain \"::\"")));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<Facts, FactsError> {
        parse(&[SourceFile {
            name: "f.toml".into(),
            text: text.into(),
        }])
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\nx", 3), (2, 1));
    }

    #[test]
    fn empty_input_is_empty_facts() {
        assert_eq!(one("").unwrap(), Facts::default());
    }

    #[test]
    fn part_of_may_refer_forward() {
        let f = one(
            "[[service]]\nid = \"a\"\nname = \"A\"\npart_of = \"b\"\n\n[[service]]\nid = \"b\"\nname = \"B\"\n",
        )
        .unwrap();
        assert_eq!(f.services[0].part_of.as_deref(), Some("b"));
    }

    #[test]
    fn bad_id_characters_are_rejected() {
        let e = one("[[service]]\nid = \"Has Space\"\nname = \"A\"\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 6));
        assert!(e.message.contains("lowercase"), "{e}");
    }
}
