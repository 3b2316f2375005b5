//! The Decks screen: the deck tree with today's counts, like Anki's.

use crate::ui::commands::Command;
use crate::ui::page::Page;
use std::collections::HashSet;

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::{DUE_COLOR, NEW_COLOR, Nav, REPEAT_COLOR, count_text};
use crate::app::collection::{Collection, FilteredCount};
use crate::model::decks::DeckRow;

#[derive(Default)]
pub struct DecksScreen {
    /// Computed when the screen opens (not every frame).
    rows: Vec<DeckRow>,
    filtered: Vec<FilteredCount>,
    today: Option<NaiveDate>,
    next_due: Option<NaiveDate>,
    collapsed: HashSet<String>,
}

impl DecksScreen {
    pub fn open(coll: &Collection) -> Result<DecksScreen, String> {
        let mut s = DecksScreen::default();
        s.refresh(coll)?;
        Ok(s)
    }

    pub fn rows(&self) -> &[DeckRow] {
        &self.rows
    }

    pub fn filtered(&self) -> &[FilteredCount] {
        &self.filtered
    }

    fn refresh(&mut self, coll: &Collection) -> Result<(), String> {
        let today = coll.today();
        self.rows = coll.deck_tree(today).map_err(|e| e.to_string())?;
        self.filtered = coll.filtered_counts(today).map_err(|e| e.to_string())?;
        self.next_due = coll.next_due_day("", today).map_err(|e| e.to_string())?;
        self.today = Some(today);
        Ok(())
    }

    /// "Nothing due today" and when the next card is, when nothing is left for today.
    fn nothing_due_line(&self) -> Option<String> {
        let left: u32 = self
            .rows
            .iter()
            .filter(|r| r.depth == 0)
            .map(|r| r.new + r.repeat + r.due)
            .sum();
        if left > 0 {
            return None;
        }
        let today = self.today?;
        Some(match self.next_due {
            Some(day) if day == today.succ_opt().unwrap_or(day) => {
                "Nothing is due today. The next cards are due tomorrow.".to_string()
            }
            Some(day) => format!(
                "Nothing is due today. The next cards are due on {} (in {} days).",
                day.format("%A %-d %B"),
                (day - today).num_days()
            ),
            None => "Nothing is due: every card is new or waiting for tomorrow's new-card limit."
                .to_string(),
        })
    }

