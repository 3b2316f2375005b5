//! `awscards settings`: the settings shown, or changed and saved in one go.

use std::io::Write;

use super::{
    Cli, CliError, GradingArg, LeechArg, SchedulerArg, SettingsArgs, ThemeArg, open, user,
};
use crate::model::schedule::fsrs::{self, REVIEWS_TO_OPTIMISE};
use crate::model::schedule::{Algorithm, Grading};
use crate::model::settings::{LeechAction, Theme};

pub(super) fn run_settings(
    out: &mut impl Write,
    cli: &Cli,
    args: &SettingsArgs,
) -> Result<(), CliError> {
    let mut coll = open(cli)?;
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
        s.leech_action = match a {
            LeechArg::Suspend => LeechAction::Suspend,
            LeechArg::TagOnly => LeechAction::TagOnly,
        };
    }
    if args.optimize {
        let (reviews, fitted) = coll.fit_fsrs().map_err(user)?;
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
        let leech = match (s.leech_threshold, s.leech_action) {
            (0, _) => "off".to_string(),
            (n, LeechAction::Suspend) => format!("after {n} lapses: suspended and tagged"),
            (n, LeechAction::TagOnly) => format!("after {n} lapses: tagged"),
        };
        writeln!(out, "leeches         {leech}")?;
        let apart = if s.bury_siblings { "on" } else { "off" };
        writeln!(out, "siblings apart  {apart}")?;
        writeln!(out, "theme           {:?}", s.theme)?;
    }
    Ok(())
}
