//! Opening the collection: resolve its path, load the facts, open the store, sync the cards.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::clock::{self, Clock};
use super::deck::{self, LoadError};
use crate::model;
use crate::model::decks::{self, DeckRow};
use crate::model::filtered::FilteredDeck;
use crate::model::settings::Settings;
use crate::store::{Store, StoreError, SyncReport};

pub const DB_VAR: &str = "AWSCARDS_DB";

#[derive(Debug)]
pub enum AppError {
    Facts(LoadError),
    Store(StoreError),
    Clock(String),
    NoDataDir,
    Invalid(String),
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Facts(e) => e.fmt(f),
            AppError::Store(e) => e.fmt(f),
            AppError::Clock(e) => f.write_str(e),
            AppError::NoDataDir => write!(
                f,
                "cannot find a data folder for the collection (no home directory?); pass --db PATH or set {DB_VAR}"
            ),
            AppError::Invalid(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for AppError {}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Store(e)
    }
}

impl From<LoadError> for AppError {
    fn from(e: LoadError) -> Self {
        AppError::Facts(e)
    }
}

/// `~/.local/share/awscards/collection.sqlite` (the platform's data folder).
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "awscards")
        .map(|dirs| dirs.data_dir().join("collection.sqlite"))
}

/// A filtered deck with the number of cards it would study today, or what is wrong with it.
pub type FilteredCount = (FilteredDeck, Result<u32, String>);

/// An open, synced collection.
pub struct Collection {
    pub store: Store,
    pub settings: Settings,
    pub sync: SyncReport,
    pub clock: Clock,
    /// What went wrong without stopping the collection from opening, for the user to see.
    pub warnings: Vec<String>,
}

impl Collection {
    /// Reads the facts (bundled, or the `facts` folder), opens the collection at `db` (or the
    /// default path) and syncs the generated cards into it, unless the facts and the
    /// generator are the ones it was last synced with. A facts error stops before any card
    /// is written.
    pub fn open(db: Option<&Path>, facts: Option<&Path>) -> Result<Collection, AppError> {
        let files = deck::read(facts)?;
        let fingerprint = model::facts_fingerprint(&files);
        let clock = Clock::from_env().map_err(AppError::Clock)?;
        let now = clock.now();
        let path = match db {
            Some(p) => p.to_path_buf(),
            None => default_db_path().ok_or(AppError::NoDataDir)?,
        };
        let mut store = Store::open(&path, now.naive_local())?;
        let (settings, settings_warning) = store.load_settings()?;
        let mut warnings = store.warnings().to_vec();
        warnings.extend(settings_warning);
        let today = clock::study_day(now, settings.scheduler.rollover_hour);
        // A read-only (or damaged) file is shown as it is, not synced.
        let sync = if store.read_only()
            || store.facts_fingerprint()?.as_deref() == Some(fingerprint.as_str())
        {
            SyncReport::default()
        } else {
            let deck = deck::build(&files)?;
            store.sync_cards(&deck.cards, today, Some(&fingerprint))?
        };
        Ok(Collection {
            store,
            settings,
            sync,
            clock,
            warnings,
        })
    }

    /// An in-memory collection with the given cards and a clock fixed at `now` (tests,
    /// benchmarks).
    pub fn in_memory(
        cards: &[crate::model::cardgen::Card],
        now: DateTime<FixedOffset>,
    ) -> Result<Collection, AppError> {
        let mut store = Store::open_in_memory()?;
        let settings = Settings::default();
        let today = clock::study_day(now, settings.scheduler.rollover_hour);
        let sync = store.sync_cards(cards, today, None)?;
        Ok(Collection {
            store,
            settings,
            sync,
            clock: Clock::Fixed(now),
            warnings: Vec::new(),
        })
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        self.clock.now()
    }

    /// Today's study day by the collection's rollover hour.
    pub fn today(&self) -> NaiveDate {
        clock::study_day(self.now(), self.settings.scheduler.rollover_hour)
    }

    pub fn save_settings(&mut self, settings: Settings) -> Result<(), AppError> {
        self.store.save_settings(&settings)?;
        self.settings = settings;
        Ok(())
    }

    /// New cards and reviews still allowed today by the daily limits.
    pub fn left_today(&self, today: NaiveDate) -> Result<(u32, u32), AppError> {
        let (new_done, reviews_done) = self.store.done_today(today)?;
        Ok((
            self.settings.new_per_day.saturating_sub(new_done),
            self.settings.reviews_per_day.saturating_sub(reviews_done),
        ))
    }

    /// Every filtered deck with the number of cards it would study today (or what is wrong
    /// with its search).
    pub fn filtered_counts(&self, today: NaiveDate) -> Result<Vec<FilteredCount>, AppError> {
        let mut out = Vec::new();
        for deck in self.store.filtered_decks()? {
            let count = match deck.validate() {
                Ok(q) => self
                    .store
                    .filtered_cards(&deck, &q, today)
                    .map(|ids| ids.len() as u32)
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            out.push((deck, count));
        }
        Ok(out)
    }

    /// The deck tree with today's new / repeat / due counts, limits applied.
    pub fn deck_tree(&self, today: NaiveDate) -> Result<Vec<DeckRow>, AppError> {
        let (new_left, reviews_left) = self.left_today(today)?;
        let own = self.store.deck_counts(today)?;
        Ok(decks::tree(&own, new_left, reviews_left))
    }
}
