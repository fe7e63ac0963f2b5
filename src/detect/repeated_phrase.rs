//! `kind = "repeated-phrase"`: the same one to three words on both sides of a
//! conjunction ("counter-terrorism and counter-terrorism"), which a translator
//! produces when two different words had one translation.
//!
//! `words` lists the conjunctions (default `and`, `or`). Idioms that repeat on
//! purpose ("more and more", "again and again") go in `allow`; comparatives
//! ("bigger and bigger") are recognized by their ending. The fix deletes the second
//! half and is unsafe: the writer probably meant two different words.

use super::{list, word_set, Detector, Finding, ParamError};
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::schema::RawRule;
use std::collections::HashSet;

#[derive(Debug)]
pub struct RepeatedPhrase {
    conjunctions: HashSet<String>,
    allow: HashSet<String>,
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    let mut conjunctions = word_set(list(&rule.words));
    if conjunctions.is_empty() {
        conjunctions = ["and", "or"].map(String::from).into();
    }
    Ok(Box::new(RepeatedPhrase {
        conjunctions,
        allow: word_set(list(&rule.allow)),
    }))
}

impl RepeatedPhrase {
    fn idiomatic(&self, words: &[String]) -> bool {
        if words.len() != 1 {
            return false;
        }
        let w = &words[0];
        self.allow.contains(w)
            || (w.len() >= 4 && w.ends_with("er"))
            || w.chars().any(|c| c.is_numeric())
    }
}

impl Detector for RepeatedPhrase {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let words = &doc.words;
        // Only white space may separate the words of the whole construction.
        let joined = |i: usize, j: usize| -> bool {
            (i..j).all(|k| {
                doc.text[words[k].span.end..words[k + 1].span.start]
                    .chars()
                    .all(char::is_whitespace)
            })
        };
        for c in 1..words.len().saturating_sub(1) {
            if !self.conjunctions.contains(&doc.word_text(c).to_lowercase()) {
                continue;
            }
            for n in (1..=3).rev() {
                if c < n || c + n >= words.len() {
                    continue;
                }
                let left: Vec<String> = (c - n..c)
                    .map(|k| doc.word_text(k).to_lowercase())
                    .collect();
                let right: Vec<String> = (c + 1..=c + n)
                    .map(|k| doc.word_text(k).to_lowercase())
                    .collect();
                if left != right || self.idiomatic(&left) || !joined(c - n, c + n) {
                    continue;
                }
                let span = Span::new(words[c - n].span.start, words[c + n].span.end);
                let second = Span::new(words[c - 1].span.end, words[c + n].span.end);
                let fix = Fix::new(
                    Applicability::Unsafe,
                    format!("delete the repeated `{}`", doc.slice(second).trim()),
                    vec![Edit::delete(second)],
                );
                out.push(
                    Finding::new(span)
                        .with_fix(fix)
                        .with_var("phrase", left.join(" ")),
                );
                break;
            }
        }
    }
}
