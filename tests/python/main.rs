//! Tests against outside references in the Python venv that `./run-tests` sets up
//! (`AWSCARDS_PYTHON`): Anki's own backend, the `fsrs` and `supermemo2` packages.

#[path = "../common/mod.rs"]
mod common;

mod anki_compare; // the side-by-side benchmark builds the same collection in Anki
mod anki_export; // the CSV export imported by Anki's backend
mod anki_package; // .apkg packages read and written by Anki's backend
mod anki_sync; // awscards and Anki's own client through Anki's sync server
mod fsrs_reference; // FSRS as awscards computes it against the reference package
mod sm2_python_reference; // SM-2 against the supermemo2 package
