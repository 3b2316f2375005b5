//! Deck options presets and the decks given them; what each deck did today.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, day_number};
use crate::model::limits::{AnswerOptions, Limits, Preset};
use crate::model::settings::LeechAction;

impl Store {
    /// Every preset but the Default one, by name.
    pub fn presets(&self) -> Result<Vec<Preset>> {
        self.rows(
            "SELECT id, name, new_per_day, reviews_per_day, bury_siblings, leech_threshold,
                 leech_action
             FROM presets ORDER BY name",
            [],
            |r| {
                Ok(Preset {
                    id: Some(r.get(0)?),
                    name: r.get(1)?,
                    limits: Limits {
                        new: r.get(2)?,
                        reviews: r.get(3)?,
                    },
                    options: AnswerOptions {
                        bury_siblings: r.get(4)?,
                        leech_threshold: r.get(5)?,
                        leech_action: match r.get_ref(6)?.as_str()? {
                            "tag_only" => LeechAction::TagOnly,
                            _ => LeechAction::Suspend,
                        },
                    },
                })
            },
        )
    }

    /// Each deck given a preset, with that preset's id.
    pub fn deck_presets(&self) -> Result<Vec<(String, i64)>> {
        self.rows(
            "SELECT deck, preset_id FROM deck_presets ORDER BY deck",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Saves `preset` (a new one when it has no id) and gives it to `deck`, in one
    /// transaction; the preset's id. An empty name, or one another preset has, is refused.
    pub fn save_deck_preset(&mut self, deck: &str, preset: &Preset) -> Result<i64> {
        let name = preset.name.trim().to_string();
        let (l, o) = (preset.limits, preset.options);
        let action = match o.leech_action {
            LeechAction::Suspend => "suspend",
            LeechAction::TagOnly => "tag_only",
        };
        let id = preset.id;
        self.write(|tx| {
            if name.is_empty() {
                return Err(StoreError::BadPreset("a preset needs a name".into()).into());
            }
            let taken: Option<i64> = tx
                .query_row("SELECT id FROM presets WHERE name = ?1", [&name], |r| {
                    r.get(0)
                })
                .optional()?;
            if taken.is_some() && taken != id {
                return Err(StoreError::BadPreset(format!(
                    "a preset named \"{name}\" exists already: choose another name"
                ))
                .into());
            }
            // A new preset (no id) gets the next one.
            let id: i64 = tx.query_row(
                "INSERT INTO presets (id, name, new_per_day, reviews_per_day, bury_siblings,
                     leech_threshold, leech_action)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name,
                     new_per_day = excluded.new_per_day,
                     reviews_per_day = excluded.reviews_per_day,
                     bury_siblings = excluded.bury_siblings,
                     leech_threshold = excluded.leech_threshold,
                     leech_action = excluded.leech_action
                 RETURNING id",
                params![
                    id,
                    name,
                    l.new,
                    l.reviews,
                    o.bury_siblings,
                    o.leech_threshold,
                    action
                ],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT OR REPLACE INTO deck_presets (deck, preset_id) VALUES (?1, ?2)",
                params![deck, id],
            )?;
            Ok(id)
        })
    }

    /// Gives `deck` the preset `preset` (None: the Default preset).
    pub fn set_deck_preset(&mut self, deck: &str, preset: Option<i64>) -> Result<()> {
        self.write(|tx| {
            match preset {
                Some(id) => tx.execute(
                    "INSERT OR REPLACE INTO deck_presets (deck, preset_id) VALUES (?1, ?2)",
                    params![deck, id],
                )?,
                None => tx.execute("DELETE FROM deck_presets WHERE deck = ?1", [deck])?,
            };
            Ok(())
        })
    }

    /// Each deck's own new cards and reviews answered on `today` (as the daily limits count
    /// them: a card once, its first answer of the kind).
    pub fn done_by_deck(&self, today: NaiveDate) -> Result<Vec<(String, Limits)>> {
        self.rows(
            "SELECT c.deck,
                    count(DISTINCT CASE WHEN r.kind = 'new' THEN r.card_id END),
                    count(DISTINCT CASE WHEN r.kind = 'review' THEN r.card_id END)
             FROM review_log r JOIN cards c ON c.id = r.card_id
             WHERE r.study_day = ?1 GROUP BY c.deck",
            [day_number(today)],
            |r| {
                Ok((
                    r.get(0)?,
                    Limits {
                        new: r.get(1)?,
                        reviews: r.get(2)?,
                    },
                ))
            },
        )
    }
}
