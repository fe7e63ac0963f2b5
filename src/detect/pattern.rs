//! `kind = "pattern"`: a regular expression over the whole text.
//!
//! `^` and `$` match at line boundaries (CRLF-aware). A capture group named `hit`
//! narrows the reported span to part of the match, so that context can be required
//! without being underlined. A `replace` fix may use `$1` or `${name}` groups.

use super::lazy_regex::LazyRegex;
use super::prefilter::{self, Branches, Prefilter};
use super::{flag, required, Detector, Finding, Hits, Needles, ParamError};
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::schema::RawRule;
use regex::{Regex, RegexBuilder};
use regex_automata::util::captures::Captures;

pub(crate) const SIZE_LIMIT: usize = 1 << 24;

#[derive(Debug)]
pub struct Pattern {
    /// Compiled on first use: most patterns never run on a small text, because
    /// their prefilter finds none of their literals there.
    regex: LazyRegex,
    /// As written, for the message of a pattern too large to compile.
    pattern: String,
    case_sensitive: bool,
    /// Runs the regex only near the literals every match holds (same matches).
    prefilter: Option<Prefilter>,
    /// Or one regex per branch of the alternation (same matches).
    branches: Option<Branches>,
    hit: Option<usize>,
    replacement: Option<(String, Applicability, String)>,
    prose_only: bool,
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

/// Compiles `regex` (`pattern` parsed) fully now; a failure is worded as the
/// regex crate words it.
pub(crate) fn validate(
    regex: &LazyRegex,
    pattern: &str,
    case_sensitive: bool,
) -> Result<(), String> {
    regex.validate().map_err(|meta| {
        let message = match regex_builder(pattern, case_sensitive).build() {
            Err(e) => e.to_string(),
            Ok(_) => meta,
        };
        format!("invalid regular expression: {message}")
    })
}

/// Parsing finds every syntax error (with the message compiling would give);
/// compiling waits until a text needs the regex.
pub fn check_syntax(
    rule: &RawRule,
    pattern: &str,
    case_sensitive: bool,
) -> Result<regex_syntax::hir::Hir, ParamError> {
    prefilter::parse(pattern, !case_sensitive)
        .ok_or_else(|| build_regex(rule, pattern, case_sensitive).expect_err("a bad pattern"))
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    let pattern = required(rule, &rule.pattern, "pattern")?;
    let case_sensitive = flag(&rule.case_sensitive, true);
    let hir = check_syntax(rule, pattern, case_sensitive)?;
    let hit = capture_index(&hir, "hit");
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
    let literals = prefilter::required_literals(pattern, &hir, case_sensitive);
    let branches = if hit.is_none() && replacement.is_none() {
        Branches::new(&hir, literals.as_deref(), case_sensitive, SIZE_LIMIT)
    } else {
        None
    };
    // With branches the prefilter would never run.
    let prefilter = match (&branches, &literals) {
        (None, Some(literals)) => Prefilter::new(&hir, literals, case_sensitive),
        _ => None,
    };
    Ok(Box::new(Pattern {
        branches,
        prefilter,
        regex: LazyRegex::new(hir, SIZE_LIMIT),
        pattern: pattern.clone(),
        case_sensitive,
        hit,
        replacement,
        prose_only: flag(&rule.prose_only, rule.marks.is_none()),
    }))
}

/// The index of the capture group with this name.
fn capture_index(hir: &regex_syntax::hir::Hir, name: &str) -> Option<usize> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) if c.name.as_deref() == Some(name) => Some(c.index as usize),
        HirKind::Capture(c) => capture_index(&c.sub, name),
        HirKind::Repetition(r) => capture_index(&r.sub, name),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().find_map(|s| capture_index(s, name))
        }
        _ => None,
    }
}

impl Pattern {
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
        validate(&self.regex, &self.pattern, self.case_sensitive)
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let text = doc.text;
        if let Some(branches) = &self.branches {
            branches.for_each_match(text, |start, end| {
                out.extend(self.finding(doc, (start, end), None, |_, _| {}));
            });
        } else if let Some(prefilter) = &self.prefilter {
            prefilter.for_each_match(&self.regex, text, |caps| {
                out.extend(self.captured(doc, caps))
            });
        } else {
            for caps in self.regex.get(text.len()).captures_iter(text) {
                out.extend(self.captured(doc, &caps));
            }
        }
    }

    fn needles(&self) -> Option<Needles> {
        match (&self.branches, &self.prefilter) {
            (Some(branches), _) => branches.needles(),
            (None, Some(prefilter)) => Some(prefilter.needles()),
            (None, None) => None,
        }
    }

    fn check_at(&self, doc: &Document, hits: Hits, out: &mut Vec<Finding>) {
        let text = doc.text;
        if let Some(branches) = &self.branches {
            branches.for_each_match_ungated(text, |start, end| {
                out.extend(self.finding(doc, (start, end), None, |_, _| {}));
            });
        } else if let Some(prefilter) = &self.prefilter {
            prefilter.for_each_match_at(&self.regex, text, hits, |caps| {
                out.extend(self.captured(doc, caps))
            });
        } else {
            self.check(doc, out);
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
