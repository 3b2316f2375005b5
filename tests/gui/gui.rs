//! The desktop app driven through egui_kittest over a temporary collection: widgets are found by
//! their labels through AccessKit, clicked and sent keys, and the results checked in the app's
//! state and in the database.

use crate::common;

use std::path::Path;

use awscards::app::clock::Clock;
use awscards::app::collection::{CardScope, Collection};
use awscards::ui::{AwscardsApp, Screen, Source};
use chrono::DateTime;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

const NOW: &str = "2026-06-01T10:00:00+02:00";

fn collection(db: &Path) -> Collection {
    let clock = Clock::Fixed(DateTime::parse_from_rfc3339(NOW).unwrap());
    Collection::open_with_clock(Some(db), None, clock).expect("opens")
}

fn app(db: &Path) -> Harness<'static, AwscardsApp> {
    let coll = collection(db);
    let mut harness = Harness::builder()
        .with_size([960.0, 720.0])
        .build_eframe(move |_cc| AwscardsApp::new(Ok(coll), Source::default()));
    harness.run();
    harness
}

/// The app on a new collection whose Default preset introduces `n` new cards a day.
fn app_with_new_per_day(db: &Path, n: u32) -> Harness<'static, AwscardsApp> {
    let mut coll = collection(db);
    let mut s = coll.settings;
    s.new_per_day = n;
    coll.save_settings(s).unwrap();
    drop(coll);
    app(db)
}

/// The app on a collection with three answers today (see `common::seeded_collection`).
fn seeded_app(db: &Path) -> Harness<'static, AwscardsApp> {
    let coll = common::seeded_collection(db, NOW);
    let mut harness = Harness::builder()
        .with_size([960.0, 720.0])
        .build_eframe(move |_cc| AwscardsApp::new(Ok(coll), Source::default()));
    harness.run();
    harness
}

fn review<'h>(h: &'h Harness<'_, AwscardsApp>) -> &'h awscards::ui::review::ReviewScreen {
    match h.state().screen() {
        Screen::Review(r) => r,
        _ => panic!("not on the review screen"),
    }
}

fn front(h: &Harness<'_, AwscardsApp>) -> String {
    review(h).card().expect("a card is shown").front.clone()
}

/// Steps the app until it holds its collection again (after work on another thread).
pub(crate) fn wait_for_collection(h: &mut Harness<'_, AwscardsApp>) {
    for _ in 0..3000 {
        if h.state().collection().is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.step();
    }
    panic!("the collection did not come back within 30 s");
}

/// Steps through the job the last action started: the collection is away on another thread
/// while the window says what it waits for (`doing`), then comes back.
pub(crate) fn through_job(h: &mut Harness<'_, AwscardsApp>, doing: &str) {
    h.step();
    assert!(h.state().collection().is_none());
    h.step();
    h.get_by_label(doing);
    wait_for_collection(h);
    h.run();
}

/// Replaces the text of the screen's "File" field with `path`.
pub(crate) fn type_path(h: &mut Harness<'_, AwscardsApp>, path: &Path) {
    let field = egui::accesskit::Role::TextInput;
    h.get_by_role_and_label(field, "File").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(field, "File")
        .type_text(path.to_str().unwrap());
    h.run();
}

fn log_len(h: &Harness<'_, AwscardsApp>) -> usize {
    h.state()
        .collection()
        .unwrap()
        .store()
        .log(None)
        .unwrap()
        .len()
}

fn study_all(h: &mut Harness<'_, AwscardsApp>) {
    h.query_all_by_label("Study")
        .next()
        .expect("a Study button")
        .click();
    h.run();
}

fn press(h: &mut Harness<'_, AwscardsApp>, key: Key) {
    h.key_press(key);
    h.run();
}

#[test]
fn study_answer_and_undo_from_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));

    // Decks: the bundled root deck with its counts.
    h.get_by_label("AWS Big Data");
    let Screen::Decks(decks) = h.state().screen() else {
        panic!("starts on Decks")
    };
    let top = &decks.rows()[0];
    assert_eq!(
        (top.deck.as_str(), top.new, top.repeat, top.due),
        ("AWS Big Data", 20, 0, 0)
    );
    assert!(h.query_all_by_label("20").count() >= 1);

    // Study: a question, and Show answer.
    study_all(&mut h);
    let first = front(&h);
    h.get_by_label(&first);
    h.get_by_label("Show answer");
    assert!(
        h.query_by_label("Again 1d").is_none(),
        "grades hidden before the answer"
    );
    assert_eq!(review(&h).session().remaining().total(), 20);

    // Space: the answer, and four buttons with the interval each would give.
    press(&mut h, Key::Space);
    assert!(review(&h).revealed());
    let back = review(&h).card().unwrap().back.clone();
    h.get_by_label(&back);
    // Again and Hard bring a new card back today first: the buttons say so. All four give
    // 1 day: each says what it does differ in, SM-2's ease.
    for label in [
        "Again today · 1d · ease −0.54",
        "Hard today · 1d · ease −0.14",
        "Good 1d",
        "Easy 1d · ease +0.10",
    ] {
        h.get_by_label(label);
    }
    // "today" explained where it is shown.
    h.query_all_by_label("today · 1d").next().unwrap().hover();
    h.run();
    h.get_by_label("You will see it again in this session; then in 1 day.");
    assert!(h.query_by_label("Show answer").is_none());

    // 3 (Good): the next card; one card fewer, one answer in the log.
    press(&mut h, Key::Num3);
    assert_ne!(front(&h), first);
    assert!(!review(&h).revealed());
    assert_eq!(review(&h).session().remaining().total(), 19);
    assert_eq!(log_len(&h), 1);

    // Ctrl+Z, while the second card is shown: the first card is back, the log empty again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(front(&h), first);
    assert_eq!(log_len(&h), 0);
    assert_eq!(review(&h).session().remaining().total(), 20);
    let card = review(&h).card().unwrap();
    assert!(card.state.is_new, "undo restored the card's state");

    // Escape: back to Decks.
    press(&mut h, Key::Escape);
    assert!(matches!(h.state().screen(), Screen::Decks(_)));
}

