//! Errors that point at a place in a file the user wrote (a rule pack, a
//! configuration file), shown as `path:line:column: message` so that people and
//! editors can jump to it.

use crate::source::LineIndex;
use serde::de::DeserializeOwned;
use std::fmt;
use std::ops::Range;

/// A problem at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for FileError {}

/// A file's name and text with its line index: turns byte spans into places.
pub struct NamedText<'a> {
    pub path: &'a str,
    pub text: &'a str,
    index: LineIndex,
}

impl<'a> NamedText<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Self {
        NamedText {
            path,
            text,
            index: LineIndex::new(text),
        }
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.index.line_col(self.text, offset.min(self.text.len()))
    }

    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> FileError {
        let (line, column) = self.line_col(span.start);
        FileError {
            path: self.path.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    /// Deserializes the text as TOML; syntax, type and unknown-key errors keep
    /// the place the parser gives them.
    pub fn parse_toml<T: DeserializeOwned>(&self) -> Result<T, FileError> {
        toml::from_str(self.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            self.error(span, e.message().trim_end().to_string())
        })
    }
}
