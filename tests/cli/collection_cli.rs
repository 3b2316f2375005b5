//! The collection through the binary: `due`, `stats`, `settings`, scripted `review`, a crash in
//! the middle of a session, bad files and a second running awscards.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{damage, run_db, run_with_input, stderr, stdout, with_db};
use serde_json::{Value, json};

fn review(db: &Path, now: &str, args: &[&str], input: &str) -> Output {
    let mut cmd = with_db(db, now);
    cmd.arg("review").args(args);
    run_with_input(cmd, input)
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn sha(path: &Path) -> Vec<u8> {
    // Content equality is what matters; compare the bytes themselves.
    std::fs::read(path).unwrap()
}

const DAY1: &str = "2026-06-01T10:00:00+02:00";

/// The first top-level deck: its own daily limits (each top-level deck has them).
const TOP: &[&str] = &["--deck", "AWS Big Data"];

#[test]
fn first_run_creates_the_collection_with_the_bundled_deck() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sub/collection.sqlite");
    let stats = json(&run_db(&db, DAY1, &["stats", "--json"]));
    let cards = stats["cards"].as_u64().unwrap();
    assert!(cards >= 150);
    assert_eq!(stats["new"].as_u64(), Some(cards));
    for field in [
        "learning",
        "review",
        "retired",
        "suspended",
        "reviews_total",
        "reviews_today",
    ] {
        assert_eq!(stats[field].as_u64(), Some(0), "{field}");
    }
    // The charts, empty before the first answer but for the cards added today.
    assert_eq!(stats["intervals"]["cards"], 0);
    assert_eq!(stats["buttons"].as_array().map(Vec::len), Some(4));
    assert_eq!(stats["hours"].as_array().map(Vec::len), Some(24));
    assert_eq!(stats["added"][0]["cards"].as_u64(), Some(cards));
    assert_eq!(stats["true_retention"][0]["period"], "today");
    let due = json(&run_db(&db, DAY1, &["due", "--json"]));
    let top = &due[0];
    assert_eq!(top["deck"], "AWS Big Data");
    assert_eq!(
        (
            top["new"].as_u64(),
            top["repeat"].as_u64(),
            top["due"].as_u64()
        ),
        (Some(20), Some(0), Some(0))
    );
    assert!(
        due.as_array()
            .unwrap()
            .iter()
            .any(|d| d["deck"] == "AWS Big Data::Instance families")
    );
}

#[test]
fn scripted_review_studies_and_prints_ok_after_each_answer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let o = review(
        &db,
        DAY1,
        &["--deck", "AWS Big Data::Instance families"],
        "\n3\n\nbogus\ngood\n\n1\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let oks: Vec<&str> = out.lines().filter(|l| l.starts_with("ok ")).collect();
    assert_eq!(oks.len(), 3, "{out}");
    assert!(oks[0].ends_with("next=1d"), "{out}");
    assert!(
        oks[2].ends_with("next=0d"),
        "failed card comes back today: {out}"
    );
    assert!(out.contains("Q: ") && out.contains("A: ") && out.contains("grade [1-4]: "));
    assert!(out.contains("? answer 1-4"), "bad input re-asks: {out}");
    assert!(
        !out.contains("done"),
        "EOF ended the session early and cleanly"
    );
    let stats = json(&run_db(&db, DAY1, &["stats", "--json"]));
    assert_eq!(stats["reviews_today"].as_u64(), Some(3));
}

#[test]
fn review_runs_to_done_and_undo_works() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    json(&run_db(
        &db,
        DAY1,
        &["settings", "--new-per-day", "2", "--json"],
    ));
    // Answer, undo at the next question, answer again, then the second card.
    let o = review(&db, DAY1, TOP, "\n4\nu\n\n4\n\n4\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("undone "), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok ")).count(),
        3,
        "{out}"
    );
    assert!(out.trim_end().ends_with("done"), "{out}");
    let stats = json(&run_db(&db, DAY1, &["stats", "--json"]));
    assert_eq!(stats["reviews_total"].as_u64(), Some(2));
    // Undo with nothing to undo is harmless.
    let o = review(&db, DAY1, TOP, "u\n");
    assert!(stdout(&o).contains("done"));
}

