//! Tests of the library: the pure core, the store and the app's services, called in process
//! (a few also run the binary where a command is the thing tested).

#[path = "../common/mod.rs"]
mod common;

mod dea_coverage; // the DEA-C01 deck against its exam guide's task statements and services
mod deck_coverage; // every claim of the 2019 notes reaches a card of deck v3
mod deck_lint; // the deck lint over the bundled decks, each rule with a deck that breaks it
mod deck_upgrade; // collections of the 2019 deck and of deck v2 upgraded card by card
mod facts; // the bundled facts, the card generator and the validation of facts files
mod filtered; // filtered decks: built-ins, limits, order, cram and scheduled sessions
mod fsrs_simulation; // FSRS against SM-2 on a simulated learner with a known memory
mod held; // what a session holds back (buried, limits) said, unbury, custom study
mod layers; // model ← store ← app ← ui/cli, and nothing else
mod leeches; // leeches: tagged and suspended at the threshold, undo gives both back
mod own_cards; // the learner's own cards in my-cards/ beside the bundled deck
mod scheduler_switch; // SM-2 ↔ FSRS: every card replayed, and back exactly
mod search; // the search language: parser, errors, and the store's SQL against a reference
mod siblings; // the cards of one fact are never shown the same day
mod sm2; // SM-2 against the published algorithm and its invariants
mod stats; // statistics: pure functions and a collection's report
mod store; // the collection in SQLite: migrations, sync, answers, undo, queue, backups
mod text_index; // the search indexes stay equal to the cards through every writer
