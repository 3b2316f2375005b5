//! awscards: a spaced-repetition flashcard app for AWS big-data certification study.
//!
//! Layers (arrows point down only): `cli` → `app` → `model`. `model` is pure.

pub mod app;
pub mod cli;
pub mod model;
