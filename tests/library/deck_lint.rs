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
name = "Amazon Data Firehose"
formerly = "Amazon Kinesis Data Firehose"

[[service]]
id = "splunk"
name = "Splunk"

[[service]]
id = "s3"
name = "Amazon S3"

[[service]]
id = "kpl"
name = "KPL (Kinesis Producer Library)"

[[service]]
id = "redshift"
name = "Amazon Redshift"
"#;

const PAGE: &str = "source = \"Choose source and destination - Amazon Data Firehose\"\nurl = \"https://docs.aws.amazon.com/firehose/latest/dev/create-name.html\"";

/// A deck that passes: the base the tests below break one rule at a time.
fn good() -> String {
    format!(
        r#"{SERVICES}
[[list]]
subject = "firehose"
relation = "destination"
question = "Which Firehose destination is {{cue}}?"
open = true
{PAGE}
notes = "line 19"
items = [
  {{ ref = "splunk", cue = "the partner SIEM platform that takes events through an HTTP Event Collector" }},
  {{ ref = "s3", scenario = "Web servers' clickstream events must land in a bucket as objects batched by size or time, with no code. Which service carries them?", answer = "subject" }},
]

[[qa]]
subject = "redshift"
id = "s3-load"
front = "Nightly gzip files in a bucket must go into a warehouse table as fast as possible. Which SQL command?"
back = "COPY"
{PAGE}
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

    // Short forms count: "Data Firehose" gives away "Amazon Data Firehose".
    let p = problems(&good().replace(
        "Which service carries them?",
        "Which Data Firehose feature carries them?",
    ));
    assert_found(&p, "contains its answer \"Data Firehose\"");
}

#[test]
fn a_word_of_the_answer_or_of_its_expansion_in_the_question_is_caught() {
    let kpl = format!(
        "{}\n[[list]]\nsubject = \"firehose\"\nrelation = \"producer\"\nopen = true\n{PAGE}\nitems = [\n  {{ ref = \"kpl\", scenario = \"Which producer library packs many small records into one?\" }},\n]\n",
        good()
    );
    let p = problems(&kpl);
    assert_found(
        &p,
        "producer/kpl/scenario: the front holds \"producer\", a word of its answer",
    );
    assert_found(&p, "the front holds \"library\", a word of its answer");

    // In its own deck, a service that is the answer is still given away by its name.
    let p = problems(&good().replace("Which service carries them?", "Which Firehose?"));
    assert_found(&p, "the front holds \"firehose\", a word of its answer");
}

#[test]
fn a_workload_that_says_its_familys_keyword_is_caught() {
    let family = format!(
        "\n[[family]]\nid = \"memory-optimized\"\nname = \"Memory optimized\"\n{PAGE}\nworkloads = [{{ id = \"cache\", text = \"A cache keeps 2 TB in memory.\" }}]\n"
    );
    let p = problems(&format!("{}{family}", good()));
    assert_found(
        &p,
        "workload memory-optimized/cache: the scenario says \"memory\", its family's keyword",
    );
}

#[test]
fn a_question_that_holds_a_siblings_or_another_cards_answer_is_caught() {
    // A sibling's answer: the S3 item's cue names Splunk, the other item's answer.
    let p = problems(&good().replace(
        "land in a bucket as objects",
        "land in a bucket, as Splunk would index them, as objects",
    ));
    assert_found(
        &p,
        "a sibling's answer (integration/firehose/destination/splunk/cloze)",
    );

    // Another card's answer that is a term, not a service: "loaded with a COPY".
    let p = problems(&good().replace(
        "takes events through an HTTP Event Collector",
        "is loaded with a COPY",
    ));
    assert_found(
        &p,
        "another card's answer (integration/redshift/s3-load/qa)",
    );
}

/// A [[qa]] card on `subject`, in `deck`.
fn qa(subject: &str, id: &str, deck: &str, front: &str, back: &str) -> String {
    format!(
        "[[qa]]\nsubject = \"{subject}\"\nid = \"{id}\"\ndeck = \"{deck}\"\nfront = \"{front}\"\nback = \"{back}\"\n{PAGE}\n"
    )
}

#[test]
fn a_term_of_another_card_counts_as_written_and_within_its_top_deck() {
    let keyword = qa(
        "redshift",
        "all",
        "Exam::Stores",
        "A small table joined to every fact table: which distribution style copies it to each node?",
        "ALL",
    );
    // "all" the word is not the keyword ALL; "ALL" as written is.
    let word = qa(
        "s3",
        "word",
        "Exam::Stores",
        "Which bucket setting keeps all objects from anonymous readers?",
        "Block Public Access",
    );
    assert_eq!(
        problems(&format!("{}\n{keyword}\n{word}", good())),
        Vec::<String>::new()
    );
    let written = qa(
        "s3",
        "written",
        "Exam::Stores",
        "After DISTSTYLE ALL, where do the rows of a dimension table live?",
        "On every node",
    );
    assert_found(
        &problems(&format!("{}\n{keyword}\n{written}", good())),
        "integration/s3/written/qa: the front holds \"ALL\", another card's answer (integration/redshift/all/qa)",
    );
    // A card of another top-level deck is another learner's question.
    let elsewhere = qa(
        "s3",
        "written",
        "Other::Stores",
        "After DISTSTYLE ALL, where do the rows of a dimension table live?",
        "On every node",
    );
    assert_eq!(
        problems(&format!("{}\n{keyword}\n{elsewhere}", good())),
        Vec::<String>::new()
    );
    // A number is no term.
    let hundred = qa(
        "redshift",
        "hundred",
        "Exam::Stores",
        "How many partitions can one CTAS statement write?",
        "100",
    );
    let count = qa(
        "s3",
        "count",
        "Exam::Stores",
        "A bucket receives 100 uploads a second: which feature tells a queue of each?",
        "S3 Event Notifications",
    );
    assert_eq!(
        problems(&format!("{}\n{hundred}\n{count}", good())),
        Vec::<String>::new()
    );
}

#[test]
fn a_question_may_name_the_service_its_card_is_about_unless_it_is_the_answer() {
    let class = qa(
        "s3",
        "class",
        "Exam::Stores",
        "Which S3 storage class moves each object to the cheapest tier by itself?",
        "S3 Intelligent-Tiering",
    );
    assert_eq!(
        problems(&format!("{}\n{class}", good())),
        Vec::<String>::new()
    );
    let service = qa(
        "s3",
        "service",
        "Exam::Stores",
        "Which S3 offering stores objects in buckets?",
        "Amazon S3",
    );
    assert_found(
        &problems(&format!("{}\n{service}", good())),
        "integration/s3/service/qa: the front contains its answer \"S3\"",
    );
}

#[test]
fn a_colon_inside_an_answer_is_part_of_it() {
    let key = qa(
        "s3",
        "tls",
        "Exam::Stores",
        "Which AWS condition key does a bucket policy test to refuse plain HTTP?",
        "aws:SecureTransport: a Deny when it is false",
    );
    assert_eq!(
        problems(&format!("{}\n{key}", good())),
        Vec::<String>::new()
    );
}

#[test]
fn two_cards_with_one_front_or_one_cue_are_caught() {
    let qa = |id: &str, front: &str| {
        format!(
            "[[qa]]\nsubject = \"firehose\"\nid = \"{id}\"\nfront = \"{front}\"\nback = \"{id}\"\n{PAGE}\n"
        )
    };
    let p = problems(&format!(
        "{}\n{}\n{}",
        good(),
        qa("one", "Where  does Firehose deliver?"),
        qa("two", "Where does the Firehose deliver!")
    ));
    assert_found(&p, "have the same front");

    let twin = format!(
        "{}\n[[list]]\nsubject = \"s3\"\nrelation = \"reader\"\nquestion = \"Which reader of S3 is {{cue}}?\"\nopen = true\n{PAGE}\nitems = [\n  {{ ref = \"splunk\", cue = \"The partner SIEM platform, that takes events through an HTTP event collector\" }},\n]\n",
        good()
    );
    assert_found(&problems(&twin), "have the same cue");
}

#[test]
fn an_answer_or_deck_in_a_former_name_alone_is_caught() {
    let p = problems(&good().replace(
        "back = \"COPY\"",
        "back = \"COPY, or Amazon Kinesis Data Firehose\"",
    ));
    assert_found(
        &p,
        "the back says \"Amazon Kinesis Data Firehose\", not its current name \"Amazon Data Firehose\"",
    );
}

#[test]
fn a_card_that_speaks_of_the_notes_is_caught() {
    let p = problems(&good().replace(
        "back = \"COPY\"",
        "back = \"COPY\"\nnote = \"The notes call it LOAD.\"",
    ));
    assert_found(
        &p,
        "integration/redshift/s3-load/qa: it speaks of \"the notes\"",
    );
}

#[test]
fn a_card_with_more_than_one_note_is_caught() {
    let p = problems(&good().replace(
        "back = \"COPY\"",
        "back = \"COPY\"\nnote = \"It loads in parallel.\"\ncorrection = \"There is no LOAD.\"",
    ));
    assert_found(&p, "integration/redshift/s3-load/qa: more than one note");
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
fn facts_without_a_page_to_open_are_caught() {
    let p = problems(&good().replacen(PAGE, "", 1));
    assert_found(
        &p,
        "integration/firehose/destination/s3/scenario: no source page title",
    );
    assert_found(&p, "s3/scenario: no source address on docs.aws.amazon.com");

    let p = problems(&good().replacen(
        "https://docs.aws.amazon.com/firehose/latest/dev/create-name.html",
        "https://example.com/firehose",
        1,
    ));
    assert_found(
        &p,
        "no source address on docs.aws.amazon.com or aws.amazon.com",
    );

    let p = problems(&good().replace(
        "name = \"Splunk\"",
        "name = \"Splunk\"\nnote = \"Splunk Cloud exists since 2013.\"",
    ));
    assert_found(&p, "service splunk: a note without a source page");
}

#[test]
fn a_status_note_must_say_when() {
    let p = problems(&good().replace(
        "name = \"Splunk\"",
        &format!("name = \"Splunk\"\nstatus = \"renamed\"\nnote = \"Now Splunk Cloud.\"\n{PAGE}"),
    ));
    assert_found(&p, "service splunk: a status without a dated note");

    let family = format!(
        "\n[[family]]\nid = \"gp\"\nname = \"General purpose\"\n{PAGE}\ntypes = [{{ code = \"T2\", status = \"previous generation\", note = \"Replaced by T3.\" }}]\n"
    );
    let p = problems(&format!("{}{family}", good()));
    assert_found(&p, "instance type T2: a status without a dated note");
}
