//! The command line's definition: its options, commands and their arguments (clap derives the
//! parser, the help, the completions and the man pages from it). What each command does is in
//! `mod.rs` and the files beside it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::app::export::CardScope;
use crate::app::paths::DB_VAR;

#[derive(Parser, Debug)]
#[command(
    name = "awscards",
    version,
    about = "Spaced-repetition flashcards for AWS big-data services and EC2 instance families",
    long_about = "Spaced-repetition flashcards for AWS big-data services and EC2 instance families.\n\nWith no command, opens the desktop app."
)]
pub struct Cli {
    /// Load the facts from this folder of *.toml files instead of the bundled deck.
    #[arg(long, global = true, value_name = "DIR")]
    pub facts: Option<PathBuf>,

    /// The collection file [default: the platform data folder, e.g.
    /// ~/.local/share/awscards/collection.sqlite].
    #[arg(long, global = true, value_name = "PATH", env = DB_VAR)]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print every card generated from the facts, and the learner's own (`my-cards/` beside
    /// the collection at --db).
    Cards {
        /// One JSON array of {key, deck, front, back, note?, tags}.
        #[arg(long)]
        json: bool,
        /// List the collection's cards that match this search instead (see the README for
        /// the language), with their scheduling state.
        #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
        search: Option<String>,
    },
    /// Decks and filtered decks with today's counts.
    Decks {
        #[arg(long)]
        json: bool,
    },
    /// Run one new card through a sequence of answers, one per due day, and print each step.
    Simulate(SimulateArgs),
    /// Today's new / repeat / due counts per deck.
    Due {
        #[arg(long)]
        json: bool,
    },
    /// Check the collection like Anki's Check Database: its integrity, answers dated after
    /// today (a clock that was set in the future) and its backups. Exits 1 when it finds a
    /// problem.
    Check {
        /// Move answers dated after today to today; their cards keep their intervals.
        #[arg(long)]
        repair: bool,
        /// Put this backup in place of the collection (the current file is kept in backups/).
        #[arg(long, value_name = "BACKUP", conflicts_with = "repair")]
        restore: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Statistics: today's study, streaks, the forecast of due cards, answers per day over
    /// the last year, retention of young and mature cards, cards by state and ease.
    Stats {
        #[command(flatten)]
        scope: ScopeArgs,
        #[arg(long)]
        json: bool,
    },
    /// Compare how well SM-2 and FSRS predict your recall on your own history (log loss and
    /// RMSE over bins, lower is better), and which to prefer.
    Evaluate {
        #[arg(long)]
        json: bool,
    },
    /// Study today's cards in the terminal (line-based, scriptable).
    Review {
        /// Study this deck and its children [default: all decks].
        #[arg(long, value_name = "NAME", conflicts_with = "filtered")]
        deck: Option<String>,
        /// Study this filtered deck.
        #[arg(long, value_name = "NAME")]
        filtered: Option<String>,
    },
    /// Show the settings, or change them.
    Settings(SettingsArgs),
    /// Add a card of your own: a [[qa]] fact appended to my-cards.toml in your cards folder
    /// (`awscards paths`), in the deck at once.
    Add(AddArgs),
    /// Where the collection, its backups and your own cards are.
    Paths,
    /// Write cards to a CSV file or an Anki package (FILE.apkg) that Anki imports as it is
    /// (File > Import), with decks, tags and a stable guid per card so that importing again
    /// updates the notes. A package also carries each card's scheduling and every answer.
    ///
    /// A CSV file is for Anki: fields are written as they are, so one that starts with = + - or
    /// @ would be run as a formula by a spreadsheet. Open it in Anki, not in a spreadsheet.
    Export {
        /// The file to write (replaced if it exists): an Anki package when it ends in .apkg,
        /// CSV otherwise.
        file: PathBuf,
        #[command(flatten)]
        scope: ScopeArgs,
        /// A package without the cards' scheduling and review log (every card new in Anki).
        #[arg(long)]
        no_scheduling: bool,
    },
    /// Bring answers made in Anki (AnkiDroid, AnkiMobile, AnkiWeb) into the collection: reads
    /// a package Anki exported (.apkg or .colpkg, with scheduling), matches its notes to cards
    /// by guid, adds the answers the collection does not hold yet and replays each such card's
    /// log with awscards' scheduler. All or nothing; importing again adds nothing.
    Import {
        /// The .apkg or .colpkg file.
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Sync with an Anki sync server (`python -m anki.syncserver`, the one AnkiDroid and Anki
    /// use when pointed at it). The first time, give --server and --user: the password is
    /// asked for (or read from AWSCARDS_SYNC_PASSWORD) and only the host key the server returns
    /// is kept, readable by you alone. The first sync sends the collection whole (merged into
    /// one the server holds already: its answers to our cards taken, everything else in it kept
    /// as it is); later syncs are normal ones, sending and taking only what changed.
    Sync(SyncArgs),
    /// Time the collection on a synthetic deck: open, sync, counts, queue, answers, undo.
    Bench {
        /// Cards in the synthetic deck (70% in review, 30% new, in 50 decks).
        #[arg(long, default_value_t = 100_000)]
        cards: usize,
        /// Answers in the review log, over the last year (default: 10 per card).
        #[arg(long)]
        reviews: Option<usize>,
        /// Answers to time (each one durable on disk).
        #[arg(long, default_value_t = 200)]
        answers: usize,
        /// Folder for the synthetic facts and collection (kept, to open the app on them).
        #[arg(long, value_name = "DIR", default_value = "target/bench")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
        /// Only the window's frame times (Browse, Stats), on the collection an earlier bench
        /// left in --out. The full bench measures them so too, in a process of their own, as
        /// the app's window runs: not in the heap the 100 000 facts were generated in.
        #[arg(long, conflicts_with = "json")]
        window: bool,
        /// Also time syncs with this Anki sync server (`python -m anki.syncserver`) on copies
        /// of the collection: the first (a full upload) and a normal one with 100 new answers
        /// each way. The user (--sync-user; password in AWSCARDS_SYNC_PASSWORD) must hold no
        /// collection there yet.
        #[arg(
            long,
            value_name = "URL",
            requires = "sync_user",
            conflicts_with = "window"
        )]
        sync_server: Option<String>,
        #[arg(long, value_name = "NAME")]
        sync_user: Option<String>,
    },
    /// Print the completion script for a shell (bash: `awscards completions bash >
    /// ~/.local/share/bash-completion/completions/awscards`; the Debian package installs them).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the man pages (awscards.1 and awscards-COMMAND.1 for each command), generated
    /// from these definitions, into DIR (the Debian package installs them).
    Manpages {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

/// Which cards a command is about (every card when none is given).
#[derive(Args, Debug)]
#[group(multiple = false)]
pub struct ScopeArgs {
    /// Only the cards matching this search.
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
    pub search: Option<String>,
    /// Only this deck and its children.
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,
    /// Only the cards matching this filtered deck's search.
    #[arg(long, value_name = "NAME")]
    pub filtered: Option<String>,
}

impl ScopeArgs {
    pub(super) fn scope(&self) -> CardScope {
        match (&self.search, &self.deck, &self.filtered) {
            (Some(q), _, _) => CardScope::Search(q.clone()),
            (_, Some(d), _) => CardScope::Deck(d.clone()),
            (_, _, Some(f)) => CardScope::Filtered(f.clone()),
            _ => CardScope::All,
        }
    }
}

/// `awscards sync`'s options.
#[derive(Args, Debug)]
pub struct SyncArgs {
    /// The server's address, e.g. http://192.168.1.10:8080
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// The user name on that server.
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// Forget the login (the host key).
    #[arg(long, conflicts_with_all = ["server", "user", "json"])]
    pub logout: bool,
    /// When the server asks for a full sync: send this collection (merged into the
    /// server's, whose answers are taken here first).
    #[arg(long, conflicts_with_all = ["full_download", "logout"])]
    pub full_upload: bool,
    /// When the server asks for a full sync: take the server's collection (its answers
    /// taken here; ours it lacks sent after).
    #[arg(long, conflicts_with = "logout")]
    pub full_download: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The question.
    #[arg(long)]
    pub front: String,
    /// The answer.
    #[arg(long)]
    pub back: String,
    /// Shown under the answer.
    #[arg(long)]
    pub note: Option<String>,
    /// Its deck, levels as A::B [default: the subject's, or "My cards"].
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,
    /// A tag (repeat for more).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// A service id of the deck it is about (a card's tags name its services).
    #[arg(long, value_name = "ID")]
    pub subject: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct SettingsArgs {
    /// The deck options of this deck instead (its limits hold for it and its subdecks; its
    /// leech and sibling options for its own cards): with --new-per-day, --reviews-per-day,
    /// --leech-threshold, --leech-action or --bury-siblings it gets a preset of its own (named
    /// after it) or its preset changes; with --preset it gets that preset ("Default": the
    /// settings').
    #[arg(long, value_name = "DECK", conflicts_with_all = [
        "rollover_hour", "fuzz", "grading", "theme", "scheduler", "desired_retention",
        "max_interval", "optimize", "default_parameters",
    ])]
    pub deck: Option<String>,
    /// With --deck: the preset to give the deck.
    #[arg(long, value_name = "NAME", requires = "deck")]
    pub preset: Option<String>,
    /// New cards per day (the Default preset's, or with --deck the deck's).
    #[arg(long, value_name = "N")]
    pub new_per_day: Option<u32>,
    /// Reviews per day (the Default preset's, or with --deck the deck's).
    #[arg(long, value_name = "N")]
    pub reviews_per_day: Option<u32>,
    /// Hour (0-23) at which a new study day begins.
    #[arg(long, value_name = "H", value_parser = clap::value_parser!(u32).range(0..=23))]
    pub rollover_hour: Option<u32>,
    /// Interval fuzz.
    #[arg(long, value_name = "on|off", value_parser = parse_on_off)]
    pub fuzz: Option<bool>,
    /// Four buttons (Again/Hard/Good/Easy) or SM-2's six grades 0-5.
    #[arg(long, value_enum)]
    pub grading: Option<GradingArg>,
    #[arg(long, value_enum)]
    pub theme: Option<ThemeArg>,
    /// The scheduler: SM-2 (the default) or FSRS. Switching replays every card's answers with
    /// the new one; switching back restores the cards exactly.
    #[arg(long, value_enum)]
    pub scheduler: Option<SchedulerArg>,
    /// FSRS: the probability of recall at which a card comes due (0.70-0.99).
    #[arg(long, value_name = "R")]
    pub desired_retention: Option<f64>,
    /// FSRS: the longest interval, in days.
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_interval: Option<u32>,
    /// FSRS: fit its parameters to your review log (from 400 reviews on; before that the
    /// defaults stay). Under FSRS every card is rescheduled with them.
    #[arg(long, alias = "optimise", conflicts_with = "default_parameters")]
    pub optimize: bool,
    /// FSRS: go back to FSRS-6's default parameters.
    #[arg(long)]
    pub default_parameters: bool,
    /// Lapses of a learned card that make it a leech (0: never; then every half of it). The
    /// Default preset's, or with --deck the deck's.
    #[arg(long, value_name = "N")]
    pub leech_threshold: Option<u32>,
    /// What a leech gets: suspended and tagged, or tagged only (the Default preset's, or with
    /// --deck the deck's).
    #[arg(long, value_enum)]
    pub leech_action: Option<LeechArg>,
    /// Keep the other cards of a fact or list out of the day once one is answered (the Default
    /// preset's, or with --deck the deck's).
    #[arg(long, value_name = "on|off", value_parser = parse_on_off)]
    pub bury_siblings: Option<bool>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum SchedulerArg {
    Sm2,
    Fsrs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum LeechArg {
    Suspend,
    TagOnly,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum GradingArg {
    Four,
    Six,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ThemeArg {
    System,
    Light,
    Dark,
}

fn parse_on_off(s: &str) -> Result<bool, String> {
    match s {
        "on" | "true" | "yes" => Ok(true),
        "off" | "false" | "no" => Ok(false),
        _ => Err(format!("\"{s}\": use on or off")),
    }
}

#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// SM-2 qualities 0-5, comma-separated (e.g. 5,4,3,1,4).
    #[arg(
        long,
        value_name = "Q,Q,…",
        conflicts_with = "buttons",
        required_unless_present = "buttons"
    )]
    pub grades: Option<String>,
    /// Button names, comma-separated: again, hard, good, easy.
    #[arg(long, value_name = "B,B,…")]
    pub buttons: Option<String>,
    /// Turn interval fuzz off: the result then equals the SM-2 reference exactly.
    #[arg(long)]
    pub no_fuzz: bool,
    /// One JSON array, one object per step.
    #[arg(long)]
    pub json: bool,
}
