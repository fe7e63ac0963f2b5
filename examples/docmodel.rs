//! Runs only the document model stage (`Document::new` and the needle scan)
//! over every file of a folder, one thread, so that its instructions can be
//! counted apart from the rules' (`valgrind --tool=callgrind`).
//! Run: `cargo run --release --example docmodel DIR [doc|scan|both]`.

use residue::document::Document;
use residue::needle_scan::NeedleScanner;
use residue::RuleSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the folder")
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("a folder"));
    let mode = args.next().unwrap_or_else(|| "both".to_string());
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let scanner = NeedleScanner::for_rules(&RuleSet::default_pack().expect("default pack"));
    let clock = Instant::now();
    let (mut words, mut hits_total) = (0, 0);
    let mut hits = Vec::new();
    for text in &texts {
        if mode != "scan" {
            words += Document::new(text).words.len();
        }
        if mode != "doc" {
            scanner.scan(text, &mut hits);
            hits_total += hits.iter().map(Vec::len).sum::<usize>();
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{} files, {bytes} bytes, {words} words, {hits_total} hits: {:?}",
        texts.len(),
        clock.elapsed()
    );
}