#[test]
fn review_suspends_and_buries_with_s_and_b_and_undo_takes_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    json(&run_db(
        &db,
        DAY1,
        &["settings", "--new-per-day", "3", "--json"],
    ));
    // s at the first question, b at the second's grade prompt, then undo the burial.
    let o = review(
        &db,
        DAY1,
        &[],
        "s

b
u
q
",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("\nsuspended "), "{out}");
    assert!(out.contains("\nburied until tomorrow "), "{out}");
    assert!(out.contains("\nundone "), "{out}");
    let suspended = json(&run_db(
        &db,
        DAY1,
        &["cards", "--search", "is:suspended", "--json"],
    ));
    assert_eq!(suspended.as_array().map(Vec::len), Some(1));
    let buried = json(&run_db(
        &db,
        DAY1,
        &["cards", "--search", "is:buried", "--json"],
    ));
    assert_eq!(
        buried.as_array().map(Vec::len),
        Some(0),
        "the burial was undone"
    );
}

#[test]
fn limits_count_across_restarts_and_reset_at_4am() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let night = "2026-06-02T03:59:00+02:00";
    let o = review(&db, night, TOP, &"\n4\n".repeat(12));
    assert!(o.status.success());
    // Same study day (the 1st): 8 new left.
    let due = json(&run_db(
        &db,
        "2026-06-02T03:59:30+02:00",
        &["due", "--json"],
    ));
    assert_eq!(due[0]["new"].as_u64(), Some(8));
    // 04:00 on the 2nd: a new day, 20 new again and the 12 cards are due.
    let due = json(&run_db(
        &db,
        "2026-06-02T04:00:00+02:00",
        &["due", "--json"],
    ));
    assert_eq!(
        (due[0]["new"].as_u64(), due[0]["due"].as_u64()),
        (Some(20), Some(12))
    );
}

#[test]
fn settings_change_and_validate() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let s = json(&run_db(
        &db,
        DAY1,
        &[
            "settings",
            "--new-per-day",
            "50",
            "--fuzz",
            "off",
            "--grading",
            "six",
            "--json",
        ],
    ));
    assert_eq!(s["new_per_day"].as_u64(), Some(50));
    assert_eq!(s["scheduler"]["fuzz"], false);
    let due = json(&run_db(&db, DAY1, &["due", "--json"]));
    assert_eq!(due[0]["new"].as_u64(), Some(50));
    let o = review(&db, DAY1, &[], "\n5\n");
    assert!(stdout(&o).contains("grade [0-5]: \nok "), "{}", stdout(&o));
    let o = run_db(&db, DAY1, &["settings", "--rollover-hour", "24"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn unknown_deck_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = review(&dir.path().join("c.sqlite"), DAY1, &["--deck", "Nope"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no deck named \"Nope\""));
}

#[test]
fn bad_clock_override_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_db(&dir.path().join("c.sqlite"), "yesterday", &["due"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("AWSCARDS_NOW"));
}

/// Kill -9 right after the 30th `ok`: every answer that printed `ok` is in the database.
#[test]
fn crash_after_30_answers_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    json(&run_db(
        &db,
        DAY1,
        &["settings", "--new-per-day", "100", "--json"],
    ));
    let oks = common::answer_then_kill(&db, DAY1, 30);

    let conn = rusqlite::Connection::open(&db).unwrap();
    let logged: i64 = conn
        .query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(logged, 30);
    let updated: i64 = conn
        .query_row("SELECT count(*) FROM cards WHERE is_new = 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(updated, 30);
    for key in &oks {
        let (is_new, interval): (bool, i64) = conn
            .query_row(
                "SELECT is_new, interval_days FROM cards WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(!is_new && interval == 1, "{key}");
    }
}

fn assert_rejected_untouched(db: &Path, expect: &str) {
    let before = sha(db);
    let o = run_db(db, DAY1, &["stats", "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(&db.display().to_string()), "{err}");
    assert!(err.contains(expect), "{err}");
    assert_eq!(sha(db), before, "the file changed");
    let wal = db.with_file_name(format!("{}-wal", db.file_name().unwrap().to_string_lossy()));
    assert!(!wal.exists(), "a WAL file was left behind");
    assert!(
        !db.parent().unwrap().join("backups").exists(),
        "a backup was made"
    );
}

#[test]
fn random_bytes_are_rejected_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let bytes: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&db, bytes).unwrap();
    assert_rejected_untouched(&db, "not a SQLite database");
}

#[test]
fn a_truncated_copy_is_rejected_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good/c.sqlite");
    let o = review(&good, DAY1, &[], &"\n4\n".repeat(5));
    assert!(o.status.success());
    let bytes = std::fs::read(&good).unwrap();
    let db = dir.path().join("bad/c.sqlite");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    std::fs::write(&db, &bytes[..bytes.len() / 2]).unwrap();
    assert_rejected_untouched(&db, "truncated");
}

#[test]
fn a_newer_schema_is_rejected_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "PRAGMA application_id = 1635218275; CREATE TABLE future (x); PRAGMA user_version = 99;",
        )
        .unwrap();
    }
    assert_rejected_untouched(&db, "newer than this awscards");
}

