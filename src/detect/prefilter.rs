//! Literal prefilters for `pattern` rules: most patterns need a word or a symbol
//! that most text never holds ("casino", "Getty Images", "&amp;"), but the regex
//! engine cannot skip ahead to it when the pattern starts with a class or an
//! assertion (`^[^\n.!?]{0,80}\b...`); with Unicode `\b` its fast DFA also gives
//! up on the first non-ASCII byte. So each pattern gets, when it pays, the set of
//! literals of which every match holds one (found in the pattern's syntax tree),
//! and the regex only runs where one occurs:
//!
//! - no literal in the text: no match, no regex scan;
//! - matches that start with a literal: an anchored search where one starts;
//! - matches that start a line (`^`) and never hold a line break: an anchored
//!   search at the start of each line holding one;
//! - matches at most `L` bytes long: the regex runs in windows of `L` bytes around
//!   each literal (merged when they overlap), cut at line breaks when matches
//!   never hold one;
//! - matches that never hold a line break: the regex runs on the lines holding one;
//! - otherwise it runs over the whole text.
//!
//! Of the sets of literals a pattern offers, the one whose commonest literal is
//! rarest as words go wins (`quality`): "this " would wake a cookie notice rule
//! on most pages, "this site uses cookies" almost never.
//!
//! The regex searches a window, or from an anchored start, with the whole text as
//! context (look-around sees past the window's edges), so it reports exactly the
//! matches, in the same order, that a scan of the whole text reports: each match
//! lies inside one merged window (or starts at one of the starts tried), and no
//! window can hold a match that the whole scan would not report.

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use regex_automata::meta;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind, Look};
use serde::{Deserialize, Serialize};

use super::byte_serde::byte_strings;
use super::lazy_regex::LazyRegex;
use super::staged::Staged;
use super::{Hits, Needles};

/// Where a pattern can match, given the positions of its literals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Matches are at most this many bytes long.
    Bytes(usize),
    /// Matches are at most this many bytes long and never hold a line break.
    LineBytes(usize),
    /// Matches never hold a line break.
    Line,
    /// Every match starts where a literal does: the regex tries there only.
    Starts,
    /// Every match starts at a line's start (`^`) and never holds a line
    /// break: the regex tries at the start of each line holding a literal
    /// (`line_tries`).
    LineStarts,
    /// Anywhere.
    Text,
}

#[derive(Debug)]
pub struct Prefilter {
    /// The literals, for a standalone scan (`for_each_match`), built on first
    /// use (an NFA for the first `NFA_BUDGET` bytes, then a DFA): the engine
    /// scans for every rule's needles at once and calls `for_each_match_at`.
    literals: Staged<AhoCorasick>,
    needles: Needles,
    /// The length of the longest literal.
    longest: usize,
    /// Where the pattern can match around a literal. Even a text of a few
    /// hundred bytes is searched in windows: on articles of 1 to 4 KB that
    /// took 9 to 20% less time than searching each whole.
    reach: Reach,
    /// The literals are matched ignoring ASCII case; a character that folds to
    /// an ASCII letter (`ſ`, the Kelvin sign) counts as a literal's occurrence.
    case_insensitive: bool,
}

/// Bytes searched for the literals with an NFA before a DFA is built.
const NFA_BUDGET: usize = 64 << 10;

/// Characters outside ASCII that a case-insensitive regex matches for an ASCII
/// letter (`ſ` for `s`, the Kelvin sign for `k`): ASCII case folding misses them.
pub(crate) const FOLDS_TO_ASCII: [&str; 2] = ["ſ", "\u{212A}"];

impl Prefilter {
    /// A prefilter for a pattern (`hir`, as `parse` gives it) whose every match
    /// holds one of `literals` (`required_literals`), or `None` when it cannot
    /// be used (the pattern matches the empty string or anchors at the text's
    /// edges).
    pub fn new(hir: &Hir, required: &Required, case_sensitive: bool) -> Option<Prefilter> {
        if !can_prefilter(hir) {
            return None;
        }
        let literals = &required.literals;
        let longest = literals.iter().map(Vec::len).max().unwrap_or(0);
        let needles = as_needles(literals, case_sensitive);
        // Common literals are everywhere: then they only tell whether the text
        // needs the regex at all.
        let rare = literals.iter().all(|l| super::is_rare(l, case_sensitive));
        let reach = match hir.properties().maximum_len() {
            _ if !rare => Reach::Text,
            _ if required.starts => Reach::Starts,
            _ if starts_lines(hir) && !can_match_newline(hir) => Reach::LineStarts,
            Some(n) if n <= 4096 && !can_match_newline(hir) => Reach::LineBytes(n),
            Some(n) if n <= 4096 => Reach::Bytes(n),
            _ if !can_match_newline(hir) => Reach::Line,
            _ => Reach::Text,
        };
        Some(Prefilter {
            literals: Staged::new(NFA_BUDGET),
            needles,
            longest,
            reach,
            case_insensitive: !case_sensitive,
        })
    }

    pub fn needles(&self) -> Needles {
        self.needles.clone()
    }

