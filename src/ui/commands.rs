//! Keyboard shortcuts: one enum, its keys, and the code that consumes them at the top of the
//! frame so that one key press is one action.

use egui::{Context, Event, Key, KeyboardShortcut, Modifiers};

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
}

impl Command {
    pub const ALL: [Command; 11] = [
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
    ];

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
            let matched = wanted.iter().find(|c| {
                c.shortcuts()
                    .iter()
                    .any(|s| s.logical_key == *key && modifiers.matches_logically(s.modifiers))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_key() {
        let mut seen: Vec<(KeyboardShortcut, Command)> = Vec::new();
        for c in Command::ALL {
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

    #[test]
    fn every_command_has_a_key() {
        for c in Command::ALL {
            assert!(!c.shortcuts().is_empty(), "{c:?}");
        }
    }
}
