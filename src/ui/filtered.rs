//! The filtered-deck editor: name, search (with a live match count and the parse error shown
//! as the user types), limit, order and mode.

use crate::ui::commands::Command;
use crate::ui::page::Page;
use egui::{RichText, Ui};

use super::{Nav, top_bar};
use crate::app::collection::Collection;
use crate::model::filtered::{FilteredDeck, Mode, Order};
use crate::model::search;

pub struct FilteredScreen {
    draft: FilteredDeck,
    /// The query, limit, order and mode the preview was computed for.
    previewed: Option<FilteredDeck>,
    /// (cards matching, cards it would study today), or the query's error.
    preview: Result<(u32, u32), String>,
    error: Option<String>,
}

impl FilteredScreen {
    /// Edits the filtered deck named `name`, or a new one.
    pub fn open(coll: &Collection, name: Option<&str>) -> Result<FilteredScreen, String> {
        let draft = match name {
            Some(n) => coll.filtered_deck(n).map_err(|e| e.to_string())?,
            None => FilteredDeck::default(),
        };
        Ok(FilteredScreen {
            draft,
            previewed: None,
            preview: Ok((0, 0)),
            error: None,
        })
    }

    pub fn preview(&self) -> &Result<(u32, u32), String> {
        &self.preview
    }

    fn refresh_preview(&mut self, coll: &Collection) {
        if self.previewed.as_ref() == Some(&self.draft) {
            return;
        }
        self.previewed = Some(self.draft.clone());
        let today = coll.today();
        self.preview = match search::parse(&self.draft.query) {
            Err(e) => Err(format!("Search {e}")),
            Ok(q) => {
                let matching = coll.count_matching(&q, today);
                let studied = coll.filtered_cards(&self.draft, &q, today);
                match (matching, studied) {
                    (Ok(m), Ok(s)) => Ok((m, s.len() as u32)),
                    (Err(e), _) | (_, Err(e)) => Err(e.to_string()),
                }
            }
        };
    }
}

impl Page for FilteredScreen {
    fn ui(
        &mut self,
        ui: &mut Ui,
        coll: &mut Collection,
        _commands: &[Command],
    ) -> Result<Option<Nav>, String> {
        let title = if self.draft.id.is_some() {
            "Edit filtered deck"
        } else {
            "New filtered deck"
        };
        let mut nav = top_bar(
            ui,
            "filtered_top",
            title,
            "Back without saving (Escape)",
            |_| {},
        );
        let mut save = false;
        let mut delete = false;
        egui::CentralPanel::default().show(ui, |ui| {
            let d = &mut self.draft;
            egui::Grid::new("filtered_form")
                .num_columns(2)
                .spacing([24.0, 12.0])
                .show(ui, |ui| {
                    let label = ui.label("Name");
                    ui.add(egui::TextEdit::singleline(&mut d.name).desired_width(360.0))
                        .labelled_by(label.id);
                    ui.end_row();

                    let label = ui.label("Search");
                    ui.add(
                        egui::TextEdit::singleline(&mut d.query)
                            .hint_text("e.g. deck:\"AWS Big Data::Integrations\" kinesis -is:new")
                            .desired_width(360.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();

                    let label = ui.label("Limit");
                    ui.add(
                        egui::DragValue::new(&mut d.limit)
                            .range(1..=100_000)
                            .suffix(" cards"),
                    )
                    .labelled_by(label.id);
                    ui.end_row();

                    let label = ui.label("Order");
                    egui::ComboBox::from_id_salt("order")
                        .selected_text(d.order.label())
                        .show_ui(ui, |ui| {
                            for o in Order::ALL {
                                ui.selectable_value(&mut d.order, o, o.label());
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();

                    ui.label("Mode");
                    ui.vertical(|ui| {
                        ui.radio_value(
                            &mut d.mode,
                            Mode::Scheduled,
                            "Scheduled: cards due today and new cards; answers reschedule them",
                        );
                        ui.radio_value(
                            &mut d.mode,
                            Mode::Cram,
                            "Cram: every matching card; answers are logged and change no schedule",
                        );
                    });
                    ui.end_row();
                });
            ui.add_space(12.0);
            self.refresh_preview(coll);
            match &self.preview {
                Ok((matching, studied)) => {
                    ui.label(format!("{matching} cards match; {studied} to study today."));
                }
                Err(e) => {
                    ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
                }
            }
            if let Some(e) = &self.error {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                let valid = self.preview.is_ok() && !self.draft.name.trim().is_empty();
                if ui.add_enabled(valid, egui::Button::new("Save")).clicked() {
                    save = true;
                }
                if self.draft.id.is_some() && ui.button("Delete").clicked() {
                    delete = true;
                }
            });
        });
        if save {
            match coll.save_filtered_deck(&self.draft) {
                Ok(_) => nav = Some(Nav::Decks),
                Err(e) => self.error = Some(e.to_string()),
            }
        }
        if delete && let Some(id) = self.draft.id {
            coll.delete_filtered_deck(id).map_err(|e| e.to_string())?;
            nav = Some(Nav::Decks);
        }
        Ok(nav)
    }
}
