//! Random text assembled from the pieces scraped prose is made of (words in
//! several scripts, quotes of both kinds, dashes, combining marks, invisible and
//! control characters, CR/LF, a BOM, code punctuation, markup) goes through every
//! rule, in plain text, Markdown and HTML. Nothing may panic, every span must sit
//! on character boundaries inside the text, and fixing to a fixpoint must give
//! valid text again. A fixed seed keeps failures reproducible.

use residue::fix::{fix_until_stable, FixMode};
use residue::{Linter, RuleSet, SourceFormat};

const PIECES: &[&str] = &[
    "the",
    "The",
    "the the",
    "and",
    "counter",
    "terrorism",
    "counterterrorism",
    "Uyghur",
    "Uighur",
    "moneysenior",
    "seemed",
    "backpedal",
    "such as like",
    "particular",
    "Read:",
    "hide caption",
    "Greg Baker/AFP via Getty Images",
    "(AP Photo/Jo Doe)",
    "Casino",
    "ArrowRight",
    "Share",
    ".",
    ". .",
    ",,",
    "–,",
    " ,",
    "?",
    "!",
    "…",
    "“",
    "”",
    "\"",
    "'",
    "’",
    "‘",
    "—",
    "-",
    "(",
    ")",
    "`",
    "*",
    "_",
    "<p>",
    "</p>",
    "<!-- x -->",
    "&amp;",
    "# ",
    "    ",
    "```",
    "https://e.com/a",
    "é",
    "e\u{301}",
    "ﬁ",
    "Ã©",
    "\u{200b}",
    "\u{a0}",
    "\u{ad}",
    "\u{7}",
    "\u{fffd}",
    "😀",
    "中文",
    "العربية",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    " ",
    " ",
    "\t",
];

/// A small deterministic generator (xorshift), so no extra crate is needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn text(&mut self) -> String {
        let mut out = String::new();
        if self.next().is_multiple_of(8) {
            out.push('\u{feff}');
        }
        let len = (self.next() % 120) as usize;
        for _ in 0..len {
            out.push_str(PIECES[(self.next() % PIECES.len() as u64) as usize]);
            if self.next().is_multiple_of(3) {
                out.push(' ');
            }
        }
        out
    }
}

fn check_spans(text: &str, linter: &Linter, format: SourceFormat) {
    for d in linter.check_with_format(text, format) {
        let ok = |i: usize| i <= text.len() && text.is_char_boundary(i);
        assert!(
            d.span.start <= d.span.end && ok(d.span.start) && ok(d.span.end),
            "{} span {:?} in {text:?}",
            d.rule,
            d.span
        );
        for e in d.fix.iter().flat_map(|f| &f.edits) {
            assert!(
                e.start <= e.end && ok(e.start) && ok(e.end),
                "{} edit {e:?} in {text:?}",
                d.rule
            );
        }
    }
}

#[test]
fn random_scraped_text_never_breaks_the_linter() {
    let linter = Linter::new(RuleSet::default_pack().unwrap());
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    for _ in 0..1500 {
        let text = rng.text();
        for format in [
            SourceFormat::Text,
            SourceFormat::Markdown,
            SourceFormat::Html,
        ] {
            check_spans(&text, &linter, format);
        }
        let fixed = fix_until_stable(&text, FixMode::Unsafe, |t| linter.check(t));
        // Valid UTF-8 by construction (a String); it must lint again cleanly.
        check_spans(&fixed.text, &linter, SourceFormat::Text);
    }
}