#[test]
fn one_key_press_is_one_action() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    study_all(&mut h);
    // Focus the Show answer button, then press Space: it reveals once and grades nothing.
    h.get_by_label("Show answer").focus();
    h.run();
    press(&mut h, Key::Space);
    assert!(review(&h).revealed());
    assert_eq!(log_len(&h), 0);
    // With the Hard button focused, Space is "Good" (as in Anki) and nothing else: a focused
    // button would also take Space as a click and answer a second card.
    h.get_by_label("Hard today · 1d · ease −0.14").focus();
    h.run();
    press(&mut h, Key::Space);
    assert_eq!(log_len(&h), 1);
    assert_eq!(
        h.state().collection().unwrap().store().log(None).unwrap()[0].quality,
        4
    );
    assert!(!review(&h).revealed());
    press(&mut h, Key::Space);
    // Key repeat (holding 3 down) grades one card only.
    h.event(egui::Event::Key {
        key: Key::Num3,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    });
    for _ in 0..3 {
        h.event(egui::Event::Key {
            key: Key::Num3,
            physical_key: None,
            pressed: true,
            repeat: true,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
    assert_eq!(log_len(&h), 2);
    assert!(
        !review(&h).revealed(),
        "the next card waits for its own Space"
    );
    // Grade keys do nothing before the answer is shown.
    press(&mut h, Key::Num4);
    assert_eq!(log_len(&h), 2);
}

#[test]
fn clicking_buttons_works_like_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    study_all(&mut h);
    h.get_by_label("Show answer").click();
    h.run();
    h.get_by_label("Easy 1d · ease +0.10").click();
    h.run();
    assert_eq!(log_len(&h), 1);
    h.get_by_label("Undo").click();
    h.run();
    assert_eq!(log_len(&h), 0);
    h.get_by_label("Card info").click();
    h.run();
    // The Card info window: a new card (the answer was undone) at Anki's starting ease.
    h.get_by_label("Ease");
    h.get_by_label("250%");
    h.get_by_label("Not answered yet.");
    // Card info names the page the card's fact was checked on, as a link that opens it.
    let card = review(&h).card().unwrap().clone();
    let (source, url) = (card.source.unwrap(), card.source_url.unwrap());
    assert!(url.starts_with("https://docs.aws.amazon.com/"), "{url}");
    let label = format!("Source: {source}");
    let link = h.get_by_label(&label);
    assert_eq!(link.accesskit_node().role(), egui::accesskit::Role::Link);
    h.get_by_label("Decks").click();
    h.run();
    assert!(matches!(h.state().screen(), Screen::Decks(_)));
}

#[test]
fn a_card_graded_again_comes_back_later_in_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    study_all(&mut h);
    let failed = front(&h);
    press(&mut h, Key::Space);
    press(&mut h, Key::Num1);
    assert_eq!(review(&h).session().remaining().repeat, 1);
    let mut between = 0;
    while front(&h) != failed {
        press(&mut h, Key::Space);
        press(&mut h, Key::Num3);
        between += 1;
        assert!(between <= 20, "the failed card never came back");
    }
    assert!(between >= 1, "it came back later, not at once");
    // Passing it now clears the repeat.
    press(&mut h, Key::Space);
    press(&mut h, Key::Num3);
    assert_eq!(review(&h).session().remaining().repeat, 0);
}

#[test]
fn finishing_shows_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_with_new_per_day(&dir.path().join("c.sqlite"), 2);
    study_all(&mut h);
    for _ in 0..2 {
        press(&mut h, Key::Space);
        press(&mut h, Key::Num4);
    }
    h.get_by_label("Congratulations! You have finished this deck for now.");
    h.get_by_label("2 cards are due tomorrow.");
    assert!(
        h.query_all_by_label_contains("Studied 2 cards (2 answers)")
            .next()
            .is_some()
    );
    h.get_by_label("Back to decks").click();
    h.run();
    let Screen::Decks(decks) = h.state().screen() else {
        panic!("back on Decks")
    };
    assert_eq!(decks.rows()[0].new, 0);
    assert!(decks.rows()[0].limited, "its limit holds cards back");
    // The other top-level deck has a limit of its own: untouched by these answers.
    let other = decks
        .rows()
        .iter()
        .find(|r| r.depth == 0 && r.deck != decks.rows()[0].deck)
        .unwrap();
    assert_eq!((other.new, other.limited), (2, false));
    assert!(
        h.query_by_label("Nothing is due today. The next cards are due tomorrow.")
            .is_none()
    );
}

#[test]
fn the_end_screen_says_what_waits_and_offers_unbury_and_custom_study() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_with_new_per_day(&dir.path().join("c.sqlite"), 2);
    study_all(&mut h);
    press(&mut h, Key::Space);
    press(&mut h, Key::Num3);
    // The answer buried the card's related cards: said at once.
    let buried_now = h
        .state()
        .collection()
        .unwrap()
        .store()
        .buried(h.state().collection().unwrap().today());
    let n = buried_now.unwrap().len();
    assert!(n > 0, "the first card has siblings");
    h.get_by_label(&format!(
        "{n} related cards wait until tomorrow (buried: related to the card just answered)."
    ));
    press(&mut h, Key::Space);
    press(&mut h, Key::Num3);
    // The end: why nothing more is shown, with the numbers.
    h.get_by_label("Congratulations! You have finished this deck for now.");
    assert!(
        h.query_all_by_label_contains("buried cards wait until tomorrow")
            .next()
            .is_some()
    );
    let limit = h
        .query_all_by_label_contains("Daily new-card limit reached (2):")
        .count();
    assert_eq!(limit, 1);
    // Unbury: none buried any more, the limit still holds.
    h.query_all_by_label_contains("Unbury")
        .next()
        .unwrap()
        .click();
    h.run();
    assert!(h.query_all_by_label_contains("Unbury").next().is_none());
    assert!(
        h.query_all_by_label_contains("buried cards wait")
            .next()
            .is_none()
    );
    // Custom study: 10 more new cards today, and the session goes on with them.
    h.get_by_label("Custom study…").click();
    h.run();
    h.get_by_label("Study more new cards today").click();
    h.run();
    h.get_by_label("Start").click();
    h.run();
    assert_eq!(review(&h).session().remaining().new, 10);
    assert!(review(&h).card().is_some());
}

