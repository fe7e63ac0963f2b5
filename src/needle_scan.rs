//! One pass over a text for the needles of every rule (`detect::Needles`).
//!
//! Most rules need a word or a symbol that most text never holds ("casino",
//! "Getty Images", "©"). Each used to look for its own, one scan of the text per
//! rule; here all of them go into one Aho-Corasick automaton, and the text is
//! scanned once. The engine skips a rule whose needles are absent and hands
//! the others where theirs are.
//!
//! The automaton ignores ASCII case. A needle matched exactly ("AP", "Getty
//! Images") is in it by its ASCII-lowercase form, and each occurrence is
//! checked against the needle's bytes: one automaton stepped once per byte
//! costs about half of two, and the extra occurrences ("ap" in "happen") are
//! few next to the bytes. The automaton is stepped by `scan_with` rather than
//! `find_overlapping_iter`, whose per-byte bookkeeping cost three times as
//! much as the transitions.
//!
//! No automaton is built while the texts scanned so far add up to at most
//! `EACH_BUDGET` bytes: each needle is looked for on its own (`scan_each`),
//! with a finder built once per needle. With some 550 needles,
//! building even the NFA takes longer (1.6-1.9 ms here) than looking for each
//! needle in 30 KB, and checking one small file is mostly building. Then the
//! automaton is an NFA for the next `NFA_BUDGET` bytes and a DFA after: a DFA
//! scans several times as fast, but building one takes longer than an NFA
//! takes to scan a few hundred kilobytes.

use crate::detect::staged::Staged;
use crate::detect::Needles;
use crate::document::words::FastState;
use crate::rules::RuleSet;
use aho_corasick::automaton::Automaton;
use aho_corasick::automaton::StateID;
use aho_corasick::nfa::noncontiguous;
use aho_corasick::{dfa, Anchored, MatchKind, StartKind};
use memchr::memmem;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Bytes scanned needle by needle before the NFA is built. Looking for each
/// of 550 needles in 2 KB took 0.2 ms here, in 16 KB 0.8 ms; building the NFA
/// 1.6-1.9 ms.
const EACH_BUDGET: usize = 32 << 10;

/// Bytes scanned with the NFA before the DFA is built.
const NFA_BUDGET: usize = 256 << 10;

/// The two forms of the automaton (`Staged`); they find the same.
#[derive(Debug)]
enum Search {
    Nfa(noncontiguous::NFA),
    Dfa(dfa::DFA),
}

/// The rules that need one pattern of the automaton (an ASCII-lowercase
/// literal): those that take it in any case, and per exact literal of that
/// form, those that take only that literal.
#[derive(Debug, Default)]
struct Owners {
    folded: Vec<usize>,
    exact: Vec<(Vec<u8>, Vec<usize>)>,
}

impl Owners {
    fn add(&mut self, literal: &[u8], exact: bool, rule: usize) {
        if !exact {
            add_rule(&mut self.folded, rule);
            return;
        }
        match self.exact.iter_mut().find(|(l, _)| l == literal) {
            Some((_, rules)) => add_rule(rules, rule),
            None => self.exact.push((literal.to_vec(), vec![rule])),
        }
    }
}

#[derive(Debug)]
pub struct NeedleScanner {
    patterns: Vec<Vec<u8>>,
    owners: Vec<Owners>,
    /// Bytes of text scanned so far, either way: texts are scanned needle
    /// by needle while this stays within `EACH_BUDGET`.
    scanned: AtomicUsize,
    /// A finder per pattern, for scanning needle by needle.
    finders: OnceLock<Vec<memmem::Finder<'static>>>,
    search: Staged<Search>,
    /// Per rule: whether it has needles (and is skipped when they are absent).
    gated: Vec<bool>,
}

/// Adds `rule` to `rules` unless it is the last one there (a rule's literals
/// come together, so that suffices against repeats).
fn add_rule(rules: &mut Vec<usize>, rule: usize) {
    if rules.last() != Some(&rule) {
        rules.push(rule);
    }
}

