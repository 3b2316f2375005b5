//! The deck lint over the bundled deck, and proof that each of its rules catches what it is for.

use awscards::model::bundled_files;
use awscards::model::cardgen::{Card, generate};
use awscards::model::facts::{Facts, SourceFile, parse};
use awscards::model::lint::lint;

fn facts(text: &str) -> Facts {
    parse(&[SourceFile {
        name: "f.toml".into(),
        text: text.into(),
    }])
    .unwrap_or_else(|e| panic!("{e}"))
}

fn problems(text: &str) -> Vec<String> {
    let f = facts(text);
    lint(&f, &generate(&f))
}

fn assert_found(problems: &[String], needle: &str) {
    assert!(
        problems.iter().any(|p| p.contains(needle)),
        "no problem mentions {needle:?}: {problems:#?}"
    );
}

const SERVICES: &str = r#"
[[service]]
id = "firehose"
name = "Kinesis Data Firehose"

[[service]]
id = "splunk"
name = "Splunk"

[[service]]
id = "s3"
name = "Amazon S3"
"#;

/// A deck that passes: the base the tests below break one rule at a time.
fn good() -> String {
    format!(
        r#"{SERVICES}
[[list]]
subject = "firehose"
relation = "destination"
question = "Which Firehose destination is {{cue}}?"
open = true
source = "notes line 19"
items = [
  {{ ref = "splunk", cue = "the partner SIEM platform" }},
  {{ ref = "s3", cue = "the object store" }},
]
"#
    )
}

#[test]
fn the_bundled_deck_passes_the_lint() {
    let f = parse(&bundled_files()).unwrap();
    let problems = lint(&f, &generate(&f));
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_good_small_deck_passes() {
    assert_eq!(problems(&good()), Vec::<String>::new());
}

#[test]
fn a_front_or_cue_that_names_its_answer_is_caught() {
    let p = problems(&good().replace("the partner SIEM platform", "Splunk, the SIEM"));
    assert_found(
        &p,
        "integration/firehose/destination/splunk/cloze: the front contains its answer \"Splunk\"",
    );
    assert_found(&p, "the cue of \"splunk\" names it");

    // Short forms count: "S3" gives away "Amazon S3".
    let p = problems(&good().replace("the object store", "the S3 object store"));
    assert_found(&p, "contains its answer \"S3\"");

    // A question whose answer stands in it.
    let p = problems(&format!(
        "{SERVICES}\n[[qa]]\nsubject = \"firehose\"\nid = \"x\"\nfront = \"Does Firehose deliver to Splunk?\"\nback = \"Splunk (yes)\"\nsource = \"notes line 19\"\n"
    ));
    assert_found(
        &p,
        "integration/firehose/x/qa: the front contains its answer \"Splunk\"",
    );
}

#[test]
fn two_cards_with_one_front_are_caught() {
    let qa = |id: &str| {
        format!(
            "[[qa]]\nsubject = \"firehose\"\nid = \"{id}\"\nfront = \"Where  does Firehose deliver?\"\nback = \"{id}\"\nsource = \"notes line 19\"\n"
        )
    };
    let p = problems(&format!("{}\n{}\n{}", good(), qa("one"), qa("two")));
    assert_found(&p, "have the same front");
}

#[test]
fn missing_item_clozes_and_open_list_overviews_are_caught() {
    let f = facts(&good());
    let mut cards = generate(&f);
    let mut cloze: Card = cards[0].clone();
    cloze.key = "integration/firehose/destination/overview".into();
    cloze.front = "Firehose delivers to S3 and [...]".into();
    cards.push(cloze);
    let p = lint(&f, &cards);
    assert_found(&p, "a \"name the missing item\" cloze");
    assert_found(&p, "an overview card of an open list");
}

#[test]
fn facts_without_a_readable_source_are_caught() {
    let p = problems(&good().replace("source = \"notes line 19\"\n", ""));
    assert_found(&p, "integration/firehose/destination/s3/cloze: no source");

    let p = problems(&good().replace("notes line 19", "somewhere in my notes"));
    assert_found(&p, "neither \"notes line N\" nor");

    let p = problems(&good().replace(
        "name = \"Splunk\"",
        "name = \"Splunk\"\nnote = \"Splunk Cloud exists since 2013.\"",
    ));
    assert_found(&p, "service splunk: a note without a source");
}

#[test]
fn a_status_note_must_say_when() {
    let p = problems(&good().replace(
        "name = \"Kinesis Data Firehose\"",
        "name = \"Kinesis Data Firehose\"\nstatus = \"renamed\"\nnote = \"Now Amazon Data Firehose.\"\nsource = \"AWS docs: What is Amazon Data Firehose?\"",
    ));
    assert_found(&p, "service firehose: a status without a dated note");

    let family = "\n[[family]]\nid = \"gp\"\nname = \"General purpose\"\nsource = \"notes line 117\"\ntypes = [{ code = \"T2\", status = \"superseded\", note = \"Superseded by T3.\" }]\n";
    let p = problems(&format!("{}{family}", good()));
    assert_found(&p, "instance type T2: a status without a dated note");
}
