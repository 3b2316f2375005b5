//! The second hostile round (issue 26): exports, restores and backups never damage the
//! collection or another collection's files. Each test failed on the code before its fix.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{answer_then_kill, awscards, damage, run_db, stderr, stdout, with_db};

const DAY1: &str = "2026-06-01T10:00:00+02:00";
const DAY2: &str = "2026-06-02T10:00:00+02:00";

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    o
}

fn answers(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))
        .unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A collection opened on two days: it has a backup (of day 2's first open).
fn collection_with_backup(dir: &Path) -> (PathBuf, PathBuf) {
    let db = dir.join("c.sqlite");
    ok(run_db(&db, DAY1, &["due"]));
    ok(run_db(&db, DAY2, &["due"]));
    let backups = dir.join("backups");
    let backup = backups.join(&names(&backups)[0]);
    (db, backup)
}

#[test]
fn export_refuses_the_collection_its_journal_files_links_to_them_and_backups() {
    let dir = tempfile::tempdir().unwrap();
    let (db, backup) = collection_with_backup(dir.path());
    let link = dir.path().join("x.csv");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let package_link = dir.path().join("x.apkg");
    std::os::unix::fs::symlink(&db, &package_link).unwrap();
    let via_dots = dir.path().join("backups/../c.sqlite");
    let before = std::fs::read(&db).unwrap();
    let backup_before = std::fs::read(&backup).unwrap();
    for target in [
        db.clone(),
        dir.path().join("c.sqlite-wal"),
        dir.path().join("c.sqlite-shm"),
        link,
        package_link,
        via_dots,
        backup.clone(),
        dir.path().join("backups/new.csv"),
        dir.path().join("backups/new.apkg"),
    ] {
        let o = run_db(&db, DAY2, &["export", target.to_str().unwrap()]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}: {}",
            target.display(),
            stdout(&o)
        );
        let err = stderr(&o);
        assert!(err.contains("nothing was written"), "{err}");
    }
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the collection changed"
    );
    assert_eq!(std::fs::read(&backup).unwrap(), backup_before);
    assert!(!dir.path().join("c.sqlite-wal").exists() || answers(&db) == 0);
    assert!(!dir.path().join("backups/new.csv").exists());
    // Another file beside it is fine.
    ok(run_db(
        &db,
        DAY2,
        &["export", dir.path().join("c.csv").to_str().unwrap()],
    ));
}

#[test]
fn restore_keeps_the_replaced_collection_whole_with_the_answers_in_its_wal() {
    let dir = tempfile::tempdir().unwrap();
    let (db, backup) = collection_with_backup(dir.path());
    answer_then_kill(&db, DAY2, 10);
    let wal = dir.path().join("c.sqlite-wal");
    assert!(wal.exists() && std::fs::metadata(&wal).unwrap().len() > 0);
    let o = ok(run_db(
        &db,
        DAY2,
        &["check", "--restore", backup.to_str().unwrap()],
    ));
    let kept = stdout(&o)
        .split("kept as ")
        .nth(1)
        .map(|s| PathBuf::from(s.trim()))
        .unwrap();
    assert_eq!(answers(&db), 0, "the backup is in place");
    // The kept file alone (no -wal beside it) holds the ten answers.
    let copy = dir.path().join("kept-copy.sqlite");
    std::fs::copy(&kept, &copy).unwrap();
    assert!(!PathBuf::from(format!("{}-wal", kept.display())).exists());
    assert_eq!(answers(&copy), 10);
}

#[test]
fn two_restores_in_one_second_keep_both_replaced_files_and_a_linked_db_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let (target, backup) = collection_with_backup(&real);
    let db = dir.path().join("link.sqlite");
    std::os::unix::fs::symlink(&target, &db).unwrap();
    ok(run_db(
        &db,
        DAY2,
        &["check", "--restore", backup.to_str().unwrap()],
    ));
    ok(run_db(
        &db,
        DAY2,
        &["check", "--restore", backup.to_str().unwrap()],
    ));
    assert!(
        std::fs::symlink_metadata(&db)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced"
    );
    let kept: Vec<String> = names(&real.join("backups"))
        .into_iter()
        .filter(|n| n.contains("replaced"))
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    ok(run_db(&db, DAY2, &["check"]));
}

