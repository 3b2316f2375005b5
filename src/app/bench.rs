//! `awscards bench`: times the collection operations on a synthetic deck of any size, through
//! the same code the app uses (facts folder → parse → sync → queue → durable answers → undo).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::collection::Collection;
use super::error::AppError;
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
            "[[service]]\nid = \"svc{d}\"\nname = \"Synthetic service {d}\"\n"
        );
    }
    for i in 0..cards {
        let _ = writeln!(
            toml,
            "[[qa]]\nsubject = \"svc{}\"\nid = \"fact-{i}\"\nfront = \"Synthetic question {i}: which service?\"\nback = \"Answer {i}\"\n",
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

/// What `awscards bench` measures. `--json` prints the figures (milliseconds, medians over
/// repeated runs) and the collection's size; the rest is in the text output.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Reopening the collection, facts unchanged.
    pub open_ms: f64,
    /// Cold: today's first card of the top deck, right after reopening.
    pub queue_ms: f64,
    pub deck_tree_ms: f64,
    /// A durable answer.
    pub answer_ms: f64,
    /// One small write and fsync on the same disk: the floor an answer cannot beat.
    pub fsync_floor_ms: f64,
    /// The median of the four searches a user types (see [`SEARCHES`]).
    pub search_ms: f64,
    /// The plain-text one of them.
    pub search_text_ms: f64,
    /// Every card to Anki's CSV.
    pub export_csv_ms: f64,
    /// The Stats screen's numbers for the whole collection.
    pub stats_ms: f64,
    /// Parsing and generating 100 000 facts (half `[[qa]]`, half items of 2 000-item lists).
    pub generate_ms: f64,
    pub cards: usize,
    pub reviews: usize,
    /// The first sync with an Anki sync server (a full upload), and a normal one with 100 new
    /// answers each way (`--sync-server`; see `bench_sync`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_full_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_normal_ms: Option<f64>,
    /// The new answers on each side of that normal sync (100 where the decks hold as many).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_answers_each_way: Option<usize>,
    #[serde(skip)]
    pub folder: PathBuf,
    #[serde(skip)]
    pub first_open_ms: f64,
    #[serde(skip)]
    pub answer_p95_ms: f64,
    #[serde(skip)]
    pub undo_ms: f64,
    /// A commit of one small row in a database configured as the collection, on the same
    /// disk: the floor an answer through SQLite cannot beat.
    #[serde(skip)]
    pub sqlite_commit_floor_ms: f64,
    /// The browser's rows for every card.
    #[serde(skip)]
    pub browse_ms: f64,
    /// Each of [`SEARCHES`], in order.
    #[serde(skip)]
    pub searches_ms: Vec<f64>,
    /// The slowest of the worst searches the query limits allow.
    #[serde(skip)]
    pub search_hostile_ms: f64,
    /// Switching the scheduler to FSRS (every card's log replayed), then a durable answer and
    /// the cold queue under FSRS.
    #[serde(skip)]
    pub switch_to_fsrs_ms: f64,
    #[serde(skip)]
    pub answer_fsrs_ms: f64,
    #[serde(skip)]
    pub queue_fsrs_ms: f64,
}

/// The four searches, as a user types them: the whole collection by deck, a tag with a
/// property, plain text, a state minus a tag.
pub const SEARCHES: [&str; 4] = [
    "deck:AWS*",
    "tag:svc7 prop:ivl>10",
    "question 123",
    "is:due -tag:svc3",
];

/// Runs of each timed operation; the report takes the median.
const RUNS: usize = 5;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// The median time of `RUNS` runs of `f`.
fn timed(mut f: impl FnMut() -> Result<(), AppError>) -> Result<f64, AppError> {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        f()?;
        times.push(ms(t.elapsed()));
    }
    Ok(median(times))
}