impl NeedleScanner {
    /// `needles[i]` are rule `i`'s, when it has some.
    pub fn new(needles: &[Option<Needles>]) -> NeedleScanner {
        let count = needles
            .iter()
            .flatten()
            .map(|n| n.exact.len() + n.folded.len());
        let count = count.sum();
        let mut index: HashMap<Vec<u8>, usize, FastState> =
            HashMap::with_capacity_and_hasher(count, FastState::default());
        let mut patterns: Vec<Vec<u8>> = Vec::with_capacity(count);
        let mut owners: Vec<Owners> = Vec::with_capacity(count);
        // The pattern of a literal, added when new.
        let mut pattern_of = |literal: &[u8]| {
            *index
                .entry(literal.to_ascii_lowercase())
                .or_insert_with_key(|lower| {
                    patterns.push(lower.clone());
                    patterns.len() - 1
                })
        };
        for (rule, n) in needles.iter().enumerate() {
            let Some(n) = n else { continue };
            let folded = n.folded.iter().map(|l| (l, false));
            for (literal, exact) in folded.chain(n.exact.iter().map(|l| (l, true))) {
                let key = pattern_of(literal);
                owners.resize_with(owners.len().max(key + 1), Owners::default);
                owners[key].add(literal, exact, rule);
            }
        }
        NeedleScanner {
            patterns,
            owners,
            scanned: AtomicUsize::new(0),
            finders: OnceLock::new(),
            search: Staged::new(NFA_BUDGET),
            gated: needles.iter().map(Option::is_some).collect(),
        }
    }

    /// The scanner for the needles of `rules` that are rare enough to gate on
    /// (`engine::Linter` builds its scanner with this).
    pub fn for_rules(rules: &RuleSet) -> NeedleScanner {
        let needles: Vec<_> = rules
            .rules
            .iter()
            .map(|r| {
                let cheap = r.detector.hits_are_cheap();
                r.detector.needles().filter(|n| n.is_selective_for(cheap))
            })
            .collect();
        NeedleScanner::new(&needles)
    }

    /// Whether rule `i` runs only where its needles occur.
    pub fn gated(&self, rule: usize) -> bool {
        self.gated[rule]
    }

    /// The DFA when `fast`, else the NFA (quicker to build).
    fn build(&self, fast: bool) -> Search {
        let nfa = noncontiguous::Builder::new()
            // Every occurrence, overlapping ones too: one rule's literal must not
            // hide another's.
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            // `scan_with` steps the automaton itself, byte by byte.
            .prefilter(false)
            .build(&self.patterns)
            .expect("rule literals are few enough for Aho-Corasick");
        match fast {
            false => Search::Nfa(nfa),
            true => Search::Dfa(
                dfa::Builder::new()
                    .start_kind(StartKind::Unanchored)
                    .build_from_noncontiguous(&nfa)
                    .expect("rule literals are few enough for a DFA"),
            ),
        }
    }

    /// Fills `hits[i]` with where rule `i`'s needles occur, sorted.
    pub fn scan(&self, text: &str, hits: &mut Vec<Vec<(usize, usize)>>) {
        hits.resize_with(self.gated.len(), Vec::new);
        hits.iter_mut().for_each(Vec::clear);
        if self.patterns.is_empty() {
            return;
        }
        let bytes = text.as_bytes();
        let mut found = |pattern: usize, start: usize, end: usize| {
            let owners = &self.owners[pattern];
            for &rule in &owners.folded {
                hits[rule].push((start, end));
            }
            for (literal, rules) in &owners.exact {
                if bytes[start..end] == literal[..] {
                    for &rule in rules {
                        hits[rule].push((start, end));
                    }
                }
            }
        };
        let scanned = self.scanned.fetch_add(text.len(), Ordering::Relaxed);
        if scanned + text.len() <= EACH_BUDGET {
            let finders = self.finders.get_or_init(|| {
                let finder = |p: &Vec<u8>| memmem::Finder::new(p).into_owned();
                self.patterns.iter().map(finder).collect()
            });
            scan_each(finders, bytes, &mut found);
        } else {
            match self.search.get(text.len(), |fast| self.build(fast)) {
                Search::Nfa(nfa) => scan_with(nfa, bytes, &mut found),
                Search::Dfa(dfa) => scan_with(dfa, bytes, &mut found),
            }
        }
        for h in hits.iter_mut() {
            h.sort_unstable();
            h.dedup();
        }
    }
}

