//! The text model every detector shares: lines, paragraphs, sentences and words,
//! each with its byte span, plus the per-line facts several detectors need.
//!
//! Built once per file in one pass over the bytes. Line classes (chrome, credit,
//! caption, ...) start empty and are filled in by the engine as classifying rules
//! run, so that later detectors can skip what is not prose.

use crate::diagnostic::Span;
use crate::source::{bom_len, LineIndex};
use std::cell::Cell;
use std::iter::Peekable;
use std::sync::OnceLock;

pub mod words;

pub use words::Word;

/// What a line turned out to be, once classifying rules have looked at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineClass {
    /// Page furniture: toolbars, widgets, comment forms, date stamps.
    Chrome,
    /// A photo credit ("Name/AFP via Getty Images").
    Credit,
    /// A photo caption, or a headline attached to one.
    Caption,
    /// An advertisement or promotion.
    Ad,
    /// A link to another article.
    Link,
}

impl LineClass {
    pub fn parse(name: &str) -> Option<LineClass> {
        Some(match name {
            "chrome" => LineClass::Chrome,
            "credit" => LineClass::Credit,
            "caption" => LineClass::Caption,
            "ad" => LineClass::Ad,
            "link" => LineClass::Link,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Line {
    /// The line without its terminator.
    pub span: Span,
    /// The line without leading and trailing white space (empty if blank).
    pub trimmed: Span,
    pub blank: bool,
    /// Index range into `Document::words`.
    pub words: std::ops::Range<usize>,
    /// Ends with `.`, `!`, `?` or `…`, possibly followed by closing quotes or brackets.
    pub ends_sentence: bool,
    /// Ends with a character after which a line break is normal (`:` `;` `,` excluded).
    pub ends_clause: bool,
    /// The first letter of the line is lowercase.
    pub starts_lower: bool,
    pub class: Option<LineClass>,
}

impl Line {
    pub fn word_count(&self) -> usize {
        self.words.len()
    }
}

/// A run of lines forming one paragraph.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub span: Span,
    /// Index range into `Document::lines`.
    pub lines: std::ops::Range<usize>,
}

#[derive(Debug)]
pub struct Document<'a> {
    pub text: &'a str,
    /// Where the text after a byte-order mark starts.
    pub body_start: usize,
    pub lines: Vec<Line>,
    pub paragraphs: Vec<Paragraph>,
    pub words: Vec<Word>,
    /// Most lines are wrapped at a fixed width: line breaks inside paragraphs are normal.
    pub hard_wrapped: bool,
    /// Inline code between backticks (`` `like this` ``), sorted: not prose.
    pub code_spans: Vec<Span>,
    index: OnceLock<LineIndex>,
    sentences: OnceLock<Vec<Span>>,
    quote_events: OnceLock<Vec<crate::quote_marks::Event>>,
    gate_text: OnceLock<Option<Vec<u8>>>,
    /// See `is_technical`; forgotten when a line is classified.
    technical: OnceLock<bool>,
    /// See `word_hashes`.
    hashes: Vec<u64>,
}

/// The vectors of a dropped document, for the next one on the thread (which
/// empties them):
/// a folder of small files would otherwise allocate and free them per file.
#[derive(Default)]
struct Buffers {
    lines: Vec<Line>,
    words: Vec<Word>,
    hashes: Vec<u64>,
    code_spans: Vec<Span>,
}

thread_local! {
    static SPARE: Cell<Buffers> = Cell::default();
}

/// Words a kept `Buffers` may hold room for (16 bytes each, and 8 more for the
/// hash: at most 24 MB a thread, a 4 MiB part's words): larger ones go back to
/// the allocator. A large buffer kept spares the next large file a page fault
/// every 4 KB of it.
const SPARE_WORDS: usize = 1 << 20;

impl Drop for Document<'_> {
    fn drop(&mut self) {
        if self.words.capacity() <= SPARE_WORDS {
            SPARE.set(Buffers {
                lines: std::mem::take(&mut self.lines),
                words: std::mem::take(&mut self.words),
                hashes: std::mem::take(&mut self.hashes),
                code_spans: std::mem::take(&mut self.code_spans),
            });
        }
    }
}

/// Characters that may follow a sentence's final punctuation.
pub fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '›' | '*' | '_'
    )
}

pub fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

