//! Opening the collection: resolve its path, load the facts, open the store, sync the cards.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::clock::{self, Clock};
use super::deck;
use super::error::AppError;
use super::paths::default_db_path;
use super::progress::Progress;
use crate::model;
use crate::model::card::{BrowseRow, LogEntry, StoredCard};
use crate::model::decks::{self, DeckRow};
use crate::model::filtered::FilteredDeck;
use crate::model::limits::Limits;
use crate::model::search::{self, Query};
use crate::model::settings::Settings;
use crate::model::stats::{self, StatsReport};
use crate::store::{CardSelection, Store, SyncReport};

/// Which cards an export or the statistics are about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardScope {
    /// Every card (an export leaves retired ones out).
    All,
    /// A deck and its `::` children.
    Deck(String),
    /// The cards matching a filtered deck's search.
    Filtered(String),
    /// The cards matching a search.
    Search(String),
}

/// A filtered deck with the number of cards it would study today, or what is wrong with it.
pub type FilteredCount = (FilteredDeck, Result<u32, String>);

/// An open, synced collection.
pub struct Collection {
    /// Private to app/: the front ends go through the methods below.
    pub(in crate::app) store: Store,
    pub settings: Settings,
    pub sync: SyncReport,
    pub clock: Clock,
    /// What went wrong without stopping the collection from opening, for the user to see.
    pub warnings: Vec<String>,
    /// Where the facts come from: the `--facts` folder (None: the bundled deck) and the
    /// learner's own facts folder (None for a collection in memory).
    pub(in crate::app) sources: Sources,
}

/// Where a collection's facts come from.
#[derive(Debug, Clone, Default)]
pub(in crate::app) struct Sources {
    pub facts: Option<PathBuf>,
    pub user: Option<PathBuf>,
}

impl Collection {
    /// Reads the facts (bundled, or the `facts` folder), opens the collection at `db` (or the
    /// default path) and syncs the generated cards into it, unless the facts and the
    /// generator are the ones it was last synced with. A facts error stops before any card
    /// is written.
    pub fn open(db: Option<&Path>, facts: Option<&Path>) -> Result<Collection, AppError> {
        Collection::open_counted(db, facts, &Progress::default())
    }

    /// [`Collection::open`], counting the cards written to `progress` (a large new facts
    /// folder takes seconds); Cancel rolls the writing back.
    pub fn open_counted(
        db: Option<&Path>,
        facts: Option<&Path>,
        progress: &Progress,
    ) -> Result<Collection, AppError> {
        let clock = Clock::from_env().map_err(AppError::Clock)?;
        Collection::open_at(db, facts, clock, progress)
    }

    /// [`Collection::open`] at the time `clock` tells (cards first seen are added that day).
    pub fn open_with_clock(
        db: Option<&Path>,
        facts: Option<&Path>,
        clock: Clock,
    ) -> Result<Collection, AppError> {
        Collection::open_at(db, facts, clock, &Progress::default())
    }

    fn open_at(
        db: Option<&Path>,
        facts: Option<&Path>,
        clock: Clock,
        progress: &Progress,
    ) -> Result<Collection, AppError> {
        let now = clock.now();
        let path = match db {
            Some(p) => p.to_path_buf(),
            None => default_db_path().ok_or(AppError::NoDataDir)?,
        };
        let user_dir = deck::user_dir(&path);
        let stamp = deck::stamp(facts, &user_dir)?;
        let store = Store::open(&path, now.naive_local())?;
        let (settings, settings_warning) = store.load_settings()?;
        let mut warnings = store.warnings().to_vec();
        warnings.extend(settings_warning);
        let mut coll = Collection {
            store,
            settings,
            sync: SyncReport::default(),
            clock,
            warnings,
            sources: Sources {
                facts: facts.map(Path::to_path_buf),
                user: Some(user_dir),
            },
        };
        coll.warnings
            .extend(deck::not_regular(&deck::user_dir(&path)));
        if let Some(dir) = facts {
            coll.warnings.extend(deck::not_regular(dir));
        }
        // A read-only (or damaged) file is shown as it is, not synced; facts whose stamp is
        // unchanged are not even read.
        if !coll.store.read_only() && (stamp.is_none() || coll.store.facts_stamp()? != stamp) {
            coll.sync = coll.sync_facts(stamp.as_deref(), progress)?;
        }
        Ok(coll)
    }

