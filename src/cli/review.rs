//! `awscards review`: a line-based review session for terminals and scripts.
//!
//! Prints `Q: <front>` and waits for a line (`u` undoes the previous answer instead), prints
//! `A: <back>`, asks `grade [1-4]: ` (or `[0-5]` with six grades) until it reads a grade, a
//! button name or `u`, records the answer and only then prints `ok <key> next=<N>d`. Prints
//! `done` when nothing is left. End of input ends the session cleanly.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Instant;

use super::{CliError, user};
use crate::app::collection::Collection;
use crate::app::error::AppError;
use crate::app::session::{Scope, Session, leech_notice};
use crate::model::schedule::{Button, Grading};

enum Input {
    Grade(u8),
    Undo,
    /// Suspend the card (`s`), as `@` in the app.
    Suspend,
    /// Bury it until tomorrow (`b`), as `-` in the app.
    Bury,
}

fn parse(line: &str, grading: Grading) -> Option<Input> {
    let t = line.trim();
    if t.eq_ignore_ascii_case("u") || t.eq_ignore_ascii_case("undo") {
        return Some(Input::Undo);
    }
    if t.eq_ignore_ascii_case("s") || t.eq_ignore_ascii_case("suspend") {
        return Some(Input::Suspend);
    }
    if t.eq_ignore_ascii_case("b") || t.eq_ignore_ascii_case("bury") {
        return Some(Input::Bury);
    }
    let named = match grading {
        Grading::FourButtons => Button::parse(t).map(Button::quality),
        Grading::SixGrades => None,
    };
    t.parse::<u8>()
        .ok()
        .and_then(|d| grading.quality_of_digit(d))
        .or(named)
        .map(Input::Grade)
}

/// Reads one line; None at end of input. Bytes that are not UTF-8 become U+FFFD: such a
/// line is an answer the prompt does not understand, and asks again.
fn read_line(input: &mut impl BufRead) -> Result<Option<String>, CliError> {
    let mut line = Vec::new();
    if input.read_until(b'\n', &mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

pub fn run(
    coll: &mut Collection,
    scope: &Scope,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let today = coll.today();
    let mut session = match scope {
        Scope::Deck(deck) => {
            let exists = coll.deck_exists(deck).map_err(user)?;
            if !deck.is_empty() && !exists {
                return Err(user(AppError::UnknownDeck(deck.clone())));
            }
            Session::start(coll, deck, today)
        }
        Scope::Filtered(f) => Session::start_filtered(coll, f, today),
    }
    .map_err(user)?;
    let (range, grading) = match coll.settings.scheduler.grading {
        Grading::FourButtons => ("1-4", Grading::FourButtons),
        Grading::SixGrades => ("0-5", Grading::SixGrades),
    };
    // A person's Enter ends the prompt's line; when the input is a script, end it ourselves so
    // that every `ok` starts a line.
    let echo_newline = !std::io::stdin().is_terminal();
    'cards: while let Some(card_id) = session.current() {
        let card = coll.card(card_id).map_err(user)?;
        writeln!(out, "Q: {}", card.front)?;
        out.flush()?;
        let shown = Instant::now();
        let Some(line) = read_line(input)? else {
            return Ok(());
        };
        match parse(&line, grading) {
            Some(Input::Undo) => {
                undo(&mut session, coll, out)?;
                continue;
            }
            Some(action @ (Input::Suspend | Input::Bury)) => {
                act(&mut session, coll, out, action)?;
                continue;
            }
            _ => {}
        }
        writeln!(out, "A: {}", card.back)?;
        if let Some(note) = &card.note {
            writeln!(out, "Note: {note}")?;
        }
        loop {
            write!(out, "grade [{range}]: ")?;
            out.flush()?;
            let Some(line) = read_line(input)? else {
                return Ok(());
            };
            if echo_newline {
                writeln!(out)?;
            }
            match parse(&line, grading) {
                Some(Input::Grade(q)) => {
                    let now = coll.now();
                    let a = session
                        .answer(coll, q, now, shown.elapsed())
                        .map_err(user)?;
                    writeln!(out, "ok {} next={}d", a.key, a.days_until_next)?;
                    if let Some((lapses, suspended)) = a.leech {
                        writeln!(out, "{}", leech_notice(lapses, suspended))?;
                    }
                    continue 'cards;
                }
                Some(Input::Undo) => {
                    undo(&mut session, coll, out)?;
                    continue 'cards;
                }
                Some(action @ (Input::Suspend | Input::Bury)) => {
                    act(&mut session, coll, out, action)?;
                    continue 'cards;
                }
                None => {
                    let names = match grading {
                        Grading::FourButtons => "1-4 (again, hard, good, easy)",
                        Grading::SixGrades => "a grade from 0 to 5",
                    };
                    writeln!(
                        out,
                        "? answer {names}; s to suspend the card, b to bury it until \
                         tomorrow, u to undo"
                    )?;
                }
            }
        }
    }
    writeln!(out, "done")?;
    out.flush()?;
    Ok(())
}

/// Suspends or buries the current card.
fn act(
    session: &mut Session,
    coll: &mut Collection,
    out: &mut impl Write,
    action: Input,
) -> Result<(), CliError> {
    let today = coll.today();
    let (done, what) = match action {
        Input::Suspend => (session.suspend_current(coll), "suspended"),
        _ => (session.bury_current(coll, today), "buried until tomorrow"),
    };
    if let Some(id) = done.map_err(user)? {
        writeln!(out, "{what} {}", coll.card(id).map_err(user)?.key)?;
    }
    Ok(())
}

fn undo(
    session: &mut Session,
    coll: &mut Collection,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let today = coll.today();
    match session.undo(coll, today).map_err(user)? {
        Some(id) => {
            let card = coll.card(id).map_err(user)?;
            writeln!(out, "undone {}", card.key)?;
        }
        None => writeln!(out, "nothing to undo")?,
    }
    Ok(())
}
