//! `kind = "duplicate"`: lines and paragraphs pasted more than once.
//!
//! Each paragraph, and each line of at least `min_chars` characters, is normalized
//! (case-folded, punctuation dropped, white space collapsed, digits trimmed from
//! the edges) and hashed; second and later copies are reported and point at the first.
//!
//! What a paste accident looks like decides what is reported: a copy of at least
//! eight words, at most two copies in the document. Text repeated three times or
//! more is a template ("Return value: New reference."), and short repeated lines
//! are labels, unless classifying rules already marked them as credits, captions
//! or chrome: a credit line pasted three times is still reported. In technical
//! text (`Document::is_technical`), where reference pages repeat their notes on
//! purpose, only a paragraph repeated right after itself counts.
//! Near-duplicates are paragraphs whose 5-word shingle sets have a Jaccard
//! similarity of at least `threshold`, found through an inverted index of each
//! set's smallest shingles (prefix filtering), so the cost stays linear in the
//! document and proportional to the candidates rather than to every pair.
//!
//! Normalized text is never built: the words (runs of letters and digits) come
//! from the document's words, and units and shingles are hashes of runs of word
//! hashes. A word of ASCII letters and digits keeps the hash the tokenizer gave
//! it (`Document::word_hashes`); only words with apostrophes, hyphens or other
//! scripts are split and hashed here. The tests check this against the
//! normalized text built as a string.

use super::{Detector, Finding, ParamError, Stage};
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::words::{char_lower_hash, FastState, HashFilter, Shape};
use crate::document::{self, Document};
use crate::rules::schema::RawRule;
use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug)]
pub struct Duplicates {
    min_chars: usize,
    threshold: f64,
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    let threshold = rule.threshold.as_ref().map(|v| *v.get_ref()).unwrap_or(0.8);
    if !(0.0..=1.0).contains(&threshold) {
        let span = rule
            .threshold
            .as_ref()
            .map(|v| v.span())
            .unwrap_or_default();
        return Err(ParamError::at(span, "`threshold` must be between 0 and 1"));
    }
    Ok(Box::new(Duplicates {
        min_chars: rule.min_chars.as_ref().map(|v| *v.get_ref()).unwrap_or(20),
        threshold,
    }))
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// The two halves of a full 64×64-bit product folded together: a cheap mix in
/// which every input bit reaches every output bit.
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// Hash of a run of word hashes: a unit's whole text, or one shingle.
fn hash_words(words: &[u64]) -> u64 {
    words
        .iter()
        .fold(words.len() as u64, |h, &w| fold_mul(h ^ w, K))
}

/// A run of letters and digits: one word of the normalized text.
#[derive(Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    /// Of the lowercased word.
    hash: u64,
    chars: usize,
    /// A unit's text is trimmed to its first and last letters, so the words at
    /// its edges may lose digits or disappear.
    has_letter: bool,
    starts_letter: bool,
    ends_letter: bool,
}

// What a char is to the normalization: a letter, a digit (or other numeral:
// alphanumeric but not alphabetic), or neither, which separates words.
const OTHER: u8 = 0;
const DIGIT: u8 = 1;
const LETTER: u8 = 2;

fn kind(c: char) -> u8 {
    match c {
        'a'..='z' | 'A'..='Z' => LETTER,
        '0'..='9' => DIGIT,
        '\0'..='\x7f' => OTHER,
        // The Unicode tables are slow to search: the commonest blocks in scraped
        // text are answered first, curly quotes, dashes and spaces (General
        // Punctuation, none of them alphanumeric) and Latin-1 accented letters.
        '\u{2000}'..='\u{206F}' => OTHER,
        '\u{C0}'..='\u{FF}' if c != '×' && c != '÷' => LETTER,
        _ if c.is_alphabetic() => LETTER,
        _ if c.is_numeric() => DIGIT,
        _ => OTHER,
    }
}

/// Appends to `out` the words of `doc_words`, whose hashes are `hashes`. The
/// document's words are runs of letters and digits, only joined by apostrophes
/// and hyphens ("it's", "re-run"), so words are found without reading the text
/// between them (the test `word_hashes_agree_with_the_normalized_text` holds
/// `Document` to that). An ASCII word without joiners is one word here too,
/// and its hash is the document's (`char_lower_hash` of an ASCII word).
fn split_words(text: &str, doc_words: &[document::Word], hashes: &[u64], out: &mut Vec<Word>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < doc_words.len() {
        // A run of words kept whole, copied in one go (no check of the
        // capacity for each word), then the word after it split.
        let run = i + doc_words[i..].iter().take_while(|w| whole(w)).count();
        let run_words = doc_words[i..run].iter().zip(&hashes[i..run]);
        out.extend(run_words.map(|(w, &hash)| whole_word(bytes, w, hash)));
        if let Some(w) = doc_words.get(run) {
            split_joined(text, w.span(), out);
        }
        i = run + 1;
    }
}

