//! Whether a small text can hold a match of a pattern at all, told from the
//! literals a match must contain: all of a concatenation's, any of an
//! alternation's branches'.
//!
//! A rule wakes when one of its needles occurs, but a needle is one word of
//! the pattern ("this " of "this site uses cookies"): on a small text,
//! compiling the regex costs far more than looking for the other words first.

use super::byte_serde::byte_string;
use super::prefilter::{ascii_foldable, FOLDS_TO_ASCII};
use memchr::memmem::Finder;
use regex_syntax::hir::{Hir, HirKind};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Kept with the built-in rules' analyses (`analysis`), hence serializable.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Gate {
    /// Any text may hold a match.
    Open,
    /// The text must hold this literal (lowercase when matched ignoring case).
    Literal(Box<Literal>),
    All(Vec<Gate>),
    Any(Vec<Gate>),
}

/// A literal, searched for with a finder built on first use and kept:
/// building one costs more than searching a small text, and most gates are
/// never asked.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Literal {
    #[serde(with = "byte_string")]
    bytes: Vec<u8>,
    #[serde(skip)]
    finder: OnceLock<Finder<'static>>,
}

impl Literal {
    fn find_in(&self, text: &[u8]) -> bool {
        let finder = self
            .finder
            .get_or_init(|| Finder::new(&self.bytes).into_owned());
        finder.find(text).is_some()
    }
}

impl Gate {
    /// The gate of a pattern parsed as written (case-sensitively, as
    /// `prefilter::parse` gives it); literals are matched ignoring ASCII case
    /// unless `case_sensitive`.
    pub fn new(written: &Hir, case_sensitive: bool) -> Gate {
        match written.kind() {
            HirKind::Literal(literal) => {
                let bytes = &literal.0;
                match case_sensitive {
                    true => Gate::literal(bytes),
                    // A character with case variants outside ASCII would need
                    // them all: then the literal says nothing.
                    false if ascii_foldable(bytes) => Gate::literal(&bytes.to_ascii_lowercase()),
                    false => Gate::Open,
                }
            }
            HirKind::Concat(subs) => all(subs.iter().map(|s| Gate::new(s, case_sensitive))),
            HirKind::Alternation(alts) => any(alts.iter().map(|a| Gate::new(a, case_sensitive))),
            HirKind::Capture(c) => Gate::new(&c.sub, case_sensitive),
            HirKind::Repetition(r) if r.min >= 1 => Gate::new(&r.sub, case_sensitive),
            _ => Gate::Open,
        }
    }

    fn literal(bytes: &[u8]) -> Gate {
        Gate::Literal(Box::new(Literal {
            bytes: bytes.to_vec(),
            finder: OnceLock::new(),
        }))
    }

    fn is_open(&self) -> bool {
        matches!(self, Gate::Open)
    }

    /// Whether `text` holds the literals that a match needs (`case_sensitive`
    /// as given to `new`). The linter asks `admits_lowercase`; this is its
    /// definition, for the tests.
    #[cfg(test)]
    pub fn admits(&self, text: &str, case_sensitive: bool) -> bool {
        self.admits_lowercase(text, case_sensitive, || lowercase(text))
    }

    /// `admits`, with `lowercase(text)` given by `lowercase` when it is
    /// needed: a document keeps it for all its rules (`Document::gate_text`).
    pub fn admits_lowercase<L: std::ops::Deref<Target = [u8]>>(
        &self,
        text: &str,
        case_sensitive: bool,
        lowercase: impl FnOnce() -> Option<L>,
    ) -> bool {
        if self.is_open() {
            return true;
        }
        if case_sensitive {
            return self.holds(text.as_bytes());
        }
        lowercase().is_none_or(|lower| self.holds(&lower))
    }

    fn holds(&self, text: &[u8]) -> bool {
        match self {
            Gate::Open => true,
            Gate::Literal(literal) => literal.find_in(text),
            Gate::All(gates) => gates.iter().all(|g| g.holds(text)),
            Gate::Any(gates) => gates.iter().any(|g| g.holds(text)),
        }
    }
}

/// What gates matching ignoring case search: `text` in ASCII lowercase, or
/// `None` when it holds a character outside ASCII that matches an ASCII
/// letter ignoring case (`FOLDS_TO_ASCII`), which a lowercase literal would
/// not find.
pub fn lowercase(text: &str) -> Option<Vec<u8>> {
    match FOLDS_TO_ASCII.iter().any(|f| text.contains(f)) {
        true => None,
        false => Some(text.as_bytes().to_ascii_lowercase()),
    }
}

fn all(gates: impl Iterator<Item = Gate>) -> Gate {
    let mut gates: Vec<Gate> = gates.filter(|g| !g.is_open()).collect();
    match gates.len() {
        0 => Gate::Open,
        1 => gates.pop().expect("one gate"),
        _ => Gate::All(gates),
    }
}

fn any(gates: impl Iterator<Item = Gate>) -> Gate {
    let gates: Vec<Gate> = gates.collect();
    match gates.len() {
        _ if gates.iter().any(Gate::is_open) => Gate::Open,
        1 => gates.into_iter().next().expect("one gate"),
        _ => Gate::Any(gates),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::pattern::regex_builder;
    use crate::detect::prefilter::parse;

    fn admits(pattern: &str, case_sensitive: bool, text: &str) -> bool {
        let gate = Gate::new(&parse(pattern, false).unwrap(), case_sensitive);
        let admitted = gate.admits(text, case_sensitive);
        let regex = regex_builder(pattern, case_sensitive).build().unwrap();
        // A text the gate turns away holds no match.
        assert!(admitted || !regex.is_match(text), "{pattern} in {text:?}");
        admitted
    }

    #[test]
    fn a_match_needs_all_the_words_of_one_branch() {
        let cookies =
            r"(?-u:\b)(?:we use cookies|this (?:site|website) uses cookies)\b[^\n.]{0,20}";
        assert!(!admits(
            cookies,
            false,
            "In this module, cookies are baked."
        ));
        assert!(!admits(cookies, false, "This site is about cookies."));
        assert!(admits(cookies, false, "THIS WEBSITE USES COOKIES."));
        assert!(admits(cookies, false, "We use cookies here."));
        assert!(admits(cookies, false, "We uſe cookies here."));
        assert!(!admits(cookies, true, "THIS WEBSITE USES COOKIES."));
        let credit = r"\((?:AP|AFP)\ Photo\s*/[^)\n]{1,80}\)|REUTERS/\p{Lu}+";
        assert!(!admits(credit, true, "An API (AP) photo/ of it"));
        assert!(admits(credit, true, "It (AP Photo/Jo Doe) shows"));
        assert!(admits(r"[a-z]+\.?", true, "anything"));
        assert!(!admits(r"(?:ab)?cd", true, "abc"));
        assert!(Gate::new(&parse("café", false).unwrap(), false).is_open());
        assert!(!admits("café", true, "CAFÉ"));
    }
}
