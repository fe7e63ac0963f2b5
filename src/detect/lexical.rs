//! Small word-class tests shared by detectors, built on the shipped word lists.

use crate::data;
use crate::document::words::{lower_hash, FastState, HashFilter};
use crate::document::Document;
use std::collections::HashSet;

/// Auxiliaries and modals: the verb right after a subject.
const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "can", "could", "must", "may", "might", "should", "shall", "will",
    "would", "has", "have", "had", "does", "do", "did",
];

/// "specifies" -> "specify": a third-person verb whose base form is only a verb.
pub fn is_third_person_verb(word: &str) -> bool {
    let verbs = data::verbs();
    let stems = [
        word.strip_suffix("ies").map(|s| format!("{s}y")),
        word.strip_suffix("es").map(str::to_owned),
        word.strip_suffix('s').map(str::to_owned),
    ];
    stems.into_iter().flatten().any(|s| verbs.contains(&s))
}

/// A word that shows a clause has begun: an auxiliary or a third-person verb.
pub fn is_finite_verb(word: &str) -> bool {
    AUXILIARIES.contains(&word) || word == "defaults" || is_third_person_verb(word)
}

/// A list of lowercase words (a rule's `words` or `allow`), looked up by the
/// hash of a word's lowercase form (`Document::word_hashes`): most words are
/// ruled out by the filter, without being lowercased.
#[derive(Debug)]
pub struct WordList {
    words: HashSet<String>,
    hashes: HashSet<u64, FastState>,
    filter: HashFilter,
}

impl WordList {
    /// `words` must be lowercase (see `detect::word_set`).
    pub fn new(words: HashSet<String>) -> Self {
        let hashes: HashSet<u64, FastState> = words.iter().map(|w| lower_hash(w)).collect();
        let mut filter = HashFilter::with_capacity(hashes.len());
        for &h in &hashes {
            filter.insert(h);
        }
        WordList {
            words,
            hashes,
            filter,
        }
    }

    /// The indices of the words of `doc` that are in the list once lowercased.
    pub fn occurrences<'d>(&'d self, doc: &'d Document) -> impl Iterator<Item = usize> + 'd {
        (0..doc.words.len()).filter(move |&i| self.has(doc, i))
    }

    /// Whether word `i` of `doc` is in the list once lowercased.
    #[inline]
    pub fn has(&self, doc: &Document, i: usize) -> bool {
        let hash = doc.word_hashes()[i];
        self.filter.may_contain(hash) && self.confirm(doc.word_text(i), hash)
    }

    fn confirm(&self, word: &str, hash: u64) -> bool {
        if !self.hashes.contains(&hash) {
            return false;
        }
        // Short ASCII words are lowercased on the stack.
        let mut buf = [0u8; 32];
        match buf.get_mut(..word.len()) {
            Some(lower) if word.is_ascii() => {
                lower.copy_from_slice(word.as_bytes());
                lower.make_ascii_lowercase();
                let lower = std::str::from_utf8(lower).expect("ASCII");
                self.words.contains(lower)
            }
            _ => self.words.contains(&word.to_lowercase()),
        }
    }
}
