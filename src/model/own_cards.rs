//! The learner's own cards as `[[qa]]` facts in their facts file. The file is edited with
//! `toml_edit`, so its comments, order and layout survive an Add, an Edit or a Delete. Pure:
//! text in, text out.

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use super::cardgen::USER_KEY_PREFIX;

/// What the learner writes on a card of their own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnCard {
    /// A service id of the deck (its cards' deck and tags follow), or None.
    pub subject: Option<String>,
    pub front: String,
    pub back: String,
    pub note: Option<String>,
    /// `::` between levels; None: the subject's deck, or "My cards".
    pub deck: Option<String>,
    pub tags: Vec<String>,
}

impl OwnCard {
    /// What is wrong with the card as written, in words; the facts parser checks the rest.
    pub fn check(&self) -> Result<(), String> {
        use super::facts::{MAX_TAGS, deck_problem, tag_problem, text_problem};
        if self.front.trim().is_empty() || self.back.trim().is_empty() {
            return Err("a card needs a question and an answer".into());
        }
        let texts = [
            ("front", Some(&self.front)),
            ("back", Some(&self.back)),
            ("note", self.note.as_ref()),
        ];
        let problem = texts
            .iter()
            .find_map(|(field, text)| text.and_then(|t| text_problem(field, t)))
            .or_else(|| self.deck.as_deref().and_then(deck_problem))
            .or_else(|| self.tags.iter().find_map(|t| tag_problem(t)))
            .or_else(|| (self.tags.len() > MAX_TAGS).then(|| format!("more than {MAX_TAGS} tags")));
        match problem {
            Some(why) => Err(why),
            None => Ok(()),
        }
    }

    /// The key of the card a `[[qa]]` with `id` gives.
    pub fn key(&self, id: &str) -> String {
        match &self.subject {
            Some(subject) => format!("{USER_KEY_PREFIX}integration/{subject}/{id}/qa"),
            None => format!("{USER_KEY_PREFIX}qa/{id}/qa"),
        }
    }
}

/// The start of a new file of the learner's cards.
pub const NEW_FILE: &str = "\
# Your own cards for awscards, in the format of the bundled deck's facts (cards/*.toml).
# The app adds [[qa]] facts here: id (the card's history follows it: keep it when you change
# the wording), front, back, and optionally subject (a service id of the deck), note, deck
# (default \"My cards\", levels as A::B) and tags. Edit by hand as you like.
";

/// The fact (subject, id) whose `[[qa]]` a card of the learner's comes from, from its key
/// (`user/qa/ID/qa`, `user/integration/SUBJECT/ID/qa`, or `…/reverse`); None for any other
/// card.
pub fn fact_of_key(key: &str) -> Option<(Option<String>, String)> {
    let rest = key.strip_prefix(USER_KEY_PREFIX)?;
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        ["qa", id, "qa" | "reverse"] => Some((None, (*id).to_string())),
        ["integration", subject, id, "qa" | "reverse"] => {
            Some((Some((*subject).to_string()), (*id).to_string()))
        }
        _ => None,
    }
}

/// An id for a new fact: the question's first words, lowercased, joined by '-' (at most 40
/// characters), and a number after it if `taken` says the id is in use.
pub fn new_id(front: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut base = String::new();
    for word in front
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !base.is_empty() && base.len() + word.len() >= 40 {
            break;
        }
        if !base.is_empty() {
            base.push('-');
        }
        base.push_str(&word.to_ascii_lowercase());
    }
    if base.is_empty() {
        base.push_str("card");
    }
    let mut id = base.clone();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn parse(text: &str) -> Result<DocumentMut, String> {
    text.parse::<DocumentMut>()
        .map_err(|e| format!("the file is not valid TOML: {e}"))
}

fn fill(table: &mut Table, card: &OwnCard) {
    let mut set = |key: &str, v: Option<&str>| match v {
        Some(v) => {
            table.insert(key, value(v));
        }
        None => {
            table.remove(key);
        }
    };
    set("subject", card.subject.as_deref());
    set("front", Some(&card.front));
    set("back", Some(&card.back));
    set("note", card.note.as_deref());
    set("deck", card.deck.as_deref());
    if card.tags.is_empty() {
        table.remove("tags");
    } else {
        let tags: Array = card.tags.iter().map(String::as_str).collect();
        table.insert("tags", value(tags));
    }
}

/// `text` (a facts file, or empty) with `card` appended as a `[[qa]]` with `id`.
pub fn append(text: &str, id: &str, card: &OwnCard) -> Result<String, String> {
    let mut doc = parse(text)?;
    let mut table = Table::new();
    table.insert("id", value(id));
    fill(&mut table, card);
    // What follows the last table (comments, or a whole file of them) stays before the new
    // one, as the file read.
    let trailing = doc.trailing().as_str().unwrap_or_default().to_string();
    if !trailing.trim().is_empty() {
        table.decor_mut().set_prefix(format!("{trailing}\n"));
        doc.set_trailing("");
    } else if !doc.as_table().is_empty() {
        table.decor_mut().set_prefix("\n");
    }
    match doc.get_mut("qa") {
        None => {
            let mut list = ArrayOfTables::new();
            list.push(table);
            doc.insert("qa", Item::ArrayOfTables(list));
        }
        Some(Item::ArrayOfTables(list)) => list.push(table),
        Some(_) => return Err("`qa` in the file is not a list of [[qa]] tables".into()),
    }
    Ok(doc.to_string())
}

