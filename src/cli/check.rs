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
        let done = coll.repair().map_err(user)?;
        if !done.remade.is_empty() {
            writeln!(out, "made again: {}", done.remade.join(", "))?;
        }
        if !done.dropped.is_empty() {
            writeln!(out, "dropped: {}", done.dropped.join(", "))?;
        }
        if done.orphans > 0 {
            writeln!(
                out,
                "removed {} rows of cards that are gone (answers, tags, resets)",
                done.orphans
            )?;
        }
        if done.replayed > 0 {
            writeln!(
                out,
                "replayed {} cards from their answers: their state was out of range",
                done.replayed
            )?;
        }
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
    let report = coll.check().map_err(user)?;
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
        print_damage(out, &report)?;
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

/// The schema's and the values' lines of `check`.
fn print_damage(out: &mut impl Write, report: &check::CheckReport) -> Result<(), CliError> {
    if !report.irreparable.is_empty() {
        writeln!(
            out,
            "schema: the {} table is gone, and with it what only a backup holds: restore one \
             with awscards check --restore BACKUP",
            report.irreparable.join(" and ")
        )?;
    } else if report.missing.is_empty() && report.foreign.is_empty() {
        writeln!(out, "schema: ok")?;
    }
    if !report.missing.is_empty() && report.irreparable.is_empty() {
        writeln!(
            out,
            "schema: missing {}; awscards check --repair makes them again",
            report.missing.join(", ")
        )?;
    }
    if !report.foreign.is_empty() {
        writeln!(
            out,
            "schema: {} not made by awscards; awscards check --repair drops them",
            report.foreign.join(", ")
        )?;
    }
    if !report.irreparable.is_empty() {
        // Values are looked at once the cards and the log are there.
    } else if report.bad_cards + report.bad_answers == 0 {
        writeln!(out, "values: ok")?;
    } else {
        writeln!(
            out,
            "values: {} cards with a state out of range, {} answers with a day or time out of \
             range; awscards check --repair replays those cards from their answers",
            report.bad_cards, report.bad_answers
        )?;
    }
    if report.orphans > 0 {
        writeln!(
            out,
            "rows of cards that are gone: {}; awscards check --repair removes them",
            report.orphans
        )?;
    }
    Ok(())
}
