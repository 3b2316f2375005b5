//! The Stats screen's bar charts (ease, intervals, answer buttons, hours, cards added) and the
//! true-retention table. Axis labels are drawn at full strength and never smaller than 12 px.

use egui::{Color32, RichText, Ui};
use egui_plot::{AxisHints, Bar, BarChart, GridInput, GridMark, Legend, Plot};

use super::calendar::LABEL_SIZE;
use crate::model::stats::charts::{Intervals, RetentionRow};
use crate::model::stats::{StatsReport, Tally, percent, thousands};

/// The bars' colours (fills, not text: both themes): new and learning blue, young and mature
/// cards Anki's light and dark green.
const NEW_COLOR: Color32 = Color32::from_rgb(0x3b, 0x82, 0xf6);
const YOUNG: Color32 = Color32::from_rgb(0x7c, 0xd6, 0x8c);
const MATURE: Color32 = Color32::from_rgb(0x16, 0xa3, 0x4a);

/// A bar chart of `height` with `x_label` under it: fixed (no drag, zoom or scroll), starting
/// at 0, its tick labels shown only where they have room and then at full strength (egui_plot
/// fades them in over a range of spacings, which left them at ~2:1 contrast).
pub fn chart(id: &str, height: f32, x_label: &str) -> Plot<'static> {
    let font = egui::FontId::proportional(LABEL_SIZE);
    Plot::new(id.to_string())
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .include_y(0.0)
        .custom_x_axes(vec![
            AxisHints::new_x()
                .label(x_label.to_string())
                .label_spacing(40.0..=40.5)
                .tick_label_font(font.clone()),
        ])
        .custom_y_axes(vec![
            AxisHints::new_y()
                .label_spacing(14.0..=14.5)
                .tick_label_font(font),
        ])
        .y_grid_spacer(count_marks)
}

/// About four marks of one round step (1, 2 or 5 times a power of ten, never under 1) up the
/// counts axis: each label at full strength.
fn count_marks(input: GridInput) -> Vec<GridMark> {
    let top = input.bounds.1.max(1.0);
    let rough = top / 4.0;
    let power = 10f64.powf(rough.log10().floor()).max(1.0);
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    (0..)
        .map(|i| f64::from(i) * step)
        .take_while(|v| *v <= top)
        .map(|value| GridMark {
            value,
            step_size: step,
        })
        .collect()
}

pub fn ease(ui: &mut Ui, r: &StatsReport) {
    ui.label(RichText::new("Ease of the cards in review").strong());
    let bars: Vec<Bar> = r
        .ease_histogram
        .iter()
        .map(|b| {
            Bar::new(b.ease + 0.05, f64::from(b.cards))
                .width(0.09)
                .name(format!("ease {:.1}–{:.1}", b.ease, b.ease + 0.1))
        })
        .collect();
    chart("ease", 140.0, "ease")
        .include_x(1.3)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("Cards", bars).color(NEW_COLOR));
        });
}

/// The width of the interval chart's bars: days up to a month, weeks up to a year, months
/// beyond, so that there are at most about 60 bars.
fn interval_bin(longest: u32) -> u32 {
    match longest {
        0..=60 => 1,
        61..=420 => 7,
        _ => 30,
    }
}

pub fn intervals(ui: &mut Ui, i: &Intervals) {
    ui.heading("Intervals");
    let Some(mean) = i.mean_days else {
        ui.label("No card has been learned yet.");
        return;
    };
    let p: Vec<String> = i
        .percentiles
        .iter()
        .map(|p| format!("{}% ≤ {} d", p.percent, thousands(p.days)))
        .collect();
    ui.label(format!(
        "{} learned cards; mean interval {mean:.1} days; {}.",
        thousands(i.cards),
        p.join(", ")
    ));
    let longest = i.days.last().map_or(0, |d| d.days);
    let bin = interval_bin(longest);
    let mut bins: std::collections::BTreeMap<u32, u32> = Default::default();
    for d in &i.days {
        *bins.entry(d.days / bin).or_insert(0) += d.cards;
    }
    let unit = match bin {
        1 => "days",
        7 => "weeks",
        _ => "months",
    };
    let bars: Vec<Bar> = bins
        .iter()
        .map(|(b, n)| {
            let (from, to) = (b * bin, b * bin + bin - 1);
            let days = if bin == 1 {
                format!("{from} d")
            } else {
                format!("{from}–{to} d")
            };
            Bar::new(f64::from(*b), f64::from(*n))
                .width(0.8)
                .name(format!("{days}: {} cards", thousands(*n)))
        })
        .collect();
    chart("intervals", 140.0, &format!("interval ({unit})")).show(ui, |plot| {
        plot.bar_chart(BarChart::new("Cards", bars).color(NEW_COLOR));
    });
}

