//! The Settings screen. Every change is saved to the collection and applied at once.

use crate::ui::commands::Command;
use crate::ui::page::Page;
use egui::{RichText, Ui};

use super::{Nav, top_bar};
use std::sync::{Arc, Mutex};

use crate::app::collection::SettingsChange;
use crate::app::progress::Progress;
use std::sync::mpsc::{Receiver, TryRecvError};

use crate::app::collection::Collection;
use crate::model::evaluate::{self, Evaluation};
use crate::model::schedule::fsrs::{self, Optimised, REVIEWS_TO_OPTIMISE};
use crate::model::schedule::{Algorithm, Grading};
use crate::model::settings::{LeechAction, Settings, Theme};

pub struct SettingsScreen {
    /// The values being edited; saved whenever they differ from the collection's.
    draft: Settings,
    /// SM-2 against FSRS on the learner's history, once asked for.
    evaluation: Option<Result<Option<Evaluation>, String>>,
    /// Where the job that compares the schedulers leaves its result.
    evaluated: Arc<Mutex<Option<Option<Evaluation>>>>,
    fit: Fit,
    /// A change that reschedules every card (seconds at 100 000 cards), for the app to work
    /// out or save off the UI thread.
    job: Option<super::Job>,
    /// Where the job that works out a change of scheduler leaves it.
    planned: Arc<Mutex<Option<SettingsChange>>>,
    /// A change of scheduler worked out, shown before it is saved.
    proposed: Option<SettingsChange>,
    /// What the last change of scheduler came to, when it was not saved.
    message: Option<String>,
}

/// What the window says while the schedulers are compared.
pub const COMPARING: &str = "Scoring SM-2 and FSRS on your reviews…";

/// What the window says while a change of scheduler is worked out.
pub const PLANNING: &str = "Working out every card's schedule with the new settings…";

/// What fitting FSRS's parameters gives: None when the log is too short for it.
type Fitted = Result<Option<Optimised>, String>;

/// Fitting FSRS's parameters off the UI thread.
#[derive(Default)]
struct Fit {
    /// The reviews being learned from, and where the result arrives.
    job: Option<(u32, Receiver<Fitted>)>,
    /// What the last fit said, when it kept the parameters as they were.
    message: Option<String>,
}

impl SettingsScreen {
    pub fn new(coll: &Collection) -> Self {
        SettingsScreen {
            draft: coll.settings,
            evaluation: None,
            evaluated: Arc::default(),
            fit: Fit::default(),
            job: None,
            planned: Arc::default(),
            proposed: None,
            message: None,
        }
    }

    /// The settings, a row each.
    fn grid(&mut self, ui: &mut Ui, coll: &Collection) {
        let d = &mut self.draft;
        egui::Grid::new("settings")
            .num_columns(2)
            .spacing([24.0, 12.0])
            .show(ui, |ui| {
                let label = ui.label("New cards/day");
                ui.add(egui::DragValue::new(&mut d.new_per_day).range(0..=9999))
                    .labelled_by(label.id);
                ui.end_row();

                let label = ui.label("Reviews/day");
                ui.add(egui::DragValue::new(&mut d.reviews_per_day).range(0..=99999))
                    .labelled_by(label.id);
                ui.end_row();

                let label = ui.label("Next day starts at");
                ui.add(
                    egui::DragValue::new(&mut d.scheduler.rollover_hour)
                        .range(0..=23)
                        .suffix(":00"),
                )
                .labelled_by(label.id);
                ui.end_row();

                ui.label("Interval fuzz");
                ui.checkbox(&mut d.scheduler.fuzz, "Spread intervals above 2 days by up to ±5%");
                ui.end_row();

                ui.label("Grading");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut d.scheduler.grading, Grading::FourButtons, "4 buttons (Again, Hard, Good, Easy)");
                    ui.radio_value(&mut d.scheduler.grading, Grading::SixGrades, "SM-2 grades 0-5");
                });
                ui.end_row();

