//! The Browse screen: every card in a virtualised, sortable table, filtered by the search
//! language; a detail pane with the review history; suspend, unsuspend and reset on the
//! selection.

use std::collections::HashSet;

use egui::{Align, Layout, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::{Nav, back_and_title};
use crate::app::collection::Collection;
use crate::model::card::{BrowseRow, LogEntry, StoredCard};
use crate::model::search;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Deck,
    Front,
    Due,
    Interval,
    Ease,
    Lapses,
    Reviews,
}

const COLUMNS: [(SortBy, &str); 7] = [
    (SortBy::Front, "Front"),
    (SortBy::Deck, "Deck"),
    (SortBy::Due, "Due"),
    (SortBy::Interval, "Interval"),
    (SortBy::Ease, "Ease"),
    (SortBy::Lapses, "Lapses"),
    (SortBy::Reviews, "Reviews"),
];

pub struct BrowseScreen {
    query: String,
    /// The query the rows were loaded for.
    loaded_query: Option<String>,
    error: Option<String>,
    rows: Vec<BrowseRow>,
    sort: (SortBy, bool),
    selected: HashSet<i64>,
    /// Row index of the last plain click, for Shift+click ranges.
    anchor: Option<usize>,
    detail: Option<(StoredCard, Vec<LogEntry>)>,
}

impl BrowseScreen {
    pub fn new(coll: &Collection, query: &str) -> Result<BrowseScreen, String> {
        let mut s = BrowseScreen {
            query: query.to_string(),
            loaded_query: None,
            error: None,
            rows: Vec::new(),
            sort: (SortBy::Due, false),
            selected: HashSet::new(),
            anchor: None,
            detail: None,
        };
        s.reload(coll)?;
        Ok(s)
    }

    pub fn rows(&self) -> &[BrowseRow] {
        &self.rows
    }

    /// Re-runs the search (when it parses) and keeps the selection of cards still shown.
    fn reload(&mut self, coll: &Collection) -> Result<(), String> {
        self.loaded_query = Some(self.query.clone());
        let q = match search::parse(&self.query) {
            Ok(q) => q,
            Err(e) => {
                self.error = Some(format!("Search {e}"));
                return Ok(());
            }
        };
        self.error = None;
        self.rows = coll.browse(&q, coll.today()).map_err(|e| e.to_string())?;
        self.sort_rows();
        let shown: HashSet<i64> = self.rows.iter().map(|r| r.id).collect();
        self.selected.retain(|id| shown.contains(id));
        self.anchor = None;
        self.load_detail(coll)
    }

    fn load_detail(&mut self, coll: &Collection) -> Result<(), String> {
        self.detail = match self.selected.iter().next() {
            Some(&id) if self.selected.len() == 1 => {
                let card = coll.card(id).map_err(|e| e.to_string())?;
                let log = coll.card_log(id).map_err(|e| e.to_string())?;
                Some((card, log))
            }
            _ => None,
        };
        Ok(())
    }

    fn sort_rows(&mut self) {
        let (by, descending) = self.sort;
        self.rows.sort_by(|a, b| {
            let o = match by {
                SortBy::Deck => a.deck.cmp(&b.deck),
                SortBy::Front => a.front.to_lowercase().cmp(&b.front.to_lowercase()),
                // New cards (no due day) after every scheduled card.
                SortBy::Due => {
                    (a.due_day.is_none(), a.due_day).cmp(&(b.due_day.is_none(), b.due_day))
                }
                SortBy::Interval => a.interval.cmp(&b.interval),
                SortBy::Ease => a.ease.total_cmp(&b.ease),
                SortBy::Lapses => a.lapses.cmp(&b.lapses),
                SortBy::Reviews => a.reviews.cmp(&b.reviews),
            };
            let o = o.then(a.id.cmp(&b.id));
            if descending { o.reverse() } else { o }
        });
    }

