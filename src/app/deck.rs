//! Loading the facts (bundled, or a folder of the same format) and generating the deck.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::cardgen::{self, Card};
use crate::model::facts::{self, Facts, FactsError, SourceFile};

/// Why the facts could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    NoFiles(PathBuf),
    Facts(FactsError),
    /// A facts file larger than [`MAX_FACTS_FILE`].
    TooLarge(PathBuf),
}

/// The largest facts file read: 100 000 facts take about 20 MB, spread over files.
pub const MAX_FACTS_FILE: u64 = 16 << 20;

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, source } => {
                write!(f, "cannot read facts at {}: {source}", path.display())
            }
            LoadError::TooLarge(path) => write!(
                f,
                "{} is larger than {} MiB, more than any facts file needs: split it or move \
                 it out of the folder",
                path.display(),
                MAX_FACTS_FILE >> 20
            ),
            LoadError::NoFiles(dir) => write!(
                f,
                "no facts files (*.toml) in {} (point --facts at a folder like cards/)",
                dir.display()
            ),
            LoadError::Facts(e) => write!(f, "{e} (fix the facts file and try again)"),
        }
    }
}

impl std::error::Error for LoadError {}

/// The facts and the cards generated from them.
#[derive(Debug, Clone)]
pub struct Deck {
    pub facts: Facts,
    pub cards: Vec<Card>,
}

/// The bundled facts, or every `*.toml` file of `dir` (in name order) when given.
pub fn load(dir: Option<&Path>) -> Result<Deck, LoadError> {
    build(&read(dir)?)
}

/// The deck's cards and the learner's own (from `my-cards/` beside the collection at `db`),
/// as the collection there gets them; when the learner's files do not parse, the deck's cards
/// alone and why.
pub fn load_with_user(
    facts: Option<&Path>,
    db: &Path,
) -> Result<(Deck, Option<LoadError>), LoadError> {
    let base = read(facts)?;
    let base_deck = build(&base)?;
    let built = read_user(&user_dir(db)).and_then(|user| {
        if user.is_empty() {
            Ok(None)
        } else {
            build_with_user(&base, &base_deck, &user).map(Some)
        }
    });
    Ok(match built {
        Ok(Some(deck)) => (deck, None),
        Ok(None) => (base_deck, None),
        Err(e) => (base_deck, Some(e)),
    })
}

/// The folder of the learner's own facts files: `my-cards/` next to the collection file.
pub fn user_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("my-cards")
}

/// The learner's facts files: every `*.toml` file of `dir` (in name order); none when the
/// folder does not exist or holds none.
pub fn read_user(dir: &Path) -> Result<Vec<SourceFile>, LoadError> {
    // Only a folder that is not there at all has no files: a link to one that is gone (or a
    // link that loops) is an error, so that their cards are not retired.
    if std::fs::symlink_metadata(dir).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return Ok(Vec::new());
    }
    match read_dir(dir) {
        Err(LoadError::NoFiles(_)) => Ok(Vec::new()),
        other => other,
    }
}

/// Parses and validates the deck's files (`base`, built as `base_deck`) and the learner's
/// together (an id of theirs that clashes with the deck's is an error naming both places) and
/// generates the cards. The cards of the learner's facts get keys under
/// [`cardgen::USER_KEY_PREFIX`] (`is:user`).
pub fn build_with_user(
    base: &[SourceFile],
    base_deck: &Deck,
    user: &[SourceFile],
) -> Result<Deck, LoadError> {
    let base_keys: std::collections::HashSet<&str> =
        base_deck.cards.iter().map(|c| c.key.as_str()).collect();
    let facts = parse_with_user(base, user)?;
    let mut deck = Deck {
        cards: cardgen::generate(&facts),
        facts,
    };
    for card in &mut deck.cards {
        if !base_keys.contains(card.key.as_str()) {
            card.key = format!("{}{}", cardgen::USER_KEY_PREFIX, card.key);
        }
    }
    Ok(deck)
}

/// The deck's files (`base`) and the learner's, parsed and validated together (an id of
/// theirs that clashes with the deck's is an error naming both places), without generating
/// the cards: for what the facts say (their services, their ids).
pub fn parse_with_user(base: &[SourceFile], user: &[SourceFile]) -> Result<Facts, LoadError> {
    let all: Vec<SourceFile> = base.iter().chain(user).cloned().collect();
    facts::parse(&all).map_err(LoadError::Facts)
}

