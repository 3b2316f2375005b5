//! Anki packages checked by Anki's own backend (the `anki` package from PyPI, set up by
//! ./run-tests, driven by tests/data/anki_package.py): a package exported with scheduling
//! imports with every card's interval, ease factor, reps, lapses, due date and review log as
//! ours; without scheduling every card is new.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{Days, Utc};
use common::{awscards, run_with_input, stderr};
use serde_json::Value;

fn with_db(db: &Path, now: Option<&str>) -> Command {
    let mut cmd = awscards();
    cmd.env("AWSCARDS_DB", db);
    if let Some(now) = now {
        cmd.env("AWSCARDS_NOW", now);
    }
    cmd
}

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

/// Exports the collection at `db` to the package `to` (by the real clock).
fn export(db: &Path, to: &Path) -> Output {
    ok(with_db(db, None).arg("export").arg(to).output().unwrap())
}

/// A collection studied on seven days over the last two months (new cards, reviews, lapses
/// and same-day repeats), then today by the real clock.
fn studied_collection(db: &Path) {
    ok(with_db(db, None)
        // Siblings together: more cards get studied in 8 days for the mapping to cover.
        .args(["settings", "--new-per-day", "8", "--bury-siblings", "off"])
        .output()
        .unwrap());
    let grades = ["4", "5", "3", "1", "4", "4", "2", "5"];
    let input: String = grades
        .iter()
        .cycle()
        .take(400)
        .map(|g| format!("\n{g}\n"))
        .collect();
    let today = Utc::now().date_naive();
    for days_ago in [60, 59, 53, 40, 25, 10, 1, 0] {
        let day = today.checked_sub_days(Days::new(days_ago)).unwrap();
        let now = if days_ago == 0 {
            None
        } else {
            Some(format!("{day}T12:00:00+00:00"))
        };
        let mut cmd = with_db(db, now.as_deref());
        cmd.arg("review");
        ok(run_with_input(cmd, &input));
    }
}

/// Our cards by key: (new, interval, ease factor, due day, lapses, suspended, answers
/// counted as reps, review-log rows, deck, front, back, tags).
type Ours = BTreeMap<String, (bool, i64, i64, i64, i64, bool, i64, i64, String, String)>;

