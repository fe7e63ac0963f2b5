//! `--format github`: GitHub Actions workflow commands, which the Actions runner
//! turns into annotations on the pull request's changed lines:
//! `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
//! Columns are 1-based and count Unicode scalar values, like `concise`.

use super::{Emitter, FileReport, Position};
use crate::diagnostic::Severity;
use crate::source::LineIndex;

pub struct Github;

/// Escapes a command's message, as the runner requires (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: the message escapes plus `:` and `,`, which
/// separate properties.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

impl Emitter for Github {
    fn items(&self, report: &FileReport) -> Vec<String> {
        let index = LineIndex::new(report.text);
        let file = escape_property(report.path);
        report
            .diagnostics
            .iter()
            .map(|d| {
                let p = Position::of(&index, report.text, d.span);
                let title = match d.category {
                    Some(category) => format!("residue {} ({category})", d.rule),
                    None => format!("residue {}", d.rule),
                };
                let title = escape_property(&title);
                format!(
                    "::{} file={file},line={},col={},endLine={},endColumn={},title={title}::{}\n",
                    command(d.severity),
                    p.line,
                    p.column,
                    p.end_line,
                    p.end_column,
                    escape_data(&d.message),
                )
            })
            .collect()
    }

    fn separator(&self) -> &str {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% a\r\nb: c,d"), "50%25 a%0D%0Ab: c,d");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
