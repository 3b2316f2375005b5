//! The pure core: facts, card generation and SM-2 scheduling. No I/O, no SQL, no GUI.

pub mod cardgen;
pub mod decks;
pub mod facts;
pub mod filtered;
pub mod search;
pub mod settings;
pub mod sm2;

use facts::SourceFile;

/// The bundled deck's facts files, compiled into the binary. Keep in step with `cards/`
/// (a test checks that every file there is listed here).
pub const BUNDLED_FACTS: &[(&str, &str)] = &[
    (
        "cards/services.toml",
        include_str!("../../cards/services.toml"),
    ),
    (
        "cards/integrations.toml",
        include_str!("../../cards/integrations.toml"),
    ),
    (
        "cards/instance_types.toml",
        include_str!("../../cards/instance_types.toml"),
    ),
];

/// The bundled facts files, ready for [`facts::parse`].
pub fn bundled_files() -> Vec<SourceFile> {
    BUNDLED_FACTS
        .iter()
        .map(|(name, text)| SourceFile {
            name: (*name).to_string(),
            text: (*text).to_string(),
        })
        .collect()
}
