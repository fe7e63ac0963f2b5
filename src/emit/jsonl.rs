//! `--format jsonl`: JSON Lines, one diagnostic object per line with the same fields
//! as `--format json`, so a pipeline can stream findings without parsing an array.

use super::{json, Emitter, FileReport};
use crate::source::LineIndex;

pub struct JsonLines;

impl Emitter for JsonLines {
    fn items(&self, report: &FileReport) -> Vec<String> {
        let index = LineIndex::new(report.text);
        report
            .diagnostics
            .iter()
            .map(|d| json::object("", report.path, &index, report.text, d, "\n"))
            .collect()
    }

    fn separator(&self) -> &str {
        ""
    }
}
