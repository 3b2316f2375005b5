//! The detail pane of a card: its fields, its review history, and Edit/Delete for the
//! learner's own cards.

use egui::{RichText, Ui};

use crate::model::card::{LogEntry, StoredCard};

/// What the detail panel asks of a card of the learner's.
pub(super) enum OwnAction {
    Edit(String),
    Delete(String),
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
                action = Some(OwnAction::Delete(card.key.clone()));
            }
        });
    } else {
        ui.label(
            RichText::new(
                "A card of the bundled deck: read-only here. Wrong or outdated? Its fact is in \
                 the deck's files (cards/*.toml in the source); a --facts folder of your own \
                 replaces them.",
            )
            .weak()
            .small(),
        );
    }
    ui.separator();
    action
}

pub(super) fn detail_ui(ui: &mut Ui, card: &StoredCard, log: &[LogEntry]) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.label(RichText::new(&card.front).size(16.0));
        ui.separator();
        ui.label(RichText::new(&card.back).size(16.0).strong());
        if let Some(note) = &card.note {
            ui.label(RichText::new(note).italics());
        }
        ui.add_space(8.0);
        ui.label(RichText::new(&card.deck).weak());
        ui.label(RichText::new(card.tags.join(" ")).weak());
        ui.label(RichText::new(&card.key).weak().monospace());
        crate::ui::source_link(ui, card);
        let s = &card.state;
        let mut state = if s.is_new {
            "New".to_string()
        } else {
            format!(
                "Due {} · interval {}d · ease {:.2} · repetitions {} · lapses {}",
                s.due, s.interval, s.ease, s.repetitions, s.lapses
            )
        };
        if card.suspended {
            state.push_str(" · suspended");
        }
        if card.retired {
            state.push_str(" · retired (its fact was removed)");
        }
        ui.label(state);
        ui.add_space(8.0);
        ui.label(RichText::new(format!("Review history ({})", log.len())).strong());
        egui::Grid::new("history").striped(true).show(ui, |ui| {
            for h in ["When", "Kind", "Grade", "New interval", "New ease"] {
                ui.label(RichText::new(h).weak());
            }
            ui.end_row();
            for l in log.iter().rev() {
                let when = l
                    .reviewed_at
                    .get(..16)
                    .unwrap_or(&l.reviewed_at)
                    .replace('T', " ");
                ui.label(when);
                ui.label(format!("{:?}", l.kind).to_lowercase());
                ui.label(l.quality.to_string());
                ui.label(format!("{}d", l.interval_after));
                ui.label(format!("{:.2}", l.ease_after));
                ui.end_row();
            }
        });
    });
}
