//! Words: where they are, which kinds of characters they are made of, and a
//! hash of their lowercase form, worked out once per word for every rule
//! instead of once per word and rule. The tokenizer finds the words, their
//! shapes and their hashes in one pass (`Document::word_hashes`).
//!
//! The hash is polynomial over the lowercase characters, so the hash of two
//! words written together ("counter" + "terrorism") follows from the hashes of
//! each (`joined_hash`) without building the joined string. It only ever rules
//! things out: words with different hashes differ, and a rule that finds equal
//! hashes still compares the text. `FastHasher` spreads such hashes over hash
//! tables (std's SipHash guards against chosen keys, which a linter's own
//! tables need not fear, at several times the cost), and `HashFilter` answers
//! most lookups before a table is touched.

use crate::diagnostic::Span;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::BitOr;

/// 16 bytes: the offsets are held as `u32` (see `Document::new`), because a
/// long text has millions of words.
#[derive(Debug, Clone, Copy)]
pub struct Word {
    start: u32,
    end: u32,
    pub line: u32,
    /// Glued to code punctuation (`os.path`, `run()`, `some_name`, `` `x` ``):
    /// an identifier, not a word of prose. Word-level detectors skip these.
    pub code: bool,
    pub shape: Shape,
}

// Character classes, the bits `Shape` is made from.
const ALPHA: u8 = 1;
const NUMERIC: u8 = 1 << 1;
const LOWER: u8 = 1 << 2;
const UPPER: u8 = 1 << 3;
const APOSTROPHE: u8 = 1 << 4;
const NON_ASCII: u8 = 1 << 5;
const HYPHEN: u8 = 1 << 6;
/// Word characters: letters and digits (`char::is_alphanumeric`).
const WORD: u8 = ALPHA | NUMERIC;

/// The classes of the ASCII characters, looked up rather than tested.
const ASCII_CLASSES: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_lowercase() {
            ALPHA | LOWER
        } else if c.is_ascii_uppercase() {
            ALPHA | UPPER
        } else if c.is_ascii_digit() {
            NUMERIC
        } else if c == b'\'' {
            APOSTROPHE
        } else if c == b'-' {
            HYPHEN
        } else {
            0
        };
        b += 1;
    }
    table
};

fn class(c: char) -> u8 {
    if let Some(&k) = ASCII_CLASSES.get(c as usize) {
        return k;
    }
    // General punctuation (dashes, curly quotes, spaces): common in prose,
    // neither letters nor digits, and slow to look up as such.
    if ('\u{2000}'..='\u{206f}').contains(&c) {
        return NON_ASCII | if c == '’' { APOSTROPHE } else { 0 };
    }
    let mut k = NON_ASCII;
    if c.is_alphabetic() {
        k |= ALPHA;
    }
    if c.is_numeric() {
        k |= NUMERIC;
    }
    if k & WORD != 0 {
        if c.is_lowercase() {
            k |= LOWER;
        }
        if c.is_uppercase() {
            k |= UPPER;
        }
    } else if c == '’' {
        k |= APOSTROPHE;
    }
    k
}

/// For each ASCII letter and digit, its class and, in the high byte, its
/// lowercase form; 0 for every other byte. The tokenizer's inner loop reads
/// nothing else.
const WORD_BYTES: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut b = 0;
    while b < 128 {
        if ASCII_CLASSES[b] & WORD != 0 {
            let lower = (b as u8).to_ascii_lowercase() as u16;
            table[b] = (lower << 8) | ASCII_CLASSES[b] as u16;
        }
        b += 1;
    }
    table
};

/// The character starting at byte `i` of `s`, and its length.
fn char_at(s: &str, i: usize) -> (char, usize) {
    match s.as_bytes()[i] {
        b @ 0..0x80 => (char::from(b), 1),
        _ => {
            let c = s[i..].chars().next().expect("a char boundary");
            (c, c.len_utf8())
        }
    }
}

/// Whether a word character starts at byte `i` of `s` (false at its end).
fn word_at(s: &str, i: usize) -> bool {
    match s.as_bytes().get(i) {
        None => false,
        Some(&b) if b < 0x80 => ASCII_CLASSES[usize::from(b)] & WORD != 0,
        Some(_) => class(char_at(s, i).0) & WORD != 0,
    }
}

/// `hash` with the lowercase form of `c` appended, as `lower_hash` counts it.
fn hash_char(hash: u64, c: char) -> u64 {
    c.to_lowercase()
        .map(|c| if c == 'ς' { 'σ' } else { c })
        .fold(hash, |h, c| h.wrapping_mul(BASE).wrapping_add(u64::from(c)))
}

