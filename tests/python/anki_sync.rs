//! `awscards sync` against Anki's own sync server (`python -m anki.syncserver` from the test
//! venv, on 127.0.0.1 and a free port, with a test user), the other device being Anki's own
//! client (tests/data/anki_sync.py): the first sync uploads the collection, and Anki's full
//! download holds every card with our schedule; answers made in Anki come back, ours reach
//! Anki, and the learner's own Anki deck survives every round untouched; faults are said in
//! words and change nothing.

use crate::common;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{awscards, run_with_input, stderr, stdout};
use serde_json::Value;

const USER: &str = "learner";
const PASSWORD: &str = "s3cret";

/// Anki's sync server, stopped when dropped.
struct Server {
    child: Child,
    url: String,
    _base: tempfile::TempDir,
}

impl Server {
    fn start(python: &Path) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let base = tempfile::tempdir().unwrap();
        let child = Command::new(python)
            .args(["-m", "anki.syncserver"])
            .env("SYNC_USER1", format!("{USER}:{PASSWORD}"))
            .env("SYNC_HOST", "127.0.0.1")
            .env("SYNC_PORT", port.to_string())
            .env("SYNC_BASE", base.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the sync server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Server {
            child,
            url: format!("http://127.0.0.1:{port}/"),
            _base: base,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server at 127.0.0.1 that reads each request and writes `answer` (raw HTTP), then
/// closes the connection: its URL.
fn bad_server(answer: &'static [u8]) -> String {
    use std::io::{Read, Write};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let mut buf = [0u8; 65536];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(answer);
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// A proxy at 127.0.0.1 in front of the server at `to` that passes every request on, but
/// answers 500 to `sync/{refused}`: its URL.
fn refusing_proxy(to: &str, refused: &'static str) -> String {
    use std::io::{Read, Write};
    let to = to
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            // The request: its head, and as many bytes of body as it says.
            let mut request = Vec::new();
            let mut buf = [0u8; 65536];
            let head = loop {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break None,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
                if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                    break Some(end + 4);
                }
            };
            let Some(head) = head else { continue };
            let text = String::from_utf8_lossy(&request[..head]).to_lowercase();
            let length: usize = text
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |n| n.trim().parse().unwrap());
            while request.len() < head + length {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            if text.starts_with(&format!("post /sync/{refused} ")) {
                let _ = stream.write_all(
                    b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops!",
                );
                continue;
            }
            // Passed on, one request to a connection.
            let mut server = TcpStream::connect(&to).unwrap();
            server.write_all(&request[..head - 2]).unwrap();
            server.write_all(b"Connection: close\r\n\r\n").unwrap();
            server.write_all(&request[head..]).unwrap();
            let mut answer = Vec::new();
            let _ = server.read_to_end(&mut answer);
            let _ = stream.write_all(&answer);
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// A sync server, and a collection in a new folder with `grades` answered.
fn answered(python: &Path, grades: &[&str]) -> (Server, tempfile::TempDir, PathBuf) {
    let server = Server::start(python);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    review(&db, grades);
    (server, dir, db)
}

/// [`answered`], synced (a full upload), and an Anki collection that downloaded it.
fn both_synced(
    python: &Path,
    grades: &[&str],
) -> (
    Server,
    tempfile::TempDir,
    PathBuf,
    tempfile::TempDir,
    PathBuf,
) {
    let (server, dir, db) = answered(python, grades);
    sync_json(&db, &["--server", &server.url, "--user", USER]);
    let (anki_dir, collection) = anki_collection();
    anki_sync(python, &server, &collection, 0, 0);
    (server, dir, db, anki_dir, collection)
}

/// Where a new Anki collection goes (its folder lives as long as the first value).
fn anki_collection() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let collection = dir.path().join("collection.anki2");
    (dir, collection)
}

fn with_db(db: &Path) -> Command {
    let mut cmd = awscards();
    cmd.env("AWSCARDS_DB", db)
        .env("AWSCARDS_SYNC_PASSWORD", PASSWORD);
    cmd
}

fn sync(db: &Path, args: &[&str]) -> Output {
    with_db(db)
        .arg("sync")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn sync_json(db: &Path, args: &[&str]) -> Value {
    let o = sync(db, &[args, &["--json"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Answers `grades` (one per card, as typed at the review prompt) in the top deck.
fn review(db: &Path, grades: &[&str]) {
    let input: String = grades.iter().map(|g| format!("\n{g}\n")).collect();
    let mut cmd = with_db(db);
    cmd.arg("review");
    let o = run_with_input(cmd, &input);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Anki's client syncing the collection at `collection`, answering `answers` cards and adding
/// `notes` notes of its own first.
fn anki_sync(python: &Path, server: &Server, collection: &Path, answers: u32, notes: u32) -> Value {
    anki_sync_with(python, server, collection, answers, notes, &[])
}

/// [`anki_sync`] with more of the script's options.
fn anki_sync_with(
    python: &Path,
    server: &Server,
    collection: &Path,
    answers: u32,
    notes: u32,
    more: &[&str],
) -> Value {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let o = Command::new(python)
        .env("PYTHONPATH", &data)
        .arg(data.join("anki_sync.py"))
        .args([&server.url, USER, PASSWORD])
        .arg(collection)
        .args([
            "--answer",
            &answers.to_string(),
            "--notes",
            &notes.to_string(),
        ])
        .args(more)
        .output()
        .unwrap();
    assert!(o.status.success(), "Anki failed: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("JSON from the Anki script")
}

/// Our studied cards by key: (interval, ease factor ×1000, due day, lapses, answers).
fn studied(db: &Path) -> Vec<(String, i64, i64, i64, i64, i64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT key, interval_days, ease, due_day, lapses,
                 (SELECT count(*) FROM review_log l WHERE l.card_id = c.id)
             FROM cards c WHERE is_new = 0 AND retired = 0 ORDER BY key",
        )
        .unwrap();
    stmt.query_map([], |r| {
        let ease: f64 = r.get(2)?;
        Ok((
            r.get(0)?,
            r.get(1)?,
            (ease * 1000.0).round() as i64,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// Answers in our review log.
fn answers(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))
        .unwrap()
}

fn files(db: &Path) -> Vec<Vec<u8>> {
    ["", "-wal"]
        .iter()
        .map(|s| std::fs::read(format!("{}{s}", db.display())).unwrap_or_default())
        .collect()
}

#[test]
fn the_first_sync_uploads_and_ankis_full_download_holds_our_schedule() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let (server, dir, db) = answered(&python, &["4", "4", "3", "1", "5"]);

    // The first time: logged in, the host key kept for the user alone, the collection sent.
    let s = sync_json(&db, &["--server", &server.url, "--user", USER]);
    assert_eq!(s["kind"], "full_upload", "{s}");
    assert_eq!(s["reviews_sent"], answers(&db), "{s}");
    let login_file: PathBuf = dir.path().join("c.sync-login.json");
    let login = std::fs::read_to_string(&login_file).unwrap();
    assert!(
        !login.contains(PASSWORD) && login.contains("\"key\""),
        "{login}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&login_file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // Again with nothing new: no changes; one more answer: that answer and its card sent
    // (a normal sync).
    assert_eq!(sync_json(&db, &[])["kind"], "no_changes");
    review(&db, &["4"]);
    let s = sync_json(&db, &[]);
    assert_eq!(s["kind"], "normal", "{s}");
    assert_eq!(
        (&s["reviews_sent"], &s["cards_sent"]),
        (&1.into(), &1.into()),
        "{s}"
    );

    // Anki, a new collection, downloads it: every card ours, each studied one with our
    // interval, ease, due date, lapses and answers.
    let (_anki_dir, collection) = anki_collection();
    let anki = anki_sync(&python, &server, &collection, 0, 0);
    assert_eq!(anki["required"], "FULL_DOWNLOAD");
    let cards = anki["cards"].as_array().unwrap();
    let ours = studied(&db);
    assert!(ours.len() >= 3, "{ours:?}");
    agree(&db, &anki);
    let ours_all = with_db(&db).args(["cards", "--json"]).output().unwrap();
    let ours_all: Value = serde_json::from_slice(&ours_all.stdout).unwrap();
    assert_eq!(cards.len(), ours_all.as_array().unwrap().len());

    // Anki answers 10 cards and syncs (a normal sync: what Anki's sync leaves to do is
    // nothing); awscards' normal sync takes exactly those 10, each card rescheduled, and a
    // second adds none.
    let anki = anki_sync(&python, &server, &collection, 10, 0);
    assert_eq!(anki["required"], "NO_CHANGES");
    let theirs = anki["added"].as_array().unwrap().clone();
    assert_eq!(theirs.len(), 10);
    let before = answers(&db);
    let s = sync_json(&db, &[]);
    assert_eq!(s["kind"], "normal", "{s}");
    assert_eq!(s["reviews_received"], 10, "{s}");
    assert_eq!(answers(&db), before + 10);
    let s = sync_json(&db, &[]);
    assert_eq!(
        (&s["kind"], &s["reviews_received"]),
        (&"no_changes".into(), &0.into()),
        "{s}"
    );
    // Anki's normal sync takes our schedule of those cards: both agree.
    let anki = anki_sync(&python, &server, &collection, 0, 0);
    assert_eq!(anki["required"], "NO_CHANGES");
    agree(&db, &anki);
    // Anki's sync moved the server's stamp: a normal sync with nothing in it, then none.
    settled(&db);
    assert_eq!(
        anki_sync(&python, &server, &collection, 0, 0)["required"],
        "NO_CHANGES"
    );
}

/// After another device's sync moved the server's stamp: a sync that sends and receives no
/// answer, then one with no changes.
fn settled(db: &Path) {
    let s = sync_json(db, &[]);
    assert_eq!(
        (&s["reviews_sent"], &s["reviews_received"]),
        (&0.into(), &0.into()),
        "{s}"
    );
    assert_eq!(sync_json(db, &[])["kind"], "no_changes");
}

/// Anki's card of the note `guid`, in what the script printed.
fn anki_card<'a>(anki: &'a Value, guid: &str) -> &'a Value {
    let cards = anki["cards"].as_array().unwrap();
    cards.iter().find(|c| c["guid"] == guid).unwrap()
}

/// Anki's cards (from the script) hold ours: interval, ease, due date, lapses and answers.
fn agree(db: &Path, anki: &Value) {
    let today = awscards::model::card::day_number(chrono::Local::now().date_naive());
    let anki_today = anki["today"].as_i64().unwrap();
    for (key, ivl, factor, due, lapses, answers) in &studied(db) {
        let card = anki_card(anki, key);
        assert_eq!(card["ivl"].as_i64(), Some(*ivl), "{key}");
        assert_eq!(card["factor"].as_i64(), Some(*factor), "{key}");
        assert_eq!(card["lapses"].as_i64(), Some(*lapses), "{key}");
        assert_eq!(card["revlog"].as_i64(), Some(*answers), "{key}");
        assert_eq!(
            card["due"].as_i64().unwrap() - anki_today,
            due - today,
            "{key}"
        );
    }
}

#[test]
fn a_card_answered_on_both_sides_keeps_both_answers_and_one_state() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let (server, _dir, db, _anki_dir, collection) = both_synced(&python, &["4"]);
    // Anki answers its first new card and syncs; awscards, not synced since, answers the same
    // card (the first new one of its deck here too).
    let anki = anki_sync(&python, &server, &collection, 1, 0);
    let theirs = anki["added"][0].as_i64().unwrap();
    let card = anki["answered"][0].as_str().unwrap().to_string();
    let deck: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT deck FROM cards WHERE key = ?1", [&card], |r| {
            r.get(0)
        })
        .unwrap();
    let mut cmd = with_db(&db);
    cmd.args(["review", "--deck", &deck]);
    let o = run_with_input(cmd, "\n3\n");
    assert!(o.status.success(), "{}", stderr(&o));
    // awscards' normal sync: Anki's answer added, the card rescheduled from both, and sent.
    let s = sync_json(&db, &[]);
    assert_eq!(s["kind"], "normal", "{s}");
    assert_eq!(
        (&s["reviews_received"], &s["reviews_sent"]),
        (&1.into(), &1.into()),
        "{s}"
    );
    let log = |db: &Path| -> Vec<i64> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT anki_id FROM review_log l JOIN cards c ON c.id = l.card_id
                 WHERE c.key = ?1 ORDER BY anki_id",
            )
            .unwrap();
        stmt.query_map([&card], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let ours = log(&db);
    assert_eq!(ours.len(), 2, "{ours:?}");
    assert!(ours.contains(&theirs));
    // Anki's normal sync: the card holds both answers and the one state, on both sides.
    let anki = anki_sync(&python, &server, &collection, 0, 0);
    assert_eq!(anki["required"], "NO_CHANGES");
    let there = anki_card(&anki, &card);
    assert_eq!(there["revlog"], 2);
    agree(&db, &anki);
    let s = sync_json(&db, &[]);
    assert_eq!(
        (&s["reviews_received"], &s["reviews_sent"]),
        (&0.into(), &0.into()),
        "{s}"
    );
}

#[test]
fn a_full_sync_the_server_asks_for_waits_for_a_side_and_loses_no_answer() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let (server, _dir, db, _anki_dir, collection) = both_synced(&python, &["4", "3"]);
    // Anki answers 2 and sends its collection whole; awscards answered 1 meanwhile.
    let anki = anki_sync_with(&python, &server, &collection, 2, 0, &["--force-upload"]);
    assert_eq!(anki["required"], "FULL_SYNC");
    review(&db, &["4"]);
    // Without a side: said, with both ways out, and nothing changed.
    let before = files(&db);
    let o = sync(&db, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let said = stderr(&o);
    assert!(
        said.contains("asks for a full sync") && said.contains("--full-download"),
        "{said}"
    );
    assert_eq!(files(&db), before);
    // Download: Anki's 2 answers taken, ours it lacked sent; a normal sync of Anki then
    // brings them, and both agree.
    let s = sync_json(&db, &["--full-download"]);
    assert_eq!(s["kind"], "full_download", "{s}");
    assert_eq!(
        (&s["reviews_received"], &s["reviews_sent"]),
        (&2.into(), &1.into()),
        "{s}"
    );
    let anki = anki_sync(&python, &server, &collection, 0, 0);
    assert_eq!(anki["required"], "NO_CHANGES");
    agree(&db, &anki);
    // Again Anki sends its whole; now Upload: merged, Anki downloads it, both agree.
    anki_sync_with(&python, &server, &collection, 1, 0, &["--force-upload"]);
    let s = sync_json(&db, &["--full-upload"]);
    assert_eq!(s["kind"], "full_upload", "{s}");
    assert_eq!(s["reviews_received"], 1, "{s}");
    let anki = anki_sync(&python, &server, &collection, 0, 0);
    assert_eq!(anki["required"], "FULL_SYNC");
    agree(&db, &anki);
    // (Anki's download moved the server's stamp: a normal sync with nothing in it.)
    settled(&db);
}

#[test]
fn a_card_suspended_and_flagged_in_anki_is_so_here_and_stays_so_there() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let (server, _dir, db, _anki_dir, collection) = both_synced(&python, &["4"]);
    let key = studied(&db)[0].0.clone();
    let anki = anki_sync_with(
        &python,
        &server,
        &collection,
        0,
        0,
        &["--suspend-and-flag", &key],
    );
    assert_eq!(anki["required"], "NO_CHANGES");
    sync_json(&db, &[]);
    let (suspended, flag): (bool, u8) = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT suspended, flag FROM cards WHERE key = ?1",
            [&key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((suspended, flag), (true, 2));
    // Anki's next sync keeps it so: nothing of ours undid it.
    let anki = anki_sync(&python, &server, &collection, 0, 0);
    let card = anki_card(&anki, &key);
    assert_eq!(card["queue"], -1, "{card}");
    agree(&db, &anki);
}

#[test]
fn the_learners_own_anki_deck_survives_every_round_untouched() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let (server, _dir, db) = answered(&python, &["4", "3"]);
    sync_json(&db, &["--server", &server.url, "--user", USER]);
    // Anki downloads, adds 100 notes of its own Basic type in a deck of its own, and syncs.
    let (_anki_dir, collection) = anki_collection();
    anki_sync(&python, &server, &collection, 0, 0);
    let first = anki_sync(&python, &server, &collection, 0, 100);
    let own = first["own_notes"].clone();
    assert_eq!(own.as_array().unwrap().len(), 100);
    // Ten rounds: awscards answers and syncs (taking what Anki sent), Anki syncs, answers and
    // syncs again, all normal syncs; the 100 notes stay as they were, and both sides agree on
    // our cards.
    for round in 0..10 {
        review(&db, &["4"]);
        let s = sync_json(&db, &[]);
        assert_eq!(s["kind"], "normal", "round {round}: {s}");
        let anki = anki_sync(&python, &server, &collection, 0, 0);
        assert_eq!(anki["required"], "NO_CHANGES", "round {round}");
        assert_eq!(anki["own_notes"], own, "round {round}");
        agree(&db, &anki);
        let anki = anki_sync(&python, &server, &collection, 2, 0);
        assert_eq!(anki["added"].as_array().unwrap().len(), 2, "round {round}");
        let s = sync_json(&db, &[]);
        assert_eq!(s["reviews_received"], 2, "round {round}: {s}");
    }
    let anki = anki_sync(&python, &server, &collection, 0, 0);
    assert_eq!(anki["own_notes"], own);
    agree(&db, &anki);
}

#[test]
fn a_server_that_holds_our_package_imported_in_anki_is_merged_by_guid() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let (server, dir, db) = answered(&python, &["4", "3", "4"]);
    let package = dir.path().join("deck.apkg");
    let o = with_db(&db).arg("export").arg(&package).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // Anki imported our package before, studied, and uploaded to the new server.
    let (_anki_dir, collection) = anki_collection();
    let anki = anki_sync_with(
        &python,
        &server,
        &collection,
        4,
        0,
        &["--import", package.to_str().unwrap()],
    );
    assert_eq!(anki["required"], "FULL_UPLOAD");
    let cards_in_anki = anki["cards"].as_array().unwrap().len();
    // awscards' first sync takes Anki's 4 answers, and sends its own into that collection.
    let before = answers(&db);
    let s = sync_json(&db, &["--server", &server.url, "--user", USER]);
    assert_eq!(s["kind"], "full_upload", "{s}");
    assert_eq!(s["reviews_received"], 4, "{s}");
    assert_eq!(answers(&db), before + 4);
    // Anki downloads it: each card once, with every answer of both sides.
    let anki = anki_sync(&python, &server, &collection, 0, 0);
    assert_eq!(anki["cards"].as_array().unwrap().len(), cards_in_anki);
    agree(&db, &anki);
}

#[test]
fn a_server_without_our_note_type_gets_it_with_our_decks_and_cards_by_a_normal_sync() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let server = Server::start(&python);
    // Anki, with only notes of its own, uploads to the new server.
    let (_anki_dir, collection) = anki_collection();
    let anki = anki_sync(&python, &server, &collection, 0, 5);
    assert_eq!(anki["required"], "FULL_UPLOAD");
    let own = anki["own_notes"].clone();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    review(&db, &["4", "3"]);
    // awscards takes that collection and sends our note type, decks, cards and answers into
    // it: nothing sent whole, so Anki's next sync is a normal one that brings them all.
    let s = sync_json(&db, &["--server", &server.url, "--user", USER]);
    assert_eq!(s["kind"], "full_download", "{s}");
    let ours_all = with_db(&db).args(["cards", "--json"]).output().unwrap();
    let ours_all: Value = serde_json::from_slice(&ours_all.stdout).unwrap();
    let live = ours_all.as_array().unwrap().len();
    assert_eq!(
        (&s["cards_sent"], &s["reviews_sent"]),
        (&live.into(), &answers(&db).into()),
        "{s}"
    );
    let anki = anki_sync(&python, &server, &collection, 0, 0);
    assert_eq!(anki["required"], "NO_CHANGES");
    assert_eq!(anki["own_notes"], own);
    assert_eq!(anki["cards"].as_array().unwrap().len(), live);
    agree(&db, &anki);
    // Anki studies our cards; they come back by a normal sync.
    anki_sync(&python, &server, &collection, 3, 0);
    let s = sync_json(&db, &[]);
    assert_eq!(
        (&s["kind"], &s["reviews_received"]),
        (&"normal".into(), &3.into()),
        "{s}"
    );
}

#[test]
fn a_sync_killed_at_any_point_loses_nothing_and_the_next_one_completes() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let (server, _dir, db, _anki_dir, collection) = both_synced(&python, &["4", "3"]);
    anki_sync(&python, &server, &collection, 3, 0);
    // Each round one more answer here, and a sync killed with SIGKILL somewhere in it (its
    // first request to its last write), at points spread by a fixed seed.
    let mut seed: u64 = 0x5eed;
    for round in 0..30 {
        review(&db, &["4"]);
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let after = Duration::from_millis((seed >> 33) % 400);
        let mut child = with_db(&db)
            .args(["sync", "--json"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(after);
        let _ = child.kill();
        let _ = child.wait();
        // The collection opens whole after every kill.
        let o = with_db(&db).args(["check"]).output().unwrap();
        assert!(o.status.success(), "round {round}: {}", stderr(&o));
    }
    // The next sync completes (or finds that the last killed one had); both sides hold every
    // answer once and agree.
    sync_json(&db, &[]);
    let anki = anki_sync(&python, &server, &collection, 0, 0);
    agree(&db, &anki);
    let ids = |db: &Path| -> Vec<i64> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut stmt = conn
            .prepare("SELECT anki_id FROM review_log WHERE kind <> 'cram' ORDER BY anki_id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let ours = ids(&db);
    let mut unique = ours.clone();
    unique.dedup();
    assert_eq!(ours, unique, "no answer twice");
    assert_eq!(ours.len() as i64, answers(&db));
    let theirs: i64 = anki["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["revlog"].as_i64().unwrap())
        .sum();
    assert_eq!(theirs, answers(&db), "Anki holds every answer once");
}

#[test]
fn a_wrong_password_a_stopped_server_and_a_logout_are_said_and_change_nothing() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let (mut server, dir, db) = answered(&python, &["4"]);
    let before = files(&db);
    let login_file = dir.path().join("c.sync-login.json");

    // Not logged in, and no server named.
    let o = sync(&db, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("give the server and the user"),
        "{}",
        stderr(&o)
    );
    // A wrong password.
    let o = with_db(&db)
        .env("AWSCARDS_SYNC_PASSWORD", "wrong")
        .args(["sync", "--server", &server.url, "--user", USER])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("refused the login"), "{}", stderr(&o));
    assert!(!login_file.exists());
    // No password at all, and no terminal to ask on.
    let o = awscards()
        .env("AWSCARDS_DB", &db)
        .args(["sync", "--server", &server.url, "--user", USER])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("AWSCARDS_SYNC_PASSWORD"),
        "{}",
        stderr(&o)
    );
    assert!(files(&db) == before, "the collection byte for byte");

    // Logged in, then the server stops: said, nothing changed, the login kept.
    sync_json(&db, &["--server", &server.url, "--user", USER]);
    let before = files(&db);
    let _ = server.child.kill();
    let _ = server.child.wait();
    let o = sync(&db, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot reach"), "{}", stderr(&o));
    assert!(files(&db) == before, "the collection byte for byte");
    // A server that answers 500, garbage, or a cut body: said, nothing changed.
    for (answer, said) in [
        (
            &b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops!"[..],
            "answered 500",
        ),
        (
            b"HTTP/1.1 200 OK\r\nanki-original-size: 9\r\nContent-Length: 7\r\n\r\ngarbage",
            "not readable",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"mod\": 1",
            "was cut",
        ),
    ] {
        let url = bad_server(answer);
        std::fs::write(
            &login_file,
            format!(r#"{{"server": "{url}", "user": "{USER}", "key": "k"}}"#),
        )
        .unwrap();
        let o = sync(&db, &[]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(said), "{said}: {}", stderr(&o));
        assert!(files(&db) == before, "{said}: the collection byte for byte");
    }
    // Logged out: the host key is gone.
    let o = sync(&db, &["--logout"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("host key is forgotten"),
        "{}",
        stdout(&o)
    );
    assert!(!login_file.exists());
}

#[test]
fn an_upload_the_server_refuses_keeps_nothing_and_the_next_sync_uploads_again() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let (server, _dir, db) = answered(&python, &["4", "3"]);
    assert_eq!(answers(&db), 2);
    let before = files(&db);
    // What the server holds is recorded while the upload is on its way: refused, it is not
    // kept, and the collection is as it was.
    let proxy = refusing_proxy(&server.url, "upload");
    let o = sync(&db, &["--server", &proxy, "--user", USER]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("answered 500 to upload"),
        "{}",
        stderr(&o)
    );
    assert!(files(&db) == before, "the collection byte for byte");
    // The next sync, with the server itself, uploads again (nothing recorded said it had
    // the collection), and Anki's download holds our answers.
    let out = sync_json(&db, &["--server", &server.url, "--user", USER]);
    assert_eq!(out["kind"], "full_upload", "{out}");
    assert_eq!(out["reviews_sent"], 2, "{out}");
    let (_anki_dir, collection) = anki_collection();
    let anki = anki_sync(&python, &server, &collection, 0, 0);
    agree(&db, &anki);
    settled(&db);
}

#[test]
fn the_window_syncs_with_y_asking_for_the_login_once_and_settings_log_out() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    let Some(python) = common::reference_python() else {
        return;
    };
    let server = Server::start(&python);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let coll = awscards::app::collection::Collection::open(Some(&db), None).unwrap();
    let mut h = Harness::builder()
        .with_size([960.0, 720.0])
        .build_eframe(move |_cc| {
            awscards::ui::AwscardsApp::new(Ok(coll), awscards::ui::Source::default())
        });
    h.run();
    let until_done = |h: &mut Harness<'_, awscards::ui::AwscardsApp>| {
        h.step();
        let deadline = Instant::now() + Duration::from_secs(60);
        while h.state().busy() {
            assert!(Instant::now() < deadline, "the sync did not end");
            std::thread::sleep(Duration::from_millis(10));
            h.step();
        }
        h.run();
    };
    // Y: not logged in yet, so the login window asks.
    h.key_press(egui::Key::Y);
    h.run();
    h.get_by_label("Sync: log in");
    // Letters typed into it are the fields', not the deck list's shortcuts (A: Add).
    h.key_press(egui::Key::A);
    h.run();
    assert!(matches!(h.state().screen(), awscards::ui::Screen::Decks(_)));
    let text = egui::accesskit::Role::TextInput;
    let password = egui::accesskit::Role::PasswordInput;
    for (role, label, typed) in [
        (text, "Server", server.url.as_str()),
        (text, "User", USER),
        (password, "Password", PASSWORD),
    ] {
        h.get_by_role_and_label(role, label).click();
        h.run();
        h.get_by_role_and_label(role, label).type_text(typed);
        h.run();
    }
    h.get_by_label("Log in and sync").click();
    until_done(&mut h);
    let sent = h
        .query_all_by_label_contains("sent the whole collection")
        .next()
        .is_some();
    assert!(sent, "{:?}", h.state().error());
    let login = std::fs::read_to_string(dir.path().join("c.sync-login.json")).unwrap();
    assert!(!login.contains(PASSWORD));
    // Y again: the login kept, no window, nothing new.
    h.key_press(egui::Key::Y);
    until_done(&mut h);
    assert!(h.query_by_label("Sync: log in").is_none());
    h.get_by_label(&format!(
        "{}: no changes.",
        server.url.trim_end_matches('/')
    ));
    // Anki sends its collection whole: Y asks which side wins, and Download takes it.
    let (_anki_dir, collection) = anki_collection();
    anki_sync(&python, &server, &collection, 0, 0);
    anki_sync_with(&python, &server, &collection, 1, 0, &["--force-upload"]);
    h.key_press(egui::Key::Y);
    until_done(&mut h);
    h.get_by_label("Sync: which side wins?");
    h.get_by_label("Download: take the server's collection")
        .click();
    until_done(&mut h);
    assert!(h.query_by_label("Sync: which side wins?").is_none());
    let took = h
        .query_all_by_label_contains("took the server's collection, 1 answer new here")
        .next()
        .is_some();
    assert!(took, "{:?}", h.state().error());
    // Settings says where, and logs out.
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label(&format!("{} as {USER}", server.url.trim_end_matches('/')));
    h.get_by_label("Log out").click();
    h.run();
    h.get_by_label("Logged out: the server's key is forgotten.");
    assert!(!dir.path().join("c.sync-login.json").exists());
}
