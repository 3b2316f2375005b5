//! The search indexes (the full-text index words are looked up in, the tag rows) stay equal
//! to the cards: after a sync that adds, rewrites, retires and restores cards, after answers
//! and their undo, after a backup is restored, and after awscards is killed in the middle of
//! a sync. `check` finds an index out of step and `check --repair` builds it again.

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use awscards::app::bench::synthetic_facts;
use awscards::app::clock::Clock;
use awscards::app::collection::Collection;
use awscards::app::session::Session;
use awscards::model::cardgen::{Card, generate};
use awscards::model::facts::parse;
use awscards::model::search;
use awscards::model::{bundled_files, search::Query};
use awscards::store::{self, Store};
use chrono::NaiveDate;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn noon(day: NaiveDate) -> chrono::NaiveDateTime {
    day.and_hms_opt(12, 0, 0).unwrap()
}

fn bundled() -> Vec<Card> {
    generate(&parse(&bundled_files()).unwrap())
}

fn in_step(store: &Store) {
    assert_eq!(store.search_index_problems().unwrap(), Vec::<i64>::new());
}

fn id(store: &Store, key: &str) -> i64 {
    store.card_by_key(key).unwrap().unwrap().id
}

/// A search for the start of a card's front, as a phrase (a term holds at most 200
/// characters).
fn quoted(front: &str) -> String {
    format!("\"{}\"", front.chars().take(80).collect::<String>())
}

fn found(store: &Store, query: &str, today: NaiveDate) -> Vec<i64> {
    let q: Query = search::parse(query).unwrap();
    store.search_ids(&q, today).unwrap()
}

#[test]
fn a_sync_that_adds_rewrites_retires_and_restores_keeps_the_index_equal_to_the_cards() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    let today = day("2026-04-10");
    let mut store = Store::open(&path, noon(today)).unwrap();
    let cards = bundled();
    store.sync_cards(&cards, today, None).unwrap();
    in_step(&store);

    // Rewrite one card's front, another's tags; drop three (retired); add one.
    let mut next = cards.clone();
    next[0].front = "Which zebracorn service streams?".into();
    next[1].tags = vec!["Quokka-Tag".into()];
    let gone: Vec<Card> = next.drain(10..13).collect();
    next.push(Card {
        key: "test/new".into(),
        deck: "AWS Big Data::Test".into(),
        front: "A brand-new wombatfact".into(),
        back: "Ünïcödé ANSWER".into(),
        note: None,
        tags: vec!["added".into()],
        source: None,
        source_url: None,
    });
    let report = store.sync_cards(&next, today, None).unwrap();
    assert_eq!((report.added, report.retired), (1, 3));
    in_step(&store);
    assert_eq!(
        found(&store, "zebracorn", today),
        [id(&store, &cards[0].key)]
    );
    assert!(found(&store, &quoted(&cards[0].front), today).is_empty());
    assert_eq!(
        found(&store, "tag:quokka-tag", today),
        [id(&store, &cards[1].key)]
    );
    assert_eq!(found(&store, "ünïcödé", today), [id(&store, "test/new")]);
    let retired = found(
        &store,
        &format!("is:retired {}", quoted(&gone[0].front)),
        today,
    );
    assert_eq!(retired, [id(&store, &gone[0].key)]);

    // The retired cards come back as they were.
    store.sync_cards(&cards, today, None).unwrap();
    in_step(&store);
    assert_eq!(
        found(&store, &quoted(&gone[0].front), today),
        [id(&store, &gone[0].key)]
    );
    assert!(found(&store, "zebracorn", today).is_empty());
}

