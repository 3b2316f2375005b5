//! The bundled facts, the card generator and the validation of facts files.

use std::collections::{BTreeSet, HashSet};

use awscards::model::cardgen::{Card, generate};
use awscards::model::facts::{FactsError, SourceFile, parse, series_of};
use awscards::model::{BUNDLED_FACTS, bundled_files};

fn bundled_cards() -> Vec<Card> {
    generate(&parse(&bundled_files()).expect("bundled facts are valid"))
}

fn keys(cards: &[Card]) -> BTreeSet<String> {
    cards.iter().map(|c| c.key.clone()).collect()
}

/// The bundled files with `edit` applied to the one named `name`.
fn edited(name: &str, edit: impl Fn(&str) -> String) -> Vec<SourceFile> {
    let mut files = bundled_files();
    let file = files.iter_mut().find(|f| f.name.ends_with(name)).unwrap();
    let before = file.text.clone();
    file.text = edit(&file.text);
    assert_ne!(before, file.text, "the edit changed nothing");
    files
}

fn error_of(files: &[SourceFile]) -> FactsError {
    parse(files).expect_err("facts should be rejected")
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn every_bundled_file_in_cards_is_compiled_in() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/cards");
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("cards/{n}"))
        .collect();
    let bundled: BTreeSet<String> = BUNDLED_FACTS.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(on_disk, bundled);
}

#[test]
fn every_service_family_and_notes_type_has_a_card() {
    let facts = parse(&bundled_files()).unwrap();
    let cards = generate(&facts);
    let tags: HashSet<&str> = cards
        .iter()
        .flat_map(|c| c.tags.iter().map(String::as_str))
        .collect();
    for s in &facts.services {
        assert!(
            tags.contains(s.id.as_str()),
            "no card mentions service {}",
            s.id
        );
    }
    assert_eq!(facts.families.len(), 5);
    for f in &facts.families {
        assert!(tags.contains(f.id.as_str()), "no card for family {}", f.id);
        // The notes' types stay as history on their series card.
        for t in &f.types {
            let key = format!("instance/series/{}/family", series_of(&t.code));
            let card = cards.iter().find(|c| c.key == key);
            assert!(
                card.and_then(|c| c.note.as_deref())
                    .is_some_and(|n| n.contains(&t.code)),
                "{key} does not keep {} as history",
                t.code
            );
        }
    }
}

#[test]
fn cards_are_well_formed() {
    let cards = bundled_cards();
    assert!(cards.len() >= 150, "only {} cards", cards.len());
    let mut seen = HashSet::new();
    for c in &cards {
        assert!(seen.insert(&c.key), "duplicate key {}", c.key);
        assert!(!c.front.trim().is_empty(), "{} has an empty front", c.key);
        assert!(!c.back.trim().is_empty(), "{} has an empty back", c.key);
        assert!(
            c.deck.starts_with("AWS Big Data::")
                || c.deck.starts_with("AWS Data Engineer (DEA-C01)::"),
            "{}: deck {}",
            c.key,
            c.deck
        );
        assert!(!c.tags.is_empty(), "{} has no tags", c.key);
        for t in &c.tags {
            assert!(
                !t.is_empty() && !t.contains(char::is_whitespace),
                "{}: tag {t:?}",
                c.key
            );
        }
        if c.tags.iter().any(|t| t == "instance-family") {
            assert_eq!(c.deck, "AWS Big Data::Instance families");
        }
    }
    let instance = cards.iter().filter(|c| c.key.starts_with("instance/"));
    assert!(instance.clone().count() >= 40);
    assert!(
        instance
            .clone()
            .all(|c| c.tags.contains(&"instance-family".to_string()))
    );
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(bundled_cards(), bundled_cards());
}

