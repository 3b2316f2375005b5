//! Searches and filtered decks through the binary: `decks`, `cards --search`,
//! `review --filtered`.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use common::{awscards, run_with_input, stderr, stdout};
use serde_json::Value;

const NOW: &str = "2026-06-01T10:00:00+02:00";

fn with_db(db: &Path) -> Command {
    let mut cmd = awscards();
    cmd.env("AWSCARDS_DB", db).env("AWSCARDS_NOW", NOW);
    cmd
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn decks_json_lists_decks_and_filtered_decks_with_counts() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(
        &with_db(&dir.path().join("c.sqlite"))
            .args(["decks", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(v["decks"][0]["deck"], "AWS Big Data");
    assert_eq!(v["decks"][0]["new"], 20);
    let filtered = v["filtered"].as_array().unwrap();
    let inst = filtered
        .iter()
        .find(|f| f["name"] == "Instance families")
        .unwrap();
    assert_eq!(
        (inst["mode"].as_str(), inst["cards"].as_u64()),
        (Some("cram"), Some(48))
    );
    assert_eq!(inst["query"], "tag:instance-family");
    let failed = filtered
        .iter()
        .find(|f| f["name"] == "Failed this week")
        .unwrap();
    assert_eq!(failed["cards"].as_u64(), Some(0));
}

#[test]
fn cards_search_lists_matching_cards_from_the_collection() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let v = json(
        &with_db(&db)
            .args([
                "cards",
                "--json",
                "--search",
                "deck:\"AWS Big Data::Instance families\" tag:memory-optimized",
            ])
            .output()
            .unwrap(),
    );
    let cards = v.as_array().unwrap();
    assert!(!cards.is_empty());
    for c in cards {
        assert_eq!(c["deck"], "AWS Big Data::Instance families");
        assert!(
            c["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "memory-optimized")
        );
        assert_eq!(c["new"], true);
    }
    let text = with_db(&db)
        .args(["cards", "--search", "splunk"])
        .output()
        .unwrap();
    assert!(stdout(&text).contains("integration/firehose/destination/splunk/scenario"));
}

#[test]
fn a_bad_search_is_an_error_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let o = with_db(&dir.path().join("c.sqlite"))
        .args(["cards", "--search", "tag:s3 (kinesis"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("at character 16: expected ')'"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn review_filtered_studies_a_cram_deck_without_rescheduling() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let mut cmd = with_db(&db);
    cmd.args(["review", "--filtered", "Instance families"]);
    let o = run_with_input(cmd, "\n4\n\n1\n\n4\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let oks: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("ok instance/"))
        .collect();
    assert_eq!(oks.len(), 3, "{out}");
    // Nothing was rescheduled: every card is still new.
    let stats = json(&with_db(&db).args(["stats", "--json"]).output().unwrap());
    assert_eq!(stats["new"], stats["cards"]);
    assert_eq!(stats["reviews_total"], 3);
}

#[test]
fn review_of_an_unknown_filtered_deck_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = with_db(&dir.path().join("c.sqlite"))
        .args(["review", "--filtered", "Nope"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no filtered deck named \"Nope\""));
}

#[test]
fn a_search_that_starts_with_a_minus_is_a_search_not_a_flag() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let o = common::awscards()
        .env("AWSCARDS_DB", &db)
        .args(["cards", "--json", "--search", "-firehose"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cards: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(!cards.is_empty());
    for c in &cards {
        for field in ["front", "back"] {
            let text = c[field].as_str().unwrap().to_lowercase();
            assert!(!text.contains("firehose"), "{c}");
        }
    }
}