#[test]
fn answers_their_undo_and_a_restored_backup_keep_the_index_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    let today = day("2026-04-10");
    let now = chrono::DateTime::parse_from_rfc3339("2026-04-10T12:00:00+00:00").unwrap();
    let mut store = Store::open(&path, noon(today)).unwrap();
    store.sync_cards(&bundled(), today, None).unwrap();
    let settings = store.settings().unwrap();
    let mut coll = Collection::with_store(store, settings, Clock::Fixed(now));
    let mut session = Session::start(&coll, "", today).unwrap();
    for q in [1, 4, 5, 3] {
        session
            .answer(&mut coll, q, now, Duration::from_secs(1))
            .unwrap();
    }
    in_step(coll.store());
    while session.undo(&mut coll, today).unwrap().is_some() {}
    in_step(coll.store());
    drop(session);
    drop(coll);

    // A backup taken by the next day's first open, then a different deck synced, then the
    // backup restored: the index is the backup's, equal to the backup's cards.
    let tomorrow = day("2026-04-11");
    let mut store = Store::open(&path, noon(tomorrow)).unwrap();
    let backup = store.backups().into_iter().next().expect("a daily backup");
    store.sync_cards(&bundled()[..20], tomorrow, None).unwrap();
    drop(store);
    store::restore(&path, &backup, noon(tomorrow)).unwrap();
    let store = Store::open(&path, noon(tomorrow)).unwrap();
    in_step(&store);
    assert_eq!(found(&store, "", tomorrow).len(), bundled().len());
}

fn facts_dir(dir: &Path, name: &str, cards: usize, word: &str) -> std::path::PathBuf {
    let facts = dir.join(name);
    std::fs::create_dir_all(&facts).unwrap();
    let text = synthetic_facts(cards).replace("Synthetic question", word);
    std::fs::write(facts.join("synthetic.toml"), text).unwrap();
    facts
}

/// Starts `awscards stats` on `facts` and kills it (SIGKILL) after `after`.
fn killed_after(db: &Path, facts: &Path, after: Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_awscards"))
        .env("AWSCARDS_DB", db)
        .env("AWSCARDS_NOW", "2026-04-10T12:00:00+00:00")
        .arg("--facts")
        .arg(facts)
        .arg("stats")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = child.kill();
    child.wait().unwrap();
}

#[test]
fn a_sync_killed_midway_leaves_the_index_equal_to_the_cards() {
    let dir = tempfile::tempdir().unwrap();
    let first = facts_dir(dir.path(), "first", 20_000, "Original wording");
    let second = facts_dir(dir.path(), "second", 20_000, "Rewritten wording");
    let today = day("2026-04-10");
    let mut outcomes = Vec::new();
    for (i, ms) in [150u64, 400, 900].into_iter().enumerate() {
        // A first sync killed, then a complete one, then a rewrite of every card killed.
        let db = dir.path().join(format!("c{i}.sqlite"));
        killed_after(&db, &first, Duration::from_millis(ms));
        if db.exists() {
            in_step(&Store::open(&db, noon(today)).unwrap());
        }
        let o = common::awscards()
            .env("AWSCARDS_DB", &db)
            .env("AWSCARDS_NOW", "2026-04-10T12:00:00+00:00")
            .arg("--facts")
            .arg(&first)
            .arg("stats")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", common::stderr(&o));
        killed_after(&db, &second, Duration::from_millis(ms));
        let store = Store::open(&db, noon(today)).unwrap();
        in_step(&store);
        // All or nothing: every card has the old wording, or every card the new.
        let old = found(&store, "\"original wording\"", today).len();
        let new = found(&store, "\"rewritten wording\"", today).len();
        assert!(
            (old, new) == (20_000, 0) || (old, new) == (0, 20_000),
            "{old} {new}"
        );
        outcomes.push(new);
    }
    // The kills landed on both sides of the commit at least once over the runs, or the test
    // proved less than it says.
    assert!(
        outcomes.contains(&0),
        "no kill landed before the commit: {outcomes:?}"
    );
}

#[test]
fn check_finds_an_index_out_of_step_and_repair_builds_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let now = "2026-04-10T12:00:00+00:00";
    let run = |args: &[&str]| {
        common::awscards()
            .env("AWSCARDS_DB", &db)
            .env("AWSCARDS_NOW", now)
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&["check"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(common::stdout(&o).contains("search index: ok"));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute(
            "DELETE FROM cards_text WHERE rowid = (SELECT min(id) FROM cards)",
            [],
        )
        .unwrap();
        conn.execute(
            "DELETE FROM card_tags WHERE card_id = (SELECT max(id) FROM cards)",
            [],
        )
        .unwrap();
    }
    let o = run(&["check"]);
    assert!(!o.status.success());
    assert!(
        common::stdout(&o).contains("search index: out of step with 2 cards"),
        "{}",
        common::stdout(&o)
    );
    let o = run(&["check", "--repair"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(common::stdout(&o).contains("rebuilt the search index"));
    let o = run(&["check"]);
    assert!(o.status.success(), "{}", common::stdout(&o));
}
