//! `kind = "phrase"`: a list of phrases, found anywhere as whole words with one
//! Aho-Corasick automaton (ASCII case folding unless `case_sensitive`).

use super::staged::Staged;
use super::{flag, required, Detector, Finding, Hits, Needles, ParamError};
use crate::diagnostic::Span;
use crate::document::Document;
use crate::rules::schema::RawRule;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

#[derive(Debug)]
pub struct Phrase {
    phrases: Phrases,
    prose_only: bool,
}

/// Bytes searched with an NFA before the phrases' DFA is built: about where
/// the DFA's build time is paid back by its faster search.
const NFA_BUDGET: usize = 64 << 10;

/// A list of phrases and its automaton (leftmost-longest, ASCII case folding
/// unless case-sensitive), built on first use: a rule whose needles are absent
/// never needs it.
#[derive(Debug)]
pub struct Phrases {
    phrases: Vec<String>,
    case_sensitive: bool,
    automaton: Staged<AhoCorasick>,
}

impl Phrases {
    pub fn new(phrases: Vec<String>, case_sensitive: bool) -> Phrases {
        Phrases {
            phrases,
            case_sensitive,
            automaton: Staged::new(NFA_BUDGET),
        }
    }

    /// The automaton to search a text of `len` bytes with.
    pub fn searcher(&self, len: usize) -> &AhoCorasick {
        self.automaton.get(len, |fast| {
            automaton(&self.phrases, self.case_sensitive, fast)
        })
    }

    pub fn needles(&self) -> Needles {
        needles(&self.phrases, self.case_sensitive)
    }
}

/// The phrases as needles: matched exactly, or ignoring ASCII case.
pub fn needles(phrases: &[String], case_sensitive: bool) -> Needles {
    let literals = phrases.iter().map(|p| p.as_bytes().to_vec()).collect();
    Needles::new(literals, case_sensitive)
}

/// Of all occurrences (sorted by start), the ones a leftmost-longest search
/// reports: at each step the leftmost, the longest of those, then on from its end.
pub fn leftmost_longest(hits: Hits<'_>) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut next = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < hits.len() {
            let (start, _) = hits[i];
            let mut end = hits[i].1;
            while i < hits.len() && hits[i].0 == start {
                end = end.max(hits[i].1);
                i += 1;
            }
            if start >= next {
                next = end;
                return Some((start, end));
            }
        }
        None
    })
}

/// The automaton of a phrase list: a DFA when `fast`, else an NFA (quicker to
/// build); both find the same leftmost-longest matches.
fn automaton(phrases: &[String], case_sensitive: bool, fast: bool) -> AhoCorasick {
    let kind = match fast {
        true => None,
        false => Some(AhoCorasickKind::NoncontiguousNFA),
    };
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(!case_sensitive)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(kind)
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
    let case_sensitive = flag(&rule.case_sensitive, false);
    Ok(Box::new(Phrase {
        phrases: Phrases::new(phrases.clone(), case_sensitive),
        prose_only: flag(&rule.prose_only, rule.marks.is_none()),
    }))
}

impl Detector for Phrase {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        for m in self.phrases.searcher(doc.text.len()).find_iter(doc.text) {
            if whole_word(doc.text, m.start(), m.end()) {
                out.push(Finding::new(Span::new(m.start(), m.end())));
            }
        }
    }

    fn needles(&self) -> Option<Needles> {
        Some(self.phrases.needles())
    }

    fn check_at(&self, doc: &Document, hits: Hits, out: &mut Vec<Finding>) {
        for (start, end) in leftmost_longest(hits) {
            if whole_word(doc.text, start, end) {
                out.push(Finding::new(Span::new(start, end)));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// All occurrences, reduced by `leftmost_longest`, are what the automaton's
    /// own leftmost-longest search reports.
    #[test]
    fn leftmost_longest_of_all_occurrences_is_the_automatons_choice() {
        let phrases: Vec<String> = ["share", "share this", "this article", "art", "e t", "ticle"]
            .map(String::from)
            .to_vec();
        let text = "Share this article, share this, SHARE THIS ARTICLE; the art";
        let own: Vec<(usize, usize)> = automaton(&phrases, false, true)
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        let nfa: Vec<(usize, usize)> = Phrases::new(phrases.clone(), false)
            .searcher(text.len())
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        assert_eq!(nfa, own);
        let all = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(&phrases)
            .unwrap();
        let mut hits: Vec<(usize, usize)> = all
            .find_overlapping_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        hits.sort_unstable();
        assert!(hits.len() > own.len());
        assert_eq!(leftmost_longest(&hits).collect::<Vec<_>>(), own);
    }
}
