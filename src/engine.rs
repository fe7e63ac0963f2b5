//! The compiled linter: runs every selected rule over a document, in stage order,
//! and turns findings into sorted diagnostics.

use crate::detect::{Finding, Stage};
use crate::diagnostic::{Diagnostic, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::{FixAction, Rule, RuleSet};
use std::time::{Duration, Instant};

/// Where the time of `Linter::check_timed` went, summed over the texts it saw
/// (the hidden `--timings` flag of `residue check` prints it).
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Building the document model.
    pub document: Duration,
    /// Per rule, indexed like `RuleSet::rules`: its detector plus its diagnostics.
    pub rules: Vec<Duration>,
    /// Sorting and deduplicating the diagnostics.
    pub finish: Duration,
}

impl Timings {
    pub fn add(&mut self, other: &Timings) {
        self.document += other.document;
        self.finish += other.finish;
        if self.rules.len() < other.rules.len() {
            self.rules.resize(other.rules.len(), Duration::ZERO);
        }
        for (a, b) in self.rules.iter_mut().zip(&other.rules) {
            *a += *b;
        }
    }
}

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
        self.check_timed(text, None)
    }

    /// `check`, adding the time each step took to `timings` when given.
    pub fn check_timed(&self, text: &str, mut timings: Option<&mut Timings>) -> Vec<Diagnostic> {
        let mut clock = timings.as_ref().map(|_| Instant::now());
        let mut lap = |timings: &mut Option<&mut Timings>, slot: Slot| {
            if let (Some(t), Some(c)) = (timings.as_deref_mut(), clock.as_mut()) {
                let now = Instant::now();
                let d = now - *c;
                *c = now;
                match slot {
                    Slot::Document => t.document += d,
                    Slot::Rule(i) => {
                        if t.rules.len() <= i {
                            t.rules.resize(i + 1, Duration::ZERO);
                        }
                        t.rules[i] += d;
                    }
                    Slot::Finish => t.finish += d,
                }
            }
        };
        let mut doc = Document::new(text);
        lap(&mut timings, Slot::Document);
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
            lap(&mut timings, Slot::Rule(i));
        }
        out.sort_by(|a, b| (a.span, &a.rule).cmp(&(b.span, &b.rule)));
        out.dedup_by(|a, b| a.span == b.span && a.rule == b.rule);
        lap(&mut timings, Slot::Finish);
        out
    }
}

#[derive(Clone, Copy)]
enum Slot {
    Document,
    Rule(usize),
    Finish,
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
    let message = render_message(&rule.message, doc, &finding);
    let fix = finding.fix.or_else(|| rule_fix(doc, rule, finding.span));
    Diagnostic {
        rule: rule.id.clone(),
        category: Some(rule.category),
        severity: rule.severity,
        message,
        span: finding.span,
        fix,
    }
}
