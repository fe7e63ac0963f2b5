//! Finding the files to lint: explicit paths as given, folders walked in parallel
//! with the `ignore` crate (so .gitignore and hidden files are respected), keeping
//! files with a prose extension, in a stable order.

use crate::settings::Loaded;
use std::cell::RefCell;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Extensions linted when walking a folder. A file named on the command line is
/// linted whatever its extension.
pub const PROSE_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "rst", "adoc", "asciidoc", "org", "html", "htm",
];

pub enum Input {
    Stdin,
    File(File),
}

impl Input {
    /// A small file's bytes, read ahead of the worker that lints it (see
    /// `ordered`): on a cold page cache each small file costs a disk round trip
    /// (about a millisecond here), which then overlaps with linting. `None` for
    /// standard input and pipes, for larger files (reading them is short
    /// beside linting them, and the kernel reads ahead) and on any error (the
    /// worker reads the file itself and reports it).
    ///
    /// The file is read into a buffer kept by the thread, and copied out at
    /// its size. A larger file is read up to the limit and dropped, 64 KB
    /// read twice beside the linting of a file that size.
    pub fn prefetch(&self) -> Option<Vec<u8>> {
        thread_local! {
            static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        }
        let Input::File(file @ File { regular: true, .. }) = self else {
            return None;
        };
        let mut f = open(&file.path).ok()?;
        BUFFER.with_borrow_mut(|buffer| {
            let len = read_head(&mut f, buffer).ok()?;
            (len <= PREFETCH_LIMIT).then(|| buffer[..len].to_vec())
        })
    }
}

/// Reads the file at `path` whole into `buffer`: its bytes are the first
/// ones of the buffer, as many as the length returned. Its size is asked
/// only when it is larger than `PREFETCH_LIMIT`.
pub fn read(path: &Path, buffer: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut f = open(path)?;
    let len = read_head(&mut f, buffer)?;
    if len <= PREFETCH_LIMIT {
        return Ok(len);
    }
    // `read_to_end` on a file asks its size first, so that the rest is read
    // into a buffer of the right size.
    buffer.truncate(len);
    f.read_to_end(buffer)?;
    Ok(buffer.len())
}

/// Reads up to `PREFETCH_LIMIT` + 1 bytes of `f` to the start of `buffer`,
/// and returns how many: all of it when that is at most the limit.
///
/// The buffer is made that long (zeroed) once, and then only overwritten,
/// so each read asks for all the room left: a file under the limit takes
/// two reads, the second finding its end. `File::read_to_end` and
/// `std::fs::read` ask for the size first (`statx`, and `lseek` too), two
/// system calls more a file than the reads themselves: on 100,000 small
/// files, more than the reads took. (`Read::take` avoids those, but reads
/// 8 KB first and then doubles: five reads for a 64 KB file.)
fn read_head(f: &mut std::fs::File, buffer: &mut Vec<u8>) -> std::io::Result<usize> {
    if buffer.len() <= PREFETCH_LIMIT {
        buffer.resize(PREFETCH_LIMIT + 1, 0);
    }
    let mut len = 0;
    while len <= PREFETCH_LIMIT {
        match f.read(&mut buffer[len..=PREFETCH_LIMIT]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(len)
}

/// Opens the file at `path` for reading.
///
/// On Linux, relative to its folder, whose descriptor the thread keeps
/// while the files it opens are in that folder (a walk gives them folder by
/// folder): the kernel then looks up one name instead of every folder on the
/// way, a tenth of the system time on 100,000 small files. Whatever fails
/// that way is opened by its path, so errors read as they would.
///
/// The descriptor is kept until the thread opens a file in another folder.
/// Should the folder be renamed meanwhile and another made in its place, a
/// thread may go on reading the old one's files: a run reads the folders as
/// its walk found them, which is what the walk listed anyway.
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    #[cfg(target_os = "linux")]
    if let Ok(f) = open_in_folder(path) {
        return Ok(f);
    }
    std::fs::File::open(path)
}

#[cfg(target_os = "linux")]
fn open_in_folder(path: &Path) -> std::io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    use std::ffi::{OsStr, OsString};
    use std::os::fd::OwnedFd;
    use std::os::unix::ffi::OsStrExt;
    thread_local! {
        static FOLDER: RefCell<Option<(OsString, OwnedFd)>> = const { RefCell::new(None) };
    }
    // Split at the last `/` by its bytes: `Path::parent` and `file_name`
    // parse the path's components, and comparing paths compares them too;
    // the folder is kept and compared as plain bytes.
    let bytes = path.as_os_str().as_bytes();
    let (parent, name) = match memchr::memrchr(b'/', bytes) {
        Some(0) => (&b"/"[..], &bytes[1..]),
        Some(cut) => (&bytes[..cut], &bytes[cut + 1..]),
        None => (&b"."[..], bytes),
    };
    if name.is_empty() {
        return Err(std::io::ErrorKind::InvalidInput.into());
    }
    let (parent, name) = (OsStr::from_bytes(parent), OsStr::from_bytes(name));
    FOLDER.with_borrow_mut(|folder| {
        let fd = match folder {
            Some((p, fd)) if p == parent => fd,
            _ => {
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                let fd = rustix::fs::open(parent, flags, Mode::empty())?;
                &folder.insert((parent.to_owned(), fd)).1
            }
        };
        let flags = OFlags::RDONLY | OFlags::CLOEXEC;
        Ok(rustix::fs::openat(fd, name, flags, Mode::empty())?.into())
    })
}