                ui.label("Scheduler");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut d.scheduler.algorithm, Algorithm::Sm2, "SM-2");
                    ui.radio_value(&mut d.scheduler.algorithm, Algorithm::Fsrs, "FSRS-6")
                        .on_hover_text("Switching reschedules every card from its answers; switching back restores SM-2's schedule exactly");
                });
                ui.end_row();

                if d.scheduler.algorithm == Algorithm::Fsrs {
                    let label = ui.label("Desired retention");
                    ui.add(
                        egui::DragValue::new(&mut d.scheduler.desired_retention)
                            .range(0.7..=0.99)
                            .speed(0.005)
                            .fixed_decimals(2),
                    )
                    .labelled_by(label.id);
                    ui.end_row();

                    let label = ui.label("Maximum interval");
                    ui.add(
                        egui::DragValue::new(&mut d.scheduler.max_interval)
                            .range(1..=36_500)
                            .suffix(" days"),
                    )
                    .labelled_by(label.id);
                    ui.end_row();

                    ui.label("Parameters");
                    self.fit.ui(ui, coll, &mut d.scheduler.fsrs_parameters);
                    ui.end_row();
                }

                ui.label("Siblings");
                ui.checkbox(
                    &mut d.bury_siblings,
                    "Once a card is answered, keep the rest of its fact or list for another day",
                );
                ui.end_row();

                let label = ui.label("Leech after");
                ui.horizontal(|ui| {
                    ui.add(
                        egui::DragValue::new(&mut d.leech_threshold)
                            .range(0..=99)
                            .suffix(" lapses"),
                    )
                    .labelled_by(label.id)
                    .on_hover_text("0: never. Then again every half of it, as in Anki");
                    ui.radio_value(&mut d.leech_action, LeechAction::Suspend, "Suspend and tag");
                    ui.radio_value(&mut d.leech_action, LeechAction::TagOnly, "Tag only");
                });
                ui.end_row();

                ui.label("Theme");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut d.theme, Theme::System, "System");
                    ui.radio_value(&mut d.theme, Theme::Light, "Light");
                    ui.radio_value(&mut d.theme, Theme::Dark, "Dark");
                });
                ui.end_row();
            });
    }

    /// SM-2 and FSRS scored on the learner's own reviews, on demand.
    fn evaluation_ui(&mut self, ui: &mut Ui) {
        ui.label(RichText::new("Which scheduler fits your memory?").strong());
        if ui
            .button("Compare SM-2 and FSRS on my history")
            .on_hover_text("Predicts each of your reviews from the ones before it")
            .clicked()
        {
            // On the job thread (the log read and scored: seconds on a large one).
            let slot = self.evaluated.clone();
            self.job = Some(super::Job {
                doing: COMPARING.into(),
                if_closed: "It only reads: closing the window now changes nothing.",
                progress: None,
                work: Box::new(move |coll| {
                    let evaluation = coll.evaluate().map_err(|e| e.to_string())?;
                    if let Ok(mut slot) = slot.lock() {
                        *slot = Some(evaluation);
                    }
                    Ok(String::new())
                }),
            });
        }
        match &self.evaluation {
            None => {}
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
            Some(Ok(None)) => {
                ui.label(
                    "Nothing to evaluate yet: no card has been reviewed on two different days.",
                );
            }
            Some(Ok(Some(e))) => {
                egui::Grid::new("evaluation")
                    .num_columns(3)
                    .spacing([24.0, 4.0])
                    .show(ui, |ui| {
                        ui.label(format!("{} reviews predicted", e.reviews));
                        ui.label(RichText::new("SM-2").strong());
                        ui.label(RichText::new(format!("FSRS ({})", e.fsrs_parameters)).strong());
                        ui.end_row();
                        ui.label("Log loss (lower is better)");
                        ui.label(format!("{:.4}", e.sm2_log_loss));
                        ui.label(format!("{:.4}", e.fsrs_log_loss));
                        ui.end_row();
                        ui.label("RMSE over bins (lower is better)");
                        ui.label(format!("{:.4}", e.sm2_rmse_bins));
                        ui.label(format!("{:.4}", e.fsrs_rmse_bins));
                        ui.end_row();
                    });
                ui.label(&e.advice);
            }
        }
    }
}

