//! The deck lint (pure): content rules that keep every card fair to the learner. A card that
//! grades a right answer as wrong, gives its answer away or cannot be checked costs more than
//! a missing card. The test suite runs it over the bundled deck.

use std::collections::HashMap;

use super::cardgen::Card;
use super::facts::Facts;

/// Every problem found, one sentence each naming the card or fact. Empty when the deck is fine.
pub fn lint(facts: &Facts, cards: &[Card]) -> Vec<String> {
    let mut problems = Vec::new();
    fronts_without_answers(facts, cards, &mut problems);
    unique_fronts(cards, &mut problems);
    no_open_list_clozes(facts, cards, &mut problems);
    sources(facts, cards, &mut problems);
    statuses_have_dated_notes(facts, &mut problems);
    problems
}

/// The ways a name can be written: "Amazon SNS" also as "SNS", "KPL (Kinesis Producer
/// Library)" also as "KPL" and "Kinesis Producer Library".
pub fn name_variants(name: &str) -> Vec<String> {
    let mut forms = vec![name.trim().to_string()];
    if let Some((head, rest)) = name.split_once(" (") {
        forms.push(head.trim().to_string());
        forms.push(rest.trim_end_matches(')').trim().to_string());
    }
    let mut variants = Vec::new();
    for f in forms {
        for prefix in ["Amazon ", "AWS ", "Apache "] {
            if let Some(short) = f.strip_prefix(prefix) {
                variants.push(short.to_string());
            }
        }
        variants.push(f);
    }
    variants.retain(|v| v.chars().filter(|c| c.is_alphanumeric()).count() >= 2);
    variants.sort();
    variants.dedup();
    variants
}

/// Whether `text` holds `phrase` at the start of a word, ignoring case: "HiveQL" gives "Hive"
/// away as much as "Hive" does.
pub fn contains_words(text: &str, phrase: &str) -> bool {
    let text = text.to_lowercase();
    let phrase = phrase.to_lowercase();
    if phrase.is_empty() {
        return false;
    }
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(&phrase)
        .any(|(i, _)| boundary(text[..i].chars().next_back()))
}

/// The answer proper: the back up to its first explanation (":", ";", ",", " (", " — ").
fn answer_head(back: &str) -> &str {
    let end = [":", ";", ",", " (", " — ", "\n"]
        .iter()
        .filter_map(|d| back.find(d))
        .min()
        .unwrap_or(back.len());
    back[..end].trim()
}

fn fronts_without_answers(facts: &Facts, cards: &[Card], problems: &mut Vec<String>) {
    for c in cards {
        let head = answer_head(&c.back);
        // "No", "Yes": too short to be given away by a word of the question.
        if head.chars().count() < 3 {
            continue;
        }
        for v in name_variants(head) {
            if contains_words(&c.front, &v) {
                problems.push(format!("{}: the front contains its answer \"{v}\"", c.key));
            }
        }
    }
    for list in &facts.lists {
        for item in &list.items {
            let name = facts
                .service(&item.service)
                .map_or(item.service.as_str(), |s| s.name.as_str());
            for v in name_variants(name) {
                if contains_words(&item.cue, &v) {
                    problems.push(format!(
                        "{}/{}: the cue of \"{}\" names it (\"{v}\")",
                        list.subject, list.relation, item.service
                    ));
                }
            }
        }
    }
}

fn unique_fronts(cards: &[Card], problems: &mut Vec<String>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for c in cards {
        let norm = c
            .front
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if let Some(first) = seen.insert(norm, &c.key) {
            problems.push(format!("{} and {first} have the same front", c.key));
        }
    }
}

fn no_open_list_clozes(facts: &Facts, cards: &[Card], problems: &mut Vec<String>) {
    for c in cards {
        if c.front.contains("[...]") || c.front.contains("___") {
            problems.push(format!("{}: a \"name the missing item\" cloze", c.key));
        }
    }
    for list in facts.lists.iter().filter(|l| l.open) {
        let key = format!("integration/{}/{}/overview", list.subject, list.relation);
        if cards.iter().any(|c| c.key == key) {
            problems.push(format!("{key}: an overview card of an open list"));
        }
    }
}

