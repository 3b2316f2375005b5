//! `awscards stats`: the statistics of a scope, as text or JSON.

use std::io::Write;

use super::{Cli, CliError, open, user};
use crate::app::collection::CardScope;
use crate::model::stats::{StatsReport, Tally, Windows, percent};

pub(super) fn run(
    out: &mut impl Write,
    cli: &Cli,
    scope: &CardScope,
    json: bool,
) -> Result<(), CliError> {
    let coll = open(cli)?;
    let report = coll.stats_report(scope).map_err(user)?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    print(out, &report)?;
    Ok(())
}

pub(super) fn evaluate(out: &mut impl Write, cli: &Cli, json: bool) -> Result<(), CliError> {
    let coll = open(cli)?;
    let e = coll.evaluate().map_err(user)?;
    match (e, json) {
        (Some(e), true) => serde_json::to_writer_pretty(&mut *out, &e)?,
        (None, true) => serde_json::to_writer_pretty(
            &mut *out,
            &serde_json::json!({
                "reviews": 0, "sm2_log_loss": null, "fsrs_log_loss": null,
                "sm2_rmse_bins": null, "fsrs_rmse_bins": null, "recommended": "sm2",
                "advice": NOTHING_TO_EVALUATE,
            }),
        )?,
        (Some(e), false) => {
            writeln!(out, "reviews predicted  {}", e.reviews)?;
            writeln!(
                out,
                "                   SM-2    FSRS ({})",
                e.fsrs_parameters
            )?;
            writeln!(
                out,
                "log loss           {:.4}  {:.4}",
                e.sm2_log_loss, e.fsrs_log_loss
            )?;
            writeln!(
                out,
                "RMSE (bins)        {:.4}  {:.4}",
                e.sm2_rmse_bins, e.fsrs_rmse_bins
            )?;
            write!(out, "{}", e.advice)?;
        }
        (None, false) => write!(out, "{NOTHING_TO_EVALUATE}")?,
    }
    writeln!(out)?;
    Ok(())
}

const NOTHING_TO_EVALUATE: &str =
    "Nothing to evaluate yet: no card has been reviewed on two different days.";

fn print(out: &mut impl Write, r: &StatsReport) -> std::io::Result<()> {
    let s = &r.counts;
    writeln!(out, "cards      {}", s.cards)?;
    writeln!(out, "  new      {}", s.new)?;
    writeln!(out, "  learning {}", s.learning)?;
    writeln!(out, "  review   {}", s.review)?;
    writeln!(out, "suspended  {}", s.suspended)?;
    writeln!(out, "retired    {}", s.retired)?;
    writeln!(
        out,
        "reviews    {} ({} today)",
        s.reviews_total, s.reviews_today
    )?;
    writeln!(out)?;
    let t = &r.today;
    let again = t
        .again_rate
        .map_or(String::new(), |a| format!(", again {}", percent(a)));
    writeln!(
        out,
        "today      {} answers on {} cards in {}{again}",
        t.answers,
        t.cards,
        minutes(t.time_ms)
    )?;
    writeln!(
        out,
        "streak     {} days (longest {})",
        r.streak_days, r.longest_streak_days
    )?;
    let due = |days: usize| r.forecast.iter().take(days).map(|d| d.due).sum::<u32>();
    writeln!(
        out,
        "due        {} overdue, {} today, {} in 7 days, {} in 30 days, {} in a year",
        r.overdue,
        due(1),
        due(7),
        due(30),
        due(365)
    )?;
    writeln!(out, "retention  (passed reviews, last 7 / 30 / 365 days)")?;
    writeln!(out, "  young    {}", windows(&r.retention.young))?;
    writeln!(out, "  mature   {}", windows(&r.retention.mature))?;
    for d in &r.retention_by_deck {
        writeln!(out, "  {}", d.deck)?;
        writeln!(out, "    young  {}", windows(&d.retention.young))?;
        writeln!(out, "    mature {}", windows(&d.retention.mature))?;
    }
    let c = &r.states;
    writeln!(
        out,
        "by state   {} new, {} learning, {} young, {} mature, {} suspended, {} retired",
        c.new, c.learning, c.young, c.mature, c.suspended, c.retired
    )?;
    Ok(())
}

fn windows(w: &Windows) -> String {
    (0..Windows::DAYS.len())
        .map(|i| tally(w.get(i)))
        .collect::<Vec<_>>()
        .join(" / ")
}

fn tally(t: Tally) -> String {
    match t.rate() {
        Some(rate) => format!("{} ({}/{})", percent(rate), t.passed, t.reviews),
        None => "-".to_string(),
    }
}

fn minutes(ms: u64) -> String {
    format!("{:.1} min", ms as f64 / 60_000.0)
}
