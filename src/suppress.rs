//! Suppression comments: silencing findings from inside the text.
//!
//! Directives are HTML comments, read from the raw source, so one syntax works in
//! Markdown (where they are invisible when rendered), HTML, and plain text:
//!
//! - `<!-- residue-ignore NAMES -->`: the next line;
//! - `<!-- residue-ignore-line NAMES -->`: the line the comment is on;
//! - `<!-- residue-disable NAMES -->` … `<!-- residue-enable NAMES -->`: a range
//!   (to the end of the file if never enabled again);
//! - `<!-- residue-ignore-file NAMES -->`: the whole file.
//!
//! NAMES are rule ids or category names, separated by commas or spaces; none means
//! every rule. The bare words without the comment wrapper are *not* directives:
//! an article that mentions residue must not silence it by accident.
//!
//! A directive that silences nothing is reported as `unused-suppression`, so stale
//! comments do not pile up. Findings inside a directive comment are dropped: the
//! comment is an instruction to residue, not prose.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, Span};
use crate::source::LineIndex;
use regex::Regex;
use std::sync::{Arc, LazyLock};

/// The id of the finding for a directive that suppresses nothing.
pub const UNUSED_SUPPRESSION: &str = "unused-suppression";

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"<!--[ \t]*residue-(ignore-file|ignore-line|ignore|disable|enable)((?:[ \t,]+[A-Za-z0-9-]+)*)[ \t,]*-->",
    )
    .expect("the directive pattern is valid")
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    NextLine,
    Line,
    File,
    Disable,
    Enable,
}

/// One suppression comment in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub scope: Scope,
    /// Rule ids or categories; empty means all rules.
    pub names: Vec<String>,
    /// The whole comment.
    pub span: Span,
    /// The bytes it silences (empty for `Enable`).
    pub region: Span,
}

impl Directive {
    fn names_rule(&self, d: &Diagnostic) -> bool {
        self.names.is_empty()
            || self
                .names
                .iter()
                .any(|n| n == "all" || *n == *d.rule || d.category.is_some_and(|c| c.as_str() == n))
    }

    fn shares_names(&self, other: &Directive) -> bool {
        self.names.is_empty()
            || other.names.is_empty()
            || self.names.iter().any(|n| other.names.contains(n))
    }
}

/// Finds every directive in `text`, with the region each one covers.
pub fn parse(text: &str) -> Vec<Directive> {
    let index = LineIndex::new(text);
    let line_span = |line: usize| {
        let start = index.line_start(line);
        let end = if line + 1 < index.line_count() {
            index.line_start(line + 1)
        } else {
            text.len()
        };
        Span::new(start, end)
    };
    let mut directives: Vec<Directive> = Vec::new();
    for caps in DIRECTIVE.captures_iter(text) {
        let whole = caps.get(0).expect("group 0 always matches");
        let span = Span::new(whole.start(), whole.end());
        let names = caps[2]
            .split([' ', '\t', ','])
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect();
        let line = index.line_of(span.start);
        let (scope, region) = match &caps[1] {
            "ignore-file" => (Scope::File, Span::new(0, text.len())),
            "ignore-line" => (Scope::Line, line_span(line)),
            "ignore" if line + 1 < index.line_count() => (Scope::NextLine, line_span(line + 1)),
            "ignore" => (Scope::NextLine, Span::new(text.len(), text.len())),
            "disable" => (Scope::Disable, Span::new(span.end, text.len())),
            _ => (Scope::Enable, Span::new(span.start, span.start)),
        };
        let directive = Directive {
            scope,
            names,
            span,
            region,
        };
        if scope == Scope::Enable {
            // Close the open ranges this enable names.
            for open in directives
                .iter_mut()
                .filter(|d| d.scope == Scope::Disable && d.region.end == text.len())
            {
                if open.shares_names(&directive) {
                    open.region.end = span.start;
                }
            }
        }
        directives.push(directive);
    }
    directives
}