/// A document word that is one word here too: ASCII, without joiners.
fn whole(w: &document::Word) -> bool {
    w.shape.has(Shape::ASCII) && !w.shape.has(Shape::APOSTROPHE) && !w.shape.has(Shape::HYPHEN)
}

/// The `Word` of a `whole` document word, whose hash is `hash`.
fn whole_word(bytes: &[u8], w: &document::Word, hash: u64) -> Word {
    let Span { start, end } = w.span();
    let letters = w.shape.has(Shape::ALPHABETIC);
    Word {
        start,
        end,
        hash,
        chars: end - start,
        has_letter: letters || bytes[start..end].iter().any(u8::is_ascii_alphabetic),
        starts_letter: w.shape.has(Shape::FIRST_ALPHABETIC),
        ends_letter: letters || bytes[end - 1].is_ascii_alphabetic(),
    }
}

/// Appends the words of a document word that holds non-ASCII chars or joiners.
fn split_joined(text: &str, span: Span, out: &mut Vec<Word>) {
    // The word being read: its start, first kind and whether it has a letter.
    let mut open: Option<(usize, u8, bool)> = None;
    let mut last = OTHER;
    let chars = text[span.start..span.end].char_indices();
    for (i, c) in chars.chain([(span.end - span.start, ' ')]) {
        let (at, kind) = (span.start + i, kind(c));
        match (&mut open, kind) {
            (None, OTHER) => {}
            (None, _) => open = Some((at, kind, kind == LETTER)),
            (Some((_, _, has_letter)), LETTER | DIGIT) => *has_letter |= kind == LETTER,
            (Some((start, first, has_letter)), _) => {
                let (hash, chars) = char_lower_hash(&text[*start..at]);
                out.push(Word {
                    start: *start,
                    end: at,
                    hash,
                    chars,
                    has_letter: *has_letter,
                    starts_letter: *first == LETTER,
                    ends_letter: last == LETTER,
                });
                open = None;
            }
        }
        last = kind;
    }
}

/// The words of a unit's normalized text as hashes in `seq`, and that text's
/// length in chars (its words plus one space between each). `words` are the
/// unit's words; the text is trimmed to its first and last letters (case-folded,
/// punctuation dropped, white space collapsed, digits trimmed from the edges:
/// "Story, long" and "story - long" are the same text).
fn normalized(text: &str, words: &[Word], seq: &mut Vec<u64>) -> usize {
    seq.clear();
    let (Some(first), Some(last)) = (
        words.iter().position(|w| w.has_letter),
        words.iter().rposition(|w| w.has_letter),
    ) else {
        return 0;
    };
    let words = &words[first..=last];
    seq.extend(words.iter().map(|w| w.hash));
    let chars = words.len() - 1 + words.iter().map(|w| w.chars).sum::<usize>();
    clip_edges(text, seq, words[0], words[words.len() - 1], chars)
}

/// `normalized` for words that are all `whole`, read from the document's
/// words and hashes without making `Word`s of them (but the edges).
fn normalized_whole(
    text: &str,
    doc_words: &[document::Word],
    hashes: &[u64],
    seq: &mut Vec<u64>,
) -> usize {
    seq.clear();
    let bytes = text.as_bytes();
    let has_letter = |w: &document::Word| {
        let Span { start, end } = w.span();
        w.shape.has(Shape::ALPHABETIC) || bytes[start..end].iter().any(u8::is_ascii_alphabetic)
    };
    let (Some(first), Some(last)) = (
        doc_words.iter().position(has_letter),
        doc_words.iter().rposition(has_letter),
    ) else {
        return 0;
    };
    seq.extend_from_slice(&hashes[first..=last]);
    let lengths = doc_words[first..=last].iter().map(|w| w.span());
    let chars = last - first + lengths.map(|s| s.end - s.start).sum::<usize>();
    let word = |i: usize| whole_word(bytes, &doc_words[i], hashes[i]);
    clip_edges(text, seq, word(first), word(last), chars)
}

/// Trims the digits from the edges of a unit's text, whose words are `head`
/// to `tail`, their hashes `seq`, and its length `chars`: returns the new
/// length.
fn clip_edges(text: &str, seq: &mut [u64], head: Word, tail: Word, mut chars: usize) -> usize {
    // Edge words that start or end with digits lose them.
    let last = seq.len() - 1;
    let clip_head = !head.starts_letter;
    let clip_tail = !tail.ends_letter;
    let mut clip = |i: usize, w: Word, front: bool, back: bool| {
        let word = &text[w.start..w.end];
        let from = if front {
            word.find(char::is_alphabetic).expect("a letter")
        } else {
            0
        };
        let to = if back {
            let (at, c) = word
                .char_indices()
                .rfind(|(_, c)| c.is_alphabetic())
                .expect("a letter");
            at + c.len_utf8()
        } else {
            word.len()
        };
        let (hash, n) = char_lower_hash(&word[from..to]);
        seq[i] = hash;
        chars = chars - w.chars + n;
    };
    if last == 0 {
        if clip_head || clip_tail {
            clip(0, head, clip_head, clip_tail);
        }
    } else {
        if clip_head {
            clip(0, head, true, false);
        }
        if clip_tail {
            clip(last, tail, false, true);
        }
    }
    chars
}

