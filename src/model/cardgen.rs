//! Facts → cards (pure). One fact per card; keys come from fact ids, never from wording.

use serde::Serialize;

use super::facts::{Facts, RelationList};

/// The root of every bundled deck path.
pub const ROOT_DECK: &str = "AWS Big Data";
/// The cloze gap, as Anki shows it.
pub const GAP: &str = "[...]";

/// A generated card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    /// Stable identity: from the fact and the kind of card.
    pub key: String,
    /// Deck path, levels separated by `::`.
    pub deck: String,
    pub front: String,
    pub back: String,
    /// Extra information shown under the answer (current names of renamed services).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Tags: no spaces.
    pub tags: Vec<String>,
}

/// Generates every card, in the order of the facts.
pub fn generate(facts: &Facts) -> Vec<Card> {
    let mut cards = Vec::new();
    for list in &facts.lists {
        list_cards(facts, list, &mut cards);
    }
    for qa in &facts.qas {
        let deck = integration_deck(facts, &qa.subject);
        let mut tags = service_tags(facts, &qa.subject);
        for r in &qa.refs {
            push_unique(&mut tags, r.clone());
        }
        if let Some(kind) = &qa.kind {
            push_unique(&mut tags, kind.clone());
        }
        let mut mentioned = vec![qa.subject.as_str()];
        mentioned.extend(qa.refs.iter().map(String::as_str));
        let note = notes(facts, &mentioned);
        let base = format!("integration/{}/{}", qa.subject, qa.id);
        cards.push(Card {
            key: format!("{base}/qa"),
            deck: deck.clone(),
            front: qa.front.clone(),
            back: qa.back.clone(),
            note: note.clone(),
            tags: tags.clone(),
        });
        if qa.reverse {
            cards.push(Card {
                key: format!("{base}/reverse"),
                deck,
                front: qa.back.clone(),
                back: qa.front.clone(),
                note,
                tags,
            });
        }
    }
    instance_cards(facts, &mut cards);
    cards
}

fn list_cards(facts: &Facts, list: &RelationList, cards: &mut Vec<Card>) {
    let deck = integration_deck(facts, &list.subject);
    let base = format!("integration/{}/{}", list.subject, list.relation);
    let mut list_tags = service_tags(facts, &list.subject);
    push_unique(&mut list_tags, list.relation.clone());

    for (i, item) in list.items.iter().enumerate() {
        let others: Vec<&str> = list
            .items
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, o)| service_name(facts, &o.service))
            .collect();
        let mut front = format!("{} {GAP}", list.prompt);
        if !others.is_empty() {
            front.push_str("\n\nAlso: ");
            front.push_str(&others.join(", "));
            if list.more {
                front.push_str(", and more");
            }
        }
        let mut back = service_name(facts, &item.service).to_string();
        if let Some(detail) = &item.detail {
            back.push_str(&format!(" ({detail})"));
        }
        let mut tags = list_tags.clone();
        push_unique(&mut tags, item.service.clone());
        cards.push(Card {
            key: format!("{base}/{}/cloze", item.service),
            deck: deck.clone(),
            front,
            back,
            note: notes(facts, &[&list.subject, &item.service]),
            tags,
        });
    }

    if list.items.len() > 1 {
        let mut lines: Vec<String> = list
            .items
            .iter()
            .map(|item| match &item.detail {
                Some(d) => format!("• {} ({d})", service_name(facts, &item.service)),
                None => format!("• {}", service_name(facts, &item.service)),
            })
            .collect();
        if list.more {
            lines.push("• … and more".to_string());
        }
        let mut mentioned = vec![list.subject.as_str()];
        mentioned.extend(list.items.iter().map(|i| i.service.as_str()));
        cards.push(Card {
            key: format!("{base}/overview"),
            deck,
            front: if list.more {
                format!("{} ({} of many)", list.overview, list.items.len())
            } else {
                format!("{} ({})", list.overview, list.items.len())
            },
            back: lines.join("\n"),
            note: notes(facts, &mentioned),
            tags: list_tags,
        });
    }
}

