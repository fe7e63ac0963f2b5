//! Positions as editors count them. Inside residue every offset is a UTF-8 byte
//! offset; editors speak in 0-based (line, column) pairs whose column unit is
//! negotiated: UTF-16 code units by default in the Language Server Protocol,
//! UTF-8 bytes when both sides agree. These pure conversions live in the library
//! so the language server (which does I/O) stays thin, and so they can be tested.

use crate::source::LineIndex;

/// The unit of an editor column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColumnUnit {
    /// Bytes of UTF-8 (LSP `positionEncoding: "utf-8"`).
    Utf8,
    /// UTF-16 code units (the LSP default, and SARIF's default `columnKind`).
    #[default]
    Utf16,
}

/// 0-based line and column of a byte offset.
pub fn position(index: &LineIndex, text: &str, offset: usize, unit: ColumnUnit) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    match unit {
        ColumnUnit::Utf16 => index.line_col_utf16(text, offset),
        ColumnUnit::Utf8 => {
            let line = index.line_of(offset);
            (line, offset - index.line_start(line))
        }
    }
}

/// Byte offset of a 0-based line and column. Out-of-range positions are clamped
/// (a column past the end of a line means its end, a line past the end of the
/// text means the end of the text), as the protocol asks; a column inside a
/// character moves to the character's start.
pub fn offset(
    index: &LineIndex,
    text: &str,
    line: usize,
    column: usize,
    unit: ColumnUnit,
) -> usize {
    match unit {
        ColumnUnit::Utf16 => index.offset_utf16(text, line, column),
        ColumnUnit::Utf8 => {
            if line >= index.line_count() {
                return text.len();
            }
            let start = index.line_start(line);
            let end = if line + 1 < index.line_count() {
                index.line_start(line + 1) - 1 // the '\n'
            } else {
                text.len()
            };
            floor_char_boundary(text, (start + column).min(end))
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Replaces the text between two editor positions, as an incremental document
/// change does. Returns the byte range that was replaced.
pub fn apply_change(
    text: &mut String,
    start: (usize, usize),
    end: (usize, usize),
    new_text: &str,
    unit: ColumnUnit,
) -> std::ops::Range<usize> {
    let index = LineIndex::new(text);
    let from = offset(&index, text, start.0, start.1, unit);
    let to = offset(&index, text, end.0, end.1, unit).max(from);
    text.replace_range(from..to, new_text);
    from..to
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_columns() {
        let text = "a😀b\nçd";
        let idx = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(position(&idx, text, b, ColumnUnit::Utf16), (0, 3));
        assert_eq!(position(&idx, text, b, ColumnUnit::Utf8), (0, 5));
        let d = text.find('d').unwrap();
        assert_eq!(position(&idx, text, d, ColumnUnit::Utf16), (1, 1));
        assert_eq!(position(&idx, text, d, ColumnUnit::Utf8), (1, 2));
        assert_eq!(offset(&idx, text, 0, 3, ColumnUnit::Utf16), b);
        assert_eq!(offset(&idx, text, 0, 5, ColumnUnit::Utf8), b);
        // Clamping: past the end of a line, past the end of the text.
        assert_eq!(
            offset(&idx, text, 0, 99, ColumnUnit::Utf8),
            text.find('\n').unwrap()
        );
        assert_eq!(
            offset(&idx, text, 0, 99, ColumnUnit::Utf16),
            text.find('\n').unwrap()
        );
        assert_eq!(offset(&idx, text, 7, 0, ColumnUnit::Utf16), text.len());
        // Inside a character: its start.
        assert_eq!(offset(&idx, text, 0, 3, ColumnUnit::Utf8), 1);
    }

    #[test]
    fn incremental_changes() {
        let mut text = String::from("one two\nthree 😀 four\n");
        apply_change(&mut text, (1, 6), (1, 8), "smile", ColumnUnit::Utf16);
        assert_eq!(text, "one two\nthree smile four\n");
        apply_change(&mut text, (0, 3), (1, 5), "", ColumnUnit::Utf16);
        assert_eq!(text, "one smile four\n");
        apply_change(&mut text, (1, 0), (1, 0), "end", ColumnUnit::Utf8);
        assert_eq!(text, "one smile four\nend");
    }
}
