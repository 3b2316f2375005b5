//! `awscards bench`: times the collection operations on a synthetic deck of any size, through
//! the same code the app uses (facts folder → parse → sync → queue → durable answers → undo).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::collection::{AppError, Collection};
use super::session::Session;
use crate::model::search;

/// Services (and so decks) in the synthetic deck.
const DECKS: usize = 50;

/// A facts file with `cards` one-card facts spread over 50 decks.
pub fn synthetic_facts(cards: usize) -> String {
    let mut toml = String::with_capacity(cards * 120);
    for d in 0..DECKS {
        let _ = writeln!(
            toml,
            "[[service]]\nid = \"svc-{d}\"\nname = \"Synthetic service {d}\"\n"
        );
    }
    for i in 0..cards {
        let _ = writeln!(
            toml,
            "[[qa]]\nsubject = \"svc-{}\"\nid = \"fact-{i}\"\nfront = \"Synthetic question {i}: which service?\"\nback = \"Answer {i}\"\n",
            i % DECKS
        );
    }
    toml
}

/// Facts for timing the generator on a hostile shape: `facts` facts about as many services,
/// half of them `[[qa]]`, half items of lists of 2 000 (long lists and many services were
/// what made generation quadratic).
pub fn generation_facts(facts: usize) -> String {
    const LIST: usize = 2_000;
    let mut toml = String::with_capacity(facts * 150);
    for i in 0..facts {
        let _ = writeln!(toml, "[[service]]\nid = \"s{i}\"\nname = \"Service {i}\"\n");
    }
    let qas = facts / 2;
    for i in 0..qas {
        let _ = writeln!(
            toml,
            "[[qa]]\nsubject = \"s{i}\"\nid = \"q\"\nfront = \"Question {i}?\"\nback = \"Answer {i}\"\n"
        );
    }
    for (n, start) in (qas..facts).step_by(LIST).enumerate() {
        let _ = writeln!(
            toml,
            "[[list]]\nsubject = \"s{n}\"\nrelation = \"r{n}\"\nquestion = \"Which one is {{cue}}?\"\nitems = ["
        );
        for i in start..(start + LIST).min(facts) {
            let _ = writeln!(toml, "  {{ ref = \"s{i}\", cue = \"cue {i}\" }},");
        }
        toml.push_str("]\n\n");
    }
    toml
}

/// Facts → cards for `facts` facts of [`generation_facts`]: parse and generate, in memory.
pub fn time_generation(facts: usize) -> Result<(usize, Duration), AppError> {
    let files = [crate::model::facts::SourceFile {
        name: "generation.toml".into(),
        text: generation_facts(facts),
    }];
    let t = Instant::now();
    let parsed = crate::model::facts::parse(&files)
        .map_err(|e| AppError::Facts(super::deck::LoadError::Facts(e)))?;
    let cards = crate::model::cardgen::generate(&parsed);
    Ok((cards.len(), t.elapsed()))
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub cards: usize,
    pub folder: PathBuf,
    pub first_open_ms: f64,
    pub reopen_ms: f64,
    pub deck_tree_ms: f64,
    pub session_start_ms: f64,
    pub answers: usize,
    pub answer_p50_ms: f64,
    pub answer_p95_ms: f64,
    pub answer_max_ms: f64,
    pub undo_p50_ms: f64,
    /// The browser's rows for the empty search (every card).
    pub browse_all_ms: f64,
    /// A text search over fronts and backs.
    pub search_text_ms: f64,
    /// A structured search (deck, state and property).
    pub search_structured_ms: f64,
    /// The slowest of the worst searches the query limits allow.
    pub search_hostile_ms: f64,
    /// Parsing and generating 100 000 facts (half `[[qa]]`, half items of 2 000-item lists).
    pub generate_ms: f64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    ms(sorted[i.min(sorted.len() - 1)])
}

