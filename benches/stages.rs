//! Throughput per stage: decode, document model, needle scan, each rule of the
//! default pack (one benchmark per rule, grouped by detector kind), and emit
//! (JSON), over the seed articles and over a large generated text (the seeds'
//! paragraphs shuffled, about 2 MB). `cargo bench` runs them; `bench/run.sh` times the whole binary.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use residue::document::Document;
use residue::emit::{json::Json, Emitter, FileReport};
use residue::needle_scan::NeedleScanner;
use residue::{Linter, RuleSet};
use std::hint::black_box;

fn seeds() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The seeds' paragraphs in a fixed pseudo-random order, repeated to about 2 MB.
fn large(seeds: &str) -> String {
    let paras: Vec<&str> = seeds
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    let mut out = String::new();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while out.len() < 2_000_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push_str(paras[(x % paras.len() as u64) as usize]);
        out.push_str("\n\n");
    }
    out
}

fn texts() -> Vec<(&'static str, String)> {
    let s = seeds();
    let l = large(&s);
    vec![("seeds", s), ("large", l)]
}

fn stages(c: &mut Criterion) {
    let linter = Linter::new(RuleSet::default_pack().unwrap());
    let scanner = NeedleScanner::for_rules(linter.rules());
    for (name, text) in texts() {
        let mut g = c.benchmark_group(format!("stage/{name}"));
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.sample_size(10);
        g.bench_function("decode", |b| {
            b.iter(|| residue::source::decode(black_box(text.as_bytes())).unwrap())
        });
        g.bench_function("document", |b| b.iter(|| Document::new(black_box(&text))));
        // The engine's --timings counts this scan in "document model".
        g.bench_function("needle-scan", |b| {
            let mut hits = Vec::new();
            b.iter(|| scanner.scan(black_box(&text), &mut hits))
        });
        g.bench_function("all-rules", |b| b.iter(|| linter.check(black_box(&text))));
        let diagnostics = linter.check(&text);
        g.bench_function("emit-json", |b| {
            b.iter(|| {
                Json.items(&FileReport {
                    path: "bench.txt",
                    text: &text,
                    diagnostics: &diagnostics,
                })
            })
        });
        g.finish();
    }
}

fn rules(c: &mut Criterion) {
    let set = RuleSet::default_pack().unwrap();
    for (name, text) in texts() {
        let doc = Document::new(&text);
        let mut g = c.benchmark_group(format!("rule/{name}"));
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.sample_size(10);
        for rule in &set.rules {
            let mut out = Vec::new();
            g.bench_with_input(BenchmarkId::new(rule.kind, &*rule.id), &doc, |b, doc| {
                b.iter(|| {
                    out.clear();
                    rule.detector.check(doc, &mut out);
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, stages, rules);
criterion_main!(benches);