/// Drops the findings the directives in `text` silence, and those inside the
/// directive comments themselves. With `report_unused`, adds an
/// `unused-suppression` finding for each directive that silenced nothing.
/// The result is sorted like `Linter::check`'s.
pub fn apply(text: &str, diagnostics: Vec<Diagnostic>, report_unused: bool) -> Vec<Diagnostic> {
    // Most texts have no directive: skip the line index and the regex for them.
    if !text.contains("residue-") {
        return diagnostics;
    }
    let directives = parse(text);
    if directives.is_empty() {
        return diagnostics;
    }
    let mut used = vec![false; directives.len()];
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        if directives.iter().any(|dir| dir.span.overlaps(d.span)) {
            continue;
        }
        let mut silenced = false;
        for (i, dir) in directives.iter().enumerate() {
            let inside = d.span.start >= dir.region.start
                && (d.span.start < dir.region.end
                    || (dir.region.is_empty() && d.span.start == dir.region.start));
            if dir.scope != Scope::Enable && !dir.region.is_empty() && inside && dir.names_rule(&d)
            {
                used[i] = true;
                silenced = true;
            }
        }
        if !silenced {
            kept.push(d);
        }
    }
    if report_unused {
        let rule: Arc<str> = Arc::from(UNUSED_SUPPRESSION);
        for (dir, _) in directives
            .iter()
            .zip(&used)
            .filter(|(dir, used)| dir.scope != Scope::Enable && !**used)
        {
            kept.push(Diagnostic {
                rule: rule.clone(),
                category: None,
                severity: Severity::Warning,
                message: format!(
                    "`{}` suppresses nothing; delete it",
                    &text[dir.span.start..dir.span.end]
                ),
                span: dir.span,
                fix: Some(delete_directive(text, dir.span)),
            });
        }
        kept.sort_by(|a, b| (a.span, &a.rule).cmp(&(b.span, &b.rule)));
    }
    kept
}

/// Deletes a directive: its whole line when it stands alone, else the comment and
/// the spaces before it. Unsafe: the comment was written by a person, who may
/// want to correct its names rather than drop it.
fn delete_directive(text: &str, span: Span) -> Fix {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i + 1);
    let before = &text[line_start..span.start];
    let after = &text[span.end..line_end];
    let alone = before.trim().is_empty() && after.trim().is_empty();
    let range = if alone {
        Span::new(line_start, line_end)
    } else {
        let spaces = before.len() - before.trim_end_matches([' ', '\t']).len();
        Span::new(span.start - spaces, span.end)
    };
    Fix::new(
        Applicability::Unsafe,
        "delete the comment",
        vec![Edit::delete(range)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Category;

    fn finding(rule: &str, category: Category, start: usize) -> Diagnostic {
        Diagnostic {
            rule: rule.into(),
            category: Some(category),
            severity: Severity::Warning,
            message: String::new(),
            span: Span::new(start, start + 1),
            fix: None,
        }
    }

    fn rules(diagnostics: &[Diagnostic]) -> Vec<&str> {
        diagnostics.iter().map(|d| &*d.rule).collect()
    }

    #[test]
    fn next_line_form_names_a_rule() {
        let text = "<!-- residue-ignore doubled-word -->\nthe the cat\nthe the dog\n";
        let line2 = text.find("the the cat").unwrap();
        let line3 = text.find("the the dog").unwrap();
        let d = vec![
            finding("doubled-word", Category::Repetition, line2),
            finding("doubled-word", Category::Repetition, line3),
        ];
        let kept = apply(text, d, true);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].span.start, line3);
    }

    #[test]
    fn category_and_comma_lists_match() {
        let text = "x <!-- residue-ignore-line ocr, repetition -->\n";
        let d = vec![finding("doubled-word", Category::Repetition, 0)];
        assert!(apply(text, d, true).is_empty());
    }

    #[test]
    fn disable_enable_covers_a_range() {
        let text = "a\n<!-- residue-disable -->\nb\n<!-- residue-enable -->\nc\n";
        let at = |s: &str| text.find(s).unwrap();
        let d = vec![
            finding("r", Category::Ocr, at("a")),
            finding("r", Category::Ocr, at("b\n")),
            finding("r", Category::Ocr, at("c\n")),
        ];
        let kept = apply(text, d, true);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[1].span.start, at("c\n"));
    }

    #[test]
    fn unused_directive_is_reported_without_category() {
        let text = "<!-- residue-ignore-file ocr -->\nclean text\n";
        let kept = apply(text, vec![], true);
        assert_eq!(rules(&kept), ["unused-suppression"]);
        assert_eq!(kept[0].category, None);
        assert!(apply(text, vec![], false).is_empty());
    }

    #[test]
    fn findings_inside_a_directive_are_dropped_and_do_not_count() {
        let text = "<!-- residue-ignore-line ocr -->\n";
        let d = vec![finding("glued-word", Category::Ocr, 6)];
        assert_eq!(rules(&apply(text, d, true)), ["unused-suppression"]);
    }

    #[test]
    fn unused_directive_can_be_deleted() {
        let text = "a\n  <!-- residue-ignore ocr -->\nb <!-- residue-ignore-line ocr -->\n";
        let kept = apply(text, vec![], true);
        let fixed = crate::fix::apply(text, &kept, crate::fix::FixMode::Unsafe);
        assert_eq!(fixed.text, "a\nb\n");
        assert_eq!(
            crate::fix::apply(text, &kept, crate::fix::FixMode::Safe).fixes,
            0
        );
    }

    #[test]
    fn bare_words_are_not_directives() {
        assert!(parse("residue-ignore-file\n").is_empty());
    }
}