/// The span to delete for a unit: its lines with their line breaks.
fn deletion(doc: &Document, lines: Range<usize>) -> Span {
    let start = doc.lines[lines.start].span.start;
    let end = doc
        .lines
        .get(lines.end)
        .map(|l| l.span.start)
        .unwrap_or(doc.lines[lines.end - 1].span.end);
    Span::new(start, end)
}

/// A line or paragraph that may count as a copy.
struct Unit {
    span: Span,
    lines: Range<usize>,
    hash: u64,
    words: usize,
    /// Some line of it was classified (credit, caption, chrome...).
    classified: bool,
    /// For a whole paragraph long enough to be compared for near-duplicates
    /// (12 words or more), its shingles in `Units::shingles`, in text order
    /// until `set` sorts them. Near-duplicates are judged on paragraphs only.
    near: Option<Range<usize>>,
}

/// Every unit of a document, in order: each paragraph of several lines, then
/// its lines.
#[derive(Default)]
struct Units {
    units: Vec<Unit>,
    /// The units' shingles, one unit after the other.
    shingles: Vec<u64>,
    // Reused buffers.
    words: Vec<Word>,
    line_words: Vec<Range<usize>>,
    seq: Vec<u64>,
}

impl Units {
    fn clear(&mut self) {
        self.units.clear();
        self.shingles.clear();
        self.words.clear();
        self.line_words.clear();
        self.seq.clear();
    }
}

impl Duplicates {
    /// Fills `units` (emptied first) with the units of `doc`.
    fn units(&self, doc: &Document, units: &mut Units) {
        units.clear();
        // The document's own counts, to spare growing these by copying.
        units.units.reserve(doc.lines.len() + doc.paragraphs.len());
        units
            .shingles
            .reserve(doc.words.len() + doc.words.len() / 8);
        let hashes = doc.word_hashes();
        for p in &doc.paragraphs {
            let lines = &doc.lines[p.lines.clone()];
            let all = lines[0].words.start..lines[lines.len() - 1].words.end;
            // Where every word is `whole`, the document's words are read in
            // place; otherwise they are split into `units.words` first.
            let in_place = doc.words[all.clone()].iter().all(whole);
            if !in_place {
                units.words.clear();
                units.line_words.clear();
                for line in lines {
                    let start = units.words.len();
                    let range = line.words.clone();
                    split_words(
                        doc.text,
                        &doc.words[range.clone()],
                        &hashes[range],
                        &mut units.words,
                    );
                    units.line_words.push(start..units.words.len());
                }
            }
            // The normalized length of the paragraph's words (`None`) or of
            // line `k`'s, their words left in `units.seq`.
            let normalize = |units: &mut Units, line: Option<usize>| {
                let Units {
                    words,
                    line_words,
                    seq,
                    ..
                } = units;
                if in_place {
                    let range = line.map_or(all.clone(), |k| lines[k].words.clone());
                    normalized_whole(doc.text, &doc.words[range.clone()], &hashes[range], seq)
                } else {
                    let range = line.map_or(0..words.len(), |k| line_words[k].clone());
                    normalized(doc.text, &words[range], seq)
                }
            };
            let single = lines.len() == 1;
            if !single {
                let chars = normalize(units, None);
                self.unit(doc, units, chars, p.span, p.lines.clone(), true);
            }
            for (k, (line, i)) in lines.iter().zip(p.lines.clone()).enumerate() {
                let chars = normalize(units, Some(k));
                self.unit(doc, units, chars, line.trimmed, i..i + 1, single);
            }
        }
    }

    /// Adds a unit whose normalized text is `chars` long and has the words
    /// `units.seq`, unless it is too short to ever count: below `min_chars`, or
    /// under eight words and unclassified (such a unit is skipped, and no unit
    /// of eight words or more can share its text).
    fn unit(
        &self,
        doc: &Document,
        units: &mut Units,
        chars: usize,
        span: Span,
        lines: Range<usize>,
        paragraph: bool,
    ) {
        if chars < self.min_chars {
            return;
        }
        // An empty text still counts as one word, as `"".split(' ')` does.
        let count = units.seq.len().max(1);
        let classified = lines.clone().any(|i| doc.lines[i].class.is_some());
        if count < 8 && !classified {
            return;
        }
        let near = (paragraph && count >= 12).then(|| {
            let start = units.shingles.len();
            units.shingles.extend(shingles(&units.seq));
            start..units.shingles.len()
        });
        units.units.push(Unit {
            span,
            lines,
            hash: hash_words(&units.seq),
            words: count,
            classified,
            near,
        });
    }

