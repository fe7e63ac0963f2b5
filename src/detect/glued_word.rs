//! `kind = "glued-word"`: two words written without a space ("moneysenior").
//!
//! A lowercase token that is in no lexicon is split in two where both halves are
//! frequent words (short halves must be very frequent: "ofthe"). A segmentation
//! alone would split real words ("counterterrorism"), so the lexicon is asked
//! first; a token used twice in the same document is taken to be a real term
//! ("bytecode"), not an accident. Splitting is unsafe: the halves may be a name.

use super::{list, word_set, Detector, Finding, ParamError};
use crate::data;
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::schema::RawRule;
use std::collections::{HashMap, HashSet};

#[derive(Debug)]
pub struct GluedWord {
    allow: HashSet<String>,
    min_chars: usize,
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    Ok(Box::new(GluedWord {
        allow: word_set(list(&rule.allow)),
        min_chars: rule.min_chars.as_ref().map(|v| *v.get_ref()).unwrap_or(7),
    }))
}

/// The rank a half must reach: short halves only count when they are very common.
fn good_half(word: &str) -> Option<u64> {
    let rank = data::frequency_rank(word)?;
    let limit = match word.len() {
        0 | 1 => return None,
        2 => 100,
        3 => 1_500,
        _ => 20_000,
    };
    (rank < limit).then_some(rank)
}

/// The best split point, if both halves are common words.
pub fn split(word: &str) -> Option<usize> {
    (2..=word.len().saturating_sub(2))
        .filter_map(|i| Some((good_half(&word[..i])?.max(good_half(&word[i..])?), i)))
        .min()
        .map(|(_, i)| i)
}

impl Detector for GluedWord {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let mut candidates: Vec<(Span, usize)> = Vec::new();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for w in &doc.words {
            let text = doc.slice(w.span);
            if text.len() < self.min_chars || !text.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            if data::is_word(text) || self.allow.contains(text) {
                continue;
            }
            if let Some(at) = split(text) {
                *counts.entry(text).or_default() += 1;
                candidates.push((w.span, at));
            }
        }
        for (span, at) in candidates {
            let text = doc.slice(span);
            if counts[text] > 1 {
                continue;
            }
            let split_text = format!("{} {}", &text[..at], &text[at..]);
            let fix = Fix::new(
                Applicability::Unsafe,
                format!("split into `{split_text}`"),
                vec![Edit::replace(
                    Span::new(span.start + at, span.start + at),
                    " ",
                )],
            );
            out.push(
                Finding::new(span)
                    .with_fix(fix)
                    .with_var("split", split_text),
            );
        }
    }
}
