//! The compiled linter: runs every selected rule over a document, in stage order,
//! and turns findings into sorted diagnostics.

use crate::detect::{Finding, Stage};
use crate::diagnostic::{Diagnostic, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::{FixAction, Rule, RuleSet};

#[derive(Debug)]
pub struct Linter {
    rules: RuleSet,
    /// Rule indices in the order they run: by stage, then as loaded.
    order: Vec<usize>,
}

impl Linter {
    pub fn new(rules: RuleSet) -> Self {
        let mut order: Vec<usize> = (0..rules.rules.len()).collect();
        order.sort_by_key(|&i| (stage(&rules.rules[i]), i));
        Linter { rules, order }
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Lints one text. Diagnostics come sorted by position, then rule id.
    pub fn check(&self, text: &str) -> Vec<Diagnostic> {
        let mut doc = Document::new(text);
        let mut findings = Vec::new();
        let mut out = Vec::new();
        for &i in &self.order {
            let rule = &self.rules.rules[i];
            findings.clear();
            rule.detector.check(&doc, &mut findings);
            let prose_only = rule.detector.prose_only();
            for finding in findings.drain(..) {
                if prose_only
                    && (doc.is_classified(doc.line_at(finding.span.start))
                        || doc.in_code(finding.span.start))
                {
                    continue;
                }
                if let Some(class) = rule.marks {
                    doc.set_class(finding.span, class);
                }
                out.push(diagnostic(&doc, rule, finding));
            }
        }
        out.sort_by(|a, b| (a.span, &a.rule).cmp(&(b.span, &b.rule)));
        out.dedup_by(|a, b| a.span == b.span && a.rule == b.rule);
        out
    }
}

fn stage(rule: &Rule) -> Stage {
    if rule.marks.is_some() {
        Stage::Classify
    } else {
        rule.detector.stage()
    }
}

/// How the flagged text is quoted in a message: short, on one line.
pub(crate) fn quoted(text: &str) -> String {
    let one_line = text.replace("\r\n", "⏎").replace('\n', "⏎");
    if one_line.chars().count() > 50 {
        let head: String = one_line.chars().take(47).collect();
        format!("{head}…")
    } else {
        one_line
    }
}

fn render_message(template: &str, doc: &Document, finding: &Finding) -> String {
    let mut message = template.replace("{text}", &quoted(doc.slice(finding.span)));
    for (name, value) in &finding.vars {
        message = message.replace(&format!("{{{name}}}"), value);
    }
    message
}

/// The fix a rule's `fix` table describes, for a finding that has none of its own.
fn rule_fix(doc: &Document, rule: &Rule, span: Span) -> Option<Fix> {
    let fix = rule.fix.as_ref()?;
    let text = doc.text;
    let edit = match &fix.action {
        FixAction::Delete => {
            let (mut start, mut end) = (span.start, span.end);
            if text[end..].starts_with(' ') {
                end += 1;
            } else if text[..start].ends_with(' ') {
                start -= 1;
            }
            Edit::delete(Span::new(start, end))
        }
        FixAction::DeleteLine => {
            let first = doc.line_at(span.start);
            let last = doc.line_at(span.end.saturating_sub(1).max(span.start));
            let start = doc.lines[first].span.start;
            let end = doc
                .lines
                .get(last + 1)
                .map_or(doc.lines[last].span.end, |l| l.span.start);
            Edit::delete(Span::new(start, end))
        }
        FixAction::Replace(r) => Edit::replace(span, r.clone()),
    };
    Some(Fix::new(
        fix.applicability,
        fix.description.clone(),
        vec![edit],
    ))
}

fn diagnostic(doc: &Document, rule: &Rule, finding: Finding) -> Diagnostic {
    let fix = finding
        .fix
        .clone()
        .or_else(|| rule_fix(doc, rule, finding.span));
    Diagnostic {
        rule: rule.id.clone(),
        category: Some(rule.category),
        severity: rule.severity,
        message: render_message(&rule.message, doc, &finding),
        span: finding.span,
        fix,
    }
}
