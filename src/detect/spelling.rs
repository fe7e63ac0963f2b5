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
use crate::document::Document;
use crate::rules::schema::RawRule;
use std::collections::{BTreeMap, HashSet};

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

fn is_alpha_word(w: &str) -> bool {
    w.chars().all(|c| c.is_alphabetic())
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
        // Closed forms: lowercase (or capitalized) words of 6+ letters. Cheap
        // tests first; the lexicon is asked only for keys that have an open form.
        let closed_shape = |text: &str| {
            let mut chars = text.chars();
            text.len() >= 6
                && chars.next().is_some_and(char::is_alphabetic)
                && chars.all(char::is_lowercase)
        };
        let mut key = String::new();
        let lower_into = |key: &mut String, parts: &[&str]| {
            key.clear();
            for part in parts {
                key.extend(part.chars().flat_map(char::to_lowercase));
            }
        };
        let mut closed: HashSet<String> = HashSet::new();
        for w in doc.words.iter().filter(|w| !w.code) {
            let text = doc.slice(w.span);
            if closed_shape(text) {
                lower_into(&mut key, &[text]);
                if !closed.contains(&key) {
                    closed.insert(key.clone());
                }
            }
        }
        let mut variants = Variants::default();
        let stop = data::stopwords();
        for pair in doc.words.windows(2) {
            let (a, b) = (doc.slice(pair[0].span), doc.slice(pair[1].span));
            if pair[0].code
                || pair[1].code
                || a.len() < 3
                || b.len() < 3
                || doc.text[pair[0].span.end..pair[1].span.start] != *" "
                || !is_alpha_word(a)
                || !is_alpha_word(b)
            {
                continue;
            }
            lower_into(&mut key, &[a, b]);
            if !closed.contains(&key) || !data::is_word(&key) {
                continue;
            }
            let (la, lb) = (a.to_lowercase(), b.to_lowercase());
            if stop.contains(&la) || stop.contains(&lb) {
                continue;
            }
            let span = Span::new(pair[0].span.start, pair[1].span.end);
            variants.add(key.clone(), doc.slice(span), span);
        }
        // Only keys with an open form are worth collecting closed forms for.
        if variants.groups.is_empty() {
            return variants;
        }
        let open: HashSet<String> = variants.groups.keys().cloned().collect();
        for w in doc.words.iter().filter(|w| !w.code) {
            let text = doc.slice(w.span);
            if closed_shape(text) {
                lower_into(&mut key, &[text]);
                if open.contains(&key) {
                    variants.add(key.clone(), text, w.span);
                }
            }
        }
        variants
    }

    fn names<'a>(&self, doc: &Document<'a>) -> Variants<'a> {
        // Names: capitalized words of which at least one use is in mid-sentence
        // (common words are capitalized only at sentence starts).
        let mut by_skeleton: BTreeMap<String, BTreeMap<&'a str, Vec<Span>>> = BTreeMap::new();
        let mut mid_sentence: HashSet<&'a str> = HashSet::new();
        for (i, w) in doc.words.iter().enumerate() {
            let text = doc.slice(w.span);
            let mut chars = text.chars();
            if text.len() < 5
                || !chars.next().is_some_and(char::is_uppercase)
                || !chars.all(char::is_lowercase)
            {
                continue;
            }
            let stem = text.strip_suffix('s').unwrap_or(text);
            let before = doc.text[..w.span.start]
                .trim_end_matches(|c: char| c == ' ' || "“\"‘'(".contains(c));
            let sentence_start =
                i == 0 || before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':']);
            if !sentence_start {
                mid_sentence.insert(stem);
            }
            by_skeleton
                .entry(skeleton(stem))
                .or_default()
                .entry(stem)
                .or_default()
                .push(w.span);
        }
        for forms in by_skeleton.values_mut() {
            forms.retain(|form, _| mid_sentence.contains(form));
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