    fn click_row(&mut self, index: usize, modifiers: egui::Modifiers) {
        let Some(id) = self.rows.get(index).map(|r| r.id) else {
            return;
        };
        if modifiers.shift
            && let Some(anchor) = self.anchor
        {
            let (a, b) = (anchor.min(index), anchor.max(index));
            self.selected = self.rows[a..=b].iter().map(|r| r.id).collect();
        } else if modifiers.command {
            if !self.selected.remove(&id) {
                self.selected.insert(id);
            }
            self.anchor = Some(index);
        } else {
            self.selected = HashSet::from([id]);
            self.anchor = Some(index);
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, coll: &mut Collection) -> Result<Option<Nav>, String> {
        let (nav, action) = self.top_bar(ui);
        if self.loaded_query.as_deref() != Some(self.query.as_str()) {
            self.reload(coll)?;
        }

        self.detail_panel(ui);
        let (clicked, sort_clicked) = self.table(ui);

        if let Some(by) = sort_clicked {
            self.sort = if self.sort.0 == by {
                (by, !self.sort.1)
            } else {
                (by, false)
            };
            self.sort_rows();
            self.anchor = None;
        }
        if let Some((index, modifiers)) = clicked {
            self.click_row(index, modifiers);
            self.load_detail(coll)?;
        }
        if let Some(action) = action {
            let ids: Vec<i64> = self.selected.iter().copied().collect();
            let result = match action {
                BulkAction::Suspend => coll.set_suspended(&ids, true),
                BulkAction::Unsuspend => coll.set_suspended(&ids, false),
                BulkAction::Reset => coll.reset_to_new(&ids),
            };
            result.map_err(|e| e.to_string())?;
            self.reload(coll)?;
        }
        Ok(nav)
    }

    /// Back, the search field and the count; the selection's bulk actions.
    fn top_bar(&mut self, ui: &mut Ui) -> (Option<Nav>, Option<BulkAction>) {
        let mut nav = None;
        let mut action = None;
        egui::Panel::top("browse_top").show(ui, |ui| {
            ui.horizontal(|ui| {
                if back_and_title(ui, "Browse", "Back to the decks (Escape)") {
                    nav = Some(Nav::Decks);
                }
                let search = egui::TextEdit::singleline(&mut self.query)
                    .hint_text("Search, e.g. tag:instance-family is:due")
                    .desired_width(360.0);
                ui.add(search).on_hover_text(
                    "words, \"phrases\", deck:, tag:, is:new/due/review/repeat/suspended/retired, \
                     prop:ivl>=10, rated:7:1, added:3, or, -, ( )",
                );
                ui.label(format!("{} cards", self.rows.len()));
            });
            if let Some(e) = &self.error {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
            ui.horizontal(|ui| {
                let any = !self.selected.is_empty();
                ui.label(format!("{} selected", self.selected.len()));
                if ui.add_enabled(any, egui::Button::new("Suspend")).clicked() {
                    action = Some(BulkAction::Suspend);
                }
                if ui
                    .add_enabled(any, egui::Button::new("Unsuspend"))
                    .clicked()
                {
                    action = Some(BulkAction::Unsuspend);
                }
                if ui
                    .add_enabled(any, egui::Button::new("Reset to new"))
                    .on_hover_text("Forget the schedule; the review history is kept")
                    .clicked()
                {
                    action = Some(BulkAction::Reset);
                }
            });
            ui.add_space(4.0);
        });
        (nav, action)
    }

    /// The selected card with its review history.
    fn detail_panel(&self, ui: &mut Ui) {
        egui::Panel::right("browse_detail")
            .default_size(260.0)
            .show(ui, |ui| match &self.detail {
                Some((card, log)) => detail_ui(ui, card, log),
                None => {
                    ui.add_space(8.0);
                    ui.label(
                        RichText::new(match self.selected.len() {
                            0 => "Select a card to see it with its review history.".to_string(),
                            n => format!("{n} cards selected."),
                        })
                        .weak(),
                    );
                }
            });
    }

    /// The rows, sortable by column: the row clicked (with its modifiers) and the column
    /// whose header was clicked.
    fn table(&self, ui: &mut Ui) -> (Option<(usize, egui::Modifiers)>, Option<SortBy>) {
        let mut clicked: Option<(usize, egui::Modifiers)> = None;
        let mut sort_clicked: Option<SortBy> = None;
        egui::CentralPanel::default().show(ui, |ui| {
            // Rows are clicked to select them, not to select their text.
            ui.style_mut().interaction.selectable_labels = false;
            let text_height = egui::TextStyle::Body.resolve(ui.style()).size + 8.0;
            // Due, interval, ease, lapses, reviews: as wide as their contents need.
            let numbers = [86.0, 60.0, 48.0, 56.0, 62.0];
            let deck = 150.0;
            let spacing = 8.0 * ui.spacing().item_spacing.x;
            let front =
                (ui.available_width() - numbers.iter().sum::<f32>() - deck - spacing).max(160.0);
            TableBuilder::new(ui)
                .striped(true)
                .resizable(true)
                .sense(egui::Sense::click())
                .cell_layout(Layout::left_to_right(Align::Center))
                .column(Column::initial(front).at_least(120.0).clip(true))
                .column(Column::initial(deck).at_least(80.0).clip(true))
                .column(Column::initial(numbers[0]).at_least(40.0))
                .column(Column::initial(numbers[1]).at_least(40.0))
                .column(Column::initial(numbers[2]).at_least(40.0))
                .column(Column::initial(numbers[3]).at_least(40.0))
                .column(Column::initial(numbers[4]).at_least(40.0))
                .header(24.0, |mut header| {
                    for (by, name) in COLUMNS {
                        header.col(|ui| {
                            let text = RichText::new(name).strong();
                            let button = ui
                                .add(egui::Button::new(text).frame(false))
                                .on_hover_text(format!("Sort by {}", name.to_lowercase()));
                            if button.clicked() {
                                sort_clicked = Some(by);
                            }
                            // The arrow is in the monospace font, which has the glyph.
                            match self.sort {
                                (s, false) if s == by => ui.label(RichText::new("▲").monospace()),
                                (s, true) if s == by => ui.label(RichText::new("▼").monospace()),
                                _ => ui.label(""),
                            };
                        });
                    }
                })
                .body(|body| {
                    body.rows(text_height, self.rows.len(), |mut row| {
                        let r = &self.rows[row.index()];
                        row.set_selected(self.selected.contains(&r.id));
                        let dim = |t: String| {
                            if r.suspended || r.retired {
                                RichText::new(t).weak().italics()
                            } else {
                                RichText::new(t)
                            }
                        };
                        row.col(|ui| {
                            ui.label(dim(r.front.replace('\n', " ")));
                        });
                        row.col(|ui| {
                            let leaf = r.deck.rsplit("::").next().unwrap_or(&r.deck);
                            ui.label(dim(leaf.to_string())).on_hover_text(&r.deck);
                        });
                        row.col(|ui| {
                            let due = match r.due_day {
                                _ if r.is_new => "new".to_string(),
                                Some(d) => d.format("%Y-%m-%d").to_string(),
                                None => String::new(),
                            };
                            ui.label(dim(due));
                        });
                        row.col(|ui| {
                            ui.label(dim(format!("{}d", r.interval)));
                        });
                        row.col(|ui| {
                            ui.label(dim(format!("{:.2}", r.ease)));
                        });
                        row.col(|ui| {
                            ui.label(dim(r.lapses.to_string()));
                        });
                        row.col(|ui| {
                            ui.label(dim(r.reviews.to_string()));
                        });
                        let response = row.response();
                        if response.clicked() {
                            clicked = Some((row.index(), ui_modifiers(&response)));
                        }
                    });
                });
        });
        (clicked, sort_clicked)
    }
}

fn ui_modifiers(response: &egui::Response) -> egui::Modifiers {
    response.ctx.input(|i| i.modifiers)
}

#[derive(Debug, Clone, Copy)]
enum BulkAction {
    Suspend,
    Unsuspend,
    Reset,
}

fn detail_ui(ui: &mut Ui, card: &StoredCard, log: &[LogEntry]) {
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
        if let Some(source) = &card.source {
            ui.label(RichText::new(format!("Source: {source}")).weak());
        }
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
