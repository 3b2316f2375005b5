//! The Stats screen: today, the forecast, the review heatmap, retention, and cards by state and
//! ease, for the whole collection, a deck, a filtered deck or a search. Charts are egui_plot's.

use crate::ui::commands::Command;
use crate::ui::page::Page;
use chrono::Datelike;
use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, GridMark, Heatmap, Plot, PlotPoint};

use super::{DUE_COLOR, NEW_COLOR, Nav};
use crate::app::collection::{CardScope, Collection};
use crate::model::decks::with_parents;
use crate::model::stats::{self, HeatmapGrid, StatsReport, Tally, Windows, percent};

/// How far the forecast chart looks ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Month,
    Year,
}

pub struct StatsScreen {
    scope: CardScope,
    /// Decks and filtered decks to choose from (names).
    decks: Vec<String>,
    filtered: Vec<String>,
    search: String,
    report: StatsReport,
    grid: HeatmapGrid,
    span: Span,
}

impl StatsScreen {
    pub fn new(coll: &Collection) -> Result<StatsScreen, String> {
        let today = coll.today();
        let decks = with_parents(&coll.deck_names().map_err(|e| e.to_string())?);
        let filtered = coll
            .filtered_decks()
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|f| f.name)
            .collect();
        let report = coll
            .stats_report(&CardScope::All)
            .map_err(|e| e.to_string())?;
        Ok(StatsScreen {
            grid: grid_of(&report, today),
            scope: CardScope::All,
            decks,
            filtered,
            search: String::new(),
            report,
            span: Span::Month,
        })
    }

    pub fn report(&self) -> &StatsReport {
        &self.report
    }

    pub fn scope(&self) -> &CardScope {
        &self.scope
    }

    /// Shows the statistics of another scope (an error leaves the current ones).
    pub fn set_scope(&mut self, coll: &Collection, scope: CardScope) -> Result<(), String> {
        self.report = coll.stats_report(&scope).map_err(|e| e.to_string())?;
        self.grid = grid_of(&self.report, coll.today());
        self.scope = scope;
        Ok(())
    }

    fn scope_picker(&mut self, ui: &mut Ui) -> Option<CardScope> {
        let mut wanted = None;
        let shown = match &self.scope {
            CardScope::All => "Whole collection".to_string(),
            CardScope::Deck(d) => d.clone(),
            CardScope::Filtered(f) => format!("{f} (filtered)"),
            CardScope::Search(q) => format!("search: {q}"),
        };
        egui::ComboBox::from_label("Cards")
            .selected_text(shown)
            .width(280.0)
            .show_ui(ui, |ui| {
                if ui.selectable_label(false, "Whole collection").clicked() {
                    wanted = Some(CardScope::All);
                }
                for f in &self.filtered {
                    if ui
                        .selectable_label(false, format!("{f} (filtered)"))
                        .clicked()
                    {
                        wanted = Some(CardScope::Filtered(f.clone()));
                    }
                }
                for deck in &self.decks {
                    if ui.selectable_label(false, deck).clicked() {
                        wanted = Some(CardScope::Deck(deck.clone()));
                    }
                }
            });
        let field = ui.add(
            egui::TextEdit::singleline(&mut self.search)
                .hint_text("or a search, then Enter")
                .desired_width(220.0),
        );
        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            wanted = Some(if self.search.trim().is_empty() {
                CardScope::All
            } else {
                CardScope::Search(self.search.trim().to_string())
            });
        }
        wanted
    }

    fn today(&self, ui: &mut Ui) {
        let r = &self.report;
        let t = &r.today;
        ui.heading("Today");
        let again = t
            .again_rate
            .map_or(String::new(), |a| format!(", {} of them Again", percent(a)));
        ui.label(format!(
            "Studied {} cards ({} answers) in {:.1} minutes{again}.",
            t.cards,
            t.answers,
            t.time_ms as f64 / 60_000.0
        ));
        ui.label(format!(
            "Streak: {} in a row (longest {}).",
            plural(r.streak_days as usize, "day"),
            r.longest_streak_days
        ));
    }

    fn forecast(&mut self, ui: &mut Ui) {
        let r = &self.report;
        ui.horizontal(|ui| {
            ui.heading("Forecast");
            ui.selectable_value(&mut self.span, Span::Month, "1 month");
            ui.selectable_value(&mut self.span, Span::Year, "1 year");
        });
        let due = |days: usize| r.forecast.iter().take(days).map(|d| d.due).sum::<u32>();
        let tomorrow = r.forecast.get(1).map_or(0, |d| d.due);
        ui.label(format!(
            "Overdue: {}. Due today: {}, tomorrow: {tomorrow}, in 7 days: {}, in 30 days: {}.",
            r.overdue,
            due(1),
            due(7),
            due(30)
        ));
        // Days from today (0) on; in the year view, weeks. Overdue cards are in the line above
        // only: one tall bar would flatten the rest.
        let (unit, bars): (&str, Vec<Bar>) = match self.span {
            Span::Month => (
                "day",
                r.forecast
                    .iter()
                    .take(30)
                    .enumerate()
                    .map(|(i, d)| {
                        Bar::new(i as f64, f64::from(d.due)).name(d.day.format("%a %-d %b"))
                    })
                    .collect(),
            ),
            Span::Year => (
                "week",
                r.forecast
                    .chunks(7)
                    .enumerate()
                    .map(|(i, week)| {
                        let n: u32 = week.iter().map(|d| d.due).sum();
                        let from = week.first().map(|d| d.day.format("week of %-d %b"));
                        Bar::new(i as f64, f64::from(n))
                            .name(from.map(|f| f.to_string()).unwrap_or_default())
                    })
                    .collect(),
            ),
        };
        let due_chart = BarChart::new("Due", bars).color(DUE_COLOR);
        Plot::new("forecast")
            .height(160.0)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .include_y(0.0)
            .x_axis_label(format!("{unit}s from today"))
            .show(ui, |plot| plot.bar_chart(due_chart));
    }

    fn heatmap(&self, ui: &mut Ui) {
        let days = &self.report.heatmap;
        let total: u32 = days.iter().map(|d| d.reviews).sum();
        let busiest = days.iter().max_by_key(|d| d.reviews);
        ui.heading("Reviews in the last 12 months");
        ui.label(match busiest {
            Some(b) => format!(
                "{total} answers on {}; the busiest, {}, had {}.",
                plural(days.len(), "day"),
                b.day.format("%-d %b %Y"),
                b.reviews
            ),
            None => "No answers in the last 12 months.".to_string(),
        });
        let grid = &self.grid;
        let weeks = grid.weeks as usize;
        if weeks == 0 {
            return;
        }
        // Rows from the bottom: Sunday first, so that Monday is the top row. Days outside the
        // 12 months are -1 (not drawn).
        let mut values = vec![-1.0; weeks * 7];
        for c in &grid.cells {
            let row = 6 - c.weekday as usize;
            if let Some(v) = values.get_mut(row * weeks + c.week as usize) {
                *v = f64::from(c.level);
            }
        }
        let weak = ui.visuals().widgets.noninteractive.bg_stroke.color;
        let shades = [
            weak,
            Color32::from_rgb(0x9b, 0xe9, 0xa8),
            Color32::from_rgb(0x40, 0xc4, 0x63),
            Color32::from_rgb(0x30, 0xa1, 0x4e),
            Color32::from_rgb(0x21, 0x6e, 0x39),
        ];
        let map = Heatmap::new(values, weeks)
            .custom_mapping(Box::new(move |v| {
                if v < 0.0 {
                    Color32::TRANSPARENT
                } else {
                    shades[(v as usize).min(4)]
                }
            }))
            .show_labels(false)
            .name("answers");
        // Month names under the week a month starts in; Mon, Wed, Fri beside their rows.
        let months: Vec<(f64, String)> = grid
            .cells
            .iter()
            .filter(|c| c.day.day() == 1)
            .map(|c| (f64::from(c.week), c.day.format("%b").to_string()))
            .collect();
        let month_marks: Vec<f64> = months.iter().map(|m| m.0).collect();
        let days = [(6.5, "Mon"), (4.5, "Wed"), (2.5, "Fri")];
        // Labels show for marks far enough apart on screen: months are 4+ weeks apart, the
        // labelled weekdays 2 rows.
        let mark = |value: f64, step_size: f64| GridMark { value, step_size };
        let response = Plot::new("heatmap")
            .height(150.0)
            .data_aspect(1.0)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .show_grid(false)
            .x_grid_spacer(move |_| month_marks.iter().map(|v| mark(*v, 4.0)).collect())
            .y_grid_spacer(move |_| days.iter().map(|(v, _)| mark(*v, 2.0)).collect())
            .x_axis_formatter(move |m, _| {
                months
                    .iter()
                    .find(|(w, _)| *w == m.value)
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default()
            })
            .y_axis_formatter(move |m, _| {
                days.iter()
                    .find(|(v, _)| *v == m.value)
                    .map(|(_, name)| (*name).to_string())
                    .unwrap_or_default()
            })
            .show_x(false)
            .show_y(false)
            .show(ui, |plot| {
                plot.heatmap(map);
                plot.pointer_coordinate()
            });
        // Which day the pointer is on, and its count.
        if let Some(p) = response.inner
            && let Some(cell) = cell_at(grid, p)
        {
            response.response.on_hover_text_at_pointer(format!(
                "{}: {} answers",
                cell.day.format("%A %-d %B %Y"),
                cell.reviews
            ));
        }
    }

    fn retention(&self, ui: &mut Ui) {
        let r = &self.report;
        ui.heading("Retention");
        ui.label(
            RichText::new(format!(
                "Reviews passed (Hard or better) of young cards (interval under {} days) and \
                 mature ones, over the last 7, 30 and 365 days.",
                stats::MATURE_DAYS
            ))
            .weak(),
        );
        egui::Grid::new("retention")
            .num_columns(7)
            .spacing([16.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                ui.label("");
                for who in ["Young", "Mature"] {
                    for days in Windows::DAYS {
                        ui.label(RichText::new(format!("{who} {days} d")).strong());
                    }
                }
                ui.end_row();
                retention_row(ui, "This selection", &r.retention);
                for d in &r.retention_by_deck {
                    retention_row(ui, &d.deck, &d.retention);
                }
            });
    }

    fn cards(&self, ui: &mut Ui) {
        let r = &self.report;
        ui.heading("Cards");
        ui.label(RichText::new("Ease of the cards in review").strong());
        let bars: Vec<Bar> = r
            .ease_histogram
            .iter()
            .map(|b| {
                Bar::new(b.ease + 0.05, f64::from(b.cards))
                    .width(0.09)
                    .name(format!("ease {:.1}–{:.1}", b.ease, b.ease + 0.1))
            })
            .collect();
        Plot::new("ease")
            .height(140.0)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .include_y(0.0)
            .include_x(1.3)
            .x_axis_label("ease")
            .show(ui, |plot| {
                plot.bar_chart(BarChart::new("Cards", bars).color(NEW_COLOR));
            });
        ui.add_space(8.0);
        egui::Grid::new("states")
            .num_columns(8)
            .spacing([16.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                for h in [
                    "Deck",
                    "New",
                    "Learning",
                    "Young",
                    "Mature",
                    "Suspended",
                    "Retired",
                    "Total",
                ] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for d in &r.states_by_deck {
                    states_row(ui, &d.deck, &d.counts);
                }
                if r.states_by_deck.len() > 1 {
                    states_row(ui, "All of them", &r.states);
                }
            });
    }
}

