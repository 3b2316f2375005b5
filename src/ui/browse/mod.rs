//! The Browse screen: every card in a virtualised, sortable table of chosen columns, filtered
//! by the search language; a detail pane with Card info and the review history; the arrow
//! keys, Enter and a right-click menu to act on the selection.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers, RichText, Ui};

mod actions;
mod columns;
mod detail;
mod keys;
mod table;

use super::{Job, Nav, back_and_title};
use crate::app::collection::Collection;
use crate::model::card::{BrowseRow, StoredCard};
use crate::model::card_info::CardInfo;
use crate::model::own_cards::OwnCard;
use crate::model::schedule::Algorithm;
use crate::model::search;
use crate::model::stats::thousands;
use crate::ui::commands::Command;
use crate::ui::page::Page;
use actions::{BulkAction, Dialog};
pub use columns::Col;
use columns::{SortKey, Today, merged, numeric_key, sort};
use detail::{OwnAction, detail_ui, own_actions};

/// How long the search field rests before its search runs (Enter runs it at once): typing
/// "kinesis" runs one search, not seven.
const SEARCH_AFTER_S: f64 = 0.2;

/// What one frame spends loading rows; the rest of a 16 ms frame is for drawing them.
const LOAD_BUDGET: Duration = Duration::from_millis(6);

/// Card positions read per store call while loading.
const WINDOW: i64 = 2_000;

