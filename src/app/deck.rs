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
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, source } => write!(
                f,
                "cannot read facts at {}: {source} (check the --facts path)",
                path.display()
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

fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, LoadError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LoadError::Io { path, source }
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return Err(LoadError::NoFiles(dir.to_path_buf()));
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(io(&path))?;
            Ok(SourceFile {
                name: path.display().to_string(),
                text,
            })
        })
        .collect()
}