/// Where the `[[qa]]` (subject, id) is in `doc`.
fn position(doc: &DocumentMut, subject: Option<&str>, id: &str) -> Option<usize> {
    let list = doc.get("qa")?.as_array_of_tables()?;
    list.iter().position(|t| {
        t.get("id").and_then(Item::as_str) == Some(id)
            && t.get("subject").and_then(Item::as_str) == subject
    })
}

/// The card the `[[qa]]` (subject, id) of `text` describes; None when the file has no such
/// fact.
pub fn read(text: &str, subject: Option<&str>, id: &str) -> Result<Option<OwnCard>, String> {
    let doc = parse(text)?;
    let Some(i) = position(&doc, subject, id) else {
        return Ok(None);
    };
    let Some(t) = doc
        .get("qa")
        .and_then(Item::as_array_of_tables)
        .and_then(|l| l.get(i))
    else {
        return Ok(None);
    };
    let text = |key: &str| t.get(key).and_then(Item::as_str).map(str::to_string);
    Ok(Some(OwnCard {
        subject: text("subject"),
        front: text("front").unwrap_or_default(),
        back: text("back").unwrap_or_default(),
        note: text("note"),
        deck: text("deck"),
        tags: t
            .get("tags")
            .and_then(Item::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    }))
}

/// `text` with the `[[qa]]` (subject, id) given `card`'s wording, note, deck and tags (its id
/// and subject stay: the card's history follows them); None when the file has no such fact.
pub fn replace(
    text: &str,
    subject: Option<&str>,
    id: &str,
    card: &OwnCard,
) -> Result<Option<String>, String> {
    let mut doc = parse(text)?;
    let Some(i) = position(&doc, subject, id) else {
        return Ok(None);
    };
    let kept = OwnCard {
        subject: subject.map(str::to_string),
        ..card.clone()
    };
    if let Some(t) = doc
        .get_mut("qa")
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|l| l.get_mut(i))
    {
        fill(t, &kept);
    }
    Ok(Some(doc.to_string()))
}

/// `text` without the `[[qa]]` (subject, id); None when the file has no such fact.
pub fn remove(text: &str, subject: Option<&str>, id: &str) -> Result<Option<String>, String> {
    let mut doc = parse(text)?;
    let Some(i) = position(&doc, subject, id) else {
        return Ok(None);
    };
    if let Some(list) = doc.get_mut("qa").and_then(Item::as_array_of_tables_mut) {
        list.remove(i);
        if list.is_empty() {
            doc.remove("qa");
        }
    }
    Ok(Some(doc.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAND_WRITTEN: &str = "\
# My own facts, written by hand.

[[service]]
id = \"bedrock\"   # added in 2023
name = \"Amazon Bedrock\"

# A first question.
[[qa]]
subject = \"bedrock\"
id = \"what-is-it\"
front = \"What is Amazon Bedrock?\"
back = \"Foundation models as a managed service\"
";

    fn card(front: &str) -> OwnCard {
        OwnCard {
            front: front.into(),
            back: "An answer".into(),
            tags: vec!["mine".into()],
            ..OwnCard::default()
        }
    }

    #[test]
    fn an_add_keeps_the_files_comments_and_order() {
        let out =
            append(HAND_WRITTEN, "a-second", &card("A second?")).unwrap_or_else(|e| panic!("{e}"));
        assert!(out.starts_with(HAND_WRITTEN), "{out}");
        assert!(
            out.contains("[[qa]]\nid = \"a-second\"\nfront = \"A second?\""),
            "{out}"
        );
        assert!(out.contains("tags = [\"mine\"]"), "{out}");
        let fresh = append(NEW_FILE, "x", &card("X?")).unwrap_or_else(|e| panic!("{e}"));
        assert!(fresh.starts_with(NEW_FILE));
    }

    #[test]
    fn edit_read_and_remove_find_the_fact_by_subject_and_id() {
        let edited = OwnCard {
            front: "What is Bedrock, in one line?".into(),
            note: Some("Since 2023".into()),
            ..card("")
        };
        let out = replace(HAND_WRITTEN, Some("bedrock"), "what-is-it", &edited)
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_default();
        assert!(out.contains("# A first question.\n[[qa]]"), "{out}");
        let back = read(&out, Some("bedrock"), "what-is-it")
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_default();
        assert_eq!(back.front, "What is Bedrock, in one line?");
        assert_eq!(back.subject.as_deref(), Some("bedrock"));
        assert_eq!(back.note.as_deref(), Some("Since 2023"));
        assert_eq!(read(&out, None, "what-is-it"), Ok(None));
        let gone = remove(&out, Some("bedrock"), "what-is-it")
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_default();
        assert!(
            !gone.contains("[[qa]]") && gone.contains("Amazon Bedrock"),
            "{gone}"
        );
        assert_eq!(remove(&gone, Some("bedrock"), "what-is-it"), Ok(None));
    }

    #[test]
    fn keys_name_their_fact_and_ids_come_from_the_question() {
        assert_eq!(fact_of_key("user/qa/abc/qa"), Some((None, "abc".into())));
        assert_eq!(
            fact_of_key("user/integration/s3/abc/reverse"),
            Some((Some("s3".into()), "abc".into()))
        );
        assert_eq!(fact_of_key("integration/s3/abc/qa"), None);
        assert_eq!(fact_of_key("user/integration/s3/list/item"), None);
        assert_eq!(
            new_id("Which service streams? (Kinesis, 2024)", |_| false),
            "which-service-streams-kinesis-2024"
        );
        assert_eq!(new_id("!!!", |id| id == "card"), "card-2");
        assert!(new_id(&"word ".repeat(30), |_| false).len() <= 40);
    }
}
