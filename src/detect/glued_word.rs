//! `kind = "glued-word"`: two words written without a space ("moneysenior").
//!
//! A lowercase token in no lexicon is split in two where both halves are frequent
//! words (short halves must be very frequent: "ofthe"). Real compounds are
//! recognized before anything is reported:
//! - the lexicon knows the token, or its stem ("backported" -> "backport");
//! - it is a productive prefix plus a word ("deallocating", "nonspacing");
//! - the split is a common collocation ("host name" -> "hostname", from the
//!   shipped bigram list), or its second half is a word-forming element ("-wise",
//!   "-able", "-like");
//! - the document uses the token twice (a term, not an accident), or it touches
//!   code punctuation;
//! - the document is technical (`Document::is_technical`): where identifiers
//!   abound, "maxsplit" and "mainloop" are names, not accidents.
//!
//! Splitting is unsafe: the halves may be a name.

use super::{list, word_set, Detector, Finding, ParamError};
use crate::data;
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::words::FastState;
use crate::document::Document;
use crate::rules::schema::RawRule;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug)]
pub struct GluedWord {
    allow: HashSet<String>,
    min_chars: usize,
    /// Tells this rule's judgements in `JUDGED` from another's.
    id: u64,
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    static NEXT_ID: AtomicU64 = AtomicU64::new(0);
    Ok(Box::new(GluedWord {
        allow: word_set(list(&rule.allow)),
        min_chars: rule.min_chars.as_ref().map(|v| *v.get_ref()).unwrap_or(7),
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
    }))
}

/// Words judged already (`split_point`), kept from one document to the next:
/// a folder of small files has the same long words in file after file, and
/// judging one takes dozens of lexicon lookups. One table per thread (no
/// lock), for one rule at a time (the `id` of the rule it holds judgements
/// of), emptied when it grows past `JUDGED_KEPT` words.
type Judged = HashMap<Judgeable, Option<u8>, FastState>;

/// A word short enough to be kept in the table itself, not behind a pointer:
/// the table is large and looked up for every long word, and each string
/// compared would be another cache miss. Hashed by the hash the tokenizer
/// gave the word (`Document::word_hashes`), compared by its bytes.
#[derive(PartialEq, Eq)]
struct Judgeable {
    hash: u64,
    len: u8,
    bytes: [u8; JUDGEABLE_LEN],
}

/// Longer words (rare) are judged every time.
const JUDGEABLE_LEN: usize = 24;

impl Judgeable {
    fn new(word: &str, hash: u64) -> Option<Judgeable> {
        let mut bytes = [0; JUDGEABLE_LEN];
        bytes
            .get_mut(..word.len())?
            .copy_from_slice(word.as_bytes());
        Some(Judgeable {
            hash,
            len: word.len() as u8,
            bytes,
        })
    }
}

impl std::hash::Hash for Judgeable {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

thread_local! {
    static JUDGED: RefCell<(u64, Judged)> = RefCell::default();
}
const JUDGED_KEPT: usize = 100_000;

/// Prefixes that make new words of any word.
const PREFIXES: &[&str] = &[
    "anti", "auto", "back", "bi", "co", "counter", "cross", "cyber", "de", "dis", "eco", "extra",
    "hyper", "inter", "intra", "macro", "mega", "meta", "micro", "mid", "mini", "mis", "multi",
    "neo", "non", "out", "over", "post", "pre", "pro", "pseudo", "re", "self", "semi", "sub",
    "super", "tele", "trans", "tri", "ultra", "un", "under", "up",
];

/// Second halves that form words rather than name things.
const SUFFIX_WORDS: &[&str] = &[
    "able", "ably", "based", "fold", "free", "ful", "hood", "ism", "ist", "ists", "ize", "ized",
    "izes", "less", "like", "ness", "proof", "ship", "ships", "side", "some", "style", "ward",
    "wards", "ware", "wide", "wise",
];

/// The word without a common inflection ("tracebacks" -> "traceback").
fn stems(word: &str) -> impl Iterator<Item = String> + '_ {
    let endings = ["s", "es", "ed", "d", "ing", "er", "ers", "ly"];
    endings.into_iter().filter_map(move |e| {
        let base = word.strip_suffix(e)?;
        (base.len() >= 3).then(|| base.to_owned())
    })
}

fn known(word: &str) -> bool {
    data::is_word(word) || data::compounds().contains(word)
}

