//! Application services: what the GUI and CLI do, without egui or clap.

pub mod anki;
pub mod anki_answers;
pub mod bench;
pub mod bench_sync;
pub mod card_info;
pub mod check;
pub mod clock;
pub mod collection;
pub mod deck;
pub mod error;
pub mod export;
pub mod files;
pub mod held;
pub mod limits;
pub mod own_cards;
pub mod paths;
pub mod progress;
pub mod replay;
pub mod scheduler;
pub mod session;
pub mod simulate;
pub mod sync;
mod sync_client;
mod sync_normal;
mod sync_objects;
