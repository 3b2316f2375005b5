//! The pure core: facts, card generation and SM-2 scheduling. No I/O, no SQL, no GUI.

pub mod anki;
pub mod anki_sync;
pub mod card;
pub mod card_info;
pub mod cardgen;
pub mod decks;
pub mod evaluate;
pub mod facts;
pub mod filtered;
pub mod held;
pub mod limits;
pub mod lint;
pub mod own_cards;
pub mod schedule;
pub mod search;
pub mod settings;
pub mod stats;

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
    (
        "cards/dea_ingestion.toml",
        include_str!("../../cards/dea_ingestion.toml"),
    ),
    (
        "cards/dea_store.toml",
        include_str!("../../cards/dea_store.toml"),
    ),
    (
        "cards/dea_operations.toml",
        include_str!("../../cards/dea_operations.toml"),
    ),
    (
        "cards/dea_security.toml",
        include_str!("../../cards/dea_security.toml"),
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

/// FNV-1a, 64 bits: a small stable hash, the same on every build and platform.
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The code that turns facts into cards: part of the fingerprint, so that a build whose
/// generator changed re-syncs the cards even when the facts did not.
const GENERATOR_SOURCES: [&str; 5] = [
    include_str!("facts/mod.rs"),
    include_str!("facts/raw.rs"),
    include_str!("facts/limits.rs"),
    include_str!("facts/parse.rs"),
    include_str!("cardgen.rs"),
];

/// Identifies a set of facts files together with the generator: when it is unchanged, so are
/// the cards, and opening the collection can skip parsing, generating and syncing them.
pub fn facts_fingerprint(files: &[SourceFile]) -> String {
    let mut parts: Vec<&[u8]> = GENERATOR_SOURCES.iter().map(|s| s.as_bytes()).collect();
    for f in files {
        parts.push(f.name.as_bytes());
        parts.push(f.text.as_bytes());
    }
    // Each part is followed by its length, so that moving text between parts changes the hash.
    let bytes = parts
        .iter()
        .flat_map(|p| p.iter().copied().chain((p.len() as u64).to_le_bytes()));
    format!("{:016x}", fnv1a(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv1a(*b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(*b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(*b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn the_fingerprint_follows_every_file() {
        let files = bundled_files();
        let base = facts_fingerprint(&files);
        assert_eq!(base, facts_fingerprint(&bundled_files()));
        let mut edited = files.clone();
        edited[1].text.push(' ');
        assert_ne!(facts_fingerprint(&edited), base);
        let mut renamed = files.clone();
        renamed[0].name.push('x');
        assert_ne!(facts_fingerprint(&renamed), base);
        let mut fewer = files.clone();
        fewer.pop();
        assert_ne!(facts_fingerprint(&fewer), base);
        // Text moved from one file to the next is a change too.
        let mut moved = files;
        let cut = moved[0].text.len() - 1;
        let tail = moved[0].text.split_off(cut);
        moved[1].text.insert_str(0, &tail);
        assert_ne!(facts_fingerprint(&moved), base);
    }
}