#[test]
fn backups_of_another_collection_in_the_folder_are_neither_rotated_nor_listed() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("w-2.sqlite");
    ok(run_db(&other, DAY1, &["due"]));
    ok(run_db(&other, DAY2, &["due"]));
    let backups = dir.path().join("backups");
    let theirs = names(&backups);
    assert_eq!(theirs.len(), 1);
    // Eight days of backups of w.sqlite: its own rotate, w-2's stay.
    let w = dir.path().join("w.sqlite");
    for day in 1..=9 {
        ok(run_db(
            &w,
            &format!("2026-07-0{day}T10:00:00+02:00"),
            &["due"],
        ));
    }
    let now = names(&backups);
    assert!(now.contains(&theirs[0]), "{now:?}");
    let ours: Vec<&String> = now.iter().filter(|n| n.starts_with("w-2026")).collect();
    assert_eq!(ours.len(), 7, "{now:?}");
    let o = run_db(&w, "2026-07-09T11:00:00+02:00", &["check"]);
    assert!(!stdout(&o).contains(&theirs[0]), "{}", stdout(&o));
}

#[test]
fn backups_of_collections_with_non_utf8_names_stay_apart() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let a = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"n\xff.sqlite"));
    let b = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"n\xfe.sqlite"));
    ok(run_db(&b, DAY1, &["due"]));
    ok(run_db(&b, DAY2, &["due"]));
    let backups = dir.path().join("backups");
    let theirs: Vec<_> = std::fs::read_dir(&backups).unwrap().flatten().collect();
    assert_eq!(theirs.len(), 1);
    for day in 1..=9 {
        ok(run_db(
            &a,
            &format!("2026-07-0{day}T10:00:00+02:00"),
            &["due"],
        ));
    }
    assert!(
        theirs[0].path().exists(),
        "another collection's backup was rotated out"
    );
}

// ---- Anki packages --------------------------------------------------------------------------

/// Answers `n` cards Good at `now` and lets the review end normally.
fn answer(db: &Path, now: &str, n: usize) {
    let mut cmd = with_db(db, now);
    cmd.arg("review");
    ok(common::run_with_input(cmd, &"\n4\n".repeat(n)));
}

/// Our export of `db` at DAY1, its collection changed by `edit`, as the package `name`.
fn package_with(db: &Path, name: &str, edit: impl FnOnce(&rusqlite::Connection)) -> PathBuf {
    let dir = db.parent().unwrap();
    let base = dir.join(format!("{name}.base.apkg"));
    ok(run_db(db, DAY1, &["export", base.to_str().unwrap()]));
    let inner = dir.join(format!("{name}.anki21"));
    {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&base).unwrap()).unwrap();
        let mut entry = zip.by_name("collection.anki21").unwrap();
        std::io::copy(&mut entry, &mut std::fs::File::create(&inner).unwrap()).unwrap();
    }
    edit(&rusqlite::Connection::open(&inner).unwrap());
    let package = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&package).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("collection.anki21", options).unwrap();
    std::io::copy(&mut std::fs::File::open(&inner).unwrap(), &mut zip).unwrap();
    zip.start_file("media", options).unwrap();
    zip.write_all(b"{}").unwrap();
    zip.finish().unwrap();
    package
}

fn import_json(db: &Path, package: &Path) -> serde_json::Value {
    let o = ok(run_db(
        db,
        DAY1,
        &["import", "--json", package.to_str().unwrap()],
    ));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Runs `cmd`, failing the test if it takes more than `secs` seconds (then it is killed).
fn run_within(mut cmd: Command, secs: u64) -> Output {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output().unwrap()));
    match rx.recv_timeout(std::time::Duration::from_secs(secs)) {
        Ok(o) => o,
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &id.to_string()]).status();
            panic!("still running after {secs} s: {cmd:?}");
        }
    }
}

#[test]
fn an_import_recognises_answers_already_here_without_their_anki_ids() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    answer(&db, DAY1, 6);
    // A copy from before the export gave the answers their Anki ids (a backup restored, a
    // copy on another machine).
    let copy = dir.path().join("copy.sqlite");
    std::fs::copy(&db, &copy).unwrap();
    let package = package_with(&db, "x.apkg", |_| {});
    let summary = import_json(&copy, &package);
    assert_eq!(summary["reviews_added"], 0, "{summary}");
    assert_eq!(summary["reviews_present"], 6, "{summary}");
    assert_eq!(answers(&copy), 6);
}

