//! What `awscards bench` measures of Browse: frame times, headless (egui lays out and
//! tessellates each frame as in the window; nothing reaches a screen).

use std::time::Instant;

use super::BrowseScreen;
use crate::app::collection::Collection;
use crate::ui::page::Page;

/// Frame times (ms) of the Browse screen on `coll`, from opening it while `text` is typed
/// into its search field (a key every 150 ms, 60 frames a second) until the search's rows
/// are all shown. Headless: egui lays out and tessellates each frame as in the window;
/// nothing reaches a screen. What `awscards bench` reports for typing in Browse.
pub fn typing_frame_times(coll: &mut Collection, text: &str) -> Result<Vec<f64>, String> {
    const FRAME_S: f64 = 1.0 / 60.0;
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
        let output = ctx.run_ui(input, |ui| {
            failed = screen.ui(ui, coll, &[]).err();
        });
        ctx.tessellate(output.shapes, output.pixels_per_point);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if let Some(e) = failed {
            return Err(e);
        }
        time += FRAME_S;
        if times.len() > 100_000 {
            return Err("the search never finished loading".into());
        }
    }
    if screen.query != text {
        return Err(format!(
            "the search field holds \"{}\", not what was typed",
            screen.query
        ));
    }
    Ok(times)
}
