//! The learner's own cards beside the bundled deck: added to `my-cards/` next to the
//! collection (comments and layout of a hand-edited file kept), studied, reworded with their
//! history, deleted (retired, history kept) and added again (restored); a broken file of
//! theirs leaves the deck working and says where the error is; an id that clashes with the
//! deck's names both places; `is:user` finds them.

use crate::common;

use std::time::Duration;

use awscards::app::collection::Collection;
use awscards::app::session::Session;
use awscards::model::own_cards::OwnCard;
use awscards::model::search::parse;
use chrono::{Days, NaiveDate};

use common::{noon as at, open_on as open};

fn card(front: &str) -> OwnCard {
    OwnCard {
        front: front.into(),
        back: "Foundation models through one API".into(),
        tags: vec!["genai".into()],
        ..OwnCard::default()
    }
}

fn user_keys(coll: &Collection, today: NaiveDate) -> Vec<String> {
    let ids = coll
        .store()
        .search_ids(&parse("is:user").unwrap(), today)
        .unwrap();
    ids.iter().map(|id| coll.card(*id).unwrap().key).collect()
}

#[test]
fn add_study_reword_delete_and_add_again_keep_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mut coll = open(&db, day);
    let bundled = coll.store().all_cards().unwrap().len();
    let key = coll
        .add_card(&card("What does Amazon Bedrock offer?"))
        .unwrap();
    assert_eq!(key, "user/qa/what-does-amazon-bedrock-offer/qa");
    let added = coll.card_by_key(&key).unwrap().unwrap();
    assert_eq!(added.deck, "My cards");
    assert_eq!(added.tags, ["genai"]);
    assert_eq!(coll.store().all_cards().unwrap().len(), bundled + 1);
    assert_eq!(user_keys(&coll, day), std::slice::from_ref(&key));

    // Studied at once: the only card of "My cards".
    let mut session = Session::start(&coll, "My cards", day).unwrap();
    assert_eq!(session.current(), Some(added.id));
    session
        .answer(&mut coll, 5, at(day), Duration::from_secs(3))
        .unwrap();
    drop(coll);

    // Reworded: same card, its answer and state kept.
    let later = day.checked_add_days(Days::new(1)).unwrap();
    let mut coll = open(&db, later);
    let mut edited = coll.own_card(&key).unwrap();
    edited.front = "Amazon Bedrock gives access to what?".into();
    edited.note = Some("Since 2023".into());
    coll.edit_card(&key, &edited).unwrap();
    let reworded = coll.card_by_key(&key).unwrap().unwrap();
    assert_eq!(reworded.id, added.id);
    assert_eq!(reworded.front, "Amazon Bedrock gives access to what?");
    assert!(!reworded.state.is_new);
    assert_eq!(coll.card_log(added.id).unwrap().len(), 1);

    // Deleted: retired, history kept; out of is:user.
    coll.delete_card(&key).unwrap();
    let deleted = coll.card_by_key(&key).unwrap().unwrap();
    assert!(deleted.retired);
    assert_eq!(coll.card_log(added.id).unwrap().len(), 1);
    assert!(user_keys(&coll, later).is_empty());
    assert!(coll.own_card(&key).is_err());

    // The same question again: the same card, back with its history.
    let again = coll
        .add_card(&card("What does Amazon Bedrock offer?"))
        .unwrap();
    assert_eq!(again, key);
    let restored = coll.card_by_key(&key).unwrap().unwrap();
    assert!(!restored.retired && !restored.state.is_new);
    assert_eq!(restored.id, added.id);
    assert_eq!(coll.card_log(added.id).unwrap().len(), 1);
    // A second card with the same question gets its own id.
    let twin = coll
        .add_card(&card("What does Amazon Bedrock offer?"))
        .unwrap();
    assert_eq!(twin, "user/qa/what-does-amazon-bedrock-offer-2/qa");
    // A bundled card is not theirs to edit.
    let bundled_key = "integration/firehose/kpl-source/qa";
    assert!(coll.card_by_key(bundled_key).unwrap().is_some());
    let err = coll
        .edit_card(bundled_key, &edited)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not one of your own cards"), "{err}");
}

#[test]
fn comments_and_order_of_a_hand_edited_file_survive_an_add() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let own = dir.path().join("my-cards");
    std::fs::create_dir(&own).unwrap();
    let hand = "\
# Written by hand: keep this comment.

[[service]]
id = \"bedrock\"      # a newer service
name = \"Amazon Bedrock\"

