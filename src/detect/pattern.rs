//! `kind = "pattern"`: a regular expression over the whole text.
//!
//! `^` and `$` match at line boundaries (CRLF-aware). A capture group named `hit`
//! narrows the reported span to part of the match, so that context can be required
//! without being underlined. A `replace` fix may use `$1` or `${name}` groups.

use super::analysis::analyse;
use super::gate::Gate;
use super::lazy_regex::LazyRegex;
use super::prefilter::{self, Branches, Prefilter, Required};
use super::{flag, required, Detector, Finding, Hits, Needles, ParamError};
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::schema::RawRule;
use regex::{Regex, RegexBuilder};
use regex_automata::util::captures::Captures;
use std::sync::OnceLock;

pub(crate) const SIZE_LIMIT: usize = 1 << 24;

/// Texts up to this long are first checked against the gate: it costs little
/// next to compiling the regex, which a small text often does not need.
const GATED_TEXT: usize = 16 << 10;

#[derive(Debug)]
pub struct Pattern {
    /// Compiled on first use: most patterns never run on a small text, because
    /// their prefilter finds none of their literals there.
    regex: LazyRegex,
    /// Literals every match holds (from the pattern as written).
    literals: Option<Required>,
    /// The needles of `matcher`, known at load: the engine's scan needs them.
    needles: Option<Needles>,
    /// How the regex runs, chosen on first use: it needs the pattern parsed
    /// with its case setting, which waits for a text that needs the regex.
    matcher: OnceLock<Matcher>,
    /// Checked before a small text wakes the regex.
    gate: Gate,
    case_sensitive: bool,
    hit: Option<usize>,
    replacement: Option<(String, Applicability, String)>,
    prose_only: bool,
}

/// How a pattern's regex runs; each finds the same matches.
#[derive(Debug)]
enum Matcher {
    /// One regex per branch of the alternation.
    Branches(Branches),
    /// The regex only near the literals every match holds.
    Prefilter(Prefilter),
    /// The regex over the whole text.
    Whole,
}

impl Matcher {
    fn needles(&self) -> Option<Needles> {
        match self {
            Matcher::Branches(branches) => branches.needles(),
            Matcher::Prefilter(prefilter) => Some(prefilter.needles()),
            Matcher::Whole => None,
        }
    }
}

pub(crate) fn regex_builder(pattern: &str, case_sensitive: bool) -> RegexBuilder {
    let mut builder = RegexBuilder::new(pattern);
    builder
        .multi_line(true)
        .crlf(true)
        .case_insensitive(!case_sensitive)
        .size_limit(SIZE_LIMIT);
    builder
}

pub fn build_regex(
    rule: &RawRule,
    pattern: &str,
    case_sensitive: bool,
) -> Result<Regex, ParamError> {
    regex_builder(pattern, case_sensitive).build().map_err(|e| {
        let span = rule
            .pattern
            .as_ref()
            .map(|p| p.span())
            .unwrap_or(rule.kind.span());
        ParamError::at(span, format!("invalid regular expression: {e}"))
    })
}

/// Parsing the pattern as written (case-sensitively) finds every syntax error
/// (with the message compiling would give); compiling waits until a text needs
/// the regex.
pub fn check_syntax(rule: &RawRule, pattern: &str) -> Result<regex_syntax::hir::Hir, ParamError> {
    prefilter::parse(pattern, false)
        .ok_or_else(|| build_regex(rule, pattern, true).expect_err("a bad pattern"))
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    Ok(Box::new(compile_pattern(rule)?))
}

/// Whether a pattern rule matches case-sensitively (its default: yes).
pub fn case_sensitive(rule: &RawRule) -> bool {
    flag(&rule.case_sensitive, true)
}

