//! The egui desktop app. Thin: screens call the app services and the store's methods, never SQL.

pub mod add;
pub mod bench;
pub mod browse;
pub mod card_info;
pub mod commands;
pub mod deck_options;
pub mod decks;
pub mod export;
pub mod file_dialog;
pub mod filtered;
pub mod import;
mod jobs;
pub use jobs::OPENING;
pub mod page;
pub mod review;
pub mod session_end;
pub mod settings;
pub mod stats;
pub mod sync;
pub mod theme;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use egui::{Color32, RichText};

use crate::app::collection::Collection;
use crate::app::session::Session;
use crate::model::settings::Theme;
use commands::Command;
use page::Page;

/// Flag 1-4's name, as Anki's (a higher number as 4's); None for no flag.
fn flag(flag: u8) -> Option<&'static str> {
    const FLAGS: [&str; 4] = ["red", "orange", "green", "blue"];
    FLAGS.get(usize::from(flag.min(4)).checked_sub(1)?).copied()
}

/// Flag 1-4's name and its colour in the theme of `visuals`.
fn flag_colored(visuals: &egui::Visuals, n: u8) -> Option<(&'static str, Color32)> {
    let name = flag(n)?;
    Some((
        name,
        theme::palette(visuals).flags[usize::from(n.clamp(1, 4)) - 1],
    ))
}

/// When the process started (set first thing in `main`), for `AWSCARDS_TIME_FIRST_FRAME`.
pub static LAUNCHED: OnceLock<Instant> = OnceLock::new();

/// With this variable set, the app prints how long after launch its first frame was on screen,
/// then closes (used to measure start-up; see the README).
pub const TIME_FIRST_FRAME_VAR: &str = "AWSCARDS_TIME_FIRST_FRAME";

/// Where a screen wants to go next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nav {
    Decks,
    Study(String),
    StudyFiltered(String),
    /// Edit the filtered deck with this name, or a new one.
    EditFiltered(Option<String>),
    Browse,
    Export,
    Import,
    Settings,
    Stats,
    /// Browse this search.
    BrowseSearch(String),
    /// Browse the card with this id, selected, from the review under way: Back returns to it.
    BrowseCard(i64),
    /// Add a card of the learner's.
    AddCard,
    /// Edit the learner's card with `key`, then browse `back_to`.
    EditCard {
        key: String,
        back_to: String,
    },
}

pub enum Screen {
    Decks(Box<decks::DecksScreen>),
    Review(Box<review::ReviewScreen>),
    Browse(Box<browse::BrowseScreen>),
    Filtered(Box<filtered::FilteredScreen>),
    Export(Box<export::ExportScreen>),
    Import(Box<import::ImportScreen>),
    Settings(Box<settings::SettingsScreen>),
    Stats(Box<stats::StatsScreen>),
    Add(Box<add::AddScreen>),
}

impl Screen {
    /// The screen as the app drives it.
    fn page(&mut self) -> &mut dyn Page {
        match self {
            Screen::Decks(s) => s.as_mut(),
            Screen::Review(s) => s.as_mut(),
            Screen::Browse(s) => s.as_mut(),
            Screen::Filtered(s) => s.as_mut(),
            Screen::Export(s) => s.as_mut(),
            Screen::Import(s) => s.as_mut(),
            Screen::Settings(s) => s.as_mut(),
            Screen::Stats(s) => s.as_mut(),
            Screen::Add(s) => s.as_mut(),
        }
    }
}

/// Where the collection comes from, to retry opening it after an error.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub db: Option<PathBuf>,
    pub facts: Option<PathBuf>,
}

pub struct AwscardsApp {
    coll: Option<Collection>,
    source: Source,
    screen: Screen,
    /// An error to show at the top of the window until dismissed.
    error: Option<String>,
    /// What went wrong while opening without stopping it (a failed backup, unreadable
    /// settings), shown at the top of the window until dismissed.
    warning: Option<String>,
    applied_theme: Option<Theme>,
    /// Frames shown so far, while timing the first frame.
    timing_frames: Option<u32>,
    /// A job under way on another thread, which holds the collection.
    job: Option<Running>,
    /// Jobs started so far (one may start and end within a frame of several passes).
    jobs_started: u64,
    /// The review Browse was opened from (`B`), to return to.
    paused_review: Option<Box<review::ReviewScreen>>,
}