impl<'a> Document<'a> {
    /// The model of `text`, which must be shorter than 4 GiB: word offsets
    /// are `u32` (see `Word`). Panics otherwise.
    pub fn new(text: &'a str) -> Self {
        let body_start = bom_len(text);
        let Buffers {
            mut lines,
            mut words,
            mut hashes,
            mut code_spans,
        } = SPARE.take();
        lines.clear();
        words.clear();
        hashes.clear();
        code_spans.clear();
        lines.reserve(text.len() / 80);
        words.reserve(text.len() / 6);
        hashes.reserve(text.len() / 6);
        let mut start = body_start;
        let bytes = text.as_bytes();
        // One search each for the whole text rather than one per line.
        let mut backticks = memchr::memchr_iter(b'`', bytes).peekable();
        let mut newlines = memchr::memchr_iter(b'\n', &bytes[body_start..]).map(|i| body_start + i);
        while start <= text.len() {
            let nl = newlines.next();
            let (end, next) = match nl {
                Some(i) => (
                    if i > start && bytes[i - 1] == b'\r' {
                        i - 1
                    } else {
                        i
                    },
                    i + 1,
                ),
                None => (text.len(), text.len() + 1),
            };
            if nl.is_none() && start == text.len() && !lines.is_empty() {
                break; // no empty phantom line after a final newline
            }
            let line_no = lines.len() as u32;
            let first_word = words.len();
            words::tokenize(
                text,
                Span::new(start, end),
                line_no,
                &mut words,
                &mut hashes,
            );
            backtick_spans(&mut backticks, end, &mut code_spans);
            lines.push(make_line(
                text,
                Span::new(start, end),
                first_word..words.len(),
            ));
            start = next;
        }
        let hard_wrapped = detect_hard_wrap(&lines);
        let paragraphs = split_paragraphs(text, &lines, hard_wrapped);
        Document {
            text,
            body_start,
            lines,
            paragraphs,
            words,
            hard_wrapped,
            code_spans,
            index: OnceLock::new(),
            sentences: OnceLock::new(),
            quote_events: OnceLock::new(),
            gate_text: OnceLock::new(),
            technical: OnceLock::new(),
            hashes,
        }
    }

    pub fn slice(&self, span: Span) -> &'a str {
        &self.text[span.start..span.end]
    }

    pub fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(self.text))
    }

    /// The 0-based line holding a byte offset.
    pub fn line_at(&self, offset: usize) -> usize {
        match self.lines.binary_search_by(|l| l.span.start.cmp(&offset)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        }
    }

    /// Sentences: spans inside paragraphs ending after terminal punctuation
    /// followed by a capital, digit or opening quote. Computed on first use.
    pub fn sentences(&self) -> &[Span] {
        self.sentences.get_or_init(|| split_sentences(self))
    }

    /// The double quotation marks of each paragraph, paired (see `quote_marks`).
    /// Computed on first use, once for every rule that reads them.
    pub fn quote_events(&self) -> &[crate::quote_marks::Event] {
        self.quote_events
            .get_or_init(|| crate::quote_marks::scan_all(self))
    }

    /// The text in ASCII lowercase, for gates that look for literals ignoring
    /// case (`detect::gate`), written once for every rule that asks; `None`
    /// when the text holds a character outside ASCII that matches an ASCII
    /// letter ignoring case (then no literal can be ruled out that way).
    pub fn gate_text(&self) -> Option<&[u8]> {
        self.gate_text
            .get_or_init(|| crate::detect::gate::lowercase(self.text))
            .as_deref()
    }

    /// The hash of each word's lowercase form (`words::lower_hash`), indexed like
    /// `words`: computed by the tokenizer while it reads each word, once for
    /// every rule that compares words.
    pub fn word_hashes(&self) -> &[u64] {
        &self.hashes
    }

    pub fn word_text(&self, i: usize) -> &'a str {
        self.slice(self.words[i].span())
    }

    /// Whether a byte offset lies inside inline code.
    pub fn in_code(&self, offset: usize) -> bool {
        let i = self.code_spans.partition_point(|s| s.end <= offset);
        self.code_spans.get(i).is_some_and(|s| s.start <= offset)
    }

    /// Technical text: at least ten words, and 2% of the words, are code
    /// (identifiers, paths, URLs), not counting lines already classified (a
    /// credit "Name/AFP" is no identifier). There, unknown compounds are names
    /// of things, not accidents. Worked out once for all the rules that ask
    /// (a pass over every word), and again after a line is classified.
    pub fn is_technical(&self) -> bool {
        *self.technical.get_or_init(|| {
            let code = self
                .words
                .iter()
                .filter(|w| w.code && self.lines[w.line as usize].class.is_none())
                .count();
            code >= 10 && code * 50 >= self.words.len()
        })
    }

    /// Whether the line has been classified as something other than prose.
    pub fn is_classified(&self, line: usize) -> bool {
        self.lines[line].class.is_some()
    }

    pub fn set_class(&mut self, span: Span, class: LineClass) {
        let first = self.line_at(span.start);
        let last = self.line_at(span.end.saturating_sub(1).max(span.start));
        for line in &mut self.lines[first..=last] {
            if line.class.is_none() {
                line.class = Some(class);
            }
        }
        self.technical.take();
    }
}

