//! The desktop's own file dialog (rfd: the XDG desktop portal where the desktop has one), run
//! off the UI thread so that the window keeps drawing while it is open. The typed path stays:
//! with no dialog on this desktop, or the dialog cancelled, nothing changes.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

/// Files a dialog offers: (what they are, their extensions).
pub type Filters = &'static [(&'static str, &'static [&'static str])];

/// A dialog that may be open.
#[derive(Default)]
pub struct FileDialog {
    open: Option<Receiver<Option<PathBuf>>>,
}

impl FileDialog {
    /// Opens the dialog to choose a file to read.
    pub fn open(&mut self, title: &str, filters: Filters) {
        let title = title.to_string();
        self.run(move || {
            with_filters(rfd::FileDialog::new(), filters)
                .set_title(title)
                .pick_file()
        });
    }

    /// Opens the dialog to choose where to write, proposing `proposed`.
    pub fn save(&mut self, title: &str, proposed: &std::path::Path, filters: Filters) {
        let title = title.to_string();
        let mut dialog = with_filters(rfd::FileDialog::new(), filters).set_title(title);
        if let Some(dir) = proposed.parent().filter(|d| d.is_dir()) {
            dialog = dialog.set_directory(dir);
        }
        if let Some(name) = proposed.file_name().and_then(|n| n.to_str()) {
            dialog = dialog.set_file_name(name);
        }
        self.run(move || dialog.save_file());
    }

    fn run(&mut self, pick: impl FnOnce() -> Option<PathBuf> + Send + 'static) {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let _ = tx.send(pick());
        });
        self.open = Some(rx);
    }

    /// Whether a dialog is open.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// The file chosen, once, when the dialog has closed with one. While it is open the
    /// window looks again a few times a second.
    pub fn chosen(&mut self, ctx: &egui::Context) -> Option<PathBuf> {
        let rx = self.open.as_ref()?;
        match rx.try_recv() {
            Ok(chosen) => {
                self.open = None;
                chosen
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                None
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.open = None;
                None
            }
        }
    }
}

fn with_filters(mut dialog: rfd::FileDialog, filters: Filters) -> rfd::FileDialog {
    for (name, extensions) in filters {
        dialog = dialog.add_filter(*name, extensions);
    }
    dialog
}