#[test]
fn another_applications_database_is_rejected_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("PRAGMA application_id = 42; CREATE TABLE t (x);")
            .unwrap();
    }
    assert_rejected_untouched(&db, "another application");
}

#[test]
fn an_unmarked_sqlite_database_of_another_application_is_rejected_untouched() {
    // No application_id: a plain SQLite file, with a schema of its own, at any user_version
    // (version 1 was once taken for a collection to migrate, and half-migrated).
    for version in [0, 1, 2] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("o.db");
        {
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute_batch(&format!(
                "CREATE TABLE notes (x); INSERT INTO notes VALUES ('mine'); PRAGMA user_version = {version};"
            ))
            .unwrap();
        }
        assert_rejected_untouched(&db, "not an awscards collection");
    }
}

#[test]
fn a_second_running_awscards_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    // The first one sits at its first question.
    let mut first = with_db(&db, DAY1)
        .arg("review")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(first.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert!(line.starts_with("Q: "));
    let o = run_db(&db, DAY1, &["stats", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("in use by another running awscards"),
        "{}",
        stderr(&o)
    );
    // The first one still works, and its answer lands.
    let mut stdin = first.stdin.take().unwrap();
    stdin.write_all(b"\n4\n").unwrap();
    drop(stdin);
    assert!(first.wait().unwrap().success());
    let stats = json(&run_db(&db, DAY1, &["stats", "--json"]));
    assert_eq!(stats["reviews_total"].as_u64(), Some(1));
}

#[test]
fn a_failing_backup_warns_and_read_only_commands_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    json(&run_db(&db, DAY1, &["stats", "--json"]));
    // Backups cannot be written: `backups` is a file.
    let backups = dir.path().join("backups");
    std::fs::remove_dir_all(&backups).ok();
    std::fs::write(&backups, "not a folder").unwrap();
    let next_day = "2026-06-02T10:00:00+02:00";
    let o = run_db(&db, next_day, &["stats", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: no backup"), "{}", stderr(&o));
    let o = review(&db, next_day, &[], "\n4\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn unreadable_stored_settings_fall_back_to_defaults_and_can_be_saved_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    json(&run_db(&db, DAY1, &["stats", "--json"]));
    for bad in [
        "{not json",
        r#"{"new_per_day": 20, "scheduler": {"rollover_hour": 99}}"#,
    ] {
        {
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute(
                "INSERT INTO settings (key, value) VALUES ('settings', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [bad],
            )
            .unwrap();
        }
        let o = run_db(&db, DAY1, &["stats", "--json"]);
        assert!(o.status.success(), "{bad}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("warning: the stored settings"),
            "{}",
            stderr(&o)
        );
        let o = run_db(&db, DAY1, &["settings", "--theme", "dark"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = run_db(&db, DAY1, &["stats", "--json"]);
        assert!(o.status.success());
        assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    }
}

#[test]
fn stale_partial_files_are_removed_and_rotation_keeps_the_new_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    // Created, then opened again: the day's backup.
    json(&run_db(&db, DAY1, &["stats", "--json"]));
    json(&run_db(&db, DAY1, &["stats", "--json"]));
    let backups = dir.path().join("backups");
    // Left by a kill in the middle of a backup: removed on the next backup.
    let stale = backups.join(".c-20260601-100000.sqlite.partial");
    std::fs::write(&stale, vec![0u8; 4096]).unwrap();
    // Backups from a clock that ran ahead: the new one (named by an earlier date) stays.
    for d in 10..17 {
        std::fs::copy(
            std::fs::read_dir(&backups)
                .unwrap()
                .flatten()
                .find(|e| e.file_name().to_string_lossy().ends_with(".sqlite"))
                .unwrap()
                .path(),
            backups.join(format!("c-203001{d}-100000.sqlite")),
        )
        .unwrap();
    }
    let o = run_db(&db, "2026-06-02T10:00:00+02:00", &["stats", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let names: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!stale.exists(), "{names:?}");
    assert!(
        names.iter().any(|n| n.starts_with("c-20260602-")),
        "today's backup was rotated out: {names:?}"
    );
    assert_eq!(names.len(), 7, "{names:?}");
}

#[test]
fn a_clock_in_the_future_cannot_poison_the_schedule_and_check_repairs_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    // Three answers with the clock at 9999: the cards would hide until then.
    let far = "9999-06-01T10:00:00+02:00";
    let o = review(&db, far, &[], &"\n4\n".repeat(3));
    assert!(o.status.success(), "{}", stderr(&o));
    // Back in 2026, answers are refused: the clock looks wrong.
    let o = review(&db, DAY1, &[], "\n4\n");
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("the clock looks wrong"), "{err}");
    assert!(err.contains("awscards check --repair"), "{err}");
    let stats = json(&run_db(&db, DAY1, &["stats", "--json"]));
    assert_eq!(stats["reviews_total"].as_u64(), Some(3));

    // `check` finds them, `check --repair` brings them back to today, with their intervals.
    let o = run_db(&db, DAY1, &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("3 cards reviewed after today"),
        "{}",
        stdout(&o)
    );
    let o = run_db(&db, DAY1, &["check", "--repair"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("repaired 3 cards"), "{}", stdout(&o));
    let o = run_db(&db, DAY1, &["check"]);
    assert!(o.status.success(), "{}", stdout(&o));
    let o = review(&db, DAY1, &[], "\n4\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let due = json(&run_db(
        &db,
        "2026-06-02T10:00:00+02:00",
        &["due", "--json"],
    ));
    assert_eq!(due[0]["due"].as_u64(), Some(4), "{due}");
}

#[test]
fn a_damaged_collection_is_not_backed_up_not_written_and_a_good_backup_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let o = review(&db, DAY1, &[], &"\n4\n".repeat(5));
    assert!(o.status.success());
    json(&run_db(&db, DAY1, &["stats", "--json"])); // today's backup, of a good file
    let backups = dir.path().join("backups");
    let good: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(good.len(), 1);
    // Everything in the main file (the WAL checkpointed), then one page of it overwritten.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    damage(&db);
    let before = sha(&db);

    // The next day: no backup of the damaged file, a warning naming the backup to restore,
    // and nothing written.
    let next_day = "2026-06-02T10:00:00+02:00";
    let o = review(&db, next_day, &[], "\n4\n");
    let err = stderr(&o);
    assert!(err.contains("failed its integrity check"), "{err}");
    assert!(err.contains(&good[0]), "{err}");
    assert_ne!(
        o.status.code(),
        Some(0),
        "an answer was taken into a damaged file"
    );
    assert!(sha(&db) == before, "the damaged file was written");
    let names: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, good, "the damaged file was backed up");

    // `check` says so; `check --restore` puts the good backup back and keeps the damaged file.
    let o = run_db(&db, next_day, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("damaged"), "{}", stdout(&o));
    let backup = backups.join(&good[0]);
    let o = run_db(
        &db,
        next_day,
        &["check", "--restore", backup.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let o = run_db(&db, next_day, &["check"]);
    assert!(o.status.success(), "{}", stdout(&o));
    let stats = json(&run_db(&db, next_day, &["stats", "--json"]));
    assert_eq!(stats["reviews_total"].as_u64(), Some(5));
    assert!(
        std::fs::read_dir(&backups)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains("replaced")),
        "the damaged file was not kept"
    );
}

#[test]
fn a_line_that_is_not_utf8_is_asked_again_not_the_end_of_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let mut cmd = with_db(&db, DAY1);
    cmd.arg("review");
    let input: &[u8] = b"\n\xff\xfe\n4\n";
    let o = {
        use std::process::Stdio;
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    };
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches("grade [1-4]: ").count(), 2, "{out}");
    assert!(out.contains("ok "), "{out}");
}

