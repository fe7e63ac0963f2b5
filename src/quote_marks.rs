//! Pairs the double quotation marks of each paragraph, a fact of the text that
//! several rules read (mismatched pairs, balance, quote style).
//!
//! A stack per paragraph: `“` opens, `”` closes, a straight `"` closes whatever
//! is open or else opens. A pair made of one curly and one straight mark is a
//! *mismatch*. A closing mark with nothing open is *stray*; an opening mark still
//! open at the end of the paragraph is *unclosed*, unless the next paragraph opens
//! a quote again (the convention for quotations that run over several
//! paragraphs). A `"` after a digit is an inch mark and is ignored, and so are
//! marks inside inline code.

use crate::document::Document;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A straight mark paired with a curly one; the curly mark it should be.
    Mismatch(usize, char),
    Stray(usize, char),
    Unclosed(usize, char),
    /// A consistent pair: its two positions and whether it is curly.
    Pair(usize, usize, bool),
}

fn starts_with_opener(doc: &Document, para: usize) -> bool {
    doc.paragraphs
        .get(para)
        .is_some_and(|p| doc.slice(p.span).starts_with(['“', '"']))
}

/// The double quotation marks of a paragraph's text: `"`, `“` and `”`, found by
/// their first byte (`“` and `”` are E2 80 9C and E2 80 9D in UTF-8).
fn quote_marks(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'"', 0xE2, bytes).filter_map(move |i| match bytes[i] {
        b'"' => Some((i, '"')),
        _ => match bytes.get(i + 1..i + 3) {
            Some([0x80, 0x9C]) => Some((i, '“')),
            Some([0x80, 0x9D]) => Some((i, '”')),
            _ => None,
        },
    })
}

/// The character before byte `i` of a paragraph starting at `start`, as the
/// scan sees it: quotation marks inside inline code are passed over, and a
/// paragraph starts after a space.
fn previous(doc: &Document, text: &str, start: usize, i: usize) -> char {
    text[..i]
        .char_indices()
        .rev()
        .find(|&(j, c)| !(matches!(c, '“' | '”' | '"') && doc.in_code(start + j)))
        .map_or(' ', |(_, c)| c)
}

fn scan(doc: &Document, para: usize, events: &mut Vec<Event>) {
    let span = doc.paragraphs[para].span;
    let text = doc.slice(span);
    let mut stack: Vec<(usize, char)> = Vec::new();
    for (i, c) in quote_marks(text) {
        let at = span.start + i;
        if doc.in_code(at) {
            continue;
        }
        match c {
            '“' => stack.push((at, c)),
            '”' => match stack.pop() {
                Some((open, '"')) => events.push(Event::Mismatch(open, '“')),
                Some((open, _)) => events.push(Event::Pair(open, at, true)),
                None => events.push(Event::Stray(at, c)),
            },
            _ if !previous(doc, text, span.start, i).is_ascii_digit() => match stack.pop() {
                Some((_, '“')) => events.push(Event::Mismatch(at, '”')),
                Some((open, _)) => events.push(Event::Pair(open, at, false)),
                None => stack.push((at, c)),
            },
            _ => {}
        }
    }
    if !starts_with_opener(doc, para + 1) {
        events.extend(stack.into_iter().map(|(at, c)| Event::Unclosed(at, c)));
    }
}

/// Every paragraph's events, in order. Use `Document::quote_events`, which
/// computes them once for all the rules that read them.
pub(crate) fn scan_all(doc: &Document) -> Vec<Event> {
    let mut events = Vec::new();
    for para in 0..doc.paragraphs.len() {
        scan(doc, para, &mut events);
    }
    events
}