/// Pairs of backticks on one line, each pair with what it encloses: the line
/// ends at `end`, and `backticks` (the text's, in order) holds none before it.
fn backtick_spans(
    backticks: &mut Peekable<impl Iterator<Item = usize>>,
    end: usize,
    out: &mut Vec<Span>,
) {
    let mut open: Option<usize> = None;
    while let Some(i) = backticks.next_if(|&i| i < end) {
        match open.take() {
            Some(o) => out.push(Span::new(o, i + 1)),
            None => open = Some(i),
        }
    }
}

fn make_line(text: &str, span: Span, words: std::ops::Range<usize>) -> Line {
    let s = &text[span.start..span.end];
    let rest = s.trim_start();
    let lead = s.len() - rest.len();
    let trimmed_str = rest.trim_end();
    let trimmed = Span::new(span.start + lead, span.start + lead + trimmed_str.len());
    let core = trimmed_str.trim_end_matches(is_closer);
    let last = core.chars().next_back();
    let ends_sentence = last.is_some_and(is_terminal);
    let ends_clause = ends_sentence || last.is_some_and(|c| matches!(c, ':' | ';'));
    // The first letter is the first character, lowercase.
    let starts_lower = trimmed_str
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() && c.is_lowercase());
    Line {
        span,
        trimmed,
        blank: trimmed_str.is_empty(),
        words,
        ends_sentence,
        ends_clause,
        starts_lower,
        class: None,
    }
}

/// A document is hard-wrapped when most of its text lines run on into the next one
/// and have similar lengths, as in e-mail, Gutenberg texts or OCR output.
fn detect_hard_wrap(lines: &[Line]) -> bool {
    let text_lines: Vec<&Line> = lines.iter().filter(|l| !l.blank).collect();
    if text_lines.len() < 6 {
        return false;
    }
    let continued = lines
        .windows(2)
        .filter(|w| !w[0].blank && !w[1].blank && !w[0].ends_sentence)
        .count();
    let widths_ok = text_lines
        .iter()
        .filter(|l| (30..=110).contains(&l.trimmed.len()))
        .count();
    continued * 3 >= text_lines.len() && widths_ok * 10 >= text_lines.len() * 6
}

fn split_paragraphs(text: &str, lines: &[Line], hard_wrapped: bool) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        if line.blank {
            if let Some(s) = start.take() {
                out.push(paragraph(lines, s, i));
            }
            continue;
        }
        if let Some(s) = start {
            let prev = &lines[i - 1];
            let first = text[line.trimmed.start..].chars().next().unwrap_or(' ');
            let new_sentence =
                first.is_uppercase() || first.is_numeric() || "“\"‘'([-•*".contains(first);
            if !hard_wrapped && prev.ends_sentence && new_sentence {
                out.push(paragraph(lines, s, i));
                start = Some(i);
            }
        } else {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(paragraph(lines, s, lines.len()));
    }
    out
}

fn paragraph(lines: &[Line], first: usize, end: usize) -> Paragraph {
    Paragraph {
        span: Span::new(lines[first].trimmed.start, lines[end - 1].trimmed.end),
        lines: first..end,
    }
}