#[test]
fn list_items_become_scenario_and_cue_questions_with_their_page() {
    let cards = bundled_cards();
    let with_prefix =
        |p: &str| -> Vec<&Card> { cards.iter().filter(|c| c.key.starts_with(p)).collect() };
    let firehose = with_prefix("integration/firehose/destination/");
    let k: Vec<&str> = firehose.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        k,
        [
            "integration/firehose/destination/s3/scenario",
            "integration/firehose/destination/redshift/cloze",
            "integration/firehose/destination/splunk/scenario",
            "integration/firehose/destination/elasticsearch-service/scenario",
            "integration/firehose/destination/http-endpoint/scenario",
            "integration/firehose/destination/iceberg-tables/scenario",
        ]
    );
    // A scenario whose answer is the list's subject: the service, by its current name.
    let splunk = firehose[2];
    assert_eq!(
        splunk.deck,
        "AWS Big Data::Integrations::Amazon Data Firehose"
    );
    assert_eq!(
        splunk.back,
        "Amazon Data Firehose (formerly Amazon Kinesis Data Firehose)"
    );
    assert!(splunk.front.contains("Splunk"), "{}", splunk.front);
    assert!(
        splunk
            .note
            .as_deref()
            .unwrap()
            .contains("HTTP Event Collector")
    );
    assert_eq!(splunk.tags, ["firehose", "destination", "splunk"]);
    assert_eq!(
        splunk.source_url.as_deref(),
        Some(
            "https://docs.aws.amazon.com/firehose/latest/APIReference/API_SplunkDestinationConfiguration.html"
        )
    );
    // A scenario whose answer is the item.
    assert_eq!(firehose[0].back, "Amazon S3");
    // A description worth knowing keeps its description → name card and its key.
    let redshift = firehose[1];
    assert!(
        redshift
            .front
            .starts_with("Which Amazon Data Firehose destination is the AWS data warehouse")
    );
    assert_eq!(redshift.back, "Amazon Redshift");
    // An item without its own page takes the list's.
    assert_eq!(
        redshift.source.as_deref(),
        Some("Understand data delivery in Amazon Data Firehose - Amazon Data Firehose")
    );
    assert!(
        redshift
            .source_url
            .as_deref()
            .unwrap()
            .starts_with("https://docs.aws.amazon.com/")
    );
}

#[test]
fn a_short_closed_list_may_have_an_overview_card() {
    let facts = parse(&[SourceFile {
        name: "f.toml".into(),
        text: "[[service]]\nid = \"s3\"\nname = \"Amazon S3\"\n\n[[service]]\nid = \"sns\"\nname = \"Amazon SNS\"\n\n[[service]]\nid = \"sqs\"\nname = \"Amazon SQS\"\n\n[[list]]\nsubject = \"s3\"\nrelation = \"event-notification\"\noverview = \"Where can Amazon S3 send event notifications?\"\nitems = [\n  { ref = \"sns\", scenario = \"Fan out to e-mail?\" },\n  { ref = \"sqs\", scenario = \"Queue for workers?\" },\n]\n".into(),
    }])
    .unwrap();
    let cards = generate(&facts);
    let overview = cards.last().unwrap();
    assert_eq!(overview.key, "integration/s3/event-notification/overview");
    assert_eq!(
        overview.front,
        "Where can Amazon S3 send event notifications? (2)"
    );
    assert_eq!(overview.back, "• Amazon SNS\n• Amazon SQS");
}

