//! The layers hold: the front ends (`ui/`, `cli/`) reach the collection through `app/` only,
//! and the pure core (`model/`) does no I/O, SQL or GUI.

use std::path::Path;

/// Every line of the `.rs` files below `dir` (relative to the crate) that contains `needle`.
fn lines_with(dir: &str, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    if needles.iter().any(|needle| line.contains(needle)) {
                        found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn front_ends_never_touch_the_store() {
    for dir in ["src/ui", "src/cli"] {
        let found = lines_with(
            dir,
            &[
                "crate::store",
                "store::",
                ".store()",
                ".store_mut()",
                ".store.",
            ],
        );
        assert!(found.is_empty(), "{dir} reaches into the store: {found:#?}");
    }
}

#[test]
fn the_model_is_pure() {
    let found = lines_with(
        "src/model",
        &[
            "rusqlite",
            "crate::store",
            "crate::app",
            "crate::ui",
            "egui",
            "std::fs",
            "std::io",
            "std::net",
            "std::process",
        ],
    );
    assert!(found.is_empty(), "I/O, SQL or GUI in model/: {found:#?}");
}

#[test]
fn lower_layers_never_name_higher_ones() {
    for (dir, higher) in [
        ("src/store", &["crate::app", "crate::ui", "crate::cli"][..]),
        ("src/app", &["crate::ui", "crate::cli"][..]),
    ] {
        let found = lines_with(dir, higher);
        assert!(found.is_empty(), "{dir} names a layer above it: {found:#?}");
    }
}

#[test]
fn no_source_file_is_longer_than_600_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![root];
    let mut long = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let lines = std::fs::read_to_string(&path).unwrap().lines().count();
                if lines > 600 {
                    long.push(format!("{}: {lines} lines", path.display()));
                }
            }
        }
    }
    assert!(long.is_empty(), "files to split: {long:#?}");
}

/// The longest functions of `src/`, counted from their `fn` line to their closing brace.
fn long_functions(limit: usize) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let t = line.trim_start();
                let is_fn =
                    t.starts_with("fn ") || t.starts_with("pub fn ") || t.starts_with("pub(");
                if !is_fn || !t.contains("fn ") {
                    continue;
                }
                let mut depth = 0i32;
                let mut opened = false;
                for (j, l) in lines.iter().enumerate().skip(i) {
                    for c in l.chars() {
                        match c {
                            '{' => {
                                depth += 1;
                                opened = true;
                            }
                            '}' => depth -= 1,
                            _ => {}
                        }
                    }
                    if opened && depth == 0 {
                        if j - i + 1 > limit {
                            found.push(format!(
                                "{}:{} ({} lines)",
                                path.display(),
                                i + 1,
                                j - i + 1
                            ));
                        }
                        break;
                    }
                    if !opened && l.trim_end().ends_with(';') {
                        break;
                    }
                }
            }
        }
    }
    found
}

#[test]
fn no_function_is_longer_than_120_lines() {
    let found = long_functions(120);
    assert!(found.is_empty(), "split these into pieces: {found:#?}");
}
