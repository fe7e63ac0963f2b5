//! Finding `residue.toml` and resolving paths against it. Parsing and every rule
//! about what the keys mean live in the library (`residue::config`); this module
//! only touches the file system.

use anyhow::{Context, Result};
use residue::config::{self, Config};
use std::path::{Path, PathBuf};

/// A configuration and the folder its relative paths and globs are resolved in.
pub struct Loaded {
    pub config: Config,
    pub dir: PathBuf,
}

impl Loaded {
    /// `path` relative to the config file's folder, for `include`, `exclude` and
    /// `[per-path-ignores]`. A path that is not under that folder is matched as
    /// given (without a leading `./`).
    pub fn relative(&self, path: &Path) -> PathBuf {
        let absolute = std::fs::canonicalize(path)
            .or_else(|_| std::path::absolute(path))
            .unwrap_or_else(|_| path.to_path_buf());
        match absolute.strip_prefix(&self.dir) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => path.strip_prefix("./").unwrap_or(path).to_path_buf(),
        }
    }

    /// The `rules = [...]` folders, resolved against the config file's folder.
    pub fn rule_dirs(&self) -> Vec<PathBuf> {
        self.config.rules.iter().map(|r| self.dir.join(r)).collect()
    }
}

/// Looks for `residue.toml` or `.residue.toml` in `start` and each folder above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        config::FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Reads and parses one configuration file.
pub fn load(path: &Path) -> Result<Loaded> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read config file {}", path.display()))?;
    let config = config::parse(&path.display().to_string(), &text)?;
    let absolute = std::fs::canonicalize(path)
        .with_context(|| format!("cannot resolve config file {}", path.display()))?;
    let dir = absolute.parent().unwrap_or(Path::new("/")).to_path_buf();
    Ok(Loaded { config, dir })
}

/// The configuration in effect: `--config FILE`, none with `--no-config`, else the
/// nearest file found from the working folder upward.
pub fn resolve(explicit: Option<&Path>, no_config: bool) -> Result<Option<Loaded>> {
    if no_config {
        return Ok(None);
    }
    if let Some(path) = explicit {
        return load(path).map(Some);
    }
    let cwd = std::env::current_dir().context("cannot read the working folder")?;
    discover(&cwd).map(|p| load(&p)).transpose()
}
