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
        self.relative_resolved(path, &resolve_path(path))
    }

    /// A folder about to be walked, resolved once for `relative_under`.
    pub fn resolve_root(&self, root: &Path) -> Root {
        Root {
            given: root.to_path_buf(),
            resolved: resolve_path(root),
        }
    }

    /// `relative` for a file found by walking `root`, without a system call per
    /// file: the walk follows no links below the root, so the file's resolved path
    /// is the root's followed by the rest of the path.
    pub fn relative_under(&self, root: &Root, path: &Path) -> PathBuf {
        match path.strip_prefix(&root.given) {
            Ok(rest) => self.relative_resolved(path, &root.resolved.join(rest)),
            Err(_) => self.relative(path),
        }
    }

    fn relative_resolved(&self, path: &Path, resolved: &Path) -> PathBuf {
        match resolved.strip_prefix(&self.dir) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => path.strip_prefix("./").unwrap_or(path).to_path_buf(),
        }
    }

    /// The `rules = [...]` folders, resolved against the config file's folder.
    pub fn rule_dirs(&self) -> Vec<PathBuf> {
        self.config.rules.iter().map(|r| self.dir.join(r)).collect()
    }
}

/// A walked folder as given on the command line and as resolved.
pub struct Root {
    given: PathBuf,
    resolved: PathBuf,
}

/// The absolute path with links resolved; absolute only if it cannot be resolved
/// (a name that does not exist, such as standard input's).
fn resolve_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_a_walked_root_resolve_as_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        std::fs::create_dir_all(project.join("docs/sub")).unwrap();
        std::fs::write(project.join("residue.toml"), "").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(project.join("docs"), &link).unwrap();
        let loaded = load(&project.join("residue.toml")).unwrap();
        for (root, expected) in [
            (project.join("docs"), "docs/a.txt"),
            (link, "docs/a.txt"),
            (project.join("docs/../docs/sub"), "docs/sub/a.txt"),
        ] {
            let file = root.join("a.txt");
            std::fs::write(&file, "text\n").unwrap();
            let resolved = loaded.resolve_root(&root);
            assert_eq!(loaded.relative_under(&resolved, &file), Path::new(expected));
            assert_eq!(loaded.relative(&file), Path::new(expected));
        }
        let outside = dir.path().join("elsewhere.txt");
        std::fs::write(&outside, "text\n").unwrap();
        let resolved = loaded.resolve_root(dir.path());
        assert_eq!(
            loaded.relative_under(&resolved, &outside),
            loaded.relative(&outside)
        );
    }
}