/// The words of `line` (a span of `text`, numbered `line_no`): runs of letters
/// and digits, with apostrophes or hyphens between them (`'`, `’`, `-`: "it's",
/// "re-run"). Each word's `lower_hash` goes to `hashes`.
///
/// The line is read 64 bytes at a time (`Block`). Masks mark the bytes that
/// may belong to a word, and each run of them that is all ASCII is one word:
/// its length is known before its bytes are read, so its shape comes from
/// the masks and its hash from 8 bytes at a time, with no branch per byte (a
/// byte loop mispredicts where every word ends). Runs that hold bytes of
/// other scripts, or curly quotes, go to `Words::scalar`.
pub(super) fn tokenize(
    text: &str,
    line: Span,
    line_no: u32,
    out: &mut Vec<Word>,
    hashes: &mut Vec<u64>,
) {
    let s = &text[line.start..line.end];
    let n = s.len();
    // Every offset in the line fits a `u32` when its end does.
    let (line_start, _) = (offset(line.start), offset(line.end));
    let mut words = Words {
        s,
        line_start,
        line_no,
        out,
        hashes,
    };
    let mut base = 0;
    while base < n {
        let block = Block::at(s.as_bytes(), base);
        let mut rest = block.members();
        let mut next = base + 64;
        while rest != 0 {
            let start = rest.trailing_zeros() as usize;
            let end = (rest | ((1u64 << start) - 1)).trailing_ones() as usize;
            if end > 62 && !block.last {
                next = match start {
                    // A run of 63 bytes or more: rare in prose (scripts
                    // without spaces), read as the fallback reads it.
                    0 => words.scalar(base, base + 64),
                    _ => base + start,
                };
                break;
            }
            let run = (u64::MAX >> (64 - (end - start))) << start;
            if block.high & run == 0 {
                words.ascii(&block, start, end, run);
            } else {
                words.scalar(base + start, base + end);
            }
            rest &= u64::MAX << end;
        }
        base = next;
    }
}

/// 64 bytes of a line and what they are: bit `i` of each mask for byte `i`.
struct Block {
    /// Where in the line the block starts.
    base: usize,
    /// The byte before the block (0 at the line's start), the block, and 8
    /// bytes for reading a word's last 8 bytes at once: the block's last
    /// word ends by byte 63, so what those 8 hold is never used.
    bytes: [u8; 73],
    /// Whether the line ends in the block. The rest is zeros, which belong
    /// to no word, so every run ends inside it. Other blocks know whether
    /// byte 63 ends a word only from the next block: a run reaching it waits
    /// for that one.
    last: bool,
    /// ASCII letters and digits.
    word: u64,
    /// `'` and `-`.
    joiner: u64,
    /// Bytes that are not ASCII.
    high: u64,
    letter: u64,
    lower: u64,
    apostrophe: u64,
}

impl Block {
    fn at(line: &[u8], base: usize) -> Block {
        let mut bytes = [0u8; 73];
        let len = (line.len() - base).min(64);
        bytes[1..=len].copy_from_slice(&line[base..base + len]);
        if base > 0 {
            bytes[0] = line[base - 1];
        }
        let mut block = Block {
            base,
            bytes,
            last: len < 64,
            word: 0,
            joiner: 0,
            high: 0,
            letter: 0,
            lower: 0,
            apostrophe: 0,
        };
        let body: &[u8; 64] = block.bytes[1..65].try_into().expect("64 bytes");
        let masks = masks(body);
        [
            block.word,
            block.joiner,
            block.high,
            block.letter,
            block.lower,
            block.apostrophe,
        ] = masks;
        block
    }

    /// The bytes that may belong to a word: word bytes, non-ASCII bytes, and
    /// joiners between two of those. A run of them that is all ASCII is one
    /// word; a run with non-ASCII bytes holds whatever words `scalar` finds.
    /// Exact for bytes 0 to 62; byte 63 does not see the byte after it.
    fn members(&self) -> u64 {
        let near = self.word | self.high;
        near | (self.joiner & (near << 1) & (near >> 1))
    }

    /// The 8 bytes from byte `at` of the block, little-endian.
    fn eight(&self, at: usize) -> u64 {
        u64::from_le_bytes(self.bytes[at + 1..at + 9].try_into().expect("8 bytes"))
    }
}

/// The masks of `Block` in its order (word, joiner, high, letter, lower,
/// apostrophe).
type Masks = [u64; 6];

#[cfg(target_arch = "x86_64")]
fn masks(block: &[u8; 64]) -> Masks {
    // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 processor
    // has it, and the compiler assumes it everywhere.
    unsafe { sse2::masks(block) }
}

#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8; 64]) -> Masks {
    masks_bytewise(block)
}

