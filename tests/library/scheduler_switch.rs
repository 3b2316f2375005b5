//! The scheduler as a setting: FSRS answers cards with the schedule::fsrs step and undo restores
//! its memory state; switching SM-2 → FSRS → SM-2 replays every card's answers and leaves the
//! SM-2 collection byte-identical; a reset card stays reset through a switch.

use crate::common;

use std::path::Path;
use std::time::Duration;

use awscards::app::session::Session;
use awscards::model::schedule::Algorithm;
use awscards::model::schedule::fsrs::{FsrsConfig, next};
use chrono::{Days, NaiveDate};

use common::{noon as at, open_on as open};

/// Every row of the cards and the review log, every column, as text.
fn dump(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut rows = Vec::new();
    for table in ["cards", "review_log", "review_days"] {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let n = stmt.column_count();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            let cols: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            rows.push(format!("{table}: {}", cols.join("|")));
        }
    }
    rows
}

/// Studies every card of the older deck due each day for 30 days, new cards 10 a day, grades cycling
/// Good, Good, Again, Easy, Hard.
fn study(db: &Path, start: NaiveDate, days: u64) {
    let grades = [4, 4, 1, 5, 3];
    let mut g = 0;
    for d in 0..days {
        let day = start.checked_add_days(Days::new(d)).unwrap();
        let mut coll = open(db, day);
        coll.settings.new_per_day = 10;
        let mut session = Session::start(&coll, "AWS Big Data", day).unwrap();
        while session.current().is_some() {
            session
                .answer(&mut coll, grades[g % 5], at(day), Duration::from_secs(4))
                .unwrap();
            g += 1;
        }
    }
}

#[test]
fn switching_to_fsrs_and_back_restores_sm2_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let start = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    study(&db, start, 30);
    let today = start.checked_add_days(Days::new(30)).unwrap();
    // One card made new again: it must stay new through both switches.
    let mut coll = open(&db, today);
    let reset = coll
        .store()
        .card_by_key("instance/series/t/family")
        .unwrap()
        .unwrap();
    assert!(!reset.state.is_new);
    coll.reset_to_new(&[reset.id]).unwrap();
    drop(coll);
    let before = dump(&db);

    let mut coll = open(&db, today);
    let mut fsrs = coll.settings;
    fsrs.scheduler.algorithm = Algorithm::Fsrs;
    coll.save_settings(fsrs).unwrap();
    drop(coll);
    let switched = dump(&db);
    assert_ne!(switched, before);
    let coll = open(&db, today);
    assert_eq!(coll.settings.scheduler.algorithm, Algorithm::Fsrs);
    let cards: Vec<_> = coll
        .browse(&awscards::model::search::Query::All, today)
        .unwrap();
    assert!(!cards.is_empty());
    let studied = coll
        .store()
        .all_cards()
        .unwrap()
        .into_iter()
        .filter(|c| !c.state.is_new)
        .collect::<Vec<_>>();
    assert!(studied.len() > 100, "{}", studied.len());
    assert!(studied.iter().all(|c| c.state.stability > 0.0));
    let still_reset = coll.store().card(reset.id).unwrap();
    assert!(still_reset.state.is_new && still_reset.state.stability == 0.0);
    drop(coll);

    let mut coll = open(&db, today);
    let mut sm2 = coll.settings;
    sm2.scheduler.algorithm = Algorithm::Sm2;
    coll.save_settings(sm2).unwrap();
    drop(coll);
    assert_eq!(dump(&db).len(), before.len());
    let after = dump(&db);
    let differing: Vec<(&String, &String)> =
        before.iter().zip(&after).filter(|(a, b)| a != b).collect();
    assert!(
        differing.is_empty(),
        "{:?}",
        &differing[..differing.len().min(3)]
    );
}

#[test]
fn under_fsrs_an_answer_follows_fsrs_and_undo_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let mut coll = open(&db, day);
    let mut s = coll.settings;
    s.scheduler.algorithm = Algorithm::Fsrs;
    s.scheduler.desired_retention = 0.85;
    // Exactly FSRS's interval (fuzz is tested in model::schedule).
    s.scheduler.fuzz = false;
    coll.save_settings(s).unwrap();
    let mut session = Session::start(&coll, "", day).unwrap();
    let answered = session
        .answer(&mut coll, 4, at(day), Duration::from_secs(3))
        .unwrap();
    let config = FsrsConfig {
        desired_retention: 0.85,
        max_interval: s.scheduler.max_interval,
        ..FsrsConfig::default()
    };
    let expected = next(None, 0, 3, &config).unwrap();
    let card = coll.store().card(answered.card_id).unwrap();
    assert_eq!(card.state.interval, expected.interval);
    assert!((card.state.stability - f64::from(expected.stability)).abs() < 1e-6);
    assert_eq!(
        card.state.due,
        day.checked_add_days(Days::new(u64::from(expected.interval)))
            .unwrap()
    );
    session.undo(&mut coll, day).unwrap();
    let undone = coll.store().card(answered.card_id).unwrap();
    assert!(undone.state.is_new && undone.state.stability == 0.0);
}

