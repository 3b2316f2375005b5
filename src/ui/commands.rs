//! Keyboard shortcuts: one enum, its keys, and the code that consumes them at the top of the
//! frame so that one key press is one action.

use egui::{Context, Event, Key, KeyboardShortcut, Modifiers};

use crate::model::schedule::Grading;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Reveal the answer; once it is shown, answer Good (as in Anki).
    ShowAnswer,
    /// The grade key with this digit: 1-4 are the four buttons, 0-5 the six grades.
    Grade(u8),
    Undo,
    /// Leave the current screen.
    Back,
    /// Show or hide the card's scheduling details.
    CardInfo,
    /// Add a card of the learner's own.
    Add,
    /// Suspend the current card.
    Suspend,
    /// Bury the current card until tomorrow.
    Bury,
    /// Flag the current card (1 red, 2 orange, 3 green, 4 blue), or take that flag off.
    Flag(u8),
    /// Open the current card in Browse.
    Browse,
    /// Show or hide every shortcut.
    Help,
    /// The deck list: the deck above / below, study the chosen one.
    Up,
    Down,
    Open,
    /// The deck list: Browse every card; the same with its search field to type in; Stats.
    BrowseAll,
    Search,
    Stats,
    /// The deck list: sync with the Anki sync server.
    Sync,
}

impl Command {
    /// The review screen's commands.
    pub const REVIEW: [Command; 19] = [
        Command::ShowAnswer,
        Command::Grade(0),
        Command::Grade(1),
        Command::Grade(2),
        Command::Grade(3),
        Command::Grade(4),
        Command::Grade(5),
        Command::Undo,
        Command::Back,
        Command::CardInfo,
        Command::Add,
        Command::Suspend,
        Command::Bury,
        Command::Flag(1),
        Command::Flag(2),
        Command::Flag(3),
        Command::Flag(4),
        Command::Browse,
        Command::Help,
    ];

    /// The deck list's commands.
    pub const DECKS: [Command; 9] = [
        Command::Up,
        Command::Down,
        Command::Open,
        Command::Add,
        Command::BrowseAll,
        Command::Search,
        Command::Stats,
        Command::Sync,
        Command::Help,
    ];

    /// Whether it means anything under `grading` (a grade key with no button does not).
    pub fn applies(self, grading: Grading) -> bool {
        match self {
            Command::Grade(d) => grading.quality_of_digit(d).is_some(),
            _ => true,
        }
    }

    /// What it does, for the shortcut overlay: a grade key by the button `grading` shows.
    pub fn describe(self, grading: Grading) -> String {
        match self {
            Command::ShowAnswer => "Show the answer; once shown, answer Good".into(),
            Command::Grade(d) => match grading.quality_of_digit(d) {
                Some(q) => format!("Answer {}", grading.button_label(q)),
                None => format!("Grade key {d}: no button in this mode"),
            },
            Command::Undo => "Undo the last answer or action".into(),
            Command::Back => "Back to the decks".into(),
            Command::CardInfo => "Show or hide Card info".into(),
            Command::Add => "Add a card of your own".into(),
            Command::Suspend => "Suspend this card".into(),
            Command::Bury => "Bury this card until tomorrow".into(),
            Command::Flag(n) => format!(
                "Flag this card {} (again: no flag)",
                super::flag(n).unwrap_or("")
            ),
            Command::Browse => "Open this card in Browse".into(),
            Command::Help => "Show or hide these shortcuts".into(),
            Command::Up => "Choose the deck above".into(),
            Command::Down => "Choose the deck below".into(),
            Command::Open => "Study the chosen deck".into(),
            Command::BrowseAll => "Browse every card".into(),
            Command::Search => "Search every card (Browse, its search field ready)".into(),
            Command::Stats => "Statistics".into(),
            Command::Sync => "Sync with your Anki sync server".into(),
        }
    }

    /// Its keys, as the overlay writes them.
    pub fn keys(self) -> String {
        let mut keys: Vec<String> = self
            .shortcuts()
            .iter()
            .map(|s| {
                // The arrows by name: their symbols are in no font the window has.
                let name = match s.logical_key {
                    Key::ArrowUp => "Up",
                    Key::ArrowDown => "Down",
                    key => key.symbol_or_name(),
                };
                if s.modifiers.command {
                    format!("Ctrl+{name}")
                } else {
                    name.to_string()
                }
            })
            .collect();
        keys.extend(self.text().map(str::to_string));
        keys.join(" or ")
    }

