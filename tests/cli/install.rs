//! What a desktop install relies on: the version names the bundled deck, the shell completions
//! and man pages are generated from the command line's definition (so a new command appears in
//! them), and the desktop entry and icons the Debian package installs are in place.

use crate::common;

use awscards::model::{bundled_files, facts_fingerprint};
use common::{run, stderr, stdout};

/// Every command a user can type.
fn commands() -> Vec<String> {
    awscards::cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn the_version_names_the_bundled_deck() {
    let out = run(&["--version"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let fingerprint = facts_fingerprint(&bundled_files());
    assert_eq!(
        stdout(&out).trim(),
        format!(
            "awscards {} (bundled deck: {} facts files, fingerprint {fingerprint})",
            env!("CARGO_PKG_VERSION"),
            bundled_files().len()
        )
    );
}

#[test]
fn completions_offer_every_command() {
    let commands = commands();
    assert!(commands.len() >= 14, "{commands:?}");
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell]);
        assert!(out.status.success(), "{}", stderr(&out));
        let script = stdout(&out);
        for command in &commands {
            let offered = match shell {
                // bash lists them as words of the top level's choices.
                "bash" => script
                    .lines()
                    .any(|l| l.contains("opts=") && l.split_whitespace().any(|w| w == command)),
                "zsh" => script.contains(&format!("'{command}:")),
                _ => script.contains(&format!("-a \"{command}\"")),
            };
            assert!(offered, "{shell} completions lack `{command}`");
        }
    }
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("possible values"), "{}", stderr(&out));
}

#[test]
fn a_man_page_for_awscards_and_each_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["manpages", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let top = std::fs::read_to_string(dir.path().join("awscards.1")).unwrap();
    assert!(
        top.starts_with(".ie") && top.contains(".TH awscards 1"),
        "{top}"
    );
    for command in commands() {
        let page = std::fs::read_to_string(dir.path().join(format!("awscards-{command}.1")))
            .unwrap_or_else(|e| panic!("awscards-{command}.1: {e}"));
        assert!(
            page.contains(&format!(".TH awscards-{command} 1")),
            "{page}"
        );
        assert!(top.contains(&format!("awscards\\-{command}(1)")));
    }
}

#[test]
fn the_desktop_entry_and_icons_the_package_installs_exist() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let entry = std::fs::read_to_string(root.join("assets/awscards.desktop")).unwrap();
    for line in ["Exec=awscards", "Icon=awscards", "StartupWMClass=awscards"] {
        assert!(entry.lines().any(|l| l == line), "{line}");
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for size in [16, 24, 32, 48, 64, 128, 256] {
        let icon = format!("assets/icons/{size}x{size}.png");
        let png = std::fs::read(root.join(&icon)).unwrap();
        // The PNG header's width and height.
        assert_eq!(&png[1..4], b"PNG");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((width, height), (size, size), "{icon}");
        assert!(
            manifest.contains(&format!(
                "[\"{icon}\", \"usr/share/icons/hicolor/{size}x{size}/apps/awscards.png\""
            )),
            "Cargo.toml does not package {icon}"
        );
    }
}
