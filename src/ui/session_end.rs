//! The end of a review session: what was studied, what is held back today and why, with
//! Unbury and Anki's Custom study (today only).

use std::time::Duration;

use egui::{RichText, Ui};

use crate::app::collection::Collection;
use crate::app::session::Session;
use crate::model::held::CustomStudy;
use crate::model::stats::count_of;

/// What the end screen shows.
pub struct Summary {
    pub studied: usize,
    pub answers: usize,
    pub time: Duration,
    pub due_tomorrow: u32,
    /// Why cards are held back (buried, limits reached), one sentence each.
    pub held: Vec<String>,
    /// Buried cards Unbury would bring back.
    pub buried: u64,
    /// A deck's session (not a filtered deck's): custom study is offered.
    pub deck: Option<String>,
}

impl Summary {
    /// The summary of `session`, ended on `today`.
    pub fn of(
        session: &Session,
        coll: &Collection,
        today: chrono::NaiveDate,
    ) -> Result<Summary, String> {
        let answered = session.answered();
        let mut cards: Vec<i64> = answered.iter().map(|a| a.card_id).collect();
        cards.sort_unstable();
        cards.dedup();
        let tomorrow = today.succ_opt().unwrap_or(today);
        let e = |e: crate::app::error::AppError| e.to_string();
        let held = match session.deck() {
            Some(deck) => Some(coll.held_back(deck, today).map_err(e)?),
            None => None,
        };
        Ok(Summary {
            studied: cards.len(),
            answers: answered.len(),
            time: session.time_spent(),
            due_tomorrow: session.due_by(coll, today, tomorrow).map_err(e)?,
            held: held.map(|h| h.reasons()).unwrap_or_default(),
            buried: held.map_or(0, |h| h.buried),
            deck: session.deck().map(str::to_string),
        })
    }
}

/// What the learner asked of the end screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndAction {
    Back,
    Unbury,
    Custom(CustomStudy),
}

/// Custom study's choices, as the form holds them.
pub struct CustomForm {
    choice: usize,
    new: u32,
    reviews: u32,
    forgotten_days: u32,
    ahead_days: u32,
}

impl Default for CustomForm {
    fn default() -> Self {
        CustomForm {
            choice: 0,
            new: 10,
            reviews: 50,
            forgotten_days: 1,
            ahead_days: 1,
        }
    }
}

impl CustomForm {
    fn chosen(&self) -> CustomStudy {
        match self.choice {
            0 => CustomStudy::MoreNew(self.new),
            1 => CustomStudy::MoreReviews(self.reviews),
            2 => CustomStudy::Forgotten {
                days: self.forgotten_days,
            },
            _ => CustomStudy::Ahead {
                days: self.ahead_days,
            },
        }
    }

    fn ui(&mut self, ui: &mut Ui) -> Option<CustomStudy> {
        // (the choice, its number, the most it takes, what it counts, what "more" means)
        let rows: [(&str, &mut u32, u32, &str, &str); 4] = [
            (
                "Study more new cards today",
                &mut self.new,
                999,
                "card",
                "more",
            ),
            (
                "Study more reviews today",
                &mut self.reviews,
                9999,
                "review",
                "more",
            ),
            (
                "Review forgotten cards (answered Again)",
                &mut self.forgotten_days,
                30,
                "day",
                "back",
            ),
            ("Study ahead", &mut self.ahead_days, 30, "day", "ahead"),
        ];
        egui::Grid::new("custom_study")
            .num_columns(2)
            .show(ui, |ui| {
                for (i, (label, value, most, unit, which)) in rows.into_iter().enumerate() {
                    ui.radio_value(&mut self.choice, i, label);
                    // "1 day back", "3 days back": the unit follows the number.
                    let plural = if *value == 1 { "" } else { "s" };
                    let suffix = format!(" {unit}{plural} {which}");
                    ui.add(egui::DragValue::new(value).range(1..=most).suffix(suffix));
                    ui.end_row();
                }
            });
        ui.button("Start").clicked().then(|| self.chosen())
    }
}

/// The end screen; what the learner asked, if anything.
pub fn ui(ui: &mut Ui, summary: &Summary, custom: &mut Option<CustomForm>) -> Option<EndAction> {
    let mut action = None;
    if summary.answers == 0 {
        ui.heading("Nothing to study here now.");
    } else {
        ui.heading("Congratulations! You have finished this deck for now.");
        ui.add_space(12.0);
        let secs = summary.time.as_secs();
        ui.label(format!(
            "Studied {} ({}) in {} min {} s.",
            count_of(summary.studied as u64, "card"),
            count_of(summary.answers as u64, "answer"),
            secs / 60,
            secs % 60
        ));
    }
    let verb = if summary.due_tomorrow == 1 {
        "is"
    } else {
        "are"
    };
    ui.label(format!(
        "{} {verb} due tomorrow.",
        count_of(summary.due_tomorrow, "card")
    ));
    if !summary.held.is_empty() {
        ui.add_space(12.0);
        for reason in &summary.held {
            ui.label(RichText::new(reason).strong());
        }
    }
    ui.add_space(12.0);
    ui.horizontal(|ui| {
        if summary.buried > 0
            && ui
                .button(format!("Unbury {}", count_of(summary.buried, "card")))
                .on_hover_text("Study them today after all")
                .clicked()
        {
            action = Some(EndAction::Unbury);
        }
        if summary.deck.is_some()
            && ui
                .selectable_label(custom.is_some(), "Custom study…")
                .on_hover_text("More new cards or reviews today, forgotten cards, study ahead")
                .clicked()
        {
            *custom = match custom {
                Some(_) => None,
                None => Some(CustomForm::default()),
            };
        }
        if ui.button("Back to decks").clicked() {
            action = Some(EndAction::Back);
        }
    });
    if let Some(form) = custom {
        ui.add_space(12.0);
        ui.group(|ui| {
            ui.label(RichText::new("Custom study (today only)").strong());
            if let Some(study) = form.ui(ui) {
                action = Some(EndAction::Custom(study));
            }
        });
    }
    action
}