impl Fit {
    /// Which FSRS parameters are in use, and fitting them to the learner's log (off the UI
    /// thread: a large log takes seconds). Fitted parameters go into the draft, which is saved
    /// (and every card rescheduled) like any other change.
    fn ui(&mut self, ui: &mut Ui, coll: &Collection, in_use: &mut Option<Optimised>) {
        let received = self
            .job
            .as_ref()
            .map(|(reviews, rx)| (*reviews, rx.try_recv()));
        match received {
            Some((_, Err(TryRecvError::Empty))) | None => {}
            Some((reviews, Ok(result))) => {
                self.job = None;
                match result {
                    Ok(Some(p)) => *in_use = Some(p),
                    Ok(None) => {
                        self.message = Some(format!(
                            "Only {reviews} reviews to learn from: fitting needs \
                             {REVIEWS_TO_OPTIMISE}. The defaults stay."
                        ));
                    }
                    Err(e) => self.message = Some(e),
                }
            }
            Some((_, Err(TryRecvError::Disconnected))) => {
                self.job = None;
                self.message = Some("fitting the parameters stopped unexpectedly".into());
            }
        }
        ui.vertical(|ui| {
            ui.label(fsrs::describe(in_use.as_ref()));
            ui.horizontal(|ui| {
                if let Some((reviews, _)) = &self.job {
                    ui.spinner();
                    ui.label(format!("Fitting to {reviews} reviews…"));
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(100));
                } else {
                    let optimise = ui.button("Optimise").on_hover_text(format!(
                        "Fit FSRS's parameters to your review log (from {REVIEWS_TO_OPTIMISE} \
                         reviews on) and reschedule every card with them"
                    ));
                    if optimise.clicked() {
                        self.start(coll);
                    }
                    if in_use.is_some() && ui.button("Use defaults").clicked() {
                        *in_use = None;
                    }
                }
            });
            if let Some(m) = &self.message {
                ui.label(RichText::new(m).weak());
            }
        });
    }

    /// Reads the log here, fits on another thread.
    fn start(&mut self, coll: &Collection) {
        let histories = match coll.review_histories() {
            Ok(h) => h,
            Err(e) => {
                self.message = Some(e.to_string());
                return;
            }
        };
        let today = coll.today();
        let reviews = evaluate::predictable_reviews(&histories);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(evaluate::optimise(&histories, today));
        });
        self.job = Some((reviews, rx));
        self.message = None;
    }
}