fn instance_cards(facts: &Facts, cards: &mut Vec<Card>) {
    let deck = format!("{ROOT_DECK}::Instance families");
    let tags = |family: &str, relation: &str| {
        vec![
            "ec2".to_string(),
            "instance-family".to_string(),
            family.to_string(),
            relation.to_string(),
        ]
    };
    for f in &facts.families {
        for (i, code) in f.types.iter().enumerate() {
            let lower = code.to_lowercase();
            cards.push(Card {
                key: format!("instance/type/{lower}/family"),
                deck: deck.clone(),
                front: format!("EC2 instance type {code}: which instance family?"),
                back: f.name.clone(),
                note: None,
                tags: tags(&f.id, "instance-type"),
            });
            let others: Vec<&str> = f
                .types
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, t)| t.as_str())
                .collect();
            let front = if others.is_empty() {
                format!("{} instance type: {GAP}", f.name)
            } else {
                format!("{} instance types: {}, {GAP}", f.name, others.join(", "))
            };
            cards.push(Card {
                key: format!("instance/{}/type/{lower}/cloze", f.id),
                deck: deck.clone(),
                front,
                back: code.clone(),
                note: None,
                tags: tags(&f.id, "instance-type"),
            });
        }
        if f.types.len() > 1 {
            cards.push(Card {
                key: format!("instance/{}/types/overview", f.id),
                deck: deck.clone(),
                front: format!("Which EC2 instance types are {}?", f.name.to_lowercase()),
                back: f.types.join(", "),
                note: None,
                tags: tags(&f.id, "instance-type"),
            });
        }
        for w in &f.workloads {
            cards.push(Card {
                key: format!("instance/{}/workload/{}/reverse", f.id, w.id),
                deck: deck.clone(),
                front: format!(
                    "Big-data workload: {}. Which EC2 instance family fits?",
                    w.text
                ),
                back: f.name.clone(),
                note: None,
                tags: tags(&f.id, "workload"),
            });
        }
        if f.workloads.len() > 1 {
            let lines: Vec<String> = f
                .workloads
                .iter()
                .map(|w| format!("• {}", w.text))
                .collect();
            cards.push(Card {
                key: format!("instance/{}/workloads/overview", f.id),
                deck: deck.clone(),
                front: format!("{} instances fit which big-data workloads?", f.name),
                back: lines.join("\n"),
                note: None,
                tags: tags(&f.id, "workload"),
            });
        }
    }
    for q in &facts.instance_questions {
        cards.push(Card {
            key: format!("instance/question/{}/qa", q.id),
            deck: deck.clone(),
            front: q.front.clone(),
            back: q.back.clone(),
            note: None,
            tags: tags(&q.family, "question"),
        });
    }
}

fn service_name<'a>(facts: &'a Facts, id: &'a str) -> &'a str {
    facts.service(id).map_or(id, |s| s.name.as_str())
}

/// The deck of facts about a service: its own, or that of the service it is part of.
fn integration_deck(facts: &Facts, subject: &str) -> String {
    let owner = facts
        .service(subject)
        .and_then(|s| s.part_of.as_deref())
        .unwrap_or(subject);
    format!("{ROOT_DECK}::Integrations::{}", service_name(facts, owner))
}

/// The subject's id, and the id of the service it is part of.
fn service_tags(facts: &Facts, subject: &str) -> Vec<String> {
    let mut tags = vec![subject.to_string()];
    if let Some(parent) = facts.service(subject).and_then(|s| s.part_of.clone()) {
        push_unique(&mut tags, parent);
    }
    tags
}

fn push_unique(tags: &mut Vec<String>, tag: String) {
    if !tags.contains(&tag) {
        tags.push(tag);
    }
}

/// The notes of the services a card mentions, one per line, each once.
fn notes(facts: &Facts, mentioned: &[&str]) -> Option<String> {
    let mut seen: Vec<&str> = Vec::new();
    for id in mentioned {
        if let Some(note) = facts.service(id).and_then(|s| s.note.as_deref())
            && !seen.contains(&note)
        {
            seen.push(note);
        }
    }
    (!seen.is_empty()).then(|| seen.join("\n"))
}