/// Where the chosen columns are remembered (egui's persisted memory, across runs).
fn columns_id(fsrs: bool) -> egui::Id {
    egui::Id::unique(("browse_columns", fsrs))
}

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
    /// What the last action did, in words.
    message: Option<String>,
    /// The rows of the search, in the order they were read.
    rows: Vec<BrowseRow>,
    /// Indexes into `rows` in display order: sorting moves these, not the rows.
    order: Vec<u32>,
    sort: (Col, bool),
    selected: HashSet<i64>,
    /// Row index of the last plain click or arrow key: where Shift extends from.
    anchor: Option<usize>,
    /// Row index the arrow keys move from.
    cursor: Option<usize>,
    /// Bring this row into view in the next frame.
    scroll_to: Option<usize>,
    /// Select this card once the rows are in (Browse opened on a card from Review).
    select_card: Option<i64>,
    detail: Option<(StoredCard, CardInfo)>,
    /// Card info of the selected card in a window of its own (Enter, a double-click).
    info_window: bool,
    dialog: Option<Dialog>,
    /// The learner's cards deleted last, for Ctrl+Z.
    deleted: Vec<OwnCard>,
    /// Deleting, tagging or bringing back the learner's cards, for the app to run off the UI
    /// thread (it re-reads every facts file: seconds at 100 000 facts).
    job: Option<Job>,
    today: Today,
    fsrs: bool,
    /// Opened from Review: Back returns to it.
    from_review: bool,
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
        let scheduler = &coll.settings.scheduler;
        let mut s = BrowseScreen {
            query: query.to_string(),
            searched: None,
            edited_at: None,
            loading: None,
            focus_search: true,
            error: None,
            message: None,
            rows: Vec::new(),
            order: Vec::new(),
            sort: (Col::Due, false),
            selected: HashSet::new(),
            anchor: None,
            cursor: None,
            scroll_to: None,
            select_card: None,
            detail: None,
            info_window: false,
            dialog: None,
            deleted: Vec::new(),
            job: None,
            today: Today {
                day: coll.today(),
                decay: scheduler.fsrs_decay(),
            },
            fsrs: scheduler.algorithm == Algorithm::Fsrs,
            from_review: false,
        };
        s.search(coll)?;
        Ok(s)
    }

    /// Browse on the cards of `card`'s deck with `card` selected and in view: what `B` opens
    /// from Review, which Back returns to.
    pub fn on_card(coll: &Collection, card: &StoredCard) -> Result<BrowseScreen, String> {
        let query = format!("deck:\"{}\"", card.deck.replace('"', "\\\""));
        let mut s = BrowseScreen::new(coll, &query)?;
        s.select_card = Some(card.id);
        s.focus_search = false;
        s.from_review = true;
        Ok(s)
    }

    /// The rows shown, in display order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &BrowseRow> {
        self.order.iter().map(|&i| &self.rows[i as usize])
    }

    /// The ids of the selected cards.
    pub fn selected(&self) -> &HashSet<i64> {
        &self.selected
    }

    /// The text in the search field.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Brings the row shown at `index` into view in the next frame (what scrolling to it does).
    pub fn show_row(&mut self, index: usize) {
        self.scroll_to = Some(index);
    }

    /// Whether Back returns to a review.
    pub fn from_review(&self) -> bool {
        self.from_review
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
                .filter_map(|(r, i)| Some((numeric_key(r, self.sort.0, self.today)?, r.id, i)))
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
        if let Some(id) = self.select_card.take() {
            self.selected = HashSet::from([id]);
        }
        if !self.selected.is_empty() {
            let shown: HashSet<i64> = self.rows.iter().map(|r| r.id).collect();
            self.selected.retain(|id| shown.contains(id));
        }
        // The keyboard goes on from the (first) selected row, which comes into view.
        self.cursor = self
            .order
            .iter()
            .position(|&i| self.selected.contains(&self.rows[i as usize].id));
        self.anchor = self.cursor;
        self.scroll_to = self.cursor;
        self.load_detail(coll)?;
        Ok(false)
    }

    fn load_detail(&mut self, coll: &Collection) -> Result<(), String> {
        self.detail = match self.selected.iter().next() {
            Some(&id) if self.selected.len() == 1 => {
                let card = coll.card(id).map_err(|e| e.to_string())?;
                let info = coll.card_info(id).map_err(|e| e.to_string())?;
                Some((card, info))
            }
            _ => None,
        };
        if self.detail.is_none() {
            self.info_window = false;
        }
        Ok(())
    }

    fn sort_rows(&mut self) {
        sort(&self.rows, &mut self.order, self.sort, self.today);
    }

    /// Selects the row at `index` as a click with `modifiers` does: alone, toggled (Ctrl), or
    /// the range from the anchor (Shift).
    fn click_row(&mut self, index: usize, modifiers: Modifiers) {
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
        self.cursor = Some(index);
    }

    /// Back, the search field, the count, the columns menu; the selection and what the last
    /// action did. Also says whether Enter was pressed in the search field (search now).
    fn top_bar(&mut self, ui: &mut Ui) -> (Option<Nav>, Option<Vec<Col>>, bool) {
        let mut nav = None;
        let mut cols = None;
        let mut search_now = false;
        let shown = self.columns(ui.ctx());
        egui::Panel::top("browse_top").show(ui, |ui| {
            ui.horizontal(|ui| {
                let hint = if self.from_review {
                    "Back to the review (Escape)"
                } else {
                    "Back to the decks (Escape)"
                };
                if back_and_title(ui, "Browse", hint) {
                    nav = Some(Nav::Decks);
                }
                let search = egui::TextEdit::singleline(&mut self.query)
                    .hint_text("Search, e.g. tag:instance-family is:due")
                    .desired_width(320.0);
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
                search_now = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                match &self.loading {
                    Some(l) => ui.label(format!("Searching… {} cards", thousands(l.rows.len() as u64))),
                    None => ui.label(format!("{} cards", thousands(self.rows.len() as u64))),
                };
                ui.menu_button("Columns", |ui| {
                    cols = table::columns_menu(ui, &shown, self.fsrs);
                });
            });
            if let Some(e) = &self.error {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
            ui.horizontal(|ui| {
                ui.label(format!("{} selected", thousands(self.selected.len() as u64)));
                ui.label(
                    RichText::new("Up/Down move · Shift extends · Enter: card info · right-click: actions")
                        .weak(),
                );
                if let Some(m) = &self.message {
                    ui.label(RichText::new(m).color(super::theme::palette(ui.visuals()).due));
                }
            });
            ui.add_space(4.0);
        });
        (nav, cols, search_now)
    }

    /// The columns shown (remembered across runs).
    fn columns(&self, ctx: &egui::Context) -> Vec<Col> {
        let fsrs = self.fsrs;
        ctx.data_mut(|d| {
            d.get_persisted_mut_or_insert_with(columns_id(fsrs), || Col::default_set(fsrs))
                .clone()
        })
    }

    /// The selected card with Card info; Edit and Delete for a card of the learner's. Its
    /// width is the learner's to drag, and stays.
    fn detail_panel(&self, ui: &mut Ui) -> Option<OwnAction> {
        let mut action = None;
        egui::Panel::right("browse_detail")
            .resizable(true)
            .default_size(300.0)
            .size_range(240.0..=720.0)
            .show(ui, |ui| match &self.detail {
                Some((card, info)) => {
                    action = own_actions(ui, card);
                    detail_ui(ui, card, info);
                }
                None => {
                    ui.add_space(8.0);
                    ui.label(
                        RichText::new(match self.selected.len() {
                            0 => "Select a card to see it with its Card info and review history."
                                .to_string(),
                            n => format!("{} cards selected.", thousands(n as u64)),
                        })
                        .weak(),
                    );
                }
            });
        action
    }
}