pub fn buttons(ui: &mut Ui, r: &StatsReport) {
    ui.heading("Answer buttons");
    ui.label(
        RichText::new(
            "Answers of the last 365 days per button: to new or relearning cards (learning), \
             young ones and mature ones. Cram answers are left out.",
        )
        .weak(),
    );
    let n = r.buttons.len() as f64;
    let series = |name: &str, color: Color32, offset: f64, pick: fn(&_) -> u32| {
        let bars = r
            .buttons
            .iter()
            .enumerate()
            .map(|(i, b)| {
                Bar::new(i as f64 + offset, f64::from(pick(b)))
                    .width(0.25)
                    .name(format!("{} {name}: {}", b.button, thousands(pick(b))))
            })
            .collect();
        BarChart::new(name.to_string(), bars).color(color)
    };
    let labels: Vec<String> = r.buttons.iter().map(|b| b.button.to_string()).collect();
    chart("buttons", 150.0, "button")
        .include_x(-0.5)
        .include_x(n - 0.5)
        .legend(Legend::default())
        .x_grid_spacer(move |_| {
            (0..labels.len())
                .map(|i| GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .x_axis_formatter({
            let labels: Vec<String> = r.buttons.iter().map(|b| b.button.to_string()).collect();
            move |m, _| {
                labels
                    .get(m.value.round() as usize)
                    .filter(|_| m.value.fract() == 0.0)
                    .cloned()
                    .unwrap_or_default()
            }
        })
        .show(ui, |plot| {
            plot.bar_chart(series("learning", NEW_COLOR, -0.27, |b| b.learning));
            plot.bar_chart(series("young", YOUNG, 0.0, |b| b.young));
            plot.bar_chart(series("mature", MATURE, 0.27, |b| b.mature));
        });
}

pub fn hours(ui: &mut Ui, r: &StatsReport) {
    ui.heading("Hourly breakdown");
    let busiest = r.hours.iter().max_by_key(|h| h.answers.reviews);
    match busiest.filter(|h| h.answers.reviews > 0) {
        Some(h) => ui.label(format!(
            "Answers of the last 365 days by the hour they were given. The busiest hour, \
             {:02}:00, had {} answers, {} passed.",
            h.hour,
            thousands(h.answers.reviews),
            h.answers.rate().map_or("–".to_string(), percent)
        )),
        None => ui.label("No answers in the last 365 days."),
    };
    let bars: Vec<Bar> = r
        .hours
        .iter()
        .map(|h| {
            let passed = h
                .answers
                .rate()
                .map_or(String::new(), |p| format!(", {} passed", percent(p)));
            Bar::new(f64::from(h.hour), f64::from(h.answers.reviews))
                .width(0.8)
                .name(format!(
                    "{:02}:00–{:02}:59: {} answers{passed}",
                    h.hour,
                    h.hour,
                    thousands(h.answers.reviews)
                ))
        })
        .collect();
    chart("hours", 140.0, "hour of the day")
        .include_x(-0.5)
        .include_x(23.5)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("Answers", bars).color(NEW_COLOR));
        });
}

pub fn added(ui: &mut Ui, r: &StatsReport, today: chrono::NaiveDate) {
    ui.heading("Cards added");
    let total: u32 = r.added.iter().map(|a| a.cards).sum();
    ui.label(format!(
        "{} cards added in the last 365 days, by week.",
        thousands(total)
    ));
    // Weeks back from this one (0), oldest on the left.
    let mut weeks: std::collections::BTreeMap<i64, u32> = Default::default();
    for a in &r.added {
        *weeks.entry((today - a.day).num_days() / 7).or_insert(0) += a.cards;
    }
    let bars: Vec<Bar> = weeks
        .iter()
        .map(|(ago, n)| {
            Bar::new(-(*ago as f64), f64::from(*n))
                .width(0.8)
                .name(format!("{ago} weeks ago: {} cards", thousands(*n)))
        })
        .collect();
    chart("added", 120.0, "weeks ago")
        .include_x(-52.5)
        .include_x(0.5)
        .x_axis_formatter(|m, _| {
            if m.value <= 0.0 {
                format!("{}", (-m.value).round() as i64)
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("Added", bars).color(NEW_COLOR));
        });
}

pub fn true_retention(ui: &mut Ui, rows: &[RetentionRow]) {
    ui.heading("True retention");
    ui.label(
        RichText::new(
            "Reviews of learned cards passed (Hard or better), as Anki's table: new cards, \
             same-day repeats and cram are left out. – means no reviews in that period.",
        )
        .weak(),
    );
    egui::Grid::new("true_retention")
        .num_columns(4)
        .spacing([16.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            for h in ["", "Young", "Mature", "Total"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for row in rows {
                ui.label(match row.period {
                    "today" => "Today",
                    "yesterday" => "Yesterday",
                    "week" => "Last 7 days",
                    "month" => "Last 30 days",
                    _ => "Last 365 days",
                });
                for t in [row.young, row.mature, row.total] {
                    tally_cell(ui, t);
                }
                ui.end_row();
            }
        });
}

/// A pass rate, its counts on hover; "–" (explained on hover) without reviews.
pub fn tally_cell(ui: &mut Ui, t: Tally) {
    match t.rate() {
        Some(rate) => {
            ui.label(percent(rate)).on_hover_text(format!(
                "{} of {} passed",
                thousands(t.passed),
                thousands(t.reviews)
            ));
        }
        None => {
            ui.label("–").on_hover_text("No reviews in this period");
        }
    }
}
