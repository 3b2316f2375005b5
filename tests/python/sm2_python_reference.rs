//! Cross-check against the reference implementation itself: the `supermemo2` Python package
//! (3.0.1), run on random grade sequences. `./run-tests` (and CI) installs it into a virtual
//! environment under `target/pyenv`; `AWSCARDS_PYTHON` may point at another interpreter.
//! Under `CI=true` a missing interpreter or package fails the test instead of skipping it.

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

use awscards::app::simulate::simulate;
use awscards::model::schedule::{Config, Grading};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

const SCRIPT: &str = r#"
import json, struct, sys
from supermemo2 import first_review, review
bits = lambda f: struct.unpack('<Q', struct.pack('<d', f))[0]
out = []
for seq in json.load(sys.stdin):
    r = first_review(seq[0], "2024-01-01")
    steps = [r]
    for q in seq[1:]:
        r = review(q, r["easiness"], r["interval"], r["repetitions"], r["review_datetime"])
        steps.append(r)
    out.append([[s["repetitions"], bits(s["easiness"]), s["interval"]] for s in steps])
json.dump(out, sys.stdout)
"#;

#[test]
fn engine_equals_supermemo2_package_on_random_sequences() {
    let Some(python) = common::reference_python() else {
        return;
    };
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let seqs: Vec<Vec<u8>> = (0..3000)
        .map(|_| {
            let len = rng.random_range(1..=30);
            (0..len).map(|_| rng.random_range(0..=5u8)).collect()
        })
        .collect();
    let mut child = Command::new(&python)
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    let input = serde_json::to_vec(&seqs).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "reference failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected: Vec<Vec<(u32, u64, u32)>> = serde_json::from_slice(&output.stdout).unwrap();
    let config = Config {
        fuzz: false,
        grading: Grading::SixGrades,
        ..Config::default()
    };
    for (seq, want) in seqs.iter().zip(&expected) {
        let got: Vec<(u32, u64, u32)> = simulate(seq, &config)
            .unwrap()
            .iter()
            .map(|s| (s.repetitions, s.ease.to_bits(), s.interval_days))
            .collect();
        assert_eq!(&got, want, "sequence {seq:?}");
    }
}
