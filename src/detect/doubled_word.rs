//! `kind = "doubled-word"`: "in particular particular", also across a line break
//! ("led to⏎to the"), which is how a scraper's line join usually doubles a word.
//!
//! Only white space may separate the two words. Words in `allow` ("had had",
//! "that that") and capitalized pairs in mid-sentence ("Bora Bora") are left alone.
//! The fix deletes the second copy and is safe: it cannot change what is said.

use super::{list, word_set, Detector, Finding, ParamError};
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::schema::RawRule;
use std::collections::HashSet;

#[derive(Debug)]
pub struct DoubledWord {
    allow: HashSet<String>,
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    Ok(Box::new(DoubledWord {
        allow: word_set(list(&rule.allow)),
    }))
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

impl Detector for DoubledWord {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let hashes = doc.word_hashes();
        for (i, pair) in doc.words.windows(2).enumerate() {
            // Words equal but for case have equal hashes.
            if hashes[i] != hashes[i + 1] || pair[0].code || pair[1].code {
                continue;
            }
            let (a, b) = (pair[0].span(), pair[1].span());
            let (wa, wb) = (doc.slice(a), doc.slice(b));
            // ASCII words differ ignoring case exactly when their lowercase forms do.
            if !wa.eq_ignore_ascii_case(wb)
                && ((wa.is_ascii() && wb.is_ascii()) || wa.to_lowercase() != wb.to_lowercase())
            {
                continue;
            }
            if !wa.chars().all(char::is_alphabetic) || self.allow.contains(&wa.to_lowercase()) {
                continue;
            }
            let gap = &doc.text[a.end..b.start];
            if !gap.chars().all(char::is_whitespace) || gap.matches('\n').count() > 1 {
                continue;
            }
            if starts_upper(wa) && starts_upper(wb) {
                let before = doc.text[..a.start].trim_end();
                let sentence_start = before.is_empty() || before.ends_with(['.', '!', '?', '\n']);
                if !sentence_start {
                    continue; // "Bora Bora", "Sirhan Sirhan"
                }
            }
            let fix = Fix::new(
                Applicability::Safe,
                format!("delete the second `{wb}`"),
                vec![Edit::delete(Span::new(a.end, b.end))],
            );
            out.push(
                Finding::new(Span::new(a.start, b.end))
                    .with_fix(fix)
                    .with_var("word", wa.to_lowercase()),
            );
        }
    }
}
