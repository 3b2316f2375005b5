//! awscards: a spaced-repetition flashcard app for AWS big-data certification study.
//!
//! Layers (arrows point down only): `cli` → `app` → `store` → `model`. `model` is pure; only
//! `store` speaks SQL.

pub mod app;
pub mod cli;
pub mod model;
pub mod store;
pub mod ui;
