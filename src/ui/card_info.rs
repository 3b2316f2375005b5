//! Card info, as Anki's: the card's dates and schedule, FSRS's memory state (on the scale the
//! search's `prop:d/s/r` uses), its answers' count and time, its source as a link, and its
//! review history newest first. Shown in Browse's detail panel and in a window from Review.

use egui::{RichText, Ui};

use crate::model::card::{ReviewKind, StoredCard};
use crate::model::card_info::CardInfo;
use crate::model::stats::{count_of, percent, thousands};

/// Seconds with one decimal, or minutes past a minute.
fn duration(ms: u64) -> String {
    if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{:.1} min", ms as f64 / 60_000.0)
    }
}

fn kind_name(kind: ReviewKind) -> &'static str {
    match kind {
        ReviewKind::New => "Learn",
        ReviewKind::Review => "Review",
        ReviewKind::Repeat => "Relearn",
        ReviewKind::Cram => "Cram",
    }
}

/// The facts of Card info, then the review history.
pub fn show(ui: &mut Ui, card: &StoredCard, info: &CardInfo) {
    let day = |d: Option<chrono::NaiveDate>| d.map_or("–".to_string(), |d| d.to_string());
    egui::Grid::new(("card_info", card.id))
        .num_columns(2)
        .spacing([16.0, 3.0])
        .show(ui, |ui| {
            let mut row = |name: &str, value: String| {
                ui.label(RichText::new(name).strong());
                ui.label(value);
                ui.end_row();
            };
            row("Added", info.added.to_string());
            row("First review", day(info.first_review));
            row("Latest review", day(info.latest_review));
            row(
                "Due",
                match info.due {
                    _ if card.suspended => "suspended".to_string(),
                    Some(d) => d.to_string(),
                    None => "new".to_string(),
                },
            );
            if info.due.is_some() {
                row("Interval", count_of(info.interval, "day"));
            }
            match &info.memory {
                Some(m) => {
                    row("Difficulty", percent(m.difficulty));
                    row("Stability", format!("{:.1} days", m.stability));
                    if let Some(r) = m.retrievability {
                        row("Retrievability", percent(r));
                    }
                }
                None => row("Ease", format!("{:.0}%", info.ease * 100.0)),
            }
            row("Reviews", thousands(info.reviews));
            row("Lapses", thousands(info.lapses));
            row(
                "Average time",
                info.average_ms.map_or("–".to_string(), duration),
            );
            row("Total time", duration(info.total_ms));
            row("Deck", card.deck.clone());
            row("Card", card.key.clone());
        });
    super::source_link(ui, card);
    ui.add_space(8.0);
    ui.label(RichText::new(format!("Review history ({})", info.history.len())).strong());
    if info.history.is_empty() {
        ui.label(RichText::new("Not answered yet.").weak());
        return;
    }
    let fsrs = info.history.iter().any(|h| h.difficulty.is_some());
    egui::Grid::new(("history", card.id))
        .striped(true)
        .spacing([12.0, 3.0])
        .show(ui, |ui| {
            let last = if fsrs { "Difficulty" } else { "Ease" };
            for h in ["When", "Kind", "Grade", "Interval", last, "Time"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for h in &info.history {
                ui.label(&h.when);
                ui.label(kind_name(h.kind));
                ui.label(&h.grade);
                ui.label(format!("{} d", thousands(h.interval)));
                ui.label(match h.difficulty {
                    Some(d) => percent(d),
                    None if fsrs => "–".to_string(),
                    None => format!("{:.0}%", h.ease * 100.0),
                });
                ui.label(duration(h.time_ms));
                ui.end_row();
            }
        });
}

/// Card info in a window of its own (Review's Card info button and `I` key); `open` is cleared
/// when the window is closed.
pub fn window(ctx: &egui::Context, open: &mut bool, card: &StoredCard, info: &CardInfo) {
    // At the right, beside the card rather than over its question.
    let screen = ctx.content_rect();
    egui::Window::new("Card info")
        .open(open)
        .default_width(420.0)
        .default_pos(egui::pos2(screen.right() - 440.0, screen.top() + 40.0))
        .max_height(screen.height() * 0.8)
        .auto_sized()
        .vscroll(true)
        .show(ctx, |ui| show(ui, card, info));
}
