//! Browse as a learner coming from Anki uses it: the table at small and large windows, the
//! keyboard, the right-click menu, and `B` from a review and back.

use crate::common;
use std::path::Path;

use awscards::ui::browse::BrowseScreen;
use awscards::ui::{AwscardsApp, Screen, Source};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

const NOW: &str = "2026-06-01T10:00:00+02:00";

fn app(db: &Path, size: [f32; 2]) -> Harness<'static, AwscardsApp> {
    let coll = common::seeded_collection(db, NOW);
    let mut h = Harness::builder()
        .with_size(size)
        .build_eframe(move |_cc| AwscardsApp::new(Ok(coll), Source::default()));
    h.run();
    h
}

fn browse<'h>(h: &'h Harness<'_, AwscardsApp>) -> &'h BrowseScreen {
    match h.state().screen() {
        Screen::Browse(b) => b,
        _ => panic!("not on Browse"),
    }
}

/// Browse opened from the decks, its rows loaded.
fn open_browse(h: &mut Harness<'_, AwscardsApp>) {
    h.get_by_label("Browse").click();
    h.run();
    assert!(!browse(h).loading());
}

const DEFAULT_COLUMNS: [&str; 8] = [
    "Question", "Answer", "Deck", "Due", "Interval", "Ease", "Lapses", "Reviews",
];

#[test]
fn every_column_is_reachable_at_800_and_the_question_has_room_at_1280() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"), [800.0, 600.0]);
    open_browse(&mut h);
    for name in DEFAULT_COLUMNS {
        h.get_by_label(name).scroll_to_me();
        h.run();
        let r = h.get_by_label(name).rect();
        assert!(
            r.min.x >= 0.0 && r.max.x <= 800.0,
            "{name} header out of reach: {r:?}"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"), [1280.0, 900.0]);
    open_browse(&mut h);
    // Question, Answer and Deck share the free width; the question takes the most of it.
    let x = |name: &str| h.get_by_label(name).rect().min.x;
    let (question, answer, due) = (x("Question"), x("Answer"), x("Due"));
    let share = (answer - question) / (due - question);
    assert!(
        share >= 0.4,
        "the question column has {:.0}% of the text columns' width",
        share * 100.0
    );
    assert!(answer - question >= 280.0, "{}", answer - question);
    // All of them on screen at once.
    for name in DEFAULT_COLUMNS {
        assert!(h.get_by_label(name).rect().max.x <= 1280.0, "{name}");
    }
}

#[test]
fn arrow_keys_move_and_extend_the_selection_and_enter_opens_card_info() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"), [1280.0, 900.0]);
    open_browse(&mut h);
    let ids: Vec<i64> = browse(&h).rows().map(|r| r.id).collect();
    let selected = |h: &Harness<'_, AwscardsApp>| {
        let mut s: Vec<i64> = browse(h).selected().iter().copied().collect();
        s.sort_by_key(|id| ids.iter().position(|i| i == id));
        s
    };
    // The search field has the keys first: Enter runs the search and lets them go.
    h.key_press(Key::Enter);
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(selected(&h), [ids[0]]);
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(selected(&h), [ids[1]]);
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
    h.run();
    assert_eq!(selected(&h), ids[1..4]);
    h.key_press(Key::ArrowUp);
    h.run();
    assert_eq!(selected(&h), [ids[2]]);
    // Enter: Card info of that card, in a window.
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label("Card info");
    assert!(h.query_all_by_label_contains("Review history (").count() >= 1);
}

/// Right-clicks the row whose question starts with `text` (the pointer first moved off any
/// tooltip that repeats the text; the detail pane on the right repeats it too).
fn right_click_row(h: &mut Harness<'_, AwscardsApp>, text: &str) {
    h.hover_at(egui::pos2(2.0, 2.0));
    h.run();
    let at = h
        .query_all_by_label_contains(text)
        .map(|n| n.rect())
        .min_by(|a, b| a.min.x.total_cmp(&b.min.x))
        .expect("the row")
        .center();
    h.hover_at(at);
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
}

#[test]
fn the_right_click_menu_flags_buries_and_suspends_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"), [1280.0, 900.0]);
    open_browse(&mut h);
    let first = browse(&h).rows().next().unwrap().clone();
    // A right-click on a row selects it and opens the menu.
    right_click_row(&mut h, &first.front[..30]);
    assert_eq!(
        browse(&h).selected().iter().copied().collect::<Vec<_>>(),
        [first.id]
    );
    h.get_by_label("Flag").hover();
    h.run();
    h.get_by_label("Red").click();
    h.run();
    h.get_by_label("1 card flagged red.");
    let card =
        |h: &Harness<'_, AwscardsApp>| h.state().collection().unwrap().card(first.id).unwrap();
    assert_eq!(card(&h).flag, 1);
    let row = browse(&h)
        .rows()
        .find(|r| r.id == first.id)
        .unwrap()
        .clone();
    assert_eq!(row.flag, 1, "the row shows its flag at once");

    right_click_row(&mut h, &first.front[..30]);
    h.get_by_label("Bury until tomorrow").click();
    h.run();
    let coll = h.state().collection().unwrap();
    let buried = coll.store().buried(coll.today()).unwrap();
    assert!(buried.contains(&first.id));
    assert!(browse(&h).rows().find(|r| r.id == first.id).unwrap().buried);
    // Own cards only: the deck's cards cannot be tagged or deleted from here.
    right_click_row(&mut h, &first.front[..30]);
    assert!(h.get_by_label("Delete…").accesskit_node().is_disabled());
    h.get_by_label("Suspend").click();
    h.run();
    assert!(card(&h).suspended);
}

#[test]
fn b_in_review_opens_browse_on_the_card_and_back_returns_to_the_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(&dir.path().join("c.sqlite"), [1280.0, 900.0]);
    h.query_all_by_label("Study").next().unwrap().click();
    h.run();
    h.key_press(Key::Space);
    h.run();
    let (card, answered) = match h.state().screen() {
        Screen::Review(r) => (r.card().unwrap().clone(), r.session().answered().len()),
        _ => panic!("not reviewing"),
    };
    h.key_press(Key::B);
    h.run();
    let b = browse(&h);
    assert!(b.from_review());
    assert_eq!(b.selected().iter().copied().collect::<Vec<_>>(), [card.id]);
    assert!(b.rows().any(|r| r.id == card.id));
    h.key_press(Key::Escape);
    h.run();
    match h.state().screen() {
        Screen::Review(r) => {
            assert_eq!(r.card().map(|c| c.id), Some(card.id));
            assert!(r.revealed(), "the answer is still shown");
            assert_eq!(r.session().answered().len(), answered);
        }
        _ => panic!("not back in the review"),
    }
}
