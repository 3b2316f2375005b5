//! The detail pane of a card: its fields, Edit/Delete for the learner's own cards, and its
//! Card info with the review history.

use egui::{RichText, Ui};

use crate::model::card::StoredCard;
use crate::model::card_info::CardInfo;

/// What the detail panel asks of a card of the learner's.
pub(super) enum OwnAction {
    Edit(String),
    /// Ask to delete it (the selection's Delete).
    Delete,
}

/// Edit and Delete for a card of the learner's; for the deck's, where to correct it.
pub(super) fn own_actions(ui: &mut Ui, card: &StoredCard) -> Option<OwnAction> {
    let mut action = None;
    if card.key.starts_with(crate::model::cardgen::USER_KEY_PREFIX) {
        if card.retired {
            return None;
        }
        ui.horizontal(|ui| {
            if ui
                .button("Edit")
                .on_hover_text("Reword it; its history stays")
                .clicked()
            {
                action = Some(OwnAction::Edit(card.key.clone()));
            }
            if ui
                .button("Delete")
                .on_hover_text("Take it out of your file: retired, its history kept")
                .clicked()
            {
                action = Some(OwnAction::Delete);
            }
        });
    } else {
        ui.label(
            RichText::new(
                "A card of the bundled deck: read-only here. Wrong or outdated? Its fact is in \
                 the deck's files (cards/*.toml in the source); a --facts folder of your own \
                 replaces them.",
            )
            .weak(),
        );
    }
    ui.separator();
    action
}

pub(super) fn detail_ui(ui: &mut Ui, card: &StoredCard, info: &CardInfo) {
    // The pane keeps the width it was given: what is wider scrolls, never widens it.
    egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
        ui.label(RichText::new(&card.front).size(16.0));
        ui.separator();
        ui.label(RichText::new(&card.back).size(16.0).strong());
        if let Some(note) = &card.note {
            ui.label(RichText::new(note).italics());
        }
        if !card.tags.is_empty() {
            ui.label(RichText::new(card.tags.join(" ")).weak());
        }
        if card.retired {
            ui.label(RichText::new("Retired: its fact was removed.").weak());
        }
        ui.add_space(8.0);
        crate::ui::card_info::show(ui, card, info);
    });
}
