//! `--format concise`: `path:line:column: severity[rule-id] message`, one line per
//! finding, for editors' error formats and grep.

use super::{Emitter, FileReport, Position};
use crate::source::LineIndex;
use std::io::{self, Write};

pub struct Concise;

impl Emitter for Concise {
    fn items(&self, report: &FileReport) -> Vec<String> {
        let index = LineIndex::new(report.text);
        report
            .diagnostics
            .iter()
            .map(|d| {
                let p = Position::of(&index, report.text, d.span);
                format!(
                    "{}:{}:{}: {}[{}] {}\n",
                    report.path, p.line, p.column, d.severity, d.rule, d.message
                )
            })
            .collect()
    }

    fn separator(&self) -> &str {
        ""
    }

    fn end(&self, _out: &mut dyn Write, _summary: super::Summary) -> io::Result<()> {
        Ok(())
    }
}