impl Page for BrowseScreen {
    fn ui(
        &mut self,
        ui: &mut Ui,
        coll: &mut Collection,
        _commands: &[Command],
    ) -> Result<Option<Nav>, String> {
        let (nav, cols, search_now) = self.top_bar(ui);
        if let Some(cols) = cols {
            ui.ctx()
                .data_mut(|d| d.insert_persisted(columns_id(self.fsrs), cols));
        }
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
        let mut action = self.keys(ui);
        match self.detail_panel(ui) {
            Some(OwnAction::Edit(key)) => {
                nav = Some(Nav::EditCard {
                    key,
                    back_to: self.query.clone(),
                });
            }
            Some(OwnAction::Delete) => action = Some(BulkAction::AskDelete),
            None => {}
        }
        let shown = self.columns(ui.ctx());
        let scroll_to = self.scroll_to.take();
        let selection = || self.selection();
        let out = egui::CentralPanel::default()
            .show(ui, |ui| {
                table::show(
                    ui,
                    &table::View {
                        rows: &self.rows,
                        order: &self.order,
                        selected: &self.selected,
                        cols: &shown,
                        sort: self.sort,
                        today: self.today,
                        fsrs: self.fsrs,
                        scroll_to,
                        selection: &selection,
                    },
                )
            })
            .inner;
        if let Some(cols) = out.cols {
            ui.ctx()
                .data_mut(|d| d.insert_persisted(columns_id(self.fsrs), cols));
        }
        if let Some(by) = out.sort {
            self.sort = if self.sort.0 == by {
                (by, !self.sort.1)
            } else {
                (by, false)
            };
            self.sort_rows();
            self.anchor = None;
            self.cursor = None;
        }
        if let Some(index) = out.secondary {
            self.click_row(index, Modifiers::NONE);
            self.load_detail(coll)?;
        }
        if let Some((index, modifiers)) = out.clicked {
            self.click_row(index, modifiers);
            self.load_detail(coll)?;
        }
        if let Some(index) = out.double_clicked {
            self.click_row(index, Modifiers::NONE);
            self.load_detail(coll)?;
            action = Some(BulkAction::Info);
        }
        if self.detail.is_some() && (out.clicked.is_some() || self.cursor.is_some()) {
            // The keyboard moved or a click landed: the detail follows the selection.
            let shown_id = self.detail.as_ref().map(|(c, _)| c.id);
            let wanted = (self.selected.len() == 1)
                .then(|| self.selected.iter().next().copied())
                .flatten();
            if shown_id != wanted {
                self.load_detail(coll)?;
            }
        } else if self.selected.len() == 1 && self.detail.is_none() {
            self.load_detail(coll)?;
        }
        if let Some(mut dialog) = self.dialog.take() {
            let (confirmed, open) = actions::dialog(ui.ctx(), &mut dialog);
            if open {
                self.dialog = Some(dialog);
            }
            action = confirmed.or(action);
        }
        if let Some(action) = out.action.or(action) {
            self.act(coll, action)?;
            ui.ctx().request_repaint();
        }
        if self.info_window
            && let Some((card, info)) = &self.detail
        {
            crate::ui::card_info::window(ui.ctx(), &mut self.info_window, card, info);
        }
        Ok(nav)
    }

    fn take_job(&mut self) -> Option<Job> {
        self.job.take()
    }

    /// After a job on the learner's cards: what it did, and the search again.
    fn finished(
        &mut self,
        coll: &Collection,
        outcome: Result<String, String>,
    ) -> Result<Option<Nav>, String> {
        match outcome {
            Ok(message) => self.message = Some(message),
            Err(e) => {
                // Nothing to bring back from a deletion that did not happen.
                self.deleted.clear();
                self.search(coll)?;
                return Err(e);
            }
        }
        self.search(coll)?;
        self.load_detail(coll)?;
        Ok(None)
    }
}
