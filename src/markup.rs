//! Markdown and HTML sources: lint the prose, not the markup around it.
//!
//! The detectors only understand plain text, and every span must point into the
//! original file. So instead of extracting the prose (and mapping offsets back),
//! we build a *masked* copy of the text with exactly the same byte length: prose
//! bytes stay as they are, markup becomes spaces, and the linter runs on that copy.
//! Spans found in the copy are then already exact byte offsets into the original.
//!
//! Masking can create artefacts of its own (two spaces where a tag was, a line
//! made of spaces, a doubled word across removed code), so any finding that
//! touches a masked byte is dropped: the finding is about markup we chose not to
//! read. Inline code and HTML entities are masked with a placeholder letter rather
//! than spaces, so that the text around them still reads as words separated by
//! the spaces the author typed (`use `x` , then` still has a space before the comma).
//!
//! Newlines (and carriage returns) are never masked, so lines and columns stay put.

use crate::diagnostic::{Diagnostic, Edit, Span};
use crate::engine::{quoted, Linter, Timings};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// How a text is written, which decides what counts as prose in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceFormat {
    #[default]
    Text,
    Markdown,
    Html,
}

impl SourceFormat {
    /// The format a file name implies: `.md`/`.markdown` and `.html`/`.htm`;
    /// anything else is plain text.
    pub fn from_path(path: &str) -> SourceFormat {
        let ext = path
            .rsplit_once('.')
            .map(|(stem, ext)| (stem, ext.to_ascii_lowercase()));
        match ext {
            Some((stem, ext)) if !stem.ends_with('/') && !ext.contains('/') => match ext.as_str() {
                "md" | "markdown" => SourceFormat::Markdown,
                "html" | "htm" => SourceFormat::Html,
                _ => SourceFormat::Text,
            },
            _ => SourceFormat::Text,
        }
    }
}

/// The masked copy of a text and the byte ranges that were masked.
#[derive(Debug, Clone)]
pub struct Masked {
    pub text: String,
    /// Sorted, non-overlapping ranges of the original that are not prose.
    pub masked: Vec<Range<usize>>,
}

impl Masked {
    /// Whether a span touches masked bytes (an empty span counts as one byte wide,
    /// so an insertion point right before markup touches it).
    /// A span without the masked blanks at its ends (masked placeholder words
    /// stay: they stand for content).
    pub fn trim(&self, span: Span) -> Span {
        let blank = |i: usize| {
            matches!(self.text.as_bytes()[i], b' ' | b'\n' | b'\r')
                && self.touches(Span::new(i, i + 1))
        };
        let (mut start, mut end) = (span.start, span.end);
        while start < end && blank(start) {
            start += 1;
        }
        while end > start && blank(end - 1) {
            end -= 1;
        }
        Span::new(start, end)
    }

    pub fn touches(&self, span: Span) -> bool {
        let end = span.end.max(span.start + 1);
        let i = self.masked.partition_point(|r| r.end <= span.start);
        self.masked.get(i).is_some_and(|r| r.start < end)
    }
}

/// What a masked byte becomes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    Space,
    /// A letter, so the masked run still reads as one neutral word.
    Word,
}

/// Builds the masked copy: starts as a copy and overwrites ranges.
struct Mask {
    bytes: Vec<u8>,
    masked: Vec<Range<usize>>,
}

impl Mask {
    fn new(text: &str) -> Self {
        Mask {
            bytes: text.as_bytes().to_vec(),
            masked: Vec::new(),
        }
    }

    fn fill(&mut self, range: Range<usize>, fill: Fill) {
        if range.is_empty() {
            return;
        }
        for b in &mut self.bytes[range.clone()] {
            if *b != b'\n' && *b != b'\r' {
                *b = match fill {
                    Fill::Space => b' ',
                    Fill::Word => b'x',
                };
            }
        }
        self.masked.push(range);
    }

    fn finish(mut self) -> Masked {
        self.masked.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(self.masked.len());
        for r in self.masked {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        // Every masked byte became ASCII and masked ranges are whole characters, so
        // this cannot fail; the fallback keeps the library free of panics.
        let text = String::from_utf8(self.bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Masked {
            text,
            masked: merged,
        }
    }
}

/// Masks everything in a Markdown text except prose: code (fenced, indented and
/// inline), link and image targets, autolinks, front matter, HTML blocks, inline
/// HTML and comments, and the syntax characters themselves (`#`, `*`, `>`, list
/// markers). Only the ranges of text events outside code and metadata are kept.
pub fn mask_markdown(text: &str) -> Masked {
    // Tables and strikethrough are common in scraped Markdown; parsing them masks
    // their pipes and tildes instead of reading them as prose.
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH;
    // Start from "everything is markup" and mark the prose as kept.
    let mut keep = vec![false; text.len()];
    let mut word = Vec::new();
    // Depth inside code blocks, metadata and HTML blocks, whose text is not prose.
    let mut hidden = 0usize;
    // For each open link, whether it is an autolink (its text is the URL itself).
    let mut links: Vec<bool> = Vec::new();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::MetadataBlock(_) | Tag::HtmlBlock) => hidden += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::MetadataBlock(_) | TagEnd::HtmlBlock) => {
                hidden = hidden.saturating_sub(1)
            }
            Event::Start(Tag::Link { link_type, .. }) => {
                links.push(matches!(link_type, LinkType::Autolink | LinkType::Email))
            }
            Event::End(TagEnd::Link) => {
                links.pop();
            }
            // A character reference (`&amp;`) is Markdown syntax for one character:
            // mask it like inline code, so it is neither read as debris nor
            // splits a word.
            Event::Text(t) if is_reference(&text[range.clone()], &t) => word.push(range),
            Event::Text(_) if hidden == 0 && !links.contains(&true) => keep[range].fill(true),
            Event::Code(_) => word.push(range),
            _ => {}
        }
    }
    build(text, &keep, &word)
}