#[test]
fn a_session_with_nothing_to_study_says_why_not_congratulations() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_with_new_per_day(&dir.path().join("c.sqlite"), 0);
    study_all(&mut h);
    h.get_by_label("Nothing to study here now.");
    assert!(
        h.query_by_label("Congratulations! You have finished this deck for now.")
            .is_none()
    );
    assert!(
        h.query_all_by_label_contains("Daily new-card limit reached (0):")
            .next()
            .is_some()
    );
}

#[test]
fn a_decks_options_give_it_a_preset_of_its_own_and_its_limit_holds() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    let kinesis = "AWS Big Data::Integrations::Amazon Kinesis Data Streams";
    h.get_by_label(&format!("Options of {kinesis}")).click();
    h.run();
    h.get_by_label(&format!("Options: {kinesis}"));
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Preset")
        .click();
    h.run();
    h.get_by_label("A preset of its own").click();
    h.run();
    let spin = egui::accesskit::Role::SpinButton;
    h.get_by_role_and_label(spin, "New cards/day").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(spin, "New cards/day")
        .type_text("3");
    h.key_press(Key::Enter);
    h.run();
    // The preset's answer options too: its leeches only tagged, its related cards not buried.
    h.get_by_label("Tag only").click();
    h.get_by_label("Once a card is answered, keep the rest of its fact or list for another day")
        .click();
    h.run();
    h.get_by_label("Save").click();
    h.run();
    assert!(h.query_by_label(&format!("Options: {kinesis}")).is_none());
    let coll = h.state().collection().unwrap();
    let preset = coll.deck_preset(kinesis).unwrap();
    assert_eq!((preset.name.as_str(), preset.limits.new), (kinesis, 3));
    assert_eq!(
        preset.options,
        awscards::model::limits::AnswerOptions {
            bury_siblings: false,
            leech_threshold: 8,
            leech_action: awscards::model::settings::LeechAction::TagOnly,
        }
    );
    assert!(
        coll.settings.bury_siblings,
        "the Default preset's as it was"
    );
    let Screen::Decks(decks) = h.state().screen() else {
        panic!("on Decks")
    };
    let row = decks.rows().iter().find(|r| r.deck == kinesis).unwrap();
    assert_eq!((row.new, row.limited), (3, false));
    assert!(h.query_all_by_label("limit reached").next().is_none());
}

#[test]
fn settings_change_the_new_card_limit_and_the_counts_follow() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let mut h = app(&db);
    h.get_by_label("Settings").click();
    h.run();
    let field = h.get_by_role_and_label(egui::accesskit::Role::SpinButton, "New cards/day");
    field.set_value_accesskit(7.0);
    h.run();
    assert_eq!(h.state().collection().unwrap().settings.new_per_day, 7);
    press(&mut h, Key::Escape);
    let Screen::Decks(decks) = h.state().screen() else {
        panic!("back on Decks")
    };
    assert_eq!(decks.rows()[0].new, 7);
    assert!(
        h.query_all_by_label("7").count() >= 2,
        "the root and its children show 7"
    );
    // Saved in the collection: a restart keeps it.
    drop(h);
    assert_eq!(collection(&db).settings.new_per_day, 7);
}

#[test]
fn an_idle_screen_stops_repainting() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    // `run` fails when the ui keeps asking for frames; a settled ui needs at most a few.
    study_all(&mut h);
    press(&mut h, Key::Space);
    assert!(h.run_ok().is_some());
}

#[test]
fn create_a_filtered_deck_by_typing_a_query_and_study_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    // Below the deck tree: scrolled to, as a user would.
    h.get_by_label("New filtered deck").scroll_to_me();
    h.run();
    h.get_by_label("New filtered deck").click();
    h.run();
    let role = egui::accesskit::Role::TextInput;
    h.get_by_role_and_label(role, "Name").click();
    h.run();
    h.get_by_role_and_label(role, "Name").type_text("Memory");
    h.run();
    h.get_by_role_and_label(role, "Search").click();
    h.run();
    // A half-typed query shows its error inline, and Save is disabled.
    h.get_by_role_and_label(role, "Search")
        .type_text("tag:memory-optimized (");
    h.run();
    assert!(
        h.query_all_by_label_contains("expected a search term")
            .next()
            .is_some(),
        "the parse error is shown"
    );
    assert!(h.get_by_label("Save").accesskit_node().is_disabled());
    h.get_by_role_and_label(role, "Search").type_text("is:new)");
    h.run();
    // The live count: the 10 memory-optimized cards, all new.
    h.get_by_label("10 cards match; 10 to study today.");
    let Screen::Filtered(editor) = h.state().screen() else {
        panic!("on the editor")
    };
    assert_eq!(editor.preview(), &Ok((10, 10)));
    h.get_by_label("Save").click();
    h.run();
    let Screen::Decks(decks) = h.state().screen() else {
        panic!("back on Decks after saving")
    };
    let (saved, n) = decks
        .filtered()
        .iter()
        .find(|(d, _)| d.name == "Memory")
        .unwrap();
    assert_eq!(
        (saved.query.as_str(), n.clone()),
        ("tag:memory-optimized (is:new)", Ok(10))
    );
    // Study it (the list is below the deck tree: scroll to it first).
    h.get_by_label("Memory").scroll_to_me();
    h.run();
    h.get_by_label("Memory").click();
    h.run();
    assert_eq!(review(&h).session().title(), "Memory");
    assert_eq!(review(&h).session().remaining().total(), 10);
    assert!(
        review(&h)
            .card()
            .unwrap()
            .tags
            .contains(&"memory-optimized".to_string())
    );
}

