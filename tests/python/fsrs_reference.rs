//! FSRS as awscards computes it (the `fsrs` crate, through model::evaluate and
//! model::schedule::fsrs) against the Python `fsrs` package on 500 random histories: the same
//! stability and difficulty after every review, the same interval at 90% desired retention, and
//! the same predicted recall before every review after the first.

use crate::common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use awscards::model::evaluate::{Review, fsrs_recall, memory_states};
use awscards::model::schedule::fsrs::{DEFAULT_WEIGHTS, FsrsConfig, next};
use chrono::{Days, NaiveDate};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde_json::Value;

/// Quality for each Anki rating (Again, Hard, Good, Easy).
const QUALITY: [u8; 4] = [1, 3, 4, 5];

#[test]
fn memory_states_and_recall_equal_the_python_fsrs_package() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    // [day, rating] per review; one review per day, 1 to 60 days apart.
    let histories: Vec<Vec<(u64, usize)>> = (0..500)
        .map(|_| {
            let mut day = 0;
            (0..rng.random_range(2..=12))
                .map(|i| {
                    if i > 0 {
                        day += rng.random_range(1..=60);
                    }
                    (day, rng.random_range(1..=4))
                })
                .collect()
        })
        .collect();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fsrs_reference.py");
    let mut child = Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = serde_json::to_vec(&histories).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reference: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(reference.len(), 500);

    let close = |ours: f64, theirs: f64, what: &str| {
        let tolerance = 1e-4 * theirs.abs().max(1.0);
        assert!(
            (ours - theirs).abs() <= tolerance,
            "{what}: {ours} against {theirs}"
        );
    };
    let mut compared = 0;
    let mut intervals_compared = 0;
    for (history, expected) in histories.iter().zip(&reference) {
        let reviews: Vec<Review> = history
            .iter()
            .map(|(day, rating)| Review {
                day: start.checked_add_days(Days::new(*day)).unwrap(),
                quality: QUALITY[rating - 1],
                interval_after: 1,
            })
            .collect();
        let states = memory_states(&reviews, &DEFAULT_WEIGHTS).unwrap();
        let recall = fsrs_recall(&reviews, &DEFAULT_WEIGHTS).unwrap();
        let theirs = expected["states"].as_array().unwrap();
        assert_eq!(states.len(), theirs.len());
        for (i, ((s, d), t)) in states.iter().zip(theirs).enumerate() {
            close(
                f64::from(*s),
                t[0].as_f64().unwrap(),
                &format!("{history:?} S{i}"),
            );
            close(
                f64::from(*d),
                t[1].as_f64().unwrap(),
                &format!("{history:?} D{i}"),
            );
            compared += 1;
        }
        for (i, (r, t)) in recall
            .iter()
            .zip(expected["recall"].as_array().unwrap())
            .enumerate()
        {
            close(*r, t.as_f64().unwrap(), &format!("{history:?} R{i}"));
        }
        // Scheduling review by review: the state carried forward and the next interval.
        let mut previous: Option<(f32, f32)> = None;
        let mut last_day = 0;
        let intervals = expected["intervals"].as_array().unwrap();
        for (i, ((day, rating), t)) in history.iter().zip(intervals).enumerate() {
            let elapsed = u32::try_from(day - last_day).unwrap();
            let step = next(previous, elapsed, *rating as u32, &FsrsConfig::default()).unwrap();
            let what = format!("{history:?} review {i}");
            close(
                f64::from(step.stability),
                theirs[i][0].as_f64().unwrap(),
                &what,
            );
            close(
                f64::from(step.difficulty),
                theirs[i][1].as_f64().unwrap(),
                &what,
            );
            let (days, raw) = (t[0].as_i64().unwrap(), t[1].as_f64().unwrap());
            // Python rounds halves to even, Rust away from zero: only a half can differ.
            if (raw.fract() - 0.5).abs() > 1e-3 {
                assert_eq!(i64::from(step.interval), days, "{what}: interval ({raw})");
            }
            previous = Some((step.stability, step.difficulty));
            last_day = *day;
            intervals_compared += 1;
        }
    }
    assert!(compared > 2_000, "{compared}");
    assert_eq!(intervals_compared, compared);
}
