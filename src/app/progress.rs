//! How far a long job is, and a way to stop it: shared between the thread that works and the
//! window that shows it. Stopping is checked between steps; what the job had not yet written
//! is dropped, so stopping leaves the collection as it was.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::error::AppError;

#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    done: AtomicU64,
    total: AtomicU64,
    /// What a step is ("cards", "answers written"), for "1 200 of 3 400 cards".
    unit: Mutex<&'static str>,
    cancelled: AtomicBool,
}

impl Progress {
    /// A stage of `total` steps, each one of `unit`, begins (a job may have several).
    pub fn start(&self, total: u64, unit: &'static str) {
        if let Ok(mut u) = self.0.unit.lock() {
            *u = unit;
        }
        self.0.total.store(total, Ordering::Relaxed);
        self.0.done.store(0, Ordering::Relaxed);
    }

    /// One step done; Err(Cancelled) once Cancel was asked for.
    pub fn step(&self) -> Result<(), AppError> {
        self.0.done.fetch_add(1, Ordering::Relaxed);
        self.check()
    }

    /// Err(Cancelled) once Cancel was asked for (between stages that count no steps).
    pub fn check(&self) -> Result<(), AppError> {
        if self.is_cancelled() {
            Err(AppError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Steps done so far, as counted elsewhere (a library's own progress).
    pub fn set_done(&self, done: u64, total: u64) {
        self.0.total.store(total, Ordering::Relaxed);
        self.0.done.store(done, Ordering::Relaxed);
    }

    /// Asks the job to stop.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::Relaxed)
    }

    /// (steps done, steps in all).
    pub fn counts(&self) -> (u64, u64) {
        (
            self.0.done.load(Ordering::Relaxed),
            self.0.total.load(Ordering::Relaxed),
        )
    }

    /// How far, in words: "1 200 of 3 400 cards" (empty before a stage has begun).
    pub fn text(&self) -> String {
        let (done, total) = self.counts();
        if total == 0 {
            return String::new();
        }
        let unit = self.0.unit.lock().map(|u| *u).unwrap_or_default();
        let n = crate::model::stats::thousands;
        format!("{} of {} {unit}", n(done.min(total)), n(total))
            .trim_end()
            .to_string()
    }
}