/// Writes the synthetic facts to `folder/facts/`, opens a new collection at
/// `folder/collection.sqlite` and times what a user's day does to it.
pub fn run(cards: usize, answers: usize, folder: &Path) -> Result<Report, AppError> {
    let facts = folder.join("facts");
    let db = folder.join("collection.sqlite");
    let io = |e: std::io::Error| AppError::CannotWrite {
        path: folder.to_path_buf(),
        why: e.to_string(),
    };
    std::fs::create_dir_all(&facts).map_err(io)?;
    for stale in [
        "collection.sqlite",
        "collection.sqlite-wal",
        "collection.sqlite-shm",
    ] {
        let path = folder.join(stale);
        if path.exists() {
            std::fs::remove_file(path).map_err(io)?;
        }
    }
    std::fs::write(facts.join("synthetic.toml"), synthetic_facts(cards)).map_err(io)?;

    let t = Instant::now();
    let coll = Collection::open(Some(&db), Some(&facts))?;
    let first_open = t.elapsed();
    drop(coll);

    let t = Instant::now();
    let mut coll = Collection::open(Some(&db), Some(&facts))?;
    let reopen = t.elapsed();
    coll.settings.new_per_day = u32::try_from(answers).unwrap_or(u32::MAX);

    let today = coll.today();
    let t = Instant::now();
    coll.deck_tree(today)?;
    let deck_tree = t.elapsed();

    let t = Instant::now();
    let mut session = Session::start(&coll, "", today)?;
    let session_start = t.elapsed();

    let mut answer_times = Vec::with_capacity(answers);
    for i in 0..answers {
        if session.current().is_none() {
            break;
        }
        let quality = if i % 5 == 0 { 1 } else { 4 };
        let now = coll.now();
        let t = Instant::now();
        session.answer(&mut coll, quality, now, Duration::from_secs(3))?;
        answer_times.push(t.elapsed());
    }
    let mut undo_times = Vec::new();
    for _ in 0..answer_times.len().min(50) {
        let t = Instant::now();
        session.undo(&mut coll, today)?;
        undo_times.push(t.elapsed());
    }
    answer_times.sort();
    undo_times.sort();

    let timed = |query: &str, browse: bool| -> Result<f64, AppError> {
        let q = search::parse(query).map_err(|e| AppError::BadSearch {
            context: "search".into(),
            error: e.to_string(),
        })?;
        let t = Instant::now();
        if browse {
            coll.store.browse(&q, today)?;
        } else {
            coll.store.search_ids(&q, today)?;
        }
        Ok(ms(t.elapsed()))
    };
    let browse_all_ms = timed("", true)?;
    let search_text_ms = timed("\"question 4242\" or answer*99", false)?;
    let search_structured_ms = timed(
        "deck:*service*1* -is:new prop:ivl>=1 or prop:lapses>0",
        false,
    )?;
    // The worst queries the limits allow: patterns that make a backtracking matcher quadratic,
    // and as many long wildcard terms as fit in one query.
    let many = |term: &dyn Fn(usize) -> String| {
        (0..search::MAX_PATTERN_TERMS)
            .map(term)
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let mut search_hostile_ms: f64 = 0.0;
    for q in [
        format!("deck:{}b", "a*".repeat(97)),
        format!("\"{}b\"", "*a".repeat(99)),
        format!("tag:{}", "s*".repeat(98)),
        many(&|i| format!("*q{i}*z")),
        many(&|i| format!("\"{}{i}\"", "*a".repeat(58))),
    ] {
        search_hostile_ms = search_hostile_ms.max(timed(&q, false)?);
    }
    let (_, generation) = time_generation(100_000)?;
    Ok(Report {
        cards,
        folder: folder.to_path_buf(),
        first_open_ms: ms(first_open),
        reopen_ms: ms(reopen),
        deck_tree_ms: ms(deck_tree),
        session_start_ms: ms(session_start),
        answers: answer_times.len(),
        answer_p50_ms: percentile(&answer_times, 0.5),
        answer_p95_ms: percentile(&answer_times, 0.95),
        answer_max_ms: answer_times.last().map_or(0.0, |d| ms(*d)),
        undo_p50_ms: percentile(&undo_times, 0.5),
        browse_all_ms,
        search_text_ms,
        search_structured_ms,
        search_hostile_ms,
        generate_ms: ms(generation),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{cardgen, facts};

    #[test]
    fn synthetic_facts_make_exactly_the_cards_asked_for() {
        let files = [facts::SourceFile {
            name: "s.toml".into(),
            text: synthetic_facts(123),
        }];
        let cards = cardgen::generate(&facts::parse(&files).unwrap());
        assert_eq!(cards.len(), 123);
    }

    #[test]
    fn generation_facts_make_one_card_a_fact() {
        assert_eq!(time_generation(5_000).unwrap().0, 5_000);
    }
}