#[test]
fn an_answer_found_by_its_anki_id_stands_for_no_other_answer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    answer(&db, DAY1, 1);
    // Anki on another device: the same card answered again with the same button 10 s later.
    let package = package_with(&db, "again.apkg", |c| {
        c.execute(
            "INSERT INTO revlog SELECT id + 10000, cid, usn, ease, ivl, lastIvl, factor, time,
                 type FROM revlog",
            [],
        )
        .unwrap();
    });
    let summary = import_json(&db, &package);
    assert_eq!(summary["reviews_present"], 1, "{summary}");
    assert_eq!(summary["reviews_added"], 1, "{summary}");
    assert_eq!(answers(&db), 2);
}

#[test]
fn a_package_whose_tables_compute_rows_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    answer(&db, DAY1, 2);
    let endless = package_with(&db, "endless.apkg", |c| {
        c.execute_batch(
            "ALTER TABLE notes RENAME TO real_notes;
             CREATE VIEW notes AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
                 SELECT i AS id, 1 AS mid, 'guid' || i AS guid FROM n;",
        )
        .unwrap();
    });
    let trigger = package_with(&db, "trigger.apkg", |c| {
        c.execute_batch("CREATE TRIGGER t AFTER INSERT ON cards BEGIN DELETE FROM notes; END;")
            .unwrap();
    });
    let huge = package_with(&db, "huge.apkg", |c| {
        c.execute(
            "UPDATE notes SET guid = ?1 WHERE id = (SELECT min(id) FROM notes)",
            ["g".repeat(4 << 20)],
        )
        .unwrap();
    });
    for (package, says) in [
        (&endless, "view notes"),
        (&trigger, "trigger t"),
        (&huge, "larger than any Anki collection holds"),
    ] {
        let mut cmd = with_db(&db, DAY1);
        cmd.arg("import").arg(package);
        let o = run_within(cmd, 30);
        assert_eq!(o.status.code(), Some(2), "{}", package.display());
        let err = stderr(&o);
        assert!(
            err.contains(says) && err.contains("Nothing was imported"),
            "{err}"
        );
    }
    assert_eq!(answers(&db), 2);
}

#[test]
fn imported_answer_times_are_capped_and_sums_of_any_log_never_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    answer(&db, DAY1, 1);
    let package = package_with(&db, "long.apkg", |c| {
        c.execute(
            "INSERT INTO revlog SELECT id + 60000, cid, usn, ease, ivl, lastIvl, factor,
                 9223372036854775807, type FROM revlog",
            [],
        )
        .unwrap();
    });
    let summary = import_json(&db, &package);
    assert_eq!(summary["reviews_added"], 1, "{summary}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let longest: i64 = conn
        .query_row("SELECT max(time_taken_ms) FROM review_log", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(longest, 60_000);
    // A log an earlier version imported unbounded: every command still works.
    conn.execute(
        "UPDATE review_log SET time_taken_ms = 9223372036854775807",
        [],
    )
    .unwrap();
    drop(conn);
    answer(&db, DAY1, 1);
    ok(run_db(&db, DAY1, &["stats", "--json"]));
    ok(run_db(
        &db,
        DAY1,
        &["stats", "--search", "deck:*", "--json"],
    ));
    let o = run_db(&db, DAY1, &["check"]);
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{}",
        stderr(&o)
    );
    ok(run_db(&db, DAY1, &["check", "--repair"]));
    ok(run_db(&db, DAY1, &["check"]));
}

#[test]
fn answers_dated_after_today_are_left_out_and_reviews_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    answer(&db, DAY1, 1);
    let package = package_with(&db, "future.apkg", |c| {
        c.execute(
            "INSERT INTO revlog SELECT id + 10 * 86400000, cid, usn, ease, ivl, lastIvl,
                 factor, time, type FROM revlog",
            [],
        )
        .unwrap();
    });
    let summary = import_json(&db, &package);
    assert_eq!(summary["misdated"], 1, "{summary}");
    assert_eq!(summary["reviews_added"], 0, "{summary}");
    let o = ok(run_db(&db, DAY1, &["import", package.to_str().unwrap()]));
    assert!(
        stdout(&o).contains("1 answers dated after today left out"),
        "{}",
        stdout(&o)
    );
    answer(&db, DAY1, 1);
    assert_eq!(answers(&db), 2);
}