    fn report(
        &self,
        doc: &Document,
        unit: &Unit,
        first: usize,
        near: bool,
        out: &mut Vec<Finding>,
    ) {
        let what = if near { "nearly repeats" } else { "repeats" };
        let fix = Fix::new(
            Applicability::Unsafe,
            "delete the repeated text",
            vec![Edit::delete(deletion(doc, unit.lines.clone()))],
        );
        out.push(
            Finding::new(unit.span)
                .with_fix(fix)
                .with_var("first", (first + 1).to_string())
                .with_var("how", what),
        );
    }
}

/// Where an earlier copy sits: its first line (for the message) and the line
/// after its last (to tell whether the repeat follows it directly).
#[derive(Clone, Copy)]
struct Earlier {
    first: usize,
    end: usize,
}

type HashTable<V> = HashMap<u64, V, FastState>;

/// Empties `table` for up to about `n` entries. Emptying a table costs a
/// write per bucket, so one much larger than that (kept from a larger
/// document) is replaced rather than emptied.
fn reset_table<V>(table: &mut HashTable<V>, n: usize) {
    if table.capacity() > 4 * n + 1024 {
        *table = HashTable::with_capacity_and_hasher(n, FastState::default());
    } else {
        table.clear();
        table.reserve(n);
    }
}

/// Words in a shingle.
const SHINGLE: usize = 5;

/// The hashes of every run of `SHINGLE` words, in order. Each is a polynomial
/// in the word hashes, rolled from one run to the next (one word out, one in)
/// rather than computed afresh, then mixed. Only equality of shingles matters
/// (near-duplicates share them), so any hash of the run would do.
fn shingles(words: &[u64]) -> impl Iterator<Item = u64> + '_ {
    // The weight of the word leaving: K to the power of the words after it.
    let out_weight = (1..SHINGLE).fold(1u64, |p, _| p.wrapping_mul(K));
    let roll = |h: u64, w: u64| h.wrapping_mul(K).wrapping_add(w);
    let mut h = words.iter().take(SHINGLE - 1).fold(0, |h, &w| roll(h, w));
    // Zipped slices, whose length is known: `extend` reserves once.
    let entering = words.get(SHINGLE - 1..).unwrap_or_default();
    words
        .iter()
        .zip(entering)
        .map(move |(&leaving, &entering)| {
            let full = roll(h, entering);
            h = full.wrapping_sub(leaving.wrapping_mul(out_weight));
            fold_mul(full, K)
        })
}

/// Sorts and deduplicates `all[range]` in place, making it a set, and returns
/// where the set is (at the start of `range`).
fn set(all: &mut [u64], range: Range<usize>) -> Range<usize> {
    let out = &mut all[range.clone()];
    out.sort_unstable();
    let mut end = 0;
    for i in 0..out.len() {
        if end == 0 || out[i] != out[end - 1] {
            out[end] = out[i];
            end += 1;
        }
    }
    range.start..range.start + end
}

/// Two filters that `repeats` fills.
#[derive(Default)]
struct Filters {
    once: HashFilter,
    /// The hashes that occur more than once.
    twice: HashFilter,
}

/// Makes `filters.twice` a filter of the `n` hashes in `hashes` that occur
/// more than once: it may wrongly answer yes, never wrongly no. Cheap enough
/// to spare the hash tables every hash of a document where few repeat.
fn repeats(hashes: impl Iterator<Item = u64>, n: usize, filters: &mut Filters) {
    let Filters { once, twice } = filters;
    once.reset(n);
    twice.reset(n);
    for h in hashes {
        if once.may_contain(h) {
            twice.insert(h);
        } else {
            once.insert(h);
        }
    }
}

/// Which units may be near-duplicates of another unit, or have one found
/// near them: a pair with a Jaccard similarity of at least `threshold` shares
/// at least that fraction of each set, so a paragraph whose shingles mostly
/// occur nowhere else in the document is near no other. Exact: the filter of
/// repeated shingles never misses one. The answers, one per unit, go to
/// `out` (emptied first).
fn may_be_near(
    units: &[Unit],
    shingles: &[u64],
    threshold: f64,
    filters: &mut Filters,
    out: &mut Vec<bool>,
) {
    repeats(shingles.iter().copied(), shingles.len(), filters);
    let twice = &filters.twice;
    let near = |r: &Range<usize>| {
        let set = &shingles[r.clone()];
        // A set's shingles that occur once, once each: its distinct shingles
        // less those it may share (which at least `threshold` of them must be).
        let once = set.iter().filter(|&&s| !twice.may_contain(s)).count();
        // One shingle of slack, against float rounding in the similarity.
        once < set.len() && once as f64 <= (1.0 - threshold) * set.len() as f64 + 1.0
    };
    out.clear();
    out.extend(units.iter().map(|u| u.near.as_ref().is_some_and(near)));
}

