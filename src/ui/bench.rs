//! What `awscards bench` measures of the window: frame times of Browse and Stats, headless
//! (egui lays out and tessellates each frame as in the window at 1280x800; nothing reaches a
//! screen).

use std::path::Path;
use std::time::Instant;

use super::browse::BrowseScreen;
use super::page::Page;
use super::stats::StatsScreen;
use super::{AwscardsApp, Nav, Screen, Source};
use crate::app::collection::Collection;
use crate::model::schedule::Algorithm;

const FRAME_S: f64 = 1.0 / 60.0;

/// A frame's input at `time`: a 1280x800 window and `events`.
fn input(time: f64, events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        time: Some(time),
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        events,
        ..Default::default()
    }
}

/// One frame of `page` at `time` with `events`: how long it took (ms).
fn frame(
    ctx: &egui::Context,
    coll: &mut Collection,
    page: &mut dyn Page,
    time: f64,
    events: Vec<egui::Event>,
) -> Result<f64, String> {
    let mut failed = None;
    let input = input(time, events);
    let started = Instant::now();
    let mut output = ctx.run_ui(input, |ui| {
        failed = page.ui(ui, coll, &[]).err();
    });
    ctx.tessellate(output.shapes, output.pixels_per_point);
    // No painter takes the font atlas's changes here.
    output.textures_delta.clear();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    failed.map_or(Ok(ms), Err)
}

/// Frame times (ms) of Browse from opening it while `text` is typed into its search field (a
/// key every 150 ms, 60 frames a second) until the search's rows are all shown.
pub fn browse_typing(coll: &mut Collection, text: &str) -> Result<Vec<f64>, String> {
    const KEY_EVERY_S: f64 = 0.15;
    let ctx = egui::Context::default();
    let mut screen = BrowseScreen::new(coll, "")?;
    let mut keys = text.chars().peekable();
    let mut next_key = 0.5;
    let mut times = Vec::new();
    let mut time = 0.0;
    while keys.peek().is_some() || screen.loading() || time < next_key + 0.5 {
        let mut events = Vec::new();
        if time >= next_key
            && let Some(c) = keys.next()
        {
            events.push(egui::Event::Text(c.to_string()));
            next_key += KEY_EVERY_S;
        }
        times.push(frame(&ctx, coll, &mut screen, time, events)?);
        time += FRAME_S;
        if times.len() > 100_000 {
            return Err("the search never finished loading".into());
        }
    }
    if screen.query() != text {
        return Err(format!(
            "the search field holds \"{}\", not what was typed",
            screen.query()
        ));
    }
    Ok(times)
}

/// Browse on the whole collection, its rows loaded (not timed), then scrolled from the first
/// row to the last `step` rows a frame (each frame a new stretch of rows): the frame times
/// (ms) and the rows gone through.
pub fn browse_scrolling(coll: &mut Collection, step: usize) -> Result<(Vec<f64>, usize), String> {
    let ctx = egui::Context::default();
    let mut screen = BrowseScreen::new(coll, "")?;
    let mut time = 0.0;
    while screen.loading() {
        frame(&ctx, coll, &mut screen, time, Vec::new())?;
        time += FRAME_S;
    }
    let rows = screen.rows().len();
    let mut times = Vec::new();
    for row in (0..rows)
        .step_by(step.max(1))
        .chain([rows.saturating_sub(1)])
    {
        screen.show_row(row);
        times.push(frame(&ctx, coll, &mut screen, time, Vec::new())?);
        time += FRAME_S;
    }
    Ok((times, rows))
}

/// Frame times of Stats scrolled from the top to the bottom.
pub struct StatsFrames {
    /// How long the report took to read (ms), before the first frame.
    pub read_ms: f64,
    /// The first time through: every chart and its glyphs new to the window.
    pub first: Vec<f64>,
    /// The same again in the same window.
    pub again: Vec<f64>,
}

/// Stats of the whole collection with every chart (its report read first, not a frame),
/// scrolled from the top to the bottom `pixels` a frame, twice.
pub fn stats_scrolling(coll: &mut Collection, pixels: f32) -> Result<StatsFrames, String> {
    let ctx = egui::Context::default();
    let mut time = 0.0;
    let mut pass = |coll: &mut Collection| -> Result<(Vec<f64>, f64), String> {
        let started = Instant::now();
        let mut screen = StatsScreen::new(coll)?;
        let read_ms = started.elapsed().as_secs_f64() * 1000.0;
        let mut times = vec![frame(&ctx, coll, &mut screen, time, Vec::new())?];
        // The page is a few thousand points long: 60 frames at 100 pt reach its end.
        let pointer = egui::Event::PointerMoved(egui::pos2(640.0, 400.0));
        for _ in 0..(6000.0 / pixels.max(1.0)) as usize {
            time += FRAME_S;
            let wheel = egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, -pixels),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: egui::Modifiers::NONE,
            };
            let events = vec![pointer.clone(), wheel];
            times.push(frame(&ctx, coll, &mut screen, time, events)?);
        }
        Ok((times, read_ms))
    };
    let (first, read_ms) = pass(coll)?;
    let (again, _) = pass(coll)?;
    Ok(StatsFrames {
        read_ms,
        first,
        again,
    })
}

/// The window's frames while one long job runs on its thread.
pub struct JobFrames {
    /// The job, in words.
    pub what: &'static str,
    /// Each frame's time (ms), from the one that starts the job to the one that shows its
    /// outcome.
    pub frames: Vec<f64>,
    /// How long the job took (s).
    pub seconds: f64,
}

