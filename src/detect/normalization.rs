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

/// Whether every character of `text` is in NFC on its own and has combining
/// class 0, so that the quick check would pass it, read from the bytes
/// without looking a character up: ASCII, U+0080 to U+02FF (Latin letters,
/// before the combining marks) and U+2002 to U+20CF (spaces, dashes, curly
/// quotes, currency signs). Most lines of scraped prose hold nothing else,
/// and the quick check, which decodes and looks up every character, took
/// two thirds of this rule's time on those that are not ASCII. One pass: an
/// ASCII line is read eight bytes at a time, as `str::is_ascii` would. A test
/// checks every character this lets through.
fn plainly_nfc(text: &str) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Eight ASCII bytes at a time: the lines that get here are mostly
        // ASCII, with a curly quote or a dash here and there.
        if let Some(eight) = bytes.get(i..i + 8) {
            let high = u64::from_le_bytes(eight.try_into().expect("8 bytes")) & HIGH;
            if high == 0 {
                i += 8;
                continue;
            }
            i += high.trailing_zeros() as usize / 8;
        }
        i += match bytes[i] {
            0x00..=0x7F => 1,
            // Lead bytes of U+0080 to U+02FF.
            0xC2..=0xCB => 2,
            // U+2000 to U+2FFF: two continuation bytes follow (`text` is UTF-8).
            0xE2 => {
                let c = (u32::from(bytes[i + 1] & 0x3F) << 6) | u32::from(bytes[i + 2] & 0x3F);
                if !(0x002..=0x0CF).contains(&c) {
                    return false;
                }
                3
            }
            _ => return false,
        };
    }
    true
}

impl Detector for Normalization {
    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        for line in &doc.lines {
            let text = doc.slice(line.span);
            if plainly_nfc(text) || is_nfc_quick(text.chars()) == IsNormalized::Yes {
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

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::char::canonical_combining_class;

    /// Every character `plainly_nfc` lets through passes the quick check on
    /// its own and has combining class 0, so that a text of them passes it
    /// too; and it lets through all of the ranges it names.
    #[test]
    fn plainly_nfc_passes_only_what_the_quick_check_passes() {
        let mut passed = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if plainly_nfc(c.encode_utf8(&mut [0; 4])) {
                assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
                assert_eq!(canonical_combining_class(c), 0, "{c:?}");
                passed += 1;
            }
        }
        // ASCII, U+0080 to U+02FF, U+2002 to U+20CF.
        assert_eq!(passed, 0x80 + 0x280 + 0xCE);
        assert!(plainly_nfc("“Café” – 5 € … naïve"));
        assert!(!plainly_nfc("Cafe\u{301}"));
        assert!(!plainly_nfc("a\u{2000}b"));
        assert!(!plainly_nfc("東京"));
        assert!(!plainly_nfc("x\u{20D0}"));
    }

    /// On texts long enough to be read eight bytes at a time, `plainly_nfc`
    /// is true exactly when every character is in its ranges.
    #[test]
    fn plainly_nfc_reads_long_texts_as_characters() {
        let pieces = [
            "a", "word ", "\n", "é", "ÿ", "ʃ", "“", "—", "€", "\u{2000}", "\u{301}", "東", "→", "∞",
        ];
        let mut next = crate::testing::xorshift(0x853c_49e6_748f_ea9b);
        for _ in 0..20_000 {
            let text: String = (0..next() % 40)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let expected = text
                .chars()
                .all(|c| matches!(u32::from(c), 0..=0x2FF | 0x2002..=0x20CF));
            assert_eq!(plainly_nfc(&text), expected, "{text:?}");
        }
    }
}