#[test]
fn cram_buttons_say_no_change_as_nothing_is_rescheduled() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let mut coll = collection(&db);
    let cram = awscards::model::filtered::FilteredDeck {
        name: "Cram Kinesis".into(),
        query: "kinesis".into(),
        mode: awscards::model::filtered::Mode::Cram,
        ..Default::default()
    };
    coll.store_mut().save_filtered_deck(&cram).unwrap();
    let mut h = Harness::builder()
        .with_size([960.0, 720.0])
        .build_eframe(move |_cc| AwscardsApp::new(Ok(coll), Source::default()));
    h.run();
    h.get_by_label("Cram Kinesis").scroll_to_me();
    h.run();
    h.get_by_label("Cram Kinesis").click();
    h.run();
    assert!(review(&h).session().cram());
    press(&mut h, Key::Space);
    for name in ["Again", "Hard", "Good", "Easy"] {
        h.get_by_label(&format!("{name} no change"));
    }
    assert!(h.query_all_by_label_contains("1d").next().is_none());
    assert!(h.query_all_by_label_contains("ease").next().is_none());
}

#[test]
fn browse_searches_selects_and_suspends() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    h.get_by_label("Browse").click();
    h.run();
    let rows = |h: &Harness<'_, AwscardsApp>| match h.state().screen() {
        Screen::Browse(b) => b.rows().len(),
        _ => panic!("not on Browse"),
    };
    let total = rows(&h);
    assert!(total >= 150);
    h.get_by_label(&format!("{total} cards"));
    let search = h.get_by_role(egui::accesskit::Role::TextInput);
    search.click();
    h.run();
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("WAF web ACL");
    h.run();
    // The one card that asks how AWS WAF logs reach Splunk.
    assert_eq!(rows(&h), 1);
    // The row (its question cut to the column's width), then Suspend in its right-click menu.
    let row = h
        .query_all_by_label_contains("AWS WAF web ACL logs must be indexed")
        .next()
        .unwrap();
    row.click_secondary();
    h.run();
    h.get_by_label("Suspend").click();
    h.run();
    let coll = h.state().collection().unwrap();
    let card = coll
        .store()
        .card_by_key("integration/firehose/destination/splunk/scenario")
        .unwrap()
        .unwrap();
    assert!(card.suspended);
    assert!(h.query_all_by_label_contains("suspended").next().is_some());
}

#[test]
fn every_bundled_card_renders_in_the_default_fonts() {
    // kittest panics on a character the fonts lack (it would show as a box in the app).
    let cards = awscards::model::cardgen::generate(
        &awscards::model::facts::parse(&awscards::model::bundled_files()).unwrap(),
    );
    let mut h = Harness::builder()
        .with_size([960.0, 720.0])
        .build_ui(move |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                for c in &cards {
                    ui.label(egui::RichText::new(&c.front).size(26.0));
                    ui.label(egui::RichText::new(&c.back).size(26.0).strong());
                    if let Some(note) = &c.note {
                        ui.label(egui::RichText::new(note).italics());
                    }
                    if let Some(source) = &c.source {
                        ui.label(egui::RichText::new(source).weak());
                    }
                    ui.label(&c.deck);
                }
            });
        });
    h.run();
}

#[test]
fn export_from_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    h.get_by_label("Export").click();
    h.run();
    let target = dir.path().join("from-gui.csv");
    type_path(&mut h, &target);
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "A filtered deck")
        .click();
    h.run();
    h.get_by_label("Instance families").click();
    h.run();
    h.get_by_label("Export").click();
    // The export runs on another thread, which holds the collection; the window keeps
    // drawing and says what it waits for.
    through_job(&mut h, &format!("Exporting to {}…", target.display()));
    let message = format!("Exported 48 cards to {}", target.display());
    h.get_by_label(&message);
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("#separator:Comma\n#html:false\n"));
    assert_eq!(
        text.lines().filter(|l| l.starts_with("instance/")).count(),
        48
    );

    // A folder that does not exist: the error shows in the window, no file appears.
    let bad = dir.path().join("missing/out.csv");
    type_path(&mut h, &bad);
    h.get_by_label("Export").click();
    h.step();
    wait_for_collection(&mut h);
    h.run();
    assert!(
        h.query_all_by_label_contains("does not exist")
            .next()
            .is_some()
    );
    assert!(!bad.exists());

    // The same file again: asked first; Cancel leaves it as it was, Replace writes it.
    type_path(&mut h, &target);
    std::fs::write(&target, "mine").unwrap();
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label(&format!("{} already exists. Replace it?", target.display()));
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
    assert!(h.query_by_label("Replace").is_none());
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("Replace").click();
    through_job(&mut h, &format!("Exporting to {}…", target.display()));
    h.get_by_label(&message);
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("#separator:Comma")
    );

    // Choose… opens the desktop's dialog off the window's thread; with none here (no
    // portal), it closes with no file and the typed path stays.
    h.get_by_label("Choose…").click();
    for _ in 0..50 {
        h.run();
        if h.get_by_label("Choose…").accesskit_node().is_disabled() {
            std::thread::sleep(std::time::Duration::from_millis(20));
        } else {
            break;
        }
    }
    assert!(!h.get_by_label("Choose…").accesskit_node().is_disabled());
    let field = egui::accesskit::Role::TextInput;
    assert_eq!(
        h.get_by_role_and_label(field, "File")
            .accesskit_node()
            .value()
            .as_deref(),
        Some(target.to_str().unwrap())
    );
}

#[test]
fn warnings_from_opening_show_above_the_decks_until_dismissed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    drop(collection(&db));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('settings', '{broken')",
            [],
        )
        .unwrap();
    }
    let mut h = app(&db);
    assert!(matches!(h.state().screen(), Screen::Decks(_)));
    let shown = h
        .query_all_by_label_contains("Warning: the stored settings are unreadable")
        .next()
        .is_some();
    assert!(shown, "no warning in the window");
    h.get_by_label("Dismiss").click();
    h.run();
    assert_eq!(h.state().warning(), None);
}

