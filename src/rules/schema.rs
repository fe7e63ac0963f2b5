//! The rule-file format, as serde reads it. One flat table per rule: the common
//! fields, then the parameters of every detector kind (each kind says which of them
//! it takes, see `detect::KINDS`). Flat on purpose: unknown keys and type errors are
//! reported by the TOML parser itself with their exact line and column.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default)]
    pub rule: Vec<Spanned<RawRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: Spanned<String>,
    pub category: Spanned<String>,
    pub kind: Spanned<String>,
    pub message: String,
    pub severity: Option<Spanned<String>>,
    /// A longer explanation shown as `help:` when the rule has no fix.
    pub help: Option<String>,
    /// Off-by-default rules are loaded but run only when selected by name.
    pub enabled: Option<bool>,
    /// Classify the lines this rule flags (chrome, credit, caption, ad, link), so
    /// that prose detectors leave them alone.
    pub marks: Option<Spanned<String>>,
    pub fix: Option<Spanned<RawFix>>,
    pub examples: Option<Spanned<Examples>>,

    // Detector parameters. `detect::KINDS` lists which kind takes which.
    pub pattern: Option<Spanned<String>>,
    pub phrases: Option<Spanned<Vec<String>>>,
    pub words: Option<Spanned<Vec<String>>>,
    pub allow: Option<Spanned<Vec<String>>>,
    pub case_sensitive: Option<Spanned<bool>>,
    pub prose_only: Option<Spanned<bool>>,
    pub max_words: Option<Spanned<usize>>,
    pub min_words: Option<Spanned<usize>>,
    pub min_chars: Option<Spanned<usize>>,
    pub min_coverage: Option<Spanned<f64>>,
    pub threshold: Option<Spanned<f64>>,
    pub style: Option<Spanned<String>>,
}

impl RawRule {
    /// Names of the detector parameters this rule sets, with their spans.
    pub fn params_set(&self) -> Vec<(&'static str, std::ops::Range<usize>)> {
        fn span<T>(v: &Option<Spanned<T>>) -> Option<std::ops::Range<usize>> {
            v.as_ref().map(Spanned::span)
        }
        let table = [
            ("pattern", span(&self.pattern)),
            ("phrases", span(&self.phrases)),
            ("words", span(&self.words)),
            ("allow", span(&self.allow)),
            ("case_sensitive", span(&self.case_sensitive)),
            ("prose_only", span(&self.prose_only)),
            ("max_words", span(&self.max_words)),
            ("min_words", span(&self.min_words)),
            ("min_chars", span(&self.min_chars)),
            ("min_coverage", span(&self.min_coverage)),
            ("threshold", span(&self.threshold)),
            ("style", span(&self.style)),
        ];
        table
            .into_iter()
            .filter_map(|(name, span)| span.map(|s| (name, s)))
            .collect()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFix {
    /// `delete` (the flagged text), `delete-line`, or `replace`.
    pub action: Spanned<String>,
    pub replacement: Option<String>,
    pub applicability: Option<Spanned<String>>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub bad: Vec<String>,
    #[serde(default)]
    pub good: Vec<String>,
}
