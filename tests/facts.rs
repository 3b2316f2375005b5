//! The bundled facts, the card generator and the validation of facts files.

use std::collections::{BTreeSet, HashSet};

use awscards::model::cardgen::{Card, generate};
use awscards::model::facts::{FactsError, SourceFile, parse};
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
fn every_service_and_family_has_a_card() {
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
        for t in &f.types {
            assert!(
                cards
                    .iter()
                    .any(|c| c.key == format!("instance/type/{}/family", t.to_lowercase())),
                "no type → family card for {t}"
            );
        }
    }
}

#[test]
fn cards_are_well_formed() {
    let cards = bundled_cards();
    assert!(cards.len() >= 200, "only {} cards", cards.len());
    let mut seen = HashSet::new();
    for c in &cards {
        assert!(seen.insert(&c.key), "duplicate key {}", c.key);
        assert!(!c.front.trim().is_empty(), "{} has an empty front", c.key);
        assert!(!c.back.trim().is_empty(), "{} has an empty back", c.key);
        assert!(
            c.deck.starts_with("AWS Big Data::"),
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
    assert!(instance.clone().count() > 40);
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
fn lists_become_one_card_per_item_plus_one_overview() {
    let cards = bundled_cards();
    let firehose: Vec<&Card> = cards
        .iter()
        .filter(|c| c.key.starts_with("integration/firehose/destination/"))
        .collect();
    let k: Vec<&str> = firehose.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        k,
        [
            "integration/firehose/destination/s3/cloze",
            "integration/firehose/destination/redshift/cloze",
            "integration/firehose/destination/splunk/cloze",
            "integration/firehose/destination/elasticsearch-service/cloze",
            "integration/firehose/destination/overview",
        ]
    );
    let splunk = firehose[2];
    assert_eq!(
        splunk.deck,
        "AWS Big Data::Integrations::Kinesis Data Firehose"
    );
    assert_eq!(splunk.back, "Splunk");
    assert!(splunk.front.contains("[...]") && !splunk.front.contains("Splunk"));
    assert!(
        splunk
            .note
            .as_deref()
            .unwrap()
            .contains("Amazon Data Firehose")
    );
    assert_eq!(splunk.tags, ["firehose", "destination", "splunk"]);
}

#[test]
fn only_constraints_have_their_own_cards() {
    let cards = bundled_cards();
    for key in [
        "integration/athena/source-only-s3/qa",
        "integration/sagemaker/source-only-s3/qa",
    ] {
        let c = cards.iter().find(|c| c.key == key).unwrap();
        assert!(c.back.starts_with("Only"), "{key}: {}", c.back);
        assert!(c.tags.contains(&"only".to_string()));
    }
}

#[test]
fn instance_cards_go_every_way() {
    let cards = bundled_cards();
    let get = |k: &str| {
        cards
            .iter()
            .find(|c| c.key == k)
            .unwrap_or_else(|| panic!("{k}"))
    };
    assert_eq!(get("instance/type/z1d/family").back, "Memory optimized");
    assert_eq!(get("instance/memory-optimized/type/x1/cloze").back, "X1");
    assert_eq!(
        get("instance/compute-optimized/workload/batch/reverse").back,
        "Compute optimized"
    );
    assert!(
        get("instance/storage-optimized/workloads/overview")
            .back
            .contains("HDFS")
    );
    assert!(
        get("instance/question/spark/qa")
            .back
            .contains("Memory optimized")
    );
    assert!(
        get("instance/question/tensorflow-mxnet/qa")
            .back
            .contains("Accelerated")
    );
}

#[test]
fn renamed_services_carry_their_current_name() {
    let cards = bundled_cards();
    for (key, current) in [
        (
            "integration/firehose/destination/overview",
            "Amazon Data Firehose",
        ),
        (
            "integration/kinesis-data-analytics/output/overview",
            "Managed Service for Apache Flink",
        ),
        (
            "integration/elasticsearch-service/access/overview",
            "OpenSearch",
        ),
        ("integration/amazon-ml/exposes/qa", "deprecated"),
    ] {
        let c = cards.iter().find(|c| c.key == key).unwrap();
        assert!(
            c.note.as_deref().unwrap_or("").contains(current),
            "{key}: {:?}",
            c.note
        );
    }
}

#[test]
fn notes_typos_are_fixed() {
    let all: String = bundled_cards()
        .iter()
        .map(|c| format!("{} {}\n", c.front, c.back))
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
            "Kinesis Data Firehose delivers data to",
            "Firehose sends records to",
        )
    });
    let files = {
        let mut f = files;
        let s = f
            .iter_mut()
            .find(|f| f.name.ends_with("services.toml"))
            .unwrap();
        s.text = s
            .text
            .replace("name = \"Splunk\"", "name = \"Splunk Enterprise\"");
        f
    };
    let after = generate(&parse(&files).unwrap());
    assert_eq!(keys(&before), keys(&after));
    let card = after
        .iter()
        .find(|c| c.key == "integration/firehose/destination/splunk/cloze")
        .unwrap();
    assert!(card.front.starts_with("Firehose sends records to"));
    assert_eq!(card.back, "Splunk Enterprise");
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

    // Removing one item of a list removes its cloze card and keeps the overview.
    let files = edited("integrations.toml", |t| {
        t.replacen("  { ref = \"splunk\" },\n", "", 1)
    });
    let after = keys(&generate(&parse(&files).unwrap()));
    let gone: Vec<&String> = before.difference(&after).collect();
    assert_eq!(gone, ["integration/firehose/destination/splunk/cloze"]);
}

#[test]
fn unknown_service_is_reported_at_its_line() {
    let files = edited("integrations.toml", |t| {
        t.replacen("{ ref = \"splunk\" }", "{ ref = \"splonk\" }", 1)
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
        t.replacen("id = \"results\"", "id = \"metadata\"", 1)
    });
    let e = error_of(&files);
    assert!(
        e.message.contains("duplicate fact id \"athena/metadata\""),
        "{e}"
    );

    let files = edited("instance_types.toml", |t| {
        t.replacen("\"C4\", \"C5\"", "\"C4\", \"M5\"", 1)
    });
    let e = error_of(&files);
    assert!(e.message.contains("duplicate instance type"), "{e}");
    assert_eq!(e.line, line_of(&files[2].text, "\"C4\", \"M5\""));
}

#[test]
fn empty_fields_are_reported_at_their_line() {
    let files = edited("integrations.toml", |t| {
        t.replacen("back = \"Back to Amazon S3\"", "back = \"  \"", 1)
    });
    let e = error_of(&files);
    assert_eq!(e.line, line_of(&files[1].text, "back = \"  \""));
    assert!(e.message.contains("`back` is empty"), "{e}");

    let files = edited("instance_types.toml", |t| {
        t.replacen("[\"C4\", \"C5\"]", "[]", 1)
    });
    let e = error_of(&files);
    assert!(e.message.contains("`types` is empty"), "{e}");
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