/// Browse on a collection of several load windows: the field is focused on open, a search
/// waits for typing to pause (Enter runs it at once), its rows arrive over several frames,
/// and what is shown is exactly the search's cards in due order.
#[test]
fn browse_loads_a_big_search_over_frames_and_shows_exactly_its_cards() {
    let dir = tempfile::tempdir().unwrap();
    let facts = common::synthetic_facts_folder(dir.path(), 5_000);
    let db = dir.path().join("c.sqlite");
    let mut coll = Collection::open(Some(&db), Some(&facts)).unwrap();
    coll.clock = Clock::Fixed(DateTime::parse_from_rfc3339(NOW).unwrap());
    let today = coll.today();
    coll.store_mut().seed_history(today, 20_000, 3).unwrap();
    let expected = |q: &str| {
        let mut rows = coll
            .browse(&awscards::model::search::parse(q).unwrap(), today)
            .unwrap();
        rows.sort_by_key(|r| (r.due_day.is_none(), r.due_day, r.id));
        rows.into_iter().map(|r| r.id).collect::<Vec<_>>()
    };
    let (all, some, fewer) = (
        expected(""),
        expected("question 12"),
        expected("question 123"),
    );
    assert!(all.len() == 5_000 && some.len() > fewer.len() && !fewer.is_empty());

    // Frames as often as in the window (kittest's default step is a quarter second).
    let mut h = Harness::builder()
        .with_size([960.0, 720.0])
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |_cc| AwscardsApp::new(Ok(coll), Source::default()));
    h.run();
    h.get_by_label("Browse").click();
    let shown = |h: &Harness<'_, AwscardsApp>| match h.state().screen() {
        Screen::Browse(b) => (b.loading(), b.rows().map(|r| r.id).collect::<Vec<_>>()),
        _ => panic!("not on Browse"),
    };
    // The first frames show the rows loading; then all of them, in due order.
    h.step();
    h.step();
    assert!(shown(&h).0, "5 000 cards load over more than one frame");
    h.run();
    assert_eq!(shown(&h), (false, all.clone()));

    // Typing goes to the focused field, and nothing is searched while it goes on.
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("question 12");
    h.run();
    assert_eq!(shown(&h), (true, all.clone()), "searched while typing");
    // A pause runs the search.
    h.run_steps(15);
    h.run();
    assert_eq!(shown(&h), (false, some));
    // Enter runs it at once.
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("3");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(shown(&h), (false, fewer));
}

#[test]
fn the_stats_screen_opens_from_the_decks_and_shows_the_seeded_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = seeded_app(&dir.path().join("c.sqlite"));
    h.get_by_label("Stats").click();
    h.run();
    let stats = |h: &Harness<'_, AwscardsApp>| match h.state().screen() {
        Screen::Stats(s) => (s.scope().clone(), s.report().clone()),
        _ => panic!("not on the Stats screen"),
    };
    let (scope, report) = stats(&h);
    assert_eq!(scope, CardScope::All);
    // Three cards answered today, each due tomorrow; nothing overdue.
    h.get_by_label_contains("Studied 3 cards (3 answers) in 0.2 minutes, 33.3% of them Again.");
    h.get_by_label("Streak: 1 day in a row (longest 1).");
    h.get_by_label("Overdue: 0. Due today: 0, tomorrow: 3, in 7 days: 3, in 30 days: 3.");
    assert_eq!(report.forecast[1].due, 3);
    // The heatmap: one day with answers, today.
    h.get_by_label("3 answers on 1 day; the busiest, 1 Jun 2026, had 3.");
    let today = report.heatmap.last().unwrap();
    assert_eq!(
        (today.day.to_string(), today.reviews),
        ("2026-06-01".into(), 3)
    );
    // Another scope from the picker: a filtered deck's cards, none answered yet.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Cards")
        .click();
    h.run();
    h.get_by_label("Instance families (filtered)").click();
    h.run();
    let (scope, report) = stats(&h);
    assert_eq!(scope, CardScope::Filtered("Instance families".into()));
    assert_eq!(report.today.answers, 0);
    assert_eq!(report.states.total(), 48);
    // Esc goes back to the decks.
    press(&mut h, Key::Escape);
    assert!(matches!(h.state().screen(), Screen::Decks(_)));
}

#[test]
fn a_package_exported_from_the_window_imports_back_from_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = seeded_app(&dir.path().join("c.sqlite"));
    // Export: a package with scheduling is the default.
    h.get_by_label("Export").click();
    h.run();
    let package = dir.path().join("deck.apkg");
    type_path(&mut h, &package);
    h.get_by_label("Export").click();
    h.step();
    wait_for_collection(&mut h);
    h.run();
    let n = common::bundled_cards().len();
    h.get_by_label(&format!("Exported {n} cards to {}", package.display()));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&package).unwrap()).unwrap();
    assert!(zip.by_name("collection.anki21").is_ok());

    // Import it back: the three answers are already here.
    press(&mut h, Key::Escape);
    h.get_by_label("Import").click();
    h.run();
    // No path yet: the window says what to do, and nothing runs.
    h.get_by_label("Import").click();
    h.run();
    h.get_by_label("Type the path of a package Anki exported first.");
    type_path(&mut h, &package);
    h.get_by_label("Import").click();
    through_job(&mut h, &format!("Importing {}…", package.display()));
    h.get_by_label(&format!(
        "Imported {}: {n} cards matched, 0 answers added, 3 already here, 0 notes skipped \
         (not cards of this collection).",
        package.display()
    ));
    // Not a package: the error shows, nothing changes.
    let before = log_len(&h);
    let bad = dir.path().join("notes.txt");
    std::fs::write(&bad, "hello").unwrap();
    type_path(&mut h, &bad);
    h.get_by_label("Import").click();
    h.step();
    wait_for_collection(&mut h);
    h.run();
    assert!(
        h.query_all_by_label_contains("this is not an Anki package (.apkg/.colpkg)")
            .next()
            .is_some()
    );
    assert_eq!(log_len(&h), before);
}

