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
    no_answer_words_in_fronts(facts, cards, &mut problems);
    no_family_keywords_in_workloads(facts, &mut problems);
    no_other_answers_in_fronts(facts, cards, &mut problems);
    unique_fronts(facts, cards, &mut problems);
    current_names(facts, cards, &mut problems);
    no_open_list_clozes(facts, cards, &mut problems);
    never_the_notes(cards, &mut problems);
    one_note(cards, &mut problems);
    sources(facts, cards, &mut problems);
    statuses_have_dated_notes(facts, &mut problems);
    problems
}

/// Words that say nothing of an answer: "Amazon", "data", "service", "optimized".
const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "aws",
    "amazon",
    "apache",
    "be",
    "by",
    "data",
    "does",
    "each",
    "ec2",
    "for",
    "from",
    "has",
    "how",
    "in",
    "instance",
    "instances",
    "into",
    "is",
    "it",
    "its",
    "new",
    "no",
    "not",
    "of",
    "on",
    "one",
    "optimized",
    "or",
    "own",
    "service",
    "services",
    "that",
    "the",
    "this",
    "through",
    "to",
    "use",
    "using",
    "via",
    "what",
    "which",
    "who",
    "with",
    "your",
];

/// A word as the word rules compare it: lowercased, a plural's "s" taken off ("streams",
/// not "kinesis", "status" or "access").
fn word_key(word: &str) -> String {
    let w = word.to_lowercase();
    match w.strip_suffix('s') {
        Some(stem) if stem.chars().count() >= 3 && !stem.ends_with(['s', 'i', 'u']) => {
            stem.to_string()
        }
        _ => w,
    }
}

/// The content words of a text: its words (letters and digits), stop words left out.
pub fn content_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(word_key)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

/// The words that give an answer away: the content words of its head and, when the head ends
/// in an acronym, of its expansion ("KPL (Kinesis Producer Library)": KPL, Kinesis, Producer,
/// Library).
fn answer_words(back: &str) -> Vec<String> {
    let head = answer_head(back);
    let mut words = content_words(head);
    let acronym = head.split_whitespace().next_back().is_some_and(|w| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
    });
    if acronym
        && let Some(rest) = back[head.len()..].trim_start().strip_prefix('(')
        && let Some((inside, _)) = rest.split_once(')')
    {
        words.extend(content_words(inside));
    }
    words.sort();
    words.dedup();
    words
}

/// The words a card's question may hold whatever its answer: those of the service it is
/// about, its deck's ("DynamoDB" in a question about DynamoDB Streams) or its subject's ("S3"
/// in a question on S3 storage classes), unless that service is the answer.
fn context_words(facts: &Facts, card: &Card) -> Vec<String> {
    let head = answer_head(&card.back);
    let subject = card
        .key
        .strip_prefix("integration/")
        .and_then(|rest| rest.split('/').next())
        .and_then(|id| facts.service(id))
        .map(|s| s.name.as_str());
    [Some(deck_service(card)), subject]
        .into_iter()
        .flatten()
        .filter(|service| {
            !name_variants(service)
                .iter()
                .any(|v| v.eq_ignore_ascii_case(head))
        })
        .flat_map(content_words)
        .collect()
}

/// The deck a card is in at the top level ("AWS Big Data").
fn top_deck(card: &Card) -> &str {
    card.deck.split("::").next().unwrap_or_default()
}

/// The service a card's deck is about: its deck's last level.
fn deck_service(card: &Card) -> &str {
    card.deck.rsplit("::").next().unwrap_or_default()
}

/// Whether `text` holds the term `word` as a whole word ("COPY", not "copying"): ignoring
/// case, but as written when it is in capitals (the keyword ALL, not the word "all").
fn contains_whole_word(text: &str, word: &str) -> bool {
    let (text, word) = if word.chars().any(char::is_lowercase) {
        (text.to_lowercase(), word.to_lowercase())
    } else {
        (text.to_string(), word.to_string())
    };
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    !word.is_empty()
        && text.match_indices(&word).any(|(i, _)| {
            boundary(text[..i].chars().next_back())
                && boundary(text[i + word.len()..].chars().next())
        })
}

