//! The Export screen: write the collection, a deck, a filtered deck or a search to an Anki
//! package (with the cards' scheduling and answers) or a CSV file, either of which Anki imports
//! as it is.

use crate::ui::commands::Command;
use crate::ui::page::Page;
use std::path::PathBuf;

use egui::Ui;

use super::file_dialog::{FileDialog, Filters};
use super::{Job, Nav, top_bar};
use crate::app::collection::Collection;
use crate::app::export::CardScope;
use crate::model::decks::with_parents;
use crate::model::stats::count_of;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Package,
    Csv,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Package => "apkg",
            Format::Csv => "csv",
        }
    }

    /// What the save dialog offers.
    fn dialog_filter(self) -> Filters {
        match self {
            Format::Package => &[("Anki package", &["apkg"])],
            Format::Csv => &[("CSV file", &["csv"])],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    All,
    Deck,
    Filtered,
    Search,
}

pub struct ExportScreen {
    format: Format,
    /// For a package: the cards' scheduling and review log too.
    with_scheduling: bool,
    what: What,
    deck: String,
    filtered: String,
    search: String,
    path: String,
    dialog: FileDialog,
    /// The existing file Export would replace, asked about.
    replace: Option<PathBuf>,
    /// A file the dialog chose (the dialog asked about replacing it already).
    chosen: Option<PathBuf>,
    decks: Vec<String>,
    filtered_names: Vec<String>,
    /// The last export's outcome: Ok(message) or Err(message).
    outcome: Option<Result<String, String>>,
    /// An export asked for, for the app to run off the UI thread.
    job: Option<Job>,
}

/// A radio button and, beside it, a drop-down of names; picking a name picks the radio too.
fn choice(
    ui: &mut Ui,
    what: &mut What,
    this: What,
    label: &str,
    selected: &mut String,
    options: &[String],
) {
    ui.horizontal(|ui| {
        let radio = ui.radio_value(what, this, label);
        egui::ComboBox::from_id_salt(label)
            .selected_text(selected.as_str())
            .width(320.0)
            .show_ui(ui, |ui| {
                for name in options {
                    if ui.selectable_value(selected, name.clone(), name).clicked() {
                        *what = this;
                    }
                }
            })
            .response
            .labelled_by(radio.id);
    });
}

/// `~/awscards.apkg`, or `awscards.apkg` where there is no home folder.
fn default_path() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| d.home_dir().join("awscards.apkg"))
        .unwrap_or_else(|| PathBuf::from("awscards.apkg"))
}

impl ExportScreen {
    /// What the last run said: Ok(message) or Err(message).
    pub(super) fn outcome(&self) -> Option<&Result<String, String>> {
        self.outcome.as_ref()
    }

    /// Asks the app to export the chosen cards to `path` (on its job thread).
    pub(super) fn export_to(&mut self, path: PathBuf) {
        let (scope, format, with_scheduling) = (self.scope(), self.format, self.with_scheduling);
        self.outcome = None;
        // A package counts its rows and megabytes; a CSV file is written in a moment.
        let progress = crate::app::progress::Progress::default();
        self.job = Some(Job {
            doing: format!("Exporting to {}…", path.display()),
            if_closed: "Closing the window now stops it and leaves the file as it was: \
                        the export is written under another name, then renamed.",
            progress: (format == Format::Package).then(|| progress.clone()),
            work: Box::new(move |coll| {
                let done = match format {
                    Format::Package => {
                        coll.export_package(&scope, &path, with_scheduling, &progress)
                    }
                    Format::Csv => coll.export_csv(&scope, &path),
                };
                done.map(|n| {
                    format!(
                        "Exported {} to {}",
                        count_of(n as u64, "card"),
                        path.display()
                    )
                })
                .map_err(|e| e.to_string())
            }),
        });
    }

