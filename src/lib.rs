//! residue: a linter for prose damaged by web scraping, OCR and machine translation.
//!
//! The library is pure: bytes in, diagnostics out. It never reads files or prints;
//! the `residue` binary owns files, configuration, output and exit codes.
//!
//! Data flows one way: `source::decode` → `document::Document` → detectors (run by
//! `engine::Linter` with a compiled `rules::RuleSet`) → `diagnostic::Diagnostic` →
//! `emit`.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod baseline;
pub mod config;
pub mod data;
pub mod detect;
pub mod diagnostic;
pub mod document;
pub mod editor;
pub mod emit;
pub mod engine;
#[cfg(test)]
mod fingerprint;
pub mod fix;
pub mod located;
pub mod markup;
pub mod needle_scan;
pub mod quote_marks;
pub mod rules;
pub mod source;
pub mod suppress;
#[cfg(test)]
mod testing;

pub use diagnostic::{Applicability, Category, Diagnostic, Edit, Fix, Severity, Span};
pub use engine::{Linter, Timings};
pub use markup::SourceFormat;
pub use rules::{RuleError, RuleSet, Selection};