/// Writes the synthetic facts to `folder/facts/`, builds a heavy user's collection at
/// `folder/collection.sqlite` (`cards` cards, 70% in review, `reviews` answers over the last
/// year) and times what a user's day does to it.
pub fn run(
    cards: usize,
    reviews: usize,
    answers: usize,
    folder: &Path,
) -> Result<Report, AppError> {
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
    let mut coll = Collection::open(Some(&db), Some(&facts))?;
    let first_open_ms = ms(t.elapsed());
    let today = coll.today();
    coll.store.seed_history(today, reviews, 42)?;
    drop(coll);

    let open_ms = timed(|| reopen(folder).map(drop))?;
    let queue_ms = cold_queue(folder, today)?;
    let mut coll = reopen(folder)?;
    let deck_tree_ms = timed(|| coll.deck_tree(today).map(drop))?;
    let searches_ms = SEARCHES
        .iter()
        .map(|q| {
            let q = search::parse(q).map_err(|e| AppError::BadSearch {
                context: "search".into(),
                error: e.to_string(),
            })?;
            timed(|| Ok(coll.store.search_ids(&q, today).map(drop)?))
        })
        .collect::<Result<Vec<f64>, AppError>>()?;
    let browse_ms = timed(|| coll.browse(&search::Query::All, today).map(drop))?;
    let search_hostile_ms = hostile_searches(&coll, today)?;
    let csv = folder.join("export.csv");
    let export_csv_ms = timed(|| {
        coll.export_csv(&super::export::CardScope::All, &csv)
            .map(drop)
    })?;
    let stats_ms = timed(|| coll.stats_report(&super::export::CardScope::All).map(drop))?;
    let fsync_floor_ms = fsync_floor(folder).map_err(io)?;
    let sqlite_commit_floor_ms = median(
        crate::store::time_one_row_commits(&folder.join("commit-floor.sqlite"), 200)?
            .into_iter()
            .map(ms)
            .collect(),
    );
    let (answer_times, undo_ms) = time_answers(&mut coll, answers)?;
    let (_, generation) = time_generation(100_000)?;
    let (switch_to_fsrs_ms, answer_fsrs_ms) = time_fsrs(&mut coll, answers)?;
    drop(coll);
    let queue_fsrs_ms = cold_queue(folder, today)?;
    let report = Report {
        open_ms,
        queue_ms,
        deck_tree_ms,
        answer_ms: median(answer_times.clone()),
        fsync_floor_ms,
        search_ms: median(searches_ms.clone()),
        search_text_ms: searches_ms[2],
        export_csv_ms,
        stats_ms,
        generate_ms: ms(generation),
        cards,
        reviews,
        sync_full_ms: None,
        sync_normal_ms: None,
        sync_answers_each_way: None,
        folder: folder.to_path_buf(),
        first_open_ms,
        answer_p95_ms: percentile(answer_times, 0.95),
        undo_ms,
        sqlite_commit_floor_ms,
        browse_ms,
        searches_ms,
        search_hostile_ms,
        switch_to_fsrs_ms,
        answer_fsrs_ms,
        queue_fsrs_ms,
    };
    std::fs::write(folder.join("report.json"), report.everything().to_string()).map_err(io)?;
    Ok(report)
}

impl Report {
    /// Every figure, the four searches each by its query: what `run` leaves in the folder as
    /// `report.json` for tools (benches/anki_compare.py), beside the `--json` keys.
    pub fn everything(&self) -> serde_json::Value {
        let mut all = serde_json::to_value(self).unwrap_or_default();
        if let Some(map) = all.as_object_mut() {
            for (key, value) in [
                ("first_open_ms", self.first_open_ms),
                ("answer_p95_ms", self.answer_p95_ms),
                ("undo_ms", self.undo_ms),
                ("sqlite_commit_floor_ms", self.sqlite_commit_floor_ms),
                ("browse_ms", self.browse_ms),
                ("search_hostile_ms", self.search_hostile_ms),
                ("switch_to_fsrs_ms", self.switch_to_fsrs_ms),
                ("answer_fsrs_ms", self.answer_fsrs_ms),
                ("queue_fsrs_ms", self.queue_fsrs_ms),
            ] {
                map.insert(key.into(), value.into());
            }
            let searches: serde_json::Map<String, serde_json::Value> = SEARCHES
                .iter()
                .zip(&self.searches_ms)
                .map(|(q, ms)| (q.to_string(), (*ms).into()))
                .collect();
            map.insert("searches_ms".into(), searches.into());
        }
        all
    }
}

/// The collection [`run`] built in `folder`, opened again (facts unchanged).
pub fn reopen(folder: &Path) -> Result<Collection, AppError> {
    Collection::open(
        Some(&folder.join("collection.sqlite")),
        Some(&folder.join("facts")),
    )
}

