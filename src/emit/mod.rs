//! Output formats. An emitter renders one file's diagnostics into items (one per
//! diagnostic, or per file); the caller writes them in order between `begin` and
//! `end`. Rendering is pure, so files can be rendered in parallel.

use crate::diagnostic::{Diagnostic, Span};
use crate::source::LineIndex;
use std::io::{self, Write};

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod jsonl;
pub mod sarif;

/// The diagnostics of one file, with its text (for line numbers and snippets).
pub struct FileReport<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

/// 1-based line and column of a span's start and end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Position {
    pub fn of(index: &LineIndex, text: &str, span: Span) -> Self {
        let (line, column) = index.line_col(text, span.start);
        let (end_line, end_column) = index.line_col(text, span.end);
        Position {
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// Totals for the closing summary.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    pub files: usize,
    pub diagnostics: usize,
    pub fixable: usize,
}

pub trait Emitter: Sync {
    fn begin(&self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// Renders one file's diagnostics, one item per diagnostic.
    fn items(&self, report: &FileReport) -> Vec<String>;

    /// Written between two items.
    fn separator(&self) -> &str {
        "\n"
    }

    fn end(&self, _out: &mut dyn Write, _summary: Summary) -> io::Result<()> {
        Ok(())
    }
}

/// Writes reports already rendered into items, in order, between `begin` and `end`.
pub struct Writer<'a> {
    emitter: &'a dyn Emitter,
    out: &'a mut (dyn Write + Send),
    first: bool,
}

impl<'a> Writer<'a> {
    pub fn new(emitter: &'a dyn Emitter, out: &'a mut (dyn Write + Send)) -> io::Result<Self> {
        emitter.begin(out)?;
        Ok(Writer {
            emitter,
            out,
            first: true,
        })
    }

    pub fn write(&mut self, items: &[String]) -> io::Result<()> {
        for item in items {
            if !self.first {
                self.out.write_all(self.emitter.separator().as_bytes())?;
            }
            self.out.write_all(item.as_bytes())?;
            self.first = false;
        }
        Ok(())
    }

    pub fn finish(self, summary: Summary) -> io::Result<()> {
        self.emitter.end(self.out, summary)?;
        self.out.flush()
    }
}