#[test]
fn an_import_brings_at_most_the_answers_its_limit_allows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    answer(&db, DAY1, 4);
    let package = package_with(&db, "many.apkg", |_| {});
    let mut coll = common::open_on(
        &dir.path().join("other.sqlite"),
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
    );
    let limits = awscards::store::PackageLimits {
        max_answers: 3,
        ..Default::default()
    };
    let err = coll
        .import_package_with(&package, limits, &Default::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("more than 3 answers"), "{err}");
    assert!(coll.store().log(None).unwrap().is_empty());
}

#[test]
fn scratch_copies_stay_beside_the_collection_and_killed_ones_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    answer(&db, DAY1, 2);
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // What a killed import left: removed by the next package written or read.
    let stale = dir.path().join(".c.scratch-Ab12Cd");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join("collection"), vec![0u8; 4096]).unwrap();
    // Another collection's is not ours to remove.
    let theirs = dir.path().join(".c-2.scratch-Ab12Cd");
    std::fs::create_dir(&theirs).unwrap();
    let package = dir.path().join("x.apkg");
    ok(with_db(&db, DAY1)
        .env("TMPDIR", &tmp)
        .args(["export", package.to_str().unwrap()])
        .output()
        .unwrap());
    ok(with_db(&db, DAY1)
        .env("TMPDIR", &tmp)
        .args(["import", package.to_str().unwrap()])
        .output()
        .unwrap());
    assert!(names(&tmp).is_empty(), "{:?}", names(&tmp));
    assert!(!stale.exists());
    assert!(theirs.exists());
    let left: Vec<String> = names(dir.path())
        .into_iter()
        .filter(|n| n.contains("scratch"))
        .collect();
    assert_eq!(left, [".c-2.scratch-Ab12Cd"]);
}

#[test]
fn a_damaged_package_is_called_a_damaged_package() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    answer(&db, DAY1, 1);
    let broken = package_with(&db, "broken.apkg", |c| {
        c.execute_batch("DROP TABLE revlog;").unwrap();
    });
    let o = run_db(&db, DAY1, &["import", broken.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("cannot import") && err.contains("broken.apkg"),
        "{err}"
    );
    assert!(err.contains("its collection cannot be read"), "{err}");
    assert!(!err.contains("backup") && !err.contains("scratch"), "{err}");
}

#[test]
fn a_csv_or_other_file_is_called_not_an_anki_package() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    answer(&db, DAY1, 1);
    let before = answers(&db);
    // Our own CSV export, a binary file, and a file whose text ends mid-character.
    let csv = dir.path().join("cards.csv");
    ok(run_db(&db, DAY1, &["export", csv.to_str().unwrap()]));
    let binary = dir.path().join("image.apkg");
    std::fs::write(&binary, [0x89u8, b'P', b'N', b'G', 0, 0, 0xff, 0xfe]).unwrap();
    let cut = dir.path().join("cut.colpkg");
    std::fs::write(&cut, "€".repeat(300).as_bytes()).unwrap();
    for (file, says) in [
        (&csv, "it holds text, such as a CSV file"),
        (&binary, "not a zip archive"),
        (&cut, "it holds text"),
    ] {
        let o = run_db(&db, DAY1, &["import", file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", file.display());
        let err = stderr(&o);
        assert!(
            err.contains("this is not an Anki package (.apkg/.colpkg)") && err.contains(says),
            "{err}"
        );
        assert!(err.contains("Nothing was imported"), "{err}");
    }
    assert_eq!(answers(&db), before);
}

#[test]
fn packages_with_odd_rows_are_imported_with_what_is_sound_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    answer(&db, DAY1, 1);
    let copy = dir.path().join("copy.sqlite");
    ok(run_db(&copy, DAY1, &["due"]));
    // Two notes share a guid; one note has a note type the package lacks; an answer twice
    // under one id (a revlog without its key).
    let odd = package_with(&db, "odd.apkg", |c| {
        c.execute_batch(
            "UPDATE notes SET guid = (SELECT guid FROM notes ORDER BY id DESC LIMIT 1)
                 WHERE id IN (SELECT id FROM notes ORDER BY id DESC LIMIT 2);
             UPDATE notes SET mid = 4242
                 WHERE id = (SELECT id FROM notes ORDER BY id DESC LIMIT 1 OFFSET 2);
             CREATE TABLE revlog2 AS SELECT * FROM revlog;
             DROP TABLE revlog;
             CREATE TABLE revlog (id integer, cid integer, usn integer, ease integer,
                 ivl integer, lastIvl integer, factor integer, time integer, type integer);
             INSERT INTO revlog SELECT * FROM revlog2;
             INSERT INTO revlog SELECT * FROM revlog2;
             DROP TABLE revlog2;",
        )
        .unwrap();
    });
    let summary = import_json(&copy, &odd);
    assert_eq!(summary["conflicting"], 3, "{summary}");
    assert_eq!(summary["duplicates"], 1, "{summary}");
    assert_eq!(summary["reviews_added"], 1, "{summary}");
    // No `col` row: said in words.
    let empty_col = package_with(&db, "nocol.apkg", |c| {
        c.execute_batch("DELETE FROM col;").unwrap();
    });
    let err = stderr(&run_db(
        &copy,
        DAY1,
        &["import", empty_col.to_str().unwrap()],
    ));
    assert!(err.contains("no `col` row"), "{err}");
}