    /// Reads the facts and syncs the cards, unless the facts and the generator are the ones
    /// the collection was last synced with. The learner's own files are read with the deck's;
    /// when they do not parse, the deck's cards are kept as they were (a typo in one of
    /// their files must not retire their cards) and a warning says where the error is.
    pub(in crate::app) fn sync_facts(
        &mut self,
        stamp: Option<&str>,
        progress: &Progress,
    ) -> Result<SyncReport, AppError> {
        let base = deck::read(self.sources.facts.as_deref())?;
        let user = match &self.sources.user {
            Some(dir) => deck::read_user(dir),
            None => Ok(Vec::new()),
        };
        let files: Vec<_> = match &user {
            Ok(user) => base.iter().chain(user).cloned().collect(),
            Err(_) => base.clone(),
        };
        let fingerprint = model::facts_fingerprint(&files);
        if self.store.facts_fingerprint()?.as_deref() == Some(fingerprint.as_str()) {
            if let Some(stamp) = stamp {
                self.store.save_facts_stamp(stamp)?;
            }
            return Ok(SyncReport::default());
        }
        // The deck's own errors stop the open, as they always did.
        let base_deck = deck::build(&base)?;
        let built = match user {
            Ok(user) if user.is_empty() => Ok(None),
            Ok(user) => deck::build_with_user(&base, &base_deck, &user).map(Some),
            Err(e) => Err(e),
        };
        let deck = match built {
            Ok(Some(deck)) => deck,
            Ok(None) => base_deck,
            Err(e) => {
                self.warnings.push(format!(
                    "your own cards could not be read: {e}. They stay as they were until the \
                     file is fixed; the bundled deck works as before"
                ));
                // A collection never synced gets the deck's cards at least.
                if self.store.facts_fingerprint()?.is_some() {
                    return Ok(SyncReport::default());
                }
                let today = self.today();
                progress.start(base_deck.cards.len() as u64, "cards");
                return Ok(self.store.sync_cards_counted(
                    &base_deck.cards,
                    today,
                    None,
                    &mut || progress.step().is_ok(),
                )?);
            }
        };
        self.sync_deck(&deck, &fingerprint, stamp, progress)
    }

    /// Syncs the cards of `deck` (built from facts with `fingerprint`), and keeps the stamp of
    /// the facts files.
    pub(in crate::app) fn sync_deck(
        &mut self,
        deck: &deck::Deck,
        fingerprint: &str,
        stamp: Option<&str>,
        progress: &Progress,
    ) -> Result<SyncReport, AppError> {
        let today = self.today();
        progress.check()?;
        progress.start(deck.cards.len() as u64, "cards");
        let sync =
            self.store
                .sync_cards_counted(&deck.cards, today, Some(fingerprint), &mut || {
                    progress.step().is_ok()
                })?;
        if let Some(stamp) = stamp {
            self.store.save_facts_stamp(stamp)?;
        }
        Ok(sync)
    }

    /// The learner's own facts folder (None for a collection in memory).
    pub fn user_dir(&self) -> Option<&Path> {
        self.sources.user.as_deref()
    }