/// True for words that are real, if rare: see the module comment.
fn is_real_compound(word: &str) -> bool {
    if stems(word).any(|s| known(&s) || known(&format!("{s}e"))) {
        return true;
    }
    PREFIXES.iter().any(|p| {
        word.strip_prefix(p)
            .is_some_and(|rest| rest.len() >= 3 && (known(rest) || stems(rest).any(|s| known(&s))))
    })
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

/// The best split point, if both halves are common words and the pair is no
/// common collocation.
pub fn split(word: &str) -> Option<usize> {
    let best = (2..=word.len().saturating_sub(2))
        .filter_map(|i| Some((good_half(&word[..i])?.max(good_half(&word[i..])?), i)))
        .min()
        .map(|(_, i)| i)?;
    let second = &word[best..];
    let collocation = std::iter::once(second.to_owned())
        .chain(stems(second))
        .any(|b| data::compounds().contains(format!("{}{b}", &word[..best])));
    (!collocation && !SUFFIX_WORDS.contains(&second)).then_some(best)
}

impl GluedWord {
    /// Where to split a lowercase token, if it looks like two glued words.
    fn split_point(&self, word: &str) -> Option<usize> {
        if known(word) || self.allow.contains(word) || is_real_compound(word) {
            return None;
        }
        split(word)
    }
}

impl Detector for GluedWord {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        if doc.is_technical() {
            return;
        }
        let mut candidates: Vec<(Span, usize)> = Vec::new();
        let mut counts: HashMap<&str, usize, FastState> = HashMap::default();
        // Words recur (most long ones more than once in a page, and across
        // pages), and judging one takes dozens of lexicon lookups: each
        // distinct word is judged once (`JUDGED`).
        JUDGED.with_borrow_mut(|(id, judged)| {
            if *id != self.id || judged.len() > JUDGED_KEPT {
                judged.clear();
                *id = self.id;
            }
            for (w, &hash) in doc.words.iter().zip(doc.word_hashes()) {
                if w.code || w.span().len() < self.min_chars || !w.shape.is_ascii_lowercase() {
                    continue;
                }
                let text = doc.slice(w.span());
                let at = match Judgeable::new(text, hash) {
                    Some(key) => match judged.get(&key) {
                        Some(&at) => at.map(usize::from),
                        None => {
                            let at = self.split_point(text);
                            // Inside a word of at most 24 bytes.
                            judged.insert(key, at.map(|at| at as u8));
                            at
                        }
                    },
                    None => self.split_point(text),
                };
                if let Some(at) = at {
                    *counts.entry(text).or_default() += 1;
                    candidates.push((w.span(), at));
                }
            }
        });
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Words too long to be kept in the table are judged each time; those of
    /// the longest length kept are judged once and found again.
    #[test]
    fn long_words_are_judged_too() {
        let rule = GluedWord {
            allow: HashSet::new(),
            min_chars: 7,
            id: u64::MAX - 2,
        };
        let text =
            "They had responsibilitiesinternational scope. The governmentsinvestigation began.";
        assert_eq!("governmentsinvestigation".len(), JUDGEABLE_LEN);
        let doc = Document::new(text);
        for _ in 0..2 {
            let mut out = Vec::new();
            rule.check(&doc, &mut out);
            let found: Vec<&str> = out.iter().map(|f| doc.slice(f.span)).collect();
            assert_eq!(
                found,
                ["responsibilitiesinternational", "governmentsinvestigation"]
            );
        }
    }

    /// Judgements kept across documents belong to one rule: a rule that
    /// allows the word, run in between, neither sees nor spoils them.
    #[test]
    fn judgements_kept_across_documents_are_per_rule() {
        let rule = |allow: &[&str], id| GluedWord {
            allow: allow.iter().map(|s| s.to_string()).collect(),
            min_chars: 7,
            id,
        };
        let (strict, lenient) = (rule(&[], u64::MAX), rule(&["moneysenior"], u64::MAX - 1));
        let doc = Document::new("he said. virtual moneysenior researcher on China");
        let found = |r: &dyn Detector| {
            let mut out = Vec::new();
            r.check(&doc, &mut out);
            out.len()
        };
        assert_eq!(found(&strict), 1);
        assert_eq!(found(&lenient), 0);
        assert_eq!(found(&strict), 1);
        assert_eq!(found(&lenient), 0);
    }
}