/// Files up to this size are read ahead of the workers.
const PREFETCH_LIMIT: usize = 64 * 1024;

pub struct File {
    pub path: PathBuf,
    /// A regular file, not a pipe or a device: only these are read ahead,
    /// as a pipe's bytes can be read once only. Known without a system call
    /// for the files of a walk (the folder's entries say), and from the
    /// `stat` that tells a named path's kind.
    pub regular: bool,
    /// The path relative to the configuration file's folder, when a configuration
    /// is in effect (for `[per-path-ignores]`); worked out once, while walking.
    pub relative: Option<PathBuf>,
}

fn is_prose(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PROSE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The inputs in a stable order (each folder's files sorted by path), and the
/// paths that failed. The configuration's `include` and `exclude` filter the
/// files found inside folders; files named on the command line are always
/// linted. Folders are walked on `threads` threads.
pub fn collect(
    paths: &[PathBuf],
    settings: Option<&Loaded>,
    threads: usize,
) -> (Vec<Input>, Vec<String>) {
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
                let (files, failed) = walk_folder(path, settings, threads);
                inputs.extend(files.into_iter().map(Input::File));
                errors.extend(failed);
            }
            Ok(meta) => inputs.push(Input::File(File {
                path: path.clone(),
                regular: meta.is_file(),
                relative: settings.map(|s| s.relative(path)),
            })),
        }
    }
    (inputs, errors)
}

/// One folder's prose files, sorted by path, and its errors, sorted by the path
/// they name. Sorting the whole paths gives the order of a serial walk that
/// visits each folder's entries by name.
fn walk_folder(root: &Path, settings: Option<&Loaded>, threads: usize) -> (Vec<File>, Vec<String>) {
    let resolved = settings.map(|s| (s, s.resolve_root(root)));
    let files = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    ignore::WalkBuilder::new(root)
        .threads(threads)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && is_prose(e.path()) => {
                        let relative = resolved
                            .as_ref()
                            .map(|(s, root)| s.relative_under(root, e.path()));
                        let included = match (&resolved, &relative) {
                            (Some((s, _)), Some(rel)) => s.config.includes(rel),
                            _ => true,
                        };
                        if included {
                            let file = File {
                                path: e.into_path(),
                                regular: true,
                                relative,
                            };
                            files.lock().expect("no walker panics").push(file);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let key = error_path(&e).map(Path::to_path_buf);
                        errors
                            .lock()
                            .expect("no walker panics")
                            .push((key, message(&e)));
                    }
                }
                ignore::WalkState::Continue
            })
        });
    let mut files = files.into_inner().expect("no walker panics");
    files.sort_by_cached_key(|f| order_key(&f.path));
    let mut errors = errors.into_inner().expect("no walker panics");
    errors.sort();
    (files, errors.into_iter().map(|(_, e)| e).collect())
}

