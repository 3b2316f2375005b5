//! Image snapshots of the Decks, Review, Browse, Card info and Stats screens (the last three at
//! 800x600 and 1280x900), rendered by wgpu on the software Vulkan
//! driver (Debian's mesa-vulkan-drivers, which .ci/run installs). Re-create them after a
//! deliberate visual change with `UPDATE_SNAPSHOTS=1 ./run-tests --test gui gui_snapshots` and
//! commit tests/snapshots/.

use crate::common;

use awscards::app::clock::Clock;
use awscards::app::collection::Collection;
use awscards::ui::{AwscardsApp, Source};
use chrono::DateTime;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

const NOW: &str = "2026-06-01T10:00:00+02:00";

fn harness(db: &std::path::Path) -> Harness<'static, AwscardsApp> {
    let clock = Clock::Fixed(DateTime::parse_from_rfc3339(NOW).unwrap());
    with_app(Collection::open_with_clock(Some(db), None, clock).expect("opens"))
}

fn with_app(coll: Collection) -> Harness<'static, AwscardsApp> {
    sized(coll, [960.0, 720.0])
}

fn sized(coll: Collection, size: [f32; 2]) -> Harness<'static, AwscardsApp> {
    let mut h = Harness::builder()
        .with_size(size)
        .wgpu()
        .build_eframe(move |_cc| AwscardsApp::new(Ok(coll), Source::default()));
    h.run();
    h
}

#[test]
fn decks_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("c.sqlite"));
    h.snapshot("decks");
}

#[test]
fn review_screen_with_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("c.sqlite"));
    h.query_all_by_label("Study").next().unwrap().click();
    h.run();
    h.remove_cursor();
    h.snapshot("review_question");
    h.key_press(Key::Space);
    h.run();
    h.snapshot("review_answer");
}

#[test]
fn session_end_with_custom_study() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let clock = Clock::Fixed(DateTime::parse_from_rfc3339(NOW).unwrap());
    let mut coll = Collection::open_with_clock(Some(&db), None, clock).expect("opens");
    let mut settings = coll.settings;
    settings.new_per_day = 1;
    coll.save_settings(settings).unwrap();
    let mut h = with_app(coll);
    h.query_all_by_label("Study").next().unwrap().click();
    h.run();
    h.key_press(Key::Space);
    h.run();
    h.key_press(Key::Num3);
    h.run();
    h.get_by_label("Custom study…").click();
    h.run();
    h.remove_cursor();
    h.snapshot("session_end");
}

#[test]
fn deck_options_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("c.sqlite"));
    h.get_by_label("Options of AWS Big Data::Integrations::Amazon S3")
        .click();
    h.run();
    h.remove_cursor();
    h.snapshot("deck_options");
}

/// The Stats screen of the seeded collection in a window of `size`.
fn stats_at(name: &str, size: [f32; 2]) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = sized(
        common::seeded_collection(&dir.path().join("c.sqlite"), NOW),
        size,
    );
    h.get_by_label("Stats").click();
    h.run();
    h.remove_cursor();
    h.snapshot(format!("stats_{name}"));
}

/// Browse with its first row (an answered card: its history shows) selected.
fn browse_at(name: &str, size: [f32; 2]) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = sized(
        common::seeded_collection(&dir.path().join("c.sqlite"), NOW),
        size,
    );
    h.get_by_label("Browse").click();
    h.run();
    // Out of the search field, then the first row.
    h.key_press(Key::Enter);
    h.key_press(Key::ArrowDown);
    h.run();
    h.remove_cursor();
    h.snapshot(format!("browse_{name}"));
}

/// The Card info window over a review.
fn card_info_at(name: &str, size: [f32; 2]) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = sized(
        common::seeded_collection(&dir.path().join("c.sqlite"), NOW),
        size,
    );
    h.query_all_by_label("Study").next().unwrap().click();
    h.run();
    h.key_press(Key::I);
    h.run();
    h.remove_cursor();
    h.snapshot(format!("card_info_{name}"));
}

#[test]
fn stats_screen_800() {
    stats_at("800", [800.0, 600.0]);
}

#[test]
fn stats_screen_1280() {
    stats_at("1280", [1280.0, 900.0]);
}

#[test]
fn browse_screen_800() {
    browse_at("800", [800.0, 600.0]);
}

#[test]
fn browse_screen_1280() {
    browse_at("1280", [1280.0, 900.0]);
}

#[test]
fn card_info_window_800() {
    card_info_at("800", [800.0, 600.0]);
}

#[test]
fn card_info_window_1280() {
    card_info_at("1280", [1280.0, 900.0]);
}
