//! A deck's options, as Anki's: its preset (shared with other decks, or its own), the
//! preset's daily limits, which hold for the deck and its subdecks, and how the deck's own
//! cards are answered (related cards buried, leeches).

use egui::{RichText, Ui};

use crate::app::collection::Collection;
use crate::model::limits::{AnswerOptions, DEFAULT_PRESET, Limits, Preset};
use crate::model::settings::LeechAction;

/// The window's state while it is open.
pub struct DeckOptions {
    deck: String,
    presets: Vec<Preset>,
    /// The preset chosen, by name (a name no preset has: a new one).
    chosen: String,
    /// The deck's preset when the window opened.
    current: String,
    limits: Limits,
    options: AnswerOptions,
    /// Decks per preset name.
    users: std::collections::HashMap<String, usize>,
    error: Option<String>,
}

/// What the window asks for.
pub enum Asked {
    Nothing,
    Close,
    /// Saved: the deck list's counts are to be read again.
    Saved,
}

impl DeckOptions {
    pub fn open(coll: &Collection, deck: &str) -> Result<DeckOptions, String> {
        let e = |e: crate::app::error::AppError| e.to_string();
        let preset = coll.deck_preset(deck).map_err(e)?;
        Ok(DeckOptions {
            deck: deck.to_string(),
            presets: coll.presets().map_err(e)?,
            chosen: preset.name.clone(),
            current: preset.name,
            limits: preset.limits,
            options: preset.options,
            users: coll.preset_users().map_err(e)?,
            error: None,
        })
    }

    /// The window; Saved once the choice is saved (in one transaction).
    pub fn window(&mut self, ctx: &egui::Context, coll: &mut Collection) -> Asked {
        let mut open = true;
        let mut asked = Asked::Nothing;
        egui::Window::new(format!("Options: {}", self.deck))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| asked = self.ui(ui, coll));
        if open { asked } else { Asked::Close }
    }

    fn ui(&mut self, ui: &mut Ui, coll: &mut Collection) -> Asked {
        let mut asked = Asked::Nothing;
        ui.label(
            "The limits hold for this deck and its subdecks together; the other options for \
             the deck's own cards.",
        );
        ui.add_space(8.0);
        let own = self.deck.clone();
        egui::Grid::new("deck_options")
            .num_columns(2)
            .spacing([16.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label("Preset");
                let was = self.chosen.clone();
                egui::ComboBox::from_id_salt("deck_preset")
                    .selected_text(&self.chosen)
                    .show_ui(ui, |ui| {
                        for p in &self.presets {
                            ui.selectable_value(&mut self.chosen, p.name.clone(), &p.name);
                        }
                        if !self.presets.iter().any(|p| p.name == own) {
                            ui.selectable_value(
                                &mut self.chosen,
                                own.clone(),
                                "A preset of its own",
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if was != self.chosen {
                    // The chosen preset's options (a new one starts from the ones shown).
                    if let Some(p) = self.presets.iter().find(|p| p.name == self.chosen) {
                        self.limits = p.limits;
                        self.options = p.options;
                    }
                }
                ui.end_row();
                let label = ui.label("New cards/day");
                ui.add(egui::DragValue::new(&mut self.limits.new).range(0..=9999))
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Reviews/day");
                ui.add(egui::DragValue::new(&mut self.limits.reviews).range(0..=99999))
                    .labelled_by(label.id);
                ui.end_row();
                answer_options_rows(ui, &mut self.options);
            });
        let others = self
            .users
            .get(&self.chosen)
            .copied()
            .unwrap_or(0)
            .saturating_sub(usize::from(self.current == self.chosen));
        let note = if self.chosen == DEFAULT_PRESET {
            "The Default preset: every deck not given another.".to_string()
        } else if self.presets.iter().all(|p| p.name != self.chosen) {
            format!("A new preset, \"{}\".", self.chosen)
        } else if others > 0 {
            format!("Shared: changing it changes {others} other deck(s) too.")
        } else {
            String::new()
        };
        if !note.is_empty() {
            ui.label(RichText::new(note).weak());
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                match coll.save_deck_options(&self.deck, &self.chosen, self.limits, self.options) {
                    Ok(_) => asked = Asked::Saved,
                    Err(e) => self.error = Some(e.to_string()),
                }
            }
            if ui.button("Cancel").clicked() {
                asked = Asked::Close;
            }
        });
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
        }
        asked
    }
}

/// A preset's answer options, two rows of a grid: siblings buried, and leeches.
pub(super) fn answer_options_rows(ui: &mut Ui, o: &mut AnswerOptions) {
    ui.label("Siblings");
    ui.checkbox(
        &mut o.bury_siblings,
        "Once a card is answered, keep the rest of its fact or list for another day",
    );
    ui.end_row();
    let label = ui.label("Leech after");
    ui.horizontal(|ui| {
        ui.add(
            egui::DragValue::new(&mut o.leech_threshold)
                .range(0..=99)
                .suffix(" lapses"),
        )
        .labelled_by(label.id)
        .on_hover_text("0: never. Then again every half of it, as in Anki");
        ui.radio_value(&mut o.leech_action, LeechAction::Suspend, "Suspend and tag");
        ui.radio_value(&mut o.leech_action, LeechAction::TagOnly, "Tag only");
    });
    ui.end_row();
}
