//! The Settings screen. Every change is saved to the collection and applied at once.

use crate::ui::commands::Command;
use crate::ui::page::Page;
use egui::{RichText, Ui};

use super::{Nav, top_bar};
use std::sync::{Arc, Mutex};

use crate::app::error::AppError;
use crate::app::progress::Progress;
use crate::app::scheduler::SettingsChange;

use crate::app::collection::Collection;
use crate::model::evaluate::Evaluation;
use crate::model::schedule::fsrs::{self, Optimised, REVIEWS_TO_OPTIMISE};
use crate::model::schedule::{Algorithm, Grading};
use crate::model::settings::{Settings, Theme};

pub struct SettingsScreen {
    /// The values being edited; saved whenever they differ from the collection's.
    draft: Settings,
    /// SM-2 against FSRS on the learner's history, once asked for.
    evaluation: Option<Option<Evaluation>>,
    /// What the last fit of FSRS's parameters said, when it kept them as they were.
    fit_message: Option<String>,
    /// Work that takes seconds at 100 000 cards (comparing, fitting, working out or saving a
    /// change of scheduler), for the app to run off the UI thread.
    job: Option<super::Job>,
    /// Where that job leaves what it worked out.
    worked: Arc<Mutex<Option<Worked>>>,
    /// A change of scheduler worked out, shown before it is saved.
    proposed: Option<SettingsChange>,
    /// What the last change of scheduler came to, when it was not saved.
    message: Option<String>,
    /// The sync server logged in to (read when the screen opens).
    login: Option<crate::app::sync::Login>,
}

/// What closing the window does while a job only reads.
const READS_ONLY: &str = "It only reads: closing the window now changes nothing.";

/// What the window says while the schedulers are compared.
pub const COMPARING: &str = "Scoring SM-2 and FSRS on your reviews…";

/// What the window says while a change of scheduler is worked out.
pub const PLANNING: &str = "Working out every card's schedule with the new settings…";

/// What the window says while FSRS's parameters are fitted.
pub const FITTING: &str = "Fitting FSRS's parameters to your reviews…";

/// What a job of this screen worked out, left by its thread for the screen.
enum Worked {
    /// A change of scheduler, to show before it is saved.
    Planned(Box<SettingsChange>),
    /// SM-2 against FSRS (None: nothing to score yet).
    Evaluated(Option<Evaluation>),
    /// FSRS's parameters fitted to the reviews learned from (None: too few of them).
    Fitted(u32, Option<Optimised>),
}

impl SettingsScreen {
    pub fn new(coll: &Collection) -> Self {
        SettingsScreen {
            draft: coll.settings,
            evaluation: None,
            fit_message: None,
            job: None,
            worked: Arc::default(),
            proposed: None,
            message: None,
            login: coll
                .sync_login_path()
                .and_then(|p| crate::app::sync::saved_login(&p).ok().flatten()),
        }
    }

    /// The settings, a row each.
    fn grid(&mut self, ui: &mut Ui) {
        let mut fit = false;
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
                    if fit_ui(ui, self.fit_message.as_deref(), &mut d.scheduler.fsrs_parameters) {
                        self.fit_message = None;
                        fit = true;
                    }
                    ui.end_row();
                }

                let mut options = d.answer_options();
                super::deck_options::answer_options_rows(ui, &mut options);
                *d = d.with_answer_options(options);