/// The masks one byte at a time: the definition, and the fallback where
/// there is no SSE2.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn masks_bytewise(block: &[u8; 64]) -> Masks {
    let mut masks = [0u64; 6];
    for (i, &b) in block.iter().enumerate() {
        let bits = [
            b.is_ascii_alphanumeric(),
            matches!(b, b'\'' | b'-'),
            b >= 0x80,
            b.is_ascii_alphabetic(),
            b.is_ascii_lowercase(),
            b == b'\'',
        ];
        for (mask, bit) in masks.iter_mut().zip(bits) {
            *mask |= u64::from(bit) << i;
        }
    }
    masks
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use super::Masks;
    use std::arch::x86_64::*;

    /// Which bytes of `v` are in `from..from + len`. SSE2 compares signed
    /// bytes only: shifted to start at -128, the range is what is below
    /// -128 + `len`.
    #[target_feature(enable = "sse2")]
    fn in_range(v: __m128i, from: u8, len: u8) -> __m128i {
        let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(from) as i8));
        _mm_cmplt_epi8(shifted, _mm_set1_epi8((0x80 + len) as i8))
    }

    /// `masks_bytewise`, 16 bytes per step.
    #[target_feature(enable = "sse2")]
    pub(super) fn masks(block: &[u8; 64]) -> Masks {
        let mut masks = [0u64; 6];
        for (k, part) in block.chunks_exact(16).enumerate() {
            let lo = i64::from_le_bytes(part[..8].try_into().expect("8 bytes"));
            let hi = i64::from_le_bytes(part[8..].try_into().expect("8 bytes"));
            let v = _mm_set_epi64x(hi, lo);
            let lower = in_range(v, b'a', 26);
            let letter = _mm_or_si128(lower, in_range(v, b'A', 26));
            let digit = in_range(v, b'0', 10);
            let apostrophe = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\'' as i8));
            let hyphen = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'-' as i8));
            let found = [
                _mm_or_si128(letter, digit),
                _mm_or_si128(apostrophe, hyphen),
                v,
                letter,
                lower,
                apostrophe,
            ];
            for (mask, m) in masks.iter_mut().zip(found) {
                *mask |= u64::from(_mm_movemask_epi8(m) as u16) << (16 * k);
            }
        }
        masks
    }
}

/// Where `tokenize` writes the words of one line.
struct Words<'s, 'o> {
    /// The line.
    s: &'s str,
    /// Its offset in the text.
    line_start: u32,
    line_no: u32,
    out: &'o mut Vec<Word>,
    hashes: &'o mut Vec<u64>,
}

impl Words<'_, '_> {
    fn push(&mut self, start: usize, end: usize, code: bool, shape: Shape, hash: u64) {
        self.out.push(Word {
            start: self.line_start + start as u32,
            end: self.line_start + end as u32,
            line: self.line_no,
            code,
            shape,
        });
        self.hashes.push(hash);
    }

    /// The word at bytes `start..end` of `block` (`run` marks them): ASCII
    /// letters and digits, with apostrophes and hyphens between them.
    #[inline(always)]
    fn ascii(&mut self, block: &Block, start: usize, end: usize, run: u64) {
        let len = end - start;
        // Most words fit one chunk; the loop alone, for them too, took 6%
        // longer over the whole document model.
        let hash = if len <= 8 {
            chunk_hash(block.eight(start), len)
        } else {
            (start..end).step_by(8).fold(0u64, |hash, at| {
                let part = (end - at).min(8);
                let h = chunk_hash(block.eight(at), part);
                hash.wrapping_mul(POWERS[part]).wrapping_add(h)
            })
        };
        // Letters after the first, all of them; lowercase, all of them.
        let rest = run & (run - 1);
        let mut all = 0;
        if rest & !block.letter == 0 {
            all |= ALPHA;
        }
        if rest & !block.lower == 0 {
            all |= LOWER;
        }
        let mut any = 0;
        if rest & block.apostrophe != 0 {
            any |= APOSTROPHE;
        }
        if rest & block.joiner & !block.apostrophe != 0 {
            any |= HYPHEN;
        }
        let first = ASCII_CLASSES[usize::from(block.bytes[start + 1])];
        let shape = Shape::from_classes(first, all, any);
        let (from, to) = (block.base + start, block.base + end);
        let (before, after) = (block.bytes[start], block.bytes[end + 1]);
        let code = touches_code(self.s, from, to, before, after);
        self.push(from, to, code, shape, hash);
    }

