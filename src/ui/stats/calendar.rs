//! The review calendar: the last 12 months as columns of weeks, drawn cell by cell with gaps
//! between them, month and weekday labels that keep their place at any width, and a legend of
//! the shades.

use chrono::Datelike;
use egui::{Align2, Color32, CornerRadius, FontId, Pos2, Rect, Sense, Ui, vec2};

use crate::model::stats::{HeatmapGrid, thousands};

/// The shades of 1-4 (a quarter of the busiest day's answers each), as GitHub's calendar.
const SHADES: [Color32; 4] = [
    Color32::from_rgb(0x9b, 0xe9, 0xa8),
    Color32::from_rgb(0x40, 0xc4, 0x63),
    Color32::from_rgb(0x30, 0xa1, 0x4e),
    Color32::from_rgb(0x21, 0x6e, 0x39),
];

/// Room for the weekday labels on the left and the month labels on top.
const LEFT: f32 = 34.0;
const TOP: f32 = 18.0;
const GAP: f32 = 2.0;
/// Labels are never smaller than 12 points: egui's body text size (12.5), whose glyphs the
/// font atlas holds already (a size of their own made the atlas grow mid-scroll: 20-45 ms).
pub const LABEL_SIZE: f32 = 12.5;

/// The colour of shade `level` (0: no answers).
fn shade(ui: &Ui, level: u8) -> Color32 {
    match level {
        0 => ui.visuals().widgets.noninteractive.bg_stroke.color,
        n => SHADES[usize::from(n.min(4)) - 1],
    }
}

/// Draws the calendar of `grid` in the width available, `busiest` answers being the top shade.
pub fn show(ui: &mut Ui, grid: &HeatmapGrid, busiest: u32) {
    let weeks = grid.weeks.max(1) as f32;
    let step = ((ui.available_width() - LEFT) / weeks).clamp(6.0, 18.0);
    let cell = step - GAP;
    let size = vec2(LEFT + weeks * step, TOP + 7.0 * step);
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let painter = ui.painter_at(rect.expand(2.0));
    let text = ui.visuals().text_color();
    let font = FontId::proportional(LABEL_SIZE);
    let origin = rect.min + vec2(LEFT, TOP);
    let cell_rect = |week: u32, weekday: u32| {
        Rect::from_min_size(
            origin + vec2(week as f32 * step, weekday as f32 * step),
            vec2(cell, cell),
        )
    };
    // Month names over the week their first day falls in.
    for c in grid.cells.iter().filter(|c| c.day.day() == 1) {
        painter.text(
            Pos2::new(origin.x + c.week as f32 * step, rect.min.y),
            Align2::LEFT_TOP,
            c.day.format("%b").to_string(),
            font.clone(),
            text,
        );
    }
    for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
        painter.text(
            Pos2::new(rect.min.x, origin.y + row as f32 * step + cell / 2.0),
            Align2::LEFT_CENTER,
            name,
            font.clone(),
            text,
        );
    }
    for c in &grid.cells {
        painter.rect_filled(
            cell_rect(c.week, c.weekday),
            CornerRadius::same(2),
            shade(ui, c.level),
        );
    }
    if let Some(p) = response.hover_pos()
        && let Some(c) = grid
            .cells
            .iter()
            .find(|c| cell_rect(c.week, c.weekday).expand(GAP / 2.0).contains(p))
    {
        response.on_hover_text_at_pointer(format!(
            "{}: {} answers",
            c.day.format("%A %-d %B %Y"),
            thousands(c.reviews)
        ));
    }
    legend(ui, busiest);
}

/// "Less ▢▢▢▢▢ More", and what a shade stands for.
fn legend(ui: &mut Ui, busiest: u32) {
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 3.0;
        ui.label("Less");
        for level in 0..=4 {
            let (r, _) = ui.allocate_exact_size(vec2(12.0, 12.0), Sense::hover());
            ui.painter()
                .rect_filled(r, CornerRadius::same(2), shade(ui, level));
        }
        ui.label("More");
        ui.add_space(12.0);
        if busiest > 0 {
            ui.label(format!(
                "each shade a quarter of the busiest day's {} answers",
                thousands(busiest)
            ));
        }
    });
}