#[test]
fn settings_compare_the_schedulers_on_demand() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = seeded_app(&dir.path().join("c.sqlite"));
    h.get_by_label("Settings").click();
    h.run();
    assert!(
        h.query_all_by_label_contains("Nothing to evaluate")
            .next()
            .is_none()
    );
    h.get_by_label("Compare SM-2 and FSRS on my history")
        .click();
    // Scored on the job thread, which holds the collection; the window says why it waits.
    through_job(&mut h, awscards::ui::settings::COMPARING);
    // Three answers, all on one day: nothing to predict yet.
    h.get_by_label("Nothing to evaluate yet: no card has been reviewed on two different days.");
    // Choosing FSRS saves it, reschedules the answered cards and shows its two settings.
    assert!(h.query_by_label("Desired retention").is_none());
    h.get_by_label("FSRS-6").click();
    // Every card's new schedule is worked out on another thread (with its progress and
    // Cancel), which holds the collection; the window keeps drawing and says why it waits.
    through_job(&mut h, awscards::ui::settings::PLANNING);
    // What it will do, before anything is saved: keep it, and nothing changes.
    h.get_by_label("Every card rescheduled with the new settings:");
    assert!(
        h.query_all_by_label_contains("Due today: ")
            .next()
            .is_some()
    );
    h.get_by_label("Keep the schedule as it is").click();
    h.run();
    h.get_by_label("Kept the schedule as it was.");
    assert_eq!(
        h.state().collection().unwrap().settings.scheduler.algorithm,
        awscards::model::schedule::Algorithm::Sm2
    );
    // Again, and Apply: saved in one transaction, also off the window's thread.
    h.get_by_label("FSRS-6").click();
    through_job(&mut h, awscards::ui::settings::PLANNING);
    h.get_by_label("Apply").click();
    through_job(&mut h, awscards::ui::RESCHEDULING);
    assert!(h.query_by_label(awscards::ui::RESCHEDULING).is_none());
    let coll = h.state().collection().unwrap();
    assert_eq!(
        coll.settings.scheduler.algorithm,
        awscards::model::schedule::Algorithm::Fsrs
    );
    let answered: Vec<_> = coll
        .store()
        .all_cards()
        .unwrap()
        .into_iter()
        .filter(|c| !c.state.is_new)
        .collect();
    assert_eq!(answered.len(), 3);
    assert!(answered.iter().all(|c| c.state.stability > 0.0));
    h.get_by_label("Desired retention");
    h.get_by_label("Maximum interval");
    // Which parameters are in use; fitting them off the UI thread on a log far too short.
    h.get_by_label("FSRS-6 defaults");
    h.get_by_label("Optimise").click();
    through_job(&mut h, awscards::ui::settings::FITTING);
    h.get_by_label("Only 0 reviews to learn from: fitting needs 400. The defaults stay.");
    h.get_by_label("FSRS-6 defaults");
    assert!(
        h.state()
            .collection()
            .unwrap()
            .settings
            .scheduler
            .fsrs_parameters
            .is_none()
    );
}

#[test]
fn add_a_card_of_ones_own_then_find_it_in_the_decks_and_browse() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    // A opens Add from the deck list, as in Anki.
    press(&mut h, Key::A);
    assert!(matches!(h.state().screen(), Screen::Add(_)));
    // The cursor is in the question.
    h.get_by_label("Question")
        .type_text("Which service runs Apache Flink without servers?");
    h.run();
    h.get_by_label("Answer").click();
    h.run();
    h.get_by_label("Answer")
        .type_text("Amazon Managed Service for Apache Flink");
    h.get_by_label("Tags").click();
    h.run();
    h.get_by_label("Tags").type_text("streaming flink");
    h.run();
    h.get_by_label("Add").click();
    // Saving re-reads every facts file (seconds at 100 000 facts): on another thread, which
    // holds the collection, while the window says so.
    through_job(&mut h, "Adding your card…");
    h.get_by_label("Added to \"My cards\": Which service runs Apache Flink without servers?");
    let key = "user/qa/which-service-runs-apache-flink-without/qa";
    let card = h
        .state()
        .collection()
        .unwrap()
        .card_by_key(key)
        .unwrap()
        .expect("the card is in the collection");
    assert_eq!(card.tags, ["streaming", "flink"]);
    // Ready for the next one; the file holds it.
    assert!(
        h.query_by_label("Which service runs Apache Flink without servers?")
            .is_none()
    );
    let file = dir.path().join("my-cards").join("my-cards.toml");
    assert!(
        std::fs::read_to_string(file)
            .unwrap()
            .contains("front = \"Which service runs Apache Flink without servers?\"")
    );

    // In the deck list, with one new card to study.
    press(&mut h, Key::Escape);
    let row = match h.state().screen() {
        Screen::Decks(d) => d.rows().iter().find(|r| r.deck == "My cards").cloned(),
        _ => panic!("not on the decks"),
    };
    assert_eq!(row.map(|r| r.new), Some(1));
    // In Browse, where it can be edited.
    h.get_by_label("Browse").click();
    h.run();
    h.get_by_role(egui::accesskit::Role::TextInput).click();
    h.run();
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("is:user");
    h.key_press(Key::Enter);
    h.run();
    match h.state().screen() {
        Screen::Browse(b) => assert_eq!(b.rows().len(), 1),
        _ => panic!("not on Browse"),
    }
    h.get_by_label("Which service runs Apache Flink without servers?")
        .click();
    h.run();
    h.get_by_label("Edit").click();
    h.run();
    assert!(matches!(h.state().screen(), Screen::Add(_)));
    h.get_by_label("Edit your card");
    // Saving an edit goes back to Browse on the same search, with the new wording.
    h.get_by_label("Answer").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Answer")
        .type_text("Managed Service for Apache Flink");
    h.run();
    h.get_by_label("Save").click();
    h.step();
    wait_for_collection(&mut h);
    h.run();
    match h.state().screen() {
        Screen::Browse(b) => assert_eq!(b.rows().len(), 1),
        _ => panic!("not back on Browse"),
    }
    let card = h
        .state()
        .collection()
        .unwrap()
        .card_by_key(key)
        .unwrap()
        .expect("the card is still in the collection");
    assert_eq!(card.back, "Managed Service for Apache Flink");
    // Deleting it, also on another thread, retires it: the search no longer finds it.
    h.get_by_label("Which service runs Apache Flink without servers?")
        .click();
    h.run();
    h.get_by_label("Delete").click();
    h.run();
    // It asks first.
    h.get_by_label("Delete 1 of your cards?");
    h.get_by_label("Yes, delete").click();
    through_job(&mut h, "Deleting your cards…");
    match h.state().screen() {
        Screen::Browse(b) => assert_eq!(b.rows().len(), 0),
        _ => panic!("not on Browse"),
    }
    let coll = h.state().collection().unwrap();
    assert!(coll.card_by_key(key).unwrap().unwrap().retired);
    // Ctrl+Z brings it back, its history with it.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    through_job(&mut h, "Bringing your cards back…");
    match h.state().screen() {
        Screen::Browse(b) => assert_eq!(b.rows().len(), 1),
        _ => panic!("not on Browse"),
    }
    let coll = h.state().collection().unwrap();
    let back = coll.card_by_key(key).unwrap().unwrap();
    assert!(!back.retired);
    assert_eq!(back.back, "Managed Service for Apache Flink");
}