#[test]
fn a_special_file_as_the_collection_is_refused_before_sqlite_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("c.sqlite");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let o = run_db(&fifo, DAY1, &["stats"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["c.sqlite"], "SQLite left files beside it");
}

#[test]
fn another_program_holding_the_file_is_not_called_awscards_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    json(&run_db(&db, DAY1, &["stats", "--json"]));
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE;").unwrap();
    let o = run_db(&db, DAY1, &["stats"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("or another program"), "{}", stderr(&o));
    holder.execute_batch("ROLLBACK;").unwrap();
}

/// Makes a file immutable (chattr +i, as root) until dropped.
struct Immutable<'p>(&'p Path);

impl<'p> Immutable<'p> {
    fn new(path: &'p Path) -> Immutable<'p> {
        let ok = Command::new("chattr").arg("+i").arg(path).status().unwrap();
        assert!(
            ok.success(),
            "chattr +i failed: run the tests as root on ext4"
        );
        Immutable(path)
    }
}

impl Drop for Immutable<'_> {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(self.0).status();
    }
}

#[test]
fn a_read_only_collection_can_be_read_and_exported_and_says_so_when_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let o = review(&db, DAY1, &[], &"\n4\n".repeat(3));
    assert!(o.status.success());
    let before = sha(&db);
    let _frozen = Immutable::new(&db);
    let later = "2026-06-03T10:00:00+02:00";
    let stats = json(&run_db(&db, later, &["stats", "--json"]));
    assert_eq!(stats["reviews_total"].as_u64(), Some(3));
    assert!(run_db(&db, later, &["due"]).status.success());
    let o = run_db(&db, later, &["cards", "--search", "is:review"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = dir.path().join("out.csv");
    let o = run_db(&db, later, &["export", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Writing is refused with a message that says why.
    let o = review(&db, later, &[], "\n4\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("disk I/O"), "{}", stderr(&o));
    assert!(sha(&db) == before, "the file changed");
}

#[test]
fn stats_reports_the_day_the_forecast_and_retention_for_a_scope() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    json(&run_db(
        &db,
        DAY1,
        &["settings", "--new-per-day", "2", "--json"],
    ));
    let o = review(&db, DAY1, &[], "\n1\n\n4\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let stats = json(&run_db(&db, DAY1, &["stats", "--json"]));
    // The keys `awscards stats` always had are still there.
    assert_eq!(stats["reviews_total"].as_u64(), Some(2));
    assert_eq!(stats["reviews_today"].as_u64(), Some(2));
    assert_eq!(stats["today"]["answers"].as_u64(), Some(2));
    assert_eq!(stats["today"]["again_rate"].as_f64(), Some(0.5));
    assert_eq!(stats["streak_days"].as_u64(), Some(1));
    assert_eq!(stats["longest_streak_days"].as_u64(), Some(1));
    let heatmap = stats["heatmap"].as_array().unwrap();
    assert_eq!(heatmap.len(), 1);
    assert_eq!(heatmap[0]["day"], "2026-06-01");
    assert_eq!(heatmap[0]["reviews"].as_u64(), Some(2));
    let forecast = stats["forecast"].as_array().unwrap();
    assert_eq!(forecast.len(), 365);
    assert_eq!(forecast[0]["day"], "2026-06-01");
    // The card answered Good is due tomorrow; the failed one too (relearning).
    assert_eq!(forecast[1]["due"].as_u64(), Some(2));
    for who in ["young", "mature"] {
        for days in ["days_7", "days_30", "days_365"] {
            let t = &stats["retention"][who][days];
            assert_eq!(t["reviews"].as_u64(), Some(0), "{who} {days}");
            assert!(t["rate"].is_null());
        }
    }
    let eases = stats["ease_histogram"].as_array().unwrap();
    let counted: u64 = eases.iter().map(|b| b["cards"].as_u64().unwrap()).sum();
    assert_eq!(counted, 2);

    // A deck of its own, a filtered deck's search, and the text form.
    let deck = json(&run_db(
        &db,
        DAY1,
        &[
            "stats",
            "--deck",
            "AWS Big Data::Instance families",
            "--json",
        ],
    ));
    assert!(deck["cards"].as_u64().unwrap() > 10);
    assert!(deck["cards"].as_u64() < stats["cards"].as_u64());
    let failed = json(&run_db(
        &db,
        DAY1,
        &["stats", "--search", "rated:1:1", "--json"],
    ));
    assert_eq!(failed["cards"].as_u64(), Some(1));
    assert_eq!(failed["reviews_total"].as_u64(), Some(1));
    let text = stdout(&run_db(&db, DAY1, &["stats"]));
    assert!(text.contains("streak     1 days (longest 1)"), "{text}");
    assert!(text.contains("today      2 answers on 2 cards"), "{text}");

    // A deck that does not exist is an error, not empty numbers.
    let o = run_db(&db, DAY1, &["stats", "--deck", "Nope"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("Nope"), "{}", stderr(&o));
}

#[test]
fn evaluate_scores_sm2_and_fsrs_on_the_learners_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let nothing = json(&run_db(&db, DAY1, &["evaluate", "--json"]));
    assert_eq!(nothing["reviews"].as_u64(), Some(0));
    assert!(nothing["sm2_log_loss"].is_null());
    assert!(stdout(&run_db(&db, DAY1, &["evaluate"])).contains("Nothing to evaluate yet"));

    // Ten new cards on day 1 (Good, and every third one Again), all of them again on day 2.
    json(&run_db(
        &db,
        DAY1,
        &["settings", "--new-per-day", "10", "--json"],
    ));
    let input: String = ["4", "4", "1"]
        .iter()
        .cycle()
        .take(60)
        .map(|g| format!("\n{g}\n"))
        .collect();
    assert!(review(&db, DAY1, TOP, &input).status.success());
    let day2 = "2026-06-02T10:00:00+02:00";
    json(&run_db(
        &db,
        day2,
        &["settings", "--new-per-day", "0", "--json"],
    ));
    assert!(review(&db, day2, TOP, &input).status.success());
    let e = json(&run_db(&db, day2, &["evaluate", "--json"]));
    assert_eq!(e["reviews"].as_u64(), Some(10), "{e}");
    for key in [
        "sm2_log_loss",
        "fsrs_log_loss",
        "sm2_rmse_bins",
        "fsrs_rmse_bins",
    ] {
        let v = e[key].as_f64().unwrap();
        assert!(v.is_finite() && v >= 0.0, "{key}: {v}");
    }
    // Ten reviews are too few to recommend leaving SM-2.
    assert_eq!(e["recommended"], "sm2");
    assert!(e["advice"].as_str().unwrap().contains("too few"));
}

#[test]
fn settings_choose_the_scheduler_and_refuse_a_bad_retention() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let s = json(&run_db(
        &db,
        DAY1,
        &[
            "settings",
            "--scheduler",
            "fsrs",
            "--desired-retention",
            "0.85",
            "--max-interval",
            "365",
            "--json",
        ],
    ));
    assert_eq!(s["scheduler"]["algorithm"], "fsrs");
    assert_eq!(s["scheduler"]["desired_retention"].as_f64(), Some(0.85));
    assert_eq!(s["scheduler"]["max_interval"].as_u64(), Some(365));
    let text = stdout(&run_db(&db, DAY1, &["settings"]));
    assert!(text.contains("FSRS-6"), "{text}");
    let o = run_db(&db, DAY1, &["settings", "--desired-retention", "0.5"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("0.70-0.99"), "{}", stderr(&o));
    let s = json(&run_db(&db, DAY1, &["settings", "--json"]));
    assert_eq!(s["scheduler"]["desired_retention"].as_f64(), Some(0.85));
}

#[test]
fn stats_of_a_search_take_any_card_id_a_hand_made_collection_holds() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    json(&run_db(&db, DAY1, &["due", "--json"]));
    // A card id far above the others, as a hand-edited or damaged file may hold.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         UPDATE card_tags SET card_id = 1 << 50 WHERE card_id = (SELECT max(id) FROM cards);
         UPDATE cards SET id = 1 << 50 WHERE id = (SELECT max(id) FROM cards);",
    )
    .unwrap();
    drop(conn);
    let stats = json(&run_db(
        &db,
        DAY1,
        &["stats", "--search", "deck:AWS*", "--json"],
    ));
    let all = json(&run_db(&db, DAY1, &["stats", "--json"]));
    assert_eq!(stats["states"], all["states"]);
    assert!(stats["states"]["new"].as_u64().unwrap() > 0);
}

#[test]
fn a_leech_carries_the_tag_leech_in_searches_and_in_cards_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    json(&run_db(
        &db,
        DAY1,
        &[
            "settings",
            "--new-per-day",
            "1",
            "--leech-threshold",
            "1",
            "--leech-action",
            "tag-only",
            "--json",
        ],
    ));
    // Learned on day 1, forgotten on day 2: its first lapse makes it a leech.
    assert!(review(&db, DAY1, &[], "\n3\n").status.success());
    let day2 = "2026-06-02T10:00:00+02:00";
    let o = review(&db, day2, &[], "\n1\n");
    assert!(stdout(&o).contains("leech"), "{}", stdout(&o));
    let found = json(&run_db(
        &db,
        day2,
        &["cards", "--search", "tag:leech", "--json"],
    ));
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let tags: Vec<&str> = found[0]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(
        tags.iter().filter(|t| **t == "leech").count(),
        1,
        "{tags:?}"
    );
    let by_is = json(&run_db(
        &db,
        day2,
        &["cards", "--search", "is:leech", "--json"],
    ));
    assert_eq!(by_is[0]["key"], found[0]["key"]);
}

#[test]
fn cards_json_lists_the_learners_own_cards_with_the_decks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let keys = |o: &Output| -> Vec<String> {
        json(o)
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["key"].as_str().unwrap().to_string())
            .collect()
    };
    let before = keys(&run_db(&db, DAY1, &["cards", "--json"]));
    let o = run_db(
        &db,
        DAY1,
        &[
            "add",
            "--front",
            "What is a FIFO?",
            "--back",
            "A named pipe",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let after = keys(&run_db(&db, DAY1, &["cards", "--json"]));
    assert_eq!(after.len(), before.len() + 1);
    let own: Vec<&String> = after.iter().filter(|k| k.starts_with("user/")).collect();
    assert_eq!(own, ["user/qa/what-is-a-fifo/qa"]);
    // Their file broken: the deck's cards, and a warning that says where.
    let file = dir.path().join("my-cards/my-cards.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n[[qa]\n")).unwrap();
    let o = run_db(&db, DAY1, &["cards", "--json"]);
    assert_eq!(keys(&o), before);
    let err = stderr(&o);
    assert!(
        err.contains("your own cards could not be read") && err.contains("my-cards.toml"),
        "{err}"
    );
}