#[test]
fn the_notes_errors_are_corrected_with_a_note() {
    let cards = bundled_cards();
    let get = |k: &str| {
        cards
            .iter()
            .find(|c| c.key == k)
            .unwrap_or_else(|| panic!("{k}"))
    };
    let corrected = [
        ("integration/athena/federated-query/qa", "Federated Query"),
        ("integration/sagemaker/source-only-s3/qa", "FSx for Lustre"),
        ("integration/redshift/s3-load/qa", "COPY"),
        ("integration/firehose/kpl-source/qa", "Kinesis data stream"),
        ("instance/question/redshift-nodes/qa", "RA3"),
        ("instance/question/spark/qa", "Memory optimized"),
        (
            "integration/firehose/source/eventbridge/scenario",
            "EventBridge",
        ),
        (
            "integration/emr/integration/ranger/scenario",
            "Apache Ranger",
        ),
    ];
    for (key, right) in corrected {
        let c = get(key);
        assert!(c.back.contains(right), "{key}: {}", c.back);
        assert!(
            c.note.as_deref().unwrap_or("").starts_with("Correction: "),
            "{key}: the note does not say what was corrected: {:?}",
            c.note
        );
        assert!(c.tags.iter().any(|t| t == "corrected"), "{key}");
    }
    // The KPL writes to Kinesis Data Streams only: no longer a Firehose source.
    assert!(
        !cards
            .iter()
            .any(|c| c.key.starts_with("integration/firehose/source/kpl/"))
    );
    // Ranger is an authorization framework, not a firewall.
    let ranger = get("integration/emr/integration/ranger/scenario");
    assert!(!ranger.front.contains("firewall") && !ranger.back.contains("firewall"));
    // Redshift is not an EC2 workload any more.
    assert!(
        !cards
            .iter()
            .any(|c| c.front.contains("Redshift (especially D2)"))
    );
    // CloudWatch Events is EventBridge's former name, not a second service.
    assert!(
        !cards
            .iter()
            .any(|c| c.back.starts_with("CloudWatch Events"))
    );
}

#[test]
fn series_cards_cover_the_letters_a_learner_meets_today() {
    let cards = bundled_cards();
    let get = |k: &str| {
        cards
            .iter()
            .find(|c| c.key == k)
            .unwrap_or_else(|| panic!("no card {k}"))
    };
    for (letter, family) in [
        ("t", "General purpose"),
        ("m", "General purpose"),
        ("c", "Compute optimized"),
        ("r", "Memory optimized"),
        ("x", "Memory optimized"),
        ("z", "Memory optimized"),
        ("p", "Accelerated computing"),
        ("g", "Accelerated computing"),
        ("f", "Accelerated computing"),
        ("inf", "Accelerated computing"),
        ("trn", "Accelerated computing"),
        ("i", "Storage optimized"),
        ("d", "Storage optimized"),
        ("h", "Storage optimized"),
    ] {
        // One fact per card: letter → family, and letter → the trait that defines it.
        assert_eq!(
            get(&format!("instance/series/{letter}/family")).back,
            family
        );
        let traits = get(&format!("instance/series/{letter}/trait"));
        assert!(!traits.back.contains(family), "{}", traits.back);
    }
    // The 2016-18 types are no longer drilled one by one; the family card names them.
    assert!(!cards.iter().any(|c| c.key.starts_with("instance/type/")));
    let f = get("instance/series/f/family");
    assert_eq!(
        f.note.as_deref(),
        Some("Its types in 2019: F1 (retired now).")
    );
    assert_eq!(get("instance/question/spark/qa").back, "Memory optimized");
    assert!(
        get("instance/question/suffix-g/qa")
            .back
            .contains("Graviton")
    );
}

