//! Baselines: accept today's findings, report only new ones.
//!
//! An entry is keyed on the file's path, the rule, and a hash of the flagged text
//! with about 20 characters of context on either side (white space collapsed), not
//! on line numbers: editing elsewhere in a file does not bring old findings back,
//! while a finding whose text or surroundings changed counts as new. Entries are a
//! multiset: if the baseline holds one "the the" and the file now has two, one is
//! reported.
//!
//! The file is JSON, sorted so that it diffs well under version control:
//!
//! ```json
//! {
//!   "version": 1,
//!   "entries": [
//!     { "path": "a.md", "rule": "doubled-word", "hash": "9c1f0e2d4b7a3e55", "count": 1 }
//!   ]
//! }
//! ```

use crate::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The format version written in the file.
pub const VERSION: u32 = 1;

/// Characters of context on each side of the flagged text.
const CONTEXT: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub hash: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub version: u32,
    pub entries: Vec<Entry>,
}

type Key = (String, String, String);

/// A multiset of accepted findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    counts: BTreeMap<Key, usize>,
}

/// Collapses white space so that re-wrapping a line does not change a key.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The content hash of one finding: its text and a little context.
pub fn fingerprint(text: &str, d: &Diagnostic) -> String {
    let before: String = {
        let mut chars: Vec<char> = text[..d.span.start].chars().rev().take(CONTEXT).collect();
        chars.reverse();
        chars.into_iter().collect()
    };
    let after: String = text[d.span.end..].chars().take(CONTEXT).collect();
    let key = format!(
        "{}\u{1f}{}\u{1f}{}",
        normalize(&before),
        normalize(&text[d.span.start..d.span.end]),
        normalize(&after)
    );
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

fn key(path: &str, text: &str, d: &Diagnostic) -> Key {
    (
        normalize_path(path),
        d.rule.to_string(),
        fingerprint(text, d),
    )
}

/// Paths are compared with `/` separators and without a leading `./`.
fn normalize_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.strip_prefix("./").unwrap_or(&path).to_string()
}

impl Baseline {
    /// Records one file's findings.
    pub fn add(&mut self, path: &str, text: &str, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            *self.counts.entry(key(path, text, d)).or_default() += 1;
        }
    }

    /// Adds another baseline's entries (files recorded in parallel).
    pub fn merge(&mut self, other: Baseline) {
        for (k, n) in other.counts {
            *self.counts.entry(k).or_default() += n;
        }
    }

    /// Total findings recorded.
    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Drops the findings of one file that the baseline accepts, using up one
    /// accepted entry per finding.
    pub fn filter(&mut self, path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain(|d| match self.counts.get_mut(&key(path, text, d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
    }

    pub fn to_file(&self) -> BaselineFile {
        BaselineFile {
            version: VERSION,
            entries: self
                .counts
                .iter()
                .map(|((path, rule, hash), &count)| Entry {
                    path: path.clone(),
                    rule: rule.clone(),
                    hash: hash.clone(),
                    count,
                })
                .collect(),
        }
    }

    pub fn to_json(&self) -> String {
        let mut json =
            serde_json::to_string_pretty(&self.to_file()).expect("a baseline always serializes");
        json.push('\n');
        json
    }

    /// Reads a baseline file's text.
    pub fn from_json(json: &str) -> Result<Baseline, String> {
        let file: BaselineFile = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if file.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {VERSION})",
                file.version
            ));
        }
        let mut baseline = Baseline::default();
        for e in file.entries {
            *baseline
                .counts
                .entry((normalize_path(&e.path), e.rule, e.hash))
                .or_default() += e.count;
        }
        Ok(baseline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Category, Severity, Span};

    fn doubled(text: &str, nth: usize) -> Diagnostic {
        let start = text.match_indices("the the").nth(nth).unwrap().0;
        Diagnostic {
            rule: "doubled-word".into(),
            category: Some(Category::Repetition),
            severity: Severity::Warning,
            message: String::new(),
            span: Span::new(start, start + 7),
            fix: None,
        }
    }

    #[test]
    fn survives_an_edit_elsewhere_and_counts_duplicates() {
        let block = "An introduction long enough. We saw the the cat. And then it went away.\n";
        let old = block;
        let mut baseline = Baseline::default();
        baseline.add("./a.md", old, &[doubled(old, 0)]);
        let baseline = Baseline::from_json(&baseline.to_json()).unwrap();

        let new = format!("A new first paragraph.\n\n{block}");
        let new = new.as_str();
        let mut d = vec![doubled(new, 0)];
        baseline.clone().filter("a.md", new, &mut d);
        assert!(d.is_empty());

        let twice = format!("{block}{block}");
        let twice = twice.as_str();
        let mut d = vec![doubled(twice, 0), doubled(twice, 1)];
        baseline.clone().filter("a.md", twice, &mut d);
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn other_path_or_version_do_not_match() {
        let text = "the the";
        let mut baseline = Baseline::default();
        baseline.add("a.md", text, &[doubled(text, 0)]);
        let mut d = vec![doubled(text, 0)];
        baseline.filter("b.md", text, &mut d);
        assert_eq!(d.len(), 1);
        assert!(Baseline::from_json(r#"{"version":2,"entries":[]}"#).is_err());
    }
}