#[test]
fn per_deck_limits_hold_for_the_deck_and_its_subdecks_and_decks_json_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let kinesis = "AWS Big Data::Integrations::Amazon Kinesis Data Streams";
    // (Answered cards' related cards not buried: only the limits hold cards back.)
    json(&run_db(
        &db,
        DAY1,
        &["settings", "--bury-siblings", "off", "--json"],
    ));
    // The Kinesis deck: 3 new cards a day, a preset of its own.
    let set = json(&run_db(
        &db,
        DAY1,
        &[
            "settings",
            "--deck",
            kinesis,
            "--new-per-day",
            "3",
            "--reviews-per-day",
            "50",
            "--json",
        ],
    ));
    assert_eq!(set["preset"], kinesis);
    assert_eq!(set["new_per_day"], 3);
    assert_eq!(set["new_left_today"], 3);
    let decks = json(&run_db(&db, DAY1, &["decks", "--json"]));
    let row = |decks: &Value, name: &str| -> Value {
        decks["decks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["deck"] == name)
            .cloned()
            .unwrap()
    };
    let k = row(&decks, kinesis);
    assert_eq!(
        (k["new"].as_u64(), k["limited"].as_bool()),
        (Some(3), Some(false))
    );
    assert_eq!(
        (k["preset"].as_str(), k["new_per_day"].as_u64()),
        (Some(kinesis), Some(3))
    );
    let dea = "AWS Data Engineer (DEA-C01)";
    assert_eq!(row(&decks, dea)["preset"], "Default");
    assert_eq!(row(&decks, dea)["new"], 20);
    // A new preset starts from the Default one's answer options; then its own.
    assert_eq!(k["bury_siblings"], false);
    assert_eq!(k["leech_threshold"], 8);
    let set = json(&run_db(
        &db,
        DAY1,
        &[
            "settings",
            "--deck",
            kinesis,
            "--leech-threshold",
            "2",
            "--leech-action",
            "tag-only",
            "--json",
        ],
    ));
    assert_eq!(
        (
            &set["preset"],
            &set["leech_threshold"],
            &set["leech_action"]
        ),
        (&json!(kinesis), &json!(2), &json!("tag_only"))
    );
    assert_eq!(set["new_per_day"], 3, "its limits as they were");
    let decks = json(&run_db(&db, DAY1, &["decks", "--json"]));
    assert_eq!(row(&decks, kinesis)["leech_threshold"], 2);
    assert_eq!(row(&decks, dea)["leech_threshold"], 8);
    assert_eq!(row(&decks, dea)["leech_action"], "suspend");
    // Studying the Kinesis deck: 3 cards, then its limit; the other decks keep theirs.
    let o = review(&db, DAY1, &["--deck", kinesis], &"\n3\n".repeat(10));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().filter(|l| l.starts_with("ok ")).count(),
        3
    );
    let decks = json(&run_db(&db, DAY1, &["decks", "--json"]));
    assert_eq!(row(&decks, kinesis)["new"], 0);
    assert_eq!(row(&decks, kinesis)["limited"], true, "its limit stops it");
    assert_eq!(
        row(&decks, dea)["new"],
        20,
        "another deck's limit is its own"
    );
    assert_eq!(
        row(&decks, "AWS Big Data")["new"],
        17,
        "the parent counts its subdecks"
    );
    // Another deck given the same preset; then back to Default.
    let glue = "AWS Big Data::Integrations::AWS Glue";
    let g = json(&run_db(
        &db,
        DAY1,
        &["settings", "--deck", glue, "--preset", kinesis, "--json"],
    ));
    assert_eq!(
        (g["preset"].as_str(), g["new_per_day"].as_u64()),
        (Some(kinesis), Some(3))
    );
    let g = json(&run_db(
        &db,
        DAY1,
        &["settings", "--deck", glue, "--preset", "Default", "--json"],
    ));
    assert_eq!(g["preset"], "Default");
    // Mistakes: an unknown deck or preset, a deck option with a global one.
    for bad in [
        &["settings", "--deck", "Nope", "--new-per-day", "3"][..],
        &["settings", "--deck", glue, "--preset", "Nope"],
    ] {
        let o = run_db(&db, DAY1, bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(stderr(&o).contains("no "), "{}", stderr(&o));
    }
    let o = run_db(&db, DAY1, &["settings", "--deck", glue, "--fuzz", "off"]);
    assert_eq!(o.status.code(), Some(2));
}
