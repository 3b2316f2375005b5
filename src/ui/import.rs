//! The Import screen: bring the answers made in Anki (on a phone, on AnkiWeb) back from a
//! package Anki exported.

use crate::app::collection::Collection;
use crate::ui::commands::Command;
use crate::ui::page::Page;
use std::path::PathBuf;

use egui::Ui;

use super::file_dialog::{FileDialog, Filters};
use super::{Job, Nav, top_bar};

#[derive(Default)]
pub struct ImportScreen {
    path: String,
    /// The last import's outcome: Ok(message) or Err(message).
    outcome: Option<Result<String, String>>,
    /// An import asked for, for the app to run off the UI thread.
    job: Option<Job>,
    dialog: FileDialog,
}

/// What the Import dialog offers.
const PACKAGES: Filters = &[("Anki package", &["apkg", "colpkg"])];

impl ImportScreen {
    /// Asks the app to import the package at `path` (on its job thread).
    pub(super) fn import_from(&mut self, path: PathBuf) {
        self.outcome = None;
        let progress = crate::app::progress::Progress::default();
        self.job = Some(Job {
            doing: format!("Importing {}…", path.display()),
            if_closed: "It is one transaction: closing the window now imports nothing.",
            progress: Some(progress.clone()),
            work: Box::new(move |coll| {
                coll.import_package(&path, &progress)
                    .map(|s| s.describe(&path))
                    .map_err(|e| e.to_string())
            }),
        });
    }

    pub fn outcome(&self) -> Option<&Result<String, String>> {
        self.outcome.as_ref()
    }
}

/// `~/x` as the home folder's `x`.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), directories::UserDirs::new()) {
        (Some(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => PathBuf::from(path),
    }
}

impl Page for ImportScreen {
    fn ui(
        &mut self,
        ui: &mut Ui,
        _coll: &mut Collection,
        _commands: &[Command],
    ) -> Result<Option<Nav>, String> {
        let nav = top_bar(
            ui,
            "import_top",
            "Import from Anki",
            "Back to the decks (Escape)",
            |_| {},
        );
        let mut run = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label(
                "Answers you gave in Anki (AnkiDroid, AnkiMobile, AnkiWeb) to cards exported \
                 from here: in Anki, File > Export, \"Anki Deck Package\" or \"Anki Collection \
                 Package\" with scheduling included, then pick that file here. Answers already \
                 in this collection are not added again; each card that got new answers is \
                 rescheduled from its whole history.",
            );
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                let label = ui.label("File");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.path)
                            .hint_text("e.g. ~/Downloads/AWS Big Data.apkg")
                            .desired_width(420.0),
                    )
                    .labelled_by(label.id);
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    run = true;
                }
                let choose = ui.add_enabled(!self.dialog.is_open(), egui::Button::new("Choose…"));
                if choose
                    .on_hover_text("Your desktop's file dialog (or type the path)")
                    .clicked()
                {
                    self.dialog.open("Import an Anki package", PACKAGES);
                }
                if let Some(path) = self.dialog.chosen(ui.ctx()) {
                    self.path = path.display().to_string();
                }
            });
            ui.add_space(12.0);
            if ui.button("Import").clicked() {
                run = true;
            }
            super::outcome(ui, self.outcome.as_ref());
        });
        if run && self.path.trim().is_empty() {
            self.outcome = Some(Err("Type the path of a package Anki exported first.".into()));
        } else if run {
            self.import_from(expand_home(self.path.trim()));
        }
        Ok(nav)
    }

    /// The import asked for, once.
    fn take_job(&mut self) -> Option<Job> {
        self.job.take()
    }

    /// What the import did.
    fn finished(
        &mut self,
        _coll: &Collection,
        outcome: Result<String, String>,
    ) -> Result<Option<Nav>, String> {
        self.outcome = Some(match outcome {
            Err(e) if super::jobs::was_cancelled(&e) => {
                Ok("Cancelled: nothing was imported.".into())
            }
            outcome => outcome,
        });
        Ok(None)
    }
}