    /// The words starting at `from` up to `limit` of the line, read one
    /// character at a time; `from` must not be inside a word. Returns where it
    /// stopped: past `limit`, at a word's end or a byte outside words.
    ///
    /// ASCII bytes are classified, lowercased and hashed through tables; only
    /// the characters of other scripts are decoded.
    fn scalar(&mut self, from: usize, limit: usize) -> usize {
        let s = self.s;
        let bytes = s.as_bytes();
        let mut i = from;
        while i < limit {
            let start = i;
            let b = bytes[i];
            let (first, mut hash) = if b < 0x80 {
                i += 1;
                match WORD_BYTES[usize::from(b)] {
                    0 => continue,
                    e => (e as u8, u64::from(e >> 8)),
                }
            } else {
                let (c, len) = char_at(s, i);
                i += len;
                let k = class(c);
                if k & WORD == 0 {
                    continue;
                }
                (k, hash_char(0, c))
            };
            // The classes every later character has, and those any has. Only
            // apostrophes, hyphens and non-ASCII characters put in `any` what a
            // shape reads (`Shape::from_classes`).
            let (mut all, mut any) = (u8::MAX, 0u8);
            loop {
                // Runs of ASCII letters and digits, the bulk of most texts.
                while let Some(&b) = bytes.get(i) {
                    let e = WORD_BYTES[usize::from(b)];
                    if e == 0 {
                        break;
                    }
                    all &= e as u8;
                    hash = hash.wrapping_mul(BASE).wrapping_add(u64::from(e >> 8));
                    i += 1;
                }
                let Some(&b) = bytes.get(i) else { break };
                // Apostrophes and hyphens join word characters into one word.
                let (k, len) = if b < 0x80 {
                    if !matches!(b, b'\'' | b'-') || !word_at(s, i + 1) {
                        break;
                    }
                    (ASCII_CLASSES[usize::from(b)], 1)
                } else {
                    let (c, len) = char_at(s, i);
                    let k = class(c);
                    if k & WORD == 0 && !(c == '’' && word_at(s, i + len)) {
                        break;
                    }
                    (k, len)
                };
                all &= k;
                any |= k;
                hash = hash_char(hash, char_at(s, i).0);
                i += len;
            }
            let code = is_code(s, start, i);
            self.push(start, i, code, Shape::from_classes(first, all, any), hash);
        }
        i
    }
}

/// The `lower_hash` of the first `len` (1 to 8) bytes of `bytes` (read
/// little-endian), bytes of an ASCII word. Each is lowercased by setting 0x20
/// (digits, `'` and `-` have it already), and the polynomial is summed from
/// independent products rather than a chain of multiplications. The bytes
/// past `len` are cleared and add nothing; the sum then counts `8 - len`
/// powers of `BASE` too many, which `UNPOWERS` takes back (`BASE` is odd, so
/// it has an inverse modulo 2^64).
fn chunk_hash(bytes: u64, len: usize) -> u64 {
    let lower = (bytes | 0x2020_2020_2020_2020) & (u64::MAX >> (64 - 8 * len));
    let b = lower.to_le_bytes();
    let sum = (0..8).fold(0u64, |sum, i| {
        sum.wrapping_add(u64::from(b[i]).wrapping_mul(POWERS[7 - i]))
    });
    sum.wrapping_mul(UNPOWERS[8 - len])
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).expect("Document::new takes texts shorter than 4 GiB")
}

// What a character next to a word says about it (`CODE_PUNCT`).
const CODE_BEFORE: u8 = 1;
const CODE_AFTER: u8 = 1 << 1;
/// `.` and `:`, which make code when another word character follows them.
const CODE_DOT: u8 = 1 << 2;

/// Code punctuation: before a word (`_x`, `/x`) or after it (`x(`, `x=`).
/// All of it is ASCII, so the bytes next to a word answer.
const CODE_PUNCT: [u8; 256] = {
    let mut table = [0u8; 256];
    let before = b"_`/\\#@$<=~{[";
    let after = b"_`([/\\=<>#@${+";
    let mut i = 0;
    while i < before.len() {
        table[before[i] as usize] |= CODE_BEFORE;
        i += 1;
    }
    i = 0;
    while i < after.len() {
        table[after[i] as usize] |= CODE_AFTER;
        i += 1;
    }
    table[b'.' as usize] |= CODE_DOT;
    table[b':' as usize] |= CODE_DOT;
    table
};

/// Whether the word at `start..end` of `s` touches code punctuation.
fn is_code(s: &str, start: usize, end: usize) -> bool {
    let bytes = s.as_bytes();
    let before = start.checked_sub(1).map_or(0, |j| bytes[j]);
    let after = bytes.get(end).copied().unwrap_or(0);
    touches_code(s, start, end, before, after)
}

/// `is_code`, told the bytes before and after the word (0 where there is
/// none): the block tokenizer has them at hand.
#[inline]
fn touches_code(s: &str, start: usize, end: usize, before: u8, after: u8) -> bool {
    let (before, after) = (
        CODE_PUNCT[usize::from(before)],
        CODE_PUNCT[usize::from(after)],
    );
    // Code punctuation is rare next to a word: the rest is out of line.
    (before | after) != 0 && code_punct_makes_code(s, start, end, before, after)
}

/// Whether the `CODE_PUNCT` classes `before` and `after` the word at
/// `start..end` of `s` make it code.
#[inline(never)]
fn code_punct_makes_code(s: &str, start: usize, end: usize, before: u8, after: u8) -> bool {
    let code_before = before & CODE_BEFORE != 0
        || (before & CODE_DOT != 0
            && s[..start - 1]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == ')' || c == ':'));
    let code_after = after & CODE_AFTER != 0
        || (after & CODE_DOT != 0
            && s[end + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == ':' || c == '_'));
    code_before || code_after
}

impl Word {
    pub fn span(&self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }
}

/// Which kinds of characters a word is made of: the tests word rules start
/// with, answered by the tokenizer for every word at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape(u8);

