//! The Review screen: front, Show answer, back and note, grade buttons with their intervals.

use crate::ui::page::Page;
use std::time::Instant;

use egui::{Align, Layout, RichText, Ui};

use super::commands::Command;
use super::session_end::{self, CustomForm, EndAction, Summary};
use super::{Nav, count_text};
use crate::app::collection::Collection;
use crate::app::session::{Session, leech_notice};
use crate::model::card::StoredCard;
use crate::model::card_info::CardInfo;
use crate::model::held::CustomStudy;
use crate::model::schedule;
use crate::model::schedule::{Button, Grading};
use crate::model::stats::count_of;

pub struct ReviewScreen {
    session: Session,
    card: Option<StoredCard>,
    revealed: bool,
    shown_at: Instant,
    show_info: bool,
    /// The current card's Card info, read while its window is open.
    info: Option<CardInfo>,
    /// (quality, interval days) for each answer button of the current card.
    preview: Vec<schedule::Preview>,
    summary: Option<Summary>,
    /// The last answer made a card a leech: what to tell.
    leech: Option<String>,
    /// The last answer buried related cards: what to tell.
    buried_notice: Option<String>,
    /// Custom study's form, when open on the end screen.
    custom: Option<CustomForm>,
    /// The shortcut overlay is open.
    show_help: bool,
}

