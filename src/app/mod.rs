//! Application services: what the GUI and CLI do, without egui or clap.

pub mod deck;
pub mod simulate;