/// How many of a set's smallest shingles two sets must be indexed and probed by
/// so that any pair with Jaccard similarity of at least `threshold` shares one
/// (prefix filtering). Such a pair shares at least `⌊threshold · n⌋` of a set's
/// `n` shingles (rounded down, so float rounding never makes it too many); the
/// smallest shingle they share is then among the first `n − ⌊threshold · n⌋ + 1`.
fn prefix_len(n: usize, threshold: f64) -> usize {
    let shared = (threshold * n as f64).floor() as usize;
    (n - shared + 1).min(n)
}

/// How many hashes two sorted, deduplicated sets share.
fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

const NONE: u32 = u32::MAX;

/// Paragraphs compared for near-duplicates: their shingle sets, and an inverted
/// index of each set's prefix (its smallest shingles).
#[derive(Default)]
struct NearIndex {
    threshold: f64,
    sets: Vec<Set>,
    /// Shingle → first posting in `postings`, a list of (set, next posting).
    heads: HashTable<u32>,
    postings: Vec<(u32, u32)>,
    /// The set whose probe last met each set: each candidate is checked once.
    met_by: Vec<u32>,
}

struct Set {
    paragraph: Earlier,
    /// Its shingles in `Units::shingles`.
    shingles: Range<usize>,
    /// A paragraph found near an earlier one is not compared with later ones.
    kept: bool,
}

impl NearIndex {
    /// Empties the index, for paragraphs with about `shingles` shingles in all.
    fn reset(&mut self, threshold: f64, shingles: usize) {
        self.threshold = threshold;
        self.sets.clear();
        reset_table(&mut self.heads, shingles / 4);
        self.postings.clear();
        self.postings.reserve(shingles / 4);
        self.met_by.clear();
    }

    /// Adds the paragraph at `here` with shingles `all[range]`, and returns the
    /// earliest kept paragraph whose shingles have a Jaccard similarity of at
    /// least the threshold with them; if there is one, this one is not kept.
    /// Each prefix shingle is looked up once, to probe and to index.
    fn add(&mut self, all: &[u64], range: Range<usize>, here: Earlier) -> Option<Earlier> {
        let id = self.sets.len() as u32;
        let set = &all[range.clone()];
        self.sets.push(Set {
            paragraph: here,
            shingles: range,
            kept: true,
        });
        self.met_by.push(id);
        let mut best: Option<Earlier> = None;
        for &s in &set[..prefix_len(set.len(), self.threshold)] {
            let head = self.heads.entry(s).or_insert(NONE);
            let mut posting = *head;
            *head = self.postings.len() as u32;
            self.postings.push((id, posting));
            while posting != NONE {
                let (other, next) = self.postings[posting as usize];
                posting = next;
                let other = other as usize;
                if self.met_by[other] == id {
                    continue;
                }
                self.met_by[other] = id;
                let Set {
                    paragraph,
                    ref shingles,
                    kept,
                } = self.sets[other];
                if !kept || best.is_some_and(|b| b.first <= paragraph.first) {
                    continue;
                }
                let other = &all[shingles.clone()];
                // The similarity is at most the ratio of the sizes.
                let (small, large) = (set.len().min(other.len()), set.len().max(other.len()));
                if (small as f64 / large as f64) < self.threshold {
                    continue;
                }
                let n = shared(set, other);
                let union = set.len() + other.len() - n;
                if n as f64 / union as f64 >= self.threshold {
                    best = Some(paragraph);
                }
            }
        }
        self.sets[id as usize].kept = best.is_none();
        best
    }
}

/// What a check works in besides the document, kept by the thread for the
/// next check (`SCRATCH`): allocated afresh, these were about thirty
/// allocations a file, a tenth of the instructions on small files.
#[derive(Default)]
struct Scratch {
    units: Units,
    filters: Filters,
    slots: HashTable<u32>,
    slot_of: Vec<u32>,
    maybe_near: Vec<bool>,
    copies: Vec<u32>,
    seen: Vec<Option<Earlier>>,
    reported_lines: Vec<bool>,
    near_index: NearIndex,
}

thread_local! {
    /// `None` until a check puts one back: taking it leaves `None` behind,
    /// where an empty `Scratch` (whose filters have their least size) would
    /// cost allocations.
    static SCRATCH: Cell<Option<Scratch>> = const { Cell::new(None) };
}

/// Shingles (8 bytes each) a kept `Scratch` may hold room for, about a 2 MB
/// file's: larger ones go back to the allocator. A 4 MiB part's scratch
/// (about 25 MB) kept on each thread added 48 MB to the peak memory on a
/// 116 MB file, whose parts gain little from it.
const SCRATCH_SHINGLES: usize = 1 << 19;
/// Units (about 80 bytes each) a kept `Scratch` may hold room for: a text of
/// many short lines has more units than its words would suggest.
const SCRATCH_UNITS: usize = 1 << 17;

