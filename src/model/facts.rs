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

/// A service, tool or product that facts refer to.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub id: String,
    pub name: String,
    /// Facts about this service are filed in this service's deck.
    pub part_of: Option<String>,
    /// Shown on the back of every card that mentions the service.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub service: String,
    pub detail: Option<String>,
}

/// A set of services related to a subject ("Firehose delivers to S3, Redshift, …").
#[derive(Debug, Clone, PartialEq)]
pub struct RelationList {
    pub subject: String,
    pub relation: String,
    pub prompt: String,
    pub overview: String,
    pub more: bool,
    pub items: Vec<ListItem>,
}

/// One question and its answer about a subject.
#[derive(Debug, Clone, PartialEq)]
pub struct Qa {
    pub subject: String,
    pub id: String,
    pub kind: Option<String>,
    pub refs: Vec<String>,
    pub front: String,
    pub back: String,
    pub reverse: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    pub id: String,
    pub name: String,
    pub types: Vec<String>,
    pub workloads: Vec<Workload>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InstanceQuestion {
    pub id: String,
    pub family: String,
    pub front: String,
    pub back: String,
}

/// All facts, validated: every reference resolves, ids are unique, no field is empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub services: Vec<Service>,
    pub lists: Vec<RelationList>,
    pub qas: Vec<Qa>,
    pub families: Vec<Family>,
    pub instance_questions: Vec<InstanceQuestion>,
}

