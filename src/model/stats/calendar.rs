//! The statistics laid out on the calendar: the forecast of due cards day by day, and the
//! review heatmap of the last 12 months as columns of weeks.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::HEATMAP_DAYS;

/// Review cards due on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ForecastDay {
    pub day: NaiveDate,
    pub due: u32,
}

/// Cards due before today (overdue, apart), then on each day from today on.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Forecast {
    pub overdue: u32,
    pub days: Vec<ForecastDay>,
}

/// The forecast for `days` days from today, given the number of cards due per day (any day,
/// any order: earlier days count as overdue, later ones are left out).
pub fn forecast(due: &[(NaiveDate, u32)], today: NaiveDate, days: u32) -> Forecast {
    let mut f = Forecast {
        overdue: 0,
        days: (0..days)
            .filter_map(|i| today.checked_add_days(Days::new(u64::from(i))))
            .map(|day| ForecastDay { day, due: 0 })
            .collect(),
    };
    for (day, n) in due {
        let ahead = (*day - today).num_days();
        if ahead < 0 {
            f.overdue += n;
        } else if let Some(d) = usize::try_from(ahead).ok().and_then(|i| f.days.get_mut(i)) {
            d.due += n;
        }
    }
    f
}

/// One day of the review heatmap: its week column (0 = the oldest), its row (0 = Monday),
/// its answers, and a shade from 0 (none) to 4 (the busiest quarter of the busiest day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeatCell {
    pub day: NaiveDate,
    pub week: u32,
    pub weekday: u32,
    pub reviews: u32,
    pub level: u8,
}

/// The last 12 months as a calendar: columns of weeks from Monday to Sunday, the last column
/// holding today. Only the days in range have cells.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeatmapGrid {
    pub weeks: u32,
    pub cells: Vec<HeatCell>,
}

impl HeatmapGrid {
    pub fn cell(&self, week: u32, weekday: u32) -> Option<&HeatCell> {
        self.cells
            .iter()
            .find(|c| c.week == week && c.weekday == weekday)
    }
}

pub fn heatmap_grid(answers: &BTreeMap<NaiveDate, u32>, today: NaiveDate) -> HeatmapGrid {
    let first = today
        .checked_sub_days(Days::new(u64::from(HEATMAP_DAYS - 1)))
        .unwrap_or(today);
    let first_monday = first
        .checked_sub_days(Days::new(u64::from(first.weekday().num_days_from_monday())))
        .unwrap_or(first);
    let max = answers
        .range(first..=today)
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0);
    let cells: Vec<HeatCell> = first
        .iter_days()
        .take_while(|d| *d <= today)
        .map(|day| {
            let since = u32::try_from((day - first_monday).num_days()).unwrap_or(0);
            let reviews = answers.get(&day).copied().unwrap_or(0);
            HeatCell {
                day,
                week: since / 7,
                weekday: since % 7,
                reviews,
                level: shade(reviews, max),
            }
        })
        .collect();
    HeatmapGrid {
        weeks: cells.last().map_or(0, |c| c.week + 1),
        cells,
    }
}

/// 0 for no answers; otherwise 1-4 by quarter of the busiest day's count.
fn shade(n: u32, max: u32) -> u8 {
    if n == 0 || max == 0 {
        return 0;
    }
    let quarter = (u64::from(n) * 4).div_ceil(u64::from(max));
    u8::try_from(quarter.clamp(1, 4)).unwrap_or(4)
}
