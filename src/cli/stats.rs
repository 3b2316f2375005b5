//! `awscards stats`: the statistics of a scope, as text or JSON.

use std::io::Write;

use super::{Cli, CliError, open, user};
use crate::app::collection::CardScope;
use crate::model::stats::charts::RetentionRow;
use crate::model::stats::{StatsReport, Tally, Windows, percent, thousands};

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
    let e = coll.evaluate(&Default::default()).map_err(user)?;
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
    let n = |v: u32| thousands(v);
    let s = &r.counts;
    writeln!(out, "cards      {}", n(s.cards))?;
    writeln!(out, "  new      {}", n(s.new))?;
    writeln!(out, "  learning {}", n(s.learning))?;
    writeln!(out, "  review   {}", n(s.review))?;
    writeln!(out, "suspended  {}", n(s.suspended))?;
    writeln!(out, "retired    {}", n(s.retired))?;
    writeln!(
        out,
        "reviews    {} ({} today)",
        n(s.reviews_total),
        n(s.reviews_today)
    )?;
    writeln!(out)?;
    let t = &r.today;
    let again = t
        .again_rate
        .map_or(String::new(), |a| format!(", again {}", percent(a)));
    writeln!(
        out,
        "today      {} answers on {} cards in {}{again}",
        n(t.answers),
        n(t.cards),
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
        n(r.overdue),
        n(due(1)),
        n(due(7)),
        n(due(30)),
        n(due(365))
    )?;
    writeln!(
        out,
        "retention  (passed reviews, last 7 / 30 / 365 days; - no reviews)"
    )?;
    writeln!(out, "  young    {}", windows(&r.retention.young))?;
    writeln!(out, "  mature   {}", windows(&r.retention.mature))?;
    for d in &r.retention_by_deck {
        writeln!(out, "  {}", d.deck)?;
        writeln!(out, "    young  {}", windows(&d.retention.young))?;
        writeln!(out, "    mature {}", windows(&d.retention.mature))?;
    }
    writeln!(
        out,
        "true retention (today / yesterday / 7 / 30 / 365 days)"
    )?;
    for (name, pick) in [
        (
            "young ",
            (|r: &RetentionRow| r.young) as fn(&RetentionRow) -> Tally,
        ),
        ("mature", |r| r.mature),
        ("total ", |r| r.total),
    ] {
        let row: Vec<String> = r.true_retention.iter().map(|p| tally(pick(p))).collect();
        writeln!(out, "  {name}   {}", row.join(" / "))?;
    }
    print_charts(out, r)
}

/// The cards by state, their intervals, the buttons, the busiest hour and the cards added.
fn print_charts(out: &mut impl Write, r: &StatsReport) -> std::io::Result<()> {
    let n = |v: u32| thousands(v);
    let c = &r.states;
    writeln!(
        out,
        "by state   {} new, {} learning, {} young, {} mature, {} suspended, {} retired",
        n(c.new),
        n(c.learning),
        n(c.young),
        n(c.mature),
        n(c.suspended),
        n(c.retired)
    )?;
    let i = &r.intervals;
    if let Some(mean) = i.mean_days {
        let p: Vec<String> = i
            .percentiles
            .iter()
            .map(|p| format!("{}% ≤ {} d", p.percent, thousands(p.days)))
            .collect();
        writeln!(
            out,
            "intervals  {} learned cards, mean {mean:.1} d; {}",
            n(i.cards),
            p.join(", ")
        )?;
    }
    writeln!(out, "buttons    (last 365 days: learning / young / mature)")?;
    for b in &r.buttons {
        writeln!(
            out,
            "  {:<8} {} / {} / {}",
            b.button,
            n(b.learning),
            n(b.young),
            n(b.mature)
        )?;
    }
    let busiest = r.hours.iter().max_by_key(|h| h.answers.reviews);
    if let Some(h) = busiest.filter(|h| h.answers.reviews > 0) {
        writeln!(
            out,
            "hours      busiest {:02}:00-{:02}:59, {} answers, {} passed",
            h.hour,
            h.hour,
            n(h.answers.reviews),
            h.answers.rate().map_or("-".to_string(), percent)
        )?;
    }
    let added: u32 = r.added.iter().map(|a| a.cards).sum();
    writeln!(out, "added      {} cards in the last 365 days", n(added))?;
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
        Some(rate) => format!(
            "{} ({}/{})",
            percent(rate),
            thousands(t.passed),
            thousands(t.reviews)
        ),
        None => "-".to_string(),
    }
}

fn minutes(ms: u64) -> String {
    format!("{:.1} min", ms as f64 / 60_000.0)
}
