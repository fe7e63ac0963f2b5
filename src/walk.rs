//! Finding the files to lint: explicit paths as given, folders walked with the
//! `ignore` crate (so .gitignore and hidden files are respected), keeping files
//! with a prose extension.

use std::path::{Path, PathBuf};

/// Extensions linted when walking a folder. A file named on the command line is
/// linted whatever its extension.
pub const PROSE_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "rst", "adoc", "asciidoc", "org", "html", "htm",
];

pub enum Input {
    Stdin,
    File(PathBuf),
}

fn is_prose(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PROSE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The inputs in a stable order (folders sorted), and the paths that failed.
/// `keep` filters the files found inside folders (the config's `include` and
/// `exclude`); files named on the command line are always linted.
pub fn collect(paths: &[PathBuf], keep: &dyn Fn(&Path) -> bool) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push(format!("{}: {e}", path.display())),
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                for entry in ignore::WalkBuilder::new(path)
                    .sort_by_file_path(|a, b| a.cmp(b))
                    .build()
                {
                    match entry {
                        Ok(e)
                            if e.file_type().is_some_and(|t| t.is_file())
                                && is_prose(e.path())
                                && keep(e.path()) =>
                        {
                            found.push(e.into_path())
                        }
                        Ok(_) => {}
                        Err(e) => errors.push(e.to_string()),
                    }
                }
                inputs.extend(found.into_iter().map(Input::File));
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
        }
    }
    (inputs, errors)
}
