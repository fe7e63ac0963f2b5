//! Markdown and HTML: artifacts inside code, tags and other markup are not reported;
//! artifacts in the prose are, with exact byte spans into the original file.

use residue::{Linter, RuleSet, Selection, SourceFormat};
use std::io::Write;
use std::process::{Command, Stdio};

fn linter() -> Linter {
    Linter::new(
        RuleSet::default_pack()
            .unwrap()
            .select(&Selection::default()),
    )
}

/// (rule, span text) of every finding.
fn findings(text: &str, format: SourceFormat) -> Vec<(String, String)> {
    linter()
        .check_with_format(text, format)
        .into_iter()
        .map(|d| {
            (
                d.rule.to_string(),
                text[d.span.start..d.span.end].to_string(),
            )
        })
        .collect()
}

const MARKDOWN: &str = "---\ntitle: the the title\n---\n\n# A héading\n\nThe report was was late, said the `the the` team.\n\n```\nthe the fenced\n```\n\n    the the indented\n\nSee [the the link](https://example.com/the/the) and <https://x.org/a/a>.\n\n<!-- the the comment -->\n\n<div>\nthe the block\n</div>\n";

#[test]
fn markdown_reports_prose_only() {
    let linter = linter();
    let found = linter.check_with_format(MARKDOWN, SourceFormat::Markdown);
    let doubled: Vec<_> = found
        .iter()
        .filter(|d| &*d.rule == "doubled-word")
        .collect();
    // One in the prose, one in the link text (which is prose); none in front
    // matter, inline code, fenced or indented code, URLs, comments or HTML blocks.
    assert_eq!(doubled.len(), 2, "{doubled:#?}");
    let start = MARKDOWN.find("was was").unwrap();
    assert_eq!(doubled[0].span.start, start);
    assert_eq!(
        &MARKDOWN[doubled[0].span.start..doubled[0].span.end],
        "was was"
    );
    let link = MARKDOWN.find("the the link").unwrap();
    assert_eq!(doubled[1].span.start, link);
    // As plain text, the code would be reported too.
    let plain = linter.check_with_format(MARKDOWN, SourceFormat::Text);
    assert!(plain.iter().filter(|d| &*d.rule == "doubled-word").count() > 2);
}

#[test]
fn markdown_masking_creates_no_findings_of_its_own() {
    // Inline code between two equal words, markup next to punctuation, emphasis.
    let text = "Use `x` `x` and then **stop** , he said.\n\nRun `cargo` `cargo` twice.\n";
    let found = findings(text, SourceFormat::Markdown);
    assert!(
        found
            .iter()
            .all(|(rule, span)| !span.contains('`') && rule != "doubled-word"),
        "{found:?}"
    );
}

const HTML: &str = "<!DOCTYPE html>\n<html><head><title>Page</title>\n<style>p { margin: 0 }</style>\n<script>var the = 'the the';</script></head>\n<body>\n<p class=\"the the\">The story was was told &amp; retold.</p>\n<!-- the the -->\n</body></html>\n";

#[test]
fn html_reports_visible_text_only() {
    let linter = linter();
    let found = linter.check_with_format(HTML, SourceFormat::Html);
    let doubled: Vec<_> = found
        .iter()
        .filter(|d| &*d.rule == "doubled-word")
        .collect();
    assert_eq!(doubled.len(), 1, "{found:#?}");
    assert_eq!(doubled[0].span.start, HTML.find("was was").unwrap());
    assert_eq!(
        doubled[0].span.end,
        HTML.find("was was").unwrap() + "was was".len()
    );
    // Entities are markup: nothing is reported about `&amp;`.
    assert!(
        found
            .iter()
            .all(|d| !HTML[d.span.start..d.span.end].contains('&')),
        "{found:#?}"
    );
}

/// The command line picks the format from the extension, or from
/// `--stdin-filename` for standard input.
#[test]
fn cli_picks_the_format_by_name() {
    let run = |name: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_residue"))
            .args([
                "check",
                "--format",
                "jsonl",
                "--select",
                "doubled-word",
                "--stdin-filename",
                name,
                "-",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(MARKDOWN.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        String::from_utf8(out.stdout).unwrap().lines().count()
    };
    assert_eq!(run("notes.md"), 2);
    assert!(run("notes.txt") > 2);
}
