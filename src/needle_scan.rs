//! One pass over a text for the needles of every rule (`detect::Needles`).
//!
//! Most rules need a word or a symbol that most text never holds ("casino",
//! "Getty Images", "©"). Each used to look for its own, one scan of the text per
//! rule; here all of them go into two Aho-Corasick automata (exact and ASCII
//! case-folded), and the text is scanned once. The engine skips a rule whose
//! needles are absent and hands the others where theirs are.
//!
//! The automata are NFAs for the first `NFA_BUDGET` bytes scanned and DFAs
//! after: a DFA scans about twice as fast, but building one for all the
//! needles takes longer than an NFA takes to scan a few hundred kilobytes,
//! so checking one small file does not build it.

use crate::detect::staged::Staged;
use crate::detect::Needles;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::collections::HashMap;

/// Bytes scanned with the NFAs before the DFAs are built.
const NFA_BUDGET: usize = 256 << 10;

/// One automaton and, for each of its literals, the rules that need it.
#[derive(Debug)]
struct Automaton {
    patterns: Vec<Vec<u8>>,
    ascii_case_insensitive: bool,
    search: Staged<AhoCorasick>,
    owners: Vec<Vec<usize>>,
}

impl Automaton {
    fn new(literals: &[(&[u8], usize)], ascii_case_insensitive: bool) -> Option<Automaton> {
        if literals.is_empty() {
            return None;
        }
        let mut index: HashMap<&[u8], usize> = HashMap::new();
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        for &(literal, rule) in literals {
            let key = *index.entry(literal).or_insert_with(|| {
                patterns.push(literal.to_vec());
                owners.push(Vec::new());
                patterns.len() - 1
            });
            if owners[key].last() != Some(&rule) {
                owners[key].push(rule);
            }
        }
        Some(Automaton {
            patterns,
            ascii_case_insensitive,
            search: Staged::new(NFA_BUDGET),
            owners,
        })
    }

    /// A DFA when `fast`, else an NFA (quicker to build); they find the same.
    fn build(&self, fast: bool) -> AhoCorasick {
        let kind = match fast {
            true => AhoCorasickKind::DFA,
            false => AhoCorasickKind::NoncontiguousNFA,
        };
        AhoCorasickBuilder::new()
            // Every occurrence, overlapping ones too: one rule's literal must not
            // hide another's.
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(self.ascii_case_insensitive)
            .kind(Some(kind))
            .build(&self.patterns)
            .expect("rule literals are few enough for Aho-Corasick")
    }

    fn scan(&self, text: &str, hits: &mut [Vec<(usize, usize)>]) {
        let search = self.search.get(text.len(), |fast| self.build(fast));
        for m in search.find_overlapping_iter(text) {
            for &rule in &self.owners[m.pattern().as_usize()] {
                hits[rule].push((m.start(), m.end()));
            }
        }
    }
}

#[derive(Debug)]
pub struct NeedleScanner {
    exact: Option<Automaton>,
    folded: Option<Automaton>,
    /// Per rule: whether it has needles (and is skipped when they are absent).
    gated: Vec<bool>,
}

impl NeedleScanner {
    /// `needles[i]` are rule `i`'s, when it has some.
    pub fn new(needles: &[Option<Needles>]) -> NeedleScanner {
        let mut exact = Vec::new();
        let mut folded = Vec::new();
        for (rule, n) in needles.iter().enumerate() {
            if let Some(n) = n {
                exact.extend(n.exact.iter().map(|l| (l.as_slice(), rule)));
                folded.extend(n.folded.iter().map(|l| (l.as_slice(), rule)));
            }
        }
        NeedleScanner {
            exact: Automaton::new(&exact, false),
            folded: Automaton::new(&folded, true),
            gated: needles.iter().map(Option::is_some).collect(),
        }
    }

    /// Whether rule `i` runs only where its needles occur.
    pub fn gated(&self, rule: usize) -> bool {
        self.gated[rule]
    }

    /// Fills `hits[i]` with where rule `i`'s needles occur, sorted.
    pub fn scan(&self, text: &str, hits: &mut Vec<Vec<(usize, usize)>>) {
        hits.resize_with(self.gated.len(), Vec::new);
        hits.iter_mut().for_each(Vec::clear);
        for automaton in [&self.exact, &self.folded].into_iter().flatten() {
            automaton.scan(text, hits);
        }
        for h in hits.iter_mut() {
            h.sort_unstable();
            h.dedup();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The NFA that scans the first bytes and the DFA that scans the rest find
    /// the same occurrences.
    #[test]
    fn nfa_and_dfa_find_the_same() {
        let literals: Vec<(&[u8], usize)> =
            vec![(b"ap photo", 0), (b"photo", 1), (b"to", 1), (b"o/j", 2)];
        let text = "(AP Photo/Jo) no PHOTO, to Top photo/john";
        for case_insensitive in [false, true] {
            let automaton = Automaton::new(&literals, case_insensitive).unwrap();
            let all = |fast| {
                let found: Vec<_> = automaton
                    .build(fast)
                    .find_overlapping_iter(text)
                    .map(|m| (m.pattern(), m.start(), m.end()))
                    .collect();
                found
            };
            assert_eq!(all(false), all(true));
            assert!(all(true).len() >= 4);
        }
    }
}