/// Every card and every dated note names where it comes from, in a form a reader can follow:
/// "notes line N" / "notes lines N-M", or "<publisher> docs: <page>", parts separated by "; ".
fn sources(facts: &Facts, cards: &[Card], problems: &mut Vec<String>) {
    for c in cards {
        match &c.source {
            None => problems.push(format!("{}: no source", c.key)),
            Some(s) => {
                if let Some(bad) = s.split("; ").find(|p| !source_part_ok(p)) {
                    problems.push(format!(
                        "{}: source part \"{bad}\" is neither \"notes line N\" nor \"… docs: page\"",
                        c.key
                    ));
                }
            }
        }
    }
    for s in &facts.services {
        if s.note.is_some() && s.source.is_none() {
            problems.push(format!("service {}: a note without a source", s.id));
        }
    }
}

fn source_part_ok(part: &str) -> bool {
    let numbers = |t: &str| {
        !t.is_empty()
            && t.split('-')
                .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    };
    if let Some(n) = part.strip_prefix("notes line ") {
        return numbers(n) && !n.contains('-');
    }
    if let Some(n) = part.strip_prefix("notes lines ") {
        return numbers(n) && n.contains('-');
    }
    part.split_once(": ")
        .is_some_and(|(who, page)| !page.trim().is_empty() && !who.trim().is_empty())
}

/// A renamed, retired, … service or instance type says what changed, and when.
fn statuses_have_dated_notes(facts: &Facts, problems: &mut Vec<String>) {
    let dated = |note: &Option<String>| note.as_deref().is_some_and(has_year);
    for s in &facts.services {
        if s.status.is_some() && !dated(&s.note) {
            problems.push(format!("service {}: a status without a dated note", s.id));
        }
    }
    for t in facts.families.iter().flat_map(|f| &f.types) {
        if t.status.is_some() && !dated(&t.note) {
            problems.push(format!(
                "instance type {}: a status without a dated note",
                t.code
            ));
        }
    }
}

/// Whether the text names a year (19xx or 20xx).
fn has_year(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_digit())
        .any(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_have_their_short_forms() {
        assert_eq!(name_variants("Amazon SNS"), ["Amazon SNS", "SNS"]);
        assert_eq!(
            name_variants("KPL (Kinesis Producer Library)"),
            [
                "KPL",
                "KPL (Kinesis Producer Library)",
                "Kinesis Producer Library"
            ]
        );
    }

    #[test]
    fn words_match_where_a_word_starts() {
        assert!(contains_words("Through EMR, then", "emr"));
        assert!(contains_words("Written in HiveQL", "Hive"));
        assert!(contains_words("S3", "s3"));
        assert!(!contains_words("AS3X", "s3"));
        assert!(!contains_words("the Glue Data Catalog", "data catalogs"));
    }

    #[test]
    fn the_answer_head_stops_at_explanations() {
        assert_eq!(
            answer_head("Memory optimized: the R series"),
            "Memory optimized"
        );
        assert_eq!(answer_head("Splunk (partner)"), "Splunk");
        assert_eq!(answer_head("Amazon EMR — through EMRFS"), "Amazon EMR");
        assert_eq!(answer_head("COPY"), "COPY");
    }

    #[test]
    fn sources_have_a_readable_form() {
        assert!(source_part_ok("notes line 19"));
        assert!(source_part_ok("notes lines 85-89"));
        assert!(source_part_ok(
            "AWS docs: Amazon S3 User Guide, Using EventBridge"
        ));
        assert!(!source_part_ok("notes line"));
        assert!(!source_part_ok("notes line 8-9"));
        assert!(!source_part_ok("somewhere"));
    }

    #[test]
    fn years_are_found() {
        assert!(has_year("renamed in 2024."));
        assert!(!has_year("since release 5.32"));
    }
}