impl Shape {
    /// Every character is a letter: no digits, apostrophes or hyphens.
    pub const ALPHABETIC: Shape = Shape(1);
    /// Every character is ASCII.
    pub const ASCII: Shape = Shape(1 << 1);
    pub const FIRST_ALPHABETIC: Shape = Shape(1 << 2);
    pub const FIRST_UPPER: Shape = Shape(1 << 3);
    pub const FIRST_LOWER: Shape = Shape(1 << 4);
    /// Every character after the first is lowercase (true of one-letter words).
    pub const REST_LOWER: Shape = Shape(1 << 5);
    /// Holds an apostrophe, straight or curly.
    pub const APOSTROPHE: Shape = Shape(1 << 6);
    /// Holds a hyphen.
    pub const HYPHEN: Shape = Shape(1 << 7);

    /// Whether every flag of `flags` is set.
    pub fn has(self, flags: Shape) -> bool {
        self.0 & flags.0 == flags.0
    }

    /// Only ASCII lowercase letters (`a` to `z`).
    pub fn is_ascii_lowercase(self) -> bool {
        self.has(Shape::ASCII | Shape::FIRST_LOWER | Shape::REST_LOWER)
    }

    /// The shape of a word (not empty) as the tokenizer delimits it.
    pub fn of(word: &str) -> Shape {
        let mut chars = word.chars();
        let first = class(chars.next().expect("words are not empty"));
        let (all, any) = chars.fold((u8::MAX, 0), |(all, any), c| {
            let k = class(c);
            (all & k, any | k)
        });
        Shape::from_classes(first, all, any)
    }

    /// From the class of the first character, and the classes all and any of
    /// the others have: looked up (`SHAPES`), as the tokenizer asks for every
    /// word.
    fn from_classes(first: u8, all: u8, any: u8) -> Shape {
        Shape(SHAPES[usize::from(shape_key(first, all, any))])
    }
}

/// The bits of the classes that `shape_bits` reads, in one byte: those of the
/// first character (letter, upper, lower: bits 0, 2, 3), those all the others
/// have (letter: bit 1, lower: bit 7), and those any character has
/// (apostrophe, non-ASCII, hyphen: bits 4 to 6).
const fn shape_key(first: u8, all: u8, any: u8) -> u8 {
    (first & (ALPHA | LOWER | UPPER))
        | ((all & ALPHA) << 1)
        | ((first | any) & (APOSTROPHE | NON_ASCII | HYPHEN))
        | ((all & LOWER) << 5)
}

/// `Shape` flags from the class of the first character, and the classes all
/// and any of the others have.
const fn shape_bits(first: u8, all: u8, any: u8) -> u8 {
    const fn flag(on: u8, flag: Shape) -> u8 {
        if on != 0 {
            flag.0
        } else {
            0
        }
    }
    flag(!(first | any) & NON_ASCII, Shape::ASCII)
        | flag(first & all & ALPHA, Shape::ALPHABETIC)
        | flag(first & ALPHA, Shape::FIRST_ALPHABETIC)
        | flag(first & UPPER, Shape::FIRST_UPPER)
        | flag(first & LOWER, Shape::FIRST_LOWER)
        | flag(all & LOWER, Shape::REST_LOWER)
        | flag((first | any) & APOSTROPHE, Shape::APOSTROPHE)
        | flag((first | any) & HYPHEN, Shape::HYPHEN)
}

/// `shape_bits` for each `shape_key`: the key keeps every bit it reads.
const SHAPES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut k = 0;
    while k < 256 {
        let key = k as u8;
        let first = key & (ALPHA | LOWER | UPPER);
        let all = ((key >> 1) & ALPHA) | ((key >> 5) & LOWER);
        let any = key & (APOSTROPHE | NON_ASCII | HYPHEN);
        table[k] = shape_bits(first, all, any);
        k += 1;
    }
    table
};

impl BitOr for Shape {
    type Output = Shape;

    fn bitor(self, other: Shape) -> Shape {
        Shape(self.0 | other.0)
    }
}

/// The base of the polynomial hash: odd, with its bits spread.
const BASE: u64 = 0x100_0000_01b3;

/// `base` to the powers 0 to `N - 1`.
const fn powers<const N: usize>(base: u64) -> [u64; N] {
    let mut table = [1u64; N];
    let mut i = 1;
    while i < N {
        table[i] = table[i - 1].wrapping_mul(base);
        i += 1;
    }
    table
}

/// `BASE` to the powers 0 to 63: the lengths words have.
const POWERS: [u64; 64] = powers(BASE);

/// The inverse of `BASE` modulo 2^64 (Newton's iteration doubles the
/// correct low bits each step; `BASE` is its own inverse modulo 8).
const UNBASE: u64 = {
    let mut inverse = BASE;
    let mut step = 0;
    while step < 5 {
        inverse = inverse.wrapping_mul(2u64.wrapping_sub(BASE.wrapping_mul(inverse)));
        step += 1;
    }
    inverse
};

/// `UNBASE` to the powers 0 to 8 (`chunk_hash`).
const UNPOWERS: [u64; 9] = powers(UNBASE);

