//! `awscards export` (CSV or Anki package) and `awscards import` (Anki packages).

use std::io::Write;
use std::path::Path;

use super::{Cli, CliError, open, user};
use crate::app::export::CardScope;

pub(super) fn export(
    out: &mut impl Write,
    cli: &Cli,
    file: &Path,
    scope: &CardScope,
    with_scheduling: bool,
) -> Result<(), CliError> {
    let package = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("apkg"));
    if !package && !with_scheduling {
        return Err(user(
            "--no-scheduling is for Anki packages: name the file FILE.apkg",
        ));
    }
    let mut coll = open(cli)?;
    let n = if package {
        coll.export_package(scope, file, with_scheduling, &Default::default())
    } else {
        coll.export_csv(scope, file)
    }
    .map_err(user)?;
    writeln!(
        out,
        "Exported {} to {}",
        crate::model::stats::count_of(n as u64, "card"),
        file.display()
    )?;
    Ok(())
}

pub(super) fn import(
    out: &mut impl Write,
    cli: &Cli,
    file: &Path,
    json: bool,
) -> Result<(), CliError> {
    let mut coll = open(cli)?;
    let s = coll
        .import_package(file, &Default::default())
        .map_err(user)?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &s)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", s.describe(file))?;
    }
    Ok(())
}
