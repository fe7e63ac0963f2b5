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
use crate::document::words::{self, FastHasher, FastState, HashFilter, Shape};
use crate::document::{Document, Word};
use crate::rules::schema::RawRule;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hasher;

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
        // Closed forms: lowercase (or capitalized) words of 6+ letters. Open
        // forms: two words of 3+ letters, one space apart, whose lowercase
        // forms written together are a closed form. Cheap tests first: a
        // filter of the closed forms' hashes rules out most pairs; the text is
        // compared, and the lexicon asked, only for the rest.
        // The tests are combined with `&`, not `&&`: which words pass is data
        // the branch predictor cannot learn, and a missed guess costs more
        // than testing everything.
        let closed_shape = |w: &Word| {
            !w.code
                & (w.span().len() >= 6)
                & w.shape.has(Shape::FIRST_ALPHABETIC | Shape::REST_LOWER)
        };
        let open_shape =
            |w: &Word| !w.code & (w.span().len() >= 3) & w.shape.has(Shape::ALPHABETIC);
        let hashes = doc.word_hashes();
        // The closed words, by index (the later passes read only these), and
        // a filter of their hashes.
        let closed_words = select(&doc.words, closed_shape);
        let mut closed = HashFilter::with_capacity(closed_words.len());
        for &i in &closed_words {
            closed.insert(hashes[i]);
        }
        // Pairs that may be written closed too: the first word's index and
        // the hash of the two written together.
        let bytes = doc.text.as_bytes();
        let mut pairs: Vec<(usize, u64)> = Vec::new();
        for (i, (w, h)) in doc.words.windows(2).zip(hashes.windows(2)).enumerate() {
            let (wa, wb) = (&w[0], &w[1]);
            let a_end = wa.span().end;
            let second_len = match wb.shape.has(Shape::ASCII) {
                true => wb.span().len(),
                false => words::lower_len(doc.word_text(i + 1)),
            };
            let joined = words::joined_hash(h[0], h[1], second_len);
            let one_space_apart = (wb.span().start == a_end + 1) & (bytes[a_end] == b' ');
            if one_space_apart & open_shape(wa) & open_shape(wb) & closed.may_contain(joined) {
                pairs.push((i, joined));
            }
        }
        if pairs.is_empty() {
            return Variants::default();
        }
        // The first closed word with each of those hashes. A filter of them
        // spares most closed words the look-up in the table.
        let mut first: HashMap<u64, Option<usize>, FastState> =
            pairs.iter().map(|&(_, h)| (h, None)).collect();
        let mut wanted = HashFilter::with_capacity(first.len());
        first.keys().for_each(|&h| wanted.insert(h));
        for &i in &closed_words {
            if wanted.may_contain(hashes[i]) {
                if let Some(slot @ None) = first.get_mut(&hashes[i]) {
                    *slot = Some(i);
                }
            }
        }
        // Whether a closed form is `a` and `b` written together. Equal hashes
        // almost always mean equal words; when they do not, every closed form
        // is compared.
        let is_closed = |a: &str, b: &str, hash: u64| {
            let Some(&Some(first)) = first.get(&hash) else {
                return false;
            };
            let is = |i: usize| words::lower_eq_joined(a, b, doc.word_text(i));
            is(first) || closed_words.iter().any(|&i| is(i))
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
        for (i, joined) in pairs {
            let (a, b) = (doc.word_text(i), doc.word_text(i + 1));
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
            let span = Span::new(doc.words[i].span().start, doc.words[i + 1].span().end);
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
        let mut wanted = HashFilter::with_capacity(open.len());
        open.iter().for_each(|&h| wanted.insert(h));
        for &i in &closed_words {
            if wanted.may_contain(hashes[i]) && open.contains(&hashes[i]) {
                let w = &doc.words[i];
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
        // form first, so that each form's skeleton is worked out once, and
        // only the forms with a variant have their occurrences gathered.
        struct Form<'a> {
            text: &'a str,
            mid_sentence: bool,
        }
        let capitalized = select(&doc.words, |w| {
            (w.span().len() >= 5) & w.shape.has(Shape::FIRST_UPPER | Shape::REST_LOWER)
        });
        let mut ids: HashMap<&'a str, usize, FastState> = HashMap::default();
        let mut forms: Vec<Form<'a>> = Vec::new();
        let mut seen: Vec<(usize, Span)> = Vec::with_capacity(capitalized.len());
        for i in capitalized {
            let w = &doc.words[i];
            let text = doc.slice(w.span());
            let stem = text.strip_suffix('s').unwrap_or(text);
            let before =
                doc.text[..w.span().start].trim_end_matches([' ', '“', '"', '‘', '\'', '(']);
            let sentence_start =
                i == 0 || before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':']);
            let id = *ids.entry(stem).or_insert_with(|| {
                forms.push(Form {
                    text: stem,
                    mid_sentence: false,
                });
                forms.len() - 1
            });
            forms[id].mid_sentence |= !sentence_start;
            seen.push((id, w.span()));
        }
        // Only forms that share a skeleton can be reported, and most share
        // none: a hash of each skeleton rules those out before any skeleton
        // is written out.
        let hashes: Vec<Option<u64>> = forms
            .iter()
            .map(|f| f.mid_sentence.then(|| skeleton_hash(f.text)))
            .collect();
        let mut shared: HashMap<u64, u32, FastState> = HashMap::default();
        for &h in hashes.iter().flatten() {
            *shared.entry(h).or_default() += 1;
        }
        let mut by_skeleton: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (id, h) in hashes.iter().enumerate() {
            if h.is_some_and(|h| shared[&h] > 1) {
                by_skeleton
                    .entry(skeleton(forms[id].text))
                    .or_default()
                    .push(id);
            }
        }
        // The skeleton of each form one vowel apart from another of its group.
        let mut reported: Vec<Option<&str>> = vec![None; forms.len()];
        for (key, group) in &by_skeleton {
            for &id in group {
                let form = forms[id].text;
                if group
                    .iter()
                    .any(|&o| forms[o].text != form && one_vowel_apart(forms[o].text, form))
                {
                    reported[id] = Some(key);
                }
            }
        }
        let mut variants = Variants::default();
        for (id, span) in seen {
            if let Some(key) = reported[id] {
                variants.add(key.to_owned(), forms[id].text, span);
            }
        }
        variants
    }
}

