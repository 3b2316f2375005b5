//! The command line (clap). Thin: parses arguments, calls the app services, prints.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::app::collection::Collection;
use crate::app::session::Scope;
use crate::app::{deck, simulate};
use crate::model::card::StoredCard;
use crate::model::cardgen::Card;
use crate::model::decks::DeckRow;
use crate::model::schedule::{Button, Config};
use crate::model::search;
use crate::ui::{self, Source};

mod args;
mod check;
mod review;
mod settings;
mod stats;
mod sync;
mod timing;
mod transfer;

/// Exit code for bad input: arguments, facts files, databases.
pub const EXIT_USER_ERROR: u8 = 2;

pub use args::{
    AddArgs, Cli, Command, GradingArg, LeechArg, SchedulerArg, ScopeArgs, SettingsArgs,
    SimulateArgs, ThemeArg,
};

/// The command line's definition, with a version that names the bundled deck.
pub fn command() -> clap::Command {
    let deck = crate::model::bundled_files();
    let version = format!(
        "{} (bundled deck: {} facts files, fingerprint {})",
        env!("CARGO_PKG_VERSION"),
        deck.len(),
        crate::model::facts_fingerprint(&deck)
    );
    Cli::command().version(version)
}

/// The man page of awscards and of each command it lists, as `awscards-COMMAND.1`.
fn write_man_pages(dir: &std::path::Path) -> Result<(), CliError> {
    let cannot = |path: &std::path::Path, e: io::Error| {
        user(format!("cannot write {}: {e}", path.display()))
    };
    std::fs::create_dir_all(dir).map_err(|e| cannot(dir, e))?;
    let top = command();
    let mut pages = vec![("awscards".to_string(), top.clone())];
    for sub in top.get_subcommands() {
        let name = format!("awscards-{}", sub.get_name());
        let version = top.get_version().unwrap_or_default().to_string();
        let bin = format!("awscards {}", sub.get_name());
        let page = sub.clone().name(&name).bin_name(bin).version(version);
        pages.push((name, page));
    }
    for (name, cmd) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut page)?;
        std::fs::write(&path, page).map_err(|e| cannot(&path, e))?;
    }
    Ok(())
}

pub fn run() -> ExitCode {
    let parsed = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print and succeed; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(EXIT_USER_ERROR));
        }
    };
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::BrokenPipe) => ExitCode::SUCCESS,
        Err(CliError::ProblemsFound) => ExitCode::FAILURE,
        Err(CliError::User(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_USER_ERROR)
        }
        Err(CliError::Io(e)) => {
            eprintln!("error: cannot write output: {e}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug)]
pub enum CliError {
    /// Bad input: the message says what, where and what to do.
    User(String),
    /// A check found problems, and printed them.
    ProblemsFound,
    Io(io::Error),
    /// The reader of our output went away (`awscards cards | head`): not an error.
    BrokenPipe,
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::Io(e)
        }
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        CliError::from(io::Error::from(e))
    }
}

fn user(e: impl std::fmt::Display) -> CliError {
    CliError::User(e.to_string())
}