/// Calls `found(pattern, start, end)` for every occurrence of the needle of
/// every one of `finders` (ASCII-lowercase) in `bytes` ignoring ASCII case,
/// overlapping ones too: what the automaton finds, one needle at a time.
fn scan_each(
    finders: &[memmem::Finder<'static>],
    bytes: &[u8],
    found: &mut impl FnMut(usize, usize, usize),
) {
    let lower = bytes.to_ascii_lowercase();
    for (p, finder) in finders.iter().enumerate() {
        // Not `find_iter`, which skips occurrences that overlap the last.
        let mut from = 0;
        while let Some(at) = lower.get(from..).and_then(|rest| finder.find(rest)) {
            let start = from + at;
            found(p, start, start + finder.needle().len());
            from = start + 1;
        }
    }
}

/// Parts of a text stepped through at once. Stepping an automaton is a chain
/// of loads, each waiting for the one before; the chains of separate parts
/// do not wait for each other, so the processor overlaps them.
const LANES: usize = 4;

/// Texts shorter than this many bytes per lane are scanned as one part. Small:
/// a file of 1 KB scans in 4 lanes at 1.8 times the speed of one, although
/// each lane also scans the longest needle's length before its part. With
/// 512 bytes per lane (so most such files scanned as one part), 10,000 files of
/// about 1 KB took 42 ms; with 128, 24 ms.
const MIN_LANE: usize = 128;

/// Calls `found(pattern, start, end)` for every occurrence of every pattern of
/// `automaton` (built without a prefilter, for unanchored searches) in
/// `bytes`, overlapping ones too: what `find_overlapping_iter` finds, not in
/// the same order.
fn scan_with<A: Automaton>(
    automaton: &A,
    bytes: &[u8],
    found: &mut impl FnMut(usize, usize, usize),
) {
    let start = automaton
        .start_state(Anchored::No)
        .expect("built for unanchored searches");
    // Only an empty pattern matches before the first byte.
    report(automaton, start, 0, 0, found);
    // Lane `k` reports the occurrences ending after `cuts[k]`, up to `ends[k]`.
    // It starts a longest needle early, so as to miss none across the cut.
    let len = bytes.len();
    let overlap = automaton.max_pattern_len().saturating_sub(1);
    let split = len >= LANES * MIN_LANE.max(overlap);
    let cut = |k: usize| match split {
        true => len * k / LANES,
        false if k == 0 => 0,
        false => len,
    };
    let cuts: [usize; LANES] = std::array::from_fn(cut);
    let ends: [usize; LANES] = std::array::from_fn(|k| cut(k + 1));
    // Unsplit, lanes 1.. are empty and lane 0 scans the whole text.
    let starts: [usize; LANES] = std::array::from_fn(|k| match split {
        true => cuts[k].saturating_sub(overlap),
        false => cuts[k],
    });
    let common = (0..LANES).map(|k| ends[k] - starts[k]).min().unwrap_or(0);
    // Steps from state `sid` on the byte at `at`, reporting what ends there
    // if it ends at `first_end` or later.
    let mut step = |sid, byte: u8, at: usize, first_end: usize| {
        let sid = automaton.next_state(Anchored::No, sid, byte);
        // Without a prefilter, the special states are the dead and the match
        // states, and an unanchored search never dies.
        if automaton.is_special(sid) {
            report(automaton, sid, at + 1, first_end, found);
        }
        sid
    };
    let mut sids = [start; LANES];
    // Each of the same length, so that indexing them needs no checks.
    let parts: [&[u8]; LANES] = std::array::from_fn(|k| &bytes[starts[k]..][..common]);
    let mut i = 0;
    while i < common {
        for k in 0..LANES {
            sids[k] = step(sids[k], parts[k][i], starts[k] + i, cuts[k] + 1);
        }
        i += 1;
    }
    for k in 0..LANES {
        let from = starts[k] + common;
        for (&byte, at) in bytes[from..ends[k]].iter().zip(from..) {
            sids[k] = step(sids[k], byte, at, cuts[k] + 1);
        }
    }
}

/// The occurrences that end at `end` in state `sid`, unless `end` is before
/// `first_end`. Out of line: most bytes end none.
#[cold]
#[inline(never)]
fn report<A: Automaton>(
    automaton: &A,
    sid: StateID,
    end: usize,
    first_end: usize,
    found: &mut impl FnMut(usize, usize, usize),
) {
    if !automaton.is_match(sid) || end < first_end {
        return;
    }
    for i in 0..automaton.match_len(sid) {
        let pattern = automaton.match_pattern(sid, i);
        found(
            pattern.as_usize(),
            end - automaton.pattern_len(pattern),
            end,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::xorshift;

    fn needles(exact: &[&str], folded: &[&str]) -> Option<Needles> {
        let bytes = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect();
        Some(Needles {
            exact: bytes(exact),
            folded: bytes(folded),
        })
    }

    #[test]
    fn every_rule_sees_all_its_needles_even_overlapping_and_shared() {
        let scanner = NeedleScanner::new(&[
            needles(&["AP"], &[]),
            None,
            needles(&[], &["ap photo", "photo"]),
            needles(&["Photo"], &["casino"]),
        ]);
        let mut hits = Vec::new();
        scanner.scan("(AP Photo/Jo) no CASINO", &mut hits);
        assert_eq!(hits[0], vec![(1, 3)]);
        assert!(hits[1].is_empty() && !scanner.gated(1));
        assert_eq!(hits[2], vec![(1, 9), (4, 9)]);
        assert_eq!(hits[3], vec![(4, 9), (17, 23)]);
    }

    /// Where each rule's needles occur as the scanner first found them: one
    /// automaton for the exact needles and one ignoring ASCII case, each
    /// searched with `find_overlapping_iter`.
    fn reference(needles: &[Option<Needles>], text: &str) -> Vec<Vec<(usize, usize)>> {
        let mut hits = vec![Vec::new(); needles.len()];
        for folded in [false, true] {
            let literals: Vec<(&[u8], usize)> = needles
                .iter()
                .enumerate()
                .filter_map(|(rule, n)| Some((rule, n.as_ref()?)))
                .flat_map(|(rule, n)| {
                    let side = if folded { &n.folded } else { &n.exact };
                    side.iter().map(move |l| (l.as_slice(), rule))
                })
                .collect();
            if literals.is_empty() {
                continue;
            }
            let search = aho_corasick::AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(folded)
                .build(literals.iter().map(|&(l, _)| l))
                .unwrap();
            for m in search.find_overlapping_iter(text) {
                hits[literals[m.pattern().as_usize()].1].push((m.start(), m.end()));
            }
        }
        for h in &mut hits {
            h.sort_unstable();
            h.dedup();
        }
        hits
    }

    /// On texts pieced together from needles, their case variants, parts of
    /// them and non-ASCII characters, with rules sharing needles exactly and
    /// in other cases, the scan finds what the reference finds: needle by
    /// needle in small texts, with the NFA in larger ones and with the DFA in
    /// large ones.
    #[test]
    fn finds_what_the_overlapping_iterator_finds() {
        let rules = [
            needles(&["AP", "Photo", "é"], &[]),
            // "oto" overlaps itself ("phototo").
            needles(&[], &["ap photo", "photo", "to", "oto"]),
            needles(&["ap", "PHOTO", "| AP"], &["é", "©"]),
            None,
            needles(&["Getty Images", "\u{a0}", "\u{212a}"], &["getty", "k"]),
            needles(&["AP"], &["pHoTo/", "o/j"]),
        ];
        let pieces = [
            "AP",
            "ap",
            "Ap",
            "aP",
            "Photo",
            "PHOTO",
            "photo",
            "pho",
            "to",
            "TO",
            "/",
            "j",
            "J",
            " ",
            "| ",
            "|",
            "\n",
            "é",
            "É",
            "©",
            "\u{a0}",
            "\u{212a}",
            "K",
            "k",
            "Getty",
            "getty",
            " Images",
            " images",
            "GETTY IMAGES",
            "x",
            "ß",
        ];
        let mut numbers = xorshift(0x2545_f491_4f6c_dd1d);
        let mut next = || numbers() as usize;
        for round in 0..4_000 {
            let scanner = NeedleScanner::new(&rules);
            // Some texts long enough to be split into lanes, with needles
            // across the cuts.
            let len = match round % 3 {
                0 => 100 + next() % 400,
                _ => next() % 14,
            };
            let mut text: String = (0..len).map(|_| pieces[next() % pieces.len()]).collect();
            // Past the first budget the NFA scans, past both the DFA.
            let padding = match round % 8 {
                0 => EACH_BUDGET + NFA_BUDGET,
                4 => EACH_BUDGET,
                _ => 0,
            };
            if padding > 0 {
                text.push_str(&" ".repeat(padding));
                text.push_str(pieces[next() % pieces.len()]);
                text.push_str(pieces[next() % pieces.len()]);
            }
            let mut hits = Vec::new();
            scanner.scan(&text, &mut hits);
            assert_eq!(hits, reference(&rules, &text), "{text:?}");
            let (nfa, dfa) = (scanner.search.small(), scanner.search.full());
            assert_eq!(matches!(nfa, Some(Search::Nfa(_))), round % 8 == 4);
            assert_eq!(matches!(dfa, Some(Search::Dfa(_))), round % 8 == 0);
        }
    }

    /// One scanner given text after text goes from needle by needle to the
    /// NFA to the DFA as their bytes add up, and finds what the reference
    /// finds in each, before and after each change.
    #[test]
    fn one_scanner_finds_the_same_at_every_stage() {
        let rules = [
            needles(&["AP", "Getty Images"], &["photo", "oto"]),
            needles(&[], &["ap photo", "to"]),
        ];
        let unit = "(AP Photo/Getty Images) phototo, ap PHOTO. ";
        let scanner = NeedleScanner::new(&rules);
        let mut stages = Vec::new();
        let mut hits = Vec::new();
        // 30 KB and 4 KB (past EACH_BUDGET), then enough for NFA_BUDGET.
        for kb in [30, 4, 100, 200, 10] {
            let text = unit.repeat((kb << 10) / unit.len());
            scanner.scan(&text, &mut hits);
            assert_eq!(hits, reference(&rules, &text), "{kb} KB");
            assert!(!hits[0].is_empty() && !hits[1].is_empty());
            stages.push((
                scanner.search.small().is_some(),
                scanner.search.full().is_some(),
            ));
        }
        let (each, nfa, dfa) = ((false, false), (true, false), (true, true));
        assert_eq!(stages, [each, nfa, nfa, dfa, dfa]);
    }

    #[test]
    fn no_needles_no_hits() {
        let scanner = NeedleScanner::new(&[None, None]);
        let mut hits = vec![vec![(0, 1)]];
        scanner.scan("AP Photo", &mut hits);
        assert_eq!(hits, vec![Vec::new(), Vec::new()]);
    }
}
