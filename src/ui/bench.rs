//! What `awscards bench` measures of the window: frame times of Browse and Stats, headless
//! (egui lays out and tessellates each frame as in the window at 1280x800; nothing reaches a
//! screen).

use std::time::Instant;

use super::browse::BrowseScreen;
use super::page::Page;
use super::stats::StatsScreen;
use crate::app::collection::Collection;

const FRAME_S: f64 = 1.0 / 60.0;

/// One frame of `page` at `time` with `events`: how long it took (ms).
fn frame(
    ctx: &egui::Context,
    coll: &mut Collection,
    page: &mut dyn Page,
    time: f64,
    events: Vec<egui::Event>,
) -> Result<f64, String> {
    let input = egui::RawInput {
        time: Some(time),
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        events,
        ..Default::default()
    };
    let mut failed = None;
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
