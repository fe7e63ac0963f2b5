//! Where the time goes over a folder of `.txt` files: the document model and each
//! rule, summed over every file, one thread. A development tool, not a test:
//! `cargo run --release --example profile -- DIR`.

use residue::engine::Timings;
use residue::{Linter, RuleSet};
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: profile DIR");
    let mut texts = Vec::new();
    for entry in walkdir(&dir) {
        if let Ok(text) = std::fs::read_to_string(&entry) {
            texts.push(text);
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let linter = Linter::new(RuleSet::default_pack().expect("default pack"));
    let mut timings = Timings::default();
    let start = Instant::now();
    let mut found = 0;
    for text in &texts {
        found += linter.check_timed(text, Some(&mut timings)).len();
    }
    let wall = start.elapsed();
    println!(
        "{} files, {:.1} MB, {found} findings, {wall:.2?}: {:.1} MB/s",
        texts.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / wall.as_secs_f64()
    );
    println!("  {:>10.2?}  document model", timings.document);
    let mut rows: Vec<_> = timings
        .rules
        .iter()
        .zip(&linter.rules().rules)
        .map(|(t, r)| (*t, r.id.to_string()))
        .collect();
    rows.sort_by(|a, b| b.cmp(a));
    for (t, id) in rows {
        println!("  {t:>10.2?}  {id}");
    }
    println!("  {:>10.2?}  finish", timings.finish);
}

fn walkdir(dir: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).unwrap().flatten() {
                stack.push(e.path());
            }
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}