fn split_sentences(doc: &Document) -> Vec<Span> {
    let mut out = Vec::new();
    for p in &doc.paragraphs {
        let s = doc.slice(p.span);
        let mut start = 0;
        let mut it = s.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if !is_terminal(c) {
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = it.peek() {
                if is_closer(n) || is_terminal(n) {
                    end = j + n.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            let rest = &s[end..];
            let after = rest.trim_start();
            if rest.len() == after.len() && !after.is_empty() {
                continue; // "3.5", "U.S." — no space, no boundary
            }
            let next = after.chars().next();
            if next.is_none_or(|n| n.is_uppercase() || n.is_numeric() || "“\"‘'(".contains(n)) {
                out.push(Span::new(p.span.start + start, p.span.start + end));
                start = end + (rest.len() - after.len());
            }
        }
        if start < s.len() {
            out.push(Span::new(p.span.start + start, p.span.end));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_words_and_facts() {
        let doc = Document::new("\u{feff}Hello, world.\r\nit's a re-run\n\nNext");
        assert_eq!(doc.lines.len(), 4);
        assert_eq!(doc.slice(doc.lines[0].span), "Hello, world.");
        assert!(doc.lines[0].ends_sentence);
        assert!(doc.lines[1].starts_lower);
        assert!(doc.lines[2].blank);
        let words: Vec<&str> = (0..doc.words.len()).map(|i| doc.word_text(i)).collect();
        assert_eq!(words, ["Hello", "world", "it's", "a", "re-run", "Next"]);
        assert_eq!(doc.paragraphs.len(), 2);
    }

    /// Whether a text is technical is kept once asked, and asked again
    /// after a line is classified: code on a classified line does not count.
    #[test]
    fn classifying_lines_can_make_a_text_no_longer_technical() {
        let code_line = "See os.path, run(), some_name, a.b, c.d, e_f, g(), h.i, j_k, l.m.";
        let text = format!("{code_line}\nPlain words of prose here.\n");
        let mut doc = Document::new(&text);
        assert!(doc.is_technical());
        doc.set_class(Span::new(0, code_line.len()), LineClass::Chrome);
        assert!(!doc.is_technical());
    }

    /// A document built after a larger one was dropped (whose buffers it
    /// takes over) is the document built from scratch.
    #[test]
    fn buffers_of_a_dropped_document_leave_nothing_behind() {
        let model = |doc: &Document| {
            format!(
                "{:?}",
                (&doc.lines, &doc.words, &doc.code_spans, doc.word_hashes())
            )
        };
        let text = "Short `code` text.\nSecond line";
        let fresh = model(&Document::new(text));
        let before =
            Document::new("A longer one, with `more` code `spans`.\n\nAnd lines\nand words.\n");
        assert!(before.words.len() > 5 && before.code_spans.len() == 2);
        drop(before);
        let after = Document::new(text);
        assert!(
            after.words.capacity() > after.words.len(),
            "took the spare buffers"
        );
        assert_eq!(model(&after), fresh);
    }

    #[test]
    fn inline_code_spans() {
        let doc = Document::new("use `a \"b` here\nand `c` too `open");
        let spans: Vec<&str> = doc.code_spans.iter().map(|&s| doc.slice(s)).collect();
        assert_eq!(spans, ["`a \"b`", "`c`"]);
        assert!(doc.in_code(doc.text.find('"').unwrap()));
        assert!(!doc.in_code(doc.text.find("here").unwrap()));
    }

    #[test]
    fn code_like_words_are_marked() {
        let doc =
            Document::new("Use os.path or run() with some_name and `x`, then stop. Or and/or.");
        let code: Vec<&str> = (0..doc.words.len())
            .filter(|&i| doc.words[i].code)
            .map(|i| doc.word_text(i))
            .collect();
        assert_eq!(
            code,
            ["os", "path", "run", "some", "name", "x", "and", "or"]
        );
    }

    #[test]
    fn one_line_paragraphs_without_blank_lines() {
        let doc = Document::new("First one.\nSecond one.\nbroken\nline.");
        let paras: Vec<&str> = doc.paragraphs.iter().map(|p| doc.slice(p.span)).collect();
        assert_eq!(paras, ["First one.", "Second one.\nbroken\nline."]);
    }

    #[test]
    fn sentences_split_on_terminal_punctuation() {
        let doc = Document::new("He said “no.” Then 3.5 left. U.S. troops went? Yes");
        let s: Vec<&str> = doc.sentences().iter().map(|&sp| doc.slice(sp)).collect();
        assert_eq!(
            s,
            [
                "He said “no.”",
                "Then 3.5 left.",
                "U.S. troops went?",
                "Yes"
            ]
        );
    }

    #[test]
    fn final_newline_makes_no_phantom_line() {
        assert_eq!(Document::new("a\n").lines.len(), 1);
        assert_eq!(Document::new("").lines.len(), 1);
    }
}