fn compile_pattern(rule: &RawRule) -> Result<Pattern, ParamError> {
    let pattern = required(rule, &rule.pattern, "pattern")?;
    let case_sensitive = case_sensitive(rule);
    let (analysis, written) = analyse(rule, pattern, case_sensitive)?;
    let replacement = match &rule.fix {
        Some(fix) if fix.get_ref().action.get_ref() == "replace" => {
            let f = fix.get_ref();
            let applicability = super::super::rules::parse_applicability(f)?;
            Some((
                f.replacement.clone().unwrap_or_default(),
                applicability,
                f.description.clone().unwrap_or_else(|| "replace".into()),
            ))
        }
        _ => None,
    };
    let mut pattern = Pattern {
        gate: analysis.gate,
        regex: LazyRegex::new(pattern, case_sensitive, written, SIZE_LIMIT),
        literals: analysis.required,
        needles: None,
        matcher: OnceLock::new(),
        case_sensitive,
        hit: analysis.hit,
        replacement,
        prose_only: flag(&rule.prose_only, rule.marks.is_none()),
    };
    // Whether the matcher will be a prefilter can be told from the pattern as
    // written; otherwise only the matcher knows its needles.
    pattern.needles = match &pattern.literals {
        Some(r) if analysis.prefiltered => Some(prefilter::as_needles(&r.literals, case_sensitive)),
        Some(_) => pattern.matcher().needles(),
        None => None,
    };
    Ok(pattern)
}

impl Pattern {
    /// Whether the document's text may hold a match (a large one is not
    /// checked).
    fn admits(&self, doc: &Document) -> bool {
        let text = doc.text;
        text.len() > GATED_TEXT
            || self
                .gate
                .admits_lowercase(text, self.case_sensitive, || doc.gate_text())
    }

    fn matcher(&self) -> &Matcher {
        self.matcher.get_or_init(|| {
            let hir = self.regex.hir();
            let required = self.literals.as_ref();
            let literals = required.map(|r| r.literals.as_slice());
            // Split, only the spans of matches are kept.
            let branches = match self.hit.is_none() && self.replacement.is_none() {
                true => Branches::new(hir, literals, self.case_sensitive, SIZE_LIMIT),
                false => None,
            };
            if let Some(branches) = branches {
                return Matcher::Branches(branches);
            }
            let prefilter = required.and_then(|r| Prefilter::new(hir, r, self.case_sensitive));
            if prefilter.as_ref().is_some_and(Prefilter::windowed) {
                self.regex.skip_prefilter();
            }
            prefilter.map_or(Matcher::Whole, Matcher::Prefilter)
        })
    }

    /// The finding for one match: `whole` and `hit` are byte ranges, `expand`
    /// writes the replacement template with the match's groups.
    fn finding(
        &self,
        doc: &Document,
        whole: (usize, usize),
        hit: Option<(usize, usize)>,
        expand: impl FnOnce(&str, &mut String),
    ) -> Option<Finding> {
        let (start, end) = hit.unwrap_or(whole);
        if start == end || start < doc.body_start {
            return None;
        }
        let span = Span::new(start, end);
        let mut finding = Finding::new(span);
        if let Some((template, applicability, description)) = &self.replacement {
            let mut replacement = String::new();
            expand(template, &mut replacement);
            let description = description.replace("{replacement}", &replacement);
            finding = finding.with_fix(Fix::new(
                *applicability,
                description,
                vec![Edit::replace(span, replacement)],
            ));
        }
        Some(finding)
    }
}

impl Pattern {
    fn captured(&self, doc: &Document, caps: &Captures) -> Option<Finding> {
        let whole = caps.get_match().expect("a match");
        let hit = self.hit.and_then(|i| caps.get_group(i));
        self.finding(
            doc,
            (whole.start(), whole.end()),
            hit.map(|s| (s.start, s.end)),
            |template, dst| caps.interpolate_string_into(doc.text, template, dst),
        )
    }
}

impl Detector for Pattern {
    fn validate(&self) -> Result<(), String> {
        // The matcher first: it tells how the regex is built.
        if self.regex.parses() {
            self.matcher();
        }
        self.regex.validate()
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let text = doc.text;
        if !self.admits(doc) {
            return;
        }
        match self.matcher() {
            Matcher::Branches(branches) => branches.for_each_match(text, |start, end| {
                out.extend(self.finding(doc, (start, end), None, |_, _| {}));
            }),
            Matcher::Prefilter(prefilter) => prefilter.for_each_match(&self.regex, text, |caps| {
                out.extend(self.captured(doc, caps))
            }),
            Matcher::Whole => {
                for caps in self.regex.get(text.len()).captures_iter(text) {
                    out.extend(self.captured(doc, &caps));
                }
            }
        }
    }