/// The indices of the words that pass `test`. Which words pass is data the
/// branch predictor cannot learn, so each index is written and kept or not
/// without a branch, a block at a time (no buffer as long as the text).
fn select(words: &[Word], test: impl Fn(&Word) -> bool) -> Vec<usize> {
    const BLOCK: usize = 256;
    let mut selected = Vec::new();
    let mut block = [0u16; BLOCK];
    for (b, chunk) in words.chunks(BLOCK).enumerate() {
        let mut count = 0;
        for (j, w) in chunk.iter().enumerate() {
            block[count] = j as u16;
            count += usize::from(test(w));
        }
        selected.extend(block[..count].iter().map(|&j| b * BLOCK + usize::from(j)));
    }
    selected
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

/// A hash of `skeleton(w)`, alike for equal skeletons. `str::to_lowercase`
/// writes a final sigma as `ς`, which `char::to_lowercase` does not, so both
/// sigmas are counted as `σ`.
fn skeleton_hash(w: &str) -> u64 {
    let mut h = FastHasher::default();
    for c in w.chars().flat_map(char::to_lowercase) {
        if !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            h.write_u32(u32::from(if c == 'ς' { 'σ' } else { c }));
        }
    }
    h.finish()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `select` keeps what a plain filter keeps, across block boundaries.
    #[test]
    fn select_keeps_the_words_a_filter_keeps() {
        let text = "Alpha beta Gamma delta epsilon Zeta eta Theta. ".repeat(100);
        let doc = Document::new(&text);
        assert!(doc.words.len() > 600, "more than two blocks");
        let tests: [fn(&Word) -> bool; 3] = [
            |w| w.shape.has(Shape::FIRST_UPPER),
            |w| w.span().len() >= 5,
            |_| false,
        ];
        for test in tests {
            let filtered: Vec<usize> = (0..doc.words.len())
                .filter(|&i| test(&doc.words[i]))
                .collect();
            assert_eq!(select(&doc.words, test), filtered);
        }
    }

    #[test]
    fn equal_skeletons_hash_alike() {
        let words = [
            "Uyghur",
            "Uighur",
            "Ughr",
            "Hgr",
            "ΟΔΟΣ",
            "Οδος",
            "Οδοσ",
            "İzmir",
            "Izmir",
            "Straße",
            "Strasse",
            "Kelvin",
            "\u{212A}elvin",
            "Barker",
            "Berker",
            "Borker",
        ];
        for a in words {
            for b in words {
                if skeleton(a) == skeleton(b) {
                    assert_eq!(skeleton_hash(a), skeleton_hash(b), "{a} {b}");
                }
            }
        }
        assert_ne!(skeleton_hash("Barker"), skeleton_hash("Baker"));
    }
}
