//! The `awscards` binary: cards, simulate, help, version and bad input.

use crate::common;

use common::{copy_cards, run, stderr, stdout};
use serde_json::Value;

#[test]
fn cards_json_is_one_array_with_the_fields() {
    let o = run(&["cards", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let cards = v.as_array().unwrap();
    assert!(cards.len() >= 150);
    for c in cards {
        for field in ["key", "deck", "front", "back", "source"] {
            assert!(
                c[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field} in {c}"
            );
        }
        let tags = c["tags"].as_array().unwrap();
        assert!(tags.iter().all(|t| t.as_str().is_some()));
        // The page a learner can open: on the AWS documentation.
        let url = c["source_url"].as_str().unwrap_or_default();
        assert!(
            url.starts_with("https://docs.aws.amazon.com/")
                || url.starts_with("https://aws.amazon.com/"),
            "source_url in {c}"
        );
        for field in ["front", "back", "note"] {
            let text = c[field].as_str().unwrap_or_default();
            assert!(!text.to_lowercase().contains("the notes"), "{field} in {c}");
        }
    }
}

#[test]
fn cards_text_lists_every_card() {
    let o = run(&["cards"]);
    assert!(o.status.success());
    let json = run(&["cards", "--json"]);
    let n = serde_json::from_slice::<Vec<Value>>(&json.stdout)
        .unwrap()
        .len();
    assert!(stdout(&o).ends_with(&format!("{n} cards\n")));
}

#[test]
fn facts_folder_replaces_the_bundled_deck() {
    let dir = tempfile::tempdir().unwrap();
    copy_cards(dir.path());
    let path = dir.path().join("integrations.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "Which Amazon Data Firehose destination is {cue}?",
            "FH pushes to {cue}?",
        ),
    )
    .unwrap();
    let o = run(&["cards", "--json", "--facts", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("FH pushes to the AWS data warehouse"));
}

#[test]
fn bad_facts_exit_2_naming_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    copy_cards(dir.path());
    let path = dir.path().join("integrations.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let bad = text.replacen("{ ref = \"splunk\"", "{ ref = \"splonk\"", 1);
    let line = bad.lines().position(|l| l.contains("splonk")).unwrap() + 1;
    std::fs::write(&path, bad).unwrap();
    let o = run(&["cards", "--facts", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "printed cards despite the error");
    let err = stderr(&o);
    assert!(err.contains(&format!("integrations.toml:{line}:")), "{err}");
    assert!(err.contains("unknown service \"splonk\""), "{err}");
}

#[test]
fn missing_or_empty_facts_folder_is_a_clear_error() {
    let o = run(&["cards", "--facts", "/nonexistent/awscards-facts"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/nonexistent/awscards-facts"),
        "{}",
        stderr(&o)
    );
    let empty = tempfile::tempdir().unwrap();
    let o = run(&["cards", "--facts", empty.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no facts files"), "{}", stderr(&o));
}

#[test]
fn simulate_json_prints_the_published_intervals() {
    let o = run(&["simulate", "--grades", "4,4,4,4,4", "--no-fuzz", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let steps: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    let intervals: Vec<u64> = steps
        .iter()
        .map(|s| s["interval_days"].as_u64().unwrap())
        .collect();
    assert_eq!(intervals, [1, 6, 15, 38, 95]);
    for s in &steps {
        assert_eq!(s["ease"].as_f64(), Some(2.5));
        assert_eq!(s["quality"].as_u64(), Some(4));
        assert!(s["repetitions"].is_u64() && s["lapses"].is_u64());
    }
}

#[test]
fn simulate_keeps_ease_unrounded() {
    let o = run(&["simulate", "--grades", "5,5,5", "--no-fuzz", "--json"]);
    let steps: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(steps[2]["ease"].as_f64(), Some(2.8000000000000003));
}

#[test]
fn simulate_accepts_button_names() {
    let o = run(&[
        "simulate",
        "--buttons",
        "again,good,easy",
        "--no-fuzz",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let steps: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    let q: Vec<u64> = steps
        .iter()
        .map(|s| s["quality"].as_u64().unwrap())
        .collect();
    assert_eq!(q, [1, 4, 5]);
    assert_eq!(steps[0]["lapses"].as_u64(), Some(1));
}

#[test]
fn simulate_text_output_has_a_row_per_step() {
    let o = run(&["simulate", "--grades", "5,4,3,1,4", "--no-fuzz"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o).lines().count(), 6);
}

#[test]
fn simulate_rejects_bad_grades_with_exit_2() {
    for args in [
        &["simulate", "--grades", "7"][..],
        &["simulate", "--grades", "x"],
        &["simulate", "--grades", ""],
        &["simulate", "--buttons", "meh"],
        &["simulate"],
        &["simulate", "--grades", "4", "--buttons", "good"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(!stderr(&o).trim().is_empty(), "{args:?}: no message");
    }
    let err = stderr(&run(&["simulate", "--grades", "4,7"]));
    assert!(err.contains("item 2 is \"7\""), "{err}");
}

#[test]
fn version_and_help_work() {
    let o = run(&["--version"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("awscards "));
    let o = run(&["--help"]);
    assert!(o.status.success());
    for sub in ["cards", "simulate"] {
        assert!(stdout(&o).contains(sub));
    }
}

#[test]
fn unknown_subcommand_exits_2() {
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_unreadable_facts_file_is_an_error_not_skipped() {
    // A dangling and a looping symlink among the *.toml files: skipping them would retire
    // their cards.
    for (name, target) in [
        ("dangling.toml", "missing.toml"),
        ("loop.toml", "loop.toml"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        copy_cards(dir.path());
        std::os::unix::fs::symlink(dir.path().join(target), dir.path().join(name)).unwrap();
        let o = run(&["cards", "--facts", dir.path().to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert!(o.stdout.is_empty());
        assert!(stderr(&o).contains(name), "{}", stderr(&o));
    }
}

#[test]
fn a_facts_file_that_is_not_utf8_is_reported_at_its_position() {
    let dir = tempfile::tempdir().unwrap();
    copy_cards(dir.path());
    std::fs::write(
        dir.path().join("extra.toml"),
        b"# fine\n[[service]]\nid = \"x\"\nname = \"caf\xe9\"\n",
    )
    .unwrap();
    let o = run(&["cards", "--facts", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("extra.toml:4:12: not valid UTF-8"), "{err}");
}

#[test]
fn export_help_warns_about_spreadsheets() {
    let o = run(&["export", "--help"]);
    assert!(o.status.success());
    let help = stdout(&o);
    assert!(help.contains("formula by a spreadsheet"), "{help}");
}

#[test]
fn simulate_keeps_counting_past_the_end_of_the_calendar() {
    let grades = vec!["5"; 60].join(",");
    let o = run(&["simulate", "--grades", &grades, "--no-fuzz", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let steps = v.as_array().unwrap();
    assert_eq!(steps.len(), 60);
    assert_eq!(steps[59]["repetitions"].as_u64(), Some(60));
    // Days grow with every answer until the interval saturates, and never go back.
    let days: Vec<u64> = steps.iter().map(|s| s["day"].as_u64().unwrap()).collect();
    assert!(days.windows(2).all(|w| w[0] < w[1]), "{days:?}");
}

#[test]
fn bench_builds_a_heavy_users_collection_and_reports_the_agreed_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = run(&[
        "bench",
        "--cards",
        "1000",
        "--reviews",
        "3000",
        "--answers",
        "5",
        "--out",
        out,
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let keys: std::collections::BTreeSet<&str> =
        v.as_object().unwrap().keys().map(String::as_str).collect();
    let expected: std::collections::BTreeSet<&str> = [
        "open_ms",
        "queue_ms",
        "deck_tree_ms",
        "answer_ms",
        "fsync_floor_ms",
        "search_ms",
        "search_text_ms",
        "export_csv_ms",
        "stats_ms",
        "generate_ms",
        "cards",
        "reviews",
    ]
    .into_iter()
    .collect();
    assert_eq!(keys, expected);
    assert_eq!(v["cards"].as_u64(), Some(1000));
    assert_eq!(v["reviews"].as_u64(), Some(3000));
    // The collection it timed: 50 decks, about 70% of the cards in review, the log's answers
    // (the bench's own answers were undone or added on top).
    let db = dir.path().join("collection.sqlite");
    let facts = dir.path().join("facts");
    let on_it = |command: &str| -> Value {
        let o = common::awscards()
            .arg("--db")
            .arg(&db)
            .arg("--facts")
            .arg(&facts)
            .args([command, "--json"])
            .output()
            .unwrap();
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let stats = on_it("stats");
    let review = stats["review"].as_u64().unwrap() + stats["learning"].as_u64().unwrap();
    assert!((600..=800).contains(&review), "{stats}");
    assert!(stats["reviews_total"].as_u64().unwrap() >= 3000, "{stats}");
    let decks = on_it("due");
    assert!(decks.as_array().unwrap().len() > 50, "{decks}");
    // The bench lifts the daily limits only while it answers: the collection it leaves to
    // open in the app keeps the defaults.
    let settings = on_it("settings");
    assert_eq!(settings["new_per_day"], 20, "{settings}");
    assert_eq!(settings["reviews_per_day"], 200, "{settings}");
    // The report beside it has the other figures, such as the floor an SQLite commit cannot
    // beat; the scratch database that measured it is gone.
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert!(
        report["sqlite_commit_floor_ms"].as_f64().unwrap() > 0.0,
        "{report}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("commit-floor"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // The window's frame times, alone, on the collection it left: Browse typed in and scrolled
    // through its 1 000 rows, Stats scrolled through twice.
    let o = run(&["bench", "--window", "--out", out]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10, "{text}");
    assert!(lines[0].starts_with("Browse, typing"), "{text}");
    assert!(
        lines[1].starts_with("Browse, scrolling through 1 000 rows"),
        "{text}"
    );
    assert!(lines[2].starts_with("Stats with every chart"), "{text}");
    assert!(lines[2].contains("; again: 61 frames"), "{text}");
    // Then the window's frames while each long job runs on its thread, on a copy of the
    // collection, which stays as it was, and nothing of the jobs is left behind.
    let jobs = [
        "first launch on a new facts folder",
        "opening the collection",
        "Compare SM-2 and FSRS",
        "switch of scheduler worked out",
        "FSRS parameters fitted",
        "package exported",
        "package imported",
    ];
    for (line, job) in lines[3..].iter().zip(jobs) {
        assert!(
            line.starts_with(&format!("While a job runs, {job} (")),
            "{text}"
        );
        assert!(line.contains(" over 100 ms"), "{text}");
    }
    assert_eq!(on_it("settings"), settings);
    let mut left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| !name.starts_with("collection.sqlite"))
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["backups", "export.csv", "facts", "report.json"],
        "{left:?}"
    );
}

#[test]
fn bench_window_without_a_bench_collection_says_what_to_run_first() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["bench", "--window", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    assert!(err.contains("run `awscards bench --out"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}
