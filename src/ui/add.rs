//! Add (A from the deck list, as in Anki): a card of the learner's own, written to their facts
//! file and studyable at once. The same form edits one of their cards from Browse.

use crate::ui::commands::Command;
use crate::ui::page::Page;
use egui::{RichText, Ui};

use super::{Job, Nav, outcome, top_bar};
use crate::app::collection::Collection;
use crate::model::own_cards::OwnCard;

/// What closing the window does while one of the learner's cards is saved or deleted.
pub const OWN_FILE_IF_CLOSED: &str = "Closing the window now loses nothing: your file is \
                                      replaced whole, and the next start brings the collection \
                                      in step with it.";

pub struct AddScreen {
    /// The key of the card being edited, and the search of Browse to go back to; None when
    /// adding.
    editing: Option<(String, String)>,
    /// The subject's service id ("" for none).
    subject: String,
    front: String,
    back: String,
    note: String,
    deck: String,
    /// Space-separated.
    tags: String,
    /// The services to choose a subject from: (id, name).
    subjects: Vec<(String, String)>,
    /// What the last save did.
    outcome: Option<Result<String, String>>,
    /// Put the cursor in the question (on opening, and after each card added).
    focus_front: bool,
    /// A save asked for, for the app to run off the UI thread (it re-reads every facts
    /// file: seconds at 100 000 facts).
    job: Option<Job>,
}

impl AddScreen {
    /// The form for a new card.
    pub fn new(coll: &Collection) -> Result<AddScreen, String> {
        Ok(AddScreen {
            editing: None,
            subject: String::new(),
            front: String::new(),
            back: String::new(),
            note: String::new(),
            deck: String::new(),
            tags: String::new(),
            subjects: coll.subjects().map_err(|e| e.to_string())?,
            outcome: None,
            focus_front: true,
            job: None,
        })
    }

    /// The form on the learner's card with `key`; saving goes back to Browse on `back_to`.
    pub fn edit(coll: &Collection, key: &str, back_to: String) -> Result<AddScreen, String> {
        let card = coll.own_card(key).map_err(|e| e.to_string())?;
        Ok(AddScreen {
            editing: Some((key.to_string(), back_to)),
            subject: card.subject.unwrap_or_default(),
            front: card.front,
            back: card.back,
            note: card.note.unwrap_or_default(),
            deck: card.deck.unwrap_or_default(),
            tags: card.tags.join(" "),
            ..AddScreen::new(coll)?
        })
    }

    fn card(&self) -> OwnCard {
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        OwnCard {
            subject: some(&self.subject),
            front: self.front.trim().to_string(),
            back: self.back.trim().to_string(),
            note: some(&self.note),
            deck: some(&self.deck),
            tags: self.tags.split_whitespace().map(str::to_string).collect(),
        }
    }

    /// The fields; true when the card is to be saved (the button, or Ctrl+Enter).
    fn form(&mut self, ui: &mut Ui) -> bool {
        let editing = self.editing.is_some();
        egui::Grid::new("add_form")
            .num_columns(2)
            .spacing([16.0, 10.0])
            .show(ui, |ui| {
                let label = ui.label("Subject");
                let shown = self
                    .subjects
                    .iter()
                    .find(|(id, _)| *id == self.subject)
                    .map_or("(none)", |(_, name)| name.as_str())
                    .to_string();
                // The card's key comes from its subject: it stays when editing.
                ui.add_enabled_ui(!editing, |ui| {
                    egui::ComboBox::from_id_salt("subject")
                        .selected_text(shown)
                        .width(320.0)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut self.subject, String::new(), "(none)");
                            for (id, name) in &self.subjects {
                                ui.selectable_value(&mut self.subject, id.clone(), name);
                            }
                        })
                        .response
                        .labelled_by(label.id)
                        .on_hover_text("The service it is about: its deck and tags follow");
                });
                ui.end_row();
                let field =
                    |ui: &mut Ui, name: &str, text: &mut String, multi: bool, hint: &str| {
                        let label = ui.label(name);
                        let edit = if multi {
                            egui::TextEdit::multiline(text).desired_rows(3)
                        } else {
                            egui::TextEdit::singleline(text)
                        };
                        let response = ui
                            .add(edit.hint_text(hint).desired_width(480.0))
                            .labelled_by(label.id);
                        ui.end_row();
                        response
                    };
                let front = field(ui, "Question", &mut self.front, true, "");
                if std::mem::take(&mut self.focus_front) {
                    front.request_focus();
                }
                field(ui, "Answer", &mut self.back, true, "");
                field(
                    ui,
                    "Note",
                    &mut self.note,
                    false,
                    "optional, shown under the answer",
                );
                field(
                    ui,
                    "Deck",
                    &mut self.deck,
                    false,
                    "the subject's deck, or My cards",
                );
                field(ui, "Tags", &mut self.tags, false, "separated by spaces");
            });
        ui.add_space(8.0);
        let ready = !self.front.trim().is_empty() && !self.back.trim().is_empty();
        let label = if editing { "Save" } else { "Add" };
        let clicked = ui
            .add_enabled(ready, egui::Button::new(label))
            .on_hover_text("Ctrl+Enter")
            .clicked();
        let shortcut = ui.input_mut(|i| {
            i.consume_shortcut(&egui::KeyboardShortcut::new(
                egui::Modifiers::COMMAND,
                egui::Key::Enter,
            ))
        });
        ready && (clicked || shortcut)
    }
}

