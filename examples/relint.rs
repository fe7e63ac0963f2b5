//! Measures how long a re-lint of a 1 MB document takes in-process, in total and
//! per rule, with the markup-free plain-text path the language server uses for
//! `.txt` files. Run: `cargo run --release --example relint [FILE]`.
//!
//! Not a test: timings depend on the machine. The language-server round trip
//! (change sent -> diagnostics received) is measured by the ignored test
//! `relint_time_on_a_megabyte` in tests/lsp.rs.

use residue::{Linter, RuleSet, Selection, SourceFormat};
use std::time::{Duration, Instant};

fn main() {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(path).expect("read the file"),
        None => megabyte_of_seeds(),
    };
    let rules = RuleSet::default_pack().expect("default pack");
    let ids: Vec<String> = rules
        .rules
        .iter()
        .filter(|r| r.enabled)
        .map(|r| r.id.to_string())
        .collect();
    let linter = Linter::new(rules.select(&Selection::default()));
    let total = best_of(5, || {
        linter.check_with_format(&text, SourceFormat::Text).len()
    });
    println!(
        "{} bytes: whole re-lint {:?} (best of 5)",
        text.len(),
        total
    );

    let model = best_of(5, || residue::document::Document::new(&text).words.len());
    println!("document model alone: {model:?}");
    let mut per_rule: Vec<(Duration, String)> = ids
        .iter()
        .map(|id| {
            let one = RuleSet::default_pack().unwrap().select(&Selection {
                select: vec![id.clone()],
                ignore: Vec::new(),
            });
            let linter = Linter::new(one);
            (best_of(3, || linter.check(&text).len()), id.clone())
        })
        .collect();
    per_rule.sort_by(|a, b| b.cmp(a));
    println!("slowest rules alone (each includes building the document model):");
    for (time, id) in per_rule.iter().take(10) {
        println!("  {time:>12.2?}  {id}");
    }
}

fn best_of(runs: usize, mut f: impl FnMut() -> usize) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap()
}

fn megabyte_of_seeds() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut seeds: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seeds.sort();
    let mut text = String::new();
    while text.len() < 1 << 20 {
        for seed in &seeds {
            text.push_str(&std::fs::read_to_string(seed).unwrap());
            text.push('\n');
        }
    }
    text
}