#[test]
fn a_broken_file_of_ones_own_is_shown_with_its_position_and_the_deck_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let own = dir.path().join("my-cards");
    std::fs::create_dir(&own).unwrap();
    let file = own.join("mine.toml");
    std::fs::write(&file, "[[qa]]\nid = \"x\"\nfront = \"unclosed\n").unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    let warning = h.state().warning().unwrap_or_default().to_string();
    assert!(
        warning.contains(&format!("{}:3:", file.display())),
        "{warning}"
    );
    assert!(
        h.query_all_by_label_contains(&format!("{}:3:", file.display()))
            .next()
            .is_some()
    );
    // The bundled deck is there to study.
    study_all(&mut h);
    assert!(review(&h).card().is_some());
}

#[test]
fn a_lapse_that_makes_a_leech_says_so_in_the_review_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut coll = collection(&dir.path().join("c.sqlite"));
    // Learned yesterday; a leech at its first lapse.
    let now = DateTime::parse_from_rfc3339(NOW).unwrap();
    let yesterday = now - chrono::Duration::days(1);
    coll.clock = Clock::Fixed(yesterday);
    coll.settings.new_per_day = 1;
    coll.settings.leech_threshold = 1;
    let day = coll.today();
    let mut session = awscards::app::session::Session::start(&coll, "", day).unwrap();
    let card = session.current().unwrap();
    session
        .answer(&mut coll, 4, yesterday, std::time::Duration::from_secs(2))
        .unwrap();
    coll.clock = Clock::Fixed(now);
    coll.settings.new_per_day = 0;
    let mut h = Harness::builder()
        .with_size([960.0, 720.0])
        .build_eframe(move |_cc| AwscardsApp::new(Ok(coll), Source::default()));
    h.run();
    study_all(&mut h);
    assert_eq!(review(&h).card().map(|c| c.id), Some(card));
    press(&mut h, Key::Space);
    press(&mut h, Key::Num1);
    assert!(
        h.query_all_by_label_contains("leech: this card has lapsed once, so awscards suspended it")
            .next()
            .is_some()
    );
    let stored = h.state().collection().unwrap().card(card).unwrap();
    assert!(stored.leech && stored.suspended);
    // Undo takes the notice and the suspension back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        h.query_all_by_label_contains("leech: this card")
            .next()
            .is_none()
    );
    let stored = h.state().collection().unwrap().card(card).unwrap();
    assert!(!stored.leech && !stored.suspended);
}

#[test]
fn bury_suspend_and_flag_from_the_review_screen_and_undo_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    study_all(&mut h);
    let today = h.state().collection().unwrap().today();
    let card = |h: &Harness<'_, AwscardsApp>| review(h).card().map(|c| c.id).unwrap();
    let stored =
        |h: &Harness<'_, AwscardsApp>, id: i64| h.state().collection().unwrap().card(id).unwrap();

    // Ctrl+2 flags it orange; again, no flag; undo, orange again.
    let first = card(&h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run();
    assert_eq!(stored(&h, first).flag, 2);
    h.get_by_label("flagged orange");
    assert_eq!(card(&h), first, "a flag keeps the card");
    let flagged = h
        .state()
        .collection()
        .unwrap()
        .store()
        .search_ids(&awscards::model::search::parse("flag:2").unwrap(), today)
        .unwrap();
    assert_eq!(flagged, [first]);

    // - buries it: the next card comes; undo brings it back, unburied.
    press(&mut h, Key::Minus);
    assert_ne!(card(&h), first);
    let buried = |h: &Harness<'_, AwscardsApp>| {
        h.state()
            .collection()
            .unwrap()
            .store()
            .buried(today)
            .unwrap()
    };
    assert!(buried(&h).contains(&first));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(card(&h), first);
    assert!(!buried(&h).contains(&first));

    // @ suspends it; undo takes the suspension back.
    h.event(egui::Event::Text("@".into()));
    h.run();
    assert!(stored(&h, first).suspended);
    assert_ne!(card(&h), first);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(!stored(&h, first).suspended);
    assert_eq!(card(&h), first);
    // The flag is still there: undo went back one step at a time.
    assert_eq!(stored(&h, first).flag, 2);
}