impl ReviewScreen {
    pub fn new(coll: &Collection, session: Session) -> Result<ReviewScreen, String> {
        let mut screen = ReviewScreen {
            session,
            card: None,
            revealed: false,
            shown_at: Instant::now(),
            show_info: false,
            info: None,
            preview: Vec::new(),
            summary: None,
            leech: None,
            buried_notice: None,
            custom: None,
            show_help: false,
        };
        screen.load(coll)?;
        Ok(screen)
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn card(&self) -> Option<&StoredCard> {
        self.card.as_ref()
    }

    pub fn revealed(&self) -> bool {
        self.revealed
    }

    /// Back from Browse: the current card read again (Browse may have changed it), shown as it
    /// was (question or answer).
    pub fn resume(&mut self, coll: &Collection) -> Result<(), String> {
        let revealed = self.revealed;
        self.load(coll)?;
        self.revealed = revealed && self.card.is_some();
        Ok(())
    }

    /// Card info of the current card, when its window is open.
    fn load_info(&mut self, coll: &Collection) -> Result<(), String> {
        self.info = match &self.card {
            Some(c) if self.show_info => Some(coll.card_info(c.id).map_err(|e| e.to_string())?),
            _ => None,
        };
        Ok(())
    }

    /// Loads the session's current card (or the summary), once per change, not per frame.
    fn load(&mut self, coll: &Collection) -> Result<(), String> {
        self.revealed = false;
        self.shown_at = Instant::now();
        self.card = match self.session.current() {
            Some(id) => Some(coll.card(id).map_err(|e| e.to_string())?),
            None => None,
        };
        let today = coll.today();
        self.load_info(coll)?;
        self.preview = match &self.card {
            Some(c) => schedule::preview(&c.state, today, &coll.settings.scheduler, &c.key),
            None => Vec::new(),
        };
        self.summary = match self.card {
            Some(_) => None,
            None => Some(Summary::of(&self.session, coll, today)?),
        };
        Ok(())
    }

    fn answer(&mut self, coll: &mut Collection, quality: u8) -> Result<(), String> {
        let now = coll.now();
        let answered = self
            .session
            .answer(coll, quality, now, self.shown_at.elapsed())
            .map_err(|e| e.to_string())?;
        self.leech = answered
            .leech
            .map(|(lapses, suspended)| leech_notice(lapses, suspended));
        self.buried_notice = (!answered.buried.is_empty()).then(|| {
            let n = answered.buried.len() as u64;
            let wait = if n == 1 { "waits" } else { "wait" };
            format!(
                "{} {wait} until tomorrow (buried: related to the card just answered).",
                count_of(n, "related card")
            )
        });
        self.load(coll)
    }

    /// Unbury or custom study, from the end screen: the session goes on with what they add.
    fn end_action(&mut self, coll: &mut Collection, end: EndAction) -> Result<(), String> {
        let today = coll.today();
        let e = |e: crate::app::error::AppError| e.to_string();
        let deck = self.session.deck().map(str::to_string);
        match (end, deck) {
            (EndAction::Unbury, Some(deck)) => {
                coll.unbury_deck(&deck, today).map_err(e)?;
            }
            (EndAction::Custom(CustomStudy::MoreNew(n)), Some(_)) => {
                coll.study_more_today(n, 0, today).map_err(e)?;
            }
            (EndAction::Custom(CustomStudy::MoreReviews(n)), Some(_)) => {
                coll.study_more_today(0, n, today).map_err(e)?;
            }
            // A session of its own, read once (not reloaded below).
            (EndAction::Custom(study), Some(deck)) => {
                if let Some(filtered) = study.filtered(&deck) {
                    self.session = Session::start_filtered(coll, &filtered, today).map_err(e)?;
                }
                self.custom = None;
                return self.load(coll);
            }
            _ => {}
        }
        self.custom = None;
        self.session.reload(coll, today).map_err(e)?;
        self.load(coll)
    }

    fn undo(&mut self, coll: &mut Collection) -> Result<(), String> {
        let today = coll.today();
        if self
            .session
            .undo(coll, today)
            .map_err(|e| e.to_string())?
            .is_some()
        {
            self.leech = None;
            self.buried_notice = None;
            self.load(coll)?;
        }
        Ok(())
    }

    /// Runs an action on the current card, then shows what is current after it.
    fn act(
        &mut self,
        coll: &mut Collection,
        f: impl FnOnce(&mut Session, &mut Collection) -> Result<(), crate::app::error::AppError>,
    ) -> Result<Option<Nav>, String> {
        f(&mut self.session, coll).map_err(|e| e.to_string())?;
        self.leech = None;
        let revealed = self.revealed;
        let same = self.card.as_ref().map(|c| c.id) == self.session.current();
        self.load(coll)?;
        // A flag leaves the card where it is, answer shown or not.
        if same {
            self.revealed = revealed;
        }
        Ok(None)
    }

    /// The action of the frame's first shortcut that means something now.
    fn command_action(&self, commands: &[Command], grading: Grading) -> Option<Action> {
        let mut action = None;
        for c in commands {
            action = match (*c, self.card.is_some(), self.revealed) {
                (Command::Undo, ..) => Some(Action::Undo),
                (Command::CardInfo, ..) => Some(Action::ToggleInfo),
                (Command::Help, ..) => Some(Action::ToggleHelp),
                (Command::Suspend, true, _) => Some(Action::Suspend),
                (Command::Bury, true, _) => Some(Action::Bury),
                (Command::Flag(n), true, _) => Some(Action::Flag(n)),
                (Command::Browse, true, _) => Some(Action::Browse),
                (Command::ShowAnswer, true, false) => Some(Action::Reveal),
                (Command::ShowAnswer, true, true) => Some(Action::Grade(Button::Good.quality())),
                (Command::Grade(d), true, true) => grading.quality_of_digit(d).map(Action::Grade),
                _ => None,
            };
            // One action per frame: the first command wins, the rest of the frame's keys wait.
            if action.is_some() {
                break;
            }
        }
        action
    }

    /// Decks, the deck's title, Undo, Card info and the counts left.
    fn top_bar(&self, ui: &mut Ui) -> Option<Action> {
        let mut action = None;
        egui::Panel::top("review_top").show(ui, |ui| {
            ui.horizontal(|ui| {
                if ui
                    .button("Decks")
                    .on_hover_text("Back to the decks (Escape)")
                    .clicked()
                {
                    action = Some(Action::Back);
                }
                ui.label(RichText::new(self.session.title()).strong());
                if let Some((name, color)) = self
                    .card
                    .as_ref()
                    .and_then(|c| super::flag_colored(ui.visuals(), c.flag))
                {
                    ui.label(RichText::new(format!("flagged {name}")).color(color));
                }
                super::trailing(ui, "review_top", |ui| {
                    let r = self.session.remaining();
                    let p = super::theme::palette(ui.visuals());
                    ui.label(count_text(r.new, p.new))
                        .on_hover_text("new cards left");
                    ui.label("+");
                    ui.label(count_text(r.repeat, p.repeat))
                        .on_hover_text("same-day repeats left");
                    ui.label("+");
                    ui.label(count_text(r.due, p.due))
                        .on_hover_text("due reviews left");
                    if ui
                        .selectable_label(self.show_info, "Card info")
                        .on_hover_text("I")
                        .clicked()
                    {
                        action = Some(Action::ToggleInfo);
                    }
                    let undo = ui.add_enabled(self.session.can_undo(), egui::Button::new("Undo"));
                    if undo.on_hover_text("Ctrl+Z").clicked() {
                        action = Some(Action::Undo);
                    }
                    if ui
                        .selectable_label(self.show_help, "?")
                        .on_hover_text("Every shortcut (?)")
                        .clicked()
                    {
                        action = Some(Action::ToggleHelp);
                    }
                });
            });
            if let Some(notice) = &self.leech {
                ui.label(RichText::new(notice).color(ui.visuals().warn_fg_color));
            }
            if let Some(notice) = &self.buried_notice {
                ui.label(RichText::new(notice).weak());
            }
        });
        action
    }

    /// Show answer, or the grade buttons with what each would do; Card info under them.
    fn answer_bar(&self, ui: &mut Ui, grading: Grading) -> Option<Action> {
        let mut action = None;
        egui::Panel::bottom("review_answer").show(ui, |ui| {
            ui.add_space(8.0);
            ui.vertical_centered(|ui| {
                if self.revealed {
                    ui.horizontal(|ui| {
                        let n = self.preview.len() as f32;
                        let width = 120.0;
                        let spacing = ui.spacing().item_spacing.x;
                        ui.add_space(
                            ((ui.available_width() - n * width - (n - 1.0) * spacing) / 2.0)
                                .max(0.0),
                        );
                        for (key, p) in self.preview.iter().enumerate() {
                            let digit = match grading {
                                Grading::FourButtons => key + 1,
                                Grading::SixGrades => key,
                            };
                            let name = grading.button_label(p.quality);
                            // In cram nothing is rescheduled: no interval to promise.
                            let (interval, note) = if self.session.cram() {
                                ("no change".to_string(), None)
                            } else {
                                (p.label(), p.ease_note(&self.preview))
                            };
                            let layout = Layout::top_down(Align::Center);
                            ui.allocate_ui_with_layout(egui::vec2(width, 90.0), layout, |ui| {
                                let shown = ui.label(RichText::new(&interval).weak());
                                match p.explained().filter(|_| !self.session.cram()) {
                                    Some(why) => {
                                        shown.on_hover_text(why);
                                    }
                                    None if self.session.cram() => {
                                        shown.on_hover_text(
                                            "Cram: the answer is logged; the card's schedule stays",
                                        );
                                    }
                                    None => {}
                                }
                                ui.label(RichText::new(note.as_deref().unwrap_or(" ")).weak());
                                let button = egui::Button::new(RichText::new(name).size(16.0))
                                    .min_size(egui::vec2(width, 40.0));
                                // Read out as "Good 15d": the button and what it does.
                                let response = ui.add(button).on_hover_text(format!("key {digit}"));
                                let label = match &note {
                                    Some(note) => format!("{name} {interval} · {note}"),
                                    None => format!("{name} {interval}"),
                                };
                                response.widget_info(|| {
                                    egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                                });
                                if response.clicked() {
                                    action = Some(Action::Grade(p.quality));
                                }
                            });
                        }
                    });
                } else {
                    let button = egui::Button::new(RichText::new("Show answer").size(16.0))
                        .min_size(egui::vec2(240.0, 48.0));
                    if ui.add(button).on_hover_text("Space / Enter").clicked() {
                        action = Some(Action::Reveal);
                    }
                }
            });
            ui.add_space(8.0);
        });
        action
    }

    /// The question, then the answer and its note; the summary at the end.
    fn body(&mut self, ui: &mut Ui) -> Option<Action> {
        let mut action = None;
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                let width = ui.available_width().min(760.0);
                ui.vertical_centered(|ui| {
                    ui.set_max_width(width);
                    ui.add_space(24.0);
                    match (&self.card, &self.summary) {
                        (Some(card), _) => {
                            let strong = ui.visuals().strong_text_color();
                            ui.label(RichText::new(&card.front).size(26.0).color(strong));
                            if self.revealed {
                                ui.add_space(12.0);
                                ui.separator();
                                ui.add_space(12.0);
                                ui.label(RichText::new(&card.back).size(26.0).strong());
                                if let Some(note) = &card.note {
                                    ui.add_space(12.0);
                                    ui.label(RichText::new(note).italics().size(15.0));
                                }
                            }
                        }
                        (None, Some(summary)) => {
                            action =
                                session_end::ui(ui, summary, &mut self.custom).map(Action::End);
                        }
                        (None, None) => {}
                    }
                });
            });
        });
        action
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Back,
    Reveal,
    Grade(u8),
    Undo,
    ToggleInfo,
    Suspend,
    Bury,
    Flag(u8),
    Browse,
    ToggleHelp,
    End(EndAction),
}

