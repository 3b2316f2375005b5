//! Facts → cards (pure). One fact per card; keys come from fact ids, never from wording.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::facts::{Answer, CUE, Facts, InstanceType, RelationList, Service, Source, series_of};

/// The root of every bundled deck path.
pub const ROOT_DECK: &str = "AWS Big Data";
/// The tag of cards whose fact corrects the study notes.
pub const CORRECTED_TAG: &str = "corrected";

/// The kind of the card that says what replaced a service that is gone, and its deck.
pub const REPLACED_KIND: &str = "replaced";
pub const RETIRED_DECK: &str = "Retired services";

/// The deck of a question that names no subject and no deck.
pub const OWN_DECK: &str = "My cards";

/// What the keys of cards from the learner's own facts files start with.
pub const USER_KEY_PREFIX: &str = "user/";

/// The fact a card comes from, which its siblings share: its key without the kind of card
/// and, for an item of a list, without the item (`integration/firehose/destination` for
/// `integration/firehose/destination/splunk/cloze`; `integration/athena/x` for
/// `integration/athena/x/qa` and `…/reverse`). A card of the learner's keeps its `user/`.
pub fn fact_of(key: &str) -> &str {
    let rest = key.strip_prefix(USER_KEY_PREFIX).unwrap_or(key);
    let offset = key.len() - rest.len();
    let segments = rest.split('/').count();
    let keep = segments.saturating_sub(1).clamp(1, 3);
    let end = rest
        .match_indices('/')
        .nth(keep - 1)
        .map_or(rest.len(), |(i, _)| i);
    &key[..offset + end]
}

/// A generated card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    /// Stable identity: from the fact and the kind of card.
    pub key: String,
    /// Deck path, levels separated by `::`.
    pub deck: String,
    pub front: String,
    pub back: String,
    /// Extra information shown under the answer: corrections of the notes, current names of
    /// renamed services, what changed and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Tags: no spaces.
    pub tags: Vec<String>,
    /// Where the fact was checked: the title of the page a learner can open...
    #[serde(default)]
    pub source: Option<String>,
    /// ...and its address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
}

impl Card {
    fn with_source(mut self, source: &Source) -> Card {
        self.source = source.title.clone();
        self.source_url = source.url.clone();
        self
    }
}

/// Generates every card, in the order of the facts.
pub fn generate(facts: &Facts) -> Vec<Card> {
    let g = Generator {
        facts,
        services: facts.services.iter().map(|s| (s.id.as_str(), s)).collect(),
    };
    let mut cards = Vec::new();
    for list in &facts.lists {
        g.list_cards(list, &mut cards);
    }
    g.qa_cards(&mut cards);
    g.instance_cards(&mut cards);
    cards
}

struct Generator<'a> {
    facts: &'a Facts,
    /// Services by id.
    services: HashMap<&'a str, &'a Service>,
}

