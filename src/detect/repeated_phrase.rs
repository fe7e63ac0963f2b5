//! `kind = "repeated-phrase"`: the same one to three words on both sides of a
//! conjunction ("counter-terrorism and counter-terrorism"), which a translator
//! produces when two different words had one translation.
//!
//! `words` lists the conjunctions (default `and`, `or`). Idioms that repeat on
//! purpose ("more and more", "again and again") go in `allow`; comparatives
//! ("bigger and bigger") are recognized by their ending. Both sides must be
//! spelled alike (only the first letter may differ in case), and a capitalized
//! single word ("Johnson and Johnson") or a code word is left alone, as are
//! "may or may not" and a second half that starts a new clause ("sent to the
//! client and the client must reply"). The fix
//! deletes the second half and is unsafe: the writer probably meant two
//! different words.

use super::lexical::WordList;
use super::{list, word_set, Detector, Finding, ParamError};
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::schema::RawRule;
use std::collections::HashSet;

#[derive(Debug)]
pub struct RepeatedPhrase {
    conjunctions: WordList,
    allow: HashSet<String>,
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    let mut conjunctions = word_set(list(&rule.words));
    if conjunctions.is_empty() {
        conjunctions = ["and", "or"].map(String::from).into();
    }
    Ok(Box::new(RepeatedPhrase {
        conjunctions: WordList::new(conjunctions),
        allow: word_set(list(&rule.allow)),
    }))
}

impl RepeatedPhrase {
    fn idiomatic(&self, words: &[&str]) -> bool {
        let [w] = words else { return false };
        w.chars().count() < 2
            || self.allow.contains(&w.to_lowercase())
            || crate::data::stopwords().contains(w.to_lowercase())
            || (w.len() >= 4 && w.ends_with("er"))
            || w.chars().any(char::is_numeric)
            || w.chars().next().is_some_and(char::is_uppercase)
    }
}

/// Equal words, except that the very first letter may differ in case (a
/// sentence start).
fn same_phrase(left: &[&str], right: &[&str]) -> bool {
    let first_equal = |a: &str, b: &str| {
        let (mut ca, mut cb) = (a.chars(), b.chars());
        let (fa, fb) = (ca.next(), cb.next());
        fa.map(|c| {
            c.to_lowercase()
                .eq(fb.into_iter().flat_map(char::to_lowercase))
        }) == Some(true)
            && ca.as_str() == cb.as_str()
    };
    left.len() == right.len()
        && first_equal(left[0], right[0])
        && left[1..].iter().zip(&right[1..]).all(|(a, b)| a == b)
}

impl Detector for RepeatedPhrase {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let words = &doc.words;
        // Only white space may separate the words, and no blank line.
        let joined = |i: usize, j: usize| -> bool {
            (i..j).all(|k| {
                let gap = &doc.text[words[k].span().end..words[k + 1].span().start];
                gap.chars().all(char::is_whitespace) && gap.matches('\n').count() <= 1
            })
        };
        let hashes = doc.word_hashes();
        // Sides spelled alike have equal hashes (see `same_phrase`), so the
        // word after a conjunction repeats one of the three before it: a test
        // on hashes that rules out nearly every word before the list is asked.
        let candidates = (1..words.len().saturating_sub(1)).filter(|&c| {
            let next = hashes[c + 1];
            hashes[c - 1] == next
                || (c >= 2 && hashes[c - 2] == next)
                || (c >= 3 && hashes[c - 3] == next)
        });
        for c in candidates.filter(|&c| self.conjunctions.has(doc, c)) {
            for n in (1..=3).rev() {
                if c < n || c + n >= words.len() || (c - n..=c + n).any(|k| words[k].code) {
                    continue;
                }
                // Sides spelled alike have equal hashes (see `same_phrase`).
                if hashes[c - n..c] != hashes[c + 1..=c + n] {
                    continue;
                }
                let left: Vec<&str> = (c - n..c).map(|k| doc.word_text(k)).collect();
                let right: Vec<&str> = (c + 1..=c + n).map(|k| doc.word_text(k)).collect();
                if !same_phrase(&left, &right) || self.idiomatic(&right) || !joined(c - n, c + n) {
                    continue;
                }
                if words.get(c + n + 1).is_some_and(|w| {
                    let next = doc.slice(w.span());
                    next == "not" || super::lexical::is_finite_verb(next)
                }) {
                    continue;
                }
                let span = Span::new(words[c - n].span().start, words[c + n].span().end);
                let second = Span::new(words[c - 1].span().end, words[c + n].span().end);
                let fix = Fix::new(
                    Applicability::Unsafe,
                    format!("delete the repeated `{}`", doc.slice(second).trim()),
                    vec![Edit::delete(second)],
                );
                out.push(
                    Finding::new(span)
                        .with_fix(fix)
                        .with_var("phrase", right.join(" ")),
                );
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        let rule = RepeatedPhrase {
            conjunctions: WordList::new(["and", "or"].map(String::from).into()),
            allow: HashSet::new(),
        };
        let doc = Document::new(text);
        let mut out = Vec::new();
        rule.check(&doc, &mut out);
        out.iter().map(|f| doc.slice(f.span).to_owned()).collect()
    }

    #[test]
    fn sides_of_one_to_three_words_and_the_longest_wins() {
        assert_eq!(
            found("fight terrorism and terrorism now"),
            ["terrorism and terrorism"]
        );
        assert_eq!(
            found("the red car or the red car left"),
            ["the red car or the red car"]
        );
        assert_eq!(found("big cats and big cats."), ["big cats and big cats"]);
        // The word after the conjunction repeats one before it, but the sides differ.
        assert!(found("cats and dogs and cats").is_empty());
        assert!(found("and and").is_empty());
        assert!(found("a b c and x b c").is_empty());
    }
}