    /// Where the collection keeps its files, as (what, where), for the user to find them.
    pub fn paths(&self) -> Vec<(&'static str, PathBuf)> {
        let mut paths = vec![("collection", self.store.path().to_path_buf())];
        if let Some(dir) = self.store.backups_dir() {
            paths.push(("backups", dir));
        }
        if let Some(dir) = self.user_dir() {
            paths.push(("your own cards", dir.to_path_buf()));
        }
        if let Some(dir) = &self.sources.facts {
            paths.push(("facts (--facts)", dir.clone()));
        }
        paths
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
            sources: Sources::default(),
        })
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        self.clock.now()
    }

    /// Today's study day by the collection's rollover hour.
    pub fn today(&self) -> NaiveDate {
        clock::study_day(self.now(), self.settings.scheduler.rollover_hour)
    }

    /// Every filtered deck with the number of cards it would study today (or what is wrong
    /// with its search).
    pub fn filtered_counts(&self, today: NaiveDate) -> Result<Vec<FilteredCount>, AppError> {
        let mut out = Vec::new();
        for deck in self.store.filtered_decks()? {
            let count = match deck.validate() {
                Ok(q) => self
                    .store
                    .count_filtered(&deck, &q, today)
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            out.push((deck, count));
        }
        Ok(out)
    }

    /// The deck tree with today's new / repeat / due counts, each deck's limits applied.
    pub fn deck_tree(&self, today: NaiveDate) -> Result<Vec<DeckRow>, AppError> {
        let left = self.limits_left(today)?;
        // A deck's own count is read up to one past the largest limit left: enough to show
        // every count and to tell a limit that holds cards back.
        let most =
            |f: fn(&Limits) -> u32| left.values().map(f).max().unwrap_or(0).saturating_add(1);
        let own = self
            .store
            .deck_counts(today, most(|l| l.new), most(|l| l.reviews))?;
        Ok(decks::tree(&own, &left))
    }
}

/// What the front ends read and change: one store call each, with the errors said once.
impl Collection {
    /// A collection on an open store (tests, benchmarks): nothing synced, no warnings.
    pub fn with_store(store: Store, settings: Settings, clock: Clock) -> Collection {
        Collection {
            store,
            settings,
            sync: SyncReport::default(),
            clock,
            warnings: Vec::new(),
            sources: Sources::default(),
        }
    }

    /// The store, for app services and for tests of the layer below. The front ends never
    /// use it (a test checks `ui/` and `cli/`).
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub fn card(&self, id: i64) -> Result<StoredCard, AppError> {
        Ok(self.store.card(id)?)
    }

    /// The card with `key`, if the collection has it.
    pub fn card_by_key(&self, key: &str) -> Result<Option<StoredCard>, AppError> {
        Ok(self.store.card_by_key(key)?)
    }

    /// A card's answers, oldest first.
    pub fn card_log(&self, id: i64) -> Result<Vec<LogEntry>, AppError> {
        Ok(self.store.log(Some(id))?)
    }

    pub fn set_suspended(&mut self, ids: &[i64], suspended: bool) -> Result<(), AppError> {
        Ok(self.store.set_suspended(ids, suspended)?)
    }

    /// Buries cards until tomorrow, or unburies them.
    pub fn set_buried(&mut self, ids: &[i64], buried: bool) -> Result<(), AppError> {
        let today = self.today();
        Ok(self.store.set_buried_cards(ids, today, buried)?)
    }

    /// Flags cards 1-4, or takes their flag off (0).
    pub fn set_flags(&mut self, ids: &[i64], flag: u8) -> Result<(), AppError> {
        Ok(self.store.set_flags(ids, flag.min(4))?)
    }

    /// Makes the learned cards among `ids` due in `days` days (0: today), as Anki's Set Due
    /// Date; new cards are left as they are. Returns how many moved.
    pub fn set_due_in(&mut self, ids: &[i64], days: u32) -> Result<usize, AppError> {
        let day = self
            .today()
            .checked_add_days(chrono::Days::new(u64::from(days)))
            .ok_or_else(|| AppError::BadDueDate(days))?;
        Ok(self.store.set_due_day(ids, day)?)
    }

    pub fn reset_to_new(&mut self, ids: &[i64]) -> Result<(), AppError> {
        let at = self.now().to_rfc3339();
        Ok(self.store.reset_to_new(ids, &at)?)
    }

    pub fn deck_names(&self) -> Result<Vec<String>, AppError> {
        Ok(self.store.deck_names()?)
    }