fn percentile(mut values: Vec<f64>, p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let i = ((values.len().saturating_sub(1)) as f64 * p).round() as usize;
    values.get(i).copied().unwrap_or(0.0)
}

/// `answers` durable answers, each Good, of the top deck's cards as its session gives them
/// (the collection's due reviews, and the day's new cards among them): what a heavy user's
/// day does, and what benches/anki_compare.py does to Anki. Then up to 50 undos: the answer
/// times, and the undos' median.
fn time_answers(coll: &mut Collection, answers: usize) -> Result<(Vec<f64>, f64), AppError> {
    const GOOD: u8 = 4;
    let limits = coll.settings;
    coll.settings.reviews_per_day = u32::MAX;
    let today = coll.today();
    let mut session = Session::start(coll, crate::model::cardgen::ROOT_DECK, today)?;
    let mut times = Vec::with_capacity(answers);
    for _ in 0..answers {
        if session.current().is_none() {
            break;
        }
        let now = coll.now();
        let t = Instant::now();
        session.answer(coll, GOOD, now, Duration::from_secs(3))?;
        times.push(ms(t.elapsed()));
    }
    let mut undos = Vec::new();
    for _ in 0..times.len().min(50) {
        let t = Instant::now();
        session.undo(coll, today)?;
        undos.push(ms(t.elapsed()));
    }
    // The collection keeps its daily limits (the switch to FSRS saves the settings).
    coll.settings = limits;
    Ok((times, median(undos)))
}

/// Switches the collection to FSRS (timed once), then times durable answers under it (median).
fn time_fsrs(coll: &mut Collection, answers: usize) -> Result<(f64, f64), AppError> {
    let mut settings = coll.settings;
    settings.scheduler.algorithm = crate::model::schedule::Algorithm::Fsrs;
    let t = Instant::now();
    coll.save_settings(settings)?;
    let switch_ms = ms(t.elapsed());
    let (answer_times, _) = time_answers(coll, answers)?;
    Ok((switch_ms, median(answer_times)))
}

/// Cold: today's first card of the top deck right after reopening, median of [`RUNS`].
fn cold_queue(folder: &Path, today: chrono::NaiveDate) -> Result<f64, AppError> {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let coll = reopen(folder)?;
        let t = Instant::now();
        let session = Session::start(&coll, crate::model::cardgen::ROOT_DECK, today)?;
        let first = session.current().map(|id| coll.card(id)).transpose()?;
        times.push(ms(t.elapsed()));
        drop(first);
    }
    Ok(median(times))
}

/// The median of 50 small writes, each followed by fsync, in `folder`.
fn fsync_floor(folder: &Path) -> std::io::Result<f64> {
    use std::io::Write as _;
    let path = folder.join("fsync-floor.tmp");
    let mut file = std::fs::File::create(&path)?;
    let mut times = Vec::with_capacity(50);
    for i in 0..50u8 {
        let t = Instant::now();
        file.write_all(&[i; 64])?;
        file.sync_all()?;
        times.push(ms(t.elapsed()));
    }
    drop(file);
    std::fs::remove_file(&path)?;
    Ok(median(times))
}

/// The slowest of the worst queries the limits allow: patterns that make a backtracking
/// matcher quadratic, and as many long wildcard terms as fit in one query.
fn hostile_searches(coll: &Collection, today: chrono::NaiveDate) -> Result<f64, AppError> {
    let many = |term: &dyn Fn(usize) -> String| {
        (0..search::MAX_PATTERN_TERMS)
            .map(term)
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let mut slowest: f64 = 0.0;
    for q in [
        format!("deck:{}b", "a*".repeat(97)),
        format!("\"{}b\"", "*a".repeat(99)),
        format!("tag:{}", "s*".repeat(98)),
        many(&|i| format!("*q{i}*z")),
        many(&|i| format!("\"{}{i}\"", "*a".repeat(58))),
    ] {
        let q = search::parse(&q).map_err(|e| AppError::BadSearch {
            context: "search".into(),
            error: e.to_string(),
        })?;
        let t = Instant::now();
        coll.store.search_ids(&q, today)?;
        slowest = slowest.max(ms(t.elapsed()));
    }
    Ok(slowest)
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
