//! Long jobs off the window's thread: the collection goes to a thread of its own and comes
//! back with the outcome; meanwhile the window says what it waits for (with progress and
//! Cancel for a job that counts its steps).

use std::sync::mpsc::TryRecvError;
use std::time::Duration;

use super::{AwscardsApp, Job, Running, Source};
use crate::app::collection::Collection;
use crate::app::progress::Progress;

/// What the window says while the collection opens.
pub const OPENING: &str = "Opening the collection…";

impl AwscardsApp {
    /// The window at once, on the collection of `source` opened on another thread (a large
    /// new facts folder takes seconds to write), with progress and Cancel.
    pub fn opening(source: Source, ctx: &egui::Context) -> Self {
        let mut app = AwscardsApp::without_collection(source);
        app.start_opening(ctx);
        app
    }

    /// Opens the collection of the app's source on another thread.
    pub(super) fn start_opening(&mut self, ctx: &egui::Context) {
        let (db, facts) = (self.source.db.clone(), self.source.facts.clone());
        let progress = Progress::default();
        let counts = progress.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let sent = match Collection::open_counted(db.as_deref(), facts.as_deref(), &counts) {
                Ok(coll) => (Some(coll), Ok(String::new())),
                Err(e) => (None, Err(e.to_string())),
            };
            let _ = tx.send(sent);
        });
        self.jobs_started += 1;
        self.job = Some(Running {
            doing: OPENING.into(),
            if_closed: "Closing the window now stops it: what was not yet saved is rolled back.",
            progress: Some(progress),
            done: rx,
            opening: true,
        });
        ctx.request_repaint();
    }

    /// Runs `job` on another thread, which holds the collection until it is done.
    pub(super) fn start(&mut self, job: Job, ctx: &egui::Context) {
        let Some(mut coll) = self.coll.take() else {
            return;
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let work = job.work;
        std::thread::spawn(move || {
            let outcome = work(&mut coll);
            let _ = tx.send((Some(coll), outcome));
        });
        self.jobs_started += 1;
        self.job = Some(Running {
            doing: job.doing,
            if_closed: job.if_closed,
            progress: job.progress,
            done: rx,
            opening: false,
        });
        ctx.request_repaint();
    }

    /// While a job runs: draws what the window waits for (at least one frame, however fast
    /// the thread was), takes the collection back once it is done, hands the outcome to the
    /// screen, and returns true.
    pub(super) fn still_working(&mut self, ui: &mut egui::Ui) -> bool {
        let Some(job) = self.job.take() else {
            return false;
        };
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(40.0);
                ui.heading(&job.doing);
                match &job.progress {
                    Some(progress) => {
                        let (done, total) = progress.counts();
                        if total == 0 {
                            // A stage that counts nothing yet (reading a file).
                            ui.spinner();
                        } else {
                            let fraction = done.min(total) as f32 / total as f32;
                            ui.add(
                                egui::ProgressBar::new(fraction)
                                    .desired_width(360.0)
                                    .text(progress.text()),
                            );
                        }
                        if progress.is_cancelled() {
                            ui.label("Stopping…");
                        } else if total > 0 && done >= total {
                            // Every step counted: what is left (an index, a commit) is not.
                            ui.label("Finishing…");
                        } else if ui.button("Cancel").clicked() {
                            progress.cancel();
                        }
                    }
                    None => {
                        ui.spinner();
                    }
                }
                ui.label(job.if_closed);
            });
        });
        match job.done.try_recv() {
            Err(TryRecvError::Empty) => {
                self.job = Some(job);
                ui.ctx().request_repaint_after(Duration::from_millis(100));
                return true;
            }
            Ok((Some(coll), _)) if job.opening => self.opened(coll),
            Ok((None, Err(e))) if was_cancelled(&e) => {
                self.error = Some(
                    "opening was cancelled: the collection is as it was. Retry opens it again."
                        .into(),
                );
            }
            Ok((None, outcome)) => self.error = outcome.err(),
            Ok((Some(coll), outcome)) => {
                self.coll = Some(coll);
                self.finished(outcome);
            }
            Err(TryRecvError::Disconnected) => {
                // The thread ended without handing the collection back; its transaction was
                // rolled back with it.
                self.error = Some(format!(
                    "\"{}\" stopped unexpectedly: the collection is reopened as it is on disk",
                    job.doing.trim_end_matches('…')
                ));
                if !job.opening {
                    self.start_opening(ui.ctx());
                }
            }
        }
        ui.ctx().request_repaint();
        true
    }
}

/// Whether a job's error is its Cancel.
pub(super) fn was_cancelled(error: &str) -> bool {
    error == crate::app::error::AppError::Cancelled.to_string()
}