#[test]
fn the_shortcut_overlay_lists_exactly_the_command_table() {
    use awscards::model::schedule::Grading;
    use awscards::ui::commands::Command;
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    // On the deck list: its own keys.
    h.event(egui::Event::Text("?".into()));
    h.run();
    h.get_by_label("Shortcuts");
    for c in Command::DECKS {
        h.get_by_label(&c.describe(Grading::FourButtons));
    }
    h.get_by_label("Study the chosen deck");
    h.event(egui::Event::Text("?".into()));
    h.run();
    assert!(h.query_by_label("Shortcuts").is_none());

    study_all(&mut h);
    assert!(h.query_by_label("Shortcuts").is_none());
    h.event(egui::Event::Text("?".into()));
    h.run();
    h.get_by_label("Shortcuts");
    // The grade keys by the four buttons shown; 0 and 5 have none and are not listed.
    for (key, name) in [("1", "Again"), ("2", "Hard"), ("3", "Good"), ("4", "Easy")] {
        h.get_by_label(&format!("Answer {name}"));
        assert!(h.query_all_by_label(key).next().is_some(), "{key}");
    }
    assert!(h.query_all_by_label_contains("grade key").next().is_none());
    assert!(h.query_all_by_label_contains("no button").next().is_none());
    let shown: Vec<Command> = Command::REVIEW
        .into_iter()
        .filter(|c| c.applies(Grading::FourButtons))
        .collect();
    assert_eq!(shown.len(), Command::REVIEW.len() - 2);
    for c in &shown {
        h.get_by_label(&c.describe(Grading::FourButtons));
        assert!(h.query_all_by_label(&c.keys()).next().is_some(), "{c:?}");
    }
    // Nothing else is listed: each row is a command's keys and description.
    let described: Vec<String> = shown
        .iter()
        .map(|c| c.describe(Grading::FourButtons))
        .collect();
    let distinct: std::collections::HashSet<&String> = described.iter().collect();
    assert_eq!(
        distinct.len(),
        shown.len(),
        "two commands with one description"
    );
    h.event(egui::Event::Text("?".into()));
    h.run();
    assert!(h.query_by_label("Shortcuts").is_none());
    // Six grades: 0 to 5, by their names.
    let six: Vec<String> = (0..=5)
        .map(|d| Command::Grade(d).describe(Grading::SixGrades))
        .collect();
    assert_eq!(
        six,
        [
            "Answer Blackout",
            "Answer Wrong",
            "Answer Almost",
            "Answer Hard",
            "Answer Good",
            "Answer Perfect"
        ]
    );
}

#[test]
fn the_deck_list_answers_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    let decks = |h: &Harness<'_, AwscardsApp>| -> (String, Vec<String>) {
        let Screen::Decks(d) = h.state().screen() else {
            panic!("on Decks")
        };
        (
            d.chosen().unwrap().deck.clone(),
            d.rows().iter().map(|r| r.deck.clone()).collect(),
        )
    };
    let (first, rows) = decks(&h);
    assert_eq!(first, rows[0], "the top deck is chosen at first");
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::ArrowDown);
    assert_eq!(decks(&h).0, rows[2]);
    press(&mut h, Key::ArrowUp);
    assert_eq!(decks(&h).0, rows[1]);
    // Up at the top stays there.
    for _ in 0..5 {
        press(&mut h, Key::ArrowUp);
    }
    assert_eq!(decks(&h).0, rows[0]);
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::Enter);
    assert_eq!(review(&h).session().title(), rows[1]);
    press(&mut h, Key::Escape);
    // B and / open Browse (its search field ready), T the statistics.
    for (key, screen) in [
        (Key::B, "Browse"),
        (Key::Slash, "Browse"),
        (Key::T, "Stats"),
    ] {
        press(&mut h, key);
        let on = match h.state().screen() {
            Screen::Browse(_) => "Browse",
            Screen::Stats(_) => "Stats",
            _ => "other",
        };
        assert_eq!(on, screen, "{key:?}");
        press(&mut h, Key::Escape);
        assert!(matches!(h.state().screen(), Screen::Decks(_)));
    }
}

#[test]
fn tab_goes_left_to_right_through_the_top_bars() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    let focused_x = |h: &mut Harness<'_, AwscardsApp>| -> (String, f64) {
        h.key_press(Key::Tab);
        h.run();
        let node = h.get_by(|n| n.is_focused());
        let x = node.accesskit_node().bounding_box().unwrap().x0;
        (node.accesskit_node().label().unwrap_or_default(), x)
    };
    let order: Vec<(String, f64)> = (0..8).map(|_| focused_x(&mut h)).collect();
    let names: Vec<&str> = order.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Add", "Browse", "Stats", "Import", "Export", "Settings", "Sync", "?"
        ]
    );
    assert!(order.windows(2).all(|w| w[0].1 < w[1].1), "{order:?}");
    // The review's top bar: Decks, then the counts' neighbours, Card info, Undo, ?.
    press(&mut h, Key::Escape);
    study_all(&mut h);
    let order: Vec<(String, f64)> = (0..3).map(|_| focused_x(&mut h)).collect();
    assert!(order.windows(2).all(|w| w[0].1 < w[1].1), "{order:?}");
}

#[test]
fn an_error_shown_while_a_job_holds_the_collection_offers_dismiss_not_retry() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"));
    // A search that does not parse, on the Stats screen: an error at the top of the window.
    h.get_by_label("Stats").click();
    h.run();
    let field = egui::accesskit::Role::TextInput;
    h.get_by_role(field).click();
    h.run();
    h.get_by_role(field).type_text("(deck:AWS*");
    h.run();
    press(&mut h, Key::Enter);
    assert!(h.query_all_by_label_contains("Error:").next().is_some());
    h.get_by_label("Dismiss");
    // An export runs while the error still shows: the collection is away, but it did not
    // fail to open, so there is nothing to retry.
    press(&mut h, Key::Escape);
    h.get_by_label("Export").click();
    h.run();
    let target = dir.path().join("deck.csv");
    type_path(&mut h, &target);
    h.get_by_label("Export").click();
    h.step();
    assert!(h.state().collection().is_none());
    h.step();
    assert!(h.query_by_label("Retry").is_none());
    h.get_by_label("Dismiss");
    wait_for_collection(&mut h);
    h.run();
    let n = common::bundled_cards().len();
    h.get_by_label(&format!("Exported {n} cards to {}", target.display()));
}