                ui.label("Theme");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut d.theme, Theme::System, "System");
                    ui.radio_value(&mut d.theme, Theme::Light, "Light");
                    ui.radio_value(&mut d.theme, Theme::Dark, "Dark");
                });
                ui.end_row();
            });
        if fit {
            self.fit();
        }
    }

    /// Asks the app to fit FSRS's parameters to the learner's log, on its job thread (the
    /// log read, then training: seconds on a large one).
    pub(super) fn fit(&mut self) {
        self.job = Some(self.job_of(FITTING, READS_ONLY, |coll, progress| {
            let (reviews, fitted) = coll.fit_fsrs(progress)?;
            Ok(Worked::Fitted(reviews, fitted))
        }));
    }

    /// Asks the app to score SM-2 and FSRS on the learner's history, on its job thread.
    pub(super) fn compare(&mut self) {
        self.job = Some(self.job_of(COMPARING, READS_ONLY, |coll, progress| {
            Ok(Worked::Evaluated(coll.evaluate(progress)?))
        }));
    }

    /// Chooses a scheduler, as its radio button does: worked out at the next frame.
    pub(super) fn choose(&mut self, algorithm: Algorithm) {
        self.draft.scheduler.algorithm = algorithm;
    }

    /// A job of this screen: `work` runs on the job thread with `progress` (and its Cancel),
    /// and what it works out is left for [`Page::finished`].
    fn job_of(
        &self,
        doing: &str,
        if_closed: &'static str,
        work: impl FnOnce(&mut Collection, &Progress) -> Result<Worked, AppError> + Send + 'static,
    ) -> super::Job {
        let slot = self.worked.clone();
        let progress = Progress::default();
        super::Job {
            doing: doing.into(),
            if_closed,
            progress: Some(progress.clone()),
            work: Box::new(move |coll| {
                let worked = work(coll, &progress).map_err(|e| e.to_string())?;
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some(worked);
                }
                Ok(String::new())
            }),
        }
    }

    /// The sync server logged in to, with Log out.
    fn sync_ui(&mut self, ui: &mut Ui, coll: &Collection) {
        ui.horizontal(|ui| {
            ui.label("Sync");
            match &self.login {
                Some(login) => {
                    ui.label(format!("{} as {}", login.server, login.user));
                    if ui
                        .button("Log out")
                        .on_hover_text("Forget the key the server gave")
                        .clicked()
                        && let Some(path) = coll.sync_login_path()
                    {
                        self.message = Some(match std::fs::remove_file(&path) {
                            Ok(()) => {
                                self.login = None;
                                "Logged out: the server's key is forgotten.".into()
                            }
                            Err(e) => format!("cannot remove {}: {e}", path.display()),
                        });
                    }
                }
                None => {
                    ui.label(
                        RichText::new(
                            "Not logged in: Sync (Y) on the deck list asks for the server.",
                        )
                        .weak(),
                    );
                }
            }
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
            self.compare();
        }
        match &self.evaluation {
            None => {}
            Some(None) => {
                ui.label(
                    "Nothing to evaluate yet: no card has been reviewed on two different days.",
                );
            }
            Some(Some(e)) => {
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

/// Which FSRS parameters are in use, with the fit's last word; true when Optimise is pressed
/// (fitted parameters go into the draft, which is saved, and every card rescheduled, like any
/// other change).
fn fit_ui(ui: &mut Ui, message: Option<&str>, in_use: &mut Option<Optimised>) -> bool {
    let mut fit = false;
    ui.vertical(|ui| {
        ui.label(fsrs::describe(in_use.as_ref()));
        ui.horizontal(|ui| {
            let optimise = ui.button("Optimise").on_hover_text(format!(
                "Fit FSRS's parameters to your review log (from {REVIEWS_TO_OPTIMISE} reviews \
                 on) and reschedule every card with them"
            ));
            fit = optimise.clicked();
            if in_use.is_some() && ui.button("Use defaults").clicked() {
                *in_use = None;
            }
        });
        if let Some(m) = message {
            ui.label(RichText::new(m).weak());
        }
    });
    fit
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
            self.grid(ui);
            ui.add_space(16.0);
            ui.label(
                RichText::new(
                    "Changes are saved at once. Limits count today's answers, so restarting does not reset them. The limits, siblings and leeches here are the Default preset's: a deck's Options on the deck list may give it others.",
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
            ui.add_space(8.0);
            self.sync_ui(ui, coll);
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
                let settings = self.draft;
                self.message = None;
                self.job = Some(self.job_of(
                    PLANNING,
                    "Nothing is saved until you apply it: closing the window now keeps the \
                     schedule as it was.",
                    move |coll, progress| {
                        Ok(Worked::Planned(Box::new(
                            coll.plan_settings(settings, progress)?,
                        )))
                    },
                ));
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
        let worked = self.worked.lock().ok().and_then(|mut slot| slot.take());
        match outcome {
            Ok(_) => {
                match worked {
                    Some(Worked::Evaluated(evaluation)) => self.evaluation = Some(evaluation),
                    Some(Worked::Fitted(_, Some(fitted))) => {
                        // Saved, and every card rescheduled, as any change of the draft.
                        self.draft.scheduler.fsrs_parameters = Some(fitted);
                    }
                    Some(Worked::Fitted(reviews, None)) => {
                        self.fit_message = Some(format!(
                            "Only {reviews} reviews to learn from: fitting needs \
                             {REVIEWS_TO_OPTIMISE}. The defaults stay."
                        ));
                    }
                    // A change worked out is shown; one saved is done.
                    Some(Worked::Planned(change)) => self.proposed = Some(*change),
                    None => self.draft = coll.settings,
                }
                Ok(None)
            }
            Err(e) if super::jobs::was_cancelled(&e) => {
                *self = SettingsScreen::new(coll);
                self.message = Some("Cancelled: nothing was changed.".into());
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
