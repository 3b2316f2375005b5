//! Image snapshots of the Decks, Review and Stats screens, rendered by wgpu on the software Vulkan
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
    let mut coll = Collection::open(Some(db), None).expect("opens");
    coll.clock = Clock::Fixed(DateTime::parse_from_rfc3339(NOW).unwrap());
    with_app(coll)
}

fn with_app(coll: Collection) -> Harness<'static, AwscardsApp> {
    let mut h = Harness::builder()
        .with_size([960.0, 720.0])
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
fn stats_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = with_app(common::seeded_collection(&dir.path().join("c.sqlite"), NOW));
    h.get_by_label("Stats").click();
    h.run();
    h.remove_cursor();
    h.snapshot("stats");
}
