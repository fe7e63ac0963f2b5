//! Rule regexes compiled on first use, in two builds that find the same matches.
//!
//! Most patterns never run on a given text (their needles are absent), so none
//! is compiled when the rules load. One that does run is first compiled without
//! its DFAs: only the forward NFA that its PikeVM and backtracker need, about
//! half the work of a full build, and a 2 KB text is searched in less time than
//! the DFAs take to build. Once a regex has searched `SMALL_BUDGET` bytes (a
//! large text, or many small ones) the full build, with its lazy DFA, takes
//! over. Every regex-automata engine reports the same leftmost-first matches
//! and groups, so which build ran never shows in the findings.

use regex_automata::meta;
use regex_syntax::hir::Hir;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Bytes a regex searches with the small build before the full one is built:
/// about where the DFAs' build time is paid back by their faster search.
const SMALL_BUDGET: usize = 16 << 10;

/// The lazy DFA's cache: large, so that it rarely gives up on long texts.
const CACHE_BYTES: usize = 16 << 20;

#[derive(Debug)]
pub struct LazyRegex {
    /// The pattern's syntax tree, parsed as rule patterns are (`prefilter::parse`).
    hir: Hir,
    size_limit: usize,
    /// Bytes searched so far with `small`.
    searched: AtomicUsize,
    small: OnceLock<meta::Regex>,
    full: OnceLock<meta::Regex>,
}

impl LazyRegex {
    pub fn new(hir: Hir, size_limit: usize) -> LazyRegex {
        LazyRegex {
            hir,
            size_limit,
            searched: AtomicUsize::new(0),
            small: OnceLock::new(),
            full: OnceLock::new(),
        }
    }

    pub fn hir(&self) -> &Hir {
        &self.hir
    }

    /// The build to search `len` bytes with, compiled if need be.
    pub fn get(&self, len: usize) -> &meta::Regex {
        if let Some(full) = self.full.get() {
            return full;
        }
        let searched = self.searched.fetch_add(len, Ordering::Relaxed) + len;
        if searched <= SMALL_BUDGET {
            return self.small.get_or_init(|| {
                self.build(false)
                    .expect("the pattern compiled when the rule was loaded")
            });
        }
        self.full.get_or_init(|| {
            self.build(true)
                .expect("the pattern compiled when the rule was loaded")
        })
    }

    /// Compiles the full build now (kept for later searches): a pattern too
    /// large to compile fails here (with the error's message). The small build
    /// has the same NFA, so it compiles too.
    pub fn validate(&self) -> Result<(), String> {
        if self.full.get().is_none() {
            let _ = self.full.set(self.build(true)?);
        }
        Ok(())
    }

    fn build(&self, full: bool) -> Result<meta::Regex, String> {
        let config = meta::Config::new().nfa_size_limit(Some(self.size_limit));
        let config = match full {
            true => config.hybrid_cache_capacity(CACHE_BYTES),
            false => config.hybrid(false).dfa(false).onepass(false),
        };
        meta::Builder::new()
            .configure(config)
            .build_from_hir(&self.hir)
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::Input;

    fn spans(re: &meta::Regex, text: &str) -> Vec<(usize, usize, Option<usize>)> {
        let mut out = Vec::new();
        for caps in re.captures_iter(text) {
            let m = caps.get_match().unwrap();
            out.push((m.start(), m.end(), caps.get_group(1).map(|g| g.start)));
        }
        out
    }

    /// Both builds find the same matches and groups, and the full build takes
    /// over once the small one has searched its budget.
    #[test]
    fn both_builds_match_alike_and_the_full_one_takes_over() {
        let pattern = r"^[\ \t]*\p{Lu}[^\n/0-9]{0,20}/\s*(AFP|AP)\b|\b(\w+)é|x*";
        let hir = super::super::prefilter::parse(pattern, false).unwrap();
        let text = "Greg Baker/AFP\nthe the café café\nÉmile Zola/ AP\nx xx AP";
        let lazy = LazyRegex::new(hir, 1 << 24);
        let small = spans(lazy.get(text.len()), text);
        assert!(lazy.full.get().is_none());
        let full = spans(lazy.get(SMALL_BUDGET), text);
        assert!(lazy.full.get().is_some());
        assert_eq!(small, full);
        assert!(small.len() > 5);
        let found = lazy.get(1).find(Input::new(text).range(15..));
        assert_eq!(found.map(|m| m.start()), Some(15));
    }
}
