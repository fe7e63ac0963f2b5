//! `kind = "spelling-variant"`: one word written two ways in the same document.
//!
//! Two families, chosen with `style`:
//! - `compound` (default): the closed and open forms of one compound
//!   ("counterterrorism", "counter terrorism"). The closed form must be a
//!   dictionary word and neither half a function word, so "every day" /
//!   "everyday" and "may be" / "maybe", which differ in meaning, are left alone.
//!   Hyphenated forms are not compared: writers hyphenate compounds on purpose
//!   ("a well-known fact", "it is well known").
//! - `name`: proper names that differ by one vowel ("Uyghur" / "Uighur"), with the
//!   same consonant skeleton, each capitalized in mid-sentence at least once (so
//!   common words capitalized at a sentence start are not names); the minority
//!   form is reported only when the majority form is used at least twice as often,
//!   and not where it follows a capitalized word: "Chris Barker" names a person,
//!   however often "Berker" comes up.
//!
//! The minority form is reported with the majority form as an unsafe fix (closed
//! beats open on a tie). `allow` lists forms never reported.

use super::{list, word_set, Detector, Finding, ParamError};
use crate::data;
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::words::{self, FastState, Shape};
use crate::document::{Document, Word};
use crate::rules::schema::RawRule;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug)]
pub struct SpellingVariant {
    names: bool,
    allow: HashSet<String>,
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    let names = match rule
        .style
        .as_ref()
        .map(|s| (s.get_ref().as_str(), s.span()))
    {
        None | Some(("compound", _)) => false,
        Some(("name", _)) => true,
        Some((other, span)) => {
            return Err(ParamError::at(
                span,
                format!("unknown style `{other}`: expected `compound` or `name`"),
            ))
        }
    };
    Ok(Box::new(SpellingVariant {
        names,
        allow: word_set(list(&rule.allow)),
    }))
}

/// Occurrences of each surface form, grouped by a key shared by all variants.
#[derive(Default)]
struct Variants<'a> {
    groups: BTreeMap<String, BTreeMap<&'a str, Vec<Span>>>,
}

impl<'a> Variants<'a> {
    fn add(&mut self, key: String, form: &'a str, span: Span) {
        self.groups
            .entry(key)
            .or_default()
            .entry(form)
            .or_default()
            .push(span);
    }
}

/// Consonant skeleton: lowercase letters without vowels and `y`.
fn skeleton(w: &str) -> String {
    w.to_lowercase()
        .chars()
        .filter(|c| !"aeiouy".contains(*c))
        .collect()
}