impl Duplicates {
    /// The check, with `prefilter` false doing without the filters that spare
    /// a text with few repeats most of the work (for tests to compare).
    fn find(&self, doc: &Document, out: &mut Vec<Finding>, prefilter: bool) {
        let mut scratch = SCRATCH.take().unwrap_or_default();
        self.find_in(doc, out, prefilter, &mut scratch);
        if scratch.units.shingles.capacity() <= SCRATCH_SHINGLES
            && scratch.units.units.capacity() <= SCRATCH_UNITS
        {
            SCRATCH.set(Some(scratch));
        }
    }

    /// `find`, working in `scratch` (whose contents it replaces).
    fn find_in(
        &self,
        doc: &Document,
        out: &mut Vec<Finding>,
        prefilter: bool,
        scratch: &mut Scratch,
    ) {
        let Scratch {
            units,
            filters,
            slots,
            slot_of,
            maybe_near,
            copies,
            seen,
            reported_lines,
            near_index,
        } = scratch;
        self.units(doc, units);
        let Units {
            units, shingles, ..
        } = units;
        // Each distinct text gets a slot: its number of copies, and its first
        // copy that counts. A text the filter finds once is its own slot.
        if prefilter {
            repeats(units.iter().map(|u| u.hash), units.len(), filters);
        }
        reset_table(slots, 0);
        let mut next = 0;
        slot_of.clear();
        slot_of.extend(units.iter().map(|u| {
            let slot = if prefilter && !filters.twice.may_contain(u.hash) {
                next
            } else {
                *slots.entry(u.hash).or_insert(next)
            };
            next += u32::from(slot == next);
            slot
        }));
        if prefilter {
            // From here on `filters` holds repeated shingles, not units.
            may_be_near(units, shingles, self.threshold, filters, maybe_near);
        } else {
            maybe_near.clear();
            maybe_near.resize(units.len(), true);
        }
        copies.clear();
        copies.resize(next as usize, 0);
        for &slot in slot_of.iter() {
            copies[slot as usize] += 1;
        }
        seen.clear();
        seen.resize(next as usize, None);
        let technical = doc.is_technical();
        // Whether a repeat counts: in technical text only right after its first copy.
        let counts = |unit: &Unit, earlier: Earlier| {
            unit.classified
                || !technical
                || (earlier.end..unit.lines.start).all(|i| doc.lines[i].blank)
        };
        reported_lines.clear();
        reported_lines.resize(doc.lines.len(), false);
        let near_shingles = (units.iter().zip(maybe_near.iter()))
            .filter_map(|(u, &maybe)| u.near.as_ref().filter(|_| maybe))
            .map(|r| r.len())
            .sum();
        near_index.reset(self.threshold, near_shingles);
        for ((unit, &slot), &maybe_near) in units.iter().zip(slot_of.iter()).zip(maybe_near.iter())
        {
            if reported_lines[unit.lines.start] {
                continue;
            }
            if !unit.classified && (unit.words < 8 || copies[slot as usize] > 2) {
                continue;
            }
            let here = Earlier {
                first: unit.lines.start,
                end: unit.lines.end,
            };
            let earlier = *seen[slot as usize].get_or_insert(here);
            if earlier.first != here.first {
                if counts(unit, earlier) {
                    self.report(doc, unit, earlier.first, false, out);
                    reported_lines[unit.lines.clone()].fill(true);
                }
                continue;
            }
            // A paragraph that shares too few shingles is near no other.
            let Some(range) = unit.near.clone().filter(|_| maybe_near) else {
                continue;
            };
            let range = set(shingles, range);
            if let Some(earlier) = near_index.add(shingles, range, here) {
                if counts(unit, earlier) {
                    self.report(doc, unit, earlier.first, true, out);
                    reported_lines[unit.lines.clone()].fill(true);
                }
            }
        }
    }
}