/// Work on the collection that takes seconds at 100 000 cards (rescheduling every card,
/// exporting or importing a package). A screen hands it to the app, which runs it on another
/// thread that holds the collection, while the window keeps drawing and says what it waits
/// for. The outcome goes back to that screen.
pub struct Job {
    /// What the window says while it runs.
    pub doing: String,
    /// What closing the window meanwhile does.
    pub if_closed: &'static str,
    /// How far it is, with Cancel, for a job that counts its steps.
    pub progress: Option<crate::app::progress::Progress>,
    pub work: Work,
}

/// A job's work: Ok(what to tell), or Err(why it failed).
pub type Work = Box<dyn FnOnce(&mut Collection) -> Result<String, String> + Send>;

/// A job under way: what the window says, and where the collection comes back with the
/// outcome.
struct Running {
    doing: String,
    if_closed: &'static str,
    progress: Option<crate::app::progress::Progress>,
    /// The collection back (None when opening it failed) and the outcome.
    done: Receiver<(Option<Collection>, Result<String, String>)>,
    /// Opening the collection, not a screen's job: the outcome is the deck list.
    opening: bool,
}

/// What the window says while every card is rescheduled.
pub const RESCHEDULING: &str = "Rescheduling every card from its answers…";

impl AwscardsApp {
    /// The app on an open collection, or on the error that kept it from opening.
    pub fn new(coll: Result<Collection, String>, source: Source) -> Self {
        let mut app = AwscardsApp::without_collection(source);
        match coll {
            Ok(c) => app.opened(c),
            Err(e) => app.error = Some(e),
        }
        app
    }

    /// The app before its collection is open.
    fn without_collection(source: Source) -> Self {
        AwscardsApp {
            warning: None,
            coll: None,
            source,
            screen: Screen::Decks(Box::default()),
            error: None,
            applied_theme: None,
            timing_frames: None,
            job: None,
            jobs_started: 0,
            paused_review: None,
        }
    }

    pub fn collection(&self) -> Option<&Collection> {
        self.coll.as_ref()
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// Whether a job (or the opening of the collection) is under way.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    fn go(&mut self, nav: Nav) {
        let Some(coll) = self.coll.as_mut() else {
            return;
        };
        // Back from Browse opened on a card of a review: that review, as it was.
        if nav == Nav::Decks
            && matches!(&self.screen, Screen::Browse(b) if b.from_review())
            && let Some(mut paused) = self.paused_review.take()
        {
            match paused.resume(coll) {
                Ok(()) => self.screen = Screen::Review(paused),
                Err(e) => self.error = Some(e),
            }
            return;
        }
        if let Nav::BrowseCard(id) = nav {
            let opened = coll
                .card(id)
                .map_err(|e| e.to_string())
                .and_then(|card| browse::BrowseScreen::on_card(coll, &card));
            match opened {
                Ok(b) => {
                    let was = std::mem::replace(&mut self.screen, Screen::Browse(Box::new(b)));
                    self.paused_review = match was {
                        Screen::Review(r) => Some(r),
                        _ => None,
                    };
                }
                Err(e) => self.error = Some(e),
            }
            return;
        }
        self.paused_review = None;
        let today = coll.today();
        let review = |coll: &Collection, session: Result<Session, _>| {
            let session = session.map_err(|e: crate::app::error::AppError| e.to_string())?;
            review::ReviewScreen::new(coll, session).map(|r| Screen::Review(Box::new(r)))
        };
        let result = match nav {
            Nav::Decks => decks::DecksScreen::open(coll).map(|d| Screen::Decks(Box::new(d))),
            Nav::Settings => Ok(Screen::Settings(Box::new(settings::SettingsScreen::new(
                coll,
            )))),
            Nav::Browse => browse::BrowseScreen::new(coll, "").map(|b| Screen::Browse(Box::new(b))),
            Nav::BrowseSearch(query) => {
                browse::BrowseScreen::new(coll, &query).map(|b| Screen::Browse(Box::new(b)))
            }
            Nav::BrowseCard(_) => return,
            Nav::Export => export::ExportScreen::new(coll).map(|e| Screen::Export(Box::new(e))),
            Nav::Import => Ok(Screen::Import(Box::default())),
            Nav::Stats => stats::StatsScreen::new(coll).map(|s| Screen::Stats(Box::new(s))),
            Nav::AddCard => add::AddScreen::new(coll).map(|a| Screen::Add(Box::new(a))),
            Nav::EditCard { key, back_to } => {
                add::AddScreen::edit(coll, &key, back_to).map(|a| Screen::Add(Box::new(a)))
            }
            Nav::EditFiltered(name) => filtered::FilteredScreen::open(coll, name.as_deref())
                .map(|f| Screen::Filtered(Box::new(f))),
            Nav::Study(deck) => review(coll, Session::start(coll, &deck, today)),
            Nav::StudyFiltered(name) => match coll.filtered_deck(&name) {
                Ok(f) => review(coll, Session::start_filtered(coll, &f, today)),
                Err(e) => Err(e.to_string()),
            },
        };
        match result {
            Ok(screen) => self.screen = screen,
            Err(e) => self.error = Some(e),
        }
    }

