//! `awscards settings`: the settings shown, or changed and saved in one go.

use std::io::Write;

use super::{
    Cli, CliError, GradingArg, LeechArg, SchedulerArg, SettingsArgs, ThemeArg, open, user,
};
use crate::model::limits::AnswerOptions;
use crate::model::schedule::fsrs::{self, REVIEWS_TO_OPTIMISE};
use crate::model::schedule::{Algorithm, Grading};
use crate::model::settings::{LeechAction, Theme};

pub(super) fn run_settings(
    out: &mut impl Write,
    cli: &Cli,
    args: &SettingsArgs,
) -> Result<(), CliError> {
    let mut coll = open(cli)?;
    if let Some(deck) = &args.deck {
        return deck_options(out, &mut coll, deck, args);
    }
    let mut s = coll.settings;
    if let Some(n) = args.new_per_day {
        s.new_per_day = n;
    }
    if let Some(n) = args.reviews_per_day {
        s.reviews_per_day = n;
    }
    if let Some(h) = args.rollover_hour {
        s.scheduler.rollover_hour = h;
    }
    if let Some(f) = args.fuzz {
        s.scheduler.fuzz = f;
    }
    if let Some(g) = args.grading {
        s.scheduler.grading = match g {
            GradingArg::Four => Grading::FourButtons,
            GradingArg::Six => Grading::SixGrades,
        };
    }
    if let Some(t) = args.theme {
        s.theme = match t {
            ThemeArg::System => Theme::System,
            ThemeArg::Light => Theme::Light,
            ThemeArg::Dark => Theme::Dark,
        };
    }
    if let Some(a) = args.scheduler {
        s.scheduler.algorithm = match a {
            SchedulerArg::Sm2 => Algorithm::Sm2,
            SchedulerArg::Fsrs => Algorithm::Fsrs,
        };
    }
    if let Some(r) = args.desired_retention {
        s.scheduler.desired_retention = r;
    }
    if let Some(d) = args.max_interval {
        s.scheduler.max_interval = d;
    }
    if args.default_parameters {
        s.scheduler.fsrs_parameters = None;
    }
    if let Some(b) = args.bury_siblings {
        s.bury_siblings = b;
    }
    if let Some(n) = args.leech_threshold {
        s.leech_threshold = n;
    }
    if let Some(a) = args.leech_action {
        s.leech_action = leech_action(a);
    }
    if args.optimize {
        let (reviews, fitted) = coll.fit_fsrs(&Default::default()).map_err(user)?;
        match fitted {
            Some(p) => s.scheduler.fsrs_parameters = Some(p),
            None => eprintln!(
                "Only {reviews} reviews to learn from (each card's first answer of a day, after \
                 its first): FSRS needs {REVIEWS_TO_OPTIMISE} to fit its parameters, so the \
                 ones in use stay."
            ),
        }
    }
    s.check().map_err(user)?;
    // Stored settings that fell back to the defaults are replaced in any case.
    if s != coll.settings || !coll.warnings.is_empty() {
        coll.save_settings(s).map_err(user)?;
    }
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &s)?;
        writeln!(out)?;
    } else {
        writeln!(out, "new cards/day   {}", s.new_per_day)?;
        writeln!(out, "reviews/day     {}", s.reviews_per_day)?;
        writeln!(out, "rollover hour   {}", s.scheduler.rollover_hour)?;
        writeln!(
            out,
            "fuzz            {}",
            if s.scheduler.fuzz { "on" } else { "off" }
        )?;
        writeln!(out, "grading         {:?}", s.scheduler.grading)?;
        let sched = &s.scheduler;
        match sched.algorithm {
            Algorithm::Sm2 => writeln!(out, "scheduler       SM-2")?,
            Algorithm::Fsrs => writeln!(
                out,
                "scheduler       FSRS-6, desired retention {}, maximum interval {} days",
                sched.desired_retention, sched.max_interval
            )?,
        }
        writeln!(
            out,
            "FSRS parameters {}",
            fsrs::describe(sched.fsrs_parameters.as_ref())
        )?;
        write_answer_options(out, s.answer_options())?;
        writeln!(out, "theme           {:?}", s.theme)?;
    }
    Ok(())
}

/// `settings --deck DECK`: the deck's preset and limits, changed first if asked.
fn deck_options(
    out: &mut impl Write,
    coll: &mut crate::app::collection::Collection,
    deck: &str,
    args: &SettingsArgs,
) -> Result<(), CliError> {
    if !coll.deck_exists(deck).map_err(user)? {
        let decks = coll.deck_names().map_err(user)?;
        return Err(CliError::User(format!(
            "no deck named \"{deck}\" (decks: {}; `awscards decks` lists them)",
            crate::model::decks::with_parents(&decks)
                .iter()
                .filter(|d| !d.contains("::"))
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let today = coll.today();
    let now = coll.deck_preset(deck).map_err(user)?;
    let limits = (args.new_per_day.is_some() || args.reviews_per_day.is_some()).then(|| {
        crate::model::limits::Limits {
            new: args.new_per_day.unwrap_or(now.limits.new),
            reviews: args.reviews_per_day.unwrap_or(now.limits.reviews),
        }
    });
    let asked = args.leech_threshold.is_some()
        || args.leech_action.is_some()
        || args.bury_siblings.is_some();
    let options = asked.then(|| AnswerOptions {
        bury_siblings: args.bury_siblings.unwrap_or(now.options.bury_siblings),
        leech_threshold: args.leech_threshold.unwrap_or(now.options.leech_threshold),
        leech_action: args
            .leech_action
            .map_or(now.options.leech_action, leech_action),
    });
    if limits.is_some() || options.is_some() || args.preset.is_some() {
        coll.set_deck_options(deck, limits, options, args.preset.as_deref())
            .map_err(user)?;
    }
    let preset = coll.deck_preset(deck).map_err(user)?;
    let left = coll.left_for(deck, today).map_err(user)?;
    if args.json {
        let v = serde_json::json!({
            "deck": deck,
            "preset": preset.name,
            "new_per_day": preset.limits.new,
            "reviews_per_day": preset.limits.reviews,
            "new_left_today": left.new,
            "reviews_left_today": left.reviews,
            "bury_siblings": preset.options.bury_siblings,
            "leech_threshold": preset.options.leech_threshold,
            "leech_action": preset.options.leech_action,
        });
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
    } else {
        writeln!(out, "deck            {deck}")?;
        writeln!(out, "preset          {}", preset.name)?;
        writeln!(
            out,
            "new/day         {} ({} left today)",
            preset.limits.new, left.new
        )?;
        writeln!(
            out,
            "reviews/day     {} ({} left today)",
            preset.limits.reviews, left.reviews
        )?;
        write_answer_options(out, preset.options)?;
    }
    Ok(())
}

fn leech_action(a: LeechArg) -> LeechAction {
    match a {
        LeechArg::Suspend => LeechAction::Suspend,
        LeechArg::TagOnly => LeechAction::TagOnly,
    }
}

/// A preset's leech and sibling options, a line each.
fn write_answer_options(out: &mut impl Write, o: AnswerOptions) -> Result<(), CliError> {
    let leech = match (o.leech_threshold, o.leech_action) {
        (0, _) => "off".to_string(),
        (n, LeechAction::Suspend) => format!("after {n} lapses: suspended and tagged"),
        (n, LeechAction::TagOnly) => format!("after {n} lapses: tagged"),
    };
    writeln!(out, "leeches         {leech}")?;
    let apart = if o.bury_siblings { "on" } else { "off" };
    writeln!(out, "siblings apart  {apart}")?;
    Ok(())
}
