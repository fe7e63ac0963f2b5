//! `--format human`: compiler-style reports rendered by annotate-snippets (the
//! renderer rustc uses): the file, line and column, the source line with the
//! artifact underlined, the rule id, the message and a `help:` line with the fix.

use super::{Emitter, FileReport, Summary};
use crate::diagnostic::{Applicability, Category, Diagnostic, Severity};
use crate::source::LineIndex;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::io::{self, Write};

pub struct Human {
    renderer: Renderer,
}

/// Lines longer than this are shown as a window around the finding: the renderer
/// reads the whole excerpt for every diagnostic, and a scraped file can be one
/// line of megabytes.
const MAX_EXCERPT: usize = 1000;
/// Bytes of context kept on each side of the finding in a window.
const CONTEXT: usize = 300;

impl Human {
    /// `color` is the caller's decision (a terminal, and NO_COLOR unset).
    pub fn new(color: bool) -> Self {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        Human { renderer }
    }

    fn render(&self, path: &str, text: &str, index: &LineIndex, d: &Diagnostic) -> String {
        let first = index.line_of(d.span.start);
        let last = index.line_of(d.span.end.saturating_sub(1).max(d.span.start));
        let mut start = index.line_start(first);
        let mut end = if last + 1 < index.line_count() {
            index.line_start(last + 1) - 1
        } else {
            text.len()
        };
        let clipped = end - start > MAX_EXCERPT;
        if clipped {
            start = text.floor_char_boundary(d.span.start.saturating_sub(CONTEXT).max(start));
            end = text.ceil_char_boundary((d.span.end + CONTEXT).min(end));
        }
        let excerpt = text[start..end].trim_end_matches('\r');
        let rel = (d.span.start - start)
            ..(d.span.end - start)
                .min(excerpt.len())
                .max(d.span.start - start);
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let label = d.category.map_or("residue", Category::as_str);
        let snippet = Snippet::source(excerpt)
            .line_start(index.line_of(start) + 1)
            .annotation(AnnotationKind::Primary.span(rel).label(label));
        let title = level.primary_title(d.message.as_str()).id(d.rule.as_ref());
        let group = if clipped {
            // The window starts mid-line: the header gives the true position.
            let (line, column) = index.line_col(text, d.span.start);
            title
                .element(Origin::path(path).line(line).char_column(column))
                .element(snippet)
        } else {
            title.element(snippet.path(path))
        };
        let mut report = vec![group];
        if let Some(fix) = &d.fix {
            let help = match fix.applicability {
                Applicability::Safe => format!("{} (safe fix: --fix)", fix.description),
                Applicability::Unsafe => {
                    format!("{} (unsafe fix: --unsafe-fixes)", fix.description)
                }
            };
            report.push(Group::with_title(Level::HELP.secondary_title(help)));
        }
        let mut out = self.renderer.render(&report);
        out.push('\n');
        out
    }
}

impl Emitter for Human {
    fn items(&self, report: &FileReport) -> Vec<String> {
        let index = LineIndex::new(report.text);
        report
            .diagnostics
            .iter()
            .map(|d| self.render(report.path, report.text, &index, d))
            .collect()
    }

    fn end(&self, out: &mut dyn Write, summary: Summary) -> io::Result<()> {
        if summary.diagnostics == 0 {
            return writeln!(out, "No problems found in {} file(s).", summary.files);
        }
        writeln!(
            out,
            "\nFound {} problem(s) in {} file(s); {} with a safe fix.",
            summary.diagnostics, summary.files, summary.fixable
        )
    }
}
