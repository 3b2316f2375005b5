//! Tests of the `awscards` binary: commands, their output and exit codes, and what survives a
//! killed process.

#[path = "../common/mod.rs"]
mod common;

mod cli; // cards, simulate, help, version and bad input
mod collection_cli; // due, stats, settings, scripted review, a crash in the middle
mod hardening; // exports, restores, backups, packages and own-card files never lose data
mod install; // what a desktop install relies on: version, completions, man pages
mod search_cli; // searches and filtered decks through the binary
