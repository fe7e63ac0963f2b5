//! Detector kinds: the Rust side of rules. A rule file names a kind and gives its
//! parameters; the kind's `compile` turns them into a `Detector` once, and the
//! engine runs it over every document.
//!
//! Adding a phrase, a pattern or a threshold is a rule-file change. Adding a new
//! *kind* of detection is a new module here plus one row in `KINDS`.

use crate::diagnostic::{Fix, Span};
use crate::document::Document;
use crate::rules::schema::RawRule;
use std::ops::Range;

pub mod analysis;
pub(crate) mod byte_serde;
pub mod captions;
pub mod doubled_word;
pub mod duplicates;
pub mod gate;
pub mod glued_word;
pub mod hard_break;
pub mod lazy_regex;
pub mod lexical;
pub mod line_class;
pub mod lowercase_start;
pub mod mt_patterns;
pub mod normalization;
pub mod pattern;
pub mod phrase;
pub mod prefilter;
pub mod quotes;
pub mod repeated_phrase;
pub mod spelling;
pub mod staged;

/// One thing a detector found. The engine adds the rule's id, category, severity
/// and message.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub span: Span,
    pub fix: Option<Fix>,
    /// Values for `{name}` placeholders in the rule's message.
    pub vars: Vec<(&'static str, String)>,
}

impl Finding {
    pub fn new(span: Span) -> Self {
        Finding {
            span,
            fix: None,
            vars: Vec::new(),
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn with_var(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.vars.push((name, value.into()));
        self
    }
}

/// When a detector runs. Line classifiers first, so that structure and prose
/// detectors can see what each line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Rules that mark lines (chrome, credits, ads, links).
    Classify,
    /// Detectors that read those marks to find captions and their headlines.
    Structure,
    /// Everything else.
    Prose,
}

/// Literals of which every finding of a detector holds one. The engine looks for
/// the needles of all rules in one Aho-Corasick scan of the text, skips a rule
/// whose needles are absent, and hands it where they are (`Detector::check_at`):
/// one pass over the bytes instead of one per rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needles {
    /// Matched byte for byte.
    pub exact: Vec<Vec<u8>>,
    /// Matched ignoring ASCII case.
    pub folded: Vec<Vec<u8>>,
}