/// How `unused-suppression` is reported: whether it is selected, and the
/// `[severity]` override residue.toml may give it.
#[derive(Debug, Clone, Copy)]
pub struct UnusedPolicy {
    pub report: bool,
    pub severity: Option<Severity>,
}

impl UnusedPolicy {
    pub fn new(selection: &crate::Selection, config: Option<&crate::config::Config>) -> Self {
        let named = |names: &[String]| names.iter().any(|n| n == UNUSED_SUPPRESSION || n == "all");
        UnusedPolicy {
            report: (selection.select.is_empty() || named(&selection.select))
                && !named(&selection.ignore),
            severity: config.and_then(|c| {
                c.severity
                    .iter()
                    .rev()
                    .find(|(n, _)| n.name == UNUSED_SUPPRESSION)
                    .map(|(_, s)| *s)
            }),
        }
    }
}

/// The findings a user is shown for a text, the same in `check`, `--fix` and the
/// language server: the rules' findings, then suppression comments, then the
/// rules ignored for this path (last, so they can also turn off
/// `unused-suppression`).
pub fn shown(
    linter: &crate::Linter,
    text: &str,
    format: crate::SourceFormat,
    unused: UnusedPolicy,
    ignored: &[&str],
) -> Vec<Diagnostic> {
    shown_timed(linter, text, format, unused, ignored, None)
}

/// `shown`, adding the time of the document model and of each rule to `timings`
/// when given (the rest of its time is markup and suppression).
pub fn shown_timed(
    linter: &crate::Linter,
    text: &str,
    format: crate::SourceFormat,
    unused: UnusedPolicy,
    ignored: &[&str],
    timings: Option<&mut crate::Timings>,
) -> Vec<Diagnostic> {
    let found = linter.check_with_format_timed(text, format, timings);
    let mut diagnostics = apply(text, found, unused.report);
    crate::config::drop_named(&mut diagnostics, ignored);
    if let Some(severity) = unused.severity {
        for d in diagnostics
            .iter_mut()
            .filter(|d| *d.rule == *UNUSED_SUPPRESSION)
        {
            d.severity = severity;
        }
    }
    diagnostics
}
