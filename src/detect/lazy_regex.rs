//! Rule regexes compiled on first use, in two builds that find the same matches.
//!
//! Most patterns never run on a given text (their needles are absent), so none
//! is compiled when the rules load. One that does run is first compiled without
//! its DFAs and literal prefilter: only the forward NFA that its PikeVM and
//! backtracker need, about half the work of a full build, and a 2 KB text is
//! searched in less time than the rest takes to build. A text longer than
//! `SMALL_BUDGET`, or small texts adding up to it, get the full build with its
//! lazy DFA. Every regex-automata engine reports the same leftmost-first
//! matches and groups, so which build ran never shows in the findings.

use super::pattern::regex_builder;
use super::prefilter::parse;
use super::staged::Staged;
use regex_automata::meta;
use regex_syntax::hir::Hir;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// Bytes of text a regex searches with the small build before the full one is
/// built: about where the DFAs' build time is paid back by their search.
const SMALL_BUDGET: usize = 16 << 10;

/// The lazy DFA's cache: large, so that it rarely gives up on long texts.
const CACHE_BYTES: usize = 16 << 20;

#[derive(Debug)]
pub struct LazyRegex {
    /// The pattern as written and whether it is case-sensitive (none for a
    /// regex made from a syntax tree).
    pattern: Option<(String, bool)>,
    /// The pattern parsed with its case setting (`prefilter::parse`): on first
    /// use unless the rule parsed it when it loaded (most patterns never run,
    /// and folding the classes of one that ignores case takes a while), `None`
    /// if that fails.
    hir: OnceLock<Option<Hir>>,
    size_limit: usize,
    builds: Staged<meta::Regex>,
    /// Whether the full build leaves out the regex's literal prefilter
    /// (`skip_prefilter`).
    no_prefilter: AtomicBool,
}

impl LazyRegex {
    /// `written` is the pattern as `prefilter::parse` gives it case-sensitively,
    /// if the rule parsed it when it loaded: a case-sensitive regex keeps it.
    /// Otherwise the pattern is parsed on first use.
    pub fn new(
        pattern: &str,
        case_sensitive: bool,
        written: Option<Hir>,
        size_limit: usize,
    ) -> LazyRegex {
        let hir = OnceLock::new();
        if let Some(written) = written.filter(|_| case_sensitive) {
            let _ = hir.set(Some(written));
        }
        LazyRegex {
            pattern: Some((pattern.to_string(), case_sensitive)),
            hir,
            size_limit,
            builds: Staged::new(SMALL_BUDGET),
            no_prefilter: AtomicBool::new(false),
        }
    }

    /// A regex for a syntax tree (as `prefilter::parse` gives them).
    pub fn from_hir(hir: Hir, size_limit: usize) -> LazyRegex {
        LazyRegex {
            pattern: None,
            hir: OnceLock::from(Some(hir)),
            size_limit,
            builds: Staged::new(SMALL_BUDGET),
            no_prefilter: AtomicBool::new(false),
        }
    }

    fn parsed(&self) -> Option<&Hir> {
        let parse = || {
            let (pattern, case_sensitive) = self.pattern.as_ref()?;
            parse(pattern, !case_sensitive)
        };
        self.hir.get_or_init(parse).as_ref()
    }

    /// Whether the pattern parses with its case setting (else `validate` fails).
    pub fn parses(&self) -> bool {
        self.parsed().is_some()
    }

    /// The syntax tree the regex is compiled from.
    pub fn hir(&self) -> &Hir {
        self.parsed()
            .expect("the pattern parsed when the rule was loaded")
    }

    /// Leaves the literal prefilter out of the full build (call it before the
    /// first search): for a regex that only searches windows around literals
    /// the needle scan found. There the prefilter only finds the same literal
    /// again, and a pattern ignoring case gets a prefilter of short prefixes
    /// that stops the lazy DFA every few bytes.
    pub fn skip_prefilter(&self) {
        self.no_prefilter.store(true, Ordering::Relaxed);
    }

    /// The build to search a text of `len` bytes with, compiled if need be.
    pub fn get(&self, len: usize) -> &meta::Regex {
        self.builds.get(len, |full| {
            self.build(full)
                .expect("the pattern compiled when the rule was loaded")
        })
    }

    /// Compiles the full build now (kept for later searches): a pattern that
    /// does not compile fails here, with the message the regex crate gives.
    /// The small build has the same NFA, so it compiles too.
    pub fn validate(&self) -> Result<(), String> {
        let built = match self.builds.full() {
            Some(_) => Ok(()),
            None => self.build(true).map(|full| self.builds.set_full(full)),
        };
        built.map_err(|meta| {
            let regex = self
                .pattern
                .as_ref()
                .map(|(p, cs)| regex_builder(p, *cs).build());
            let message = match regex {
                Some(Err(e)) => e.to_string(),
                _ => meta,
            };
            format!("invalid regular expression: {message}")
        })
    }

    fn build(&self, full: bool) -> Result<meta::Regex, String> {
        let hir = self.parsed().ok_or("the pattern does not parse")?;
        let config = meta::Config::new().nfa_size_limit(Some(self.size_limit));
        let config = match full {
            true => config
                .hybrid_cache_capacity(CACHE_BYTES)
                .auto_prefilter(!self.no_prefilter.load(Ordering::Relaxed)),
            // No literal prefilter either: extracting the literals and building
            // it takes longer than the PikeVM takes to search a few kilobytes.
            false => config
                .hybrid(false)
                .dfa(false)
                .onepass(false)
                .auto_prefilter(false),
        };
        meta::Builder::new()
            .configure(config)
            .build_from_hir(hir)
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
        let written = parse(pattern, false).unwrap();
        let text = "Greg Baker/AFP\ngreg baker/afp\nthe the café café\nÉmile Zola/ AP\nx xx AP";
        let lazy = LazyRegex::new(pattern, true, Some(written.clone()), 1 << 24);
        let small = spans(lazy.get(text.len()), text);
        assert!(lazy.builds.full().is_none());
        let full = spans(lazy.get(SMALL_BUDGET), text);
        assert!(lazy.builds.full().is_some());
        assert_eq!(small, full);
        assert!(small.len() > 5);
        let found = lazy.get(1).find(Input::new(text).range(15..));
        assert_eq!(found.map(|m| m.start()), Some(15));
        // Ignoring case, parsed on first use.
        let folded = LazyRegex::new(pattern, false, Some(written), 1 << 24);
        let want = regex_builder(pattern, false).build().unwrap();
        let want: Vec<(usize, usize)> =
            want.find_iter(text).map(|m| (m.start(), m.end())).collect();
        let got: Vec<(usize, usize)> = folded
            .get(1)
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        assert_eq!(got, want);
        let case_sensitive: Vec<(usize, usize)> = small.iter().map(|m| (m.0, m.1)).collect();
        assert_ne!(got, case_sensitive);
    }
}