/// One frame of the whole window (ms).
fn app_frame(ctx: &egui::Context, app: &mut AwscardsApp, time: f64) -> f64 {
    let started = Instant::now();
    let mut output = ctx.run_ui(input(time, Vec::new()), |ui| app.frame(ui));
    ctx.tessellate(output.shapes, output.pixels_per_point);
    output.textures_delta.clear();
    started.elapsed().as_secs_f64() * 1000.0
}

/// Frames of the window, 60 a second, from the job the app was just asked for until its
/// outcome is shown and no other job follows.
fn through_job(
    ctx: &egui::Context,
    app: &mut AwscardsApp,
    what: &'static str,
) -> Result<JobFrames, String> {
    let started = Instant::now();
    let mut frames = Vec::new();
    let before = app.jobs_started - u64::from(app.busy());
    loop {
        let time = started.elapsed().as_secs_f64();
        frames.push(app_frame(ctx, app, time));
        let began = app.jobs_started > before;
        if began && !app.busy() {
            // The outcome, drawn (and the job it leads to, if any: fitted parameters are
            // worked out into a schedule next).
            frames.push(app_frame(ctx, app, time + FRAME_S));
            if !app.busy() {
                break;
            }
        } else if !began && frames.len() > 10 {
            return Err(format!("{what}: the job never started"));
        }
        std::thread::sleep(std::time::Duration::from_secs_f64(FRAME_S));
    }
    if let Some(e) = &app.error {
        return Err(format!("{what}: {e}"));
    }
    Ok(JobFrames {
        what,
        frames,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The window's frames while each long job runs, on the bench collection in `folder`: the first
/// launch on its facts (a new collection), then, on a copy of the collection (left as it was),
/// Compare, a switch to the other scheduler worked out, FSRS's parameters fitted, and a package exported and
/// imported back.
pub fn job_frames(folder: &Path) -> Result<Vec<JobFrames>, String> {
    let io = |e: std::io::Error| format!("{}: {e}", folder.display());
    let remove = |name: &str| -> Result<(), String> {
        for suffix in ["", "-wal", "-shm"] {
            let path = folder.join(format!("{name}{suffix}"));
            if path.exists() {
                std::fs::remove_file(path).map_err(io)?;
            }
        }
        Ok(())
    };
    let facts = Some(folder.join("facts"));
    let ctx = egui::Context::default();
    let mut done = Vec::new();

    remove("first-launch.sqlite")?;
    let source = Source {
        db: Some(folder.join("first-launch.sqlite")),
        facts: facts.clone(),
    };
    let mut app = AwscardsApp::opening(source, &ctx);
    done.push(through_job(
        &ctx,
        &mut app,
        "first launch on a new facts folder",
    )?);
    drop(app);
    remove("first-launch.sqlite")?;

    remove("jobs.sqlite")?;
    for suffix in ["", "-wal"] {
        let from = folder.join(format!("collection.sqlite{suffix}"));
        if from.exists() {
            std::fs::copy(from, folder.join(format!("jobs.sqlite{suffix}"))).map_err(io)?;
        }
    }
    let source = Source {
        db: Some(folder.join("jobs.sqlite")),
        facts,
    };
    let mut app = AwscardsApp::opening(source, &ctx);
    done.push(through_job(&ctx, &mut app, "opening the collection")?);
    let settings = |app: &mut AwscardsApp, ask: &dyn Fn(&mut super::settings::SettingsScreen)| {
        app.go(Nav::Settings);
        if let Screen::Settings(s) = &mut app.screen {
            ask(s);
        }
    };
    settings(&mut app, &|s| s.compare());
    done.push(through_job(&ctx, &mut app, "Compare SM-2 and FSRS")?);
    let other = match app.coll.as_ref().map(|c| c.settings.scheduler.algorithm) {
        Some(Algorithm::Sm2) => Algorithm::Fsrs,
        _ => Algorithm::Sm2,
    };
    settings(&mut app, &|s| s.choose(other));
    done.push(through_job(
        &ctx,
        &mut app,
        "switch of scheduler worked out",
    )?);
    settings(&mut app, &|s| s.fit());
    done.push(through_job(&ctx, &mut app, "FSRS parameters fitted")?);
    let package = folder.join("jobs.apkg");
    app.go(Nav::Export);
    if let Screen::Export(s) = &mut app.screen {
        s.export_to(package.clone());
    }
    done.push(through_job(&ctx, &mut app, "package exported")?);
    failed(&app, "package exported")?;
    app.go(Nav::Import);
    if let Screen::Import(s) = &mut app.screen {
        s.import_from(package.clone());
    }
    done.push(through_job(&ctx, &mut app, "package imported")?);
    failed(&app, "package imported")?;
    drop(app);
    remove("jobs.sqlite")?;
    std::fs::remove_file(package).map_err(io)?;
    Ok(done)
}

/// The error the Export or Import screen shows after `what`, if any.
fn failed(app: &AwscardsApp, what: &str) -> Result<(), String> {
    let outcome = match &app.screen {
        Screen::Export(s) => s.outcome(),
        Screen::Import(s) => s.outcome(),
        _ => None,
    };
    match outcome {
        Some(Err(e)) => Err(format!("{what}: {e}")),
        _ => Ok(()),
    }
}