    /// Whether `name` is a deck or the parent of decks (literally: no wildcards).
    pub fn deck_exists(&self, name: &str) -> Result<bool, AppError> {
        let child = format!("{name}::");
        Ok(self
            .deck_names()?
            .iter()
            .any(|d| d == name || d.starts_with(&child)))
    }

    /// The first study day after `today` with cards due in `deck` ("" for all).
    pub fn next_due_day(
        &self,
        deck: &str,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>, AppError> {
        Ok(self.store.next_due_day(deck, today)?)
    }

    pub fn search_cards(&self, q: &Query, today: NaiveDate) -> Result<Vec<StoredCard>, AppError> {
        Ok(self.store.search_cards(q, today)?)
    }

    pub fn count_matching(&self, q: &Query, today: NaiveDate) -> Result<u32, AppError> {
        Ok(self.store.count_matching(q, today)?)
    }

    /// Every browser row for `q`.
    pub fn browse(&self, q: &Query, today: NaiveDate) -> Result<Vec<BrowseRow>, AppError> {
        Ok(self.store.browse(q, today, None)?)
    }

    /// The browser rows for `q` of the cards whose position is in `positions` (see
    /// [`Collection::position_end`]).
    pub fn browse_window(
        &self,
        q: &Query,
        today: NaiveDate,
        positions: std::ops::Range<i64>,
    ) -> Result<Vec<BrowseRow>, AppError> {
        Ok(self.store.browse(q, today, Some(positions))?)
    }

    /// Where windows of card positions end.
    pub fn position_end(&self) -> Result<i64, AppError> {
        Ok(self.store.position_end()?)
    }

    /// The search a scope stands for (every card for All and Deck, which are read by deck).
    pub fn scope_query(&self, scope: &CardScope) -> Result<Query, AppError> {
        let parse = |q: &str, context: String| {
            search::parse(q).map_err(|e| AppError::BadSearch {
                context,
                error: e.to_string(),
            })
        };
        match scope {
            CardScope::All | CardScope::Deck(_) => Ok(Query::All),
            CardScope::Filtered(name) => {
                let deck = self.filtered_deck(name)?;
                parse(&deck.query, format!("filtered deck \"{name}\": search"))
            }
            CardScope::Search(q) => parse(q, "search".into()),
        }
    }

    /// Everything the Stats screen and `awscards stats` show for the cards of `scope`
    /// (retired cards included in the counts by state).
    pub fn stats_report(&self, scope: &CardScope) -> Result<StatsReport, AppError> {
        let today = self.today();
        let query = self.scope_query(scope)?;
        let selection = match scope {
            CardScope::All => CardSelection::Deck(""),
            CardScope::Deck(name) => CardSelection::Deck(name),
            _ => CardSelection::Matching(&query),
        };
        let input = self.store.stats_input(selection, today)?;
        if let CardScope::Deck(name) = scope
            && input.cards.decks.is_empty()
        {
            return Err(AppError::UnknownDeck(name.clone()));
        }
        Ok(stats::report(input, today, self.settings.scheduler.grading))
    }

    pub fn filtered_decks(&self) -> Result<Vec<FilteredDeck>, AppError> {
        Ok(self.store.filtered_decks()?)
    }

    /// The filtered deck named `name`, or an error that says where the names are listed.
    pub fn filtered_deck(&self, name: &str) -> Result<FilteredDeck, AppError> {
        self.store
            .filtered_deck(name)?
            .ok_or_else(|| AppError::UnknownFilteredDeck(name.to_string()))
    }

    /// The cards `deck` (with its query `q`) would study today.
    pub fn filtered_cards(
        &self,
        deck: &FilteredDeck,
        q: &Query,
        today: NaiveDate,
    ) -> Result<Vec<StoredCard>, AppError> {
        Ok(self.store.filtered_cards(deck, q, today)?)
    }

    pub fn save_filtered_deck(&mut self, deck: &FilteredDeck) -> Result<i64, AppError> {
        Ok(self.store.save_filtered_deck(deck)?)
    }

    pub fn delete_filtered_deck(&mut self, id: i64) -> Result<(), AppError> {
        Ok(self.store.delete_filtered_deck(id)?)
    }
}
