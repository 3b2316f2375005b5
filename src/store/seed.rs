//! A heavy user's history for benchmarks: most cards in review with varied schedules, and a
//! year of answers. Deterministic for a given seed.

use std::collections::HashSet;

use chrono::NaiveDate;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rusqlite::params;

use super::{Result, Store};
use crate::model::anki::revlog_ids;
use crate::model::card::day_number;

impl Store {
    /// In one transaction: 70% of the cards become review cards (interval 1-200 days, due
    /// from 30 days ago to 180 ahead, ease 1.3-3.0, a few lapses), the rest stay new, and
    /// `reviews` answers spread over the 365 days before `today` go into the log.
    pub fn seed_history(&mut self, today: NaiveDate, reviews: usize, seed: u64) -> Result<()> {
        let t = day_number(today);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        self.write(|tx| {
            let ids: Vec<i64> = {
                let mut stmt = tx.prepare("SELECT id FROM cards WHERE retired = 0 ORDER BY id")?;
                let rows = stmt.query_map([], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            let mut reviewed = Vec::with_capacity(ids.len());
            {
                let mut update = tx.prepare(
                    "UPDATE cards SET is_new = 0, repetitions = ?2, ease = ?3, interval_days = ?4,
                         due_day = ?5, lapses = ?6, last_review_day = ?7
                     WHERE id = ?1",
                )?;
                for &id in &ids {
                    if rng.random_range(0..10) >= 7 {
                        continue;
                    }
                    let interval: i64 = rng.random_range(1..=200);
                    let due = t + rng.random_range(-30..=180);
                    let lapses: u32 = if rng.random_range(0..4) == 0 {
                        rng.random_range(1..=6)
                    } else {
                        0
                    };
                    update.execute(params![
                        id,
                        rng.random_range(1..=15),
                        f64::from(rng.random_range(130..=300)) / 100.0,
                        interval,
                        due,
                        lapses,
                        due - interval,
                    ])?;
                    reviewed.push(id);
                }
            }
            if !reviewed.is_empty() {
                let mut insert = tx.prepare(
                    "INSERT INTO review_log (card_id, reviewed_at, study_day, quality, kind,
                         time_taken_ms, ease_before, ease_after, interval_before, interval_after,
                         repetitions_before, due_day_before, lapses_before, is_new_before,
                         last_review_day_before, repeat_pending_before, anki_id)
                     VALUES (?1, ?2, ?3, ?4, 'review', ?5, 2.5, 2.5, ?6, ?7, 1, ?3, 0, 0, ?3, 0,
                         ?8)",
                )?;
                // Each answer at noon (UTC) of its day: (card, day, quality, time taken,
                // interval).
                let answers: Vec<(i64, i64, u8, i64, i64)> = (0..reviews)
                    .map(|_| {
                        let card = reviewed[rng.random_range(0..reviewed.len())];
                        let day = t - rng.random_range(1..=365);
                        let quality = [1, 3, 4, 4, 4, 5][rng.random_range(0..6)];
                        let interval = rng.random_range(1..=200);
                        (
                            card,
                            day,
                            quality,
                            rng.random_range(2_000..=20_000),
                            interval,
                        )
                    })
                    .collect();
                let noon = |day| {
                    let date = crate::model::card::day_from_number(day);
                    date.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
                };
                // Their Anki ids as the answer path gives them: the time, moved on past the
                // ids taken.
                let times: Vec<i64> = answers
                    .iter()
                    .map(|a| noon(a.1).timestamp_millis())
                    .collect();
                let anki_ids = revlog_ids(&times, &mut HashSet::new());
                for (&(card, day, quality, taken_ms, interval), anki_id) in
                    answers.iter().zip(anki_ids)
                {
                    insert.execute(params![
                        card,
                        noon(day).to_rfc3339(),
                        day,
                        quality,
                        taken_ms,
                        interval,
                        interval,
                        anki_id,
                    ])?;
                }
            }
            super::summary::recount_days(tx, None)?;
            Ok(())
        })
    }
}
