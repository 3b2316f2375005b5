//! Each deck's daily limits: its preset's (the Default preset's: the settings'), custom
//! study's raise for today added, less what was done in it and its subdecks today.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::collection::Collection;
use super::error::AppError;
use crate::model::decks::with_parents;
use crate::model::limits::{self, AnswerOptions, DEFAULT_PRESET, Limits, Preset};

impl Collection {
    /// The Default preset: the settings' limits and answering options.
    pub fn default_preset(&self) -> Preset {
        Preset {
            id: None,
            name: DEFAULT_PRESET.to_string(),
            limits: Limits {
                new: self.settings.new_per_day,
                reviews: self.settings.reviews_per_day,
            },
            options: self.settings.answer_options(),
        }
    }

    /// Every preset, the Default one first.
    pub fn presets(&self) -> Result<Vec<Preset>, AppError> {
        let mut all = vec![self.default_preset()];
        all.extend(self.store.presets()?);
        Ok(all)
    }

    /// Each deck given a preset, and that preset (the others have the Default one).
    pub fn assigned(&self) -> Result<HashMap<String, Preset>, AppError> {
        let presets: HashMap<i64, Preset> = self
            .store
            .presets()?
            .into_iter()
            .filter_map(|p| p.id.map(|id| (id, p)))
            .collect();
        Ok(self
            .store
            .deck_presets()?
            .into_iter()
            .filter_map(|(deck, id)| presets.get(&id).map(|p| (deck, p.clone())))
            .collect())
    }

    /// The preset of `deck` (the Default one unless it was given another).
    pub fn deck_preset(&self, deck: &str) -> Result<Preset, AppError> {
        Ok(self
            .assigned()?
            .remove(deck)
            .unwrap_or_else(|| self.default_preset()))
    }

    /// How the cards of `deck` (their own deck) are answered: its preset's options.
    pub fn answer_options(&self, deck: &str) -> Result<AnswerOptions, AppError> {
        Ok(self.deck_preset(deck)?.options)
    }

    /// The daily limits of `deck` on `today`: its preset's, custom study's raise added.
    pub fn deck_limits(&self, deck: &str, today: NaiveDate) -> Result<Limits, AppError> {
        Ok(self.raised(self.deck_preset(deck)?.limits, today))
    }

    fn raised(&self, l: Limits, today: NaiveDate) -> Limits {
        let (new, reviews) = self.settings.extra_today.on(today);
        Limits {
            new: l.new.saturating_add(new),
            reviews: l.reviews.saturating_add(reviews),
        }
    }

    /// What each deck (parents included) may still show on `today`.
    pub fn limits_left(&self, today: NaiveDate) -> Result<BTreeMap<String, Limits>, AppError> {
        let assigned = self.assigned()?;
        let default = self.default_preset().limits;
        // Every deck name, found by seeks in the deck index (not a scan of the cards).
        let decks = with_parents(&self.store.all_deck_names()?);
        let done = self.store.done_by_deck(today)?;
        let limits_of = |deck: &str| {
            let l = assigned.get(deck).map_or(default, |p| p.limits);
            self.raised(l, today)
        };
        Ok(limits::left_today(&decks, limits_of, &done))
    }

    /// What a session of `deck` may still take on `today` ("" for every deck: what each
    /// top-level deck may, added up).
    pub fn left_for(&self, deck: &str, today: NaiveDate) -> Result<Limits, AppError> {
        let left = self.limits_left(today)?;
        if deck.is_empty() {
            let top = left.iter().filter(|(d, _)| !d.contains("::"));
            return Ok(top.fold(Limits::default(), |sum, (_, l)| Limits {
                new: sum.new.saturating_add(l.new),
                reviews: sum.reviews.saturating_add(l.reviews),
            }));
        }
        match left.get(deck) {
            Some(l) => Ok(*l),
            None => self.deck_limits(deck, today),
        }
    }

    /// Gives `deck` a preset of its own with `limits` and `options` (named after the deck),
    /// or changes those of the preset it has; `preset` names an existing preset to give it
    /// instead (and change).
    pub fn set_deck_options(
        &mut self,
        deck: &str,
        limits: Option<Limits>,
        options: Option<AnswerOptions>,
        preset: Option<&str>,
    ) -> Result<Preset, AppError> {
        let mut chosen = match preset {
            Some(DEFAULT_PRESET) => self.default_preset(),
            Some(name) => self
                .store
                .presets()?
                .into_iter()
                .find(|p| p.name == name)
                .ok_or_else(|| {
                    AppError::BadPreset(format!(
                        "no preset named \"{name}\" (presets: {})",
                        self.presets()
                            .map(|all| all
                                .iter()
                                .map(|p| p.name.clone())
                                .collect::<Vec<_>>()
                                .join(", "))
                            .unwrap_or_default()
                    ))
                })?,
            None => match self.deck_preset(deck)? {
                p if p.id.is_some() => p,
                default => Preset {
                    id: None,
                    name: deck.to_string(),
                    ..default
                },
            },
        };
        if let Some(l) = limits {
            chosen.limits = l;
        }
        if let Some(o) = options {
            chosen.options = o;
        }
        if chosen.name == DEFAULT_PRESET && chosen.id.is_none() {
            if limits.is_some() || options.is_some() {
                let mut s = self.settings.with_answer_options(chosen.options);
                s.new_per_day = chosen.limits.new;
                s.reviews_per_day = chosen.limits.reviews;
                self.save_settings(s)?;
            }
            self.store.set_deck_preset(deck, None)?;
            return Ok(self.default_preset());
        }
        chosen.id = Some(self.store.save_deck_preset(deck, &chosen)?);
        Ok(chosen)
    }

    /// Saves the deck options window's choice: the preset named `preset` (Default, another,
    /// or a new one of that name), with `limits` and `options`, given to `deck`.
    pub fn save_deck_options(
        &mut self,
        deck: &str,
        preset: &str,
        limits: Limits,
        options: AnswerOptions,
    ) -> Result<Preset, AppError> {
        let exists =
            preset == DEFAULT_PRESET || self.store.presets()?.iter().any(|p| p.name == preset);
        if exists {
            return self.set_deck_options(deck, Some(limits), Some(options), Some(preset));
        }
        let mut new = Preset {
            id: None,
            name: preset.to_string(),
            limits,
            options,
        };
        new.id = Some(self.store.save_deck_preset(deck, &new)?);
        Ok(new)
    }

    /// How many decks have each preset (by name; the Default preset's: every other deck).
    pub fn preset_users(&self) -> Result<HashMap<String, usize>, AppError> {
        let mut users: HashMap<String, usize> = HashMap::new();
        for p in self.assigned()?.into_values() {
            *users.entry(p.name).or_default() += 1;
        }
        Ok(users)
    }
}
