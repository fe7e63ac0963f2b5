//! The seeds are the specification: the library must find at least 90% of the
//! core artifacts labeled in `seeds/seeds.labels.json`, with at least 90% of its
//! diagnostics overlapping a label, and some of the hard ones. The same
//! computation as `../shared/eval/score.py`, done from Rust.

mod common;

use residue::{Linter, RuleSet, Span};
use serde_json::Value;
use std::path::Path;

struct Label {
    file: String,
    span: Span,
    hard: bool,
}

fn labels(dir: &Path) -> Vec<Label> {
    let text = std::fs::read_to_string(dir.join("seeds.labels.json")).unwrap();
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    list.iter()
        .map(|l| {
            let file = l["file"].as_str().unwrap().to_string();
            let data = std::fs::read_to_string(dir.join(&file)).unwrap();
            let quote = l["quote"].as_str().unwrap();
            let occurrence = l.get("occurrence").and_then(Value::as_u64).unwrap_or(1) as usize;
            let start = data
                .match_indices(quote)
                .nth(occurrence - 1)
                .unwrap_or_else(|| panic!("label quote not found in {file}: {quote:?}"))
                .0;
            Label {
                file,
                span: Span::new(start, start + quote.len()),
                hard: l.get("difficulty").and_then(Value::as_str) == Some("hard"),
            }
        })
        .collect()
}

#[test]
fn seeds_recall_and_precision() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let labels = labels(&dir);
    let linter = Linter::new(RuleSet::default_pack().unwrap());
    let (mut diagnostics, mut false_alarms) = (0, Vec::new());
    let mut found = vec![false; labels.len()];
    let files = common::seed_paths();
    assert_eq!(files.len(), 5);
    for path in files {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        for d in linter.check(&text) {
            diagnostics += 1;
            let mut hit = false;
            for (i, l) in labels.iter().enumerate() {
                if l.file == name && d.span.overlaps(l.span) {
                    found[i] = true;
                    hit = true;
                }
            }
            if !hit {
                false_alarms.push(format!(
                    "{name} {} {:?}",
                    d.rule,
                    &text[d.span.start..d.span.end]
                ));
            }
        }
    }
    let count = |hard: bool| labels.iter().filter(|l| l.hard == hard).count();
    let hits = |hard: bool| {
        (0..labels.len())
            .filter(|&i| found[i] && labels[i].hard == hard)
            .count()
    };
    let core_recall = hits(false) as f64 / count(false) as f64;
    let precision = (diagnostics - false_alarms.len()) as f64 / diagnostics as f64;
    let missed: Vec<String> = (0..labels.len())
        .filter(|&i| !found[i] && !labels[i].hard)
        .map(|i| format!("{} {:?}", labels[i].file, labels[i].span))
        .collect();
    assert!(
        core_recall >= 0.9,
        "core recall {core_recall:.2}; missed {missed:?}"
    );
    assert!(
        precision >= 0.9,
        "precision {precision:.2}; false alarms {false_alarms:?}"
    );
    assert!(hits(true) > 0, "no hard label found");
}
