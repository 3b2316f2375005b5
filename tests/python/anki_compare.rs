//! `benches/anki_compare.py` builds the same collection in Anki as `awscards bench` builds,
//! and reports every figure for both (a small run: the real one is 100 000 cards).

use crate::common;

use serde_json::Value;

#[test]
fn the_anki_comparison_builds_the_same_collection_and_reports_both_sides() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/anki_compare.py");
    let o = std::process::Command::new(python)
        .args([script, env!("CARGO_BIN_EXE_awscards")])
        .args(["--cards", "500", "--reviews", "2000", "--json", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", common::stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["cards"].as_u64(), Some(500));
    assert_eq!(v["reviews"].as_u64(), Some(2000));
    // 70% seeded in review, plus the new cards the bench itself answered.
    let in_review = v["in_review"].as_u64().unwrap();
    assert!((300..=500).contains(&in_review), "{v}");
    let figures: Vec<&str> = v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert!(f["awscards"].as_f64().unwrap() > 0.0, "{f}");
            assert!(f["anki"].as_f64().unwrap() > 0.0, "{f}");
            f["figure"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        figures,
        [
            "open_ms",
            "queue_ms",
            "deck_tree_ms",
            "search_ms",
            "search_text_ms",
            "search deck:AWS*",
            "search tag:svc7 prop:ivl>10",
            "search question 123",
            "search is:due -tag:svc3",
            "export_csv_ms",
            "stats_ms",
            "answer_ms",
            "sync_full_ms",
            "sync_normal_ms"
        ]
    );
    // Beside them, what an answer cannot beat on this disk.
    for floor in ["fsync_floor_ms", "sqlite_commit_floor_ms"] {
        assert!(v[floor].as_f64().unwrap() > 0.0, "{v}");
    }
}
