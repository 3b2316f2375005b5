//! What can go wrong in the application's services, said so that a user knows what to do.

use std::fmt;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::deck::LoadError;
use super::paths::DB_VAR;
use crate::store::StoreError;

#[derive(Debug)]
pub enum AppError {
    Facts(LoadError),
    Store(StoreError),
    Clock(String),
    NoDataDir,
    /// `--deck` names no deck.
    UnknownDeck(String),
    UnknownFilteredDeck(String),
    /// A search that does not parse; `context` says whose ("search", "filtered deck \"X\"").
    BadSearch {
        context: String,
        error: String,
    },
    /// An answer after the session's last card.
    SessionFinished,
    /// A long job stopped by Cancel: nothing was written.
    Cancelled,
    /// A sync with an Anki sync server that failed, in words; nothing here was changed.
    Sync(String),
    /// The sync server (named) asks for a full sync, and nobody said which side wins.
    FullSync(String),
    /// A grade the grading mode does not have.
    BadGrade {
        quality: u8,
        allowed: Vec<u8>,
    },
    /// A due date further than the calendar goes.
    BadDueDate(u32),
    /// An answer was already recorded for a study day after today (beyond a day).
    ClockLooksWrong {
        today: NaiveDate,
        last: NaiveDate,
    },
    /// A repair asked of a collection that failed its integrity check.
    DamagedNoRepair,
    /// A repair asked of a collection that lost tables only a backup holds.
    Irreparable(Vec<String>),
    /// An output file (export, bench) that cannot be written.
    CannotWrite {
        path: PathBuf,
        why: String,
    },
    NoFileName,
    /// A file to import that is not an Anki package awscards can read.
    BadPackage {
        path: PathBuf,
        why: String,
    },
    /// FSRS's optimiser refused the log.
    Optimise(String),
    /// A card of the learner's that cannot be saved as written.
    BadOwnCard(String),
    /// A deck options preset that does not exist.
    BadPreset(String),
    /// A card that is not one of the learner's (the bundled deck's are read-only).
    NotOwnCard(String),
    /// A file of the learner's that changed on disk while a change to it was being made.
    OwnFileChanged(PathBuf),
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Facts(e) => e.fmt(f),
            AppError::Store(e) => e.fmt(f),
            AppError::Clock(e) => f.write_str(e),
            AppError::NoDataDir => write!(
                f,
                "cannot find a data folder for the collection (HOME is not set, or is not an \
             absolute path); pass --db PATH or set {DB_VAR}"
            ),
            AppError::UnknownDeck(name) => {
                write!(
                    f,
                    "no deck named \"{name}\"; `awscards due` lists the decks"
                )
            }
            AppError::UnknownFilteredDeck(name) => write!(
                f,
                "no filtered deck named \"{name}\"; `awscards decks` lists them"
            ),
            AppError::BadSearch { context, error } => write!(f, "{context}: {error}"),
            AppError::SessionFinished => f.write_str("no card to answer: the session is finished"),
            AppError::Cancelled => f.write_str("cancelled: nothing was changed"),
            AppError::Sync(why) => write!(f, "sync: {why}; nothing here was changed"),
            AppError::FullSync(server) => write!(
                f,
                "sync: {server} asks for a full sync (its collection was replaced since the last \
                 sync, by another device sending its own whole), so one side must win: \
                 `awscards sync --full-upload` sends this collection, merged into the server's \
                 (its answers are taken here first); `--full-download` takes the server's \
                 collection (its answers are taken here, and ours it lacks are sent after). \
                 Nothing here was changed"
            ),
            AppError::BadDueDate(days) => write!(
                f,
                "{days} days from today is past the end of the calendar; give a smaller number"
            ),
            AppError::BadGrade { quality, allowed } => write!(
                f,
                "grade {quality} is not one of {allowed:?} in this grading mode"
            ),
            AppError::ClockLooksWrong { today, last } => write!(
                f,
                "the clock looks wrong: by this computer's clock today is {today}, but an \
                 answer was already recorded for {last}. Set the date and time right; if they \
                 were wrong then, `awscards check --repair` moves those answers to today"
            ),
            AppError::DamagedNoRepair => f.write_str(
                "the collection failed its integrity check: nothing was repaired; restore a \
                 backup with awscards check --restore BACKUP",
            ),
            AppError::Irreparable(tables) => write!(
                f,
                "the collection has lost its {} table{}: nothing was repaired, as no repair \
                 brings them back; restore a backup with awscards check --restore BACKUP \
                 (`awscards check` lists them)",
                tables.join(" and "),
                if tables.len() == 1 { "" } else { "s" }
            ),
            AppError::CannotWrite { path, why } => {
                write!(f, "cannot write {}: {why}", path.display())
            }
            AppError::NoFileName => f.write_str("give a file name to export to"),
            AppError::BadPackage { path, why } => write!(
                f,
                "cannot import {}: {why}. Nothing was imported; export an .apkg or .colpkg \
                 from Anki (File > Export) and import that",
                path.display()
            ),
            AppError::BadOwnCard(why) => write!(f, "the card was not saved: {why}"),
            AppError::BadPreset(why) => write!(f, "{why}"),
            AppError::NotOwnCard(key) => write!(
                f,
                "card {key} is not one of your own cards: the bundled deck's cards are \
                 corrected in its facts files (cards/*.toml in the source, or a --facts folder)"
            ),
            AppError::OwnFileChanged(path) => write!(
                f,
                "the card was not saved: {} changed while it was being saved (by hand, or by \
                 another program) and kept changing: nothing was written; try again",
                path.display()
            ),
            AppError::Optimise(why) => write!(
                f,
                "{why}; the parameters in use are unchanged (FSRS keeps scheduling with them)"
            ),
        }
    }
}

impl std::error::Error for AppError {}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Cancelled => AppError::Cancelled,
            e => AppError::Store(e),
        }
    }
}

impl From<LoadError> for AppError {
    fn from(e: LoadError) -> Self {
        AppError::Facts(e)
    }
}
