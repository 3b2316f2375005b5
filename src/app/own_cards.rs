//! The learner's own cards: added, edited and deleted as `[[qa]]` facts in their facts folder
//! (`my-cards/` next to the collection), then synced like the deck's. A change is checked with
//! the whole deck before the file is written, and the file is replaced at once (written beside
//! it, then renamed): a change that would not parse writes nothing.

use std::path::{Path, PathBuf};

use super::collection::Collection;
use super::deck::{self, Deck};
use super::error::AppError;
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
        self.change_own_files(|coll, loaded| {
            let path = coll.own_dir()?.join(OWN_FILE);
            let text = loaded
                .file(&path)
                .map_or(own_cards::NEW_FILE, |f| f.text.as_str());
            let folded = |t: &str| t.trim().to_lowercase();
            if let Some(same) = loaded
                .base_deck
                .cards
                .iter()
                .find(|c| folded(&c.front) == folded(&card.front))
            {
                return Err(AppError::BadOwnCard(format!(
                    "the deck already asks this question (card {}); study that one, or ask \
                     it in other words",
                    same.key
                )));
            }
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
            let text = own_cards::append(text, &id, card).map_err(AppError::BadOwnCard)?;
            Ok((path, text, card.key(&id)))
        })
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
        change: impl Fn(&str, Option<&str>, &str) -> Result<Option<String>, String>,
    ) -> Result<(), AppError> {
        self.change_own_files(|_, loaded| {
            let (file, subject, id) = own_fact(&loaded.user, key)?;
            let text = change(&file.text, subject.as_deref(), &id)
                .map_err(AppError::BadOwnCard)?
                .ok_or_else(|| AppError::NotOwnCard(key.into()))?;
            Ok((PathBuf::from(&file.name), text, ()))
        })
    }

    /// Makes one change to the learner's files, with their folder locked (another awscards
    /// sharing it waits): `change` reads the facts and gives the file to write, its new text
    /// and what to return. A collection that cannot be written is refused before any file is
    /// touched. When the file changed on disk since it was read (saved by hand in the
    /// meantime), the change is made again on what is there now, twice at most.
    fn change_own_files<T>(
        &mut self,
        change: impl Fn(&Self, &Loaded) -> Result<(PathBuf, String, T), AppError>,
    ) -> Result<T, AppError> {
        if self.store.read_only() {
            return Err(AppError::Store(crate::store::StoreError::ReadOnly {
                path: self.store.path().to_path_buf(),
            }));
        }
        let dir = self.own_dir_ready()?;
        let lock = std::fs::File::open(&dir)
            .and_then(|f| f.lock().map(|()| f))
            .map_err(|e| cannot_write(&dir, &e))?;
        let mut tries = 1;
        let result = loop {
            let loaded = self.load_facts()?;
            let (path, text, out) = change(self, &loaded)?;
            match self.write_own_file(loaded, &path, text) {
                Err(AppError::OwnFileChanged(_)) if tries < 3 => tries += 1,
                r => break r.map(|()| out),
            }
        };
        drop(lock);
        result
    }

    /// The learner's folder, made if it is not there. A link that dangles or loops is an
    /// error in words, not a folder to make.
    fn own_dir_ready(&self) -> Result<PathBuf, AppError> {
        let dir = self.own_dir()?;
        match std::fs::metadata(&dir) {
            Ok(m) if m.is_dir() => Ok(dir),
            Ok(_) => Err(AppError::CannotWrite {
                path: dir,
                why: "it is not a folder".into(),
            }),
            Err(e) if std::fs::symlink_metadata(&dir).is_ok() => Err(cannot_write(&dir, &e)),
            Err(_) => std::fs::create_dir_all(&dir)
                .map(|()| dir.clone())
                .map_err(|e| cannot_write(&dir, &e)),
        }
    }

    /// Checks the facts with `path` holding `text`, writes it (through a link, its target;
    /// its mode kept) unless the file changed since it was read, and syncs the cards with the
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
        let read: Option<String> = user.iter().find(|f| f.name == name).map(|f| f.text.clone());
        let changed = SourceFile { name, text };
        match user.iter_mut().find(|f| f.name == changed.name) {
            Some(f) => *f = changed.clone(),
            None => user.push(changed.clone()),
        }
        let deck = deck::build_with_user(&base, &base_deck, &user)
            .map_err(|e| AppError::BadOwnCard(e.to_string()))?;
        let dir = self.own_dir()?;
        super::files::write_atomically(path, |file| {
            std::io::Write::write_all(file, changed.text.as_bytes())
                .map_err(|e| cannot_write(path, &e))?;
            let now = match std::fs::read(path) {
                Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(cannot_write(path, &e)),
            };
            if now != read {
                return Err(AppError::OwnFileChanged(path.to_path_buf()));
            }
            Ok(())
        })?;
        let files: Vec<SourceFile> = base.into_iter().chain(user).collect();
        let stamp = deck::stamp(self.sources.facts.as_deref(), &dir)?;
        self.sync = self.sync_deck(
            &deck,
            &crate::model::facts_fingerprint(&files),
            stamp.as_deref(),
            &Default::default(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn card(front: &str) -> OwnCard {
        OwnCard {
            front: front.into(),
            back: "An answer".into(),
            ..OwnCard::default()
        }
    }

    #[test]
    fn a_file_saved_by_hand_while_a_card_is_saved_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let mut coll = Collection::open(Some(&dir.path().join("c.sqlite")), None).unwrap();
        coll.add_card(&card("First?")).unwrap();
        let path = coll.own_file().unwrap();
        // Read for a change; then the learner saves the file; then the change is written.
        let loaded = coll.load_facts().unwrap();
        let read = loaded.file(&path).unwrap().text.clone();
        let by_hand = format!("{read}\n# saved by hand\n");
        std::fs::write(&path, &by_hand).unwrap();
        let err = coll.write_own_file(loaded, &path, format!("{read}\n# mine\n"));
        assert!(matches!(err, Err(AppError::OwnFileChanged(_))), "{err:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), by_hand);
        // An add made now takes the hand edit in.
        coll.add_card(&card("Second?")).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("# saved by hand") && text.contains("Second?"),
            "{text}"
        );
    }
}
