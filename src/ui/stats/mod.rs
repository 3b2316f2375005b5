//! The Stats screen: today, the forecast, the review calendar, retention and true retention,
//! cards by state, ease and interval, answer buttons, hours and cards added, for the whole
//! collection, a deck, a filtered deck or a search. Bar charts are egui_plot's (`charts.rs`);
//! the calendar is drawn cell by cell (`calendar.rs`).

mod calendar;
mod charts;

use crate::ui::commands::Command;
use crate::ui::page::Page;
use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart};

use super::Nav;
use super::theme::palette;
use crate::app::collection::{CardScope, Collection};
use crate::model::decks::with_parents;
use crate::model::stats::{self, HeatmapGrid, StatsReport, Windows, count_of, percent, thousands};

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
    /// The day the report is of (the charts count back from it).
    today: chrono::NaiveDate,
    /// Set when a report is shown anew: the next frame starts at the top.
    to_top: bool,
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
            today,
            to_top: true,
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
        self.today = coll.today();
        self.grid = grid_of(&self.report, self.today);
        self.scope = scope;
        self.to_top = true;
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
            thousands(t.cards),
            thousands(t.answers),
            t.time_ms as f64 / 60_000.0
        ));
        ui.label(format!(
            "Streak: {} in a row (longest {}).",
            count_of(r.streak_days, "day"),
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
            "Overdue: {}. Due today: {}, tomorrow: {}, in 7 days: {}, in 30 days: {}.",
            thousands(r.overdue),
            thousands(due(1)),
            thousands(tomorrow),
            thousands(due(7)),
            thousands(due(30))
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
        let due_chart = BarChart::new("Due", bars).color(palette(ui.visuals()).due);
        charts::chart("forecast", 160.0, &format!("{unit}s from today"))
            .show(ui, |plot| plot.bar_chart(due_chart));
    }

    fn heatmap(&self, ui: &mut Ui) {
        let days = &self.report.heatmap;
        let total: u32 = days.iter().map(|d| d.reviews).sum();
        let busiest = days.iter().max_by_key(|d| d.reviews);
        ui.heading("Reviews in the last 12 months");
        ui.label(match busiest {
            Some(b) => format!(
                "{} answers on {}; the busiest, {}, had {}.",
                thousands(total),
                count_of(days.len() as u64, "day"),
                b.day.format("%-d %b %Y"),
                thousands(b.reviews)
            ),
            None => "No answers in the last 12 months.".to_string(),
        });
        calendar::show(ui, &self.grid, busiest.map_or(0, |b| b.reviews));
    }

    fn retention(&self, ui: &mut Ui) {
        let r = &self.report;
        ui.heading("Retention");
        ui.label(
            RichText::new(format!(
                "Reviews passed (Hard or better) of young cards (interval under {} days) and \
                 mature ones, over the last 7, 30 and 365 days. – means no reviews in that \
                 period.",
                stats::MATURE_DAYS
            ))
            .weak(),
        );
        // Wide tables scroll sideways in a narrow window rather than lose their last columns.
        egui::ScrollArea::horizontal()
            .id_salt("retention_scroll")
            .show(ui, |ui| {
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
            });
    }

    fn cards(&self, ui: &mut Ui) {
        let r = &self.report;
        ui.heading("Cards");
        charts::ease(ui, r);
        ui.add_space(8.0);
        egui::ScrollArea::horizontal()
            .id_salt("states_scroll")
            .show(ui, |ui| {
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
            });
    }
}

/// The grid of the report's heatmap days (as of `today`).
fn grid_of(report: &StatsReport, today: chrono::NaiveDate) -> HeatmapGrid {
    let days = report.heatmap.iter().map(|d| (d.day, d.reviews)).collect();
    stats::heatmap_grid(&days, today)
}

fn retention_row(ui: &mut Ui, name: &str, r: &stats::Retention) {
    ui.label(name);
    for w in [&r.young, &r.mature] {
        for i in 0..Windows::DAYS.len() {
            charts::tally_cell(ui, w.get(i));
        }
    }
    ui.end_row();
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
        ui.label(thousands(n));
    }
    ui.end_row();
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
            let mut area = egui::ScrollArea::vertical();
            if std::mem::take(&mut self.to_top) {
                area = area.vertical_scroll_offset(0.0);
            }
            area.show(ui, |ui| {
                self.today(ui);
                ui.add_space(12.0);
                self.forecast(ui);
                ui.add_space(12.0);
                self.heatmap(ui);
                ui.add_space(12.0);
                self.retention(ui);
                ui.add_space(12.0);
                charts::true_retention(ui, &self.report.true_retention);
                ui.add_space(12.0);
                self.cards(ui);
                ui.add_space(12.0);
                charts::intervals(ui, &self.report.intervals);
                ui.add_space(12.0);
                charts::buttons(ui, &self.report);
                ui.add_space(12.0);
                charts::hours(ui, &self.report);
                ui.add_space(12.0);
                charts::added(ui, &self.report, self.today);
            });
        });
        Ok(nav)
    }
}
