//! `kind = "duplicate"`: lines and paragraphs pasted more than once.
//!
//! Each paragraph, and each line of at least `min_chars` characters, is normalized
//! (case-folded, punctuation dropped, white space collapsed, digits trimmed from
//! the edges) and hashed; second and later copies are reported and point at the first.
//!
//! What a paste accident looks like decides what is reported: a copy of at least
//! eight words, at most two copies in the document. Text repeated three times or
//! more is a template ("Return value: New reference."), and short repeated lines
//! are labels, unless classifying rules already marked them as credits, captions
//! or chrome: a credit line pasted three times is still reported. In technical
//! text (`Document::is_technical`), where reference pages repeat their notes on
//! purpose, only a paragraph repeated right after itself counts.
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

/// Case-folded, punctuation dropped, white space collapsed, digits trimmed at
/// the edges: "Story, long" and "story - long" are the same text.
fn normalize(text: &str) -> String {
    let trimmed = text.trim_matches(|c: char| !c.is_alphabetic());
    let mut out = String::with_capacity(trimmed.len());
    let words = trimmed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    for word in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
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

struct Unit {
    span: Span,
    hash: u64,
    words: usize,
    lines: std::ops::Range<usize>,
    /// The normalized text of a whole paragraph long enough to be compared for
    /// near-duplicates (12 words or more), kept for its shingles. Near-duplicates
    /// are judged on paragraphs only.
    near_text: Option<String>,
}

impl Duplicates {
    fn units(&self, doc: &Document) -> Vec<Unit> {
        let mut units = Vec::new();
        for p in &doc.paragraphs {
            if p.lines.len() > 1 {
                units.push(self.unit(doc, p.span, p.lines.clone(), true));
            }
            for i in p.lines.clone() {
                units.push(self.unit(doc, doc.lines[i].trimmed, i..i + 1, p.lines.len() == 1));
            }
        }
        units.retain(|u| u.words > 0);
        units
    }

    fn unit(
        &self,
        doc: &Document,
        span: Span,
        lines: std::ops::Range<usize>,
        paragraph: bool,
    ) -> Unit {
        let norm = normalize(doc.slice(span));
        let long_enough = norm.chars().count() >= self.min_chars;
        let words = if long_enough {
            norm.split(' ').count()
        } else {
            0
        };
        Unit {
            span,
            hash: xxh3_64(norm.as_bytes()),
            words,
            lines,
            near_text: (paragraph && words >= 12).then_some(norm),
        }
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

/// Where an earlier copy sits: its first line (for the message) and the line
/// after its last (to tell whether the repeat follows it directly).
#[derive(Clone, Copy)]
struct Earlier {
    first: usize,
    end: usize,
}

impl Duplicates {
    /// Hashes of every run of five words; the normalized text separates words by
    /// one space, so a run is a slice of it.
    fn shingles(norm: &str) -> Vec<u64> {
        let mut starts = vec![0];
        starts.extend(norm.match_indices(' ').map(|(i, _)| i + 1));
        let end_of = |word: usize| starts.get(word + 1).map_or(norm.len(), |&s| s - 1);
        let mut shingles: Vec<u64> = (0..starts.len().saturating_sub(4))
            .map(|i| xxh3_64(&norm.as_bytes()[starts[i]..end_of(i + 4)]))
            .collect();
        shingles.sort_unstable();
        shingles.dedup();
        shingles
    }
}

impl Detector for Duplicates {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let units = self.units(doc);
        let mut copies: HashMap<u64, usize> = HashMap::new();
        for u in &units {
            *copies.entry(u.hash).or_default() += 1;
        }
        let classified = |u: &Unit| u.lines.clone().any(|i| doc.lines[i].class.is_some());
        let technical = doc.is_technical();
        // Whether a repeat counts: in technical text only right after its first copy.
        let counts = |unit: &Unit, earlier: Earlier| {
            classified(unit)
                || !technical
                || (earlier.end..unit.lines.start).all(|i| doc.lines[i].blank)
        };
        let mut seen: HashMap<u64, Earlier> = HashMap::new();
        let mut reported_lines = vec![false; doc.lines.len()];
        let mut shingle_index: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut shingle_sets: Vec<(Earlier, Vec<u64>)> = Vec::new();
        for unit in &units {
            if reported_lines[unit.lines.start] {
                continue;
            }
            if !classified(unit) && (unit.words < 8 || copies[&unit.hash] > 2) {
                continue;
            }
            let here = Earlier {
                first: unit.lines.start,
                end: unit.lines.end,
            };
            let earlier = *seen.entry(unit.hash).or_insert(here);
            if earlier.first != here.first {
                if counts(unit, earlier) {
                    self.report(doc, unit, earlier.first, false, out);
                    reported_lines[unit.lines.clone()]
                        .iter_mut()
                        .for_each(|r| *r = true);
                }
                continue;
            }
            let Some(norm) = &unit.near_text else {
                continue;
            };
            let shingles = Self::shingles(norm);
            let mut shared: HashMap<u32, usize> = HashMap::new();
            for s in &shingles {
                for &id in shingle_index.get(s).into_iter().flatten() {
                    *shared.entry(id).or_default() += 1;
                }
            }
            let near = shared
                .iter()
                .filter(|(&id, &n)| {
                    let union = shingles.len() + shingle_sets[id as usize].1.len() - n;
                    n as f64 / union as f64 >= self.threshold
                })
                .map(|(&id, _)| shingle_sets[id as usize].0)
                .min_by_key(|e| e.first);
            if let Some(earlier) = near {
                if counts(unit, earlier) {
                    self.report(doc, unit, earlier.first, true, out);
                    reported_lines[unit.lines.clone()]
                        .iter_mut()
                        .for_each(|r| *r = true);
                }
                continue;
            }
            let id = shingle_sets.len() as u32;
            for s in &shingles {
                shingle_index.entry(*s).or_default().push(id);
            }
            shingle_sets.push((here, shingles));
        }
    }

    fn stage(&self) -> Stage {
        Stage::Structure
    }

    fn prose_only(&self) -> bool {
        false
    }
}
