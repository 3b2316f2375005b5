//! Helpers shared by the integration tests that run the `awscards` binary.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The binary, with no inherited awscards environment.
pub fn awscards() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_awscards"));
    cmd.env_remove("AWSCARDS_DB").env_remove("AWSCARDS_NOW");
    cmd
}

pub fn run(args: &[&str]) -> Output {
    awscards().args(args).output().expect("runs awscards")
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
