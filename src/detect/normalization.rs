//! `kind = "normalization"`: text not in Unicode normalization form C, such as an
//! "e" followed by a combining accent where "é" is expected. Such text looks right
//! but breaks search and comparison. Recomposing is safe.

use super::{Detector, Finding, ParamError};
use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::document::Document;
use crate::rules::schema::RawRule;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

#[derive(Debug)]
pub struct Normalization;

pub fn compile(_rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    Ok(Box::new(Normalization))
}

impl Detector for Normalization {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        for line in &doc.lines {
            let text = doc.slice(line.span);
            if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
                continue;
            }
            // Clusters: a base character and the combining marks after it.
            let mut chars = text.char_indices().peekable();
            while let Some((start, _)) = chars.next() {
                let mut end = text.len();
                while let Some(&(j, c)) = chars.peek() {
                    if !is_combining_mark(c) {
                        end = j;
                        break;
                    }
                    chars.next();
                }
                let cluster = &text[start..end];
                let composed: String = cluster.nfc().collect();
                if composed != cluster {
                    let span = Span::new(line.span.start + start, line.span.start + end);
                    let fix = Fix::new(
                        Applicability::Safe,
                        format!("use the composed form `{composed}`"),
                        vec![Edit::replace(span, composed.clone())],
                    );
                    out.push(
                        Finding::new(span)
                            .with_fix(fix)
                            .with_var("composed", composed),
                    );
                }
            }
        }
    }

    fn prose_only(&self) -> bool {
        false
    }
}
