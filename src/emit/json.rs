//! `--format json`: one JSON array of diagnostics, the contract in DESIGN.md.

use super::{Emitter, FileReport, Position, Summary};
use crate::diagnostic::{Diagnostic, Fix};
use crate::source::LineIndex;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct JsonSpan {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    rule: &'a str,
    /// `null` for meta-findings such as `unused-suppression`.
    category: Option<&'a str>,
    severity: &'a str,
    message: &'a str,
    span: JsonSpan,
    fix: Option<&'a Fix>,
}

/// Serializes one diagnostic as a JSON object after `prefix`, with `suffix`
/// after it (shared with other JSON-based formats). One buffer, sized for a
/// typical diagnostic, holds all three: there are often a hundred thousand.
pub fn object(
    prefix: &str,
    path: &str,
    index: &LineIndex,
    text: &str,
    d: &Diagnostic,
    suffix: &str,
) -> String {
    let p = Position::of(index, text, d.span);
    let value = JsonDiagnostic {
        path,
        rule: &d.rule,
        category: d.category.map(|c| c.as_str()),
        severity: d.severity.as_str(),
        message: &d.message,
        span: JsonSpan {
            start: d.span.start,
            end: d.span.end,
            line: p.line,
            column: p.column,
            end_line: p.end_line,
            end_column: p.end_column,
        },
        fix: d.fix.as_ref(),
    };
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(prefix.as_bytes());
    serde_json::to_writer(&mut out, &value).expect("diagnostics always serialize");
    out.extend_from_slice(suffix.as_bytes());
    String::from_utf8(out).expect("JSON is UTF-8")
}

pub struct Json;

impl Emitter for Json {
    fn begin(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"[")
    }

    fn items(&self, report: &FileReport) -> Vec<String> {
        let index = LineIndex::new(report.text);
        report
            .diagnostics
            .iter()
            .map(|d| object("\n  ", report.path, &index, report.text, d, ""))
            .collect()
    }

    fn separator(&self) -> &str {
        ","
    }

    fn end(&self, out: &mut dyn Write, summary: Summary) -> io::Result<()> {
        out.write_all(if summary.diagnostics == 0 {
            b"]\n"
        } else {
            b"\n]\n"
        })
    }
}