#[test]
fn renamed_and_retired_services_carry_what_changed() {
    let cards = bundled_cards();
    let get = |k: &str| {
        cards
            .iter()
            .find(|c| c.key == k)
            .unwrap_or_else(|| panic!("{k}"))
    };
    // Current names first, "(formerly …)" second, in answers and deck names.
    for (key, answer) in [
        (
            "integration/s3/writer/firehose/scenario",
            "Amazon Data Firehose (formerly Amazon Kinesis Data Firehose)",
        ),
        (
            "integration/s3/event-notification/eventbridge/scenario",
            "Amazon EventBridge (formerly Amazon CloudWatch Events)",
        ),
        (
            "integration/quicksight/source/jira/scenario",
            "Amazon Quick Sight (formerly Amazon QuickSight)",
        ),
        (
            "integration/firehose/destination/elasticsearch-service/scenario",
            "Amazon OpenSearch Service (formerly Amazon Elasticsearch Service)",
        ),
        (
            "integration/emr/framework/trino/scenario",
            "Trino (formerly PrestoSQL)",
        ),
    ] {
        assert_eq!(get(key).back, answer, "{key}");
    }
    let decks: HashSet<&str> = cards.iter().map(|c| c.deck.as_str()).collect();
    for old in [
        "Kinesis Data Firehose",
        "Elasticsearch",
        "QuickSight",
        "SageMaker::",
    ] {
        assert!(
            !decks
                .iter()
                .any(|d| d.ends_with(old) || d.contains(&format!("::{old}"))),
            "{old}"
        );
    }
    assert!(decks.contains("AWS Big Data::Integrations::Amazon SageMaker AI"));
    // A service that takes no new customers or is gone: one card says what replaced it, when.
    for (service, says) in [
        ("kinesis-data-analytics", "15 October 2025"),
        ("amazon-ml", "SageMaker AI"),
        ("data-pipeline", "25 July 2024"),
        ("snowball", "DataSync"),
        ("snowball-edge", "Outposts"),
        ("kinesis-connector-library", "Firehose"),
    ] {
        let of_service: Vec<&Card> = cards
            .iter()
            .filter(|c| c.key.starts_with(&format!("integration/{service}/")))
            .collect();
        assert_eq!(of_service.len(), 1, "{service}");
        assert_eq!(
            of_service[0].key,
            format!("integration/{service}/replaced/qa")
        );
        assert!(
            of_service[0].back.contains(says),
            "{service}: {}",
            of_service[0].back
        );
    }
    // Their successor is taught: Managed Service for Apache Flink's sources, sinks, notebooks.
    assert!(
        get("integration/managed-flink/studio-notebook/qa")
            .back
            .contains("Zeppelin")
    );
}

#[test]
fn notes_typos_are_fixed() {
    let all: String = bundled_cards()
        .iter()
        .map(|c| {
            format!(
                "{} {} {}\n",
                c.front,
                c.back,
                c.note.as_deref().unwrap_or("")
            )
        })
        .collect();
    for right in ["Teradata", "Salesforce"] {
        assert!(all.contains(right));
    }
    for wrong in [
        "terdata",
        "salesfores",
        "mecha-kucha",
        "RedShift",
        "ElasticSearch",
    ] {
        assert!(!all.contains(wrong), "{wrong} is on a card");
    }
}

#[test]
fn changing_wording_keeps_keys() {
    let before = bundled_cards();
    let files = edited("integrations.toml", |t| {
        t.replace(
            "Which Amazon Data Firehose destination is {cue}?",
            "Firehose sends records to {cue}?",
        )
    });
    let files = {
        let mut f = files;
        let s = f
            .iter_mut()
            .find(|f| f.name.ends_with("services.toml"))
            .unwrap();
        s.text = s.text.replace(
            "name = \"Amazon Redshift\"",
            "name = \"Amazon Redshift (provisioned)\"",
        );
        f
    };
    let after = generate(&parse(&files).unwrap());
    assert_eq!(keys(&before), keys(&after));
    let card = after
        .iter()
        .find(|c| c.key == "integration/firehose/destination/redshift/cloze")
        .unwrap();
    assert!(card.front.starts_with("Firehose sends records to"));
    assert_eq!(card.back, "Amazon Redshift (provisioned)");
}

#[test]
fn removing_a_fact_removes_only_its_cards() {
    let before = keys(&bundled_cards());
    // Remove the whole [[qa]] table of the DBLINK fact.
    let files = edited("integrations.toml", |t| {
        let start = t
            .find("[[qa]]\nsubject = \"redshift\"\nid = \"dblink\"")
            .unwrap();
        let end = start + t[start..].find("\n\n").unwrap();
        format!("{}{}", &t[..start], &t[end..])
    });
    let after = keys(&generate(&parse(&files).unwrap()));
    let gone: Vec<&String> = before.difference(&after).collect();
    assert_eq!(gone, ["integration/redshift/dblink/qa"]);
    assert!(after.is_subset(&before));

    // Removing one item of a list removes only its card.
    let files = edited("integrations.toml", |t| {
        let start = t.find("  { ref = \"splunk\"").unwrap();
        let end = start + t[start..].find('\n').unwrap() + 1;
        format!("{}{}", &t[..start], &t[end..])
    });
    let after = keys(&generate(&parse(&files).unwrap()));
    let gone: Vec<&String> = before.difference(&after).collect();
    assert_eq!(gone, ["integration/firehose/destination/splunk/scenario"]);
}