impl<'a> Generator<'a> {
    fn service_name(&self, id: &'a str) -> &'a str {
        self.services.get(id).map_or(id, |s| s.name.as_str())
    }

    /// A service as an answer shows it: its current name, then "(formerly …)".
    fn answer_name(&self, id: &str) -> String {
        self.services
            .get(id)
            .map_or_else(|| id.to_string(), |s| s.display_name())
    }

    /// The deck of facts about a service: its own, or that of the service it is part of.
    fn integration_deck(&self, subject: &'a str) -> String {
        let owner = self
            .services
            .get(subject)
            .and_then(|s| s.part_of.as_deref())
            .unwrap_or(subject);
        format!("{ROOT_DECK}::Integrations::{}", self.service_name(owner))
    }

    /// The subject's id, and the id of the service it is part of.
    fn service_tags(&self, subject: &str) -> Vec<String> {
        let mut tags = vec![subject.to_string()];
        if let Some(parent) = self.services.get(subject).and_then(|s| s.part_of.clone()) {
            push_unique(&mut tags, parent);
        }
        tags
    }

    /// The card's own notes, one per line, each once; a card with none shows the note of the
    /// service that is its answer (what became of it).
    fn notes(&self, own: &[Option<String>], answer: Option<&str>) -> Option<String> {
        join_notes(own.iter().map(Option::as_deref))
            .or_else(|| answer.and_then(|id| self.services.get(id).and_then(|s| s.note.clone())))
    }

    fn list_cards(&self, list: &'a RelationList, cards: &mut Vec<Card>) {
        let deck = self.integration_deck(&list.subject);
        let base = format!("integration/{}/{}", list.subject, list.relation);
        let mut list_tags = self.service_tags(&list.subject);
        push_unique(&mut list_tags, list.relation.clone());

        for item in &list.items {
            let mut tags = list_tags.clone();
            push_unique(&mut tags, item.service.clone());
            tag_correction(&mut tags, &item.correction);
            let own = fact_notes(&item.correction, &item.note, &item.history);
            let source = item.source.or(&list.source);
            let item_answer = || {
                let mut back = self.answer_name(&item.service);
                if let Some(detail) = &item.detail {
                    back.push_str(&format!(" — {detail}"));
                }
                back
            };
            if let (Some(cue), Some(question)) = (&item.cue, &list.question) {
                let mut notes = own.to_vec();
                notes.push(list.note.clone());
                cards.push(
                    Card {
                        // The key predates cue questions (items were clozes): kept, so that
                        // history and Anki guids carry over.
                        key: format!("{base}/{}/cloze", item.service),
                        deck: deck.clone(),
                        front: question.replacen(CUE, cue, 1),
                        back: item_answer(),
                        note: self.notes(&notes, Some(&item.service)),
                        tags: tags.clone(),
                        source: None,
                        source_url: None,
                    }
                    .with_source(&source),
                );
            }
            if let Some((scenario, answer)) = &item.scenario {
                let (back, answer) = match answer {
                    Answer::Item => (item_answer(), item.service.as_str()),
                    Answer::Subject => (self.answer_name(&list.subject), list.subject.as_str()),
                };
                cards.push(
                    Card {
                        key: format!("{base}/{}/scenario", item.service),
                        deck: deck.clone(),
                        front: scenario.clone(),
                        back,
                        note: self.notes(&own, Some(answer)),
                        tags,
                        source: None,
                        source_url: None,
                    }
                    .with_source(&source),
                );
            }
        }

        // The parser allows an overview only on a closed short list.
        if let Some(overview) = &list.overview {
            let lines: Vec<String> = list
                .items
                .iter()
                .map(|item| match &item.detail {
                    Some(d) => format!("• {} — {d}", self.answer_name(&item.service)),
                    None => format!("• {}", self.answer_name(&item.service)),
                })
                .collect();
            cards.push(
                Card {
                    key: format!("{base}/overview"),
                    deck,
                    front: format!("{overview} ({})", list.items.len()),
                    back: lines.join("\n"),
                    note: self.notes(std::slice::from_ref(&list.note), None),
                    tags: list_tags,
                    source: None,
                    source_url: None,
                }
                .with_source(&list.source),
            );
        }
    }

    fn qa_cards(&self, cards: &mut Vec<Card>) {
        for qa in &self.facts.qas {
            let subject = qa.subject.as_deref();
            let deck = match (&qa.deck, subject) {
                (Some(deck), _) => deck.clone(),
                // What replaced a service that is gone: together, not a deck each.
                (None, Some(_)) if qa.kind.as_deref() == Some(REPLACED_KIND) => {
                    format!("{ROOT_DECK}::{RETIRED_DECK}")
                }
                (None, Some(subject)) => self.integration_deck(subject),
                (None, None) => OWN_DECK.to_string(),
            };
            let mut tags = subject.map_or_else(Vec::new, |s| self.service_tags(s));
            for r in &qa.refs {
                push_unique(&mut tags, r.clone());
            }
            if let Some(kind) = &qa.kind {
                push_unique(&mut tags, kind.clone());
            }
            for t in &qa.tags {
                push_unique(&mut tags, t.clone());
            }
            tag_correction(&mut tags, &qa.correction);
            let note = join_notes(
                fact_notes(&qa.correction, &qa.note, &qa.history)
                    .iter()
                    .map(Option::as_deref),
            );
            let base = match subject {
                Some(subject) => format!("integration/{subject}/{}", qa.id),
                None => format!("qa/{}", qa.id),
            };
            let card = Card {
                key: format!("{base}/qa"),
                deck,
                front: qa.front.clone(),
                back: qa.back.clone(),
                note,
                tags,
                source: None,
                source_url: None,
            }
            .with_source(&qa.source);
            let reverse = qa.reverse.then(|| Card {
                key: format!("{base}/reverse"),
                front: card.back.clone(),
                back: card.front.clone(),
                ..card.clone()
            });
            cards.push(card);
            cards.extend(reverse);
        }
    }

    fn instance_cards(&self, cards: &mut Vec<Card>) {
        let facts = self.facts;
        let deck = format!("{ROOT_DECK}::Instance families");
        let tags = |family: Option<&str>, relation: &str| {
            let mut t = vec!["ec2".to_string(), "instance-family".to_string()];
            t.extend(family.map(str::to_string));
            t.push(relation.to_string());
            t
        };
        let family_names: HashMap<&str, &str> = facts
            .families
            .iter()
            .map(|f| (f.id.as_str(), f.name.as_str()))
            .collect();
        // The types the notes name, by series, to show what became of them.
        let mut types_by_series: HashMap<String, Vec<&InstanceType>> = HashMap::new();
        for t in facts.families.iter().flat_map(|f| &f.types) {
            types_by_series
                .entry(series_of(&t.code))
                .or_default()
                .push(t);
        }
        for s in &facts.series {
            let letter = s.letter.to_lowercase();
            let history = types_by_series.get(&letter).map_or(&[][..], Vec::as_slice);
            let family = family_names
                .get(s.family.as_str())
                .copied()
                .unwrap_or(s.family.as_str());
            cards.push(
                Card {
                    key: format!("instance/series/{letter}/family"),
                    deck: deck.clone(),
                    front: format!(
                        "EC2 instance types of the \"{}\" series (today {}): which instance \
                         family?",
                        s.letter, s.current
                    ),
                    back: family.to_string(),
                    note: history_note(history),
                    tags: tags(Some(&s.family), "series"),
                    source: None,
                    source_url: None,
                }
                .with_source(&s.source),
            );
            cards.push(
                Card {
                    key: format!("instance/series/{letter}/trait"),
                    deck: deck.clone(),
                    front: format!(
                        "EC2 \"{}\" series (today {}): what one trait defines it?",
                        s.letter, s.current
                    ),
                    back: s.trait_.clone(),
                    note: s.note.clone(),
                    tags: tags(Some(&s.family), "series"),
                    source: None,
                    source_url: None,
                }
                .with_source(&s.source),
            );
        }
        for f in &facts.families {
            for w in &f.workloads {
                let mut tags = tags(Some(&f.id), "workload");
                tag_correction(&mut tags, &w.correction);
                let own = fact_notes(&w.correction, &w.note, &None);
                cards.push(
                    Card {
                        key: format!("instance/{}/workload/{}/reverse", f.id, w.id),
                        deck: deck.clone(),
                        front: format!("{} Which EC2 instance family fits it?", w.text),
                        back: f.name.clone(),
                        note: join_notes(own.iter().map(Option::as_deref)),
                        tags,
                        source: None,
                        source_url: None,
                    }
                    .with_source(&w.source.or(&f.source)),
                );
            }
        }
        for q in &facts.instance_questions {
            let mut tags = tags(q.family.as_deref(), "question");
            tag_correction(&mut tags, &q.correction);
            let own = fact_notes(&q.correction, &q.note, &None);
            cards.push(
                Card {
                    key: format!("instance/question/{}/qa", q.id),
                    deck: deck.clone(),
                    front: q.front.clone(),
                    back: q.back.clone(),
                    note: join_notes(own.iter().map(Option::as_deref)),
                    tags,
                    source: None,
                    source_url: None,
                }
                .with_source(&q.source),
            );
        }
    }
}

/// What became of the types of a series that the 2019 study notes named, in one line: "Its
/// types in 2019: C4 (previous generation now), C5."
fn history_note(types: &[&InstanceType]) -> Option<String> {
    let named: Vec<String> = types
        .iter()
        .map(|t| match &t.status {
            Some(status) => format!("{} ({status} now)", t.code),
            None => t.code.clone(),
        })
        .collect();
    (!named.is_empty()).then(|| format!("Its types in 2019: {}.", named.join(", ")))
}

/// A fact's own notes: its correction of the study notes first, then its note, then what
/// changed since and when.
fn fact_notes(
    correction: &Option<String>,
    note: &Option<String>,
    history: &Option<String>,
) -> [Option<String>; 3] {
    [
        correction.as_ref().map(|c| format!("Correction: {c}")),
        note.clone(),
        history.clone(),
    ]
}

fn tag_correction(tags: &mut Vec<String>, correction: &Option<String>) {
    if correction.is_some() {
        push_unique(tags, CORRECTED_TAG.to_string());
    }
}

fn push_unique(tags: &mut Vec<String>, tag: String) {
    if !tags.contains(&tag) {
        tags.push(tag);
    }
}

/// Notes one per line, each once.
fn join_notes<'n>(notes: impl Iterator<Item = Option<&'n str>>) -> Option<String> {
    let mut seen: Vec<&str> = Vec::new();
    for note in notes.flatten() {
        if !seen.contains(&note) {
            seen.push(note);
        }
    }
    (!seen.is_empty()).then(|| seen.join("\n"))
}

#[cfg(test)]
mod fact_tests {
    use super::*;

    #[test]
    fn siblings_share_the_fact_of_their_keys() {
        let cases = [
            (
                "integration/firehose/destination/splunk/cloze",
                "integration/firehose/destination",
            ),
            (
                "integration/firehose/destination/overview",
                "integration/firehose/destination",
            ),
            (
                "integration/athena/source-only-s3/qa",
                "integration/athena/source-only-s3",
            ),
            (
                "integration/athena/source-only-s3/reverse",
                "integration/athena/source-only-s3",
            ),
            ("instance/series/c/family", "instance/series/c"),
            (
                "instance/compute-optimized/workload/batch/reverse",
                "instance/compute-optimized/workload",
            ),
            (
                "instance/question/suffix-g/qa",
                "instance/question/suffix-g",
            ),
            ("user/qa/my-card/qa", "user/qa/my-card"),
            (
                "user/integration/s3/mine/reverse",
                "user/integration/s3/mine",
            ),
            ("odd", "odd"),
        ];
        for (key, fact) in cases {
            assert_eq!(fact_of(key), fact, "{key}");
        }
    }
}