    /// The collection is open: its warnings, and the deck list.
    fn opened(&mut self, coll: Collection) {
        self.warning = warnings_of(&coll);
        self.coll = Some(coll);
        self.go(Nav::Decks);
    }
    /// Hands a job's outcome to the screen that asked for it.
    fn finished(&mut self, outcome: Result<String, String>) {
        let Some(coll) = &self.coll else {
            return;
        };
        match self.screen.page().finished(coll, outcome) {
            Ok(Some(nav)) => self.go(nav),
            Ok(None) => {}
            Err(e) => self.error = Some(e),
        }
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        let Some(theme) = self.coll.as_ref().map(|c| c.settings.theme) else {
            return;
        };
        if self.applied_theme == Some(theme) {
            return;
        }
        ctx.set_visuals_of(egui::Theme::Dark, theme::visuals(true));
        ctx.set_visuals_of(egui::Theme::Light, theme::visuals(false));
        ctx.all_styles_mut(theme::text_styles);
        ctx.set_theme(match theme {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        });
        self.applied_theme = Some(theme);
    }

    /// One frame: shortcuts first (consumed before any widget sees them), then the screen.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.apply_theme(&ctx);
        let wanted = self.screen.page().commands();
        let mut commands = if self.coll.is_some() {
            commands::take(&ctx, wanted)
        } else {
            Vec::new()
        };
        // Escape leaves every screen for the decks: handled here, once for all of them.
        if commands.contains(&Command::Back) && !matches!(self.screen, Screen::Decks(_)) {
            self.go(Nav::Decks);
            commands.clear();
        }
        if commands.contains(&Command::Add) {
            self.go(Nav::AddCard);
            commands.clear();
        }

        if let Some(message) = self.error.clone() {
            let color = ui.visuals().error_fg_color;
            // Without a collection, and not because a job holds it: the open failed.
            let failed = self.coll.is_none() && self.job.is_none();
            let button = if failed { "Retry" } else { "Dismiss" };
            if banner(ui, "error", &format!("Error: {message}"), color, button) {
                self.error = None;
                if failed {
                    self.start_opening(&ctx);
                }
            }
        }
        if let Some(message) = self.warning.clone() {
            let color = ui.visuals().warn_fg_color;
            if banner(
                ui,
                "warning",
                &format!("Warning: {message}"),
                color,
                "Dismiss",
            ) {
                self.warning = None;
            }
        }

        if self.still_working(ui) {
            return;
        }
        let Some(coll) = self.coll.as_mut() else {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.vertical_centered(|ui| {
                    ui.add_space(40.0);
                    ui.heading("The collection could not be opened.");
                    ui.label("See the message above, fix the cause, then press Retry.");
                });
            });
            return;
        };

        let outcome = self.screen.page().ui(ui, coll, &commands);
        match outcome {
            Ok(Some(nav)) => self.go(nav),
            Ok(None) => {}
            Err(e) => self.error = Some(e),
        }
        let job = self.screen.page().take_job();
        if let Some(job) = job {
            self.start(job, &ctx);
        }
    }
}

impl eframe::App for AwscardsApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        // Timed until the deck list is painted (not the frames that say it is opening).
        let opened = self.job.is_none();
        if let Some(frames) = self.timing_frames.as_mut().filter(|_| opened) {
            // The second frame starts once the first has been painted and presented.
            *frames += 1;
            if *frames == 2 {
                let ms = LAUNCHED
                    .get()
                    .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
                println!("first frame painted {ms:.0} ms after launch");
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            } else {
                ui.ctx().request_repaint();
            }
        }
        self.frame(ui);
    }
}