/// The grid of the report's heatmap days (as of `today`).
fn grid_of(report: &StatsReport, today: chrono::NaiveDate) -> HeatmapGrid {
    let days = report.heatmap.iter().map(|d| (d.day, d.reviews)).collect();
    stats::heatmap_grid(&days, today)
}

/// The cell under a point of the heatmap's plot (tiles are 1 x 1 from the origin; row 0 at
/// the bottom is Sunday).
fn cell_at(grid: &HeatmapGrid, p: PlotPoint) -> Option<&stats::HeatCell> {
    if p.x < 0.0 || p.y < 0.0 || p.y >= 7.0 {
        return None;
    }
    let week = p.x.floor() as u32;
    let weekday = 6 - p.y.floor() as u32;
    grid.cell(week, weekday)
}

fn retention_row(ui: &mut Ui, name: &str, r: &stats::Retention) {
    ui.label(name);
    for w in [&r.young, &r.mature] {
        for i in 0..Windows::DAYS.len() {
            tally_cell(ui, w.get(i));
        }
    }
    ui.end_row();
}

fn tally_cell(ui: &mut Ui, t: Tally) {
    match t.rate() {
        Some(rate) => {
            ui.label(percent(rate))
                .on_hover_text(format!("{} of {} passed", t.passed, t.reviews));
        }
        None => {
            ui.label(RichText::new("–").weak());
        }
    }
}

fn states_row(ui: &mut Ui, name: &str, c: &stats::StateCounts) {
    ui.label(name);
    for n in [
        c.new,
        c.learning,
        c.young,
        c.mature,
        c.suspended,
        c.retired,
        c.total(),
    ] {
        ui.label(n.to_string());
    }
    ui.end_row();
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

impl Page for StatsScreen {
    fn ui(
        &mut self,
        ui: &mut Ui,
        coll: &mut Collection,
        _commands: &[Command],
    ) -> Result<Option<Nav>, String> {
        let mut wanted = None;
        let nav = super::top_bar(
            ui,
            "stats_top",
            "Statistics",
            "Back to the decks (Esc)",
            |ui| {
                ui.add_space(16.0);
                wanted = self.scope_picker(ui);
            },
        );
        if let Some(scope) = wanted {
            self.set_scope(coll, scope)?;
        }
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                self.today(ui);
                ui.add_space(12.0);
                self.forecast(ui);
                ui.add_space(12.0);
                self.heatmap(ui);
                ui.add_space(12.0);
                self.retention(ui);
                ui.add_space(12.0);
                self.cards(ui);
            });
        });
        Ok(nav)
    }
}
