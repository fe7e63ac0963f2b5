//! Small word-class tests shared by detectors, built on the shipped word lists.

use super::prefilter::FOLDS_TO_ASCII;
use super::{Hits, Needles};
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

    /// Literals one of which every word in the list once lowercased holds,
    /// for needle gating: each word matched ignoring ASCII case, and those of
    /// the characters beyond ASCII that fold to ASCII letters which lowercase
    /// into a letter of a word (the Kelvin sign into `k`; `ſ` stays `ſ`).
    /// None for a list with a word beyond ASCII.
    pub fn needles(&self) -> Option<Needles> {
        if !self.words.iter().all(|w| w.is_ascii()) {
            return None;
        }
        let mut words: Vec<Vec<u8>> = self.words.iter().map(|w| w.as_bytes().to_vec()).collect();
        words.sort();
        let mut needles = Needles::new(words, false);
        needles.exact = FOLDS_TO_ASCII
            .iter()
            .filter(|f| {
                let lower = f.to_lowercase();
                lower.is_ascii() && self.words.iter().any(|w| w.contains(&lower))
            })
            .map(|f| f.as_bytes().to_vec())
            .collect();
        Some(needles)
    }

    /// The indices of the words of `doc` where a needle occurs (`hits`, sorted)
    /// that are in the list once lowercased.
    pub fn occurrences_at<'d>(
        &'d self,
        doc: &'d Document,
        hits: Hits<'d>,
    ) -> impl Iterator<Item = usize> + 'd {
        // The word each hit starts in, once (hits are sorted).
        let mut last = None;
        hits.iter()
            .filter_map(move |&(start, _)| {
                let i = doc.words.partition_point(|w| w.span().start <= start);
                let i = i.checked_sub(1)?;
                let new = doc.words[i].span().end > start && last != Some(i);
                last = Some(i);
                new.then_some(i)
            })
            .filter(|&i| self.has(doc, i))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::needle_scan::NeedleScanner;

    /// Gated by its needles, a word list finds exactly the words a pass over
    /// every word finds: any case, the Kelvin sign for `k`, words inside
    /// longer words left out.
    #[test]
    fn needles_find_every_listed_word() {
        let list = WordList::new(["seem", "take"].map(String::from).into());
        let needles = list.needles().expect("ASCII words have needles");
        assert_eq!(needles.folded, [b"seem".to_vec(), b"take".to_vec()]);
        assert_eq!(needles.exact, ["\u{212A}".as_bytes().to_vec()]);
        let scanner = NeedleScanner::new(&[Some(needles)]);
        let text = "SEEM seemed Seem ta\u{212A}e, TAKE retake overtake seem-take seem";
        let doc = Document::new(text);
        let mut hits = Vec::new();
        scanner.scan(text, &mut hits);
        let gated: Vec<usize> = list.occurrences_at(&doc, &hits[0]).collect();
        let every: Vec<usize> = list.occurrences(&doc).collect();
        assert_eq!(gated, every);
        let found: Vec<&str> = every.iter().map(|&i| doc.word_text(i)).collect();
        assert_eq!(found, ["SEEM", "Seem", "ta\u{212A}e", "TAKE", "seem"]);
        let beyond_ascii = WordList::new(["café"].map(String::from).into());
        assert_eq!(beyond_ascii.needles(), None);
    }
}
