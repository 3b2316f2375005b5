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
                "The first sync sends the collection whole: your other devices are then asked \
                 for a full sync once (choose Download there). Later syncs send only what \
                 changed.",
            )
            .weak(),
        );
        asked
    }
}

/// Set by a sync the server asked a full sync of: the deck list then asks which side wins.
pub type FullAsked = std::sync::Arc<std::sync::atomic::AtomicBool>;

/// The window that asks which side wins a full sync: None while it waits, Some(None) when
/// closed, Some(Some(side)) when chosen.
pub fn full_sync_window(ctx: &egui::Context) -> Option<Option<sync::FullSync>> {
    let mut open = true;
    let mut chosen = None;
    egui::Window::new("Sync: which side wins?")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        // In the middle: the line under the top bar says why it asks.
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.label(
                "The collection on the server was replaced since the last sync (another device \
                 sent its own whole), so it asks for a full sync.",
            );
            ui.add_space(8.0);
            if ui
                .button("Upload: send this collection")
                .on_hover_text("Merged into the server's: its answers are taken here first.")
                .clicked()
            {
                chosen = Some(Some(sync::FullSync::Upload));
            }
            if ui
                .button("Download: take the server's collection")
                .on_hover_text("Its answers are taken here; ours it lacks are sent after.")
                .clicked()
            {
                chosen = Some(Some(sync::FullSync::Download));
            }
            ui.label(
                RichText::new("Either way no answer is lost: both sides' answers are kept.").weak(),
            );
            if ui.button("Cancel").clicked() {
                chosen = Some(None);
            }
        });
    if open { chosen } else { Some(None) }
}

/// The job that syncs (logging in first with `given`: server, user and password), keeping the
/// login at `login_path`; `full` says which side wins a full sync, and `asked` is set when the
/// server asks for one and `full` is None.
pub fn job(
    login_path: PathBuf,
    given: Option<(String, String, String)>,
    full: Option<sync::FullSync>,
    asked: FullAsked,
) -> Job {
    let progress = Progress::default();
    Job {
        doing: SYNCING.into(),
        if_closed: "Closing the window now stops it: the next sync completes it, and no \
                    answer is lost.",
        progress: Some(progress.clone()),
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
            match coll.sync(&login, full, &progress) {
                Ok(summary) => Ok(summary.describe(&login.server)),
                Err(crate::app::error::AppError::FullSync(_)) => {
                    asked.store(true, std::sync::atomic::Ordering::SeqCst);
                    Err("The server asks for a full sync: choose which side wins.".into())
                }
                Err(err) => Err(e(err)),
            }
        }),
    }
}
