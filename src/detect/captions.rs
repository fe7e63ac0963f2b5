//! `kind = "caption"`: photo captions pasted into the body text.
//!
//! Reads the line classes set by credit rules. With `style = "caption"` (the
//! default) it flags a prose line directly above a credit line (no blank line
//! between: that is how a caption and its credit come out of a scraper). With
//! `style = "headline"` it flags a short line without final punctuation that stands
//! alone directly above a caption or credit: an image title or the teaser headline
//! of another article.

use super::{Detector, Finding, ParamError, Stage};
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::{Document, LineClass};
use crate::rules::schema::RawRule;

#[derive(Debug)]
pub struct Captions {
    headline: bool,
    max_words: usize,
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    let headline = match rule
        .style
        .as_ref()
        .map(|s| (s.get_ref().as_str(), s.span()))
    {
        None | Some(("caption", _)) => false,
        Some(("headline", _)) => true,
        Some((other, span)) => {
            return Err(ParamError::at(
                span,
                format!("unknown style `{other}`: expected `caption` or `headline`"),
            ))
        }
    };
    let default_words = if headline { 12 } else { 80 };
    Ok(Box::new(Captions {
        headline,
        max_words: rule
            .max_words
            .as_ref()
            .map(|v| *v.get_ref())
            .unwrap_or(default_words),
    }))
}

fn is_credit_or_caption(class: Option<LineClass>) -> bool {
    matches!(class, Some(LineClass::Credit | LineClass::Caption))
}

fn delete_line(doc: &Document, i: usize) -> Fix {
    let line = &doc.lines[i];
    let end = doc
        .lines
        .get(i + 1)
        .map(|l| l.span.start)
        .unwrap_or(line.span.end);
    Fix::new(
        Applicability::Unsafe,
        "delete the line",
        vec![Edit::delete(Span::new(line.span.start, end))],
    )
}

impl Detector for Captions {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let lines = &doc.lines;
        for i in 0..lines.len() {
            let line = &lines[i];
            if line.blank || line.class.is_some() || line.word_count() > self.max_words {
                continue;
            }
            let hit = if self.headline {
                let alone = i == 0 || lines[i - 1].blank;
                let next = (i + 1..lines.len()).take(2).find(|&j| !lines[j].blank);
                alone
                    && !line.ends_clause
                    && line.word_count() >= 2
                    && next.is_some_and(|j| is_credit_or_caption(lines[j].class))
            } else {
                line.ends_sentence
                    && line.word_count() >= 4
                    && lines
                        .get(i + 1)
                        .is_some_and(|n| n.class == Some(LineClass::Credit))
            };
            if hit {
                out.push(Finding::new(line.trimmed).with_fix(delete_line(doc, i)));
            }
        }
    }

    fn stage(&self) -> Stage {
        Stage::Structure
    }

    fn prose_only(&self) -> bool {
        false
    }
}