impl Page for SettingsScreen {
    fn ui(
        &mut self,
        ui: &mut Ui,
        coll: &mut Collection,
        _commands: &[Command],
    ) -> Result<Option<Nav>, String> {
        let nav = top_bar(
            ui,
            "settings_top",
            "Settings",
            "Back to the decks (Escape)",
            |_| {},
        );
        egui::CentralPanel::default().show(ui, |ui| {
            self.grid(ui, coll);
            ui.add_space(16.0);
            ui.label(
                RichText::new(
                    "Changes are saved at once. Limits count today's answers, so restarting does not reset them.",
                )
                .weak(),
            );
            if let Some(dir) = coll.user_dir() {
                ui.label(
                    RichText::new(format!(
                        "Your own cards: {} (Add on the deck list, or *.toml files of your own)",
                        dir.display()
                    ))
                    .weak(),
                );
            }
            if let Some(m) = &self.message {
                ui.label(RichText::new(m).strong());
            }
            if let Some(change) = &self.proposed {
                ui.add_space(16.0);
                if let Some(apply) = proposal_ui(ui, change) {
                    let change = self.proposed.take();
                    if let (true, Some(change)) = (apply, change) {
                        self.job = Some(super::Job {
                            doing: super::RESCHEDULING.into(),
                            if_closed: "It is one transaction: closing the window now keeps \
                                        the schedule as it was.",
                            progress: None,
                            work: Box::new(move |coll| {
                                coll.apply_settings(change)
                                    .map(|()| String::new())
                                    .map_err(|e| e.to_string())
                            }),
                        });
                    } else {
                        self.draft = coll.settings;
                        self.message = Some("Kept the schedule as it was.".into());
                    }
                }
            }
            ui.add_space(24.0);
            self.evaluation_ui(ui);
        });
        // A new scheduler replays every card: not at every step of a drag, once it is let go.
        let dragging = ui.input(|i| i.pointer.any_down());
        let replays = self
            .draft
            .scheduler
            .schedules_differently(&coll.settings.scheduler);
        let shown = self.proposed.is_some() || self.job.is_some();
        if self.draft != coll.settings && !(replays && dragging) && !shown {
            if replays {
                // Worked out first (with progress and Cancel), shown, then saved if asked.
                let (settings, planned, progress) =
                    (self.draft, self.planned.clone(), Progress::default());
                let counts = progress.clone();
                self.message = None;
                self.job = Some(super::Job {
                    doing: PLANNING.into(),
                    if_closed: "Nothing is saved until you apply it: closing the window now \
                                keeps the schedule as it was.",
                    progress: Some(counts),
                    work: Box::new(move |coll| {
                        let change = coll
                            .plan_settings(settings, &progress)
                            .map_err(|e| e.to_string())?;
                        if let Ok(mut slot) = planned.lock() {
                            *slot = Some(change);
                        }
                        Ok(String::new())
                    }),
                });
            } else {
                coll.save_settings(self.draft).map_err(|e| e.to_string())?;
            }
        }
        Ok(nav)
    }

    /// Saving settings that reschedule every card, once asked for.
    fn take_job(&mut self) -> Option<super::Job> {
        self.job.take()
    }

    /// A save that failed: the screen starts again from the settings in use.
    fn finished(
        &mut self,
        coll: &Collection,
        outcome: Result<String, String>,
    ) -> Result<Option<Nav>, String> {
        let planned = self.planned.lock().ok().and_then(|mut slot| slot.take());
        let evaluated = self.evaluated.lock().ok().and_then(|mut slot| slot.take());
        match outcome {
            Ok(_) if evaluated.is_some() => {
                self.evaluation = evaluated.map(Ok);
                Ok(None)
            }
            Ok(_) => {
                // A change worked out is shown; one saved is done.
                self.proposed = planned;
                if self.proposed.is_none() {
                    self.draft = coll.settings;
                }
                Ok(None)
            }
            Err(e) if e == crate::app::error::AppError::Cancelled.to_string() => {
                *self = SettingsScreen::new(coll);
                self.message = Some("Cancelled: the schedule is as it was.".into());
                Ok(None)
            }
            Err(e) => {
                *self = SettingsScreen::new(coll);
                Err(e)
            }
        }
    }
}

/// A change of scheduler worked out: what it does to today's numbers, with Apply and Keep.
/// Some(true) to apply it, Some(false) to keep the schedule as it is.
fn proposal_ui(ui: &mut Ui, change: &SettingsChange) -> Option<bool> {
    let mut chosen = None;
    ui.group(|ui| {
        ui.label(RichText::new("Every card rescheduled with the new settings:").strong());
        if let Some(preview) = &change.preview {
            for line in preview.lines() {
                ui.label(line);
            }
        }
        ui.horizontal(|ui| {
            if ui.button("Apply").clicked() {
                chosen = Some(true);
            }
            if ui.button("Keep the schedule as it is").clicked() {
                chosen = Some(false);
            }
        });
    });
    chosen
}
