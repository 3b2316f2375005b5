//! Tests of the desktop app, driven through egui_kittest (no window needed).

#[path = "../common/mod.rs"]
mod common;

mod browse; // Browse: its table at two sizes, the keyboard, the right-click menu, B from review
mod gui; // every screen driven as a user would, widgets found by their labels
mod gui_snapshots; // image snapshots of Decks, Review, Browse, Card info and Stats
mod jobs; // the collection opening, and long jobs with progress and Cancel
