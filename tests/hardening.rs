//! The second hostile round (issue 26): exports, restores and backups never damage the
//! collection or another collection's files. Each test failed on the code before its fix.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{awscards, stderr, stdout};

const DAY1: &str = "2026-06-01T10:00:00+02:00";
const DAY2: &str = "2026-06-02T10:00:00+02:00";

fn with_db(db: &Path, now: &str) -> Command {
    let mut cmd = awscards();
    cmd.env("AWSCARDS_DB", db).env("AWSCARDS_NOW", now);
    cmd
}

fn run_db(db: &Path, now: &str, args: &[&str]) -> Output {
    with_db(db, now).args(args).output().unwrap()
}

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    o
}

fn answers(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))
        .unwrap()
}

/// Answers `n` cards Good in `awscards review`, then kills it with SIGKILL: the answers are
/// confirmed and live in the -wal file.
fn answer_then_kill(db: &Path, now: &str, n: usize) {
    let mut child = with_db(db, now)
        .arg("review")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap());
    let mut confirmed = 0;
    let mut line = String::new();
    while confirmed < n {
        line.clear();
        assert!(
            lines.read_line(&mut line).unwrap() > 0,
            "review ended early"
        );
        if line.starts_with("Q: ") {
            stdin.write_all(b"\n4\n").unwrap();
            stdin.flush().unwrap();
        } else if line.starts_with("ok ") {
            confirmed += 1;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
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
