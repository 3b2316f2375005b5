//! The Browse screen: every card in a virtualised, sortable table, filtered by the search
//! language; a detail pane with the review history; suspend, unsuspend and reset on the
//! selection.

use crate::ui::commands::Command;
use crate::ui::page::Page;
use std::collections::HashSet;
use std::time::{Duration, Instant};

use egui::{Align, Layout, RichText, Ui};
use egui_extras::{Column, TableBuilder};

mod detail;
mod sort;

use super::{Job, Nav, back_and_title};
use crate::app::collection::Collection;
use crate::model::card::{BrowseRow, LogEntry, StoredCard};
use crate::model::search;
use detail::{OwnAction, detail_ui, own_actions};
use sort::{SortKey, merged, numeric_key, sort};

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

/// How long the search field rests before its search runs (Enter runs it at once): typing
/// "kinesis" runs one search, not seven.
const SEARCH_AFTER_S: f64 = 0.2;

/// What one frame spends loading rows; the rest of a 16 ms frame is for drawing them.
const LOAD_BUDGET: Duration = Duration::from_millis(6);

/// Card positions read per store call while loading.
const WINDOW: i64 = 2_000;

pub struct BrowseScreen {
    query: String,
    /// The search last run (its rows shown, or loading): the field's text when it ran.
    searched: Option<String>,
    /// When the field last changed (egui's clock), for [`SEARCH_AFTER_S`].
    edited_at: Option<f64>,
    /// A search whose rows are being read, a page at a time over several frames.
    loading: Option<Loading>,
    /// Focus the search field on the first frame.
    focus_search: bool,
    error: Option<String>,
    /// The rows of the search, in the order they were read.
    rows: Vec<BrowseRow>,
    /// Indexes into `rows` in display order: sorting moves these, not the rows.
    order: Vec<u32>,
    sort: (SortBy, bool),
    selected: HashSet<i64>,
    /// Row index of the last plain click, for Shift+click ranges.
    anchor: Option<usize>,
    detail: Option<(StoredCard, Vec<LogEntry>)>,
    /// Deleting a card of the learner's, for the app to run off the UI thread (it re-reads
    /// every facts file: seconds at 100 000 facts).
    job: Option<Job>,
}

struct Loading {
    query: search::Query,
    /// The rows read so far, and their indexes.
    rows: Vec<BrowseRow>,
    order: Vec<u32>,
    /// For a numeric sort column, the rows' sort keys, each window's sorted as it comes in:
    /// the final sort only merges them.
    keys: Vec<SortKey>,
    /// The next window starts at this position; the last ends before `end`.
    next: i64,
    end: i64,
}

impl BrowseScreen {
    /// The screen, its search started (the rows load over the next frames).
    pub fn new(coll: &Collection, query: &str) -> Result<BrowseScreen, String> {
        let mut s = BrowseScreen {
            query: query.to_string(),
            searched: None,
            edited_at: None,
            loading: None,
            focus_search: true,
            error: None,
            rows: Vec::new(),
            order: Vec::new(),
            sort: (SortBy::Due, false),
            selected: HashSet::new(),
            anchor: None,
            detail: None,
            job: None,
        };
        s.search(coll)?;
        Ok(s)
    }

