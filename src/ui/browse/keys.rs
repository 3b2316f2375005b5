//! The keyboard and the actions of Browse: the arrow keys move the selection, Enter opens
//! Card info, Delete and Ctrl+Z delete and bring back the learner's cards; an action runs at
//! once, through a dialog, or as a job.

use egui::{Key, Modifiers, Ui};

use super::BrowseScreen;
use super::actions::{self, BulkAction, Dialog, Selection};
use crate::app::collection::Collection;
use crate::model::card::BrowseRow;

impl BrowseScreen {
    /// Up/Down move the selection a row (Shift extends it), Home/End to the ends; Enter opens
    /// Card info; Delete asks to delete the learner's selected cards; Ctrl+Z brings back the
    /// cards deleted last. Not while a text field has the keys.
    pub(super) fn keys(&mut self, ui: &Ui) -> Option<BulkAction> {
        if ui.ctx().memory(|m| m.focused().is_some()) || self.dialog.is_some() {
            return None;
        }
        let last = self.order.len().checked_sub(1);
        let (to, shift, action) = ui.input_mut(|i| {
            let shift = i.modifiers.shift;
            let mods = if shift {
                Modifiers::SHIFT
            } else {
                Modifiers::NONE
            };
            let from = self.cursor;
            let to = last.and_then(|last| {
                if i.consume_key(mods, Key::ArrowDown) {
                    Some(from.map_or(0, |c| (c + 1).min(last)))
                } else if i.consume_key(mods, Key::ArrowUp) {
                    Some(from.map_or(0, |c| c.saturating_sub(1)))
                } else if i.consume_key(mods, Key::Home) {
                    Some(0)
                } else if i.consume_key(mods, Key::End) {
                    Some(last)
                } else {
                    None
                }
            });
            let action = if i.consume_key(Modifiers::NONE, Key::Enter) {
                Some(BulkAction::Info)
            } else if i.consume_key(Modifiers::NONE, Key::Delete) {
                Some(BulkAction::AskDelete)
            } else if i.consume_key(Modifiers::COMMAND, Key::Z) {
                Some(BulkAction::UndoDelete)
            } else {
                None
            };
            (to, shift, action)
        });
        if let Some(to) = to {
            let mods = if shift {
                Modifiers::SHIFT
            } else {
                Modifiers::NONE
            };
            if !shift || self.anchor.is_none() {
                self.anchor = Some(to);
            }
            self.click_row(to, mods);
            self.scroll_to = Some(to);
        }
        action
    }

    /// The selected cards, and which of them are the learner's.
    pub(super) fn selection(&self) -> Selection {
        let rows: Vec<&BrowseRow> = self
            .rows()
            .filter(|r| self.selected.contains(&r.id))
            .collect();
        Selection {
            ids: rows.iter().map(|r| r.id).collect(),
            own: rows
                .iter()
                .filter(|r| actions::is_own(&r.key) && !r.retired)
                .map(|r| r.key.clone())
                .collect(),
        }
    }

    /// Runs an action on the selection: at once, through a dialog, or as a job.
    pub(super) fn act(&mut self, coll: &mut Collection, action: BulkAction) -> Result<(), String> {
        let sel = self.selection();
        match action {
            BulkAction::Info => self.info_window = self.detail.is_some(),
            BulkAction::AskDueDate if !sel.ids.is_empty() => {
                self.dialog = Some(Dialog::DueDate("0".into()));
            }
            BulkAction::AskTag(add) if !sel.own.is_empty() => {
                self.dialog = Some(Dialog::Tag {
                    add,
                    text: String::new(),
                });
            }
            BulkAction::AskDelete if !sel.own.is_empty() => {
                self.dialog = Some(Dialog::Delete(sel.own.clone()));
            }
            BulkAction::Delete => {
                self.deleted = sel
                    .own
                    .iter()
                    .map(|key| coll.own_card(key))
                    .collect::<Result<_, _>>()
                    .map_err(|e| e.to_string())?;
                self.job = actions::job(&action, &sel, &self.deleted);
            }
            BulkAction::UndoDelete if !self.deleted.is_empty() => {
                self.job = actions::job(&action, &sel, &std::mem::take(&mut self.deleted));
            }
            BulkAction::Tag { .. } => self.job = actions::job(&action, &sel, &[]),
            BulkAction::AskDueDate
            | BulkAction::AskTag(_)
            | BulkAction::AskDelete
            | BulkAction::UndoDelete => {}
            _ if sel.ids.is_empty() => {}
            _ => {
                self.message = Some(actions::apply(coll, &sel, &action)?);
                self.search(coll)?;
            }
        }
        Ok(())
    }
}