    /// Whether the pattern searches windows around its literals (or from
    /// anchored starts), rather than the whole text.
    pub fn windowed(&self) -> bool {
        self.reach != Reach::Text
    }

    /// Calls `each` with every match of the pattern (`regex`) in `text`, in order.
    pub fn for_each_match(&self, regex: &LazyRegex, text: &str, each: impl FnMut(&Captures)) {
        let bytes = text.as_bytes();
        // Over the whole text, the first literal is all it takes.
        let wanted = match self.reach {
            Reach::Text => 1,
            _ => usize::MAX,
        };
        let literals = self.literals.get(bytes.len(), |fast| {
            let (literals, folded) = match self.case_insensitive {
                true => (&self.needles.folded, true),
                false => (&self.needles.exact, false),
            };
            aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(folded)
                .kind((!fast).then_some(AhoCorasickKind::NoncontiguousNFA))
                .build(literals)
                .expect("few literals")
        });
        let mut hits: Vec<(usize, usize)> = literals
            .find_overlapping_iter(bytes)
            .map(|m| (m.start(), m.end()))
            .take(wanted)
            .collect();
        if self.case_insensitive {
            for fold in FOLDS_TO_ASCII {
                let found = memchr::memmem::find_iter(bytes, fold.as_bytes());
                hits.extend(found.map(|i| (i, i + fold.len())));
            }
            hits.sort_unstable();
        }
        self.for_each_match_at(regex, text, &hits, each);
    }

    /// `for_each_match`, given where the needles occur (sorted by start).
    pub fn for_each_match_at(
        &self,
        regex: &LazyRegex,
        text: &str,
        hits: Hits,
        each: impl FnMut(&Captures),
    ) {
        let bytes = text.as_bytes();
        let reach = self.reach;
        match reach {
            Reach::Starts => {
                let starts = self.match_starts(text, hits).into_iter().map(Try::At);
                return search_tries(regex, text, starts, each);
            }
            Reach::LineStarts => return search_tries(regex, text, line_tries(bytes, hits), each),
            _ => {}
        }
        let mut windows: Vec<(usize, usize)> = Vec::new();
        // A character that folds to an ASCII letter (`ſ`) is one a match holds
        // in place of a literal's letter: a window around it as around a literal.
        for &(hit_start, hit_end) in hits {
            let (start, end) = match reach {
                Reach::Bytes(n) => {
                    let n = n + self.longest;
                    (hit_start.saturating_sub(n), (hit_end + n).min(bytes.len()))
                }
                Reach::LineBytes(n) => {
                    let n = n + self.longest;
                    let (lo, hi) = (hit_start.saturating_sub(n), (hit_end + n).min(bytes.len()));
                    (
                        memchr::memrchr(b'\n', &bytes[lo..hit_start]).map_or(lo, |i| lo + i + 1),
                        memchr::memchr(b'\n', &bytes[hit_end..hi]).map_or(hi, |i| hit_end + i),
                    )
                }
                Reach::Line => (
                    memchr::memrchr(b'\n', &bytes[..hit_start]).map_or(0, |i| i + 1),
                    memchr::memchr(b'\n', &bytes[hit_end..]).map_or(bytes.len(), |i| hit_end + i),
                ),
                Reach::Text => (0, bytes.len()),
                Reach::Starts | Reach::LineStarts => unreachable!("searched from anchored starts"),
            };
            if windows.last().is_some_and(|w| w.1 == bytes.len()) {
                break;
            }
            match windows.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => windows.push((start, end)),
            }
        }
        let windows = windows
            .into_iter()
            .map(|(start, end)| Try::Within(start, end));
        search_tries(regex, text, windows, each);
    }

    /// Where matches may start when every match starts where a literal does.
    fn match_starts(&self, text: &str, hits: Hits) -> Vec<usize> {
        let mut starts: Vec<usize> = Vec::with_capacity(hits.len());
        for &(start, end) in hits {
            match FOLDS_TO_ASCII.contains(&&text[start..end]) {
                // The letter of a literal written otherwise: the match starts
                // at most a literal's length before it (three bytes a letter).
                true => {
                    let first = start.saturating_sub(3 * self.longest);
                    starts.extend((first..=start).filter(|&i| text.is_char_boundary(i)));
                }
                false => starts.push(start),
            }
        }
        starts.sort_unstable();
        starts.dedup();
        starts
    }
}

/// Where a match may start: at one place (an anchored search there), or
/// anywhere in a stretch of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Try {
    At(usize),
    Within(usize, usize),
}

/// Where matches may start when every match starts at a line's start and
/// holds no line break: at the start of each line holding a hit. A line that
/// holds a lone carriage return (where `^` also matches, in CRLF mode) is
/// searched whole instead, once: anchored searches after each of its
/// carriage returns could each run on to the line's end, which on a text
/// that breaks its lines with carriage returns alone is one search per line
/// over the rest of the text.
fn line_tries(bytes: &[u8], hits: Hits) -> Vec<Try> {
    let mut tries = Vec::new();
    // Hits before `next` are on a line already tried.
    let mut next = 0;
    for &(hit, _) in hits {
        if hit < next {
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[next..hit]).map_or(next, |i| next + i + 1);
        let end = memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |i| hit + i);
        // The carriage return of a CRLF line break is no lone one.
        let crlf = end < bytes.len() && bytes[start..end].ends_with(b"\r");
        let lone_cr = memchr::memchr(b'\r', &bytes[start..end - usize::from(crlf)]).is_some();
        tries.push(match lone_cr {
            true => Try::Within(start, end),
            false => Try::At(start),
        });
        next = end + 1;
    }
    tries
}