fn power(n: usize) -> u64 {
    match POWERS.get(n) {
        Some(&p) => p,
        None => BASE.wrapping_pow(n as u32),
    }
}

/// The hash of a word's lowercase form, character by character as
/// `char::to_lowercase` gives it, with final sigma `ς` counted as `σ` so that
/// words equal under `str::to_lowercase` (which writes `ς` at the end of a word)
/// hash alike too.
pub fn lower_hash(word: &str) -> u64 {
    if word.is_ascii() {
        return ascii_lower_hash(word.as_bytes());
    }
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ς' { 'σ' } else { c })
        .fold(0, |h, c| h.wrapping_mul(BASE).wrapping_add(u64::from(c)))
}

/// `lower_hash` of an ASCII word.
fn ascii_lower_hash(word: &[u8]) -> u64 {
    word.iter().fold(0, |h, &b| {
        h.wrapping_mul(BASE)
            .wrapping_add(u64::from(b.to_ascii_lowercase()))
    })
}

/// The hash of exactly the characters `char::to_lowercase` gives for `word`
/// (`lower_hash` without its final-sigma rule), and how many there are. For an
/// ASCII word, the same as `lower_hash`.
pub fn char_lower_hash(word: &str) -> (u64, usize) {
    word.chars()
        .flat_map(char::to_lowercase)
        .fold((0, 0), |(h, n), c| {
            (h.wrapping_mul(BASE).wrapping_add(u64::from(c)), n + 1)
        })
}

/// How many characters the lowercase form of a word has.
pub fn lower_len(word: &str) -> usize {
    if word.is_ascii() {
        word.len()
    } else {
        word.chars().flat_map(char::to_lowercase).count()
    }
}

/// The `lower_hash` of two words written together, from the hash of each and the
/// `lower_len` of the second.
pub fn joined_hash(first: u64, second: u64, second_len: usize) -> u64 {
    first.wrapping_mul(power(second_len)).wrapping_add(second)
}

/// Whether `first` and `second` written together are `whole`, ignoring case
/// (compared character by character, as `char::to_lowercase` gives them).
pub fn lower_eq_joined(first: &str, second: &str, whole: &str) -> bool {
    if first.is_ascii() && second.is_ascii() && whole.is_ascii() {
        return whole.len() == first.len() + second.len()
            && whole[..first.len()].eq_ignore_ascii_case(first)
            && whole[first.len()..].eq_ignore_ascii_case(second);
    }
    first
        .chars()
        .chain(second.chars())
        .flat_map(char::to_lowercase)
        .eq(whole.chars().flat_map(char::to_lowercase))
}

/// A multiply-and-fold hasher (the FxHash family) for tables keyed by word
/// hashes or short strings.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

/// Builds `FastHasher`s, for `HashMap::with_hasher` and `HashSet::default`.
pub type FastState = BuildHasherDefault<FastHasher>;