impl Facts {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }
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
    instance_question: Vec<RawInstanceQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    id: S,
    name: S,
    part_of: Option<S>,
    note: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    #[serde(rename = "ref")]
    service: S,
    detail: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    subject: S,
    relation: S,
    prompt: S,
    overview: S,
    #[serde(default)]
    more: bool,
    items: Spanned<Vec<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQa {
    subject: S,
    id: S,
    kind: Option<S>,
    #[serde(default)]
    refs: Vec<S>,
    front: S,
    back: S,
    #[serde(default)]
    reverse: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkload {
    id: S,
    text: S,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFamily {
    id: S,
    name: S,
    types: Spanned<Vec<S>>,
    #[serde(default)]
    workloads: Vec<RawWorkload>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstanceQuestion {
    id: S,
    family: S,
    front: S,
    back: S,
}

// ---- parsing and validation --------------------------------------------------------------------

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

    /// The trimmed text of a field that must not be empty.
    fn text(&self, field: &str, value: &S) -> Result<String, FactsError> {
        let t = value.get_ref().trim();
        if t.is_empty() {
            return Err(self.err(value.span(), format!("`{field}` is empty")));
        }
        Ok(t.to_string())
    }

    fn opt_text(&self, field: &str, value: &Option<S>) -> Result<Option<String>, FactsError> {
        value.as_ref().map(|v| self.text(field, v)).transpose()
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
    let mut facts = Facts::default();
    let mut service_ids = Seen::default();
    for (file, raw) in &raws {
        let ctx = Ctx { file };
        for s in &raw.service {
            let id = ctx.id("id", &s.id)?;
            service_ids.insert(&ctx, "service id", id.clone(), s.id.span())?;
            facts.services.push(Service {
                id,
                name: no_deck_separator(&ctx, "name", &s.name)?,
                part_of: None,
                note: ctx.opt_text("note", &s.note)?,
            });
        }
    }
    let known: HashSet<String> = facts.services.iter().map(|s| s.id.clone()).collect();
    let service_ref = |ctx: &Ctx, field: &str, value: &S| -> Result<String, FactsError> {
        let id = ctx.text(field, value)?;
        if !known.contains(&id) {
            return Err(ctx.err(
                value.span(),
                format!("unknown service \"{id}\": add a [[service]] with this id, or fix the id"),
            ));
        }
        Ok(id)
    };

    let mut part_of = Vec::new();
    let mut fact_ids = Seen::default();
    let mut family_ids = Seen::default();
    let mut type_codes = Seen::default();
    let mut question_ids = Seen::default();
    let mut families_to_check = Vec::new();
    for (file, raw) in &raws {
        let ctx = Ctx { file };
        for s in &raw.service {
            if let Some(p) = &s.part_of {
                part_of.push(Some(service_ref(&ctx, "part_of", p)?));
            } else {
                part_of.push(None);
            }
        }
        for l in &raw.list {
            let subject = service_ref(&ctx, "subject", &l.subject)?;
            let relation = ctx.id("relation", &l.relation)?;
            fact_ids.insert(
                &ctx,
                "fact id",
                format!("{subject}/{relation}"),
                l.relation.span(),
            )?;
            if l.items.get_ref().is_empty() {
                return Err(ctx.err(l.items.span(), "`items` is empty"));
            }
            let mut item_ids = Seen::default();
            let mut items = Vec::new();
            for item in l.items.get_ref() {
                let service = service_ref(&ctx, "ref", &item.service)?;
                item_ids.insert(&ctx, "item", service.clone(), item.service.span())?;
                items.push(ListItem {
                    service,
                    detail: ctx.opt_text("detail", &item.detail)?,
                });
            }
            facts.lists.push(RelationList {
                subject,
                relation,
                prompt: ctx.text("prompt", &l.prompt)?,
                overview: ctx.text("overview", &l.overview)?,
                more: l.more,
                items,
            });
        }
        for q in &raw.qa {
            let subject = service_ref(&ctx, "subject", &q.subject)?;
            let id = ctx.id("id", &q.id)?;
            fact_ids.insert(&ctx, "fact id", format!("{subject}/{id}"), q.id.span())?;
            let refs = q
                .refs
                .iter()
                .map(|r| service_ref(&ctx, "refs", r))
                .collect::<Result<Vec<_>, _>>()?;
            facts.qas.push(Qa {
                subject,
                id,
                kind: q.kind.as_ref().map(|k| ctx.id("kind", k)).transpose()?,
                refs,
                front: ctx.text("front", &q.front)?,
                back: ctx.text("back", &q.back)?,
                reverse: q.reverse,
            });
        }
        for f in &raw.family {
            let id = ctx.id("id", &f.id)?;
            family_ids.insert(&ctx, "family id", id.clone(), f.id.span())?;
            if f.types.get_ref().is_empty() {
                return Err(ctx.err(f.types.span(), "`types` is empty"));
            }
            let mut types = Vec::new();
            for t in f.types.get_ref() {
                let code = ctx.text("types", t)?;
                if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Err(ctx.err(
                        t.span(),
                        format!("instance type \"{code}\" may only hold letters and digits"),
                    ));
                }
                type_codes.insert(&ctx, "instance type", code.to_lowercase(), t.span())?;
                types.push(code);
            }
            let mut workload_ids = Seen::default();
            let mut workloads = Vec::new();
            for w in &f.workloads {
                let wid = ctx.id("id", &w.id)?;
                workload_ids.insert(&ctx, "workload id", wid.clone(), w.id.span())?;
                workloads.push(Workload {
                    id: wid,
                    text: ctx.text("text", &w.text)?,
                });
            }
            facts.families.push(Family {
                id,
                name: ctx.text("name", &f.name)?,
                types,
                workloads,
            });
        }
        for q in &raw.instance_question {
            let id = ctx.id("id", &q.id)?;
            question_ids.insert(&ctx, "instance question id", id.clone(), q.id.span())?;
            families_to_check.push((file, q.family.clone()));
            facts.instance_questions.push(InstanceQuestion {
                id,
                family: ctx.text("family", &q.family)?,
                front: ctx.text("front", &q.front)?,
                back: ctx.text("back", &q.back)?,
            });
        }
    }
    for (service, p) in facts.services.iter_mut().zip(part_of) {
        service.part_of = p;
    }
    for (file, family) in families_to_check {
        if !family_ids.first.contains_key(family.get_ref().trim()) {
            let ctx = Ctx { file };
            return Err(ctx.err(
                family.span(),
                format!(
                    "unknown family \"{}\": add a [[family]] with this id, or fix the id",
                    family.get_ref()
                ),
            ));
        }
    }
    Ok(facts)
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
