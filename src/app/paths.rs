//! Where the collection is when no path is given.

use std::path::PathBuf;

/// The environment variable that names the collection file.
pub const DB_VAR: &str = "AWSCARDS_DB";

/// `~/.local/share/awscards/collection.sqlite` (the platform's data folder); None without an
/// absolute home folder (a relative HOME would put the collection under the current folder).
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "awscards")
        .map(|dirs| dirs.data_dir().join("collection.sqlite"))
        .filter(|p| p.is_absolute())
}
