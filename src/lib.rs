//! awscards: a spaced-repetition flashcard app for AWS big-data certification study.
//!
//! Layers (arrows point down only): `ui` and `cli` → `app` → `store` → `model`. `model` is
//! pure; only `store` speaks SQL; the front ends reach the collection through `app` only
//! (`tests/layers.rs` checks both).

pub mod app;
pub mod cli;
pub mod model;
pub mod store;
pub mod ui;