/// Every match of `regex` in `text` when matches can only start where
/// `tries` (in order) say: what a scan of the whole text finds, since its
/// leftmost match after the last one starts at one of them. The regex is
/// only built when there is something to try.
fn search_tries(
    regex: &LazyRegex,
    text: &str,
    tries: impl IntoIterator<Item = Try>,
    mut each: impl FnMut(&Captures),
) {
    let mut tries = tries.into_iter().peekable();
    if tries.peek().is_none() {
        return;
    }
    let regex = regex.get(text.len());
    let mut caps = regex.create_captures();
    let mut from = 0;
    for t in tries {
        match t {
            Try::At(start) if start >= from => {
                let input = Input::new(text).range(start..).anchored(Anchored::Yes);
                regex.search_captures(&input, &mut caps);
                if let Some(m) = caps.get_match() {
                    from = m.end();
                    each(&caps);
                }
            }
            Try::At(_) => {}
            Try::Within(start, end) => {
                let mut at = start.max(from);
                while at < end {
                    regex.search_captures(&Input::new(text).range(at..end), &mut caps);
                    let Some(m) = caps.get_match() else { break };
                    at = m.end();
                    from = m.end();
                    each(&caps);
                }
            }
        }
    }
}

/// Whether every match starts with a line-start assertion (`^` in multi-line
/// mode).
fn starts_lines(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(look) => matches!(look, Look::StartLF | Look::StartCRLF),
        HirKind::Concat(subs) => subs.first().is_some_and(starts_lines),
        HirKind::Alternation(alts) => alts.iter().all(starts_lines),
        HirKind::Capture(c) => starts_lines(&c.sub),
        HirKind::Repetition(r) => r.min >= 1 && starts_lines(&r.sub),
        _ => false,
    }
}

/// A pattern's syntax tree, parsed as rule patterns are compiled.
pub fn parse(pattern: &str, case_insensitive: bool) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .multi_line(true)
        .crlf(true)
        .case_insensitive(case_insensitive)
        .build()
        .parse(pattern)
        .ok()
}

/// Whether `Prefilter::new` takes the pattern: it cannot match the empty
/// string, nor anchor at the text's edges. The pattern as written and parsed
/// ignoring case give the same answer.
pub fn can_prefilter(hir: &Hir) -> bool {
    hir.properties().minimum_len().unwrap_or(0) > 0 && !has_text_anchor(hir)
}

/// Literals of which every match of the pattern holds one, to be matched
/// exactly or (not `case_sensitive`) ignoring ASCII case; `None` if there is no
/// such set. `written` is the pattern parsed case-sensitively: case variants
/// would multiply the literals, so they come from the pattern as written and
/// are matched ignoring ASCII case (so only literals whose other characters
/// have no case).
pub fn required_literals(written: &Hir, case_sensitive: bool) -> Option<Required> {
    let required = required(written, case_sensitive)?;
    let literals = &required.literals;
    let usable = literals.iter().all(|l| !l.is_empty())
        && (case_sensitive || literals.iter().all(|l| ascii_foldable(l)));
    usable.then_some(required)
}

/// Literals of which every match of a pattern holds one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Required {
    #[serde(with = "byte_strings")]
    pub literals: Vec<Vec<u8>>,
    /// Every match starts with one of them: the regex need only try where
    /// one starts.
    pub starts: bool,
}

/// The literals as needles (with the characters that fold to ASCII letters
/// when they are matched ignoring case).
pub fn as_needles(literals: &[Vec<u8>], case_sensitive: bool) -> Needles {
    let mut needles = Needles::new(literals.to_vec(), case_sensitive);
    if !case_sensitive {
        needles.exact = FOLDS_TO_ASCII
            .iter()
            .map(|f| f.as_bytes().to_vec())
            .collect();
    }
    needles
}

/// Whether ASCII case folding finds every case variant of the literal that a
/// case-insensitive regex matches: each non-ASCII character has no case variant.
pub(crate) fn ascii_foldable(literal: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(literal) else {
        return false;
    };
    s.chars().filter(|c| !c.is_ascii()).all(|c| {
        let mut buf = [0; 4];
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(&regex_syntax::escape(c.encode_utf8(&mut buf)));
        hir.is_ok_and(|h| matches!(h.kind(), HirKind::Literal(_)))
    })
}