    fn needles(&self) -> Option<Needles> {
        self.needles.clone()
    }

    fn check_at(&self, doc: &Document, hits: Hits, out: &mut Vec<Finding>) {
        let text = doc.text;
        if !self.admits(doc) {
            return;
        }
        match self.matcher() {
            Matcher::Branches(branches) => branches.for_each_match_ungated(text, |start, end| {
                out.extend(self.finding(doc, (start, end), None, |_, _| {}));
            }),
            Matcher::Prefilter(prefilter) => {
                prefilter.for_each_match_at(&self.regex, text, hits, |caps| {
                    out.extend(self.captured(doc, caps))
                })
            }
            Matcher::Whole => self.check(doc, out),
        }
    }

    fn stage(&self) -> super::Stage {
        if self.prose_only {
            super::Stage::Prose
        } else {
            super::Stage::Classify
        }
    }

    fn prose_only(&self) -> bool {
        self.prose_only
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::located::NamedText;
    use crate::rules::schema::RuleFile;

    /// Patterns that make the needles hard to tell from the pattern as
    /// written: text anchors, split branches, empty matches, folded case.
    const TRICKY: &str = r#"
[[rule]]
id = "a"
pattern = '\Acasino|\bbet365\b'
case_sensitive = false
[[rule]]
id = "b"
pattern = '\Acasino|bet365'
[[rule]]
id = "c"
pattern = '\bcasino\b|\bkelvin\z'
case_sensitive = false
[[rule]]
id = "d"
pattern = '(?:casino)?'
[[rule]]
id = "e"
pattern = '\bre(?P<hit>ad)\b|\bwatch\z'
"#;

    fn patterns(text: &str) -> Vec<Pattern> {
        let ctx = NamedText::new("rules.toml", text);
        let file: RuleFile = ctx.parse_toml().unwrap();
        file.rule
            .into_iter()
            .map(|raw| raw.into_inner())
            .filter(|raw| raw.kind.get_ref() == "pattern")
            .map(|raw| compile_pattern(&raw).unwrap())
            .collect()
    }

    /// The needles known at load, from the pattern as written, are those of
    /// the matcher chosen later from the pattern parsed with its case setting.
    #[test]
    fn needles_at_load_are_the_matchers() {
        let tricky = TRICKY.replace(
            "[[rule]]",
            "[[rule]]\nkind = \"pattern\"\ncategory = \"ocr\"\nmessage = \"m\"",
        );
        let mut seen = 0;
        let files = crate::rules::DEFAULT_PACK.iter().map(|(_, text)| *text);
        for text in files.chain([tricky.as_str()]) {
            for pattern in patterns(text) {
                let at_load = pattern.needles.clone();
                assert_eq!(at_load, pattern.matcher().needles(), "{:?}", pattern.regex);
                seen += usize::from(at_load.is_some());
            }
        }
        assert!(seen > 20);
    }

    /// A small text is turned away only when it lacks a literal every match
    /// needs, ignoring case, however it writes the letters: in capitals, or
    /// with a character that folds to an ASCII letter (`ſ`, the Kelvin sign).
    #[test]
    fn small_texts_are_gated_ignoring_case() {
        let rules = TRICKY.replace(
            "[[rule]]",
            "[[rule]]\nkind = \"pattern\"\ncategory = \"ocr\"\nmessage = \"m\"",
        );
        let casino = &patterns(&rules)[2]; // \bcasino\b|\bkelvin\z, ignoring case
        let found = |text: &str| {
            let doc = Document::new(text);
            let mut out = Vec::new();
            casino.check(&doc, &mut out);
            out.len()
        };
        assert_eq!(found("A new CASINO opened."), 1);
        assert_eq!(found("A new caſino opened."), 1);
        assert_eq!(found("In degrees \u{212A}elvin"), 1);
        let doc = Document::new("A New Casino");
        assert_eq!(doc.gate_text(), Some(&b"a new casino"[..]));
        assert_eq!(Document::new("A New Caſino").gate_text(), None);
    }
}