fn execute(cli: Cli) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match &cli.command {
        None => {
            drop(out);
            let source = Source {
                db: cli.db.clone(),
                facts: cli.facts.clone(),
            };
            return ui::run(source).map_err(CliError::User);
        }
        Some(Command::Cards {
            json,
            search: Some(query),
        }) => {
            let coll = open(&cli)?;
            let query = search::parse(query).map_err(|e| user(format!("search {e}")))?;
            let today = coll.today();
            let cards = coll.search_cards(&query, today).map_err(user)?;
            print_stored_cards(&mut out, &cards, *json)?;
        }
        Some(Command::Cards { json, search: None }) => {
            // The learner's own cards with the deck's, as the collection at --db has them.
            let db = match &cli.db {
                Some(db) => db.clone(),
                None => crate::app::paths::default_db_path()
                    .ok_or_else(|| user(crate::app::error::AppError::NoDataDir))?,
            };
            let (deck, own_error) =
                deck::load_with_user(cli.facts.as_deref(), &db).map_err(user)?;
            if let Some(e) = own_error {
                eprintln!(
                    "warning: your own cards could not be read: {e}; only the deck's are listed"
                );
            }
            print_cards(&mut out, &deck.cards, *json)?;
        }
        Some(Command::Decks { json }) => run_decks(&mut out, &cli, *json)?,
        Some(Command::Simulate(args)) => run_simulate(&mut out, args)?,
        Some(Command::Check {
            repair,
            restore,
            json,
        }) => check::run(&mut out, &cli, *repair, restore.as_deref(), *json)?,
        Some(Command::Due { json }) => {
            let coll = open(&cli)?;
            let rows = coll.deck_tree(coll.today()).map_err(user)?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else {
                print_deck_tree(&mut out, &rows)?;
            }
        }
        Some(Command::Evaluate { json }) => stats::evaluate(&mut out, &cli, *json)?,
        Some(Command::Stats { scope, json }) => stats::run(&mut out, &cli, &scope.scope(), *json)?,
        Some(Command::Review { deck, filtered }) => {
            let mut coll = open(&cli)?;
            drop(out);
            let scope = match filtered {
                Some(name) => {
                    let deck = coll.filtered_deck(name).map_err(user)?;
                    Scope::Filtered(deck)
                }
                None => Scope::Deck(deck.clone().unwrap_or_default()),
            };
            let stdin = io::stdin();
            return review::run(
                &mut coll,
                &scope,
                &mut stdin.lock(),
                &mut io::stdout().lock(),
            );
        }
        Some(Command::Export {
            file,
            scope,
            no_scheduling,
        }) => transfer::export(&mut out, &cli, file, &scope.scope(), !no_scheduling)?,
        Some(Command::Import { file, json }) => transfer::import(&mut out, &cli, file, *json)?,
        Some(Command::Sync(args)) => sync::run(&mut out, &cli, args)?,
        Some(Command::Completions { shell }) => {
            clap_complete::generate(*shell, &mut command(), "awscards", &mut out);
        }
        Some(Command::Manpages { dir }) => write_man_pages(dir)?,
        Some(Command::Bench {
            cards,
            reviews,
            answers,
            out: folder,
            json,
            window,
            sync_server,
            sync_user,
        }) => timing::run(
            &mut out,
            (*cards, *reviews, *answers),
            folder,
            (*json, *window),
            sync_server.as_deref().zip(sync_user.as_deref()),
        )?,
        Some(Command::Settings(args)) => settings::run_settings(&mut out, &cli, args)?,
        Some(Command::Add(args)) => run_add(&mut out, &cli, args)?,
        Some(Command::Paths) => {
            let coll = open(&cli)?;
            for (what, path) in coll.paths() {
                writeln!(out, "{what:<16} {}", path.display())?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn run_decks(out: &mut impl Write, cli: &Cli, json: bool) -> Result<(), CliError> {
    let coll = open(cli)?;
    let today = coll.today();
    let decks = coll.deck_tree(today).map_err(user)?;
    let filtered = coll.filtered_counts(today).map_err(user)?;
    if json {
        let filtered: Vec<_> = filtered
            .iter()
            .map(|(d, cards)| {
                serde_json::json!({
                    "name": d.name, "query": d.query, "limit": d.limit,
                    "order": d.order, "mode": d.mode, "cards": cards.as_ref().ok(),
                    "error": cards.as_ref().err(),
                })
            })
            .collect();
        // Each deck with its options: the preset and its limits (read once for all).
        let assigned = coll.assigned().map_err(user)?;
        let mut rows = Vec::new();
        for row in &decks {
            let preset = assigned
                .get(&row.deck)
                .cloned()
                .unwrap_or_else(|| coll.default_preset());
            let mut v = serde_json::to_value(row)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("preset".into(), preset.name.into());
                o.insert("new_per_day".into(), preset.limits.new.into());
                o.insert("reviews_per_day".into(), preset.limits.reviews.into());
                let options = serde_json::to_value(preset.options)?;
                if let serde_json::Value::Object(options) = options {
                    o.extend(options);
                }
            }
            rows.push(v);
        }
        let all = serde_json::json!({ "decks": rows, "filtered": filtered });
        serde_json::to_writer_pretty(&mut *out, &all)?;
        writeln!(out)?;
    } else {
        print_deck_tree(out, &decks)?;
        writeln!(out, "\nfiltered decks:")?;
        for (d, cards) in &filtered {
            match cards {
                Ok(n) => writeln!(out, "{n:>5}  {} ({}, {})", d.name, d.mode.as_str(), d.query)?,
                Err(e) => writeln!(out, "    ?  {} ({e})", d.name)?,
            }
        }
    }
    Ok(())
}

fn run_add(out: &mut impl Write, cli: &Cli, args: &AddArgs) -> Result<(), CliError> {
    let mut coll = open(cli)?;
    let card = crate::model::own_cards::OwnCard {
        subject: args.subject.clone(),
        front: args.front.clone(),
        back: args.back.clone(),
        note: args.note.clone(),
        deck: args.deck.clone(),
        tags: args.tags.clone(),
    };
    let key = coll.add_card(&card).map_err(user)?;
    let deck = coll
        .card_by_key(&key)
        .map_err(user)?
        .map_or_else(String::new, |c| c.deck);
    if args.json {
        let added = serde_json::json!({"key": key, "deck": deck});
        serde_json::to_writer_pretty(&mut *out, &added)?;
        writeln!(out)?;
    } else {
        writeln!(out, "added {key} to \"{deck}\"")?;
    }
    Ok(())
}

fn open(cli: &Cli) -> Result<Collection, CliError> {
    let coll = Collection::open(cli.db.as_deref(), cli.facts.as_deref()).map_err(user)?;
    for w in &coll.warnings {
        eprintln!("warning: {w}");
    }
    Ok(coll)
}

fn print_deck_tree(out: &mut impl Write, rows: &[DeckRow]) -> Result<(), CliError> {
    writeln!(out, "{:>5} {:>6} {:>5}  deck", "new", "repeat", "due")?;
    for r in rows {
        let indent = "  ".repeat(r.depth);
        writeln!(
            out,
            "{:>5} {:>6} {:>5}  {indent}{}",
            r.new, r.repeat, r.due, r.name
        )?;
    }
    Ok(())
}

fn print_stored_cards(
    out: &mut impl Write,
    cards: &[StoredCard],
    json: bool,
) -> Result<(), CliError> {
    if json {
        let rows: Vec<_> = cards
            .iter()
            .map(|c| {
                let s = &c.state;
                serde_json::json!({
                    "key": c.key, "deck": c.deck, "front": c.front, "back": c.back,
                    "note": c.note, "tags": c.tags, "new": s.is_new,
                    "due": (!s.is_new).then(|| s.due.to_string()), "interval_days": s.interval,
                    "ease": s.ease, "repetitions": s.repetitions, "lapses": s.lapses,
                    "suspended": c.suspended, "retired": c.retired, "source": c.source,
                    "source_url": c.source_url,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
        return Ok(());
    }
    for c in cards {
        let s = &c.state;
        let when = if s.is_new {
            "new".to_string()
        } else {
            format!("due {} ivl {}d ease {:.2}", s.due, s.interval, s.ease)
        };
        writeln!(out, "{}  [{}]  {when}", c.key, c.deck)?;
        writeln!(out, "  Q: {}", indent(&c.front))?;
    }
    writeln!(out, "{} cards", cards.len())?;
    Ok(())
}

fn print_cards(out: &mut impl Write, cards: &[Card], json: bool) -> Result<(), CliError> {
    if json {
        /// A card with its sibling group.
        #[derive(serde::Serialize)]
        struct WithFact<'a> {
            #[serde(flatten)]
            card: &'a Card,
            fact: &'a str,
        }
        let cards: Vec<WithFact> = cards
            .iter()
            .map(|card| WithFact {
                card,
                fact: crate::model::cardgen::fact_of(&card.key),
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &cards)?;
        writeln!(out)?;
        return Ok(());
    }
    for card in cards {
        writeln!(
            out,
            "{}  [{}]  {}",
            card.key,
            card.deck,
            card.tags.join(" ")
        )?;
        writeln!(out, "  Q: {}", indent(&card.front))?;
        writeln!(out, "  A: {}", indent(&card.back))?;
        if let Some(note) = &card.note {
            writeln!(out, "  Note: {}", indent(note))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{} cards", cards.len())?;
    Ok(())
}

fn indent(text: &str) -> String {
    text.replace('\n', "\n     ")
}

/// Qualities from `--grades 5,4,3` or `--buttons again,good`.
pub fn parse_answers(grades: Option<&str>, buttons: Option<&str>) -> Result<Vec<u8>, String> {
    let (list, what) = match (grades, buttons) {
        (Some(g), _) => (g, "--grades"),
        (None, Some(b)) => (b, "--buttons"),
        (None, None) => return Err("give --grades or --buttons".into()),
    };
    if list.trim().is_empty() {
        return Err(format!(
            "{what} is empty: give a comma-separated list, e.g. {what} {}",
            if what == "--grades" {
                "5,4,3"
            } else {
                "again,good,easy"
            }
        ));
    }
    list.split(',')
        .enumerate()
        .map(|(i, item)| {
            let item = item.trim();
            let parsed = if what == "--grades" {
                item.parse::<u8>().ok().filter(|q| *q <= 5)
            } else {
                Button::parse(item).map(Button::quality)
            };
            parsed.ok_or_else(|| {
                let expected = if what == "--grades" {
                    "a quality from 0 to 5"
                } else {
                    "one of again, hard, good, easy"
                };
                format!("{what}: item {} is \"{item}\", expected {expected}", i + 1)
            })
        })
        .collect()
}

fn run_simulate(out: &mut impl Write, args: &SimulateArgs) -> Result<(), CliError> {
    let qualities =
        parse_answers(args.grades.as_deref(), args.buttons.as_deref()).map_err(CliError::User)?;
    let config = Config {
        fuzz: !args.no_fuzz,
        ..Config::default()
    };
    let steps = simulate::simulate(&qualities, &config).map_err(user)?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &steps)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "step  day  q  reps  ease    interval  lapses")?;
    for (i, s) in steps.iter().enumerate() {
        writeln!(
            out,
            "{:>4}  {:>3}  {}  {:>4}  {:<6.4}  {:>8}  {:>6}",
            i + 1,
            s.day,
            s.quality,
            s.repetitions,
            s.ease,
            format!("{}d", s.interval_days),
            s.lapses
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn answers_parse() {
        assert_eq!(parse_answers(Some("5, 4,0"), None), Ok(vec![5, 4, 0]));
        assert_eq!(
            parse_answers(None, Some("again,Good,easy")),
            Ok(vec![1, 4, 5])
        );
        for bad in ["7", "x", "", " ", "4,,4", "-1"] {
            assert!(parse_answers(Some(bad), None).is_err(), "{bad:?}");
        }
        assert!(parse_answers(None, Some("meh")).is_err());
    }

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
