//! Sync from the window (the deck list's Sync, Y): with the login kept, at once; the first
//! time, a window asks for the server, the user and the password (the password is sent to log
//! in and dropped; only the host key is kept). The sync runs on the job thread.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::Job;
use crate::app::progress::Progress;
use crate::app::sync;

/// What the window says while a sync runs.
pub const SYNCING: &str = "Syncing with the Anki sync server…";

/// The login window's state while it is open.
#[derive(Default)]
pub struct SyncDialog {
    server: String,
    user: String,
    password: String,
}

/// What the login window asks for.
pub enum Asked {
    Nothing,
    Close,
    /// Log in with these, then sync.
    Sync {
        server: String,
        user: String,
        password: String,
    },
}

impl SyncDialog {
    pub fn window(&mut self, ctx: &egui::Context) -> Asked {
        let mut open = true;
        let mut asked = Asked::Nothing;
        egui::Window::new("Sync: log in")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| asked = self.ui(ui));
        if open { asked } else { Asked::Close }
    }

    fn ui(&mut self, ui: &mut Ui) -> Asked {
        let mut asked = Asked::Nothing;
        ui.label(
            "Your Anki sync server (`python -m anki.syncserver`, the one AnkiDroid and Anki \
             sync with). Only the key it returns is kept, readable by you alone.",
        );
        ui.add_space(8.0);
        egui::Grid::new("sync_login")
            .num_columns(2)
            .spacing([16.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label("Server");
                ui.add(
                    egui::TextEdit::singleline(&mut self.server)
                        .hint_text("e.g. http://192.168.1.10:8080")
                        .desired_width(280.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("User");
                ui.add(egui::TextEdit::singleline(&mut self.user).desired_width(280.0))
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Password");
                ui.add(
                    egui::TextEdit::singleline(&mut self.password)
                        .password(true)
                        .desired_width(280.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let ready = !self.server.trim().is_empty() && !self.user.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new("Log in and sync"))
                .clicked()
            {
                asked = Asked::Sync {
                    server: self.server.trim().to_string(),
                    user: self.user.trim().to_string(),
                    password: std::mem::take(&mut self.password),
                };
            }
            if ui.button("Cancel").clicked() {
                asked = Asked::Close;
            }
        });
        ui.label(
            RichText::new(
                "Syncs by whole collections: after a sync here, your other devices are asked \
                 for a full sync; choose Download there (sync them before you study on them).",
            )
            .weak(),
        );
        asked
    }
}

/// The job that syncs (logging in first with `given`: server, user and password), keeping the
/// login at `login_path`.
pub fn job(login_path: PathBuf, given: Option<(String, String, String)>) -> Job {
    let progress = Progress::default();
    Job {
        doing: SYNCING.into(),
        if_closed: "Closing the window now stops it: nothing here is changed until the \
                    server has taken the collection.",
        progress: None,
        work: Box::new(move |coll| {
            let e = |e: crate::app::error::AppError| e.to_string();
            let login = match given {
                Some((server, user, password)) => {
                    let login = sync::log_in(&server, &user, &password).map_err(e)?;
                    sync::save_login(&login_path, &login).map_err(e)?;
                    login
                }
                None => sync::saved_login(&login_path)
                    .map_err(e)?
                    .ok_or("not logged in to a sync server")?,
            };
            let summary = coll.sync(&login, &progress).map_err(e)?;
            Ok(summary.describe(&login.server))
        }),
    }
}