impl Page for ReviewScreen {
    fn commands(&self) -> &'static [Command] {
        &Command::REVIEW
    }

    fn ui(
        &mut self,
        ui: &mut Ui,
        coll: &mut Collection,
        commands: &[Command],
    ) -> Result<Option<Nav>, String> {
        let grading = coll.settings.scheduler.grading;
        // A click wins over a key press of the same frame.
        let mut action = self.command_action(commands, grading);
        action = self.top_bar(ui).or(action);
        if self.card.is_some() {
            action = self.answer_bar(ui, grading).or(action);
        }
        action = self.body(ui).or(action);
        if self.show_help && super::commands::overlay(ui.ctx(), &Command::REVIEW, grading) {
            action = action.or(Some(Action::ToggleHelp));
        }
        if let (Some(card), Some(info)) = (&self.card, &self.info) {
            let mut open = self.show_info;
            super::card_info::window(ui.ctx(), &mut open, card, info);
            if !open {
                action = action.or(Some(Action::ToggleInfo));
            }
        }
        match action {
            None => Ok(None),
            Some(Action::Back) => Ok(Some(Nav::Decks)),
            Some(Action::Reveal) => {
                self.revealed = true;
                Ok(None)
            }
            Some(Action::Grade(q)) => self.answer(coll, q).map(|()| None),
            Some(Action::Undo) => self.undo(coll).map(|()| None),
            Some(Action::ToggleInfo) => {
                self.show_info = !self.show_info;
                self.load_info(coll).map(|()| None)
            }
            Some(Action::ToggleHelp) => {
                self.show_help = !self.show_help;
                Ok(None)
            }
            Some(Action::Browse) => Ok(self.card.as_ref().map(|c| Nav::BrowseCard(c.id))),
            Some(Action::Suspend) => self.act(coll, |s, c| s.suspend_current(c).map(drop)),
            Some(Action::Bury) => {
                let today = coll.today();
                self.act(coll, |s, c| s.bury_current(c, today).map(drop))
            }
            Some(Action::Flag(n)) => self.act(coll, |s, c| s.flag_current(c, n).map(drop)),
            Some(Action::End(EndAction::Back)) => Ok(Some(Nav::Decks)),
            Some(Action::End(end)) => self.end_action(coll, end).map(|()| None),
        }
    }
}