/// A key that sorts paths as `Path::cmp` does, compared as plain bytes: the
/// components' bytes, each followed by a zero byte, which sorts before any
/// byte a component holds (so `a/b` comes before `a-b`, as `a` before `a-`).
/// Comparing paths component by component was about a third of the walk's
/// time on 100,000 files. Paths of one walk share their root, so the components
/// that are not names (root, `.`), which `Path::cmp` orders by kind, never
/// decide.
fn order_key(path: &Path) -> Vec<u8> {
    let mut key = Vec::with_capacity(path.as_os_str().len() + 1);
    for component in path.components() {
        key.extend_from_slice(component.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    key
}

/// The path an error of the walk is about, for ordering the errors.
fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// The message for an error of the walk. A folder or entry that cannot be read
/// is reported as the serial walker (walkdir) did, path repeated and all, so
/// that messages do not change with the walker.
fn message(err: &ignore::Error) -> String {
    match unreadable(err) {
        Some((path, io)) => {
            let path = path.display();
            format!("{path}: IO error for operation on {path}: {io}")
        }
        None => err.to_string(),
    }
}

/// The path and I/O error of a folder or entry that could not be read: an I/O
/// error with a path and a depth (errors in ignore files have no depth).
fn unreadable(mut err: &ignore::Error) -> Option<(&Path, &std::io::Error)> {
    let (mut path, mut deep) = (None, false);
    loop {
        match err {
            ignore::Error::WithDepth { err: inner, .. } => {
                deep = true;
                err = inner;
            }
            ignore::Error::WithPath {
                path: p,
                err: inner,
            } => {
                path = path.or(Some(p.as_path()));
                err = inner;
            }
            ignore::Error::Io(io) if deep => return path.map(|p| (p, io)),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(inputs: &[Input]) -> Vec<PathBuf> {
        inputs
            .iter()
            .map(|i| match i {
                Input::File(f) => f.path.clone(),
                Input::Stdin => PathBuf::from("-"),
            })
            .collect()
    }

    /// Files are read ahead whole up to `PREFETCH_LIMIT` bytes, and not past
    /// it; a file read after a longer one gets its own bytes only.
    #[test]
    fn prefetch_reads_small_files_whole() {
        let dir = tempfile::tempdir().unwrap();
        let input = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            Input::File(File {
                path,
                regular: true,
                relative: None,
            })
        };
        let long: Vec<u8> = (0..=PREFETCH_LIMIT).map(|i| (i % 251) as u8).collect();
        assert_eq!(input("over", &long).prefetch(), None);
        let at_limit = &long[..PREFETCH_LIMIT];
        assert_eq!(
            input("limit", at_limit).prefetch().as_deref(),
            Some(at_limit)
        );
        assert_eq!(
            input("short", b"ab").prefetch().as_deref(),
            Some(&b"ab"[..])
        );
        assert_eq!(input("empty", b"").prefetch().as_deref(), Some(&b""[..]));
        assert_eq!(Input::Stdin.prefetch(), None);
        let missing = Input::File(File {
            path: dir.path().join("missing"),
            regular: true,
            relative: None,
        });
        assert_eq!(missing.prefetch(), None);
        let pipe = Input::File(File {
            path: dir.path().join("short"),
            regular: false,
            relative: None,
        });
        assert_eq!(pipe.prefetch(), None);
    }

    /// `read` reads a file whole whatever its size, into a buffer that held
    /// another file's bytes before; a missing file is an error of its own.
    #[test]
    fn read_reads_files_of_every_size_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut buffer = b"left over from the last file".to_vec();
        for len in [
            0,
            2,
            PREFETCH_LIMIT,
            PREFETCH_LIMIT + 1,
            3 * PREFETCH_LIMIT + 7,
        ] {
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let path = dir.path().join(format!("f{len}"));
            std::fs::write(&path, &bytes).unwrap();
            let got = read(&path, &mut buffer).unwrap();
            assert!(
                buffer[..got] == bytes,
                "a file of {len} bytes read as {got}"
            );
        }
        let missing = read(&dir.path().join("missing"), &mut buffer).unwrap_err();
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
    }

    /// Files are opened relative to the folder the thread last opened one
    /// in: a file of the same name in another folder is still its own.
    #[test]
    fn files_of_one_name_in_two_folders_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["a", "b"] {
            std::fs::create_dir(dir.path().join(folder)).unwrap();
            std::fs::write(dir.path().join(folder).join("x.txt"), folder).unwrap();
        }
        let mut buffer = Vec::new();
        for folder in ["a", "b", "a", "b"] {
            let path = dir.path().join(folder).join("x.txt");
            let len = read(&path, &mut buffer).unwrap();
            assert_eq!(&buffer[..len], folder.as_bytes());
            let input = Input::File(File {
                path,
                regular: true,
                relative: None,
            });
            assert_eq!(input.prefetch().as_deref(), Some(folder.as_bytes()));
        }
    }

    #[test]
    fn the_order_key_sorts_as_paths_do() {
        let names = [
            "root/a",
            "root/a/b",
            "root/a-b",
            "root/a.b/c",
            "root/a/b/c",
            "root/ab",
            "root/a b",
            "root/A",
            "root/a/-",
            "root/a-/b",
            "root/é",
            "root/z",
            "root/a0",
            "root//a/c",
            "./root/x",
            "./root/x/y",
            "./root/x-y",
        ];
        for root in ["", "./", "/tmp/"] {
            let mut by_path: Vec<PathBuf> = names
                .iter()
                .map(|n| PathBuf::from(format!("{root}{n}")))
                .collect();
            let mut by_key = by_path.clone();
            by_path.sort();
            by_key.sort_by_cached_key(|p| order_key(p));
            assert_eq!(by_key, by_path, "root {root:?}");
        }
    }

    #[test]
    fn parallel_walk_keeps_the_serial_walks_files_and_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files = [
            "a.txt",
            "a b.txt",
            "a.b/c.md",
            "a/x.txt",
            "a/y.rs",
            "a b/z.TXT",
            "Z.txt",
            "a/deep/er/n.html",
            ".hidden/h.txt",
            "ignored/i.txt",
            "kept/ignored.txt",
            "é/ü.txt",
            "a-b/1.txt",
            "a_b/2.txt",
        ];
        for f in files {
            let path = root.join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "text\n").unwrap();
        }
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();

        let serial: Vec<PathBuf> = ignore::WalkBuilder::new(root)
            .sort_by_file_path(|a, b| a.cmp(b))
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && is_prose(e.path()))
            .map(ignore::DirEntry::into_path)
            .collect();
        for threads in [1, 4] {
            let (inputs, errors) = collect(&[root.to_path_buf()], None, threads);
            assert!(errors.is_empty());
            assert_eq!(paths(&inputs), serial);
        }
        assert_eq!(serial.len(), 11);
    }

    #[test]
    fn named_paths_keep_their_order_and_report_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("b.rs");
        std::fs::write(&file, "text\n").unwrap();
        let missing = dir.path().join("missing.txt");
        let (inputs, errors) = collect(
            &[file.clone(), PathBuf::from("-"), missing.clone()],
            None,
            2,
        );
        assert_eq!(paths(&inputs), [file, PathBuf::from("-")]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with(&format!("{}: ", missing.display())));
    }
}
