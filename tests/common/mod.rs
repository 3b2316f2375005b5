//! Helpers shared by the integration tests that run the `awscards` binary.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The binary, with no inherited awscards environment.
pub fn awscards() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_awscards"));
    cmd.env_remove("AWSCARDS_DB").env_remove("AWSCARDS_NOW");
    cmd
}

pub fn run(args: &[&str]) -> Output {
    awscards().args(args).output().expect("runs awscards")
}

/// Runs `cmd` with `input` on its standard input, and collects its output.
pub fn run_with_input(mut cmd: Command, input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs awscards");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin.write_all(input.as_bytes()).expect("writes the input");
    drop(stdin);
    child.wait_with_output().expect("awscards finishes")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A copy of the bundled `cards/` folder in `dir`.
pub fn copy_cards(dir: &Path) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("cards");
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
}

/// The Python interpreter that has the reference packages of tests/requirements.txt:
/// `AWSCARDS_PYTHON`, or the virtual environment `./run-tests` makes in target/pyenv.
/// Under `CI=true` a missing interpreter fails the calling test; elsewhere the test is told
/// to skip (and says so), so that a plain `cargo test` works before `./run-tests` has run.
pub fn reference_python() -> Option<std::path::PathBuf> {
    let found = match std::env::var_os("AWSCARDS_PYTHON") {
        Some(p) => Some(std::path::PathBuf::from(p)),
        None => {
            let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyenv/bin/python");
            venv.exists().then_some(venv)
        }
    };
    if found.is_none() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but no Python with the reference packages: run ./run-tests or set AWSCARDS_PYTHON"
        );
        eprintln!("SKIPPED outside CI: no target/pyenv; run ./run-tests to set it up");
    }
    found
}

/// Opens the collection at `db` with its clock at `now`, and answers the first three cards of
/// today's session Good, Again, Good (5 s each): a small history for the statistics.
pub fn seeded_collection(db: &Path, now: &str) -> awscards::app::collection::Collection {
    use awscards::app::clock::Clock;
    use awscards::app::session::Session;
    let now = chrono::DateTime::parse_from_rfc3339(now).expect("a time");
    let mut coll =
        awscards::app::collection::Collection::open_with_clock(Some(db), None, Clock::Fixed(now))
            .expect("opens");
    let mut session = Session::start(&coll, "", coll.today()).expect("a session");
    for quality in [4, 1, 4] {
        session
            .answer(&mut coll, quality, now, std::time::Duration::from_secs(5))
            .expect("answered");
    }
    coll
}

/// Noon UTC of `day`.
pub fn noon(day: chrono::NaiveDate) -> chrono::DateTime<chrono::FixedOffset> {
    day.and_hms_opt(12, 0, 0).unwrap().and_utc().fixed_offset()
}

/// The collection at `db` (bundled deck), its clock fixed at noon of `day`.
pub fn open_on(db: &Path, day: chrono::NaiveDate) -> awscards::app::collection::Collection {
    awscards::app::collection::Collection::open_with_clock(
        Some(db),
        None,
        awscards::app::clock::Clock::Fixed(noon(day)),
    )
    .unwrap()
}

/// The binary on the collection at `db`, its clock at `now`.
pub fn with_db(db: &Path, now: &str) -> Command {
    let mut cmd = awscards();
    cmd.env("AWSCARDS_DB", db).env("AWSCARDS_NOW", now);
    cmd
}

pub fn run_db(db: &Path, now: &str, args: &[&str]) -> Output {
    with_db(db, now).args(args).output().unwrap()
}

/// Answers `n` cards Good in `awscards review` at `now`, then kills it with SIGKILL right
/// after the n-th confirmation: the answers are confirmed, and live in the -wal file. Returns
/// the keys confirmed.
pub fn answer_then_kill(db: &Path, now: &str, n: usize) -> Vec<String> {
    let mut child = with_db(db, now)
        .arg("review")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap());
    let mut oks = Vec::new();
    let mut line = String::new();
    while oks.len() < n {
        line.clear();
        assert!(
            lines.read_line(&mut line).unwrap() > 0,
            "review ended early"
        );
        if line.starts_with("Q: ") {
            stdin.write_all(b"\n4\n").unwrap();
            stdin.flush().unwrap();
        } else if let Some(rest) = line.strip_prefix("ok ") {
            oks.push(rest.split_whitespace().next().unwrap().to_string());
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    oks
}

/// Overwrites one page in the middle of the file (a disk error, a bad copy).
pub fn damage(db: &Path) {
    use std::io::{Seek, SeekFrom};
    let mut f = std::fs::OpenOptions::new().write(true).open(db).unwrap();
    let len = f.metadata().unwrap().len();
    f.seek(SeekFrom::Start(len / 4096 / 2 * 4096)).unwrap();
    f.write_all(&[0x55; 4096]).unwrap();
    f.sync_all().unwrap();
}

/// The cards the bundled decks make.
pub fn bundled_cards() -> Vec<awscards::model::cardgen::Card> {
    let facts = awscards::model::facts::parse(&awscards::model::bundled_files())
        .expect("the bundled facts parse");
    awscards::model::cardgen::generate(&facts)
}

/// A facts folder `dir/facts` holding `cards` synthetic cards (see `awscards::app::bench`).
pub fn synthetic_facts_folder(dir: &Path, cards: usize) -> std::path::PathBuf {
    let facts = dir.join("facts");
    std::fs::create_dir(&facts).expect("creates the facts folder");
    std::fs::write(
        facts.join("synthetic.toml"),
        awscards::app::bench::synthetic_facts(cards),
    )
    .expect("writes the facts");
    facts
}
