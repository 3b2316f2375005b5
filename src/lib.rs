//! awscards: a spaced-repetition flashcard app for AWS big-data certification study.
//!
//! Layers (arrows point down only): `ui` and `cli` → `app` → `store` → `model`. `model` is
//! pure; only `store` speaks SQL; the front ends reach the collection through `app` only
//! (`tests/library/layers.rs` checks both).

// No panics on user input: outside tests, errors are handled, not unwrapped (clippy.toml
// allows both in tests).
#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod app;
pub mod cli;
pub mod model;
pub mod store;
pub mod ui;