impl Needles {
    /// Literals matched exactly, or ignoring ASCII case.
    pub fn new(literals: Vec<Vec<u8>>, case_sensitive: bool) -> Needles {
        if case_sensitive {
            Needles {
                exact: literals,
                folded: Vec::new(),
            }
        } else {
            Needles {
                exact: Vec::new(),
                folded: literals,
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.folded.is_empty()
    }

    /// Whether the needles are rare enough to gate on: no short literal that
    /// occurs everywhere (` ,`, `.`, `ad` in any case; every occurrence costs).
    pub fn is_selective(&self) -> bool {
        self.is_selective_for(false)
    }

    /// `is_selective`, for a detector whose hits cost it little
    /// (`Detector::hits_are_cheap`): then a literal of ASCII punctuation
    /// (`-`) is rare enough too. Letters never are: `ad` is in every line.
    pub fn is_selective_for(&self, cheap_hits: bool) -> bool {
        let rare = |l: &[u8], case_sensitive| {
            is_rare(l, case_sensitive) || (cheap_hits && l.iter().all(u8::is_ascii_punctuation))
        };
        !self.is_empty()
            && self.exact.iter().all(|l| rare(l, true))
            && self.folded.iter().all(|l| rare(l, false))
    }
}

/// Whether a literal is rare in prose: three bytes or more, anything beyond
/// ASCII, two capitals matched exactly (`AP`, `PA`: agencies, not words),
/// punctuation where typography never puts it (`misplaced_punctuation`), or a
/// control character (clean text holds none but tab and line breaks).
pub fn is_rare(literal: &[u8], case_sensitive: bool) -> bool {
    literal.len() >= 3
        || !literal.is_ascii()
        || (case_sensitive && literal.len() == 2 && literal.iter().all(u8::is_ascii_uppercase))
        || misplaced_punctuation(literal)
        || literal.iter().any(|&b| is_control(b))
}

/// White space or a comma before `, ; : ! ? .` (` ,`, `\t.`, `,,`): a
/// mistake in prose wherever it occurs, so rare.
fn misplaced_punctuation(literal: &[u8]) -> bool {
    matches!(
        literal,
        [b' ' | b'\t' | b',', b',' | b';' | b':' | b'!' | b'?' | b'.']
    )
}

/// An ASCII control character other than tab, line feed and carriage return.
fn is_control(byte: u8) -> bool {
    byte.is_ascii_control() && !matches!(byte, b'\t' | b'\n' | b'\r')
}

/// Where a detector's needles occur in the text: byte ranges sorted by start
/// (overlapping occurrences included).
pub type Hits<'a> = &'a [(usize, usize)];

pub trait Detector: Send + Sync + std::fmt::Debug {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>);

    /// The needles every finding holds one of, when the detector has some
    /// (then the engine calls `check_at`, and only when one occurs).
    fn needles(&self) -> Option<Needles> {
        None
    }

    /// Whether a needle's occurrence costs the detector little, so that
    /// needles too common to gate a regex on still pay (a line classifier
    /// only learns which lines to measure).
    fn hits_are_cheap(&self) -> bool {
        false
    }

    /// `check`, told where the needles occur; finds exactly what `check` finds.
    fn check_at(&self, doc: &Document, hits: Hits, out: &mut Vec<Finding>) {
        let _ = hits;
        self.check(doc, out);
    }

    fn stage(&self) -> Stage {
        Stage::Prose
    }

    /// Findings that start on a line already classified (chrome, credit, ...) are
    /// dropped: prose rules have nothing to say about page furniture.
    fn prose_only(&self) -> bool {
        true
    }

    /// Builds whatever is built lazily (regexes), so that a rule pack's problems
    /// are reported when it loads, not as a failure in the middle of a run.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
}

/// A parameter problem, pointing into the rule file.
#[derive(Debug)]
pub struct ParamError {
    pub message: String,
    pub span: Option<Range<usize>>,
}

impl ParamError {
    pub fn at(span: Range<usize>, message: impl Into<String>) -> Self {
        ParamError {
            message: message.into(),
            span: Some(span),
        }
    }
}

pub type Compile = fn(&RawRule) -> Result<Box<dyn Detector>, ParamError>;

/// A detector kind as rule files name it.
pub struct Kind {
    pub name: &'static str,
    /// The parameters it takes (see `RawRule`); anything else is an error.
    pub params: &'static [&'static str],
    pub compile: Compile,
    /// Whether its findings bring their own fix (a rule's `fix` table adds one
    /// to any kind).
    pub fixes: bool,
    /// Whether its detector reads the line classes that classifying rules (`marks`)
    /// set: then it must run after them, never alongside them.
    pub reads_marks: bool,
    pub summary: &'static str,
}

