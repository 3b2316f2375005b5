//! What Browse does to the selected cards: the right-click menu, the dialogs it opens (set due
//! date, add or remove a tag, delete), and each action run on the collection.

use egui::Ui;

use crate::app::collection::Collection;
use crate::model::cardgen::USER_KEY_PREFIX;
use crate::model::own_cards::OwnCard;
use crate::model::stats::count_of;
use crate::ui::Job;

/// What the selection is, for the menu to offer only what applies.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub ids: Vec<i64>,
    /// Keys of the learner's own cards among them (not retired).
    pub own: Vec<String>,
}

/// An action on the selected cards.
#[derive(Debug, Clone, PartialEq)]
pub enum BulkAction {
    Suspend(bool),
    Bury(bool),
    Flag(u8),
    Reset,
    /// Open the dialog that asks how many days from today.
    AskDueDate,
    SetDue(u32),
    /// Open the dialog that asks for a tag: to add (true) or remove.
    AskTag(bool),
    Tag {
        add: bool,
        tag: String,
    },
    /// Open the question "delete these cards of yours?".
    AskDelete,
    Delete,
    /// Bring back the own cards deleted last (Ctrl+Z).
    UndoDelete,
    /// Open Card info of the selected card.
    Info,
}

/// The right-click menu of the selection; the action chosen, if any.
pub fn menu(ui: &mut Ui, sel: &Selection) -> Option<BulkAction> {
    let mut action = None;
    let n = sel.ids.len();
    let mut item = |ui: &mut Ui, text: &str, enabled: bool, a: BulkAction| {
        if ui.add_enabled(enabled, egui::Button::new(text)).clicked() {
            action = Some(a);
        }
    };
    item(ui, "Card info (Enter)", n == 1, BulkAction::Info);
    ui.separator();
    item(ui, "Suspend", true, BulkAction::Suspend(true));
    item(ui, "Unsuspend", true, BulkAction::Suspend(false));
    item(ui, "Bury until tomorrow", true, BulkAction::Bury(true));
    item(ui, "Unbury", true, BulkAction::Bury(false));
    ui.menu_button("Flag", |ui| {
        for (flag, name) in [(1, "Red"), (2, "Orange"), (3, "Green"), (4, "Blue")] {
            item(ui, name, true, BulkAction::Flag(flag));
        }
        item(ui, "No flag", true, BulkAction::Flag(0));
    });
    ui.separator();
    item(ui, "Reset to new", true, BulkAction::Reset);
    item(ui, "Set due date…", true, BulkAction::AskDueDate);
    ui.separator();
    let own = !sel.own.is_empty();
    let hint = "Only your own cards: the deck's come from its facts files";
    for (text, a) in [
        ("Add tag…", BulkAction::AskTag(true)),
        ("Remove tag…", BulkAction::AskTag(false)),
        ("Delete…", BulkAction::AskDelete),
    ] {
        if ui
            .add_enabled(own, egui::Button::new(text))
            .on_disabled_hover_text(hint)
            .clicked()
        {
            action = Some(a);
        }
    }
    if action.is_some() {
        ui.close();
    }
    action
}

/// A dialog a menu item opened.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    DueDate(String),
    Tag { add: bool, text: String },
    Delete(Vec<String>),
}

/// Draws the open dialog; the action it confirms, and whether it is still open.
pub fn dialog(ctx: &egui::Context, dialog: &mut Dialog) -> (Option<BulkAction>, bool) {
    let mut action = None;
    let mut open = true;
    let title = match dialog {
        Dialog::DueDate(_) => "Set due date".to_string(),
        Dialog::Tag { add: true, .. } => "Add a tag".to_string(),
        Dialog::Tag { add: false, .. } => "Remove a tag".to_string(),
        Dialog::Delete(keys) => format!("Delete {} of your cards?", keys.len()),
    };
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            let confirm = match dialog {
                Dialog::DueDate(text) => {
                    ui.label(
                        "Due in how many days (0: today)? New cards keep no schedule to move.",
                    );
                    let field = ui.text_edit_singleline(text);
                    field.request_focus();
                    let days = text.trim().parse::<u32>().ok();
                    if days.is_none() && !text.trim().is_empty() {
                        ui.colored_label(ui.visuals().error_fg_color, "A whole number of days");
                    }
                    days.map(BulkAction::SetDue)
                }
                Dialog::Tag { add, text } => {
                    ui.label("One tag, without spaces (on your own cards only).");
                    ui.text_edit_singleline(text).request_focus();
                    let tag = text.trim();
                    (!tag.is_empty() && !tag.contains(char::is_whitespace)).then(|| {
                        BulkAction::Tag {
                            add: *add,
                            tag: tag.to_string(),
                        }
                    })
                }
                Dialog::Delete(keys) => {
                    ui.label(format!(
                        "{} leave your file; their history is kept, and Ctrl+Z brings them \
                         back.",
                        count_of(keys.len() as u64, "card")
                    ));
                    Some(BulkAction::Delete)
                }
            };
            ui.horizontal(|ui| {
                let ok = if matches!(dialog, Dialog::Delete(_)) {
                    "Yes, delete"
                } else {
                    "OK"
                };
                let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui
                    .add_enabled(confirm.is_some(), egui::Button::new(ok))
                    .clicked()
                    || (enter && confirm.is_some())
                {
                    action = confirm.clone();
                    open = false;
                }
                if ui.button("Cancel").clicked() {
                    open = false;
                }
            });
        });
    (action, open)
}