    fn filtered_list(&self, ui: &mut Ui, nav: &mut Option<Nav>) {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Filtered decks").strong().size(16.0));
            if ui.button("New filtered deck").clicked() {
                *nav = Some(Nav::EditFiltered(None));
            }
        });
        ui.add_space(4.0);
        if self.filtered.is_empty() {
            ui.label(
                RichText::new("None yet: a filtered deck studies the cards of a search.").weak(),
            );
            return;
        }
        egui::Grid::new("filtered_decks")
            .num_columns(5)
            .spacing([24.0, 8.0])
            .striped(true)
            .show(ui, |ui| {
                for (deck, count) in &self.filtered {
                    let name = RichText::new(&deck.name).size(16.0);
                    if ui.link(name).on_hover_text(&deck.query).clicked() {
                        *nav = Some(Nav::StudyFiltered(deck.name.clone()));
                    }
                    ui.label(RichText::new(deck.mode.as_str()).weak());
                    match count {
                        Ok(n) => {
                            let n = *n as usize;
                            ui.label(count_text(n, DUE_COLOR))
                                .on_hover_text("cards to study today");
                        }
                        Err(e) => {
                            ui.label(RichText::new("error").color(ui.visuals().error_fg_color))
                                .on_hover_text(e);
                        }
                    }
                    let study = ui
                        .button("Study")
                        .on_hover_text(format!("Study {}", deck.name));
                    if study.clicked() {
                        *nav = Some(Nav::StudyFiltered(deck.name.clone()));
                    }
                    if ui
                        .button("Edit")
                        .on_hover_text(format!("Edit {}", deck.name))
                        .clicked()
                    {
                        *nav = Some(Nav::EditFiltered(Some(deck.name.clone())));
                    }
                    ui.end_row();
                }
            });
    }

    fn tree(&mut self, ui: &mut Ui, nav: &mut Option<Nav>) {
        egui::Grid::new("deck_tree")
            .num_columns(5)
            .spacing([24.0, 8.0])
            .striped(true)
            .show(ui, |ui| {
                ui.label(RichText::new("Deck").strong());
                ui.label(RichText::new("New").strong());
                ui.label(RichText::new("Repeat").strong());
                ui.label(RichText::new("Due").strong());
                ui.label("");
                ui.end_row();

                let mut hidden_under: Option<String> = None;
                for (i, row) in self.rows.iter().enumerate() {
                    if let Some(prefix) = &hidden_under {
                        if row.deck.starts_with(prefix.as_str()) {
                            continue;
                        }
                        hidden_under = None;
                    }
                    let has_children = self
                        .rows
                        .get(i + 1)
                        .is_some_and(|next| next.deck.starts_with(&format!("{}::", row.deck)));
                    let collapsed = self.collapsed.contains(&row.deck);
                    if collapsed {
                        hidden_under = Some(format!("{}::", row.deck));
                    }
                    ui.horizontal(|ui| {
                        ui.add_space(row.depth as f32 * 20.0);
                        let toggle_size = egui::vec2(20.0, 20.0);
                        if has_children {
                            let sign = if collapsed { "+" } else { "−" };
                            let toggle = ui
                                .add_sized(toggle_size, egui::Button::new(sign))
                                .on_hover_text(if collapsed { "Expand" } else { "Collapse" });
                            if toggle.clicked() {
                                if collapsed {
                                    self.collapsed.remove(&row.deck);
                                } else {
                                    self.collapsed.insert(row.deck.clone());
                                }
                            }
                        } else {
                            ui.allocate_exact_size(toggle_size, egui::Sense::hover());
                        }
                        let name = RichText::new(&row.name).size(16.0);
                        if ui
                            .link(name)
                            .on_hover_text(format!("Study {}", row.deck))
                            .clicked()
                        {
                            *nav = Some(Nav::Study(row.deck.clone()));
                        }
                    });
                    ui.label(count_text(row.new as usize, NEW_COLOR));
                    ui.label(count_text(row.repeat as usize, REPEAT_COLOR));
                    ui.label(count_text(row.due as usize, DUE_COLOR));
                    let study = ui.button("Study");
                    let study = study.on_hover_text(format!("Study {}", row.deck));
                    if study.clicked() {
                        *nav = Some(Nav::Study(row.deck.clone()));
                    }
                    ui.end_row();
                }
            });
    }
}

impl Page for DecksScreen {
    fn commands(&self) -> &'static [Command] {
        &[Command::Back, Command::Add]
    }

    fn ui(
        &mut self,
        ui: &mut Ui,
        coll: &mut Collection,
        _commands: &[Command],
    ) -> Result<Option<Nav>, String> {
        // The study day may have rolled over while the window stood open.
        if self.today != Some(coll.today()) {
            self.refresh(coll)?;
        }
        let mut nav = None;
        egui::Panel::top("decks_top").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Decks");
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button("Settings").clicked() {
                        nav = Some(Nav::Settings);
                    }
                    if ui
                        .button("Stats")
                        .on_hover_text("Forecast, review history, retention and card counts")
                        .clicked()
                    {
                        nav = Some(Nav::Stats);
                    }
                    if ui
                        .button("Browse")
                        .on_hover_text("Search and manage every card")
                        .clicked()
                    {
                        nav = Some(Nav::Browse);
                    }
                    if ui
                        .button("Add")
                        .on_hover_text("Add a card of your own (A)")
                        .clicked()
                    {
                        nav = Some(Nav::AddCard);
                    }
                    if ui
                        .button("Import")
                        .on_hover_text("Bring back answers made in Anki (an .apkg or .colpkg)")
                        .clicked()
                    {
                        nav = Some(Nav::Import);
                    }
                    if ui
                        .button("Export")
                        .on_hover_text("Write cards to an Anki package or a CSV file")
                        .clicked()
                    {
                        nav = Some(Nav::Export);
                    }
                });
            });
        });
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    self.tree(ui, &mut nav);
                    ui.add_space(16.0);
                    if let Some(line) = self.nothing_due_line() {
                        ui.label(line);
                    }
                    ui.add_space(24.0);
                    self.filtered_list(ui, &mut nav);
                });
        });
        Ok(nav)
    }
}
