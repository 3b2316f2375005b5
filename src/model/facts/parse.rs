//! Parsing and validating facts files into [`Facts`], the first error named `file:line:col`.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::limits::*;
use super::raw::*;
use super::*;

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
            id: crate::model::cardgen::REPLACED_KIND.into(),
            kind: Some(crate::model::cardgen::REPLACED_KIND.into()),
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