impl SpellingVariant {
    fn compounds<'a>(&self, doc: &Document<'a>) -> Variants<'a> {
        // Closed forms: lowercase (or capitalized) words of 6+ letters, found by
        // the hash of their lowercase form (the first word written so stands for
        // all). Cheap tests first; the lexicon is asked only for keys that have
        // an open form.
        let closed_shape = |w: &Word| {
            !w.code
                && w.span().len() >= 6
                && w.shape.has(Shape::FIRST_ALPHABETIC | Shape::REST_LOWER)
        };
        let hashes = doc.word_hashes();
        let mut closed: HashMap<u64, usize, FastState> = HashMap::default();
        for (i, w) in doc.words.iter().enumerate() {
            if closed_shape(w) {
                closed.entry(hashes[i]).or_insert(i);
            }
        }
        // Whether a closed form is `a` and `b` written together. Equal hashes
        // almost always mean equal words; when they do not, every closed form
        // is compared.
        let is_closed = |a: &str, b: &str, hash: u64| {
            let Some(&first) = closed.get(&hash) else {
                return false;
            };
            let is = |i: usize| words::lower_eq_joined(a, b, doc.word_text(i));
            is(first) || (0..doc.words.len()).any(|i| closed_shape(&doc.words[i]) && is(i))
        };
        let mut key = String::new();
        let lower_into = |key: &mut String, parts: &[&str]| {
            key.clear();
            for part in parts {
                key.extend(part.chars().flat_map(char::to_lowercase));
            }
        };
        let mut variants = Variants::default();
        let stop = data::stopwords();
        let open_shape =
            |w: &Word| !w.code && w.span().len() >= 3 && w.shape.has(Shape::ALPHABETIC);
        for (i, pair) in doc.words.windows(2).enumerate() {
            let (wa, wb) = (&pair[0], &pair[1]);
            if !open_shape(wa)
                || !open_shape(wb)
                || wb.span().start != wa.span().end + 1
                || doc.text.as_bytes()[wa.span().end] != b' '
            {
                continue;
            }
            let (a, b) = (doc.slice(wa.span()), doc.slice(wb.span()));
            let joined = words::joined_hash(hashes[i], hashes[i + 1], words::lower_len(b));
            if !is_closed(a, b, joined) {
                continue;
            }
            lower_into(&mut key, &[a, b]);
            if !data::is_word(&key) {
                continue;
            }
            let (la, lb) = (a.to_lowercase(), b.to_lowercase());
            if stop.contains(&la) || stop.contains(&lb) {
                continue;
            }
            let span = Span::new(wa.span().start, wb.span().end);
            variants.add(key.clone(), doc.slice(span), span);
        }
        // Only keys with an open form are worth collecting closed forms for.
        if variants.groups.is_empty() {
            return variants;
        }
        let open: HashSet<u64, FastState> = variants
            .groups
            .keys()
            .map(|k| words::lower_hash(k))
            .collect();
        for (i, w) in doc.words.iter().enumerate() {
            if closed_shape(w) && open.contains(&hashes[i]) {
                let text = doc.slice(w.span());
                lower_into(&mut key, &[text]);
                if variants.groups.contains_key(&key) {
                    variants.add(key.clone(), text, w.span());
                }
            }
        }
        variants
    }

    fn names<'a>(&self, doc: &Document<'a>) -> Variants<'a> {
        // Names: capitalized words of which at least one use is in mid-sentence
        // (common words are capitalized only at sentence starts). Collected by
        // form first, so that each form's skeleton is worked out once.
        #[derive(Default)]
        struct Form {
            spans: Vec<Span>,
            mid_sentence: bool,
        }
        let mut forms: HashMap<&'a str, Form, FastState> = HashMap::default();
        for (i, w) in doc.words.iter().enumerate() {
            if w.span().len() < 5 || !w.shape.has(Shape::FIRST_UPPER | Shape::REST_LOWER) {
                continue;
            }
            let text = doc.slice(w.span());
            let stem = text.strip_suffix('s').unwrap_or(text);
            let before = doc.text[..w.span().start]
                .trim_end_matches(|c: char| c == ' ' || "“\"‘'(".contains(c));
            let sentence_start =
                i == 0 || before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':']);
            let form = forms.entry(stem).or_default();
            form.mid_sentence |= !sentence_start;
            form.spans.push(w.span());
        }
        let mut by_skeleton: BTreeMap<String, BTreeMap<&'a str, Vec<Span>>> = BTreeMap::new();
        for (stem, form) in forms {
            if form.mid_sentence {
                by_skeleton
                    .entry(skeleton(stem))
                    .or_default()
                    .insert(stem, form.spans);
            }
        }
        let mut variants = Variants::default();
        for (key, forms) in by_skeleton {
            if forms.len() < 2 {
                continue;
            }
            let all: Vec<&str> = forms.keys().copied().collect();
            for (form, spans) in forms {
                if all.iter().any(|o| *o != form && one_vowel_apart(o, form)) {
                    for span in spans {
                        variants.add(key.clone(), form, span);
                    }
                }
            }
        }
        variants
    }
}

/// Preceded by a capitalized word in the same sentence ("Chris Barker").
fn after_capitalized(doc: &Document, span: Span) -> bool {
    let before = doc.text[..span.start].trim_end_matches(' ');
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic() || *c == '-')
        .collect();
    before.len() < doc.text[..span.start].len()
        && word.chars().last().is_some_and(char::is_uppercase)
}

fn is_vowel(c: char) -> bool {
    "aeiouyAEIOUY".contains(c)
}

/// One vowel replaced by another ("Uyghur"/"Uighur"), or one vowel more.
fn one_vowel_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() == b.len() {
        let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        return diffs.len() == 1 && is_vowel(a[diffs[0]]) && is_vowel(b[diffs[0]]);
    }
    let (long, short) = if a.len() > b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    long.len() == short.len() + 1
        && (0..long.len())
            .any(|i| is_vowel(long[i]) && long[..i] == short[..i] && long[i + 1..] == short[i..])
}

/// The closed form beats the open one when counts tie.
fn form_rank(form: &str) -> u8 {
    u8::from(!form.contains(' '))
}

impl Detector for SpellingVariant {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let variants = if self.names {
            self.names(doc)
        } else {
            self.compounds(doc)
        };
        for forms in variants.groups.values() {
            let mut lowered: BTreeMap<String, (usize, &str)> = BTreeMap::new();
            for (form, spans) in forms {
                let e = lowered.entry(form.to_lowercase()).or_insert((0, form));
                e.0 += spans.len();
            }
            if lowered.len() < 2 {
                continue;
            }
            let (major_key, &(major_count, major_form)) = lowered
                .iter()
                .max_by_key(|(k, (n, _))| (*n, form_rank(k)))
                .expect("at least two forms");
            for (form, spans) in forms {
                let key = form.to_lowercase();
                if key == *major_key || self.allow.contains(&key) {
                    continue;
                }
                if self.names && major_count < 2 * lowered[&key].0 {
                    continue;
                }
                for &span in spans {
                    if self.names && after_capitalized(doc, span) {
                        continue;
                    }
                    let fix = Fix::new(
                        Applicability::Unsafe,
                        format!("write `{major_form}`"),
                        vec![Edit::replace(
                            Span::new(span.start, span.start + form.len()),
                            major_form,
                        )],
                    );
                    out.push(
                        Finding::new(span)
                            .with_fix(fix)
                            .with_var("form", *form)
                            .with_var("other", major_form),
                    );
                }
            }
        }
    }
}
