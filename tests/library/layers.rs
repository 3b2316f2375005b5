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

/// Every `.rs` file below `dir` (relative to the crate), with its text.
fn sources(dir: &str) -> Vec<(std::path::PathBuf, String)> {
    let mut files = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path, text));
            }
        }
    }
    files
}

#[test]
fn no_source_file_is_longer_than_600_lines_nor_a_store_file_than_400() {
    let long: Vec<String> = sources("src")
        .iter()
        .filter_map(|(path, text)| {
            let limit = if path.components().any(|c| c.as_os_str() == "store") {
                400
            } else {
                600
            };
            let lines = text.lines().count();
            (lines > limit).then(|| format!("{}: {lines} lines", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "files to split: {long:#?}");
}

#[test]
fn no_circle_of_files_in_the_store_or_the_app() {
    no_circle_of_files("store");
    no_circle_of_files("app");
}

/// No module of `src/{layer}` names one that names it back, directly or through others.
fn no_circle_of_files(layer: &str) {
    // The layer's modules (a file, or a folder with its files) and the ones each names.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let module = |path: &Path| -> String {
        let first = path
            .strip_prefix(&root)
            .unwrap()
            .components()
            .next()
            .unwrap();
        let name = first.as_os_str().to_string_lossy();
        name.trim_end_matches(".rs").to_string()
    };
    let files = sources(&format!("src/{layer}"));
    let modules: std::collections::BTreeSet<String> =
        files.iter().map(|(path, _)| module(path)).collect();
    let mut names: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for (path, text) in &files {
        let from = module(path);
        for prefix in ["super::".to_string(), format!("crate::{layer}::")] {
            for (i, _) in text.match_indices(&prefix) {
                let rest = &text[i + prefix.len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let to = &rest[..end];
                if to != from && to != "mod" && modules.contains(to) {
                    names
                        .entry(from.clone())
                        .or_default()
                        .insert(to.to_string());
                }
            }
        }
    }
    // A circle is a module that reaches itself by the names it follows.
    for start in &modules {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack: Vec<&String> = names.get(start).into_iter().flatten().collect();
        while let Some(m) = stack.pop() {
            assert_ne!(m, start, "{layer}/{start} reaches itself: {names:#?}");
            if seen.insert(m) {
                stack.extend(names.get(m).into_iter().flatten());
            }
        }
    }
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
