//! The learner's own cards: added, edited and deleted as `[[qa]]` facts in their facts folder
//! (`my-cards/` next to the collection), then synced like the deck's. A change is checked with
//! the whole deck before the file is written, and the file is replaced at once (written beside
//! it, then renamed): a change that would not parse writes nothing.

use std::path::{Path, PathBuf};

use super::collection::{AppError, Collection};
use super::deck;
use crate::model::facts::SourceFile;
use crate::model::own_cards::{self, OwnCard};

/// The file the app adds cards to, in the learner's facts folder.
pub const OWN_FILE: &str = "my-cards.toml";

impl Collection {
    /// Adds a card of the learner's, in the deck at once. Returns its key.
    pub fn add_card(&mut self, card: &OwnCard) -> Result<String, AppError> {
        card.check().map_err(AppError::BadOwnCard)?;
        let dir = self.own_dir()?;
        let path = dir.join(OWN_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => own_cards::NEW_FILE.into(),
            Err(e) => return Err(cannot_read(&path, &e)),
        };
        let (base, user) = self.fact_files()?;
        let base_deck = deck::build(&base)?;
        let facts = deck::build_with_user(&base, &base_deck, &user)
            .map_err(|e| AppError::BadOwnCard(format!("your facts files do not parse: {e}")))?
            .facts;
        if let Some(subject) = &card.subject
            && facts.service(subject).is_none()
        {
            return Err(AppError::BadOwnCard(format!(
                "the deck has no service \"{subject}\" (a card's tags name its services)"
            )));
        }
        let id = own_cards::new_id(&card.front, |id| {
            facts
                .qas
                .iter()
                .any(|q| q.id == id && q.subject == card.subject)
        });
        let text = own_cards::append(&text, &id, card).map_err(AppError::BadOwnCard)?;
        self.write_own_file(&path, &text)?;
        Ok(card.key(&id))
    }

    /// The card of the learner's with `key`, as its facts file holds it.
    pub fn own_card(&self, key: &str) -> Result<OwnCard, AppError> {
        let (path, text) = self.own_fact_file(key)?;
        let (subject, id) = fact(key)?;
        own_cards::read(&text, subject.as_deref(), &id)
            .map_err(|e| AppError::BadOwnCard(format!("{}: {e}", path.display())))?
            .ok_or_else(|| AppError::NotOwnCard(key.into()))
    }

    /// Rewords a card of the learner's (its id and subject stay, and with them its history).
    pub fn edit_card(&mut self, key: &str, card: &OwnCard) -> Result<(), AppError> {
        card.check().map_err(AppError::BadOwnCard)?;
        let (path, text) = self.own_fact_file(key)?;
        let (subject, id) = fact(key)?;
        let text = own_cards::replace(&text, subject.as_deref(), &id, card)
            .map_err(AppError::BadOwnCard)?
            .ok_or_else(|| AppError::NotOwnCard(key.into()))?;
        self.write_own_file(&path, &text)
    }

    /// Deletes a card of the learner's from their file: the card is retired, its history
    /// kept (adding the same question again brings it back).
    pub fn delete_card(&mut self, key: &str) -> Result<(), AppError> {
        let (path, text) = self.own_fact_file(key)?;
        let (subject, id) = fact(key)?;
        let text = own_cards::remove(&text, subject.as_deref(), &id)
            .map_err(AppError::BadOwnCard)?
            .ok_or_else(|| AppError::NotOwnCard(key.into()))?;
        self.write_own_file(&path, &text)
    }

    /// The services a card of the learner's can be about, as (id, name), by name.
    pub fn subjects(&self) -> Result<Vec<(String, String)>, AppError> {
        let (base, user) = self.fact_files()?;
        let base_deck = deck::build(&base)?;
        // With their files broken, the deck's services are still there to choose from.
        let facts = match deck::build_with_user(&base, &base_deck, &user) {
            Ok(d) => d.facts,
            Err(_) => base_deck.facts,
        };
        let mut subjects: Vec<(String, String)> =
            facts.services.into_iter().map(|s| (s.id, s.name)).collect();
        subjects.sort_by_key(|(_, name)| name.to_lowercase());
        Ok(subjects)
    }

    /// The file new cards of the learner's go to.
    pub fn own_file(&self) -> Option<PathBuf> {
        self.user_dir().map(|d| d.join(OWN_FILE))
    }

    fn own_dir(&self) -> Result<PathBuf, AppError> {
        self.user_dir()
            .map(Path::to_path_buf)
            .ok_or_else(|| AppError::BadOwnCard("this collection has no folder for them".into()))
    }

    /// The deck's facts files and the learner's.
    fn fact_files(&self) -> Result<(Vec<SourceFile>, Vec<SourceFile>), AppError> {
        let base = deck::read(self.sources.facts.as_deref())?;
        let user = deck::read_user(&self.own_dir()?)?;
        Ok((base, user))
    }

    /// The learner's file that holds the fact of `key`, and its text.
    fn own_fact_file(&self, key: &str) -> Result<(PathBuf, String), AppError> {
        let (subject, id) = fact(key)?;
        let (_, user) = self.fact_files()?;
        for file in user {
            if let Ok(Some(_)) = own_cards::read(&file.text, subject.as_deref(), &id) {
                return Ok((PathBuf::from(file.name), file.text));
            }
        }
        Err(AppError::NotOwnCard(key.into()))
    }

    /// Checks the facts with `path` holding `text`, writes it, and syncs the cards.
    fn write_own_file(&mut self, path: &Path, text: &str) -> Result<(), AppError> {
        let (base, mut user) = self.fact_files()?;
        let name = path.display().to_string();
        let changed = SourceFile {
            name: name.clone(),
            text: text.to_string(),
        };
        match user.iter_mut().find(|f| f.name == name) {
            Some(f) => *f = changed,
            None => user.push(changed),
        }
        let base_deck = deck::build(&base)?;
        deck::build_with_user(&base, &base_deck, &user)
            .map_err(|e| AppError::BadOwnCard(e.to_string()))?;
        let dir = self.own_dir()?;
        std::fs::create_dir_all(&dir).map_err(|e| cannot_write(&dir, &e))?;
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| cannot_write(&dir, &e))?;
        std::io::Write::write_all(&mut tmp, text.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| cannot_write(path, &e))?;
        tmp.persist(path)
            .map_err(|e| cannot_write(path, &e.error))?;
        let stamp = deck::stamp(self.sources.facts.as_deref(), &dir)?;
        self.sync = self.sync_facts(stamp.as_deref())?;
        Ok(())
    }
}

/// The fact of a card of the learner's.
fn fact(key: &str) -> Result<(Option<String>, String), AppError> {
    own_cards::fact_of_key(key).ok_or_else(|| AppError::NotOwnCard(key.into()))
}

fn cannot_read(path: &Path, e: &std::io::Error) -> AppError {
    AppError::BadOwnCard(format!("cannot read {}: {e}", path.display()))
}

fn cannot_write(path: &Path, e: &std::io::Error) -> AppError {
    AppError::CannotWrite {
        path: path.to_path_buf(),
        why: e.to_string(),
    }
}
