//! What the app asks of every screen. A new screen implements [`Page`], gets a variant of
//! [`super::Screen`] (and its arm in `Screen::page`) and a [`super::Nav`] that opens it.

use egui::Ui;

use super::commands::Command;
use super::{Job, Nav};
use crate::app::collection::Collection;

pub trait Page {
    /// Draws one frame. `commands` are the shortcuts taken for it (see [`Page::commands`]).
    /// Returns where to go next, or an error to show.
    fn ui(
        &mut self,
        ui: &mut Ui,
        coll: &mut Collection,
        commands: &[Command],
    ) -> Result<Option<Nav>, String>;

    /// The shortcuts taken before the screen's widgets see them: letters only where no text
    /// field wants them.
    fn commands(&self) -> &'static [Command] {
        &[Command::Back]
    }

    /// A long job (an export, a save that reschedules) the last frame asked for, once.
    fn take_job(&mut self) -> Option<Job> {
        None
    }

    /// A job's outcome, with the collection back: where to go next, or an error to show.
    fn finished(
        &mut self,
        _coll: &Collection,
        _outcome: Result<String, String>,
    ) -> Result<Option<Nav>, String> {
        Ok(None)
    }
}
