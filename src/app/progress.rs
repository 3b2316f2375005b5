//! How far a long job is, and a way to stop it: shared between the thread that works and the
//! window that shows it. Stopping is checked between steps; what the job had not yet written
//! is dropped, so stopping leaves the collection as it was.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::error::AppError;

#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
}

impl Progress {
    /// A job of `total` steps begins.
    pub fn start(&self, total: u64) {
        self.0.total.store(total, Ordering::Relaxed);
        self.0.done.store(0, Ordering::Relaxed);
    }

    /// One step done; Err(Cancelled) once Cancel was asked for.
    pub fn step(&self) -> Result<(), AppError> {
        self.0.done.fetch_add(1, Ordering::Relaxed);
        if self.0.cancelled.load(Ordering::Relaxed) {
            Err(AppError::Cancelled)
        } else {
            Ok(())
        }
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
}