/// Whether the card with `key` is one of the learner's.
pub fn is_own(key: &str) -> bool {
    key.starts_with(USER_KEY_PREFIX)
}

/// Runs an action that is quick on the collection at once; what it did, in words.
pub fn apply(
    coll: &mut Collection,
    sel: &Selection,
    action: &BulkAction,
) -> Result<String, String> {
    let ids = &sel.ids;
    let n = count_of(ids.len() as u64, "card");
    let e = |e: crate::app::error::AppError| e.to_string();
    Ok(match action {
        BulkAction::Suspend(on) => {
            coll.set_suspended(ids, *on).map_err(e)?;
            format!(
                "{n} cards {}.",
                if *on { "suspended" } else { "unsuspended" }
            )
        }
        BulkAction::Bury(on) => {
            coll.set_buried(ids, *on).map_err(e)?;
            format!(
                "{n} cards {}.",
                if *on {
                    "buried until tomorrow"
                } else {
                    "unburied"
                }
            )
        }
        BulkAction::Flag(flag) => {
            coll.set_flags(ids, *flag).map_err(e)?;
            match crate::ui::flag(*flag) {
                Some(name) => format!("{n} flagged {name}."),
                None => format!("{n} unflagged."),
            }
        }
        BulkAction::Reset => {
            coll.reset_to_new(ids).map_err(e)?;
            format!("{n} made new again; their history is kept.")
        }
        BulkAction::SetDue(days) => {
            let moved = coll.set_due_in(ids, *days).map_err(e)?;
            let left = ids.len() - moved;
            let kept = if left > 0 {
                format!(
                    " {} left as they are: new cards have no schedule to move.",
                    count_of(left as u64, "card")
                )
            } else {
                String::new()
            };
            let when = match days {
                0 => "today".to_string(),
                1 => "tomorrow".to_string(),
                n => format!("in {n} days"),
            };
            format!("{} due {when}.{kept}", count_of(moved as u64, "card"))
        }
        _ => String::new(),
    })
}

/// The job of an action on the learner's files (they re-read every facts file): tag, delete,
/// bring back. `deleted` are the cards a deletion takes out, kept to bring them back.
pub fn job(action: &BulkAction, sel: &Selection, deleted: &[OwnCard]) -> Option<Job> {
    let keys = sel.own.clone();
    let if_closed = crate::ui::add::OWN_FILE_IF_CLOSED;
    match action.clone() {
        BulkAction::Tag { add, tag } => Some(Job {
            doing: format!("{} tag {tag}…", if add { "Adding" } else { "Removing" }),
            if_closed,
            progress: None,
            work: Box::new(move |coll| {
                for key in &keys {
                    let mut card = coll.own_card(key).map_err(|e| e.to_string())?;
                    card.tags.retain(|t| *t != tag);
                    if add {
                        card.tags.push(tag.clone());
                    }
                    coll.edit_card(key, &card).map_err(|e| e.to_string())?;
                }
                Ok(format!(
                    "Tag {tag} {} {} cards.",
                    if add { "added to" } else { "taken off" },
                    keys.len()
                ))
            }),
        }),
        BulkAction::Delete => Some(Job {
            doing: "Deleting your cards…".into(),
            if_closed,
            progress: None,
            work: Box::new(move |coll| {
                for key in &keys {
                    coll.delete_card(key).map_err(|e| e.to_string())?;
                }
                Ok(format!(
                    "{} cards deleted. Ctrl+Z brings them back.",
                    keys.len()
                ))
            }),
        }),
        BulkAction::UndoDelete => {
            let cards = deleted.to_vec();
            Some(Job {
                doing: "Bringing your cards back…".into(),
                if_closed,
                progress: None,
                work: Box::new(move |coll| {
                    for card in &cards {
                        coll.add_card(card).map_err(|e| e.to_string())?;
                    }
                    Ok(format!(
                        "{} back, with their history.",
                        count_of(cards.len() as u64, "card")
                    ))
                }),
            })
        }
        _ => None,
    }
}
