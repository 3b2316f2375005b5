//! `awscards bench`: the figures of the synthetic collection, then the window's frame times.

use std::io::Write;
use std::path::Path;

use super::{CliError, user};
use crate::app::bench;
use crate::app::collection::Collection;

/// The bench's command: builds and times the synthetic collection in `folder` (or with
/// `window`, only times the window on the one an earlier bench left there).
pub fn run(
    out: &mut impl Write,
    (cards, reviews, answers): (usize, Option<usize>, usize),
    folder: &Path,
    (json, window): (bool, bool),
    sync: Option<(&str, &str)>,
) -> Result<(), CliError> {
    if window {
        if !folder.join("collection.sqlite").is_file() {
            return Err(CliError::User(format!(
                "no bench collection in {}: run `awscards bench --out {}` first, \
                 then time the window on it",
                folder.display(),
                folder.display()
            )));
        }
        let mut coll = bench::reopen(folder).map_err(user)?;
        print_window_frames(out, &mut coll)?;
        drop(coll);
        return print_job_frames(out, folder);
    }
    let reviews = reviews.unwrap_or(cards.saturating_mul(10));
    let mut r = bench::run(cards, reviews, answers, folder).map_err(user)?;
    if let Some((server, name)) = sync {
        let password = std::env::var(super::sync::PASSWORD_VAR).map_err(|_| {
            CliError::User(format!(
                "the bench logs in to {server} with the password in {}",
                super::sync::PASSWORD_VAR
            ))
        })?;
        let figures = crate::app::bench_sync::run(folder, server, name, &password).map_err(user)?;
        r.sync_full_ms = Some(figures.sync_full_ms);
        r.sync_normal_ms = Some(figures.sync_normal_ms);
        r.sync_answers_each_way = Some(figures.answers_each_way);
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &r)?;
        writeln!(out)?;
        Ok(())
    } else {
        print_bench(out, &r)?;
        window_frames_apart(out, folder)
    }
}

fn print_bench(out: &mut impl Write, r: &bench::Report) -> Result<(), CliError> {
    writeln!(
        out,
        "synthetic collection: {} cards, {} answers in the log, in {}",
        r.cards,
        r.reviews,
        r.folder.display()
    )?;
    let rows = [
        ("first open (parse, generate, insert)", r.first_open_ms),
        ("open again (facts unchanged)", r.open_ms),
        ("today's first card of the top deck", r.queue_ms),
        ("deck tree with today's counts", r.deck_tree_ms),
        ("a durable answer (median)", r.answer_ms),
        ("a durable answer (p95)", r.answer_p95_ms),
        ("the fsync floor (64 bytes + fsync)", r.fsync_floor_ms),
        (
            "one SQLite commit of one small row",
            r.sqlite_commit_floor_ms,
        ),
        ("undo (median)", r.undo_ms),
        ("search (median of the four below)", r.search_ms),
        ("browse every card (table rows)", r.browse_ms),
        ("worst search the query limits allow", r.search_hostile_ms),
        ("export every card to CSV", r.export_csv_ms),
        ("the Stats screen's numbers, whole collection", r.stats_ms),
        ("generate 100 000 facts (parse, cards)", r.generate_ms),
        ("switch to FSRS (replay every card)", r.switch_to_fsrs_ms),
        ("a durable answer under FSRS (median)", r.answer_fsrs_ms),
        ("today's first card under FSRS", r.queue_fsrs_ms),
    ];
    for (what, figure) in rows {
        writeln!(out, "{what:<40} {figure:>9.2} ms")?;
    }
    let each_way = r.sync_answers_each_way.unwrap_or(0);
    let syncs = [
        ("first sync (a full upload)".to_string(), r.sync_full_ms),
        (
            format!("normal sync, {each_way} answers each way"),
            r.sync_normal_ms,
        ),
    ];
    for (what, figure) in syncs {
        match figure {
            Some(figure) => writeln!(out, "{what:<40} {figure:>9.2} ms")?,
            None => writeln!(out, "{:<40} not timed: give --sync-server", "syncs")?,
        }
    }
    for (q, figure) in bench::SEARCHES.iter().zip(&r.searches_ms) {
        writeln!(out, "  search {q:<31} {figure:>9.2} ms")?;
    }
    writeln!(
        out,
        "open the app on it: awscards --db {} --facts {}",
        r.folder.join("collection.sqlite").display(),
        r.folder.join("facts").display()
    )?;
    Ok(())
}

/// The window's frame times measured by `awscards bench --window` on the collection in
/// `folder`: a process of its own, whose heap holds what the app's would (a collection opened),
/// not the one the synthetic deck was generated and replayed in (there a first Stats scroll
/// met a one-frame stall of 18-35 ms, outside the page's code, that the window never meets).
fn window_frames_apart(out: &mut impl Write, folder: &Path) -> Result<(), CliError> {
    let me = std::env::current_exe().map_err(|e| {
        CliError::User(format!(
            "cannot find the awscards program to time the window: {e}"
        ))
    })?;
    let child = std::process::Command::new(me)
        .args(["bench", "--window", "--out"])
        .arg(folder)
        .output()
        .map_err(|e| CliError::User(format!("cannot start awscards to time the window: {e}")))?;
    out.write_all(&child.stdout)?;
    if !child.status.success() {
        return Err(CliError::User(format!(
            "timing the window failed: {}",
            String::from_utf8_lossy(&child.stderr).trim()
        )));
    }
    Ok(())
}

/// The window's frame times on the bench collection, headless: Browse while typing a search,
/// Browse scrolled through every row, Stats scrolled through every chart.
fn print_window_frames(out: &mut impl Write, coll: &mut Collection) -> Result<(), CliError> {
    let summary = |frames: &[f64]| {
        let slowest = frames.iter().copied().fold(0.0, f64::max);
        let over = frames.iter().filter(|&&ms| ms > 16.0).count();
        format!(
            "{} frames, slowest {slowest:.2} ms, {over} over 16 ms",
            frames.len()
        )
    };
    let typed = "question 12";
    let frames = crate::ui::bench::browse_typing(coll, typed).map_err(CliError::User)?;
    writeln!(
        out,
        "Browse, typing \"{typed}\" (headless egui): {}",
        summary(&frames)
    )?;
    let (frames, rows) = crate::ui::bench::browse_scrolling(coll, 100).map_err(CliError::User)?;
    writeln!(
        out,
        "Browse, scrolling through {} rows, 100 a frame: {}",
        crate::model::stats::thousands(rows as u64),
        summary(&frames)
    )?;
    let stats = crate::ui::bench::stats_scrolling(coll, 100.0).map_err(CliError::User)?;
    writeln!(
        out,
        "Stats with every chart (report read in {:.0} ms), scrolled 100 pt a frame: {}; \
         again: {}",
        stats.read_ms,
        summary(&stats.first),
        summary(&stats.again)
    )?;
    Ok(())
}

/// The window's frames while each long job runs on its thread (none should wait 100 ms).
fn print_job_frames(out: &mut impl Write, folder: &Path) -> Result<(), CliError> {
    for job in crate::ui::bench::job_frames(folder).map_err(CliError::User)? {
        let slowest = job.frames.iter().copied().fold(0.0, f64::max);
        let over = job.frames.iter().filter(|&&ms| ms > 100.0).count();
        writeln!(
            out,
            "While a job runs, {} ({:.1} s): {} frames, slowest {slowest:.2} ms, {over} over \
             100 ms",
            job.what,
            job.seconds,
            job.frames.len()
        )?;
    }
    Ok(())
}