    /// The rows shown, in display order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &BrowseRow> {
        self.order.iter().map(|&i| &self.rows[i as usize])
    }

    /// The row shown at `index`.
    fn row(&self, index: usize) -> Option<&BrowseRow> {
        self.order.get(index).map(|&i| &self.rows[i as usize])
    }

    /// Whether rows are still being read for the search in the field.
    pub fn loading(&self) -> bool {
        self.loading.is_some() || self.searched.as_deref() != Some(self.query.as_str())
    }

    /// Starts the search in the field (when it parses; otherwise says why and keeps the rows).
    fn search(&mut self, coll: &Collection) -> Result<(), String> {
        self.searched = Some(self.query.clone());
        self.loading = None;
        match search::parse(&self.query) {
            Ok(query) => {
                self.error = None;
                self.loading = Some(Loading {
                    query,
                    rows: Vec::new(),
                    order: Vec::new(),
                    keys: Vec::new(),
                    next: 0,
                    end: coll.position_end().map_err(|e| e.to_string())?,
                });
            }
            Err(e) => self.error = Some(format!("Search {e}")),
        }
        Ok(())
    }

    /// Reads windows of the loading search for at most [`LOAD_BUDGET`]; once all are in,
    /// shows them in the chosen order and keeps the selection of cards still shown. Returns
    /// whether rows remain to be read.
    fn load_some(&mut self, coll: &Collection) -> Result<bool, String> {
        let Some(loading) = self.loading.as_mut() else {
            return Ok(false);
        };
        let started = Instant::now();
        let end = loading.end;
        while loading.next < end {
            let window = loading.next..loading.next + WINDOW;
            let mut rows = coll
                .browse_window(&loading.query, coll.today(), window)
                .map_err(|e| e.to_string())?;
            let start = u32::try_from(loading.rows.len()).unwrap_or(u32::MAX);
            let indexes = (0..rows.len() as u32).map(|i| start + i);
            loading.order.extend(indexes.clone());
            let mut keys: Vec<SortKey> = rows
                .iter()
                .zip(indexes)
                .filter_map(|(r, i)| Some((numeric_key(r, self.sort.0)?, r.id, i)))
                .collect();
            keys.sort_unstable();
            loading.keys.append(&mut keys);
            loading.rows.append(&mut rows);
            loading.next += WINDOW;
            if loading.next < end && started.elapsed() >= LOAD_BUDGET {
                return Ok(true);
            }
        }
        let Some(loading) = self.loading.take() else {
            return Ok(false);
        };
        // A hundred thousand rows take milliseconds to free: not in this frame.
        let all_keyed = loading.keys.len() == loading.rows.len();
        let old = std::mem::replace(&mut self.rows, loading.rows);
        std::thread::spawn(move || drop(old));
        if all_keyed {
            self.order = merged(loading.keys, self.sort.1);
        } else {
            self.order = loading.order;
            self.sort_rows();
        }
        if !self.selected.is_empty() {
            let shown: HashSet<i64> = self.rows.iter().map(|r| r.id).collect();
            self.selected.retain(|id| shown.contains(id));
        }
        self.anchor = None;
        self.load_detail(coll)?;
        Ok(false)
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
        sort(&self.rows, &mut self.order, self.sort);
    }

    fn click_row(&mut self, index: usize, modifiers: egui::Modifiers) {
        let Some(id) = self.row(index).map(|r| r.id) else {
            return;
        };
        if modifiers.shift
            && let Some(anchor) = self.anchor
        {
            let (a, b) = (anchor.min(index), anchor.max(index));
            self.selected = (a..=b).filter_map(|i| self.row(i)).map(|r| r.id).collect();
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

    /// Back, the search field and the count; the selection's bulk actions.
    /// Also says whether Enter was pressed in the search field (search now).
    fn top_bar(&mut self, ui: &mut Ui) -> (Option<Nav>, Option<BulkAction>, bool) {
        let mut nav = None;
        let mut action = None;
        let mut search_now = false;
        egui::Panel::top("browse_top").show(ui, |ui| {
            ui.horizontal(|ui| {
                if back_and_title(ui, "Browse", "Back to the decks (Escape)") {
                    nav = Some(Nav::Decks);
                }
                let search = egui::TextEdit::singleline(&mut self.query)
                    .hint_text("Search, e.g. tag:instance-family is:due")
                    .desired_width(360.0);
                let field = ui.add(search).on_hover_text(
                    "words, \"phrases\", deck:, tag:, is:new/due/review/repeat/suspended/buried/retired/user/leech, \
                     prop:ivl>=10 (also ease, lapses, reps, due; FSRS: s, d, r), rated:7:1, added:3, \
                     flag:0-4, or, -, ( )",
                );
                if std::mem::take(&mut self.focus_search) {
                    field.request_focus();
                }
                if field.changed() {
                    self.edited_at = Some(ui.input(|i| i.time));
                }
                search_now = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                match &self.loading {
                    Some(l) => ui.label(format!("Searching… {} cards", l.rows.len())),
                    None => ui.label(format!("{} cards", self.rows.len())),
                };
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
        (nav, action, search_now)
    }

    /// The selected card with its review history; Edit and Delete for a card of the
    /// learner's.
    fn detail_panel(&self, ui: &mut Ui) -> Option<OwnAction> {
        let mut action = None;
        egui::Panel::right("browse_detail")
            .default_size(260.0)
            .show(ui, |ui| match &self.detail {
                Some((card, log)) => {
                    action = own_actions(ui, card);
                    detail_ui(ui, card, log);
                }
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
        action
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
                    body.rows(text_height, self.order.len(), |mut row| {
                        let Some(r) = self.row(row.index()) else {
                            return;
                        };
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

/// Frame times (ms) of the Browse screen on `coll`, from opening it while `text` is typed
/// into its search field (a key every 150 ms, 60 frames a second) until the search's rows
/// are all shown. Headless: egui lays out and tessellates each frame as in the window;
/// nothing reaches a screen. What `awscards bench` reports for typing in Browse.
pub fn typing_frame_times(coll: &mut Collection, text: &str) -> Result<Vec<f64>, String> {
    const FRAME_S: f64 = 1.0 / 60.0;
    const KEY_EVERY_S: f64 = 0.15;
    let ctx = egui::Context::default();
    let mut screen = BrowseScreen::new(coll, "")?;
    let mut keys = text.chars().peekable();
    let mut next_key = 0.5;
    let mut times = Vec::new();
    let mut time = 0.0;
    while keys.peek().is_some() || screen.loading() || time < next_key + 0.5 {
        let mut events = Vec::new();
        if time >= next_key
            && let Some(c) = keys.next()
        {
            events.push(egui::Event::Text(c.to_string()));
            next_key += KEY_EVERY_S;
        }
        let input = egui::RawInput {
            time: Some(time),
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            )),
            events,
            ..Default::default()
        };
        let mut failed = None;
        let started = Instant::now();
        let output = ctx.run_ui(input, |ui| {
            failed = screen.ui(ui, coll, &[]).err();
        });
        ctx.tessellate(output.shapes, output.pixels_per_point);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if let Some(e) = failed {
            return Err(e);
        }
        time += FRAME_S;
        if times.len() > 100_000 {
            return Err("the search never finished loading".into());
        }
    }
    if screen.query != text {
        return Err(format!(
            "the search field holds \"{}\", not what was typed",
            screen.query
        ));
    }
    Ok(times)
}

impl Page for BrowseScreen {
    fn ui(
        &mut self,
        ui: &mut Ui,
        coll: &mut Collection,
        _commands: &[Command],
    ) -> Result<Option<Nav>, String> {
        let (nav, action, search_now) = self.top_bar(ui);
        let now = ui.input(|i| i.time);
        if self.searched.as_deref() != Some(self.query.as_str()) {
            let rested = self.edited_at.map_or(SEARCH_AFTER_S, |t| now - t);
            if search_now || rested >= SEARCH_AFTER_S {
                self.search(coll)?;
            } else {
                let wait = Duration::from_secs_f64(SEARCH_AFTER_S - rested);
                ui.ctx().request_repaint_after(wait);
            }
        }
        if self.load_some(coll)? {
            ui.ctx().request_repaint();
        }

        let mut nav = nav;
        match self.detail_panel(ui) {
            Some(OwnAction::Edit(key)) => {
                nav = Some(Nav::EditCard {
                    key,
                    back_to: self.query.clone(),
                });
            }
            Some(OwnAction::Delete(key)) => {
                self.job = Some(Job {
                    doing: "Deleting your card…".into(),
                    if_closed: super::add::OWN_FILE_IF_CLOSED,
                    work: Box::new(move |coll| {
                        coll.delete_card(&key)
                            .map(|()| String::new())
                            .map_err(|e| e.to_string())
                    }),
                });
            }
            None => {}
        }
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
            self.search(coll)?;
            ui.ctx().request_repaint();
        }
        Ok(nav)
    }

    /// The deletion asked for, once.
    fn take_job(&mut self) -> Option<Job> {
        self.job.take()
    }

    /// After a deletion: the search again, without the card.
    fn finished(
        &mut self,
        coll: &Collection,
        outcome: Result<String, String>,
    ) -> Result<Option<Nav>, String> {
        outcome?;
        self.search(coll)?;
        self.load_detail(coll)?;
        Ok(None)
    }
}
