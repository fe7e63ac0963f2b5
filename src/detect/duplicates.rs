//! `kind = "duplicate"`: lines and paragraphs pasted more than once.
//!
//! Each paragraph, and each line of at least `min_chars` characters, is normalized
//! (case-folded, white space collapsed, digits and punctuation trimmed from the
//! edges) and hashed; second and later copies are reported and point at the first.
//! Near-duplicates are paragraphs whose 5-word shingle sets have a Jaccard
//! similarity of at least `threshold`, found through an inverted shingle index so
//! the cost stays linear in the document.

use super::{Detector, Finding, ParamError, Stage};
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::schema::RawRule;
use std::collections::HashMap;
use xxhash_rust::xxh3::xxh3_64;

#[derive(Debug)]
pub struct Duplicates {
    min_chars: usize,
    threshold: f64,
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    let threshold = rule.threshold.as_ref().map(|v| *v.get_ref()).unwrap_or(0.8);
    if !(0.0..=1.0).contains(&threshold) {
        let span = rule
            .threshold
            .as_ref()
            .map(|v| v.span())
            .unwrap_or_default();
        return Err(ParamError::at(span, "`threshold` must be between 0 and 1"));
    }
    Ok(Box::new(Duplicates {
        min_chars: rule.min_chars.as_ref().map(|v| *v.get_ref()).unwrap_or(20),
        threshold,
    }))
}

/// Case-folded, white space collapsed, digits and punctuation trimmed at the edges.
fn normalize(text: &str) -> String {
    let trimmed = text.trim_matches(|c: char| !c.is_alphabetic());
    let mut out = String::with_capacity(trimmed.len());
    for word in trimmed.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// The span to delete for a unit: its lines with their line breaks.
fn deletion(doc: &Document, lines: std::ops::Range<usize>) -> Span {
    let start = doc.lines[lines.start].span.start;
    let end = doc
        .lines
        .get(lines.end)
        .map(|l| l.span.start)
        .unwrap_or(doc.lines[lines.end - 1].span.end);
    Span::new(start, end)
}

/// End of a list in the shingle index.
const NONE: u32 = u32::MAX;

/// A hasher for keys that are already xxh3 hashes.
#[derive(Default, Clone, Copy)]
struct Prehashed;

impl std::hash::BuildHasher for Prehashed {
    type Hasher = PrehashedHasher;
    fn build_hasher(&self) -> PrehashedHasher {
        PrehashedHasher(0)
    }
}

struct PrehashedHasher(u64);

impl std::hash::Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

struct Unit {
    span: Span,
    lines: std::ops::Range<usize>,
    /// A whole paragraph (near-duplicates are judged on paragraphs only).
    paragraph: bool,
}

impl Duplicates {
    fn units(&self, doc: &Document) -> Vec<Unit> {
        let mut units = Vec::new();
        for p in &doc.paragraphs {
            if p.lines.len() > 1 {
                units.push(Unit {
                    span: p.span,
                    lines: p.lines.clone(),
                    paragraph: true,
                });
            }
            for i in p.lines.clone() {
                units.push(Unit {
                    span: doc.lines[i].trimmed,
                    lines: i..i + 1,
                    paragraph: p.lines.len() == 1,
                });
            }
        }
        units
    }

    fn report(
        &self,
        doc: &Document,
        unit: &Unit,
        first: usize,
        near: bool,
        out: &mut Vec<Finding>,
    ) {
        let what = if near { "nearly repeats" } else { "repeats" };
        let fix = Fix::new(
            Applicability::Unsafe,
            "delete the repeated text",
            vec![Edit::delete(deletion(doc, unit.lines.clone()))],
        );
        out.push(
            Finding::new(unit.span)
                .with_fix(fix)
                .with_var("first", (first + 1).to_string())
                .with_var("how", what),
        );
    }
}

impl Detector for Duplicates {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let units = self.units(doc);
        let mut seen: HashMap<u64, usize> = HashMap::new();
        let mut reported_lines = vec![false; doc.lines.len()];
        // Shingle -> paragraphs holding it, as linked lists in one vector (a
        // vector per shingle costs ten times the text on a large file). Keys are
        // already hashes: no need to hash them again.
        let mut shingle_index: HashMap<u64, u32, Prehashed> = HashMap::default();
        let mut links: Vec<(u32, u32)> = Vec::new(); // (paragraph id, next link)
                                                     // Per indexed paragraph: its first line and its number of shingles.
        let mut shingle_sets: Vec<(usize, usize)> = Vec::new();
        for unit in &units {
            if reported_lines[unit.lines.start] {
                continue;
            }
            let norm = normalize(doc.slice(unit.span));
            if norm.chars().count() < self.min_chars {
                continue;
            }
            let first_line = match seen.entry(xxh3_64(norm.as_bytes())) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(unit.lines.start);
                    None
                }
            };
            if let Some(first) = first_line {
                self.report(doc, unit, first, false, out);
                reported_lines[unit.lines.clone()]
                    .iter_mut()
                    .for_each(|r| *r = true);
                continue;
            }
            let words: Vec<&str> = norm.split(' ').collect();
            if !unit.paragraph || words.len() < 12 {
                continue;
            }
            // Five words joined by spaces are a slice of `norm`: hash it in place.
            let mut offsets = Vec::with_capacity(words.len());
            let mut at = 0;
            for w in &words {
                offsets.push(at);
                at += w.len() + 1;
            }
            let mut shingles: Vec<u64> = (0..words.len().saturating_sub(4))
                .map(|i| {
                    let end = offsets[i + 4] + words[i + 4].len();
                    xxh3_64(&norm.as_bytes()[offsets[i]..end])
                })
                .collect();
            shingles.sort_unstable();
            shingles.dedup();
            let mut shared: HashMap<u32, usize> = HashMap::new();
            for s in &shingles {
                let mut link = shingle_index.get(s).copied().unwrap_or(NONE);
                while link != NONE {
                    let (id, next) = links[link as usize];
                    *shared.entry(id).or_default() += 1;
                    link = next;
                }
            }
            let best = shared
                .iter()
                .filter(|(&id, &n)| {
                    let union = shingles.len() + shingle_sets[id as usize].1 - n;
                    n as f64 / union as f64 >= self.threshold
                })
                .map(|(&id, _)| id)
                .min();
            if let Some(id) = best {
                let first = shingle_sets[id as usize].0;
                self.report(doc, unit, first, true, out);
                reported_lines[unit.lines.clone()]
                    .iter_mut()
                    .for_each(|r| *r = true);
                continue;
            }
            let id = shingle_sets.len() as u32;
            for s in &shingles {
                let head = shingle_index.entry(*s).or_insert(NONE);
                links.push((id, *head));
                *head = (links.len() - 1) as u32;
            }
            shingle_sets.push((unit.lines.start, shingles.len()));
        }
    }

    fn stage(&self) -> Stage {
        Stage::Structure
    }

    fn prose_only(&self) -> bool {
        false
    }
}
