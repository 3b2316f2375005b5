//! The Decks screen: the deck tree with today's counts, like Anki's.

use crate::ui::commands::Command;
use crate::ui::page::Page;
use std::collections::HashSet;

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::theme::palette;
use super::{Nav, count_text};
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
    /// The deck Up/Down chose and Enter studies: an index into `rows`.
    chosen: usize,
    /// Up/Down moved the choice this frame: scroll to it.
    chosen_moved: bool,
    show_help: bool,
    /// A deck's options window, when open.
    options: Option<super::deck_options::DeckOptions>,
    /// The sync login window, when open.
    sync_login: Option<super::sync::SyncDialog>,
    /// Set by a sync the server asked a full sync of; then the window asks which side wins.
    full_asked: super::sync::FullAsked,
    choose_full: bool,
    /// A sync asked for, for the app to run off the UI thread.
    job: Option<super::Job>,
    /// What the last sync said.
    synced: Option<Result<String, String>>,
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

    /// The deck Enter studies.
    pub fn chosen(&self) -> Option<&DeckRow> {
        self.rows.get(self.chosen)
    }

    /// The rows shown: those under a collapsed deck are not.
    fn visible(&self) -> Vec<usize> {
        let mut shown = Vec::new();
        let mut hidden_under: Option<String> = None;
        for (i, row) in self.rows.iter().enumerate() {
            if let Some(prefix) = &hidden_under {
                if row.deck.starts_with(prefix.as_str()) {
                    continue;
                }
                hidden_under = None;
            }
            if self.collapsed.contains(&row.deck) {
                hidden_under = Some(format!("{}::", row.deck));
            }
            shown.push(i);
        }
        shown
    }

    /// Moves the choice `by` shown rows (up when negative), within the list.
    fn choose(&mut self, by: isize) {
        let shown = self.visible();
        let at = shown.iter().position(|&i| i >= self.chosen).unwrap_or(0);
        let to = at
            .saturating_add_signed(by)
            .min(shown.len().saturating_sub(1));
        if let Some(&i) = shown.get(to) {
            self.chosen = i;
            self.chosen_moved = true;
        }
    }

    /// Sync: at once with the login kept, else the login window first.
    fn sync(&mut self, coll: &Collection) {
        let Some(path) = coll.sync_login_path() else {
            self.synced = Some(Err("a collection in memory has nothing to sync".into()));
            return;
        };
        match crate::app::sync::saved_login(&path) {
            Ok(Some(_)) => {
                self.job = Some(super::sync::job(path, None, None, self.full_asked.clone()));
            }
            Ok(None) => self.sync_login = Some(super::sync::SyncDialog::default()),
            Err(e) => self.synced = Some(Err(e.to_string())),
        }
    }

    /// What this frame's keys ask for.
    fn keys(&mut self, commands: &[Command], coll: &Collection) -> Option<Nav> {
        for c in commands {
            match c {
                Command::Up => self.choose(-1),
                Command::Down => self.choose(1),
                Command::Open => return self.chosen().map(|r| Nav::Study(r.deck.clone())),
                Command::BrowseAll | Command::Search => return Some(Nav::Browse),
                Command::Stats => return Some(Nav::Stats),
                Command::Sync => self.sync(coll),
                Command::Help => self.show_help = !self.show_help,
                _ => {}
            }
        }
        None
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
                            ui.label(count_text(n, palette(ui.visuals()).due))
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

    fn tree(&mut self, ui: &mut Ui, nav: &mut Option<Nav>, open_options: &mut Option<String>) {
        egui::Grid::new("deck_tree")
            .num_columns(6)
            .spacing([24.0, 8.0])
            .striped(true)
            .show(ui, |ui| {
                ui.label(RichText::new("Deck").strong());
                ui.label(RichText::new("New").strong());
                ui.label(RichText::new("Repeat").strong());
                ui.label(RichText::new("Due").strong());
                ui.label("");
                ui.label("");
                ui.end_row();

                for i in self.visible() {
                    let row = &self.rows[i];
                    let has_children = self
                        .rows
                        .get(i + 1)
                        .is_some_and(|next| next.deck.starts_with(&format!("{}::", row.deck)));
                    let collapsed = self.collapsed.contains(&row.deck);
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
                        let mut name = RichText::new(&row.name).size(16.0);
                        let chosen = i == self.chosen;
                        if chosen {
                            // As a selected row: the selection's colours (Enter studies it).
                            let sel = ui.visuals().selection;
                            name = name.background_color(sel.bg_fill).color(sel.stroke.color);
                        }
                        let link = ui
                            .link(name)
                            .on_hover_text(format!("Study {} (Enter when chosen)", row.deck));
                        if chosen && std::mem::take(&mut self.chosen_moved) {
                            link.scroll_to_me(None);
                        }
                        if link.clicked() {
                            *nav = Some(Nav::Study(row.deck.clone()));
                        }
                    });
                    let p = palette(ui.visuals());
                    ui.label(count_text(row.new as usize, p.new));
                    ui.label(count_text(row.repeat as usize, p.repeat));
                    ui.label(count_text(row.due as usize, p.due));
                    let study = ui.button("Study");
                    let study = study.on_hover_text(format!("Study {}", row.deck));
                    if study.clicked() {
                        *nav = Some(Nav::Study(row.deck.clone()));
                    }
                    ui.horizontal(|ui| {
                        let options = ui
                            .button("Options")
                            .on_hover_text(format!("Daily limits of {}", row.deck));
                        // Read out with its deck: every row has one.
                        let name = format!("Options of {}", row.deck);
                        options.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, &name)
                        });
                        if options.clicked() {
                            *open_options = Some(row.deck.clone());
                        }
                        if row.limited {
                            ui.label(RichText::new("limit reached").weak())
                                .on_hover_text(
                                    "Today's limits of this deck hold more cards back: Options \
                                 changes them, Custom study (at the end of a session) adds \
                                 some for today",
                                );
                        }
                    });
                    ui.end_row();
                }
            });
    }
}

