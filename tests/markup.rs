//! Markdown and HTML: artifacts inside code, tags and other markup are not reported;
//! artifacts in the prose are, with exact byte spans into the original file.

mod common;

use residue::{Linter, RuleSet, Selection, SourceFormat};
use std::sync::OnceLock;

/// Compiled once: compiling the rule pack is slow in a debug build.
fn linter() -> &'static Linter {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    LINTER.get_or_init(|| {
        Linter::new(
            RuleSet::default_pack()
                .unwrap()
                .select(&Selection::default()),
        )
    })
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
    let text = "Use `x` `x` and then **stop** , he said.\n\nRun `cargo` `cargo` twice.\n\nTom &amp; Jerry&rsquo;s dog.\n";
    let found = findings(text, SourceFormat::Markdown);
    assert!(
        found
            .iter()
            .all(|(rule, span)| !span.contains(['`', '&']) && rule != "doubled-word"),
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
        let args = [
            "check",
            "--format",
            "jsonl",
            "--select",
            "doubled-word",
            "--stdin-filename",
            name,
            "-",
        ];
        let out = common::run_with_stdin(std::path::Path::new("."), &args, MARKDOWN);
        out.stdout.lines().count()
    };
    assert_eq!(run("notes.md"), 2);
    assert!(run("notes.txt") > 2);
}

/// A seed article wrapped in HTML (paragraph tags, a script, a style, a nav, and
/// character references for `&`, `<`, `>` and curly apostrophes) or in Markdown
/// (front matter, a code block) gives the same findings on the same text as the
/// plain file: the markup hides nothing and adds nothing.
#[test]
fn seeds_in_markup_give_the_same_findings() {
    let seeds = common::seed_paths();
    let key = |text: &str, format| {
        let mut found = findings(text, format);
        found.sort();
        found
    };
    for seed in seeds {
        let plain = std::fs::read_to_string(&seed).unwrap();
        let paragraphs: Vec<&str> = plain.lines().filter(|l| !l.trim().is_empty()).collect();
        // Findings that span several lines depend on the layout, not the markup;
        // compare the plain text laid out the same way (one paragraph a line).
        let laid_out = paragraphs.join("\n") + "\n";
        let markdown = format!(
            "---\ntitle: seed\n---\n\n{}\n\n```\nthe the\n```\n",
            paragraphs.join("\n\n")
        );
        let md = key(&markdown, SourceFormat::Markdown);
        let expected = key(&laid_out, SourceFormat::Text);

        let body: Vec<String> = paragraphs
            .iter()
            .map(|p| {
                let escaped = p
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
                format!("<p class=\"body\">{escaped}</p>")
            })
            .collect();
        let html = format!(
            "<!DOCTYPE html>\n<html><head><script>var a = 'the the';</script>\n<style>p {{ margin: 0 }}</style></head>\n<body><nav><a href=\"/\">Home</a></nav>\n{}\n</body></html>\n",
            body.join("\n")
        );
        let got = key(&html, SourceFormat::Html);
        // By design, findings that touch markup are dropped: those whose text holds
        // a character reference, and those spanning paragraphs (the tags between).
        let comparable = |found: &[(String, String)]| -> Vec<(String, String)> {
            found
                .iter()
                .filter(|(_, t)| !t.contains(['&', '<', '>', '\n']))
                .cloned()
                .collect()
        };
        assert_eq!(
            comparable(&got),
            comparable(&expected),
            "{}",
            seed.display()
        );
        assert!(got.len() >= comparable(&expected).len());

        let spaced = key(&(paragraphs.join("\n\n") + "\n"), SourceFormat::Text);
        assert_eq!(
            comparable(&md),
            comparable(&spaced),
            "{} as Markdown",
            seed.display()
        );
    }
}

/// A whole-line rule on a line wrapped in tags underlines the text, not the
/// blanked tags, quotes the text in its message, and never offers a fix that
/// would delete the tags.
#[test]
fn line_rules_inside_markup_underline_the_text() {
    let html = "<p>Some prose before the picture, told in full.</p>\n<p class=\"credit\">Greg Baker/AFP via Getty Images</p>\n";
    let found = linter().check_with_format(html, SourceFormat::Html);
    let credit = found
        .iter()
        .find(|d| &*d.rule == "photo-credit")
        .expect("the credit is found");
    let start = html.find("Greg").unwrap();
    assert_eq!(
        (credit.span.start, credit.span.end),
        (start, start + "Greg Baker/AFP via Getty Images".len())
    );
    assert!(
        credit.message.contains("`Greg Baker/AFP via Getty Images`"),
        "{}",
        credit.message
    );

    let markdown =
        "Some prose before the picture, told in full.\n\n> Greg Baker/AFP via Getty Images\n";
    let found = linter().check_with_format(markdown, SourceFormat::Markdown);
    let credit = found
        .iter()
        .find(|d| &*d.rule == "photo-credit")
        .expect("found");
    assert_eq!(credit.span.start, markdown.find("Greg").unwrap());
}