#[test]
fn unknown_service_is_reported_at_its_line() {
    let files = edited("integrations.toml", |t| {
        t.replacen("{ ref = \"splunk\"", "{ ref = \"splonk\"", 1)
    });
    let text = &files[1].text;
    let e = error_of(&files);
    assert_eq!(e.file, "cards/integrations.toml");
    assert_eq!(e.line, line_of(text, "splonk"));
    assert!(e.message.contains("unknown service \"splonk\""), "{e}");
    assert!(
        e.to_string()
            .starts_with(&format!("cards/integrations.toml:{}:", e.line))
    );
}

#[test]
fn unknown_family_is_reported_at_its_line() {
    let files = edited("instance_types.toml", |t| {
        t.replacen("family = \"memory-optimized\"", "family = \"memory\"", 1)
    });
    let e = error_of(&files);
    assert_eq!(e.line, line_of(&files[2].text, "family = \"memory\""));
    assert!(e.message.contains("unknown family"), "{e}");
}

#[test]
fn duplicate_ids_are_reported_with_both_places() {
    let files = edited("services.toml", |t| {
        format!("{t}\n[[service]]\nid = \"s3\"\nname = \"S3 again\"\n")
    });
    let e = error_of(&files);
    assert_eq!(e.line, files[0].text.lines().count() - 1);
    assert!(e.message.contains("duplicate service id \"s3\""), "{e}");
    assert!(
        e.message.contains(&format!(
            "cards/services.toml:{}",
            line_of(&files[0].text, "id = \"s3\"")
        )),
        "{e}"
    );

    let files = edited("integrations.toml", |t| {
        t.replacen("id = \"managed-results\"", "id = \"metadata\"", 1)
    });
    let e = error_of(&files);
    assert!(
        e.message.contains("duplicate fact id \"athena/metadata\""),
        "{e}"
    );

    let files = edited("instance_types.toml", |t| {
        t.replacen("{ code = \"C5\" }", "{ code = \"m5\" }", 1)
    });
    let e = error_of(&files);
    assert!(e.message.contains("duplicate instance type"), "{e}");
    assert_eq!(e.line, line_of(&files[2].text, "{ code = \"m5\" }"));
}

#[test]
fn empty_fields_are_reported_at_their_line() {
    let files = edited("integrations.toml", |t| {
        t.replacen("back = \"UNLOAD\"", "back = \"  \"", 1)
    });
    let e = error_of(&files);
    assert_eq!(e.line, line_of(&files[1].text, "back = \"  \""));
    assert!(e.message.contains("`back` is empty"), "{e}");

    let files = edited("instance_types.toml", |t| {
        t.replacen("current = \"F2\"", "current = \"\"", 1)
    });
    let e = error_of(&files);
    assert!(e.message.contains("`current` is empty"), "{e}");
    assert_eq!(e.line, line_of(&files[2].text, "current = \"\""));
}

#[test]
fn toml_syntax_errors_name_file_line_and_column() {
    let files = edited("instance_types.toml", |t| {
        t.replacen(
            "name = \"Compute optimized\"",
            "name = \"Compute optimized",
            1,
        )
    });
    let e = error_of(&files);
    assert_eq!(e.file, "cards/instance_types.toml");
    assert_eq!(
        e.line,
        line_of(&files[2].text, "name = \"Compute optimized")
    );
    assert!(e.col > 1);
}

#[test]
fn unknown_and_missing_fields_are_errors() {
    let files = edited("services.toml", |t| {
        t.replacen("name = \"Splunk\"", "nme = \"Splunk\"", 1)
    });
    let e = error_of(&files);
    assert!(e.message.contains("nme"), "{e}");
    assert!(e.line >= line_of(&files[0].text, "id = \"splunk\"") - 1);
}