const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.write_u64(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.write_u64(u64::from_le_bytes(tail) ^ rest.len() as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(SEED);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    /// Folds the high half of a wide product into the low one: hash tables take
    /// their buckets from the low bits, which a plain multiplication mixes least.
    fn finish(&self) -> u64 {
        let wide = u128::from(self.0) * u128::from(SEED);
        (wide as u64) ^ ((wide >> 64) as u64)
    }
}

/// A set of hashes that may wrongly answer yes (a one-probe Bloom filter): a
/// bitmap small enough to stay in cache, asked before a hash table that
/// would not.
#[derive(Debug)]
pub struct HashFilter {
    bits: Vec<u64>,
    /// 64 less the number of bits that pick a bit of the map.
    shift: u32,
}

impl HashFilter {
    /// A filter for about `n` hashes: 16 bits each, 4096 to 2^24 bits in all.
    pub fn with_capacity(n: usize) -> Self {
        let mut filter = HashFilter {
            bits: Vec::new(),
            shift: 0,
        };
        filter.reset(n);
        filter
    }

    /// Empties the filter and sizes it for about `n` hashes, as
    /// `with_capacity` does, keeping its memory where it is large enough.
    pub fn reset(&mut self, n: usize) {
        let len = (n.saturating_mul(16))
            .next_power_of_two()
            .clamp(1 << 12, 1 << 24);
        self.bits.clear();
        self.bits.resize(len / 64, 0);
        self.shift = 64 - len.trailing_zeros();
    }

    fn bit(&self, hash: u64) -> (usize, u64) {
        let b = hash.wrapping_mul(SEED) >> self.shift;
        ((b >> 6) as usize, 1 << (b & 63))
    }

    pub fn insert(&mut self, hash: u64) {
        let (slot, bit) = self.bit(hash);
        self.bits[slot] |= bit;
    }

    /// False when `hash` was never inserted; true when it was, and sometimes
    /// when not.
    #[inline]
    pub fn may_contain(&self, hash: u64) -> bool {
        let (slot, bit) = self.bit(hash);
        self.bits[slot] & bit != 0
    }
}

/// An empty filter of the smallest size.
impl Default for HashFilter {
    fn default() -> Self {
        HashFilter::with_capacity(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::xorshift;

    fn hash(word: &str) -> u64 {
        lower_hash(word)
    }

    /// The words of `s` as the tokenizer was first written, character by
    /// character: the definition `tokenize` must agree with.
    fn reference(s: &str) -> Vec<(usize, usize, bool, Shape, u64)> {
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let at = |k: usize| chars.get(k).map(|&(_, c)| c);
        let byte = |k: usize| chars.get(k).map_or(s.len(), |&(i, _)| i);
        let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
        let mut out = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            if !is_word(at(k)) {
                k += 1;
                continue;
            }
            let first = k;
            k += 1;
            while is_word(at(k)) || (matches!(at(k), Some('\'' | '’' | '-')) && is_word(at(k + 1)))
            {
                k += 1;
            }
            let (start, end) = (byte(first), byte(k));
            let before: Vec<char> = s[..start].chars().rev().take(2).collect();
            let after: Vec<char> = s[end..].chars().take(2).collect();
            let code_before = match before.first() {
                Some('_' | '`' | '/' | '\\' | '#' | '@' | '$' | '<' | '=' | '~' | '{' | '[') => {
                    true
                }
                Some('.' | ':') => before
                    .get(1)
                    .is_some_and(|&c| c.is_alphanumeric() || c == ')' || c == ':'),
                _ => false,
            };
            let code_after = match after.first() {
                Some(
                    '_' | '`' | '(' | '[' | '/' | '\\' | '=' | '<' | '>' | '#' | '@' | '$' | '{'
                    | '+',
                ) => true,
                Some('.' | ':') => after
                    .get(1)
                    .is_some_and(|&c| c.is_alphanumeric() || c == ':' || c == '_'),
                _ => false,
            };
            let word = &s[start..end];
            let hash = word
                .to_lowercase()
                .chars()
                .map(|c| if c == 'ς' { 'σ' } else { c })
                .fold(0u64, |h, c| h.wrapping_mul(BASE).wrapping_add(u64::from(c)));
            out.push((start, end, code_before || code_after, Shape::of(word), hash));
        }
        out
    }

    fn tokenized(s: &str) -> Vec<(usize, usize, bool, Shape, u64)> {
        let (mut words, mut hashes) = (Vec::new(), Vec::new());
        tokenize(s, Span::new(0, s.len()), 0, &mut words, &mut hashes);
        assert_eq!(words.len(), hashes.len());
        words
            .iter()
            .zip(hashes)
            .map(|(w, h)| (w.span().start, w.span().end, w.code, w.shape, h))
            .collect()
    }

    /// `count` texts of up to `max` pieces drawn from `pieces`.
    fn random_texts(pieces: &[&str], count: usize, max: u64, seed: u64) -> Vec<String> {
        let mut next = xorshift(seed);
        (0..count)
            .map(|_| {
                let len = next() % (max + 1);
                (0..len)
                    .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn tokenizer_agrees_with_the_reference() {
        let pieces = [
            "a", "B", "z", "Z", "0", "9", "'", "’", "-", " ", "\t", ".", ":", ",", ")", "(", "_",
            "`", "/", "\\", "#", "@", "$", "<", ">", "=", "~", "{", "[", "+", "İ", "ß", "Σ", "ς",
            "Ⅻ", "²", "½", "\u{212A}", "é", "É", "×", "÷", "東", "ﬁ", "ǅ", "ŉ", "٣", "\u{a0}",
            "\u{301}", "“", "—", "ª", "word", "Word", "os", "x1",
        ];
        for text in random_texts(&pieces, 20_000, 11, 0x2545_f491_4f6c_dd1d) {
            assert_eq!(tokenized(&text), reference(&text), "{text:?}");
        }
        for text in [
            "it's a re-run",
            "os.path.join(x) U.S. e.g.: a:b",
            "ΟΔΟΣ İstanbul",
        ] {
            assert_eq!(tokenized(text), reference(text), "{text:?}");
        }
    }

    /// Lines longer than a block (64 bytes): words across block edges, words
    /// of more than 8 bytes, runs of 63 bytes and more, with and without
    /// other scripts in them.
    #[test]
    fn tokenizer_agrees_with_the_reference_on_long_lines() {
        let pieces = [
            " ",
            " ",
            " ",
            "a",
            "Q",
            "7",
            "'",
            "-",
            "’",
            "é",
            "東",
            "“",
            ".",
            "(",
            "_",
            ":",
            "word",
            "Word",
            "WORD",
            "counter",
            "Counterterrorism",
            "internationalization",
            "re-run",
            "it's",
            "x1y2z3",
            "abcdefgh",
            "ABCDEFGHIJKLMNOP",
            "İstanbul",
        ];
        for text in random_texts(&pieces, 3_000, 120, 0x9e37_79b9_7f4a_7c15) {
            assert_eq!(tokenized(&text), reference(&text), "{text:?}");
        }
        for len in 60..140 {
            for (word, fill) in [("a", " "), ("a", "b"), ("é", "b"), ("a", "-"), ("東", "東")] {
                let text = format!("{}{word} x", fill.repeat(len));
                assert_eq!(tokenized(&text), reference(&text), "{text:?}");
            }
        }
    }

    /// The SSE2 masks are the masks worked out byte by byte.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn block_masks_are_the_bytewise_masks() {
        let mut next = xorshift(0x1234_5678_9abc_def1);
        let alphabet = b"aAzZ09'-@`[{/: \x7f\x80\xff\xc3";
        for round in 0..20_000 {
            let block: [u8; 64] = std::array::from_fn(|_| match round % 2 {
                0 => next() as u8,
                _ => alphabet[(next() % alphabet.len() as u64) as usize],
            });
            assert_eq!(masks(&block), masks_bytewise(&block), "{block:?}");
        }
    }

    #[test]
    fn the_inverse_base_undoes_the_base() {
        assert_eq!(BASE.wrapping_mul(UNBASE), 1);
    }

    #[test]
    fn shapes_looked_up_are_shapes_worked_out() {
        for first in 0..=u8::MAX {
            for all in 0..=u8::MAX {
                for any in 0..=u8::MAX {
                    let shape = Shape::from_classes(first, all, any);
                    assert_eq!(shape.0, shape_bits(first, all, any), "{first} {all} {any}");
                }
            }
        }
    }

    #[test]
    fn general_punctuation_is_classed_as_looked_up() {
        for c in '\u{2000}'..='\u{206f}' {
            assert!(!c.is_alphabetic() && !c.is_numeric(), "{c:?}");
            let apostrophe = if c == '’' { APOSTROPHE } else { 0 };
            assert_eq!(class(c), NON_ASCII | apostrophe, "{c:?}");
        }
        assert_eq!(class('\u{2071}'), NON_ASCII | ALPHA | LOWER);
    }

    #[test]
    fn words_are_small() {
        assert_eq!(std::mem::size_of::<Word>(), 16);
    }

    #[test]
    fn shapes() {
        let s = Shape::of("Counter");
        assert!(s.has(Shape::ALPHABETIC | Shape::ASCII | Shape::FIRST_UPPER | Shape::REST_LOWER));
        assert!(!s.has(Shape::FIRST_LOWER));
        assert!(Shape::of("backpedal").is_ascii_lowercase());
        assert!(!Shape::of("café").is_ascii_lowercase());
        assert!(Shape::of("café").has(Shape::ALPHABETIC | Shape::FIRST_LOWER | Shape::REST_LOWER));
        assert!(
            Shape::of("it’s").has(Shape::APOSTROPHE) && Shape::of("it's").has(Shape::APOSTROPHE)
        );
        assert!(!Shape::of("re-run").has(Shape::ALPHABETIC));
        assert!(Shape::of("re-run").has(Shape::HYPHEN) && !Shape::of("it's").has(Shape::HYPHEN));
        assert!(!Shape::of("3rd").has(Shape::FIRST_ALPHABETIC));
    }

    #[test]
    fn hashes_follow_lowercase() {
        assert_eq!(hash("Counter"), hash("counter"));
        assert_eq!(hash("ÉTÉ"), hash("été"));
        assert_ne!(hash("counter"), hash("county"));
        // `str::to_lowercase` writes a final sigma, `char::to_lowercase` does not.
        assert_eq!(hash("ΟΔΟΣ"), hash("οδος"));
        assert_eq!(hash("ΟΔΟΣ"), hash("ΟΔΟΣ".to_lowercase().as_str()));
    }

    #[test]
    fn joined_hashes_match_the_joined_word() {
        for (a, b) in [("Counter", "terrorism"), ("İstan", "BUL"), ("ÉTÉ", "x")] {
            let joined = hash(&format!("{a}{b}"));
            let len = lower_len(b);
            assert_eq!(joined_hash(hash(a), hash(b), len), joined);
        }
        let long = "x".repeat(70);
        assert_eq!(
            joined_hash(hash("a"), hash(&long), 70),
            hash(&format!("a{long}"))
        );
    }

    #[test]
    fn filters_never_miss() {
        let mut filter = HashFilter::with_capacity(3);
        let words = ["counter", "terrorism", "Uyghur"];
        for w in words {
            filter.insert(hash(w));
        }
        assert!(words.iter().all(|w| filter.may_contain(hash(w))));
        let strangers = (0..1000).filter(|i| filter.may_contain(hash(&i.to_string())));
        assert!(strangers.count() < 10);
    }

    #[test]
    fn joined_lowercase_equality() {
        assert!(lower_eq_joined("Counter", "terrorism", "counterTerrorism"));
        assert!(lower_eq_joined("ÉT", "É", "été"));
        assert!(!lower_eq_joined("counter", "terror", "counterterrorism"));
        assert!(!lower_eq_joined("été", "", "ete"));
    }
}