impl DecksScreen {
    /// The sync's windows: the login the first time, and which side wins a full sync.
    fn sync_windows(&mut self, ctx: &egui::Context, coll: &Collection) {
        if let Some(dialog) = self.sync_login.as_mut() {
            match dialog.window(ctx) {
                super::sync::Asked::Nothing => {}
                super::sync::Asked::Close => self.sync_login = None,
                super::sync::Asked::Sync {
                    server,
                    user,
                    password,
                } => {
                    self.sync_login = None;
                    if let Some(path) = coll.sync_login_path() {
                        let given = Some((server, user, password));
                        let asked = self.full_asked.clone();
                        self.job = Some(super::sync::job(path, given, None, asked));
                    }
                }
            }
        }
        if self.choose_full
            && let Some(chosen) = super::sync::full_sync_window(ctx)
        {
            self.choose_full = false;
            if let (Some(full), Some(path)) = (chosen, coll.sync_login_path()) {
                let asked = self.full_asked.clone();
                self.job = Some(super::sync::job(path, None, Some(full), asked));
            }
        }
    }
}

impl Page for DecksScreen {
    fn commands(&self) -> &'static [Command] {
        // The login window's fields take every letter.
        if self.sync_login.is_some() {
            &[]
        } else {
            &Command::DECKS
        }
    }

    fn ui(
        &mut self,
        ui: &mut Ui,
        coll: &mut Collection,
        commands: &[Command],
    ) -> Result<Option<Nav>, String> {
        // The study day may have rolled over while the window stood open.
        if self.today != Some(coll.today()) {
            self.refresh(coll)?;
        }
        // The deck list's keys wait while a deck's options are open.
        let mut nav = if self.options.is_none() && self.sync_login.is_none() && !self.choose_full {
            self.keys(commands, coll)
        } else {
            None
        };
        if self.show_help
            && super::commands::overlay(ui.ctx(), &Command::DECKS, coll.settings.scheduler.grading)
        {
            self.show_help = false;
        }
        egui::Panel::top("decks_top").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Decks");
                // At the right, in reading order (Tab goes left to right).
                super::trailing(ui, "decks_buttons", |ui| {
                    let buttons = [
                        ("Add", "Add a card of your own (A)", Nav::AddCard),
                        ("Browse", "Search and manage every card (B, /)", Nav::Browse),
                        (
                            "Stats",
                            "Forecast, review history, retention and card counts (T)",
                            Nav::Stats,
                        ),
                        (
                            "Import",
                            "Bring back answers made in Anki (an .apkg or .colpkg)",
                            Nav::Import,
                        ),
                        (
                            "Export",
                            "Write cards to an Anki package or a CSV file",
                            Nav::Export,
                        ),
                        ("Settings", "Limits, scheduler, theme", Nav::Settings),
                    ];
                    for (label, hint, to) in buttons {
                        if ui.button(label).on_hover_text(hint).clicked() {
                            nav = Some(to);
                        }
                    }
                    if ui
                        .button("Sync")
                        .on_hover_text("Sync with your Anki sync server (Y)")
                        .clicked()
                    {
                        self.sync(coll);
                    }
                    if ui
                        .selectable_label(self.show_help, "?")
                        .on_hover_text("Every shortcut (?)")
                        .clicked()
                    {
                        self.show_help = !self.show_help;
                    }
                });
            });
        });
        if let Some(said) = &self.synced {
            egui::Panel::top("decks_synced").show(ui, |ui| {
                super::outcome(ui, Some(said));
            });
        }
        let mut open_options = None;
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    self.tree(ui, &mut nav, &mut open_options);
                    ui.add_space(16.0);
                    if let Some(line) = self.nothing_due_line() {
                        ui.label(line);
                    }
                    ui.add_space(24.0);
                    self.filtered_list(ui, &mut nav);
                });
        });
        if let Some(deck) = open_options {
            self.options = Some(super::deck_options::DeckOptions::open(coll, &deck)?);
        }
        if let Some(options) = self.options.as_mut() {
            match options.window(ui.ctx(), coll) {
                super::deck_options::Asked::Nothing => {}
                super::deck_options::Asked::Close => self.options = None,
                super::deck_options::Asked::Saved => {
                    self.options = None;
                    self.refresh(coll)?;
                }
            }
        }
        self.sync_windows(ui.ctx(), coll);
        Ok(nav)
    }

    /// The sync asked for, once.
    fn take_job(&mut self) -> Option<super::Job> {
        self.job.take()
    }

    /// What the sync did, said under the top bar; the counts read again.
    fn finished(
        &mut self,
        coll: &Collection,
        outcome: Result<String, String>,
    ) -> Result<Option<Nav>, String> {
        self.choose_full = self
            .full_asked
            .swap(false, std::sync::atomic::Ordering::SeqCst);
        self.synced = Some(outcome);
        self.refresh(coll)?;
        Ok(None)
    }
}
