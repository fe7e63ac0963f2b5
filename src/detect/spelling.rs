//! `kind = "spelling-variant"`: one word written two ways in the same document.
//!
//! Two families, chosen with `style`:
//! - `compound` (default): the closed, hyphenated and open forms of one compound
//!   ("counterterrorism", "counter-terrorism", "counter terrorism"). An open form
//!   counts only when the closed or hyphenated form is also in the document and
//!   neither half is a function word, so "every day" / "everyday" and "may be" /
//!   "maybe", which differ in meaning, are left alone.
//! - `name`: proper names that differ by one vowel ("Uyghur" / "Uighur"), with the
//!   same consonant skeleton, each capitalized in mid-sentence at least once (so
//!   common words capitalized at a sentence start are not names); the minority
//!   form is reported only when the majority form is used at least twice as often.
//!
//! The minority form is reported with the majority form as an unsafe fix (closed
//! beats hyphenated beats open on a tie). `allow` lists forms never reported.

use super::{list, word_set, Detector, Finding, ParamError};
use crate::data;
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::Document;
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
        // Keys (lowercase, hyphens removed) of the one-word forms: "counterterrorism"
        // and "counter-terrorism" share one.
        let key_of = |text: &str| -> Option<String> {
            // Most words are ASCII and too short or not all letters: no key, and
            // no need to build one to find out.
            if text.is_ascii() {
                // Lowercase ASCII letters without hyphens: built only when asked.
                let ok = text.len() - text.bytes().filter(|&b| b == b'-').count() >= 6
                    && text.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-');
                return ok.then(String::new);
            }
            let key = text.to_lowercase().replace('-', "");
            (key.len() >= 6 && is_alpha_word(&key)).then_some(key)
        };
        // The key of an ASCII word, in a reused buffer (no allocation per word).
        let ascii_key_of = |text: &str, buf: &mut String| -> bool {
            buf.clear();
            buf.extend(
                text.bytes()
                    .filter(|&b| b != b'-')
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
            true
        };
        let mut buf = String::new();
        let mut one_word: HashMap<String, bool> = HashMap::new(); // key -> has a hyphenated form
        for w in &doc.words {
            let text = doc.slice(w.span);
            if text.is_ascii() {
                if key_of(text).is_none() || !ascii_key_of(text, &mut buf) {
                    continue;
                }
                let hyphen = text.contains('-');
                match one_word.get_mut(buf.as_str()) {
                    Some(h) => *h |= hyphen,
                    None => {
                        one_word.insert(buf.clone(), hyphen);
                    }
                }
            } else if let Some(key) = key_of(text) {
                *one_word.entry(key).or_default() |= text.contains('-');
            }
        }
        let mut variants = Variants::default();
        let stop = data::stopwords();
        let mut ascii_key = String::new();
        for pair in doc.words.windows(2) {
            let (a, b) = (doc.slice(pair[0].span), doc.slice(pair[1].span));
            if doc.text[pair[0].span.end..pair[1].span.start] != *" "
                || !is_alpha_word(a)
                || !is_alpha_word(b)
            {
                continue;
            }
            if a.is_ascii() && b.is_ascii() {
                // Most pairs are not a one-word form of the document: find out with
                // one reused buffer before lowercasing and the stop-list look-ups.
                if a.len() < 3 || b.len() < 3 {
                    continue;
                }
                ascii_key.clear();
                ascii_key.extend(
                    a.bytes()
                        .chain(b.bytes())
                        .map(|c| char::from(c.to_ascii_lowercase())),
                );
                if !one_word.contains_key(ascii_key.as_str()) {
                    continue;
                }
            }
            let (la, lb) = (a.to_lowercase(), b.to_lowercase());
            if la.len() < 3 || lb.len() < 3 || stop.contains(&la) || stop.contains(&lb) {
                continue;
            }
            let key = format!("{la}{lb}");
            if one_word.contains_key(&key) {
                let span = Span::new(pair[0].span.start, pair[1].span.end);
                variants.add(key, doc.slice(span), span);
            }
        }
        // Only keys with a second form are worth collecting one-word forms for.
        let open: HashSet<String> = variants.groups.keys().cloned().collect();
        for w in &doc.words {
            let text = doc.slice(w.span);
            if let Some(mut key) = key_of(text) {
                if text.is_ascii() {
                    ascii_key_of(text, &mut buf);
                    if !(one_word[buf.as_str()] || open.contains(buf.as_str())) {
                        continue;
                    }
                    key = buf.clone();
                }
                if one_word[&key] || open.contains(&key) {
                    variants.add(key, text, w.span);
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
                // Only vowel differences of one letter: same skeleton, length within one.
                if all
                    .iter()
                    .any(|o| *o != form && o.len().abs_diff(form.len()) <= 1)
                {
                    for span in spans {
                        variants.add(key.clone(), form, span);
                    }
                }
            }
        }
        variants
    }
}

/// Closed beats hyphenated beats open when counts tie.
fn form_rank(form: &str) -> u8 {
    if form.contains(' ') {
        0
    } else if form.contains('-') {
        1
    } else {
        2
    }
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
