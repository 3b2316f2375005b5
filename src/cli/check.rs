//! `awscards check`: prints what `app::check` finds, repairs or restores.

use std::io::Write;
use std::path::Path;

use super::{Cli, CliError, open, user};
use crate::app::check;

pub(super) fn run(
    out: &mut impl Write,
    cli: &Cli,
    repair: bool,
    restore: Option<&Path>,
    json: bool,
) -> Result<(), CliError> {
    if let Some(backup) = restore {
        match check::restore(cli.db.as_deref(), backup).map_err(user)? {
            Some(kept) => writeln!(
                out,
                "restored {}; the collection it replaced is kept as {}",
                backup.display(),
                kept.display()
            )?,
            None => writeln!(out, "restored {}", backup.display())?,
        }
        return Ok(());
    }
    let mut coll = open(cli)?;
    if repair {
        let done = check::repair(&mut coll).map_err(user)?;
        writeln!(
            out,
            "repaired {} cards: their answers now count for today",
            done.cards
        )?;
        if done.search_index {
            writeln!(out, "rebuilt the search index from the cards")?;
        }
        if done.review_days {
            writeln!(
                out,
                "rebuilt the statistics' daily summary from the review log"
            )?;
        }
        return Ok(());
    }
    let report = check::check(&coll).map_err(user)?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        if report.integrity.is_empty() {
            writeln!(out, "integrity: ok")?;
        } else {
            writeln!(out, "integrity: damaged ({})", report.integrity.join("; "))?;
            match &report.newest_good_backup {
                Some(b) => writeln!(
                    out,
                    "  restore the newest good backup: awscards check --restore {}",
                    b.display()
                )?,
                None => writeln!(out, "  no backup passes the check")?,
            }
        }
        if report.future_cards + report.future_answers == 0 {
            writeln!(out, "answers dated after today: none")?;
        } else {
            writeln!(
                out,
                "answers dated after today: {} cards reviewed after today ({} answers): the clock \
                 was set in the future; awscards check --repair moves them to today",
                report.future_cards, report.future_answers
            )?;
        }
        match report.text_index_out_of_step.len() {
            0 => writeln!(out, "search index: ok")?,
            n => writeln!(
                out,
                "search index: out of step with {n} cards; awscards check --repair builds it \
                 again"
            )?,
        }
        match report.review_days_out_of_step {
            0 => writeln!(out, "statistics summary: ok")?,
            n => writeln!(
                out,
                "statistics summary: {n} days out of step with the review log; awscards check \
                 --repair builds it again"
            )?,
        }
        writeln!(out, "backups: {}", report.backups.len())?;
        for b in &report.backups {
            writeln!(out, "  {}", b.display())?;
        }
    }
    if report.ok() {
        Ok(())
    } else {
        Err(CliError::ProblemsFound)
    }
}