// ---- Own cards and facts files --------------------------------------------------------------

fn add(db: &Path, args: &[&str]) -> Output {
    let mut cmd = with_db(db, DAY1);
    cmd.arg("add").args(args);
    run_within(cmd, 60)
}

fn own_cards_file(db: &Path) -> PathBuf {
    db.parent().unwrap().join("my-cards/my-cards.toml")
}

fn user_cards(db: &Path) -> Vec<(String, bool)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT key, retired FROM cards WHERE key LIKE 'user/%' ORDER BY key")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_fifo_or_a_device_named_toml_in_my_cards_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    ok(add(
        &db,
        &["--front", "What is a FIFO?", "--back", "A named pipe"],
    ));
    let mine = dir.path().join("my-cards");
    assert!(
        Command::new("mkfifo")
            .arg(mine.join("pipe.toml"))
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink("/dev/zero", mine.join("zero.toml")).unwrap();
    let mut cmd = with_db(&db, DAY2);
    cmd.arg("due");
    let o = run_within(cmd, 30);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("pipe.toml") && err.contains("zero.toml"),
        "{err}"
    );
    assert!(err.contains("not a regular file"), "{err}");
    assert_eq!(
        user_cards(&db),
        [("user/qa/what-is-a-fifo/qa".into(), false)]
    );
    // Adding still works beside them.
    ok(add(
        &db,
        &[
            "--front",
            "What is a device?",
            "--back",
            "A file of the kernel's",
        ],
    ));
}

#[test]
fn a_facts_file_larger_than_16_mib_is_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    ok(add(
        &db,
        &["--front", "What is big?", "--back", "This file"],
    ));
    let big = dir.path().join("my-cards/big.toml");
    let mut text = String::from("# padding\n");
    while text.len() <= 16 << 20 {
        text.push_str(&"#".repeat(1023));
        text.push('\n');
    }
    std::fs::write(&big, text).unwrap();
    let o = ok(run_db(&db, DAY2, &["due"]));
    let err = stderr(&o);
    assert!(err.contains("big.toml") && err.contains("16 MiB"), "{err}");
    // Nothing retired while the file is refused.
    assert_eq!(user_cards(&db), [("user/qa/what-is-big/qa".into(), false)]);
}

#[test]
fn deep_or_long_decks_tags_and_fields_are_refused_where_they_are_read_and_added() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let deep = vec!["a"; 10_000].join("::");
    let long_field = "x".repeat(20_000);
    let long_tag = "t".repeat(500);
    for (args, says) in [
        (vec!["--deck", deep.as_str()], "levels"),
        (vec!["--deck", "a:::b"], "':'"),
        (vec!["--tag", ""], "empty tag"),
        (vec!["--tag", long_tag.as_str()], "characters"),
        (vec!["--note", long_field.as_str()], "characters"),
    ] {
        let mut all = vec!["--front", "Q?", "--back", "A"];
        all.extend(args);
        let o = add(&db, &all);
        assert_eq!(o.status.code(), Some(2), "{says}");
        let err = stderr(&o);
        assert!(
            err.contains(says) && err.contains("not saved"),
            "{says}: {err}"
        );
        assert!(
            !err.contains("my-cards.toml:"),
            "points at a line never written: {err}"
        );
    }
    assert!(!own_cards_file(&db).exists());
    // The same in a file of the learner's: a warning naming the place, nothing retired.
    std::fs::create_dir_all(own_cards_file(&db).parent().unwrap()).unwrap();
    std::fs::write(
        own_cards_file(&db),
        format!("[[qa]]\nid = \"deep\"\nfront = \"Q?\"\nback = \"A\"\ndeck = \"{deep}\"\n"),
    )
    .unwrap();
    let mut cmd = with_db(&db, DAY1);
    cmd.arg("due");
    let o = run_within(cmd, 30);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("my-cards.toml:5"), "{}", stderr(&o));
    assert!(user_cards(&db).is_empty());
}