/// The ways a name can be written: "Amazon SNS" also as "SNS", "KPL (Kinesis Producer
/// Library)" also as "KPL" and "Kinesis Producer Library"; "(formerly …)" is not the name.
pub fn name_variants(name: &str) -> Vec<String> {
    let mut forms = vec![name.trim().to_string()];
    if let Some((head, rest)) = name.split_once(" (") {
        forms = vec![head.trim().to_string()];
        let inside = rest.trim_end_matches(')').trim();
        if !inside.starts_with("formerly") {
            forms.push(name.trim().to_string());
            forms.push(inside.to_string());
        }
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

/// The answer proper: the back up to its first explanation (": ", ";", ",", " (", " — "); a
/// colon inside a name stays ("aws:SecureTransport", "AWS::Serverless::StateMachine").
fn answer_head(back: &str) -> &str {
    let end = [": ", ";", ",", " (", " — ", "\n"]
        .iter()
        .filter_map(|d| back.find(d))
        .min()
        .unwrap_or(back.len());
    back[..end].trim()
}

/// Whether a card's answer is a name or a short term (the word rules apply), not a sentence:
/// the answer of a list item, a workload or a series' family, or a head of at most 3 words.
fn name_answer(card: &Card) -> bool {
    let head = answer_head(&card.back);
    let named = card.key.ends_with("/cloze")
        || card.key.ends_with("/scenario")
        || card.key.contains("/workload/")
        || (card.key.starts_with("instance/series/") && card.key.ends_with("/family"));
    head.chars().count() >= 2 && (named || head.split_whitespace().count() <= 3)
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
            let Some(cue) = &item.cue else { continue };
            let name = facts
                .service(&item.service)
                .map_or(item.service.as_str(), |s| s.name.as_str());
            for v in name_variants(name) {
                if contains_words(cue, &v) {
                    problems.push(format!(
                        "{}/{}: the cue of \"{}\" names it (\"{v}\")",
                        list.subject, list.relation, item.service
                    ));
                }
            }
        }
    }
}

/// No content word of a name-like answer, or of its expansion, in the question: "Kinesis …
/// producer … library" gives "KPL (Kinesis Producer Library)" away.
fn no_answer_words_in_fronts(facts: &Facts, cards: &[Card], problems: &mut Vec<String>) {
    for c in cards.iter().filter(|c| name_answer(c)) {
        let front: Vec<String> = content_words(&c.front);
        let context = context_words(facts, c);
        for w in answer_words(&c.back)
            .into_iter()
            .filter(|w| !context.contains(w))
        {
            if front.contains(&w) {
                problems.push(format!(
                    "{}: the front holds \"{w}\", a word of its answer",
                    c.key
                ));
            }
        }
    }
}

/// A workload's scenario never says its family's keyword ("memory" for Memory optimized).
fn no_family_keywords_in_workloads(facts: &Facts, problems: &mut Vec<String>) {
    for f in &facts.families {
        let keywords = content_words(&f.name);
        for w in &f.workloads {
            let text = content_words(&w.text);
            for k in keywords.iter().filter(|k| text.contains(k)) {
                problems.push(format!(
                    "workload {}/{}: the scenario says \"{k}\", its family's keyword",
                    f.id, w.id
                ));
            }
        }
    }
}

/// No front holds a sibling's answer (the other items of its list), nor the answer of
/// another card of its deck that is a term rather than a service ("loaded with a COPY" gives
/// the COPY card away; a number, "Yes" or "No" is no term).
fn no_other_answers_in_fronts(facts: &Facts, cards: &[Card], problems: &mut Vec<String>) {
    let services: Vec<String> = facts
        .services
        .iter()
        .flat_map(|s| name_variants(&s.display_name()))
        .map(|v| v.to_lowercase())
        .collect();
    for c in cards {
        let own = answer_head(&c.back);
        let context = deck_service(c);
        for other in cards.iter().filter(|o| o.key != c.key) {
            let head = answer_head(&other.back);
            if head.eq_ignore_ascii_case(own)
                || head.eq_ignore_ascii_case(context)
                || head.chars().count() < 3
            {
                continue;
            }
            let sibling = super::cardgen::fact_of(&other.key) == super::cardgen::fact_of(&c.key);
            let term = top_deck(other) == top_deck(c)
                && head.chars().any(char::is_alphabetic)
                && !head.eq_ignore_ascii_case("yes")
                && !services.contains(&head.to_lowercase())
                && head.split_whitespace().count() <= 3
                && name_answer(other);
            let found = if sibling {
                name_variants(head)
                    .into_iter()
                    .find(|v| v.chars().count() >= 3 && contains_words(&c.front, v))
            } else if term {
                contains_whole_word(&c.front, head).then(|| head.to_string())
            } else {
                None
            };
            if let Some(v) = found {
                let whose = if sibling {
                    "a sibling's"
                } else {
                    "another card's"
                };
                problems.push(format!(
                    "{}: the front holds \"{v}\", {whose} answer ({})",
                    c.key, other.key
                ));
            }
        }
    }
}