/// The facts files: the bundled ones, or every `*.toml` file of `dir` (in name order).
pub fn read(dir: Option<&Path>) -> Result<Vec<SourceFile>, LoadError> {
    match dir {
        None => Ok(crate::model::bundled_files()),
        Some(dir) => read_dir(dir),
    }
}

/// Parses and validates the files and generates the cards.
pub fn build(files: &[SourceFile]) -> Result<Deck, LoadError> {
    let facts = facts::parse(files).map_err(LoadError::Facts)?;
    let cards = cardgen::generate(&facts);
    Ok(Deck { facts, cards })
}

/// What identifies the facts without reading them: each `*.toml` file's path, size and
/// modification time, with the generator's own fingerprint. None for the bundled facts
/// (compiled in: fingerprinting them is cheap). Opening a collection whose stamp is unchanged
/// reads no facts at all (a 100 000-card facts folder took ~20 ms to read and hash).
pub fn stamp(dir: Option<&Path>, user: &Path) -> Result<Option<String>, LoadError> {
    let Some(dir) = dir else {
        return Ok(None);
    };
    let mut parts = vec![crate::model::facts_fingerprint(&[])];
    // No folder of their own (or none readable): read_user says why when the facts are read.
    let user_files = list_dir(user).unwrap_or_default();
    for (path, meta) in list_dir(dir)?.into_iter().chain(user_files) {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        parts.push(format!("{}\t{}\t{modified}", path.display(), meta.len()));
    }
    let text = parts.join("\n");
    Ok(Some(format!("{:016x}", crate::model::fnv1a(text.bytes()))))
}

/// The `*.toml` files of `dir` in name order, with their metadata (through symlinks).
fn list_dir(dir: &Path) -> Result<Vec<(PathBuf, std::fs::Metadata)>, LoadError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LoadError::Io { path, source }
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        // Through symlinks: one that dangles or loops is an error, not a file to skip
        // (skipping it would retire its cards). Folders, FIFOs, devices and sockets are
        // skipped (see `not_regular`): a FIFO would hang the read, a device never end it.
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => paths.push((path, m)),
            Ok(_) => {}
            Err(e) => return Err(io(&path)(e)),
        }
    }
    if paths.is_empty() {
        return Err(LoadError::NoFiles(dir.to_path_buf()));
    }
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(paths)
}

/// The `*.toml` entries of `dir` that are not regular files (FIFOs, devices, sockets), which
/// the facts are read without: a warning for each.
pub fn not_regular(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir()))
        .map(|p| {
            format!(
                "{} is not a regular file (a pipe, device or socket): skipped",
                p.display()
            )
        })
        .collect();
    found.sort();
    found
}

fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, LoadError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LoadError::Io { path, source }
    };
    list_dir(dir)?
        .into_iter()
        .map(|(path, meta)| {
            let mut bytes = Vec::new();
            if meta.len() > MAX_FACTS_FILE {
                return Err(LoadError::TooLarge(path));
            }
            // Capped as it is read too: the file may grow after its size was taken.
            std::fs::File::open(&path)
                .and_then(|f| {
                    std::io::Read::read_to_end(
                        &mut std::io::Read::take(f, MAX_FACTS_FILE + 1),
                        &mut bytes,
                    )
                })
                .map_err(io(&path))?;
            if bytes.len() as u64 > MAX_FACTS_FILE {
                return Err(LoadError::TooLarge(path));
            }
            let name = path.display().to_string();
            let text = String::from_utf8(bytes).map_err(|e| {
                let valid = e
                    .as_bytes()
                    .get(..e.utf8_error().valid_up_to())
                    .unwrap_or(&[]);
                let (line, col) = facts::line_col(&String::from_utf8_lossy(valid), valid.len());
                LoadError::Facts(FactsError {
                    file: name.clone(),
                    line,
                    col,
                    message: "not valid UTF-8: save the file as UTF-8".into(),
                })
            })?;
            Ok(SourceFile { name, text })
        })
        .collect()
}
