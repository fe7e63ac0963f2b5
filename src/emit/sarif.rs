//! `--format sarif`: SARIF 2.1.0, the static-analysis interchange format GitHub
//! code scanning uploads (`github/codeql-action/upload-sarif`).
//!
//! A SARIF log is one JSON document: the tool's rule table first, then the
//! results. The emitter is built with the rule table, writes it in `begin`, renders
//! each diagnostic as one result item, and closes the document in `end`.
//!
//! Columns are 1-based UTF-16 code units (`columnKind: utf16CodeUnits`, SARIF's own
//! default, and what GitHub expects); each region also carries the exact UTF-8
//! `byteOffset`/`byteLength`, and fixes replace regions given by bytes.

use super::{Emitter, FileReport, Summary};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::editor::{position, ColumnUnit};
use crate::rules::RuleSet;
use crate::source::LineIndex;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{self, Write};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub struct Sarif {
    /// The `tool.driver` object, with every loaded rule.
    driver: Value,
    /// Rule id -> index in `driver.rules`, for each result's `ruleIndex`.
    index: HashMap<String, usize>,
}

impl Sarif {
    pub fn new(rules: &RuleSet) -> Self {
        let descriptors: Vec<Value> = rules
            .rules
            .iter()
            .map(|r| {
                let short = sentence(&without_placeholders(&r.message));
                let help = r.help.as_deref().map_or_else(|| short.clone(), sentence);
                json!({
                    "id": &*r.id,
                    "name": format!("{}{}", pascal_case(r.category.as_str()), pascal_case(&r.id)),
                    "shortDescription": { "text": short },
                    "fullDescription": { "text": format!("{} Category: {}.", short, r.category) },
                    "help": { "text": help },
                    "defaultConfiguration": {
                        "level": level(r.severity),
                        "enabled": r.enabled,
                    },
                    "properties": { "category": r.category.as_str(), "tags": [r.category.as_str()] },
                })
            })
            .collect();
        let index = rules
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.to_string(), i))
            .collect();
        let driver = json!({
            "name": "residue",
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "version": env!("CARGO_PKG_VERSION"),
            "rules": descriptors,
        });
        Sarif { driver, index }
    }

    fn result(&self, uri: &str, text: &str, index: &LineIndex, d: &Diagnostic) -> Value {
        let mut result = json!({
            "ruleId": &*d.rule,
            "level": level(d.severity),
            "message": { "text": sentence(&d.message) },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri },
                    "region": region(text, index, d.span),
                }
            }],
            "properties": { "category": d.category.map(|c| c.as_str()) },
        });
        if let Some(&i) = self.index.get(&*d.rule) {
            result["ruleIndex"] = json!(i);
        }
        if let Some(fix) = &d.fix {
            let replacements: Vec<Value> = fix
                .edits
                .iter()
                .map(|e| {
                    json!({
                        "deletedRegion": { "byteOffset": e.start, "byteLength": e.end - e.start },
                        "insertedContent": { "text": e.replacement },
                    })
                })
                .collect();
            result["fixes"] = json!([{
                "description": { "text": sentence(&format!("{} ({} fix)", fix.description, match fix.applicability {
                    crate::Applicability::Safe => "safe",
                    crate::Applicability::Unsafe => "unsafe",
                })) },
                "artifactChanges": [{
                    "artifactLocation": { "uri": uri },
                    "replacements": replacements,
                }],
            }]);
        }
        result
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A rule's message template with its `{name}` placeholders shown as `…`: the
/// rule table describes the rule, not one finding.
fn without_placeholders(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if after[..close]
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_') =>
            {
                out.push('…');
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// SARIF messages are sentences (its validator asks for the final period).
fn sentence(s: &str) -> String {
    let s = s.trim_end();
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// `doubled-word` -> `DoubledWord`: SARIF rule names are identifiers. A rule's
/// name is its category and id (`RepetitionDoubledWord`), because the validator
/// rejects a name that only differs from the id in case (`mojibake`).
fn pascal_case(id: &str) -> String {
    id.split(['-', '_'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

fn region(text: &str, index: &LineIndex, span: Span) -> Value {
    let (line, column) = position(index, text, span.start, ColumnUnit::Utf16);
    let (end_line, end_column) = position(index, text, span.end, ColumnUnit::Utf16);
    json!({
        "startLine": line + 1,
        "startColumn": column + 1,
        "endLine": end_line + 1,
        "endColumn": end_column + 1,
        "byteOffset": span.start,
        "byteLength": span.len(),
    })
}

/// A path as a URI reference: forward slashes, no leading `./`, percent-encoded;
/// absolute paths become `file://` URIs.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/');
    let path = path.trim_start_matches("./");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    if absolute {
        format!("file://{out}")
    } else {
        out
    }
}

impl Emitter for Sarif {
    fn begin(&self, out: &mut dyn Write) -> io::Result<()> {
        let driver = serde_json::to_string(&self.driver).map_err(io::Error::other)?;
        write!(
            out,
            "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [{{\n    \
             \"tool\": {{ \"driver\": {driver} }},\n    \"columnKind\": \"utf16CodeUnits\",\n    \
             \"results\": ["
        )
    }

    fn items(&self, report: &FileReport) -> Vec<String> {
        let index = LineIndex::new(report.text);
        let uri = uri(report.path);
        report
            .diagnostics
            .iter()
            .map(|d| {
                let value = self.result(&uri, report.text, &index, d);
                format!("\n      {value}")
            })
            .collect()
    }

    fn separator(&self) -> &str {
        ","
    }

    fn end(&self, out: &mut dyn Write, _summary: Summary) -> io::Result<()> {
        out.write_all(b"\n    ]\n  }]\n}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_names() {
        assert_eq!(uri("./seeds/a b.txt"), "seeds/a%20b.txt");
        assert_eq!(uri("/tmp/x.md"), "file:///tmp/x.md");
        assert_eq!(uri("dir\\c:d.txt"), "dir/c%3Ad.txt");
        assert_eq!(pascal_case("doubled-word"), "DoubledWord");
        assert_eq!(sentence("a finding"), "a finding.");
        assert_eq!(sentence("done?"), "done?");
        assert_eq!(
            without_placeholders("`{word}` is {text} {x y}"),
            "`…` is … {x y}"
        );
    }
}