impl Detector for Duplicates {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        self.find(doc, out, true);
    }

    fn stage(&self) -> Stage {
        Stage::Structure
    }

    fn prose_only(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::xorshift;

    /// The normalized text, built as a string: the definition the word hashes
    /// must agree with.
    fn normalize(text: &str) -> String {
        let trimmed = text.trim_matches(|c: char| !c.is_alphabetic());
        let words: Vec<String> = trimmed
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect();
        words.join(" ")
    }

    /// Checks the words `seq` and length `chars` found for `span` against
    /// `normalize`.
    fn check_normalized(doc: &Document, span: Span, seq: &[u64], chars: usize) {
        let norm = normalize(doc.slice(span));
        let expected: Vec<u64> = norm
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| char_lower_hash(w).0)
            .collect();
        assert_eq!(seq, expected, "{:?} → {norm:?}", doc.slice(span));
        assert_eq!(chars, norm.chars().count(), "{norm:?}");
    }

    /// Checks the words `normalized` (and `normalized_whole`, where it
    /// applies) gives every paragraph and line of `text` against `normalize`.
    fn agrees_with_normalize(text: &str) {
        let doc = Document::new(text);
        let (mut words, mut seq) = (Vec::new(), Vec::new());
        let mut check = |words: &[Word], span: Span| {
            let chars = normalized(text, words, &mut seq);
            check_normalized(&doc, span, &seq, chars);
        };
        for p in &doc.paragraphs {
            words.clear();
            let mut lines = Vec::new();
            for i in p.lines.clone() {
                let start = words.len();
                let range = doc.lines[i].words.clone();
                let hashes = &doc.word_hashes()[range.clone()];
                split_words(text, &doc.words[range], hashes, &mut words);
                lines.push((start..words.len(), doc.lines[i].trimmed));
            }
            check(&words, p.span);
            for (range, span) in lines {
                check(&words[range], span);
            }
            // Where every word is whole, read in place.
            let lines = &doc.lines[p.lines.clone()];
            let all = lines[0].words.start..lines[lines.len() - 1].words.end;
            if doc.words[all.clone()].iter().all(whole) {
                let mut whole_seq = Vec::new();
                for (range, span) in lines
                    .iter()
                    .map(|l| (l.words.clone(), l.trimmed))
                    .chain([(all, p.span)])
                {
                    let hashes = &doc.word_hashes()[range.clone()];
                    let chars = normalized_whole(text, &doc.words[range], hashes, &mut whole_seq);
                    check_normalized(&doc, span, &whole_seq, chars);
                }
            }
        }
    }

    #[test]
    fn word_hashes_agree_with_the_normalized_text() {
        agrees_with_normalize("The first paragraph of the story, long enough to count as one.");
        agrees_with_normalize(
            "2019: it's a re-run, 3rd time!\r\nmp3 H2O x²\n\nİstanbul STRASSE straße",
        );
        let pieces = [
            "a",
            "B",
            "z",
            "Z",
            "0",
            "9",
            "'",
            "’",
            "-",
            " ",
            "  ",
            "\t",
            ".",
            ",",
            "İ",
            "ß",
            "Σ",
            "ς",
            "Ⅻ",
            "²",
            "½",
            "\u{212A}",
            "é",
            "É",
            "×",
            "÷",
            "東",
            "日本",
            "ﬁ",
            "ǅ",
            "ŉ",
            "٣",
            "_",
            "`",
            "(",
            "\u{2009}",
            "\u{a0}",
            "\u{301}",
            "\n",
            "\r\n",
            "\n\n",
            "x",
            "longword",
            "ABCDEFGHIJ",
            "abcdefgh",
            "12345678",
            "a1",
            "1a",
            "\u{feff}",
        ];
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..3000 {
            let len = next() % 40;
            let text: String = (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            agrees_with_normalize(&text);
        }
    }

    #[test]
    fn ascii_words_keep_the_document_hash() {
        let text = "aBcDeFgHiJ0123456789KlMnOpQrStUvWxYz";
        for start in 0..text.len() {
            for end in start + 1..=text.len() {
                let word = &text[start..end];
                let doc = Document::new(word);
                let mut out = Vec::new();
                split_words(word, &doc.words, doc.word_hashes(), &mut out);
                let lowered: String = word.to_lowercase();
                assert_eq!(out.len(), 1);
                assert_eq!(out[0].hash, char_lower_hash(&lowered).0, "{word}");
                assert_eq!(out[0].chars, word.len());
                let letter = |b: u8| b.is_ascii_alphabetic();
                assert_eq!(out[0].has_letter, word.bytes().any(letter));
                assert_eq!(out[0].starts_letter, letter(word.as_bytes()[0]));
                assert_eq!(out[0].ends_letter, letter(word.as_bytes()[word.len() - 1]));
            }
        }
    }

    #[test]
    fn rolled_shingles_are_the_hashes_of_each_run() {
        let mut next = xorshift(0x5851_f42d_4c95_7f2d);
        for len in 0..40 {
            let words: Vec<u64> = (0..len).map(|_| next()).collect();
            let direct: Vec<u64> = words
                .windows(SHINGLE)
                .map(|run| {
                    fold_mul(
                        run.iter()
                            .fold(0, |h, &w| h.wrapping_mul(K).wrapping_add(w)),
                        K,
                    )
                })
                .collect();
            assert_eq!(shingles(&words).collect::<Vec<_>>(), direct, "{len} words");
        }
    }

    #[test]
    fn char_kinds_agree_with_unicode() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let expected = if c.is_alphabetic() {
                LETTER
            } else if c.is_alphanumeric() {
                DIGIT
            } else {
                OTHER
            };
            assert_eq!(kind(c), expected, "{c:?}");
        }
    }

    /// Random texts of paragraphs copied whole, copied with a few words
    /// changed, and fresh, from a vocabulary small enough that shingles repeat.
    fn random_text(next: &mut impl FnMut() -> u64) -> String {
        const VOCABULARY: [&str; 14] = [
            "the", "cat", "Sat", "on", "mat", "and", "it's", "re-run", "2019", "x2", "Straße",
            "dog", "ran", "far",
        ];
        let mut paragraphs: Vec<Vec<&str>> = Vec::new();
        for _ in 0..1 + next() % 12 {
            let copy = (next().is_multiple_of(3) && !paragraphs.is_empty())
                .then(|| paragraphs[(next() % paragraphs.len() as u64) as usize].clone());
            let words = match copy {
                Some(mut words) => {
                    for _ in 0..next() % 3 * u64::from(!words.is_empty()) {
                        let i = (next() % words.len() as u64) as usize;
                        words[i] = VOCABULARY[(next() % 14) as usize];
                    }
                    words
                }
                None => {
                    let vocabulary = 3 + next() % 11;
                    (0..next() % 40)
                        .map(|_| VOCABULARY[(next() % vocabulary) as usize])
                        .collect()
                }
            };
            paragraphs.push(words);
        }
        let mut text = String::new();
        for words in &paragraphs {
            for w in words {
                text.push_str(w);
                text.push_str(match next() % 12 {
                    0 => "\n",
                    1 => ", ",
                    _ => " ",
                });
            }
            text.push_str("\n\n");
        }
        text
    }

    #[test]
    fn the_prefilters_change_no_finding() {
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        let mut found = [0; 2];
        for threshold in [0.0, 0.5, 0.8, 0.95, 1.0] {
            let rule = Duplicates {
                min_chars: 20,
                threshold,
            };
            for _ in 0..300 {
                let text = random_text(&mut next);
                let doc = Document::new(&text);
                let (mut fast, mut full) = (Vec::new(), Vec::new());
                rule.find(&doc, &mut fast, true);
                rule.find(&doc, &mut full, false);
                assert_eq!(fast, full, "threshold {threshold}: {text:?}");
                for f in &fast {
                    found[usize::from(f.vars.iter().any(|v| v.1 == "nearly repeats"))] += 1;
                }
            }
        }
        // Both kinds of copies were found.
        assert!(found[0] > 100 && found[1] > 100, "{found:?}");
    }

    /// The buffers a thread keeps (`SCRATCH`) change no finding: each text
    /// checked after a large one full of copies finds what it finds on a
    /// thread of its own.
    #[test]
    fn kept_buffers_change_no_finding() {
        let rule = Duplicates {
            min_chars: 20,
            threshold: 0.8,
        };
        let find = |text: &str| {
            let mut found = Vec::new();
            rule.find(&Document::new(text), &mut found, true);
            found
        };
        let mut next = xorshift(0x5851_f42d_4c95_7f2d);
        // Every unit of it repeats, so each has a slot in the table.
        let large = (0..300)
            .map(|_| random_text(&mut next))
            .collect::<String>()
            .repeat(2);
        for _ in 0..30 {
            let text = random_text(&mut next);
            let alone = std::thread::scope(|s| s.spawn(|| find(&text)).join().unwrap());
            assert!(!find(&large).is_empty());
            assert_eq!(find(&text), alone, "{text:?}");
        }
        // The large text leaves tables larger than a small text's check
        // empties (`reset_table` replaces them), and its buffers are kept.
        find(&large);
        let kept = SCRATCH.take().expect("kept");
        assert!(kept.slots.capacity() > 1024, "{}", kept.slots.capacity());
        assert!(kept.near_index.heads.capacity() > 1024);
        SCRATCH.set(Some(kept));
        find("A small text.");
        let kept = SCRATCH.take().expect("kept");
        assert!(kept.slots.capacity() <= 1024);
        assert!(kept.near_index.heads.capacity() <= 1024);
    }

    #[test]
    fn near_index_finds_what_comparing_every_pair_finds() {
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
        // One index, emptied for each round as a kept one is.
        let mut index = NearIndex::default();
        for threshold in [0.0, 0.3, 0.5, 0.75, 0.8, 0.9, 1.0] {
            for _ in 0..40 {
                // Sets drawn from few values, so that many overlap.
                let (mut all, mut sets) = (Vec::new(), Vec::new());
                for _ in 0..30 {
                    let size = 1 + next() % 16;
                    let start = all.len();
                    all.extend((0..size).map(|_| fold_mul(next() % 24, K)));
                    all[start..].sort_unstable();
                    let mut set = all[start..].to_vec();
                    set.dedup();
                    all.truncate(start);
                    all.extend(set);
                    sets.push(start..all.len());
                }
                index.reset(threshold, all.len());
                let mut kept: Vec<usize> = Vec::new();
                for (k, range) in sets.iter().enumerate() {
                    let set = &all[range.clone()];
                    let expected = kept.iter().copied().find(|&j| {
                        let other = &all[sets[j].clone()];
                        let n = shared(set, other);
                        let union = set.len() + other.len() - n;
                        n > 0 && n as f64 / union as f64 >= threshold
                    });
                    let here = Earlier {
                        first: k,
                        end: k + 1,
                    };
                    let found = index.add(&all, range.clone(), here).map(|e| e.first);
                    assert_eq!(found, expected, "threshold {threshold}, set {k}");
                    if expected.is_none() {
                        kept.push(k);
                    }
                }
            }
        }
    }
}