[[qa]]
subject = \"bedrock\"
id = \"first\"
front = \"Bedrock: first question?\"
back = \"First answer\"   # trailing comment
";
    std::fs::write(own.join("my-cards.toml"), hand).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mut coll = open(&db, day);
    assert_eq!(user_keys(&coll, day), ["user/integration/bedrock/first/qa"]);
    // Their service is a subject to choose, beside the deck's.
    let subjects: Vec<String> = coll.subjects().unwrap().into_iter().map(|s| s.0).collect();
    assert!(subjects.contains(&"bedrock".to_string()), "{subjects:?}");
    assert!(subjects.contains(&"firehose".to_string()), "{subjects:?}");
    let first = coll
        .card_by_key("user/integration/bedrock/first/qa")
        .unwrap()
        .unwrap();
    assert_eq!(first.deck, "AWS Big Data::Integrations::Amazon Bedrock");
    let key = coll
        .add_card(&OwnCard {
            subject: Some("bedrock".into()),
            ..card("Bedrock: second question?")
        })
        .unwrap();
    assert_eq!(key, "user/integration/bedrock/bedrock-second-question/qa");
    let text = std::fs::read_to_string(own.join("my-cards.toml")).unwrap();
    assert!(text.starts_with(hand), "{text}");
    assert!(
        text.ends_with(
            "[[qa]]\nid = \"bedrock-second-question\"\nsubject = \"bedrock\"\n\
         front = \"Bedrock: second question?\"\nback = \"Foundation models through one API\"\n\
         tags = [\"genai\"]\n"
        ),
        "{text}"
    );
    // A subject the deck lacks is refused, and nothing is written.
    let err = coll
        .add_card(&OwnCard {
            subject: Some("nosuch".into()),
            ..card("Nope?")
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("no service \"nosuch\""), "{err}");
    assert_eq!(
        std::fs::read_to_string(own.join("my-cards.toml")).unwrap(),
        text
    );
}

#[test]
fn a_broken_file_of_theirs_leaves_the_deck_working_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mut coll = open(&db, day);
    let key = coll
        .add_card(&card("Kept while the file is broken?"))
        .unwrap();
    let cards = coll.store().all_cards().unwrap().len();
    drop(coll);
    let file = dir.path().join("my-cards").join("my-cards.toml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\n[[qa]]\nid = \"broken\nfront = \"x\"\n");
    std::fs::write(&file, &text).unwrap();
    let broken_line = text
        .lines()
        .position(|l| l.starts_with("id = \"broken"))
        .unwrap()
        + 1;

    let coll = open(&db, day);
    let warning = coll.warnings.join("\n");
    assert!(
        warning.contains(&format!("{}:{broken_line}:", file.display())),
        "{warning}"
    );
    assert!(
        warning.contains("bundled deck works as before"),
        "{warning}"
    );
    // Nothing retired, the deck studyable.
    assert_eq!(coll.store().all_cards().unwrap().len(), cards);
    assert!(!coll.card_by_key(&key).unwrap().unwrap().retired);
    assert!(Session::start(&coll, "", day).unwrap().current().is_some());
    // The deck's services are still there to choose a subject from.
    let subjects = coll.subjects().unwrap();
    assert!(
        subjects
            .iter()
            .any(|(id, name)| id == "firehose" && name.contains("Firehose"))
    );
}

#[test]
fn an_id_that_clashes_with_the_decks_names_both_places() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let own = dir.path().join("my-cards");
    std::fs::create_dir(&own).unwrap();
    std::fs::write(
        own.join("mine.toml"),
        "[[qa]]\nsubject = \"firehose\"\nid = \"kpl-source\"\nfront = \"Mine?\"\nback = \"Yes\"\n",
    )
    .unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let coll = open(&db, day);
    let warning = coll.warnings.join("\n");
    assert!(
        warning.contains(&format!(
            "{}:3:6: duplicate fact id \"firehose/kpl-source\" (first defined at cards/integrations.toml:",
            own.join("mine.toml").display()
        )),
        "{warning}"
    );
}

#[test]
fn the_command_line_adds_and_lists_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let db_arg = db.to_str().unwrap();
    let out = common::run(&[
        "--db",
        db_arg,
        "add",
        "--front",
        "Which service runs Spark jobs serverless?",
        "--back",
        "AWS Glue (or EMR Serverless)",
        "--deck",
        "My cards::Spark",
        "--tag",
        "spark",
        "--json",
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["deck"], "My cards::Spark");
    let key = json["key"].as_str().unwrap();
    let cards = common::run(&["--db", db_arg, "cards", "--search", "is:user", "--json"]);
    let cards: serde_json::Value = serde_json::from_slice(&cards.stdout).unwrap();
    let keys: Vec<&str> = cards
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, [key]);
    let out = common::run(&["--db", db_arg, "paths"]);
    let text = common::stdout(&out);
    assert!(
        text.contains(&format!(
            "your own cards   {}",
            dir.path().join("my-cards").display()
        )),
        "{text}"
    );
    let out = common::run(&["--db", db_arg, "add", "--front", " ", "--back", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("needs a question and an answer"));
}
