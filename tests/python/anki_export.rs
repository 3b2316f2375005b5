//! The CSV export imported into a real Anki collection by Anki's own backend (the `anki`
//! package from PyPI, set up by ./run-tests): every card becomes a note with our front, back,
//! deck and tags; importing again adds nothing; after a wording change the re-import updates
//! the note. Fields with commas, quotes, newlines, a leading '#', `<b>`-like text and `::` are
//! part of the exported deck.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use common::{awscards, copy_cards, stderr, stdout};
use serde_json::Value;

const TRICKY: &str = r##"
[[service]]
id = "tricky"
name = "Tricky: \"quoted\", with commas"

[[qa]]
subject = "tricky"
id = "hash"
front = "#1 starts with a hash, and has a comma"
back = "Line one\nLine two, with \"double quotes\""

[[qa]]
subject = "tricky"
id = "markup"
front = "Is <b>this</b> bold? Is a::b a deck? 5 > 3 & 2 < 4"
back = "<b>No</b>: it is text, and so is a::b"

[[qa]]
subject = "tricky"
id = "hash-space"
front = "# a heading?"
back = "#no, a card\n#with a second line"
"##;

fn run_in(db: &Path, facts: &Path, args: &[&str]) -> Output {
    awscards()
        .env("AWSCARDS_DB", db)
        .env("AWSCARDS_NOW", "2026-06-01T10:00:00+02:00")
        .arg("--facts")
        .arg(facts)
        .args(args)
        .output()
        .expect("runs awscards")
}

/// Our cards by key: (front, back as exported, deck, tags).
fn our_cards(
    db: &Path,
    facts: &Path,
) -> BTreeMap<String, (String, String, String, BTreeSet<String>)> {
    let o = run_in(db, facts, &["cards", "--json", "--search", ""]);
    assert!(o.status.success(), "{}", stderr(&o));
    let cards: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    cards
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            let back = match c["note"].as_str() {
                Some(note) => format!("{}\n\n{note}", s("back")),
                None => s("back"),
            };
            let tags = c["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            (s("key"), (s("front"), back, s("deck"), tags))
        })
        .collect()
}

fn anki_import(python: &Path, collection: &Path, csv: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/anki_import.py");
    let o = Command::new(python)
        .arg(script)
        .arg(collection)
        .arg(csv)
        .output()
        .expect("runs Python");
    assert!(o.status.success(), "Anki import failed: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("JSON from the import script")
}

fn anki_notes(result: &Value) -> BTreeMap<String, (String, String, String, BTreeSet<String>)> {
    result["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            assert_eq!(n["notetype"], "Basic");
            let decks = n["decks"].as_array().unwrap();
            assert_eq!(decks.len(), 1, "{n}");
            let tags = n["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            (
                n["guid"].as_str().unwrap().to_string(),
                (
                    n["plain"][0].as_str().unwrap().to_string(),
                    n["plain"][1].as_str().unwrap().to_string(),
                    decks[0].as_str().unwrap().to_string(),
                    tags,
                ),
            )
        })
        .collect()
}

