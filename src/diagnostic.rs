//! The vocabulary of findings: spans, categories, severities, fixes, diagnostics.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// A byte range in the original file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end.max(other.start + 1) && other.start < self.end.max(self.start + 1)
    }

    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// The artifact families of the taxonomy (a contract: see DESIGN.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Duplication,
    Boilerplate,
    Advertising,
    InjectedLink,
    Repetition,
    Punctuation,
    LineBreak,
    Capitalization,
    Mistranslation,
    Encoding,
    Consistency,
    Ocr,
}

impl Category {
    pub const ALL: [Category; 12] = [
        Category::Duplication,
        Category::Boilerplate,
        Category::Advertising,
        Category::InjectedLink,
        Category::Repetition,
        Category::Punctuation,
        Category::LineBreak,
        Category::Capitalization,
        Category::Mistranslation,
        Category::Encoding,
        Category::Consistency,
        Category::Ocr,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Duplication => "duplication",
            Category::Boilerplate => "boilerplate",
            Category::Advertising => "advertising",
            Category::InjectedLink => "injected-link",
            Category::Repetition => "repetition",
            Category::Punctuation => "punctuation",
            Category::LineBreak => "line-break",
            Category::Capitalization => "capitalization",
            Category::Mistranslation => "mistranslation",
            Category::Encoding => "encoding",
            Category::Consistency => "consistency",
            Category::Ocr => "ocr",
        }
    }

    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Whether a fix may be applied without a human reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Meaning-preserving: applied by `--fix`.
    Safe,
    /// Deletes or rewrites content a human should confirm: only with `--unsafe-fixes`.
    Unsafe,
}

/// One replacement of a byte range.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

impl Edit {
    pub fn delete(span: Span) -> Self {
        Edit {
            start: span.start,
            end: span.end,
            replacement: String::new(),
        }
    }

    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        Edit {
            start: span.start,
            end: span.end,
            replacement: replacement.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub description: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(
        applicability: Applicability,
        description: impl Into<String>,
        edits: Vec<Edit>,
    ) -> Self {
        Fix {
            applicability,
            description: description.into(),
            edits,
        }
    }
}

/// One finding, ready to be shown or fixed. The path is attached by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Arc<str>,
    /// The taxonomy family. `None` only for residue's own meta-findings about the
    /// run (such as `unused-suppression`), which are not prose damage and so belong
    /// to no family; JSON shows them as `"category": null`.
    pub category: Option<Category>,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// Moves the diagnostic and its fix `by` bytes later (from a part of a text
    /// to the whole).
    pub fn shift(&mut self, by: usize) {
        self.span = Span::new(self.span.start + by, self.span.end + by);
        for edit in self.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
            edit.start += by;
            edit.end += by;
        }
    }
}