/// A pattern that is an alternation, searched as one regex per branch. With a
/// Unicode `\b` in one branch the engine's fast DFA gives up on the first
/// non-ASCII byte and the whole alternation falls back to a slow engine; split,
/// only that branch does, and it usually starts with a literal the engine skips
/// ahead to. The leftmost match wins, and on a tie the first branch, which is
/// exactly how the alternation itself chooses, so the matches are the same.
/// Only for patterns without capture groups (match spans are all that is kept).
#[derive(Debug)]
pub struct Branches {
    /// Literals of which every match holds one: without any, nothing to compile.
    gate: Option<AhoCorasick>,
    needles: Option<Needles>,
    /// Compiled on first use.
    branches: Vec<LazyRegex>,
}

impl Branches {
    /// `hir` and `literals` as for `Prefilter::new` (no literals: no gate).
    pub fn new(
        hir: &Hir,
        literals: Option<&[Vec<u8>]>,
        case_sensitive: bool,
        size_limit: usize,
    ) -> Option<Branches> {
        let HirKind::Alternation(alts) = hir.kind() else {
            return None;
        };
        if hir.properties().explicit_captures_len() > 0
            || hir.properties().minimum_len().unwrap_or(0) == 0
            || !alts.iter().any(has_unicode_word_boundary)
        {
            return None;
        }
        let gate = match (case_sensitive, literals) {
            (true, Some(l)) => AhoCorasick::new(l).ok(),
            _ => None,
        };
        Some(Branches {
            gate,
            needles: literals.map(|l| as_needles(l, case_sensitive)),
            branches: alts
                .iter()
                .map(|alt| LazyRegex::from_hir(alt.clone(), size_limit))
                .collect(),
        })
    }

    pub fn needles(&self) -> Option<Needles> {
        self.needles.clone()
    }

    /// Calls `each` with the span of every match in `text`, in order.
    pub fn for_each_match(&self, text: &str, each: impl FnMut(usize, usize)) {
        if self.gate.as_ref().is_some_and(|g| !g.is_match(text)) {
            return;
        }
        self.for_each_match_ungated(text, each);
    }

    /// `for_each_match` on a text known to hold a gate literal.
    pub fn for_each_match_ungated(&self, text: &str, mut each: impl FnMut(usize, usize)) {
        let find = |re: &meta::Regex, at: usize| {
            re.search(&Input::new(text).range(at..))
                .map(|m| (m.start(), m.end()))
        };
        let branches: Vec<&meta::Regex> = self.branches.iter().map(|b| b.get(text.len())).collect();
        let mut next: Vec<Option<(usize, usize)>> = branches.iter().map(|re| find(re, 0)).collect();
        // The leftmost match wins; on a tie `min_by_key` keeps the first branch.
        while let Some((start, end)) = next.iter().flatten().min_by_key(|m| m.0).copied() {
            each(start, end);
            for (re, m) in branches.iter().zip(next.iter_mut()) {
                if m.is_some_and(|m| m.0 < end) {
                    *m = if end <= text.len() {
                        find(re, end)
                    } else {
                        None
                    };
                }
            }
        }
    }
}

fn has_unicode_word_boundary(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(look) => matches!(
            look,
            Look::WordUnicode
                | Look::WordUnicodeNegate
                | Look::WordStartUnicode
                | Look::WordEndUnicode
                | Look::WordStartHalfUnicode
                | Look::WordEndHalfUnicode
        ),
        HirKind::Repetition(r) => has_unicode_word_boundary(&r.sub),
        HirKind::Capture(c) => has_unicode_word_boundary(&c.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().any(has_unicode_word_boundary)
        }
        _ => false,
    }
}

/// `\A` or `\z`: assertions that a window's edge would change.
fn has_text_anchor(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(look) => matches!(look, Look::Start | Look::End),
        HirKind::Repetition(r) => has_text_anchor(&r.sub),
        HirKind::Capture(c) => has_text_anchor(&c.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(has_text_anchor),
        _ => false,
    }
}

fn can_match_newline(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => lit.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Repetition(r) => can_match_newline(&r.sub),
        HirKind::Capture(c) => can_match_newline(&c.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(can_match_newline),
    }
}