/// Every detector kind. The one registry rule files are checked against.
pub const KINDS: &[Kind] = &[
    Kind {
        name: "pattern",
        params: &["pattern", "case_sensitive", "prose_only"],
        compile: pattern::compile,
        fixes: false,
        reads_marks: false,
        summary: "a regular expression; a group named `hit` narrows the span",
    },
    Kind {
        name: "phrase",
        params: &["phrases", "case_sensitive", "prose_only"],
        compile: phrase::compile,
        fixes: false,
        reads_marks: false,
        summary: "a list of phrases matched as whole words anywhere in the text",
    },
    Kind {
        name: "line",
        params: &[
            "phrases",
            "pattern",
            "case_sensitive",
            "min_words",
            "max_words",
            "min_coverage",
        ],
        compile: line_class::compile,
        fixes: false,
        reads_marks: false,
        summary: "a short line made mostly of listed phrases or patterns (page chrome, ads)",
    },
    Kind {
        name: "duplicate",
        params: &["min_chars", "threshold"],
        compile: duplicates::compile,
        fixes: true,
        reads_marks: true,
        summary: "exact and near-duplicate lines and paragraphs",
    },
    Kind {
        name: "caption",
        params: &["max_words", "style"],
        compile: captions::compile,
        fixes: true,
        reads_marks: true,
        summary: "caption paragraphs before a credit line, and orphan headlines above captions",
    },
    Kind {
        name: "doubled-word",
        params: &["allow"],
        compile: doubled_word::compile,
        fixes: true,
        reads_marks: false,
        summary: "the same word twice in a row, also across a line break",
    },
    Kind {
        name: "repeated-phrase",
        params: &["words", "allow"],
        compile: repeated_phrase::compile,
        fixes: true,
        reads_marks: false,
        summary: "the same phrase on both sides of a conjunction",
    },
    Kind {
        name: "hard-break",
        params: &["style"],
        compile: hard_break::compile,
        fixes: true,
        reads_marks: true,
        summary: "a line break in the middle of a sentence",
    },
    Kind {
        name: "lowercase-start",
        params: &["allow"],
        compile: lowercase_start::compile,
        fixes: true,
        reads_marks: false,
        summary: "a sentence starting with a lowercase word after a period",
    },
    Kind {
        name: "glued-word",
        params: &["allow", "min_chars"],
        compile: glued_word::compile,
        fixes: true,
        reads_marks: true,
        summary: "two dictionary words written without a space",
    },
    Kind {
        name: "bare-verb",
        params: &["words", "allow"],
        compile: mt_patterns::compile_bare_verb,
        fixes: true,
        reads_marks: false,
        summary: "a verb that takes `to` followed by a bare verb (`seemed backpedal`)",
    },
    Kind {
        name: "quote-pairs",
        params: &[],
        compile: quotes::compile_pairs,
        fixes: true,
        reads_marks: false,
        summary: "a curly quotation mark closed by a straight one, or the reverse",
    },
    Kind {
        name: "quote-balance",
        params: &[],
        compile: quotes::compile_balance,
        fixes: false,
        reads_marks: false,
        summary: "a closing quotation mark with no opening one in its paragraph",
    },
    Kind {
        name: "quote-style",
        params: &["threshold", "style"],
        compile: quotes::compile_style,
        fixes: true,
        reads_marks: false,
        summary: "apostrophes or quotation marks in the minority style of the document",
    },
    Kind {
        name: "spelling-variant",
        params: &["allow", "style"],
        compile: spelling::compile,
        fixes: true,
        reads_marks: false,
        summary: "one word spelled two ways in the same document",
    },
    Kind {
        name: "normalization",
        params: &[],
        compile: normalization::compile,
        fixes: true,
        reads_marks: false,
        summary: "text that is not in Unicode normalization form C",
    },
];

pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

// Helpers shared by the kinds' `compile` functions.

pub(crate) fn required<'a, T>(
    rule: &'a RawRule,
    value: &'a Option<toml::Spanned<T>>,
    name: &str,
) -> Result<&'a T, ParamError> {
    value.as_ref().map(|v| v.get_ref()).ok_or_else(|| {
        ParamError::at(
            rule.kind.span(),
            format!(
                "kind `{}` needs the parameter `{name}`",
                rule.kind.get_ref()
            ),
        )
    })
}

pub(crate) fn list(value: &Option<toml::Spanned<Vec<String>>>) -> Vec<String> {
    value
        .as_ref()
        .map(|v| v.get_ref().clone())
        .unwrap_or_default()
}

pub(crate) fn flag(value: &Option<toml::Spanned<bool>>, default: bool) -> bool {
    value.as_ref().map(|v| *v.get_ref()).unwrap_or(default)
}

/// Lower-cased word set for allow lists.
pub(crate) fn word_set(words: Vec<String>) -> std::collections::HashSet<String> {
    words.into_iter().map(|w| w.to_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_literals() {
        let rare: [&[u8]; 8] = [
            b"the",
            b"\xC2\xA9",
            b" ,",
            b"\t.",
            b",,",
            b"\x07",
            b"\x1b[",
            b"\x7f",
        ];
        assert!(rare.iter().all(|l| is_rare(l, true) && is_rare(l, false)));
        assert!(is_rare(b"AP", true) && !is_rare(b"AP", false));
        let common: [&[u8]; 9] = [
            b" ", b".", b", ", b". ", b"\t", b"\r\n", b"ad", b",a", b"-,",
        ];
        assert!(common.iter().all(|l| !is_rare(l, true)));
    }
}