#[test]
fn parameters_fitted_to_the_log_are_kept_said_and_reschedule_under_fsrs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let start = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    study(&db, start, 40);
    let today = start.checked_add_days(Days::new(40)).unwrap();
    let now = format!("{}T12:00:00+00:00", today);
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_awscards"))
            .env("AWSCARDS_NOW", &now)
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        assert!(out.status.success(), "{}", text(&out.stderr));
        (text(&out.stdout), text(&out.stderr))
    };

    // FSRS with the default parameters, then fitted ones.
    let (out, _) = cli(&["settings", "--scheduler", "fsrs"]);
    assert!(out.contains("FSRS parameters FSRS-6 defaults"), "{out}");
    let with_defaults = dump(&db);
    let coll = open(&db, today);
    // Cancel stops fitting and comparing, with nothing to show for it.
    let cancelled = awscards::app::progress::Progress::default();
    cancelled.cancel();
    let stopped = |r: Result<(), awscards::app::error::AppError>| {
        matches!(r, Err(awscards::app::error::AppError::Cancelled))
    };
    assert!(stopped(coll.fit_fsrs(&cancelled).map(drop)));
    assert!(stopped(coll.evaluate(&cancelled).map(drop)));
    // To its end, the fit's own steps are counted.
    let counted = awscards::app::progress::Progress::default();
    let (reviews, fitted) = coll.fit_fsrs(&counted).unwrap();
    let (done, total) = counted.counts();
    assert!(total > 0 && done == total, "{done} of {total}");
    drop(coll);
    assert!(reviews >= 400, "{reviews}");
    let fitted = fitted.unwrap();
    assert_ne!(
        fitted.weights,
        awscards::model::schedule::fsrs::DEFAULT_WEIGHTS
    );
    let (out, _) = cli(&["settings", "--optimize"]);
    assert!(
        out.contains(&format!(
            "FSRS parameters optimised on {reviews} of your reviews on {today}"
        )),
        "{out}"
    );
    // Every studied card's memory state now comes from the fitted parameters.
    let changed = dump(&db)
        .iter()
        .zip(&with_defaults)
        .filter(|(a, b)| a.starts_with("cards:") && a != b)
        .count();
    assert!(changed > 100, "{changed} cards rescheduled");
    let coll = open(&db, today);
    assert_eq!(coll.settings.scheduler.fsrs_parameters, Some(fitted));
    let evaluation = coll.evaluate(&Default::default()).unwrap().unwrap();
    assert!(
        evaluation.fsrs_parameters.starts_with("optimised on"),
        "{}",
        evaluation.fsrs_parameters
    );
    drop(coll);

    // Back to the defaults: exactly the collection FSRS gave with them.
    let (out, _) = cli(&["settings", "--default-parameters"]);
    assert!(out.contains("FSRS parameters FSRS-6 defaults"), "{out}");
    assert_eq!(dump(&db), with_defaults);
}

#[test]
fn too_short_a_log_keeps_the_defaults_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let start = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    study(&db, start, 3);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_awscards"))
        .env("AWSCARDS_NOW", "2026-03-04T12:00:00+00:00")
        .arg("--db")
        .arg(&db)
        .args(["settings", "--scheduler", "fsrs", "--optimize", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("FSRS needs 400 to fit its parameters"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["scheduler"]["algorithm"], "fsrs");
    assert!(json["scheduler"]["fsrs_parameters"].is_null());
}

#[test]
fn a_switch_is_worked_out_with_progress_previewed_and_cancel_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let start = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    study(&db, start, 10);
    let today = start.checked_add_days(Days::new(10)).unwrap();
    let before = dump(&db);
    let mut coll = open(&db, today);
    let mut fsrs = coll.settings;
    fsrs.scheduler.algorithm = Algorithm::Fsrs;
    // The collection's files, byte for byte (the open collection holds them locked).
    let files = || {
        ["c.sqlite", "c.sqlite-wal"].map(|f| std::fs::read(dir.path().join(f)).unwrap_or_default())
    };
    let bytes = files();

    // Cancel asked for while it works: it stops at the next card, and nothing is written.
    let progress = awscards::app::progress::Progress::default();
    progress.cancel();
    let stopped = coll.plan_settings(fsrs, &progress);
    assert!(matches!(
        stopped,
        Err(awscards::app::error::AppError::Cancelled)
    ));
    assert_eq!(progress.counts().0, 1, "stopped after its first card");
    assert!(files() == bytes, "the files byte for byte");

    // Worked out to the end: a step per card, and what it will do, before it is saved.
    let progress = awscards::app::progress::Progress::default();
    let change = coll.plan_settings(fsrs, &progress).unwrap();
    let (done, total) = progress.counts();
    assert_eq!(done, total);
    assert_eq!(total as usize, coll.store().all_cards().unwrap().len());
    assert!(files() == bytes, "working it out writes nothing");
    let preview = change.preview.unwrap();
    let figures = |coll: &awscards::app::collection::Collection| {
        let cards = coll.store().all_cards().unwrap();
        let live = cards.iter().filter(|c| !c.retired && !c.suspended);
        awscards::model::schedule::preview::ScheduleFigures::of(live.map(|c| c.state), today)
    };
    assert_eq!(preview.before, figures(&coll));
    assert!(preview.before.due > 0);
    coll.apply_settings(change).unwrap();
    assert_eq!(coll.settings.scheduler.algorithm, Algorithm::Fsrs);
    assert_eq!(
        preview.after,
        figures(&coll),
        "the preview said what it did"
    );
    drop(coll);
    assert_ne!(dump(&db), before, "applied, it rescheduled");
}