/// Whether a text event's source is a character reference: it decodes to
/// something else and is spelled `&…;`.
fn is_reference(source: &str, decoded: &str) -> bool {
    source != decoded && source.starts_with('&') && entity_end(source, 0) == Some(source.len())
}

fn build(text: &str, keep: &[bool], word: &[Range<usize>]) -> Masked {
    let mut mask = Mask::new(text);
    let mut i = 0;
    while i < keep.len() {
        if keep[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < keep.len() && !keep[i] {
            i += 1;
        }
        mask.fill(start..i, Fill::Space);
    }
    for r in word {
        mask.fill(r.clone(), Fill::Word);
    }
    mask.finish()
}

/// Masks everything in an HTML text except the visible text: tags with their
/// attributes, comments, `<!DOCTYPE>` and CDATA, and the whole content of
/// `script`, `style`, `template`, `textarea`-like raw elements. Character references
/// (`&amp;`, `&#8217;`) are masked with a placeholder word: they are markup for
/// one character, and read literally they would look like scraping debris.
pub fn mask_html(text: &str) -> Masked {
    let bytes = text.as_bytes();
    let mut mask = Mask::new(text);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' if text[i..].starts_with("<!--") => {
                let end = text[i + 4..]
                    .find("-->")
                    .map_or(text.len(), |e| i + 4 + e + 3);
                mask.fill(i..end, Fill::Space);
                i = end;
            }
            b'<' if bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?')) =>
            {
                let end = tag_end(text, i);
                mask.fill(i..end, Fill::Space);
                if let Some(name) = raw_element(&text[i..end]) {
                    let close = format!("</{name}");
                    let body_end = find_ci(&text[end..], &close).map_or(text.len(), |e| end + e);
                    mask.fill(end..body_end, Fill::Space);
                    i = body_end;
                } else {
                    i = end;
                }
            }
            b'&' => match entity_end(text, i) {
                Some(end) => {
                    mask.fill(i..end, Fill::Word);
                    i = end;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    mask.finish()
}

/// The end of a tag starting at `start` (after its `>`), skipping quoted attribute
/// values, which may contain `>`.
fn tag_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(start + 1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    text.len()
}

/// Elements whose content is not visible prose.
fn raw_element(tag: &str) -> Option<&'static str> {
    let name: String = tag[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    ["script", "style", "template", "noscript", "svg", "math"]
        .into_iter()
        .find(|raw| *raw == name)
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    haystack
        .as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The end of a character reference at `start` (`&name;`, `&#123;`, `&#x1F;`).
fn entity_end(text: &str, start: usize) -> Option<usize> {
    let rest = &text.as_bytes()[start + 1..];
    let body = if rest.first() == Some(&b'#') {
        let digits = &rest[1..];
        let hex = matches!(digits.first(), Some(b'x' | b'X'));
        let skip = usize::from(hex);
        let n = digits[skip..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        (n > 0).then_some(1 + skip + n)?
    } else {
        let n = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        (n > 0 && n <= 32).then_some(n)?
    };
    (rest.get(body) == Some(&b';')).then_some(start + 1 + body + 1)
}

/// The masked copy for a format; plain text has nothing to mask.
pub fn mask(text: &str, format: SourceFormat) -> Option<Masked> {
    match format {
        SourceFormat::Text => None,
        SourceFormat::Markdown => Some(mask_markdown(text)),
        SourceFormat::Html => Some(mask_html(text)),
    }
}

/// The markup-aware entry point lives here rather than in `engine.rs`, so the
/// engine stays about rules and detectors.
impl Linter {
    /// Lints a text written in `format`. Spans are byte offsets into `text`.
    pub fn check_with_format(&self, text: &str, format: SourceFormat) -> Vec<Diagnostic> {
        self.check_with_format_timed(text, format, None)
    }

    /// `check_with_format`, adding the time of the document model and of each
    /// rule to `timings` when given (as `Linter::check_timed` does).
    pub fn check_with_format_timed(
        &self,
        text: &str,
        format: SourceFormat,
        timings: Option<&mut Timings>,
    ) -> Vec<Diagnostic> {
        let Some(masked) = mask(text, format) else {
            return self.check_timed(text, timings);
        };
        let mut out = Vec::new();
        for mut d in self.check_timed(&masked.text, timings) {
            // A pattern that allows blanks around its match (`^[ \t]*…[ \t]*$`)
            // takes in the blanks where a tag or a list marker was: those are not
            // part of the artifact.
            let span = masked.trim(d.span);
            if masked.touches(span) {
                continue;
            }
            if span != d.span {
                let (was, is) = (
                    quoted(&masked.text[d.span.start..d.span.end]),
                    quoted(&text[span.start..span.end]),
                );
                d.message = d.message.replace(&was, &is);
                d.span = span;
            }
            let keeps_markup = d.fix.as_ref().is_none_or(|fix| {
                fix.edits
                    .iter()
                    .all(|e| keeps_markup(text, &masked, format, e))
            });
            if !keeps_markup {
                d.fix = None;
            }
            out.push(d);
        }
        out
    }
}

/// Whether an edit found on the masked copy is right for the original. An edit in
/// the prose is. One that reaches into markup could paste placeholder text or
/// break the markup, so it is withheld — except, in Markdown, deleting whole lines,
/// which takes a line's syntax (list or quote marker, emphasis) with it. In HTML
/// even that could unbalance the tags.
fn keeps_markup(text: &str, masked: &Masked, format: SourceFormat, edit: &Edit) -> bool {
    if !masked.touches(Span::new(edit.start, edit.end)) {
        return true;
    }
    let whole_lines = (edit.start == 0 || text.as_bytes()[edit.start - 1] == b'\n')
        && (edit.end == text.len() || text.as_bytes()[edit.end - 1] == b'\n');
    format == SourceFormat::Markdown
        && edit.replacement.is_empty()
        && whole_lines
        && edit.end > edit.start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_path() {
        assert_eq!(SourceFormat::from_path("a/b.md"), SourceFormat::Markdown);
        assert_eq!(
            SourceFormat::from_path("B.MARKDOWN"),
            SourceFormat::Markdown
        );
        assert_eq!(SourceFormat::from_path("x.htm"), SourceFormat::Html);
        assert_eq!(SourceFormat::from_path("x.txt"), SourceFormat::Text);
        assert_eq!(SourceFormat::from_path("dir.md/file"), SourceFormat::Text);
        assert_eq!(SourceFormat::from_path("-"), SourceFormat::Text);
    }

    #[test]
    fn markdown_mask_keeps_length_lines_and_prose() {
        let text = "---\ntitle: x\n---\n# Head\n\nSome *prose* with `code` and [a link](http://e.com).\n\n```\nfenced the the\n```\n\n    indented\n<!-- note -->\n";
        let m = mask_markdown(text);
        assert_eq!(m.text.len(), text.len());
        assert_eq!(m.text.matches('\n').count(), text.matches('\n').count());
        assert!(m.text.contains("Some  prose  with xxxxxx and  a link "));
        assert!(!m.text.contains("title"));
        assert!(!m.text.contains("fenced"));
        assert!(!m.text.contains("indented"));
        assert!(!m.text.contains("http"));
        assert!(!m.text.contains("note"));
        assert!(m.text.contains("Head"));
    }

    #[test]
    fn markdown_character_references_are_masked_as_words() {
        let text = "Tom &amp; Jerry&rsquo;s dog.\n";
        let m = mask_markdown(text);
        assert_eq!(m.text, "Tom xxxxx Jerryxxxxxxxs dog.\n");
    }

    #[test]
    fn markdown_tables_mask_their_pipes() {
        let text = "| a | b |\n|---|---|\n| one | two |\n";
        let m = mask_markdown(text);
        assert!(!m.text.contains('|'), "{:?}", m.text);
        assert!(m.text.contains("one") && m.text.contains("two"));
    }

    #[test]
    fn html_mask_keeps_visible_text() {
        let text = "<html><head><style>p { x: 1 }</style><script>var a = \"<p>\";</script></head>\n<body><p class=\"a>b\">Tom &amp; Jerry</p><!-- c --></body>\n";
        let m = mask_html(text);
        assert_eq!(m.text.len(), text.len());
        assert!(m.text.contains("Tom xxxxx Jerry"));
        assert!(!m.text.contains("var"));
        assert!(!m.text.contains("class"));
        assert!(!m.text.contains('<'));
        let tom = text.find("Tom").unwrap();
        assert!(!m.touches(Span::new(tom, tom + 3)));
        assert!(m.touches(Span::new(tom, tom + 5)));
    }

    #[test]
    fn entities() {
        assert_eq!(entity_end("&amp;x", 0), Some(5));
        assert_eq!(entity_end("&#8217;", 0), Some(7));
        assert_eq!(entity_end("&#x1F;", 0), Some(6));
        assert_eq!(entity_end("& b", 0), None);
        assert_eq!(entity_end("&amp", 0), None);
    }
}