#[test]
fn every_list_item_needs_a_scenario_or_a_cue() {
    let files = edited("integrations.toml", |t| {
        let start = t.find("  { ref = \"splunk\", scenario").unwrap();
        let end = start + t[start..].find('\n').unwrap();
        format!("{}  {{ ref = \"splunk\" }},{}", &t[..start], &t[end..])
    });
    let e = error_of(&files);
    assert!(e.message.contains("needs a `scenario` (or a `cue`)"), "{e}");
    assert_eq!(e.line, line_of(&files[1].text, "{ ref = \"splunk\" }"));

    let files = edited("integrations.toml", |t| {
        t.replacen(
            "answer = \"subject\", note = \"Firehose posts",
            "answer = \"the subject\", note = \"Firehose posts",
            1,
        )
    });
    let e = error_of(&files);
    assert!(
        e.message.contains("neither \"subject\" nor \"item\""),
        "{e}"
    );
}

#[test]
fn a_list_question_must_take_the_cue_once() {
    let files = edited("integrations.toml", |t| {
        t.replacen(
            "question = \"Which Amazon Data Firehose destination is {cue}?\"",
            "question = \"Where does Firehose deliver?\"",
            1,
        )
    });
    let e = error_of(&files);
    assert!(e.message.contains("{cue}"), "{e}");
    assert_eq!(
        e.line,
        line_of(&files[1].text, "Where does Firehose deliver?")
    );
}

#[test]
fn overviews_are_refused_on_open_and_long_lists() {
    // Open: the Firehose destinations.
    let files = edited("integrations.toml", |t| {
        t.replacen(
            "question = \"Which Amazon Data Firehose destination is {cue}?\"",
            "question = \"Which Amazon Data Firehose destination is {cue}?\"\noverview = \"Name all destinations.\"",
            1,
        )
    });
    let e = error_of(&files);
    assert!(e.message.contains("only for a closed list"), "{e}");
    assert_eq!(e.line, line_of(&files[1].text, "Name all destinations."));

    // Closed but long: the EMR applications, once closed.
    let files = edited("integrations.toml", |t| {
        t.replacen(
            "relation = \"framework\"\nopen = true",
            "relation = \"framework\"\noverview = \"Name them all.\"",
            1,
        )
    });
    let e = error_of(&files);
    assert!(e.message.contains("at most 5 items"), "{e}");
}

#[test]
fn a_status_needs_a_known_value_and_a_note() {
    let files = edited("services.toml", |t| {
        t.replacen(
            "name = \"Apache Pig\"",
            "name = \"Apache Pig\"\nstatus = \"maintenance\"",
            1,
        )
    });
    let e = error_of(&files);
    assert!(e.message.contains("add a `note`"), "{e}");
    assert_eq!(e.line, line_of(&files[0].text, "status = \"maintenance\""));

    let files = edited("services.toml", |t| {
        t.replacen("status = \"renamed\"", "status = \"gone\"", 1)
    });
    let e = error_of(&files);
    assert!(e.message.contains("is not one of"), "{e}");

    let files = edited("instance_types.toml", |t| {
        t.replacen(
            "{ code = \"T3\" }",
            "{ code = \"T3\", status = \"retired\" }",
            1,
        )
    });
    let e = error_of(&files);
    assert!(e.message.contains("an instance type has status"), "{e}");
}

#[test]
fn series_are_checked() {
    let files = edited("instance_types.toml", |t| {
        t.replacen("letter = \"H\"", "letter = \"TRN\"", 1)
    });
    let e = error_of(&files);
    assert!(e.message.contains("duplicate series \"trn\""), "{e}");
    assert_eq!(e.line, line_of(&files[2].text, "letter = \"TRN\""));

    let files = edited("instance_types.toml", |t| {
        t.replacen(
            "family = \"storage-optimized\"\ntrait",
            "family = \"storage\"\ntrait",
            1,
        )
    });
    let e = error_of(&files);
    assert!(e.message.contains("unknown family \"storage\""), "{e}");
}