fn ours(db: &Path) -> Ours {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT key, is_new, interval_days, ease, coalesce(due_day, 0), lapses, suspended,
                 (SELECT count(*) FROM review_log l WHERE l.card_id = c.id AND kind <> 'cram'),
                 (SELECT count(*) FROM review_log l WHERE l.card_id = c.id),
                 deck, front
             FROM cards c WHERE retired = 0",
        )
        .unwrap();
    stmt.query_map([], |r| {
        let ease: f64 = r.get(3)?;
        Ok((
            r.get(0)?,
            (
                r.get(1)?,
                r.get(2)?,
                (ease * 1000.0).round() as i64,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
            ),
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn anki(python: &Path, args: &[&str]) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/anki_package.py");
    let o = Command::new(python)
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "Anki failed: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("JSON from the Anki script")
}

/// A new Anki collection in `dir/name/` that imported `package`: its path and what the
/// script printed.
fn anki_import(python: &Path, dir: &Path, name: &str, package: &Path) -> (PathBuf, Value) {
    let collection = dir.join(name).join("collection.anki2");
    std::fs::create_dir(collection.parent().unwrap()).unwrap();
    let result = anki(
        python,
        &[
            "import",
            collection.to_str().unwrap(),
            package.to_str().unwrap(),
        ],
    );
    (collection, result)
}

/// Days since 1970 of today's study day, as awscards counts it (by the real clock).
fn our_today(db: &Path) -> i64 {
    let o = ok(with_db(db, None)
        .args(["stats", "--json"])
        .output()
        .unwrap());
    let stats: Value = serde_json::from_slice(&o.stdout).unwrap();
    let day: chrono::NaiveDate = stats["forecast"][0]["day"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    awscards::model::card::day_number(day)
}

#[test]
fn a_package_with_scheduling_imports_into_anki_as_our_cards_and_answers() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    studied_collection(&db);
    let package = dir.path().join("deck.apkg");
    let o = export(&db, &package);
    assert!(common::stdout(&o).starts_with("Exported "));
    let today = our_today(&db);
    let ours = ours(&db);
    let reviewed = ours.values().filter(|c| !c.0).count();
    assert!(reviewed >= 40, "only {reviewed} cards reviewed");
    assert!(ours.values().any(|c| c.4 > 0), "no lapses to carry over");

    let (_, result) = anki_import(&python, dir.path(), "anki", &package);
    let anki_today = result["today"].as_i64().unwrap();
    let cards = result["cards"].as_array().unwrap();
    assert_eq!(cards.len(), ours.len());
    for card in cards {
        let key = card["guid"].as_str().unwrap();
        let c = &ours[key];
        let (new, ivl, factor, due, lapses, suspended, reps, log, deck, front) = c;
        assert_eq!(card["deck"].as_str().unwrap(), deck, "{key}");
        assert_eq!(card["fields"][0].as_str().unwrap(), front, "{key}");
        assert_eq!(card["revlog"].as_i64().unwrap(), *log, "{key}: review log");
        if *new {
            assert_eq!(card["type"].as_i64(), Some(0), "{key}");
            continue;
        }
        assert_eq!(card["type"].as_i64(), Some(2), "{key}: a review card");
        let queue = if *suspended { -1 } else { 2 };
        assert_eq!(card["queue"].as_i64(), Some(queue), "{key}");
        assert_eq!(card["ivl"].as_i64().unwrap(), *ivl, "{key}: interval");
        assert_eq!(card["factor"].as_i64().unwrap(), *factor, "{key}: ease");
        assert_eq!(card["reps"].as_i64().unwrap(), *reps, "{key}: reps");
        assert_eq!(card["lapses"].as_i64().unwrap(), *lapses, "{key}: lapses");
        assert_eq!(
            card["due"].as_i64().unwrap() - anki_today,
            due - today,
            "{key}: due date"
        );
    }

    // Without scheduling: the same notes, every card new, no review log.
    let bare = dir.path().join("bare.apkg");
    ok(with_db(&db, None)
        .args(["export", "--no-scheduling"])
        .arg(&bare)
        .output()
        .unwrap());
    let (_, result) = anki_import(&python, dir.path(), "anki-bare", &bare);
    let cards = result["cards"].as_array().unwrap();
    assert_eq!(cards.len(), ours.len());
    assert!(
        cards
            .iter()
            .all(|c| c["type"].as_i64() == Some(0) && c["revlog"].as_i64() == Some(0))
    );
}

#[test]
fn no_scheduling_is_for_packages_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let o = with_db(&db, None)
        .args(["export", "--no-scheduling"])
        .arg(dir.path().join("x.csv"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains(".apkg"), "{}", stderr(&o));
    assert!(!dir.path().join("x.csv").exists());
}

/// Our review log: (card key, Anki revlog id, study day) per answer.
fn our_log(db: &Path) -> Vec<(String, Option<i64>, i64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT c.key, l.anki_id, l.study_day FROM review_log l JOIN cards c ON c.id = l.card_id
             ORDER BY l.id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn import(db: &Path, package: &Path) -> Value {
    let o = ok(with_db(db, None)
        .args(["import", "--json"])
        .arg(package)
        .output()
        .unwrap());
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn answers_made_in_anki_come_back_once() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    studied_collection(&db);
    let package = dir.path().join("deck.apkg");
    export(&db, &package);
    let (collection, _) = anki_import(&python, dir.path(), "anki", &package);
    let col = collection.to_str().unwrap();
    let before = our_log(&db);
    let cards = ours(&db).len() as u64;

    // Ten answers in Anki, exported as a package; then five more, as a collection package.
    for (count, name) in [(10, "phone.apkg"), (5, "phone.colpkg")] {
        let from_anki = dir.path().join(name);
        let answered = anki(
            &python,
            &[
                "review",
                col,
                &count.to_string(),
                from_anki.to_str().unwrap(),
                "AWS Big Data",
            ],
        );
        let ids: Vec<i64> = answered["revlog_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        assert_eq!(ids.len(), count, "{answered}");
        let log_before = our_log(&db);
        let summary = import(&db, &from_anki);
        assert_eq!(summary["matched"].as_u64(), Some(cards), "{summary}");
        assert_eq!(
            summary["reviews_added"].as_u64(),
            Some(count as u64),
            "{summary}"
        );
        assert_eq!(
            summary["reviews_present"].as_u64(),
            Some(log_before.len() as u64),
            "{summary}"
        );
        assert_eq!(summary["skipped"].as_u64(), Some(0));
        let log = our_log(&db);
        assert_eq!(log.len(), log_before.len() + count);
        let added: Vec<&(String, Option<i64>, i64)> = log
            .iter()
            .filter(|l| l.1.is_some_and(|id| ids.contains(&id)))
            .collect();
        assert_eq!(added.len(), count);
        // Each card answered in Anki: its state is the replay of its log, ending today.
        let today = our_today(&db);
        let now = ours(&db);
        for (key, _, day) in &added {
            assert_eq!(*day, today, "{key}");
            assert!(!now[key].0, "{key} is still new");
            let answered: Vec<&str> = answered["answered"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g.as_str().unwrap())
                .collect();
            assert!(answered.contains(&key.as_str()));
        }
        // Again: nothing new.
        let again = import(&db, &from_anki);
        assert_eq!(again["reviews_added"].as_u64(), Some(0), "{again}");
        assert_eq!(our_log(&db).len(), log.len());
    }
    assert_eq!(our_log(&db).len(), before.len() + 15);
    let o = ok(with_db(&db, None)
        .args(["check", "--json"])
        .output()
        .unwrap());
    let check: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(check["review_days_out_of_step"].as_u64(), Some(0));
}

#[test]
fn bad_packages_are_clear_errors_and_change_nothing() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    studied_collection(&db);
    let good = dir.path().join("good.apkg");
    export(&db, &good);
    let log = our_log(&db);
    let cards = ours(&db);

    let not_zip = dir.path().join("notes.apkg");
    std::fs::write(&not_zip, "not a package").unwrap();
    let empty_zip = dir.path().join("empty.apkg");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&empty_zip).unwrap());
        zip.start_file("media", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, b"{}").unwrap();
        zip.finish().unwrap();
    }
    let cloze = dir.path().join("cloze.apkg");
    let other = dir.path().join("other/collection.anki2");
    std::fs::create_dir(other.parent().unwrap()).unwrap();
    anki(
        &python,
        &["cloze", other.to_str().unwrap(), cloze.to_str().unwrap()],
    );
    let truncated = dir.path().join("truncated.apkg");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();

    for (package, says) in [
        (
            &not_zip,
            "this is not an Anki package (.apkg/.colpkg): it holds text",
        ),
        (&empty_zip, "holds no Anki collection"),
        (&cloze, "note types: Cloze"),
        (&truncated, "not a zip archive"),
        (&dir.path().join("missing.apkg"), "No such file"),
    ] {
        let o = with_db(&db, None)
            .arg("import")
            .arg(package)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", package.display());
        let err = stderr(&o);
        assert!(err.contains(says), "{}: {err}", package.display());
        assert!(err.contains("Nothing was imported"), "{err}");
        assert_eq!(our_log(&db), log);
        assert_eq!(ours(&db), cards);
    }
}

#[test]
fn packages_with_a_damaged_collection_inside_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    ok(with_db(&db, None).args(["stats"]).output().unwrap());
    for (entry, says) in [
        ("collection.anki21", "not a database"),
        ("collection.anki21b", "cannot be read"),
    ] {
        let package = dir.path().join(format!("{entry}.apkg"));
        {
            let mut zip = zip::ZipWriter::new(std::fs::File::create(&package).unwrap());
            zip.start_file(entry, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut zip, &[0x5a; 4096]).unwrap();
            zip.finish().unwrap();
        }
        let o = with_db(&db, None)
            .arg("import")
            .arg(&package)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{entry}");
        let err = stderr(&o);
        assert!(
            err.contains(says) && err.contains("Nothing was imported"),
            "{entry}: {err}"
        );
    }
    assert!(our_log(&db).is_empty());
}

/// A flag goes to Anki as Anki's own (1 red … 4 blue in the card's `flags`).
#[test]
fn a_flag_goes_into_the_package_as_ankis() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let flagged = {
        let mut coll = awscards::app::collection::Collection::open(Some(&db), None).unwrap();
        let card = coll.store().all_cards().unwrap()[5].id;
        coll.store_mut().set_flag(card, 3).unwrap();
        card
    };
    let package = dir.path().join("deck.apkg");
    export(&db, &package);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&package).unwrap()).unwrap();
    let inner = dir.path().join("collection.anki21");
    let mut out = std::fs::File::create(&inner).unwrap();
    std::io::copy(&mut zip.by_name("collection.anki21").unwrap(), &mut out).unwrap();
    let conn = rusqlite::Connection::open(&inner).unwrap();
    let flags: Vec<(i64, i64)> = conn
        .prepare("SELECT id, flags FROM cards WHERE flags != 0")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(flags, [(flagged, 3)]);
}
