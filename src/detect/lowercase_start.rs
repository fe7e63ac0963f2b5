//! `kind = "lowercase-start"`: a sentence that starts with a lowercase word after a
//! period on the same line ("he said. virtual money"), the mark of a sentence split
//! in the wrong place by a translator or a scraper.
//!
//! Abbreviations are not sentence ends: a one-letter word before the period
//! ("U.S.", "e.g.", "p.m."), a number ("No. 3."), an ellipsis, or a word in `allow`
//! ("etc.", "vs.", "approx."). Brand names with inner capitals ("iPhone") are
//! allowed to start lowercase, and so are identifiers: a word glued to code
//! punctuation, or a word that is no function word followed directly by a verb
//! ("members is optional", "fd specifies"), the way reference documentation
//! starts sentences with parameter names. Capitalizing is offered as an unsafe
//! fix: the period may be the mistake.

use super::{list, word_set, Detector, Finding, ParamError};
use crate::data;
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::schema::RawRule;
use std::collections::HashSet;

#[derive(Debug)]
pub struct LowercaseStart {
    abbreviations: HashSet<String>,
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    Ok(Box::new(LowercaseStart {
        abbreviations: word_set(list(&rule.allow)),
    }))
}

/// A parameter name starting a sentence: a content word followed by a verb.
fn is_subject_identifier(doc: &Document, word: usize) -> bool {
    let w = doc.word_text(word).to_lowercase();
    if data::stopwords().contains(&w) {
        return false;
    }
    let Some(next) = doc.words.get(word + 1) else {
        return false;
    };
    if doc.text[doc.words[word].span().end..next.span().start] != *" " {
        return false;
    }
    let next = doc.slice(next.span());
    super::lexical::is_finite_verb(next)
}

impl Detector for LowercaseStart {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        for (i, pair) in doc.words.windows(2).enumerate() {
            if pair[0].code || pair[1].code {
                continue;
            }
            let (prev, word) = (pair[0].span(), pair[1].span());
            if doc.text.as_bytes()[prev.end] != b'.' {
                continue;
            }
            let gap = &doc.text[prev.end..word.start];
            // Exactly one period, then spaces (a line break is the hard-break rule's).
            let Some(rest) = gap.strip_prefix('.') else {
                continue;
            };
            if rest.is_empty() || !rest.chars().all(|c| c == ' ' || c == '\u{a0}' || c == '\t') {
                continue;
            }
            let w = doc.slice(word);
            let mut chars = w.chars();
            if !chars.next().is_some_and(char::is_lowercase)
                || chars.any(char::is_uppercase)
                || is_subject_identifier(doc, i + 1)
            {
                continue;
            }
            let p = doc.slice(prev);
            if p.chars().count() == 1
                || p.chars().any(|c| c.is_numeric())
                || self.abbreviations.contains(&p.to_lowercase())
            {
                continue;
            }
            let mut capital: String = w
                .chars()
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .collect();
            capital.push_str(&w[w.chars().next().map_or(0, char::len_utf8)..]);
            let fix = Fix::new(
                Applicability::Unsafe,
                format!("capitalize `{capital}`"),
                vec![Edit::replace(word, capital.clone())],
            );
            out.push(
                Finding::new(Span::new(prev.end, word.end))
                    .with_fix(fix)
                    .with_var("word", w),
            );
        }
    }
}