    /// A character that triggers it, where the key behind it differs between keyboard
    /// layouts (`@` is Shift+2 on some, AltGr+Q on others).
    pub fn text(self) -> Option<&'static str> {
        match self {
            Command::Suspend => Some("@"),
            Command::Help => Some("?"),
            _ => None,
        }
    }

    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        let plain = |key| KeyboardShortcut::new(Modifiers::NONE, key);
        match self {
            Command::ShowAnswer => vec![plain(Key::Space), plain(Key::Enter)],
            Command::Grade(d) => {
                let key = match d {
                    0 => Key::Num0,
                    1 => Key::Num1,
                    2 => Key::Num2,
                    3 => Key::Num3,
                    4 => Key::Num4,
                    _ => Key::Num5,
                };
                vec![plain(key)]
            }
            Command::Undo => vec![KeyboardShortcut::new(Modifiers::COMMAND, Key::Z)],
            Command::Back => vec![plain(Key::Escape)],
            Command::CardInfo => vec![plain(Key::I)],
            Command::Add => vec![plain(Key::A)],
            Command::Suspend | Command::Help => Vec::new(),
            Command::Bury => vec![plain(Key::Minus)],
            Command::Flag(n) => {
                let key = match n {
                    1 => Key::Num1,
                    2 => Key::Num2,
                    3 => Key::Num3,
                    _ => Key::Num4,
                };
                vec![KeyboardShortcut::new(Modifiers::COMMAND, key)]
            }
            Command::Browse | Command::BrowseAll => vec![plain(Key::B)],
            Command::Up => vec![plain(Key::ArrowUp)],
            Command::Down => vec![plain(Key::ArrowDown)],
            Command::Open => vec![plain(Key::Enter)],
            Command::Search => vec![plain(Key::Slash)],
            Command::Stats => vec![plain(Key::T)],
            Command::Sync => vec![plain(Key::Y)],
        }
    }
}

/// Takes this frame's presses of the `wanted` commands out of the input, so that no widget sees
/// them too (a focused button would treat Space or Enter as a click). Key repeats are dropped:
/// holding a key down does one action.
pub fn take(ctx: &Context, wanted: &[Command]) -> Vec<Command> {
    let mut found = Vec::new();
    ctx.input_mut(|input| {
        input.events.retain(|event| {
            if let Event::Text(text) = event {
                return match wanted.iter().find(|c| c.text() == Some(text.as_str())) {
                    Some(command) => {
                        found.push(*command);
                        false
                    }
                    None => true,
                };
            }
            let Event::Key {
                key,
                pressed,
                repeat,
                modifiers,
                ..
            } = event
            else {
                return true;
            };
            // Shift must be asked for: Shift+2 types '@' on some layouts, not grade 2.
            let matched = wanted.iter().find(|c| {
                c.shortcuts().iter().any(|s| {
                    s.logical_key == *key
                        && modifiers.matches_logically(s.modifiers)
                        && (s.modifiers.shift || !modifiers.shift)
                })
            });
            match matched {
                Some(command) => {
                    if *pressed && !*repeat {
                        found.push(*command);
                    }
                    false
                }
                None => true,
            }
        });
    });
    found
}

/// The shortcut overlay: each of `commands` that applies under `grading`, its keys and what
/// it does. True when the user closes it.
pub fn overlay(ctx: &Context, commands: &[Command], grading: Grading) -> bool {
    let mut open = true;
    egui::Window::new("Shortcuts")
        .open(&mut open)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .spacing([24.0, 4.0])
                .show(ui, |ui| {
                    for c in commands.iter().filter(|c| c.applies(grading)) {
                        ui.label(egui::RichText::new(c.keys()).monospace());
                        ui.label(c.describe(grading));
                        ui.end_row();
                    }
                });
        });
    !open
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_of_a_screen_share_a_key() {
        for page in [&Command::REVIEW[..], &Command::DECKS[..]] {
            let mut seen: Vec<(KeyboardShortcut, Command)> = Vec::new();
            for &c in page {
                for s in c.shortcuts() {
                    if let Some((_, other)) = seen.iter().find(|(t, _)| {
                        t.logical_key == s.logical_key
                            && (t.modifiers.matches_logically(s.modifiers)
                                || s.modifiers.matches_logically(t.modifiers))
                    }) {
                        panic!("{c:?} and {other:?} both use {s:?}");
                    }
                    seen.push((s, c));
                }
            }
        }
    }

    #[test]
    fn every_command_has_a_key() {
        for c in Command::REVIEW.into_iter().chain(Command::DECKS) {
            assert!(!c.shortcuts().is_empty() || c.text().is_some(), "{c:?}");
        }
    }
}
