//! Bytes to text: decoding, byte-order marks, and the line index that turns byte
//! offsets into the line/column pairs people read.
//!
//! Offsets stay byte offsets into the *original file* everywhere inside residue; a
//! UTF-8 BOM is kept in the text (so offsets need no shifting) and reported as the
//! start of the body instead.

use std::fmt;
use std::sync::OnceLock;

/// Why a file could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A NUL byte in the first block: the file is binary, not prose.
    Binary,
    /// The bytes are not UTF-8; `offset` is the first bad byte.
    InvalidUtf8 {
        offset: usize,
        line: usize,
        column: usize,
    },
    /// A UTF-16 byte-order mark: residue reads UTF-8 only.
    Utf16,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Binary => write!(f, "binary file (contains NUL bytes), not linted"),
            DecodeError::InvalidUtf8 { line, column, .. } => write!(
                f,
                "{line}:{column}: invalid UTF-8 (residue reads UTF-8 text only; re-encode the file)"
            ),
            DecodeError::Utf16 => write!(f, "UTF-16 text is not supported; re-encode as UTF-8"),
        }
    }
}

impl std::error::Error for DecodeError {}

const BOM: &str = "\u{feff}";

/// Decodes a whole file. Never copies: the text borrows the bytes.
pub fn decode(bytes: &[u8]) -> Result<&str, DecodeError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(DecodeError::Utf16);
    }
    let head = &bytes[..bytes.len().min(8192)];
    if memchr_nul(head) {
        return Err(DecodeError::Binary);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        // The prefix is valid UTF-8 by definition, so the index can be built on it.
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let (line, column) = LineIndex::new(valid).line_col(valid, offset);
        DecodeError::InvalidUtf8 {
            offset,
            line,
            column,
        }
    })
}

fn memchr_nul(bytes: &[u8]) -> bool {
    // The memchr crate's vectorized search: `<[u8]>::contains` reads a word
    // at a time, and on 10,000 files of 1 KB cost 9 million instructions more.
    memchr::memchr(0, bytes).is_some()
}

/// Offsets just after each `\n`.
fn memchr_lines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes).map(|i| i + 1)
}

/// Length of a leading UTF-8 byte-order mark (0 or 3).
pub fn bom_len(text: &str) -> usize {
    if text.starts_with(BOM) {
        BOM.len()
    } else {
        0
    }
}

/// Byte offsets of line starts, for offset -> (line, column) conversion.
///
/// Columns count characters, which costs a scan from the line start; on a line
/// of megabytes with many findings that would be quadratic. So the index also
/// keeps the running character count at every `BLOCK` bytes, and a column costs
/// at most one block's scan.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters before each block boundary (`block_chars[k]` = chars in
    /// `..k*BLOCK`): counted the first time a column is on a long line.
    block_chars: OnceLock<Vec<usize>>,
}

const BLOCK: usize = 4096;

/// Characters in a UTF-8 byte slice: the bytes that start one.
fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// UTF-16 code units of a UTF-8 byte slice: one per character, two for those
/// beyond the Basic Multilingual Plane (four UTF-8 bytes, lead byte 0xF0 and up).
/// Counting bytes, not decoding, keeps editor positions cheap on long lines.
fn utf16_len(bytes: &[u8]) -> usize {
    char_count(bytes) + bytes.iter().filter(|&&b| b >= 0xF0).count()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(memchr_lines(bytes));
        LineIndex {
            starts,
            block_chars: OnceLock::new(),
        }
    }

    /// Characters before a byte offset.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block_chars = self.block_chars.get_or_init(|| {
            let bytes = text.as_bytes();
            let mut block_chars = Vec::with_capacity(bytes.len() / BLOCK + 1);
            let mut total = 0;
            for chunk in bytes.chunks(BLOCK) {
                block_chars.push(total);
                total += char_count(chunk);
            }
            block_chars.push(total);
            block_chars
        });
        let block = offset / BLOCK;
        block_chars[block] + char_count(&text.as_bytes()[block * BLOCK..offset])
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line]
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and column; the column counts Unicode scalar values, and the
    /// BOM is not counted as a column.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let mut start = self.starts[line];
        if line == 0 {
            start += bom_len(text);
        }
        let offset = offset.max(start);
        // Most columns are short: count them; a long line takes the blocks.
        let column = if offset - start <= BLOCK {
            char_count(&text.as_bytes()[start..offset])
        } else {
            self.chars_before(text, offset) - self.chars_before(text, start)
        };
        let column = column + 1;
        (line + 1, column)
    }

    /// 0-based line and UTF-16 code-unit column, for editors.
    pub fn line_col_utf16(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = utf16_len(&text.as_bytes()[start..offset]);
        (line, column)
    }

    /// Byte offset of a 0-based line and UTF-16 column (clamped to the line).
    pub fn offset_utf16(&self, text: &str, line: usize, column: usize) -> usize {
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.starts[line];
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            if units >= column || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_invalid_utf8_are_errors() {
        assert_eq!(decode(b"abc\0def"), Err(DecodeError::Binary));
        let err = decode(b"ok\nbad \xff here").unwrap_err();
        assert_eq!(
            err,
            DecodeError::InvalidUtf8 {
                offset: 7,
                line: 2,
                column: 5
            }
        );
        assert_eq!(decode(b"\xff\xfeh\0i\0"), Err(DecodeError::Utf16));
        assert_eq!(decode(b""), Ok(""));
    }

    #[test]
    fn columns_count_scalar_values_and_skip_the_bom() {
        let text = "\u{feff}héllo\nwörld";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 3), (1, 1));
        assert_eq!(idx.line_col(text, text.find("llo").unwrap()), (1, 3));
        assert_eq!(idx.line_col(text, text.find("rld").unwrap()), (2, 3));
    }

    #[test]
    fn columns_on_a_long_line_cross_block_boundaries() {
        let text = format!("{}é{}x", "a".repeat(5000), "b".repeat(9000));
        let idx = LineIndex::new(&text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(&text, x), (1, 14002));
        let e = text.find('é').unwrap();
        assert_eq!(idx.line_col(&text, e + 2), (1, 5002));
    }

    #[test]
    fn utf16_round_trip() {
        let text = "a😀b\nc";
        let idx = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(idx.line_col_utf16(text, b), (0, 3));
        assert_eq!(idx.offset_utf16(text, 0, 3), b);
        assert_eq!(idx.offset_utf16(text, 1, 0), text.find('c').unwrap());
    }

    /// The byte count gives what decoding gives, for every width of character.
    #[test]
    fn utf16_columns_match_decoding() {
        let text = "ascii é ü 中文 😀 \u{10FFFF} e\u{301} end\nsecond 😀😀 x";
        let idx = LineIndex::new(text);
        for (offset, _) in text.char_indices() {
            let line = idx.line_of(offset);
            let start = idx.line_start(line);
            let want = text[start..offset].encode_utf16().count();
            assert_eq!(
                idx.line_col_utf16(text, offset),
                (line, want),
                "at {offset}"
            );
        }
    }
}
