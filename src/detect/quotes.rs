//! Quotation marks: mismatched pairs, unbalanced quotes, and mixed styles, all
//! read from the document's pairing of its double quotes
//! (`Document::quote_events`, see `quote_marks`). A mismatch is reported at its
//! straight mark, with the curly mark it should be as a safe fix.

use super::{Detector, Finding, ParamError};
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::words::Shape;
use crate::document::Document;
use crate::quote_marks::Event;
use crate::rules::schema::RawRule;

fn char_span(doc: &Document, at: usize) -> Span {
    let len = doc.text[at..].chars().next().map_or(1, char::len_utf8);
    Span::new(at, at + len)
}

/// `kind = "quote-pairs"`.
#[derive(Debug)]
pub struct QuotePairs;

pub fn compile_pairs(_rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    Ok(Box::new(QuotePairs))
}

impl Detector for QuotePairs {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        for &event in doc.quote_events() {
            if let Event::Mismatch(at, should) = event {
                let span = char_span(doc, at);
                let fix = Fix::new(
                    Applicability::Safe,
                    format!("use `{should}`"),
                    vec![Edit::replace(span, should.to_string())],
                );
                out.push(
                    Finding::new(span)
                        .with_fix(fix)
                        .with_var("quote", should.to_string()),
                );
            }
        }
    }
}

/// `kind = "quote-balance"`.
#[derive(Debug)]
pub struct QuoteBalance;

pub fn compile_balance(_rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    Ok(Box::new(QuoteBalance))
}

impl Detector for QuoteBalance {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        for &event in doc.quote_events() {
            let (at, how) = match event {
                Event::Stray(at, _) => (at, "closes a quotation that was never opened"),
                Event::Unclosed(at, _) => (at, "opens a quotation that is never closed"),
                _ => continue,
            };
            out.push(Finding::new(char_span(doc, at)).with_var("how", how));
        }
    }
}

/// `kind = "quote-style"`: apostrophes and quotation marks in the minority style of
/// the document ("China’s" in a text that writes "Bachelet's"). `style` may force a
/// house style (`straight` or `curly`) instead of the majority; `threshold` is the
/// largest minority share still reported (default 0.25), so a text that mixes the
/// two evenly is not buried in findings.
#[derive(Debug)]
pub struct QuoteStyle {
    forced: Option<bool>,
    threshold: f64,
}

pub fn compile_style(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    let forced = match rule
        .style
        .as_ref()
        .map(|s| (s.get_ref().as_str(), s.span()))
    {
        None | Some(("majority", _)) => None,
        Some(("curly", _)) => Some(true),
        Some(("straight", _)) => Some(false),
        Some((other, span)) => {
            return Err(ParamError::at(
                span,
                format!("unknown style `{other}`: expected `majority`, `curly` or `straight`"),
            ))
        }
    };
    Ok(Box::new(QuoteStyle {
        forced,
        threshold: rule
            .threshold
            .as_ref()
            .map(|v| *v.get_ref())
            .unwrap_or(0.25),
    }))
}

/// One styled mark or pair: its spans, whether it is curly, and the curly and
/// straight replacements of each span.
struct Styled {
    spans: Vec<(Span, &'static str, &'static str)>,
    curly: bool,
}

fn apostrophes(doc: &Document, out: &mut Vec<Styled>) {
    for w in doc.words.iter().filter(|w| w.shape.has(Shape::APOSTROPHE)) {
        let text = doc.slice(w.span());
        for (i, c) in text.char_indices() {
            if (c == '\'' || c == '’') && !doc.in_code(w.span().start + i) {
                let span = Span::new(w.span().start + i, w.span().start + i + c.len_utf8());
                out.push(Styled {
                    spans: vec![(span, "’", "'")],
                    curly: c == '’',
                });
            }
        }
    }
}

impl QuoteStyle {
    fn report(&self, items: Vec<Styled>, what: &str, out: &mut Vec<Finding>) {
        let curly = items.iter().filter(|s| s.curly).count();
        let straight = items.len() - curly;
        let want_curly = match self.forced {
            Some(c) => c,
            None => {
                let minority = curly.min(straight) as f64;
                if items.len() < 5
                    || minority == 0.0
                    || minority / items.len() as f64 > self.threshold
                {
                    return;
                }
                curly > straight
            }
        };
        for item in items.into_iter().filter(|s| s.curly != want_curly) {
            let edits = item
                .spans
                .iter()
                .map(|&(span, c, s)| Edit::replace(span, if want_curly { c } else { s }))
                .collect();
            let (style, found) = if want_curly {
                ("curly", "straight")
            } else {
                ("straight", "curly")
            };
            let fix = Fix::new(Applicability::Safe, format!("use the {style} form"), edits);
            let first = item.spans[0].0;
            let shown = Span::new(
                first.start,
                item.spans.last().map_or(first.end, |s| s.0.end),
            );
            let shown = if shown.len() > 60 { first } else { shown };
            out.push(
                Finding::new(shown)
                    .with_fix(fix)
                    .with_var("what", what)
                    .with_var("found", found)
                    .with_var("style", style),
            );
        }
    }
}

impl Detector for QuoteStyle {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let mut marks = Vec::new();
        apostrophes(doc, &mut marks);
        self.report(marks, "apostrophe", out);
        let pairs: Vec<Styled> = doc
            .quote_events()
            .iter()
            .filter_map(|&e| match e {
                Event::Pair(open, close, curly) => Some(Styled {
                    spans: vec![
                        (char_span(doc, open), "“", "\""),
                        (char_span(doc, close), "”", "\""),
                    ],
                    curly,
                }),
                _ => None,
            })
            .collect();
        self.report(pairs, "quotation marks", out);
    }
}
