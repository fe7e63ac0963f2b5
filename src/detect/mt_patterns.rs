//! Machine-translation patterns that need a part-of-speech word list.
//!
//! `kind = "bare-verb"`: a verb that takes `to` (`words`: seem, appear, tend...)
//! followed directly by a base-form verb ("seemed backpedal"). The verb list holds
//! only words WordNet knows as verbs and never as nouns or adjectives, so "seemed
//! content" or "appeared live" stay silent. Inserting `to` is offered as an unsafe
//! fix.

use super::lexical::WordList;
use super::{list, required, word_set, Detector, Finding, Hits, Needles, ParamError};
use crate::data;
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::schema::RawRule;
use std::collections::HashSet;

#[derive(Debug)]
pub struct BareVerb {
    triggers: WordList,
    allow: HashSet<String>,
}

pub fn compile_bare_verb(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    required(rule, &rule.words, "words")?;
    Ok(Box::new(BareVerb {
        triggers: WordList::new(word_set(list(&rule.words))),
        allow: word_set(list(&rule.allow)),
    }))
}

impl BareVerb {
    /// A trigger at word `i` followed by a bare verb.
    fn check_word(&self, doc: &Document, i: usize, out: &mut Vec<Finding>) {
        let Some(pair) = doc.words.get(i..i + 2) else {
            return;
        };
        let (a, b) = (pair[0].span(), pair[1].span());
        if pair[1].code || doc.slice(Span::new(a.end, b.start)) != " " {
            return;
        }
        let verb = doc.slice(b);
        if !pair[1].shape.is_ascii_lowercase()
            || self.allow.contains(verb)
            || !data::verbs().contains(verb)
        {
            return;
        }
        let fix = Fix::new(
            Applicability::Unsafe,
            format!("insert `to` before `{verb}`"),
            vec![Edit::replace(Span::new(b.start, b.start), "to ")],
        );
        out.push(
            Finding::new(Span::new(a.start, b.end))
                .with_fix(fix)
                .with_var("verb", verb),
        );
    }
}

impl Detector for BareVerb {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        for i in self.triggers.occurrences(doc) {
            self.check_word(doc, i, out);
        }
    }

    /// The trigger words are rare: the scan finds them, not a pass over
    /// every word.
    fn needles(&self) -> Option<Needles> {
        self.triggers.needles()
    }

    fn check_at(&self, doc: &Document, hits: Hits, out: &mut Vec<Finding>) {
        for i in self.triggers.occurrences_at(doc, hits) {
            self.check_word(doc, i, out);
        }
    }
}