/// The finite set of literals every match of `hir` starts with (`Prefix`) or
/// ends with (`Suffix`), if there is one.
fn literal_set(hir: &Hir, kind: ExtractKind) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new()
        .kind(kind)
        .limit_class(16)
        .limit_total(500)
        .extract(hir);
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(lits.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// Classes of more members than this are not spelled out as literals.
const MAX_CLASS_MEMBERS: u32 = 128;

/// The members of a class too large for `literal_set`, when each is rare (the
/// control characters of `[\x01-\x08\x0B\x0C\x0E-\x1F]`): then each
/// occurrence is worth a window.
fn rare_members(class: &Class, case_sensitive: bool) -> Option<Vec<Vec<u8>>> {
    let members: Vec<Vec<u8>> = match class {
        Class::Unicode(c) => {
            let count: u32 = c.ranges().iter().map(|r| r.len() as u32).sum();
            if count > MAX_CLASS_MEMBERS {
                return None;
            }
            let chars = c.ranges().iter().flat_map(|r| r.start()..=r.end());
            chars.map(|ch| ch.to_string().into_bytes()).collect()
        }
        Class::Bytes(c) => {
            let count: u32 = c.ranges().iter().map(|r| r.len() as u32).sum();
            if count > MAX_CLASS_MEMBERS {
                return None;
            }
            let bytes = c.ranges().iter().flat_map(|r| r.start()..=r.end());
            bytes.map(|b| vec![b]).collect()
        }
    };
    let usable = members.iter().all(|m| super::is_rare(m, case_sensitive))
        && (case_sensitive || members.iter().all(|m| ascii_foldable(m)));
    usable.then_some(members)
}

/// Larger is better: literals all rare, then literals that start the matches
/// (the regex need only try there), then the commonest of them rarer as words
/// go ("this site uses cookies" over "this "; a set of more than
/// `MAX_RARE_SET` counts as common as "the"), then the shortest literal, then
/// fewer literals.
fn quality(set: &Required, case_sensitive: bool) -> Quality {
    let literals = &set.literals;
    (
        all_rare(literals, case_sensitive),
        set.starts,
        match literals.len() <= MAX_RARE_SET {
            true => literals.iter().map(|l| word_rarity(l)).min().unwrap_or(0),
            false => 0,
        },
        literals.iter().map(Vec::len).min().unwrap_or(0).min(4),
        std::cmp::Reverse(literals.len()),
    )
}

type Quality = (bool, bool, u64, usize, std::cmp::Reverse<usize>);

/// More literals than this are not worth their rarity: each one grows the
/// automaton that scans every text for every rule's needles.
const MAX_RARE_SET: usize = 64;

/// How rare a literal is as words go: the frequency rank of the rarest word
/// it holds ("we use cookies" is as rare as "cookies"). Words outside the
/// most frequent (`data::common_rank`), and literals without letters, are
/// rare: `u64::MAX`.
fn word_rarity(literal: &[u8]) -> u64 {
    let mut lower = [0u8; 24];
    literal
        .split(|b| !b.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| {
            // No common word is this long.
            let Some(lower) = lower.get_mut(..w.len()) else {
                return u64::MAX;
            };
            lower.copy_from_slice(w);
            lower.make_ascii_lowercase();
            let word = std::str::from_utf8(lower).expect("ASCII letters");
            crate::data::common_rank(word).unwrap_or(u64::MAX)
        })
        .max()
        .unwrap_or(u64::MAX)
}

fn all_rare(set: &[Vec<u8>], case_sensitive: bool) -> bool {
    set.iter().all(|l| super::is_rare(l, case_sensitive))
}

/// A set of literals of which every match of `hir` holds one. The literals a
/// match starts with first; when they are not rare, also those a match ends
/// with (` ,` of `\p{L}(?P<hit>[ \t]+,)`) and the members of a class.
fn required(hir: &Hir, case_sensitive: bool) -> Option<Required> {
    let prefixes = best_set(hir, false, case_sensitive);
    if prefixes
        .as_ref()
        .is_some_and(|p| all_rare(&p.literals, case_sensitive))
    {
        return prefixes;
    }
    let any = best_set(hir, true, case_sensitive);
    match (prefixes, any) {
        (Some(p), Some(a)) if quality(&p, case_sensitive) >= quality(&a, case_sensitive) => Some(p),
        (p, a) => a.or(p),
    }
}

/// The best set of `required`: from prefixes only, or also from suffixes and
/// class members (`ends`).
fn best_set(hir: &Hir, ends: bool, case_sensitive: bool) -> Option<Required> {
    let found = |literals: Option<Vec<Vec<u8>>>, starts: bool| {
        literals.map(|literals| Required { literals, starts })
    };
    // The best so far, with its quality (worked out once: it looks words up).
    let mut best: Option<(Required, Quality)> = None;
    let mut consider = |candidate: Option<Required>| {
        if let Some(c) = candidate {
            let q = quality(&c, case_sensitive);
            if best.as_ref().is_none_or(|(_, b)| q > *b) {
                best = Some((c, q));
            }
        }
    };
    consider(found(literal_set(hir, ExtractKind::Prefix), true));
    if ends {
        consider(found(literal_set(hir, ExtractKind::Suffix), false));
    }
    let required = |sub: &Hir| best_set(sub, ends, case_sensitive);
    match hir.kind() {
        HirKind::Class(class) if ends => consider(found(rare_members(class, case_sensitive), true)),
        HirKind::Concat(subs) => {
            // Only assertions before it: a match starts with the element's.
            let mut first = true;
            for sub in subs {
                consider(required(sub).map(|r| Required {
                    starts: r.starts && first,
                    ..r
                }));
                first &= sub.properties().maximum_len() == Some(0);
            }
        }
        HirKind::Alternation(alts) => {
            let mut all = Vec::new();
            let mut starts = true;
            for alt in alts {
                let r = required(alt)?;
                all.extend(r.literals);
                starts &= r.starts;
            }
            all.sort();
            all.dedup();
            consider(found(Some(all), starts));
        }
        HirKind::Capture(c) => consider(required(&c.sub)),
        HirKind::Repetition(r) if r.min >= 1 => consider(required(&r.sub)),
        _ => {}
    }
    best.map(|(set, _)| set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_matches(pattern: &str, case_sensitive: bool, text: &str) -> Vec<(usize, usize)> {
        let re = regex::RegexBuilder::new(pattern)
            .multi_line(true)
            .crlf(true)
            .case_insensitive(!case_sensitive)
            .build()
            .unwrap();
        let want: Vec<(usize, usize)> = re.find_iter(text).map(|m| (m.start(), m.end())).collect();
        want
    }

    fn prefilter(pattern: &str, case_sensitive: bool) -> Option<(Prefilter, LazyRegex)> {
        let hir = parse(pattern, !case_sensitive).unwrap();
        let literals = required_literals(&parse(pattern, false).unwrap(), case_sensitive)?;
        let p = Prefilter::new(&hir, &literals, case_sensitive)?;
        Some((p, LazyRegex::from_hir(hir, 1 << 24)))
    }

    /// Checks the matches in `text`, and in `text` between paragraphs long
    /// enough that it is searched in windows.
    fn check(pattern: &str, case_sensitive: bool, text: &str) -> Reach {
        let (p, regex) = prefilter(pattern, case_sensitive).expect("a prefilter");
        let filler = "Nothing to see here, just words\n".repeat(128);
        for text in [text.to_string(), format!("{filler}{text}\n{filler}")] {
            let mut got = Vec::new();
            p.for_each_match(&regex, &text, |caps| {
                let m = caps.get_match().unwrap();
                got.push((m.start(), m.end()));
            });
            assert_eq!(
                got,
                all_matches(pattern, case_sensitive, &text),
                "{pattern}"
            );
            assert!(!got.is_empty(), "{pattern}");
        }
        p.reach
    }

    #[test]
    fn same_matches_as_a_whole_scan() {
        let text = "Casino night\nThe best CASINOS here\r\nno bets. sports\nbookmaker bet365 \
                    casino\n“Online poker” wins\nalleged that he reportedly\nleft";
        let gambling =
            r"^[^\n.!?]{0,80}\b(?:casinos?|bookmakers?|bet365|online\ poker)\b[^\n.!?]{0,80}$";
        assert_eq!(check(gambling, false, text), Reach::LineStarts);
        let unanchored = &gambling[1..];
        assert_eq!(check(unanchored, false, text), Reach::LineBytes(655));
        let (label, _) = prefilter(LINE_LABEL, false).unwrap();
        assert_eq!(label.reach, Reach::LineStarts);
        let hedge = r"[^.]?\b(?:alleged|reported)\s+(?:[\p{L}-]+\s+)*(?:allegedly|reportedly)\b";
        assert_eq!(check(hedge, true, text), Reach::Text);
        let hedge = r"\b(?:alleged|reported)\s+(?:[\p{L}-]+\s+)*(?:allegedly|reportedly)\b";
        assert_eq!(check(hedge, false, text), Reach::Starts);
        assert_eq!(
            check(r"[^.\n]?\b(?:wins|bets)[^\n]*", false, text),
            Reach::Line
        );
        let folded = text
            .replace("sports", "ſports")
            .replace("poker", "po\u{212A}er");
        check(r"[^\n.!?]{0,8}\b(?:sports|poker)", false, &folded);
        check(gambling, false, &folded);
    }

    /// Every match and group span of `pattern` in `text`, found by the
    /// prefilter given the needles' overlapping occurrences (as the engine's
    /// scan gives them) and standalone, against the whole regex's.
    fn assert_same_as_whole(pattern: &str, case_sensitive: bool, text: &str) -> usize {
        let (p, regex) = prefilter(pattern, case_sensitive).expect("a prefilter");
        assert_prefilter_same_as_whole(&p, &regex, pattern, text)
    }

    /// `assert_same_as_whole` with the prefilter and regex built already.
    fn assert_prefilter_same_as_whole(
        p: &Prefilter,
        regex: &LazyRegex,
        pattern: &str,
        text: &str,
    ) -> usize {
        let spans = |caps: &Captures| -> Vec<Option<(usize, usize)>> {
            (0..caps.group_len())
                .map(|i| caps.get_group(i).map(|s| (s.start, s.end)))
                .collect()
        };
        let mut want = Vec::new();
        let whole = regex.get(text.len());
        for caps in whole.captures_iter(text) {
            want.push(spans(&caps));
        }
        let needles = p.needles();
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for (literals, folded) in [(&needles.exact, false), (&needles.folded, true)] {
            if literals.is_empty() {
                continue;
            }
            let scan = aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(folded)
                .build(literals)
                .unwrap();
            hits.extend(
                scan.find_overlapping_iter(text)
                    .map(|m| (m.start(), m.end())),
            );
        }
        hits.sort_unstable();
        let mut at = Vec::new();
        p.for_each_match_at(regex, text, &hits, |caps| at.push(spans(caps)));
        assert_eq!(at, want, "{pattern} in {text:?}");
        let mut standalone = Vec::new();
        p.for_each_match(regex, text, |caps| standalone.push(spans(caps)));
        assert_eq!(standalone, want, "{pattern} in {text:?}");
        want.len()
    }

    /// Needles at a window's edges, at the ends of lines (CRLF too), next to
    /// characters beyond ASCII, and characters that fold to ASCII letters far
    /// apart in a long text: the windows find what the whole regex finds.
    #[test]
    fn windows_find_what_the_whole_regex_finds_near_their_edges() {
        let cases: [(&str, bool, &[&str]); 8] = [
            (
                STRAY_PERIOD,
                true,
                &["said. . He", "é. .\r\n", "x. .", ". . . y", "a.\t. b"],
            ),
            (
                SPACE_BEFORE,
                true,
                &["report , released", "Why ?\r\n", "”\t;\t", "é :"],
            ),
            (
                CONTROL,
                true,
                &["bell\u{7}\u{7}", "c1\u{85}x", "\u{1}", "é\u{1f}\r\n"],
            ),
            (r",(?P<hit>[ \t]*,)", true, &["a,, b", "a, ,\r\n", ",\t,"]),
            (
                r"[^\n.!?]{0,8}\b(?:sports|poker)",
                false,
                &["ſports", "po\u{212A}er", "é Poker"],
            ),
            (
                r"\bcasino\w*[^\n]{0,5}",
                false,
                &["CASINO", "ca\u{17F}ino", "casinos\r\n"],
            ),
            (
                r"[^.]{0,6}\bpoker",
                false,
                &["poker", "\n\npo\u{212A}er", "𝔘\r\nPOKER"],
            ),
            // Matches start at a line's start, and a lone carriage return
            // starts a line too.
            (
                LINE_LABEL,
                false,
                &[
                    "Read: more",
                    "read read: x",
                    "a\rREAD | b",
                    "\r\rwatch: it\r\n",
                    "x\r read:",
                ],
            ),
        ];
        // Characters of four bytes make matches as long as they can be.
        let line = "Nothing to see here, just wörds 𝔘𝔘𝔘𝔘𝔘𝔘𝔘𝔘; ".repeat(256);
        let mut found = 0;
        for (pattern, case_sensitive, snippets) in cases {
            for snippet in snippets {
                for pad in [0, 1, 2, 3, 5, 8, 13, 21, 64] {
                    let gap = "x".repeat(pad);
                    let text = format!(
                        "{snippet}{gap}{snippet}{line}{gap}{snippet}\n{snippet}{gap}\n\
                         {line}\r\n{gap}{snippet}{line}{snippet}{gap}{snippet}"
                    );
                    found += assert_same_as_whole(pattern, case_sensitive, &text);
                    found += assert_same_as_whole(pattern, case_sensitive, snippet);
                }
            }
        }
        assert!(found > 500);
    }

    const STRAY_PERIOD: &str = r"(?:^|[^.\s])\.(?P<hit>[ \t]+\.)(?:[ \t]*$|[ \t]+[^.\s])";
    const SPACE_BEFORE: &str = r"[\p{L}”’)](?P<hit>[ \t]+[,;:!?])(?:[ \t]|$)";
    const CONTROL: &str = r"[\x01-\x08\x0B\x0C\x0E-\x1F\x7F\x{80}-\x{9F}]+";
    const LINE_LABEL: &str = r"^[ \t]*(?:read|read more|watch)[ \t]*(?::|\|)[ \t]*\S[^\n]*$";

    /// The literals `required_literals` picks for a pattern, sorted.
    fn sorted_literals(pattern: &str, case_sensitive: bool) -> Vec<String> {
        let written = parse(pattern, false).unwrap();
        let mut l = required_literals(&written, case_sensitive)
            .unwrap()
            .literals;
        l.sort();
        l.into_iter()
            .map(|l| String::from_utf8(l).unwrap())
            .collect()
    }

    /// Line-start patterns (`^` in captures, in alternations, after other
    /// repetitions; CRLF and LF mode) over random texts of needles, line
    /// breaks, lone carriage returns and characters that fold to ASCII
    /// letters: the tries find every match and group the whole regex finds.
    #[test]
    fn line_start_patterns_find_what_the_whole_regex_finds() {
        let patterns = [
            LINE_LABEL,
            r"^[ \t]*read[ \t]*:",
            r"(?P<x>^[ \t]*)read(?P<y>:)?",
            r"(?:^[ \t]*read|^[ \t]*watch:)",
            r"^[^\n]*?read:?",
            r"^[^\n]{0,3}read\b",
            r"(?-R)^[^\n]*read",
            r"^[\r \t]*read",
            r"^(?:x|\r)*read",
        ];
        let pieces = [
            "read",
            "Read:",
            "READ",
            " ",
            "\t",
            "\r",
            "\n",
            "\r\n",
            "x",
            "é",
            "|",
            ":",
            "kread",
            "\u{212A}read",
            "ſ",
            "watch:",
            "read more",
        ];
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let (mut tried, mut found) = (0, 0);
        for pattern in patterns {
            for case_sensitive in [true, false] {
                let (p, regex) = prefilter(pattern, case_sensitive).expect("a prefilter");
                tried += usize::from(p.reach == Reach::LineStarts);
                for _ in 0..400 {
                    let len = next() % 24;
                    let text: String = (0..len)
                        .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                        .collect();
                    found += assert_prefilter_same_as_whole(&p, &regex, pattern, &text);
                }
            }
        }
        assert_eq!(
            tried,
            2 * patterns.len(),
            "every pattern searched from line starts"
        );
        assert!(found > 1000);
    }

    /// One try per line holding a hit: an anchored one at its start, or, on
    /// a line with a lone carriage return, one search over the line (not one
    /// anchored search after each carriage return: on a text that breaks its
    /// lines with them alone, each would run to the end of the text).
    #[test]
    fn one_try_per_line_holding_a_hit() {
        let text = "read: a\r\nx read read\nno\ra\rb\rread\r\nlast read";
        let hits: Vec<(usize, usize)> = text
            .match_indices("read")
            .map(|(i, m)| (i, i + m.len()))
            .collect();
        assert_eq!(
            line_tries(text.as_bytes(), &hits),
            [Try::At(0), Try::At(9), Try::Within(21, 33), Try::At(34)]
        );
    }

    /// A word most pages hold ("this") is no needle when the pattern offers
    /// rarer literals, unless only it starts the matches.
    #[test]
    fn needles_are_rare_words_where_the_pattern_has_them() {
        let literals = |pattern| sorted_literals(pattern, false);
        assert_eq!(
            literals(r"\b(?:we use cookies|this (?:site|website) uses cookies)\b"),
            [
                "this site uses cookies",
                "this website uses cookies",
                "we use cookies"
            ]
        );
        assert_eq!(
            literals(r"\b(?:alleged|reported)\s+(?:\w+\s+){0,2}(?:allegedly|reportedly)\b"),
            ["alleged", "reported"]
        );
    }

    /// Literals a match ends with (a period after white space), and the
    /// members of a class when each is rare.
    #[test]
    fn rare_literals_from_suffixes_and_classes() {
        let literals = |pattern| sorted_literals(pattern, true);
        assert_eq!(literals(STRAY_PERIOD), ["\t.", " ."]);
        assert_eq!(
            literals(SPACE_BEFORE),
            ["\t!", "\t,", "\t:", "\t;", "\t?", " !", " ,", " :", " ;", " ?"]
        );
        let control = literals(CONTROL);
        assert_eq!(control.len(), 8 + 2 + 18 + 1 + 32);
        assert!(control.contains(&"\u{7}".to_string()) && control.contains(&"\u{85}".to_string()));
        assert_eq!(literals(r",(?P<hit>[ \t]*,)"), ["\t,", " ,", ",,"]);
        // A rare prefix is kept; common members are no needles.
        assert_eq!(literals(r"casino[\x01-\x08]"), ["casino"]);
        assert_eq!(literals(r"x[a-z\x01]+"), ["x"]);
        assert!(required_literals(&parse(r"[^\S\n]+,?", false).unwrap(), true).is_none());
    }

    #[test]
    fn branches_match_like_the_alternation() {
        let pattern = r"(?x)^[\ \t]*\p{Lu}[\p{L}\ ]{0,20}/\s*(?:AFP|AP)[\ \t]*$
            | \((?:AP|AFP)\ Photo\s*/[^)\n]{1,80}\)
            | \|\ ?(?:REUTERS|AFP)[\ \t]*$
            | \bREUTERS/\p{Lu}[\p{L}\ .-]{1,40}
            | \bAP\b";
        let text = "Greg Baker/AFP\nA “wall” (AP Photo/Mark, File) and AP news\n\
                    Guard | REUTERS\nREUTERS/Thomas Peter wrote\néREUTERS/No\nAP/AFP";
        let hir = parse(pattern, false).unwrap();
        let literals = required_literals(&hir, true);
        let literals = literals.map(|r| r.literals);
        let b = Branches::new(&hir, literals.as_deref(), true, 1 << 24).expect("split");
        let mut got = Vec::new();
        b.for_each_match(text, |s, e| got.push((s, e)));
        assert_eq!(got, all_matches(pattern, true, text));
        assert!(got.len() >= 5);
    }

    #[test]
    fn windows_only_around_rare_literals() {
        let reach = |pattern: &str, case_sensitive: bool| {
            let (p, _) = prefilter(pattern, case_sensitive).unwrap();
            p.reach
        };
        // Matches start with a literal: the regex tries where one starts.
        assert_eq!(reach(r"casino\w*", false), Reach::Starts);
        assert_eq!(reach(r"[a-z]?casino\w*", false), Reach::Line);
        // Two capitals matched exactly are rare; two letters in any case are not.
        assert_eq!(reach(r"\bAP\b[^\n]*", true), Reach::Starts);
        assert_eq!(reach(r"[^.\n]?\bAP\b[^\n]*", true), Reach::Line);
        assert_eq!(reach(r"\bap\b[^\n]*", false), Reach::Text);
        assert_eq!(reach(r"[a-z] a", true), Reach::Text);
        // White space before a comma is a mistake wherever it occurs.
        assert_eq!(reach(r"[a-z] ,", true), Reach::LineBytes(3));
        assert!(prefilter(r"\w+", false).is_none());
        assert!(prefilter(r"\Acasino", false).is_none());
    }
}
