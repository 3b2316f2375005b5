//! The window while work runs on another thread: the collection opening (a large new facts
//! folder), and long jobs with their progress and Cancel, which leaves every file as it was.

use std::path::Path;

use crate::common;

use crate::gui::{through_job, type_path, wait_for_collection};
use awscards::app::collection::Collection;
use awscards::ui::{AwscardsApp, Source};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

#[test]
fn a_collection_that_cannot_open_shows_the_error_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    std::fs::write(&db, b"this is not a database, just some bytes that are long enough....................................................").unwrap();
    let source = Source {
        db: Some(db.clone()),
        facts: None,
    };
    // As the program starts: the window at once, the collection opened on another thread.
    let mut h = Harness::builder()
        .with_size([960.0, 720.0])
        .build_eframe(move |cc| AwscardsApp::opening(source, &cc.egui_ctx));
    until_opened(&mut h);
    assert!(
        h.query_all_by_label_contains("is not a usable awscards collection")
            .next()
            .is_some()
    );
    h.get_by_label("Retry").click();
    until_opened(&mut h);
    assert!(h.state().error().is_some(), "still failing");
    std::fs::remove_file(&db).unwrap();
    h.get_by_label("Retry").click();
    until_opened(&mut h);
    assert!(h.state().error().is_none());
    h.get_by_label("AWS Big Data");
}

/// Steps until the collection has opened, or failed to.
fn until_opened(h: &mut Harness<'_, AwscardsApp>) {
    h.step();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while h.state().busy() {
        assert!(
            std::time::Instant::now() < deadline,
            "still opening after 60 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.step();
    }
    h.run();
}

#[test]
fn a_large_new_facts_folder_opens_with_progress_and_cancel_keeps_the_collection_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    drop(Collection::open(Some(&db), None).unwrap());
    let facts = common::synthetic_facts_folder(dir.path(), 20_000);
    let files = || {
        ["c.sqlite", "c.sqlite-wal"].map(|f| std::fs::read(dir.path().join(f)).unwrap_or_default())
    };
    let bytes = files();
    let source = Source {
        db: Some(db.clone()),
        facts: Some(facts.clone()),
    };
    let mut h = Harness::builder()
        .with_size([960.0, 720.0])
        .build_eframe(move |cc| AwscardsApp::opening(source, &cc.egui_ctx));
    // The window is there at once, says what it does, and offers Cancel.
    h.step();
    h.get_by_label(awscards::ui::OPENING);
    h.get_by_label("Cancel").click();
    until_opened(&mut h);
    let error = h.state().error().unwrap_or_default().to_string();
    assert!(error.contains("opening was cancelled"), "{error}");
    assert!(h.state().collection().is_none());
    assert!(files() == bytes, "the files byte for byte");
    // Retry opens it to the end, with every card of the folder.
    h.get_by_label("Retry").click();
    until_opened(&mut h);
    let coll = h.state().collection().unwrap();
    assert_eq!(coll.sync.added, 20_000);
}

/// The collection file and its write-ahead log, byte for byte.
fn files(dir: &Path) -> [Vec<u8>; 2] {
    ["c.sqlite", "c.sqlite-wal"].map(|f| std::fs::read(dir.join(f)).unwrap_or_default())
}

#[test]
fn cancel_of_a_package_export_or_import_leaves_every_file_as_it_was() {
    // A package with 5 000 cards and 40 000 answers, made from another collection of the same
    // facts: the collection in the window has none of its answers.
    let dir = tempfile::tempdir().unwrap();
    let facts = common::synthetic_facts_folder(dir.path(), 5_000);
    let other = dir.path().join("other.sqlite");
    let mut coll = Collection::open(Some(&other), Some(&facts)).unwrap();
    let today = coll.today();
    coll.store_mut().seed_history(today, 40_000, 5).unwrap();
    let package = dir.path().join("big.apkg");
    let scope = awscards::app::collection::CardScope::All;
    coll.export_package(&scope, &package, true, &Default::default())
        .unwrap();
    drop(coll);
    let db = dir.path().join("c.sqlite");
    let coll = Collection::open(Some(&db), Some(&facts)).unwrap();
    let mut h = Harness::builder()
        .with_size([960.0, 720.0])
        .build_eframe(move |_cc| AwscardsApp::new(Ok(coll), Source::default()));
    h.run();
    let bytes = files(dir.path());

    // Import, then Cancel while it works: nothing imported, the files as they were.
    h.get_by_label("Import").click();
    h.run();
    type_path(&mut h, &package);
    h.get_by_label("Import").click();
    h.step();
    h.step();
    h.get_by_label(&format!("Importing {}…", package.display()));
    h.get_by_label("Cancel").click();
    wait_for_collection(&mut h);
    h.run();
    h.get_by_label("Cancelled: nothing was imported.");
    assert!(files(dir.path()) == bytes, "the collection byte for byte");
    // Imported to the end: a progress bar counted the cards rescheduled.
    h.get_by_label("Import").click();
    through_job(&mut h, &format!("Importing {}…", package.display()));
    assert!(
        h.query_all_by_label_contains("answers added")
            .next()
            .is_some()
    );
    assert!(files(dir.path()) != bytes);

    // Export over the package, then Cancel: the package is as it was, nothing else is left.
    let before = std::fs::read(&package).unwrap();
    h.get_by_label("Decks").click();
    h.run();
    h.get_by_label("Export").click();
    h.run();
    type_path(&mut h, &package);
    h.get_by_label("Export").click();
    h.run();
    // It asks before it replaces the file.
    h.get_by_label("Replace").click();
    h.step();
    h.step();
    h.get_by_label("Cancel").click();
    wait_for_collection(&mut h);
    h.run();
    h.get_by_label("Cancelled: no file was written or replaced.");
    assert!(std::fs::read(&package).unwrap() == before);
    let mut left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !n.starts_with("c.sqlite") && !n.starts_with("other.sqlite"))
        .collect();
    left.sort();
    assert_eq!(left, ["big.apkg", "facts"]);
}