    pub fn new(coll: &Collection) -> Result<ExportScreen, String> {
        // Parents too: exporting "AWS Big Data::Integrations" takes its children.
        let all = with_parents(&coll.deck_names().map_err(|e| e.to_string())?);
        let filtered_names: Vec<String> = coll
            .filtered_decks()
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|d| d.name)
            .collect();
        Ok(ExportScreen {
            format: Format::Package,
            with_scheduling: true,
            what: What::All,
            deck: all.first().cloned().unwrap_or_default(),
            filtered: filtered_names.first().cloned().unwrap_or_default(),
            search: String::new(),
            path: default_path().display().to_string(),
            dialog: FileDialog::default(),
            replace: None,
            chosen: None,
            decks: all,
            filtered_names,
            outcome: None,
            job: None,
        })
    }

    /// The file to write: typed, or chosen in the desktop's dialog. A name ending in .csv or
    /// .apkg picks its format.
    fn file_row(&mut self, ui: &mut Ui) {
        let label = ui.label("File");
        let field = ui
            .horizontal(|ui| {
                let field = ui
                    .add(egui::TextEdit::singleline(&mut self.path).desired_width(420.0))
                    .labelled_by(label.id);
                let choose = ui.add_enabled(!self.dialog.is_open(), egui::Button::new("Choose…"));
                if choose
                    .on_hover_text("Your desktop's file dialog (or type the path)")
                    .clicked()
                {
                    let proposed = PathBuf::from(self.path.trim());
                    let filter = self.format.dialog_filter();
                    self.dialog.save("Export to", &proposed, filter);
                }
                field
            })
            .inner;
        if let Some(path) = self.dialog.chosen(ui.ctx()) {
            self.path = path.display().to_string();
            self.chosen = Some(path);
        }
        // A name ending in .csv or .apkg picks its format.
        if field.changed() {
            let typed = PathBuf::from(self.path.trim());
            let ext = typed.extension().and_then(|e| e.to_str()).unwrap_or("");
            for f in [Format::Package, Format::Csv] {
                if ext.eq_ignore_ascii_case(f.extension()) {
                    self.format = f;
                }
            }
        }
    }

    /// Export, or the question before a file is replaced; true when the export is to run.
    fn export_button(&mut self, ui: &mut Ui) -> bool {
        let mut run = false;
        if let Some(existing) = self.replace.clone() {
            // Asked before a file is replaced.
            ui.label(format!(
                "{} already exists. Replace it?",
                existing.display()
            ));
            ui.horizontal(|ui| {
                if ui.button("Replace").clicked() {
                    self.chosen = Some(existing.clone());
                    self.replace = None;
                    run = true;
                }
                if ui.button("Cancel").clicked() {
                    self.replace = None;
                }
            });
        } else if ui.button("Export").clicked() {
            run = true;
        }
        run
    }

    fn scope(&self) -> CardScope {
        match self.what {
            What::All => CardScope::All,
            What::Deck => CardScope::Deck(self.deck.clone()),
            What::Filtered => CardScope::Filtered(self.filtered.clone()),
            What::Search => CardScope::Search(self.search.clone()),
        }
    }
}

impl Page for ExportScreen {
    fn ui(
        &mut self,
        ui: &mut Ui,
        _coll: &mut Collection,
        _commands: &[Command],
    ) -> Result<Option<Nav>, String> {
        let nav = top_bar(
            ui,
            "export_top",
            "Export to Anki",
            "Back to the decks (Escape)",
            |_| {},
        );
        let mut run = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("A file that Anki imports with File > Import and no settings to change: decks, tags and a stable id per card, so that importing a newer export updates the notes instead of adding copies. A package also takes each card's scheduling and every answer, to study on in AnkiDroid, AnkiMobile or AnkiWeb (Import brings the answers back).");
            ui.add_space(12.0);
            egui::Grid::new("export_form")
                .num_columns(2)
                .spacing([24.0, 12.0])
                .show(ui, |ui| {
                    ui.label("Format");
                    let was = self.format;
                    ui.vertical(|ui| {
                        ui.horizontal(|ui| {
                            ui.radio_value(&mut self.format, Format::Package, "Anki package (.apkg)");
                            ui.add_enabled(
                                self.format == Format::Package,
                                egui::Checkbox::new(
                                    &mut self.with_scheduling,
                                    "with scheduling and answers",
                                ),
                            );
                        });
                        ui.radio_value(&mut self.format, Format::Csv, "CSV file (notes only)");
                    });
                    if was != self.format {
                        self.path = PathBuf::from(self.path.trim())
                            .with_extension(self.format.extension())
                            .display()
                            .to_string();
                    }
                    ui.end_row();

                    ui.label("Cards");
                    ui.vertical(|ui| {
                        ui.radio_value(&mut self.what, What::All, "The whole collection");
                        let (what, deck) = (&mut self.what, &mut self.deck);
                        choice(ui, what, What::Deck, "A deck", deck, &self.decks);
                        let filtered = &mut self.filtered;
                        let names = &self.filtered_names;
                        choice(ui, what, What::Filtered, "A filtered deck", filtered, names);
                        ui.horizontal(|ui| {
                            let radio = ui.radio_value(&mut self.what, What::Search, "A search");
                            let edit = ui
                                .add(
                                    egui::TextEdit::singleline(&mut self.search)
                                        .hint_text("e.g. tag:instance-family")
                                        .desired_width(280.0),
                                )
                                .labelled_by(radio.id);
                            if edit.changed() {
                                self.what = What::Search;
                            }
                        });
                    });
                    ui.end_row();

                    self.file_row(ui);
                    ui.end_row();
                });
            ui.add_space(12.0);
            run = self.export_button(ui);
            super::outcome(ui, self.outcome.as_ref());
        });
        let path = PathBuf::from(self.path.trim());
        if run && self.path.trim().is_empty() {
            self.outcome = Some(Err("Type the path of the file to write first.".into()));
        } else if run && path.exists() && self.chosen.as_ref() != Some(&path) {
            self.outcome = None;
            self.replace = Some(path);
        } else if run {
            self.chosen = None;
            self.export_to(path);
        }
        Ok(nav)
    }

    /// The export asked for, once.
    fn take_job(&mut self) -> Option<Job> {
        self.job.take()
    }

    /// What the export did.
    fn finished(
        &mut self,
        _coll: &Collection,
        outcome: Result<String, String>,
    ) -> Result<Option<Nav>, String> {
        self.outcome = Some(match outcome {
            Err(e) if super::jobs::was_cancelled(&e) => {
                Ok("Cancelled: no file was written or replaced.".into())
            }
            outcome => outcome,
        });
        Ok(None)
    }
}
