//! The learner's own cards: added, edited and deleted as `[[qa]]` facts in their facts folder
//! (`my-cards/` next to the collection), then synced like the deck's. A change is checked with
//! the whole deck before the file is written, and the file is replaced at once (written beside
//! it, then renamed): a change that would not parse writes nothing.

use std::path::{Path, PathBuf};

use super::collection::{AppError, Collection};
use super::deck::{self, Deck};
use crate::model::facts::SourceFile;
use crate::model::own_cards::{self, OwnCard};

/// The file the app adds cards to, in the learner's facts folder.
pub const OWN_FILE: &str = "my-cards.toml";

/// The deck's facts files (built) and the learner's, read once for a change.
struct Loaded {
    base: Vec<SourceFile>,
    base_deck: Deck,
    user: Vec<SourceFile>,
}

impl Loaded {
    /// The learner's file at `path`, if it exists.
    fn file(&self, path: &Path) -> Option<&SourceFile> {
        let name = path.display().to_string();
        self.user.iter().find(|f| f.name == name)
    }
}

impl Collection {
    /// Adds a card of the learner's, in the deck at once. Returns its key.
    pub fn add_card(&mut self, card: &OwnCard) -> Result<String, AppError> {
        card.check().map_err(AppError::BadOwnCard)?;
        let loaded = self.load_facts()?;
        let path = self.own_dir()?.join(OWN_FILE);
        let text = loaded
            .file(&path)
            .map_or(own_cards::NEW_FILE, |f| f.text.as_str())
            .to_string();
        let facts = deck::parse_with_user(&loaded.base, &loaded.user)
            .map_err(|e| AppError::BadOwnCard(format!("your facts files do not parse: {e}")))?;
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
        self.write_own_file(loaded, &path, text)?;
        Ok(card.key(&id))
    }

    /// The card of the learner's with `key`, as its facts file holds it.
    pub fn own_card(&self, key: &str) -> Result<OwnCard, AppError> {
        let user = deck::read_user(&self.own_dir()?)?;
        let (file, subject, id) = own_fact(&user, key)?;
        own_cards::read(&file.text, subject.as_deref(), &id)
            .map_err(|e| AppError::BadOwnCard(format!("{}: {e}", file.name)))?
            .ok_or_else(|| AppError::NotOwnCard(key.into()))
    }

    /// Rewords a card of the learner's (its id and subject stay, and with them its history).
    pub fn edit_card(&mut self, key: &str, card: &OwnCard) -> Result<(), AppError> {
        card.check().map_err(AppError::BadOwnCard)?;
        self.change_own_fact(key, |text, subject, id| {
            own_cards::replace(text, subject, id, card)
        })
    }

    /// Deletes a card of the learner's from their file: the card is retired, its history
    /// kept (adding the same question again brings it back).
    pub fn delete_card(&mut self, key: &str) -> Result<(), AppError> {
        self.change_own_fact(key, own_cards::remove)
    }

    /// The services a card of the learner's can be about, as (id, name), by name.
    pub fn subjects(&self) -> Result<Vec<(String, String)>, AppError> {
        // Parsed, not built: no card is generated (1.4 s → 0.5 s at 100 000 facts).
        let base = deck::read(self.sources.facts.as_deref())?;
        let user = deck::read_user(&self.own_dir()?)?;
        // With their files broken, the deck's services are still there to choose from.
        let facts = match deck::parse_with_user(&base, &user) {
            Ok(facts) => facts,
            Err(_) => deck::parse_with_user(&base, &[])?,
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

    /// The deck's facts files, built, and the learner's.
    fn load_facts(&self) -> Result<Loaded, AppError> {
        let base = deck::read(self.sources.facts.as_deref())?;
        let base_deck = deck::build(&base)?;
        let user = deck::read_user(&self.own_dir()?)?;
        Ok(Loaded {
            base,
            base_deck,
            user,
        })
    }

    /// Changes the `[[qa]]` of the learner's card `key` in its file: `change` gets the file's
    /// text, the fact's subject and id, and gives the new text (None: no such fact there).
    fn change_own_fact(
        &mut self,
        key: &str,
        change: impl FnOnce(&str, Option<&str>, &str) -> Result<Option<String>, String>,
    ) -> Result<(), AppError> {
        let loaded = self.load_facts()?;
        let (file, subject, id) = own_fact(&loaded.user, key)?;
        let path = PathBuf::from(&file.name);
        let text = change(&file.text, subject.as_deref(), &id)
            .map_err(AppError::BadOwnCard)?
            .ok_or_else(|| AppError::NotOwnCard(key.into()))?;
        self.write_own_file(loaded, &path, text)
    }

    /// Checks the facts with `path` holding `text`, writes it, and syncs the cards with the
    /// deck that check built (the files are not read again).
    fn write_own_file(
        &mut self,
        loaded: Loaded,
        path: &Path,
        text: String,
    ) -> Result<(), AppError> {
        let Loaded {
            base,
            base_deck,
            mut user,
        } = loaded;
        let name = path.display().to_string();
        let changed = SourceFile { name, text };
        match user.iter_mut().find(|f| f.name == changed.name) {
            Some(f) => *f = changed.clone(),
            None => user.push(changed.clone()),
        }
        let deck = deck::build_with_user(&base, &base_deck, &user)
            .map_err(|e| AppError::BadOwnCard(e.to_string()))?;
        let dir = self.own_dir()?;
        std::fs::create_dir_all(&dir).map_err(|e| cannot_write(&dir, &e))?;
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| cannot_write(&dir, &e))?;
        std::io::Write::write_all(&mut tmp, changed.text.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| cannot_write(path, &e))?;
        tmp.persist(path)
            .map_err(|e| cannot_write(path, &e.error))?;
        let files: Vec<SourceFile> = base.into_iter().chain(user).collect();
        let stamp = deck::stamp(self.sources.facts.as_deref(), &dir)?;
        self.sync = self.sync_deck(
            &deck,
            &crate::model::facts_fingerprint(&files),
            stamp.as_deref(),
        )?;
        Ok(())
    }
}

/// The learner's file that holds the fact of `key`, with the fact's subject and id.
fn own_fact<'a>(
    user: &'a [SourceFile],
    key: &str,
) -> Result<(&'a SourceFile, Option<String>, String), AppError> {
    let (subject, id) = fact(key)?;
    let file = user
        .iter()
        .find(|f| {
            matches!(
                own_cards::read(&f.text, subject.as_deref(), &id),
                Ok(Some(_))
            )
        })
        .ok_or_else(|| AppError::NotOwnCard(key.into()))?;
    Ok((file, subject, id))
}

/// The fact of a card of the learner's.
fn fact(key: &str) -> Result<(Option<String>, String), AppError> {
    own_cards::fact_of_key(key).ok_or_else(|| AppError::NotOwnCard(key.into()))
}

fn cannot_write(path: &Path, e: &std::io::Error) -> AppError {
    AppError::CannotWrite {
        path: path.to_path_buf(),
        why: e.to_string(),
    }
}
