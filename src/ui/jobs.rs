//! Long jobs off the window's thread: the collection goes to a thread of its own and comes
//! back with the outcome; meanwhile the window says what it waits for (with progress and
//! Cancel for a job that counts its steps).

use std::sync::mpsc::TryRecvError;
use std::time::Duration;

use super::{AwscardsApp, Job, Running};

impl AwscardsApp {
    /// Runs `job` on another thread, which holds the collection until it is done.
    pub(super) fn start(&mut self, job: Job, ctx: &egui::Context) {
        let Some(mut coll) = self.coll.take() else {
            return;
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let work = job.work;
        std::thread::spawn(move || {
            let outcome = work(&mut coll);
            let _ = tx.send((coll, outcome));
        });
        self.job = Some(Running {
            doing: job.doing,
            if_closed: job.if_closed,
            progress: job.progress,
            done: rx,
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
                        let fraction = if total == 0 {
                            0.0
                        } else {
                            done as f32 / total as f32
                        };
                        ui.add(egui::ProgressBar::new(fraction).desired_width(360.0).text(
                            format!(
                                "{} of {}",
                                crate::model::stats::thousands(done),
                                crate::model::stats::thousands(total)
                            ),
                        ));
                        if progress.is_cancelled() {
                            ui.label("Stopping…");
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
            Ok((coll, outcome)) => {
                self.coll = Some(coll);
                self.finished(outcome);
            }
            Err(TryRecvError::Disconnected) => {
                // The thread ended without handing the collection back; its transaction was
                // rolled back with it.
                self.retry_open();
                if self.error.is_none() {
                    self.error = Some(format!(
                        "\"{}\" stopped unexpectedly: the collection was reopened as it is on \
                         disk",
                        job.doing.trim_end_matches('…')
                    ));
                }
            }
        }
        ui.ctx().request_repaint();
        true
    }
}