/// The words of a question that make it what it is: content words, in order.
fn normalised(text: &str) -> String {
    content_words(text).join(" ")
}

/// No two cards ask the same: fronts, and the cues of list items, compared by their content
/// words.
fn unique_fronts(facts: &Facts, cards: &[Card], problems: &mut Vec<String>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for c in cards {
        if let Some(first) = seen.insert(normalised(&c.front), &c.key) {
            problems.push(format!("{} and {first} have the same front", c.key));
        }
    }
    let mut cues: HashMap<String, String> = HashMap::new();
    for list in &facts.lists {
        for item in &list.items {
            let Some(cue) = &item.cue else { continue };
            let here = format!("{}/{}/{}", list.subject, list.relation, item.service);
            if let Some(first) = cues.insert(normalised(cue), here.clone()) {
                problems.push(format!("{here} and {first} have the same cue"));
            }
        }
    }
}

/// A renamed service goes by its current name: a front, back or deck that says a former name
/// says the current one too.
fn current_names(facts: &Facts, cards: &[Card], problems: &mut Vec<String>) {
    for s in &facts.services {
        let Some(formerly) = &s.formerly else {
            continue;
        };
        for old in formerly.split(" and ").flat_map(|o| o.split(", ")) {
            for c in cards {
                for (what, text) in [("front", &c.front), ("back", &c.back), ("deck", &c.deck)] {
                    if contains_words(text, old) && !contains_words(text, &s.name) {
                        problems.push(format!(
                            "{}: the {what} says \"{old}\", not its current name \"{}\"",
                            c.key, s.name
                        ));
                    }
                }
            }
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

/// The learner has no study notes: no card speaks of "the notes".
fn never_the_notes(cards: &[Card], problems: &mut Vec<String>) {
    for c in cards {
        let texts = [Some(&c.front), Some(&c.back), c.note.as_ref()];
        let says = |t: &str| contains_words(t, "the notes") || contains_words(t, "2019 notes");
        if texts.iter().flatten().any(|t| says(t)) {
            problems.push(format!("{}: it speaks of \"the notes\"", c.key));
        }
    }
}

/// One note per card, about its answer: a correction, a note, what changed, a renamed
/// service's note: one of them, not a pile.
fn one_note(cards: &[Card], problems: &mut Vec<String>) {
    for c in cards {
        if c.note.as_deref().is_some_and(|n| n.contains('\n')) {
            problems.push(format!("{}: more than one note", c.key));
        }
    }
}

/// Where AWS documents its services: a source a learner can open.
const AWS_PAGES: &[&str] = &["https://docs.aws.amazon.com/", "https://aws.amazon.com/"];

/// Every card, and every service note, names the AWS page it was checked on: its title and
/// its address.
fn sources(facts: &Facts, cards: &[Card], problems: &mut Vec<String>) {
    let on_aws = |url: &Option<String>| {
        url.as_deref()
            .is_some_and(|u| AWS_PAGES.iter().any(|p| u.starts_with(p)))
    };
    for c in cards {
        if c.source.is_none() {
            problems.push(format!("{}: no source page title", c.key));
        }
        if !on_aws(&c.source_url) {
            problems.push(format!(
                "{}: no source address on docs.aws.amazon.com or aws.amazon.com",
                c.key
            ));
        }
    }
    for s in &facts.services {
        if s.note.is_some() && (s.source.title.is_none() || !on_aws(&s.source.url)) {
            problems.push(format!("service {}: a note without a source page", s.id));
        }
    }
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
    fn content_words_leave_out_stop_words_and_plurals() {
        assert_eq!(
            content_words("Amazon Kinesis Data Streams, for the S3 buckets"),
            ["kinesis", "stream", "s3", "bucket"]
        );
        assert_eq!(
            answer_words("KPL (Kinesis Producer Library)"),
            ["kinesis", "kpl", "library", "producer"]
        );
        assert_eq!(
            answer_words("Amazon Data Firehose (formerly Kinesis Data Firehose)"),
            ["firehose"]
        );
    }

    #[test]
    fn years_are_found() {
        assert!(has_year("renamed in 2024."));
        assert!(!has_year("since release 5.32"));
    }
}
