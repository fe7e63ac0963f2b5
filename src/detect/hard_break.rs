//! `kind = "hard-break"`: a line break inside a sentence.
//!
//! Two shapes, one per `style`: `break` (the default), a line that ends without
//! final punctuation and a next line that starts in lowercase ("carried out
//! on⏎religious identity"); and `period`, a line ending with a period whose next
//! line still starts in lowercase ("resulted in.⏎severe restrictions"). Classified lines (chrome, credits, links) are never judged, and
//! a hard-wrapped document (see `Document::hard_wrapped`) is left alone: there,
//! breaks inside paragraphs are the format, not damage.
//!
//! Joining the lines is safe; joining across a period also deletes the period and
//! is unsafe, since the period may be right and the lowercase word wrong.

use super::{Detector, Finding, ParamError};
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::schema::RawRule;

#[derive(Debug)]
pub struct HardBreak {
    period: bool,
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    let period = match rule
        .style
        .as_ref()
        .map(|s| (s.get_ref().as_str(), s.span()))
    {
        None | Some(("break", _)) => false,
        Some(("period", _)) => true,
        Some((other, span)) => {
            return Err(ParamError::at(
                span,
                format!("unknown style `{other}`: expected `break` or `period`"),
            ))
        }
    };
    Ok(Box::new(HardBreak { period }))
}

/// "U.S." or "etc." at the end of a line is no sentence end.
fn ends_with_abbreviation(line: &str) -> bool {
    let last = line.rsplit(char::is_whitespace).next().unwrap_or("");
    let core = last.trim_end_matches('.');
    core.contains('.')
        || matches!(
            core.to_lowercase().as_str(),
            "etc" | "vs" | "approx" | "no" | "al"
        )
}

/// Four spaces or a tab: an indented block.
fn indented(doc: &Document, line: &crate::document::Line) -> bool {
    let text = doc.slice(line.span);
    text.starts_with('\t') || text.starts_with("    ")
}

impl Detector for HardBreak {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        if doc.hard_wrapped {
            return;
        }
        for (i, pair) in doc.lines.windows(2).enumerate() {
            let (a, b) = (&pair[0], &pair[1]);
            if a.blank || b.blank || !b.starts_lower || a.class.is_some() || b.class.is_some() {
                continue;
            }
            if indented(doc, a) || indented(doc, b) {
                continue; // code, verse or a block quote: its lines are its own
            }
            let a_text = doc.slice(a.trimmed);
            let ends_period = a_text.ends_with('.') && !a_text.ends_with("..");
            if ends_period != self.period || (a.ends_clause && !ends_period) {
                continue;
            }
            if ends_period && ends_with_abbreviation(a_text) {
                continue;
            }
            let (Some(last), Some(first)) = (a.words.clone().last(), b.words.clone().next()) else {
                continue;
            };
            let span = Span::new(doc.words[last].span().start, doc.words[first].span().end);
            let fix = if ends_period {
                Fix::new(
                    Applicability::Unsafe,
                    "delete the period and join the lines",
                    vec![Edit::replace(
                        Span::new(a.trimmed.end - 1, b.trimmed.start),
                        " ",
                    )],
                )
            } else {
                Fix::new(
                    Applicability::Safe,
                    "join the lines",
                    vec![Edit::replace(
                        Span::new(a.trimmed.end, b.trimmed.start),
                        " ",
                    )],
                )
            };
            out.push(
                Finding::new(span)
                    .with_fix(fix)
                    .with_var("line", (i + 1).to_string()),
            );
        }
    }
}
