//! `kind = "phrase"`: a list of phrases, found anywhere as whole words with one
//! Aho-Corasick automaton (ASCII case folding unless `case_sensitive`).

use super::{flag, required, Detector, Finding, ParamError};
use crate::diagnostic::Span;
use crate::document::Document;
use crate::rules::schema::RawRule;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

#[derive(Debug)]
pub struct Phrase {
    automaton: AhoCorasick,
    prose_only: bool,
}

pub fn automaton(phrases: &[String], case_sensitive: bool) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(!case_sensitive)
        .match_kind(MatchKind::LeftmostLongest)
        .build(phrases)
        .expect("phrase lists are small enough for Aho-Corasick")
}

/// True when the match is not glued to letters or digits on either side.
pub fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    let phrases = required(rule, &rule.phrases, "phrases")?;
    if phrases.iter().any(|p| p.trim().is_empty()) {
        let span = rule.phrases.as_ref().map(|p| p.span()).unwrap_or_default();
        return Err(ParamError::at(span, "a phrase is empty"));
    }
    Ok(Box::new(Phrase {
        automaton: automaton(phrases, flag(&rule.case_sensitive, false)),
        prose_only: flag(&rule.prose_only, rule.marks.is_none()),
    }))
}

impl Detector for Phrase {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        for m in self.automaton.find_iter(doc.text) {
            if whole_word(doc.text, m.start(), m.end()) {
                out.push(Finding::new(Span::new(m.start(), m.end())));
            }
        }
    }

    fn stage(&self) -> super::Stage {
        if self.prose_only {
            super::Stage::Prose
        } else {
            super::Stage::Classify
        }
    }

    fn prose_only(&self) -> bool {
        self.prose_only
    }
}