#[test]
fn adds_from_two_collections_sharing_my_cards_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dbs = [dir.path().join("a.sqlite"), dir.path().join("b.sqlite")];
    for db in &dbs {
        ok(run_db(db, DAY1, &["due"]));
    }
    let threads: Vec<_> = dbs
        .iter()
        .enumerate()
        .map(|(who, db)| {
            let db = db.clone();
            std::thread::spawn(move || {
                for n in 0..12 {
                    let front = format!("Question {n} from collection {who}?");
                    ok(add(&db, &["--front", &front, "--back", "An answer"]));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let text = std::fs::read_to_string(own_cards_file(&dbs[0])).unwrap();
    assert_eq!(
        text.lines().filter(|l| *l == "[[qa]]").count(),
        24,
        "{text}"
    );
    for db in &dbs {
        ok(run_db(db, DAY2, &["due"]));
        assert_eq!(user_cards(db).len(), 24);
    }
}

#[test]
fn a_dangling_link_as_my_cards_retires_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    ok(add(
        &db,
        &["--front", "Where are my cards?", "--back", "In my-cards"],
    ));
    let mine = dir.path().join("my-cards");
    std::fs::rename(&mine, dir.path().join("moved")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone"), &mine).unwrap();
    let o = ok(run_db(&db, DAY2, &["due"]));
    let err = stderr(&o);
    assert!(
        err.contains("your own cards could not be read") && err.contains("my-cards"),
        "{err}"
    );
    assert_eq!(
        user_cards(&db),
        [("user/qa/where-are-my-cards/qa".into(), false)]
    );
    // A link that loops: said in words, not "File exists".
    std::fs::remove_file(&mine).unwrap();
    std::os::unix::fs::symlink(&mine, &mine).unwrap();
    let o = add(&db, &["--front", "Loop?", "--back", "Yes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("symbolic links"), "{}", stderr(&o));
}

#[test]
fn add_on_a_read_only_collection_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    ok(add(&db, &["--front", "First?", "--back", "Yes"]));
    let before = std::fs::read(own_cards_file(&db)).unwrap();
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    damage(&db);
    for _ in 0..2 {
        let o = add(&db, &["--front", "Second?", "--back", "No"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("nothing was written"), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read(own_cards_file(&db)).unwrap(), before);
}

#[test]
fn add_keeps_a_linked_my_cards_file_a_link_and_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let real = dir.path().join("synced/cards.toml");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::write(&real, "# mine\n").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::create_dir(dir.path().join("my-cards")).unwrap();
    std::os::unix::fs::symlink(&real, own_cards_file(&db)).unwrap();
    ok(add(&db, &["--front", "Linked?", "--back", "Yes"]));
    let link = std::fs::symlink_metadata(own_cards_file(&db)).unwrap();
    assert!(link.file_type().is_symlink());
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(
        text.starts_with("# mine") && text.contains("Linked?"),
        "{text}"
    );
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn add_refuses_a_question_the_deck_already_asks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let o = ok(run_db(&db, DAY1, &["cards", "--json"]));
    let cards: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let front = cards[0]["front"].as_str().unwrap().to_string();
    let o = add(
        &db,
        &[
            "--front",
            &format!("  {} ", front.to_uppercase()),
            "--back",
            "Mine",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already asks"), "{}", stderr(&o));
    assert!(!own_cards_file(&db).exists());
}

#[test]
fn a_relative_home_is_refused_not_used_under_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let o = awscards()
        .current_dir(dir.path())
        .env("HOME", "relative/home")
        .env_remove("XDG_DATA_HOME")
        .arg("due")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("HOME"), "{}", stderr(&o));
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

// ---- check and repair -----------------------------------------------------------------------

fn sql(db: &Path, batch: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(batch).unwrap();
}

#[test]
fn check_finds_values_schema_and_rows_that_break_commands_and_repair_mends_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    answer(&db, DAY1, 5);
    ok(run_db(&db, DAY1, &["check"]));
    sql(
        &db,
        "PRAGMA foreign_keys = OFF;
         UPDATE cards SET interval_days = -3 WHERE id = (SELECT card_id FROM review_log LIMIT 1);
         UPDATE cards SET interval_days = 'six' WHERE id IN
             (SELECT card_id FROM review_log LIMIT 1 OFFSET 1);
         UPDATE cards SET ease = 'NaN' WHERE id IN (SELECT id FROM cards WHERE is_new = 1 LIMIT 1);
         UPDATE review_log SET time_taken_ms = 'slow' WHERE id = (SELECT max(id) FROM review_log);
         INSERT INTO review_log (card_id, reviewed_at, study_day, quality, kind, time_taken_ms,
             ease_before, ease_after, interval_before, interval_after, repetitions_before,
             due_day_before, lapses_before, is_new_before, last_review_day_before,
             repeat_pending_before)
             SELECT 999999, reviewed_at, study_day, quality, kind, time_taken_ms, ease_before,
                 ease_after, interval_before, interval_after, repetitions_before,
                 due_day_before, lapses_before, is_new_before, last_review_day_before,
                 repeat_pending_before FROM review_log LIMIT 2;
         DROP TABLE review_days;
         DROP INDEX cards_queue;
         CREATE TRIGGER wipe AFTER INSERT ON review_log BEGIN DELETE FROM cards; END;",
    );
    let o = run_db(&db, DAY1, &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let text = stdout(&o);
    for says in ["table review_days", "index cards_queue", "trigger wipe"] {
        assert!(text.contains(says), "{says}: {text}");
    }
    let o = ok(run_db(&db, DAY1, &["check", "--repair"]));
    assert!(stdout(&o).contains("made again"), "{}", stdout(&o));
    // Now the values: three cards, one answer, two rows of a card that is gone.
    let o = run_db(&db, DAY1, &["check", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(report["missing"].as_array().unwrap().is_empty(), "{report}");
    assert!(report["foreign"].as_array().unwrap().is_empty(), "{report}");
    assert_eq!(report["bad_cards"], 0, "repaired with the schema: {report}");
    assert_eq!(report["orphans"], 0, "{report}");
    ok(run_db(&db, DAY1, &["check"]));
    ok(run_db(&db, DAY1, &["stats", "--json"]));
    ok(run_db(&db, DAY1, &["due"]));
    answer(&db, DAY1, 1);
    assert_eq!(answers(&db), 6);
}

#[test]
fn check_says_bad_values_and_orphans_and_repair_replays_the_cards() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    answer(&db, DAY1, 3);
    let first: (i64, i64) = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.query_row(
            "SELECT id, interval_days FROM cards WHERE id = (SELECT min(card_id) FROM review_log)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    sql(
        &db,
        &format!(
            "PRAGMA foreign_keys = OFF;
             UPDATE cards SET interval_days = -3, ease = 'NaN' WHERE id = {};
             UPDATE review_log SET study_day = 'monday' WHERE id = (SELECT max(id) FROM review_log);
             INSERT INTO card_tags VALUES ('ghost', 999999);",
            first.0
        ),
    );
    let o = run_db(&db, DAY1, &["check", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["bad_cards"], 1, "{report}");
    assert_eq!(report["bad_answers"], 1, "{report}");
    assert_eq!(report["orphans"], 1, "{report}");
    let o = ok(run_db(&db, DAY1, &["check", "--repair"]));
    assert!(stdout(&o).contains("replayed 2 cards"), "{}", stdout(&o));
    assert!(stdout(&o).contains("removed 1 rows"), "{}", stdout(&o));
    ok(run_db(&db, DAY1, &["check"]));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let interval: i64 = conn
        .query_row(
            "SELECT interval_days FROM cards WHERE id = ?1",
            [first.0],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        interval, first.1,
        "the replay gives the card its state back"
    );
}

#[test]
fn a_lost_log_is_said_and_not_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let (db, backup) = collection_with_backup(dir.path());
    sql(&db, "DROP TABLE review_log;");
    let o = run_db(&db, DAY2, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("review_log") && stdout(&o).contains("restore"),
        "{}",
        stdout(&o)
    );
    let o = run_db(&db, DAY2, &["check", "--repair"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nothing was repaired"),
        "{}",
        stderr(&o)
    );
    ok(run_db(
        &db,
        DAY2,
        &["check", "--restore", backup.to_str().unwrap()],
    ));
    ok(run_db(&db, DAY2, &["check"]));
}