/// Saves `card` (over the learner's card `editing`, or as a new one); what to tell.
fn save_card(
    coll: &mut Collection,
    editing: Option<&str>,
    card: &OwnCard,
) -> Result<String, String> {
    let e = |e: crate::app::error::AppError| e.to_string();
    match editing {
        Some(key) => coll.edit_card(key, card).map(|()| String::new()).map_err(e),
        None => {
            let key = coll.add_card(card).map_err(e)?;
            let deck = coll
                .card_by_key(&key)
                .ok()
                .flatten()
                .map_or_else(String::new, |c| c.deck);
            Ok(format!("Added to \"{deck}\": {}", card.front))
        }
    }
}

impl Page for AddScreen {
    fn ui(
        &mut self,
        ui: &mut Ui,
        coll: &mut Collection,
        _commands: &[Command],
    ) -> Result<Option<Nav>, String> {
        let title = if self.editing.is_some() {
            "Edit your card"
        } else {
            "Add a card"
        };
        let nav = top_bar(ui, "add_top", title, "Back to the decks (Escape)", |_| {});
        let mut save = false;
        egui::CentralPanel::default().show(ui, |ui| {
            save = self.form(ui);
            ui.add_space(8.0);
            outcome(ui, self.outcome.as_ref());
            ui.add_space(16.0);
            if let Some(file) = coll.own_file() {
                ui.label(
                    RichText::new(format!(
                        "Your cards are kept in {} (the deck's format: edit it by hand too).",
                        file.display()
                    ))
                    .weak(),
                );
            }
        });
        if save {
            let card = self.card();
            let editing = self.editing.as_ref().map(|(key, _)| key.clone());
            self.outcome = None;
            self.job = Some(Job {
                doing: if editing.is_some() {
                    "Saving your card…".into()
                } else {
                    "Adding your card…".into()
                },
                if_closed: OWN_FILE_IF_CLOSED,
                progress: None,
                work: Box::new(move |coll| save_card(coll, editing.as_deref(), &card)),
            });
        }
        Ok(nav)
    }

    /// The save asked for, once.
    fn take_job(&mut self) -> Option<Job> {
        self.job.take()
    }

    /// What the save did; where to go next (Browse, after an edit).
    fn finished(
        &mut self,
        _coll: &Collection,
        outcome: Result<String, String>,
    ) -> Result<Option<Nav>, String> {
        if outcome.is_ok()
            && let Some((_, back_to)) = &self.editing
        {
            return Ok(Some(Nav::BrowseSearch(back_to.clone())));
        }
        if outcome.is_ok() {
            // Ready for the next card: subject, deck and tags stay, as in Anki.
            self.front.clear();
            self.back.clear();
            self.note.clear();
            self.focus_front = true;
        }
        self.outcome = Some(outcome);
        Ok(None)
    }
}