#[test]
fn export_imports_into_real_anki_and_reimports_as_updates() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let facts = dir.path().join("facts");
    std::fs::create_dir(&facts).unwrap();
    copy_cards(&facts);
    std::fs::write(facts.join("tricky.toml"), TRICKY).unwrap();
    let db = dir.path().join("collection.sqlite");
    let csv = dir.path().join("deck.csv");
    let anki = dir.path().join("anki/collection.anki2");
    std::fs::create_dir(anki.parent().unwrap()).unwrap();

    // Export everything; Anki detects every setting from the file.
    let o = run_in(&db, &facts, &["export", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ours = our_cards(&db, &facts);
    assert!(ours.len() > 150);
    assert_eq!(
        stdout(&o).trim(),
        format!("Exported {} cards to {}", ours.len(), csv.display())
    );
    let first = anki_import(&python, &anki, &csv);
    let d = &first["detected"];
    assert_eq!(d["delimiter"], "COMMA");
    assert_eq!(d["is_html"], false);
    assert_eq!(d["notetype"], "Basic");
    assert_eq!(
        (
            d["guid_column"].as_u64(),
            d["deck_column"].as_u64(),
            d["tags_column"].as_u64()
        ),
        (Some(1), Some(4), Some(5))
    );
    assert_eq!(first["new"].as_u64(), Some(ours.len() as u64));
    for kind in [
        "conflicting",
        "missing_notetype",
        "missing_deck",
        "empty_first_field",
        "first_field_match",
    ] {
        assert_eq!(first[kind].as_u64(), Some(0), "{kind}");
    }
    // Every card became a note with our front, back, deck and tags.
    let notes = anki_notes(&first);
    assert_eq!(notes, ours);
    let hash = &notes["integration/tricky/hash/qa"];
    assert_eq!(hash.0, "#1 starts with a hash, and has a comma");
    assert_eq!(hash.1, "Line one\nLine two, with \"double quotes\"");
    assert_eq!(
        hash.2,
        "AWS Big Data::Integrations::Tricky: \"quoted\", with commas"
    );
    let markup = first["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["guid"] == "integration/tricky/markup/qa")
        .unwrap();
    assert!(
        markup["fields"][0]
            .as_str()
            .unwrap()
            .contains("&lt;b&gt;this&lt;/b&gt;"),
        "shown as typed, not bold"
    );

    // The same file again: nothing new.
    let second = anki_import(&python, &anki, &csv);
    assert_eq!(second["new"].as_u64(), Some(0));
    assert_eq!(anki_notes(&second), ours);

    // Edit one fact's wording, export again: the re-import updates those notes.
    let path = facts.join("integrations.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "Which Amazon Data Firehose destination is {cue}?",
            "Firehose sends records to {cue}?",
        ),
    )
    .unwrap();
    let o = run_in(&db, &facts, &["export", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let edited = our_cards(&db, &facts);
    let changed = edited.iter().filter(|(k, v)| ours[*k] != **v).count();
    assert_eq!(changed, 1, "the Firehose destination cue card changed");
    let third = anki_import(&python, &anki, &csv);
    assert_eq!(third["new"].as_u64(), Some(0), "no duplicates");
    assert_eq!(third["updated"].as_u64(), Some(changed as u64));
    let notes = anki_notes(&third);
    assert_eq!(notes, edited);
    assert!(
        notes["integration/firehose/destination/redshift/cloze"]
            .0
            .starts_with("Firehose sends records to")
    );
}

#[test]
fn exporting_a_filtered_deck_or_search_exports_exactly_its_cards() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let facts = Path::new(env!("CARGO_MANIFEST_DIR")).join("cards");
    let count = |args: &[&str]| -> usize {
        let csv = dir.path().join("out.csv");
        let mut all = vec!["export", csv.to_str().unwrap()];
        all.extend_from_slice(args);
        let o = run_in(&db, &facts, &all);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let text = std::fs::read_to_string(&csv).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        reader
            .records()
            .map(|r| r.unwrap())
            .filter(|r| r.len() == 5)
            .count()
    };
    let search = |q: &str| -> usize {
        let o = run_in(&db, &facts, &["cards", "--json", "--search", q]);
        serde_json::from_slice::<Vec<Value>>(&o.stdout)
            .unwrap()
            .len()
    };
    assert_eq!(
        count(&["--filtered", "Instance families"]),
        search("tag:instance-family")
    );
    assert_eq!(count(&["--filtered", "Instance families"]), 48);
    assert_eq!(
        count(&["--search", "kinesis -tag:instance-family"]),
        search("kinesis -tag:instance-family")
    );
    assert_eq!(
        count(&["--deck", "AWS Big Data::Integrations::Amazon S3"]),
        10
    );
    assert_eq!(count(&[]), search(""));
}

#[test]
fn export_errors_are_clear_and_leave_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let facts = Path::new(env!("CARGO_MANIFEST_DIR")).join("cards");
    let missing = dir.path().join("no/such/folder/out.csv");
    let o = run_in(&db, &facts, &["export", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    assert!(!missing.exists());

    // A folder nobody may create files in, root included.
    let o = run_in(&db, &facts, &["export", "/proc/awscards-export.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot write /proc/awscards-export.csv"),
        "{}",
        stderr(&o)
    );
    assert!(!Path::new("/proc/awscards-export.csv").exists());

    let o = run_in(&db, &facts, &["export", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("it is a folder"), "{}", stderr(&o));

    let x = dir.path().join("x.csv");
    let o = run_in(
        &db,
        &facts,
        &["export", x.to_str().unwrap(), "--search", "(oops"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("expected ')'"), "{}", stderr(&o));
    let o = run_in(
        &db,
        &facts,
        &["export", x.to_str().unwrap(), "--filtered", "Nope"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no filtered deck named \"Nope\""),
        "{}",
        stderr(&o)
    );
    assert!(!x.exists());
    // Nothing half-written was left anywhere.
    assert!(
        std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("partial"))
    );
}

#[test]
fn export_never_replaces_a_special_file_keeps_modes_and_follows_links() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let facts = Path::new(env!("CARGO_MANIFEST_DIR")).join("cards");

    // A FIFO (like a device node) is not replaced by a regular file.
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let o = run_in(&db, &facts, &["export", fifo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );

    // Over an existing file: its mode stays.
    let kept = dir.path().join("kept.csv");
    std::fs::write(&kept, "old").unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = run_in(&db, &facts, &["export", kept.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = std::fs::metadata(&kept).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    assert!(
        std::fs::read_to_string(&kept)
            .unwrap()
            .starts_with("#separator:Comma")
    );

    // Through a symlink (even one whose target does not exist yet): the target is written
    // and the link stays a link.
    for target in ["target.csv", "later.csv"] {
        let target = dir.path().join(target);
        if target.ends_with("target.csv") {
            std::fs::write(&target, "old").unwrap();
        }
        let link = dir.path().join(format!(
            "link-to-{}",
            target.file_name().unwrap().to_string_lossy()
        ));
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let o = run_in(&db, &facts, &["export", link.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            std::fs::read_to_string(&target)
                .unwrap()
                .starts_with("#separator:Comma")
        );
    }

    // A new file gets the usual mode for new files (not the temporary file's 0600).
    let fresh = dir.path().join("fresh.csv");
    let o = run_in(&db, &facts, &["export", fresh.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mode = std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
    assert_ne!(mode, 0o600, "{mode:o}");
}

#[test]
fn partial_files_of_killed_exports_are_removed_by_the_next_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let facts = Path::new(env!("CARGO_MANIFEST_DIR")).join("cards");
    let stale = dir.path().join(".awscards-export-killed.partial");
    let fresh = dir.path().join(".awscards-export-running.partial");
    for f in [&stale, &fresh] {
        std::fs::write(f, vec![0u8; 1 << 16]).unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    let out = dir.path().join("deck.csv");
    let o = run_in(&db, &facts, &["export", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stale.exists(), "the stale partial file is still there");
    assert!(
        fresh.exists(),
        "a partial file another export may be writing was removed"
    );
}

#[test]
fn export_and_review_take_a_deck_name_literally() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let facts = dir.path().join("facts");
    std::fs::create_dir(&facts).unwrap();
    std::fs::write(
        facts.join("f.toml"),
        r#"
[[service]]
id = "star"
name = "A*"

[[service]]
id = "ab"
name = "AB"

[[qa]]
subject = "star"
id = "one"
front = "In the starred deck?"
back = "Yes"

[[qa]]
subject = "ab"
id = "two"
front = "In the AB deck?"
back = "Yes"
"#,
    )
    .unwrap();
    let deck = "AWS Big Data::Integrations::A*";
    let out = dir.path().join("a.csv");
    let o = run_in(
        &db,
        &facts,
        &["export", out.to_str().unwrap(), "--deck", deck],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("Exported 1 card to"),
        "{}",
        stdout(&o)
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains("starred") && !csv.contains("AB deck"), "{csv}");
    // The review of the same deck studies the same one card.
    let o = common::run_with_input(
        {
            let mut cmd = common::awscards();
            cmd.env("AWSCARDS_DB", &db).args([
                "--facts",
                facts.to_str().unwrap(),
                "review",
                "--deck",
                deck,
            ]);
            cmd
        },
        "\n4\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).matches("Q: ").count(), 1, "{}", stdout(&o));
}

#[test]
fn exporting_a_deck_that_does_not_exist_fails_and_leaves_the_folder_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let target = out.join("a.csv");
    std::fs::write(&target, "kept").unwrap();
    let o = common::awscards()
        .env("AWSCARDS_DB", &db)
        .args(["export", target.to_str().unwrap(), "--deck", "No such deck"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("No such deck"), "{}", stderr(&o));
    // The cards are streamed into a temporary file: gone, and the old file untouched.
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["a.csv"]);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "kept");
}