/// A screen's top bar: a "Decks" button and the title, then what `extra` adds on the same
/// line; `Some(Nav::Decks)` when the button is clicked.
pub fn top_bar(
    ui: &mut egui::Ui,
    id: &str,
    title: &str,
    hint: &str,
    extra: impl FnOnce(&mut egui::Ui),
) -> Option<Nav> {
    let mut nav = None;
    egui::Panel::top(id.to_string()).show(ui, |ui| {
        ui.horizontal(|ui| {
            if back_and_title(ui, title, hint) {
                nav = Some(Nav::Decks);
            }
            extra(ui);
        });
    });
    nav
}

/// The start of a screen's top bar: a "Decks" button (true when clicked) and the title.
pub fn back_and_title(ui: &mut egui::Ui, title: &str, hint: &str) -> bool {
    let back = ui.button("Decks").on_hover_text(hint).clicked();
    ui.heading(title);
    back
}

/// Widgets at the right end of the row, laid out (and tabbed through) left to right: the
/// group's width is measured in one frame and kept for the next; a frame that finds it changed
/// is laid out again before it is shown.
pub fn trailing(ui: &mut egui::Ui, id: &str, add: impl FnOnce(&mut egui::Ui)) {
    let id = egui::Id::unique(("trailing", id));
    let known: Option<f32> = ui.ctx().data(|d| d.get_temp(id));
    let room = ui.available_width();
    ui.add_space((room - known.unwrap_or(0.0)).max(0.0));
    let width = ui.horizontal(add).response.rect.width();
    if known.is_none_or(|w| (w - width).abs() > 0.5) {
        ui.ctx().data_mut(|d| d.insert_temp(id, width));
        ui.ctx().request_discard("a right-aligned group measured");
    }
}

/// What the last action of a screen did, in green, or why it failed, in the error colour.
pub fn outcome(ui: &mut egui::Ui, outcome: Option<&Result<String, String>>) {
    match outcome {
        Some(Ok(message)) => {
            ui.label(RichText::new(message).color(theme::palette(ui.visuals()).due));
        }
        Some(Err(message)) => {
            ui.label(RichText::new(message).color(ui.visuals().error_fg_color));
        }
        None => {}
    }
}

/// A count in its colour, dimmed when zero (as Anki does).
pub fn count_text(n: usize, color: Color32) -> RichText {
    let text = RichText::new(n.to_string()).monospace();
    if n == 0 {
        text.weak()
    } else {
        text.color(color)
    }
}

/// The window's icon, from `assets/icon.png`.
pub fn icon() -> Option<egui::IconData> {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")).ok()
}

/// A message across the top of the window with one button; true when it is clicked.
fn banner(ui: &mut egui::Ui, id: &str, text: &str, color: egui::Color32, button: &str) -> bool {
    let mut clicked = false;
    egui::Panel::top(id.to_string()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(text).color(color));
            clicked = ui.button(button).clicked();
        });
    });
    clicked
}

/// The collection's warnings, one per line, if any.
fn warnings_of(coll: &Collection) -> Option<String> {
    (!coll.warnings.is_empty()).then(|| coll.warnings.join("\n"))
}

/// Opens the desktop window at once, and the collection of `source` in it (on another thread:
/// a large new facts folder takes seconds).
pub fn run(source: Source) -> Result<(), String> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("awscards")
        .with_app_id("awscards")
        .with_inner_size([960.0, 720.0])
        .with_min_inner_size([480.0, 360.0]);
    if let Some(icon) = icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    let timing = std::env::var_os(TIME_FIRST_FRAME_VAR).is_some();
    eframe::run_native(
        "awscards",
        options,
        Box::new(move |cc| {
            let mut app = AwscardsApp::opening(source, &cc.egui_ctx);
            app.timing_frames = timing.then_some(0);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| format!("cannot open the window: {e}"))
}

/// A card's source: the title of the page its fact was checked on, as a link that opens the
/// page in the browser (the title alone when there is no address).
fn source_link(ui: &mut egui::Ui, card: &crate::model::card::StoredCard) {
    let Some(title) = &card.source else { return };
    let text = format!("Source: {title}");
    match &card.source_url {
        Some(url) => {
            ui.hyperlink_to(text, url).on_hover_text(url);
        }
        None => {
            ui.label(egui::RichText::new(text).weak());
        }
    }
}
