//! The compiled linter: runs every selected rule over a document, in stage order,
//! and turns findings into sorted diagnostics.

use crate::detect::{Finding, Stage};
use crate::diagnostic::{Diagnostic, Edit, Fix, Span};
use crate::document::Document;
use crate::needle_scan::NeedleScanner;
use crate::rules::{FixAction, Rule, RuleSet};
use rayon::prelude::*;
use std::cell::Cell;
use std::ops::Range;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Where the time of `Linter::check_timed` went, summed over the texts it saw
/// (the hidden `--timings` flag of `residue check` prints it).
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Building the document model.
    pub document: Duration,
    /// Per rule, indexed like `RuleSet::rules`: its detector plus its diagnostics.
    pub rules: Vec<Duration>,
    /// Sorting and deduplicating the diagnostics.
    pub finish: Duration,
}

impl Timings {
    fn add_rule(&mut self, rule: usize, took: Duration) {
        if self.rules.len() <= rule {
            self.rules.resize(rule + 1, Duration::ZERO);
        }
        self.rules[rule] += took;
    }

    pub fn add(&mut self, other: &Timings) {
        self.document += other.document;
        self.finish += other.finish;
        if self.rules.len() < other.rules.len() {
            self.rules.resize(other.rules.len(), Duration::ZERO);
        }
        for (a, b) in self.rules.iter_mut().zip(&other.rules) {
            *a += *b;
        }
    }
}

/// Texts longer than this are linted in parts of about this size, split after a
/// blank line: an article is far shorter, and a longer text is a dump of many, so
/// memory stays bounded and the parts run in parallel. Rules that compare a
/// document with itself (duplicates, spelling variants, quote style) see one part.
pub const PART_BYTES: usize = 4 << 20;

/// Texts at least this long have the rules of each stage run in parallel: a
/// language server re-lints one long document at a time, and the parts of a very
/// long text keep both cores busy anyway. Shorter texts are many (a folder), and
/// each runs on one thread.
const PARALLEL_RULES_BYTES: usize = 256 << 10;

#[derive(Debug)]
pub struct Linter {
    rules: RuleSet,
    /// Rule indices in the order they run: by stage, then as loaded.
    order: Vec<usize>,
    /// Ranges of `order` whose rules may run at once (`batches`).
    batches: Vec<Range<usize>>,
    /// Built on first use, so that listing rules or a `--help` pays nothing.
    scanner: OnceLock<NeedleScanner>,
}

impl Linter {
    pub fn new(rules: RuleSet) -> Self {
        let mut order: Vec<usize> = (0..rules.rules.len()).collect();
        order.sort_by_key(|&i| (stage(&rules.rules[i]), i));
        let batches = batches(&rules, &order);
        Linter {
            rules,
            order,
            batches,
            scanner: OnceLock::new(),
        }
    }

    fn scanner(&self) -> &NeedleScanner {
        self.scanner
            .get_or_init(|| NeedleScanner::for_rules(&self.rules))
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Lints one text. Diagnostics come sorted by position, then rule id.
    pub fn check(&self, text: &str) -> Vec<Diagnostic> {
        self.check_timed(text, None)
    }

    /// `check`, adding the time each step took to `timings` when given.
    pub fn check_timed(&self, text: &str, timings: Option<&mut Timings>) -> Vec<Diagnostic> {
        self.check_in_parts(text, PART_BYTES, timings)
    }

    fn check_in_parts(
        &self,
        text: &str,
        part_bytes: usize,
        mut timings: Option<&mut Timings>,
    ) -> Vec<Diagnostic> {
        let parts = parts(text, part_bytes);
        if parts.len() == 1 {
            return self.check_part(text, timings);
        }
        let timed = timings.is_some();
        let results: Vec<(Vec<Diagnostic>, Timings)> = parts
            .par_iter()
            .map(|&(start, end)| {
                let mut own = Timings::default();
                let mut found = self.check_part(&text[start..end], timed.then_some(&mut own));
                found.iter_mut().for_each(|d| d.shift(start));
                (found, own)
            })
            .collect();
        let mut out = Vec::new();
        for (found, own) in results {
            out.extend(found);
            if let Some(t) = timings.as_deref_mut() {
                t.add(&own);
            }
        }
        out
    }

    /// Lints one text as one document.
    fn check_part(&self, text: &str, mut timings: Option<&mut Timings>) -> Vec<Diagnostic> {
        let timed = timings.is_some();
        let clock = timed.then(Instant::now);
        let parallel = text.len() >= PARALLEL_RULES_BYTES && rayon::current_num_threads() > 1;
        let scanner = self.scanner();
        let scan = || {
            let mut hits = HITS.take();
            scanner.scan(text, &mut hits);
            hits
        };
        let (mut doc, hits) = match parallel {
            true => rayon::join(|| Document::new(text), scan),
            false => (Document::new(text), scan()),
        };
        if let (Some(t), Some(c)) = (timings.as_deref_mut(), clock) {
            t.document += c.elapsed();
        }
        let mut out = Vec::new();
        let mut findings = Vec::new();
        for batch in &self.batches {
            let rules = &self.order[batch.clone()];
            if parallel {
                // Detectors only read the document; their findings are applied
                // below in rule order, so the result is that of one thread.
                let found: Vec<(Vec<Finding>, Duration)> = rules
                    .par_iter()
                    .map(|&i| {
                        let clock = timed.then(Instant::now);
                        let mut findings = Vec::new();
                        self.detect(&doc, scanner, &hits, i, &mut findings);
                        (findings, clock.map_or(Duration::ZERO, |c| c.elapsed()))
                    })
                    .collect();
                for (&i, (mut findings, took)) in rules.iter().zip(found) {
                    let clock = timed.then(Instant::now);
                    self.apply(&mut doc, i, &mut findings, &mut out);
                    if let (Some(t), Some(c)) = (timings.as_deref_mut(), clock) {
                        t.add_rule(i, took + c.elapsed());
                    }
                }
            } else {
                for &i in rules {
                    let clock = timed.then(Instant::now);
                    self.detect(&doc, scanner, &hits, i, &mut findings);
                    self.apply(&mut doc, i, &mut findings, &mut out);
                    if let (Some(t), Some(c)) = (timings.as_deref_mut(), clock) {
                        t.add_rule(i, c.elapsed());
                    }
                }
            }
        }
        // The hits' buffers go to the next document on this thread (as the
        // document's do when it is dropped).
        if hits.iter().map(Vec::capacity).sum::<usize>() <= HITS_KEPT {
            HITS.set(hits);
        }
        let clock = timed.then(Instant::now);
        out.sort_by(|a, b| (a.span, &a.rule).cmp(&(b.span, &b.rule)));
        out.dedup_by(|a, b| a.span == b.span && a.rule == b.rule);
        if let (Some(t), Some(c)) = (timings, clock) {
            t.finish += c.elapsed();
        }
        out
    }

    /// Runs rule `i` over the document, where its needles occur (if it has any).
    fn detect(
        &self,
        doc: &Document,
        scanner: &NeedleScanner,
        hits: &[Vec<(usize, usize)>],
        i: usize,
        findings: &mut Vec<Finding>,
    ) {
        let detector = &self.rules.rules[i].detector;
        if !scanner.gated(i) {
            detector.check(doc, findings);
        } else if !hits[i].is_empty() {
            detector.check_at(doc, &hits[i], findings);
        }
    }

    /// Turns rule `i`'s findings into diagnostics, dropping those on classified
    /// lines for prose rules, and marks the lines of a classifying rule.
    fn apply(
        &self,
        doc: &mut Document,
        i: usize,
        findings: &mut Vec<Finding>,
        out: &mut Vec<Diagnostic>,
    ) {
        if findings.is_empty() {
            return; // most rules on most files
        }
        let rule = &self.rules.rules[i];
        let prose_only = rule.detector.prose_only();
        for finding in findings.drain(..) {
            if prose_only
                && (doc.is_classified(doc.line_at(finding.span.start))
                    || doc.in_code(finding.span.start))
            {
                continue;
            }
            if let Some(class) = rule.marks {
                doc.set_class(finding.span, class);
            }
            out.push(diagnostic(doc, rule, finding));
        }
    }
}

thread_local! {
    /// The needle hits of the last document, kept for their buffers: a folder
    /// of small files would otherwise allocate a vector per rule per file.
    static HITS: Cell<Vec<Vec<(usize, usize)>>> = const { Cell::new(Vec::new()) };
}

/// Hits whose vectors hold room for more (16 bytes each) are not kept.
const HITS_KEPT: usize = 1 << 16;

/// Where to cut a long text: parts of about `size` bytes, each ending after a
/// blank line (or, in one long paragraph, after a line break). A text without
/// such a place stays whole.
fn parts(text: &str, size: usize) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    while bytes.len() - start > size + size / 2 {
        let from = start + size;
        let after_blank = memchr::memmem::find_iter(&bytes[from..], b"\n")
            .map(|i| from + i + 1)
            .take_while(|&i| i < from + size / 2)
            .find(|&i| bytes[i..].starts_with(b"\n") || bytes[i..].starts_with(b"\r\n"));
        let cut =
            after_blank.or_else(|| memchr::memchr(b'\n', &bytes[from..]).map(|i| from + i + 1));
        // A part must not start with what would read as a byte-order mark.
        match cut {
            Some(cut) if cut < bytes.len() && !text[cut..].starts_with('\u{FEFF}') => {
                parts.push((start, cut));
                start = cut;
            }
            _ => break,
        }
    }
    parts.push((start, bytes.len()));
    parts
}

/// Cuts the run order into batches of rules that may run at once: a batch ends
/// before a rule that reads line classes (`Kind::reads_marks`) when a rule in it
/// sets them (`marks`), so that each rule sees the marks it would see on one
/// thread. Findings are applied in run order either way.
fn batches(rules: &RuleSet, order: &[usize]) -> Vec<Range<usize>> {
    let mut batches = Vec::new();
    let mut start = 0;
    let mut marked = false;
    for (at, &i) in order.iter().enumerate() {
        let rule = &rules.rules[i];
        let reads_marks = crate::detect::kind(rule.kind).is_some_and(|k| k.reads_marks);
        if reads_marks && marked {
            batches.push(start..at);
            start = at;
            marked = false;
        }
        marked |= rule.marks.is_some();
    }
    if start < order.len() {
        batches.push(start..order.len());
    }
    batches
}

fn stage(rule: &Rule) -> Stage {
    if rule.marks.is_some() {
        Stage::Classify
    } else {
        rule.detector.stage()
    }
}

/// How the flagged text is quoted in a message: short, on one line.
pub(crate) fn quoted(text: &str) -> String {
    const SHOWN: usize = 50;
    // Line breaks shown as ⏎; past SHOWN characters, the first SHOWN - 3 and an
    // ellipsis. Only the head is read: a finding may span a long paragraph.
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let mut count = 0;
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' if chars.peek() == Some(&'\n') => {
                chars.next();
                '⏎'
            }
            '\n' => '⏎',
            c => c,
        };
        count += 1;
        if count > SHOWN {
            let mut head: String = out.chars().take(SHOWN - 3).collect();
            head.push('…');
            return head;
        }
        out.push(c);
    }
    out
}

/// The rule's message with `{text}` (the finding's text, quoted) and the
/// finding's own variables filled in, in one pass over the template.
fn render_message(template: &str, doc: &Document, finding: &Finding) -> String {
    let mut message = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        message.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            message.push_str(&rest[open..]);
            return message;
        };
        let name = &rest[open + 1..close];
        if name == "text" {
            message.push_str(&quoted(doc.slice(finding.span)));
        } else if let Some((_, value)) = finding.vars.iter().find(|(n, _)| *n == name) {
            message.push_str(value);
        } else {
            message.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    message.push_str(rest);
    message
}

/// The fix a rule's `fix` table describes, for a finding that has none of its own.
fn rule_fix(doc: &Document, rule: &Rule, span: Span) -> Option<Fix> {
    let fix = rule.fix.as_ref()?;
    let text = doc.text;
    let edit = match &fix.action {
        FixAction::Delete => {
            let (mut start, mut end) = (span.start, span.end);
            if text[end..].starts_with(' ') {
                end += 1;
            } else if text[..start].ends_with(' ') {
                start -= 1;
            }
            Edit::delete(Span::new(start, end))
        }
        FixAction::DeleteLine => {
            let first = doc.line_at(span.start);
            let last = doc.line_at(span.end.saturating_sub(1).max(span.start));
            let start = doc.lines[first].span.start;
            let end = doc
                .lines
                .get(last + 1)
                .map_or(doc.lines[last].span.end, |l| l.span.start);
            Edit::delete(Span::new(start, end))
        }
        FixAction::Replace(r) => Edit::replace(span, r.clone()),
    };
    Some(Fix::new(
        fix.applicability,
        fix.description.clone(),
        vec![edit],
    ))
}

fn diagnostic(doc: &Document, rule: &Rule, finding: Finding) -> Diagnostic {
    let message = render_message(&rule.message, doc, &finding);
    let fix = finding.fix.or_else(|| rule_fix(doc, rule, finding.span));
    Diagnostic {
        rule: rule.id.clone(),
        category: Some(rule.category),
        severity: rule.severity,
        message,
        span: finding.span,
        fix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One pass fills `{text}` and the finding's variables; anything else in
    /// braces stays as written.
    #[test]
    fn messages_fill_text_and_variables() {
        let text = "He said it twice.\r\nAnd then a line that goes on and on and on past fifty.";
        let doc = Document::new(text);
        let finding = Finding::new(Span::new(0, 17)).with_var("form", "twice");
        let render = |template| render_message(template, &doc, &finding);
        assert_eq!(
            render("`{text}` says {form} {unknown} {form}"),
            "`He said it twice.` says twice {unknown} twice"
        );
        assert_eq!(render("no braces"), "no braces");
        assert_eq!(render("open { brace"), "open { brace");
        assert_eq!(render("{form}"), "twice");
        let whole = Finding::new(Span::new(0, text.len()));
        let long = render_message("{text}", &doc, &whole);
        assert_eq!(long, "He said it twice.⏎And then a line that goes on …");
        assert_eq!(long.chars().count(), 48);
        assert_eq!(quoted("a\nb\r\nc\rd"), "a⏎b⏎c\rd");
        assert_eq!(quoted(&"x".repeat(50)), "x".repeat(50));
    }

    /// The hits of one document are not another's: a text with none of a
    /// gated rule's needles, linted after one with many, finds nothing.
    #[test]
    fn hits_kept_for_their_buffers_are_not_reused() {
        let linter = Linter::new(RuleSet::default_pack().unwrap());
        // "tbe" (ocr-misreading, reported where its needle is found) at the
        // bytes where the clean text has "the".
        let ad = "It was tbe end.\n\nThis site uses cookies.\n\n\
                  Read: The minister resigns after a week of protests\n";
        let clean = "It was the end of a long day, and the committee went home to \
                     rest before the vote.\n";
        let found = linter.check(ad);
        assert!(found.len() >= 3, "{found:?}");
        let clean_alone = Linter::new(RuleSet::default_pack().unwrap()).check(clean);
        assert!(clean_alone.is_empty(), "{clean_alone:?}");
        assert_eq!(linter.check(clean), clean_alone);
        assert_eq!(linter.check(ad), found);
    }

    #[test]
    fn long_texts_are_cut_after_blank_lines() {
        let para = "One line of a paragraph.\nAnother line.\n\n";
        let text = para.repeat(40);
        let cuts = parts(&text, 100);
        assert!(cuts.len() > 5);
        assert_eq!(cuts.first().unwrap().0, 0);
        assert_eq!(cuts.last().unwrap().1, text.len());
        for pair in cuts.windows(2) {
            assert_eq!(pair[0].1, pair[1].0, "parts are contiguous");
            assert!(text[..pair[0].1].ends_with("\n\n") || text[pair[0].1..].starts_with('\n'));
        }
        // CRLF blank lines too; a text with no line break stays whole.
        let crlf = para.replace('\n', "\r\n");
        assert!(parts(&crlf.repeat(40), 100).len() > 5);
        assert_eq!(parts(&"x".repeat(1000), 100), vec![(0, 1000)]);
    }

    #[test]
    fn findings_in_later_parts_point_into_the_whole_text() {
        let linter = Linter::new(RuleSet::default_pack().unwrap());
        let para = "The results were in in the morning, and and the team left.\n\n\
                    Photo: The minister at the summit\n\n";
        let text = para.repeat(30);
        // Duplicates are found within a part only; the rest is local.
        let local = |found: Vec<Diagnostic>| -> Vec<String> {
            found
                .into_iter()
                .filter(|d| &*d.rule != "duplicate-text")
                .map(|d| format!("{} {:?} {:?}", d.rule, d.span, d.fix.map(|f| f.edits)))
                .collect()
        };
        let whole = local(linter.check_in_parts(&text, usize::MAX / 4, None));
        let cut = local(linter.check_in_parts(&text, 200, None));
        assert!(parts(&text, 200).len() > 10);
        assert!(whole.len() >= 60);
        assert!(cut == whole, "{cut:#?}");
        let mut timings = Timings::default();
        linter.check_in_parts(&text, 200, Some(&mut timings));
        assert!(timings.document > Duration::ZERO);
    }
    /// Runs `check` on a pool of `threads` threads.
    fn on_threads(linter: &Linter, text: &str, threads: usize) -> Vec<Diagnostic> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| linter.check(text))
    }

    /// Every bad example of every rule, over and over.
    fn examples_repeated(rules: &RuleSet, bytes: usize) -> String {
        let mut text = String::new();
        while text.len() < bytes {
            for bad in rules.rules.iter().flat_map(|r| &r.examples.bad) {
                text.push_str(bad);
                text.push_str("\n\n");
            }
        }
        text
    }

    #[test]
    fn rules_run_in_parallel_find_what_one_thread_finds() {
        let linter = Linter::new(RuleSet::default_pack().unwrap());
        let text = examples_repeated(linter.rules(), PARALLEL_RULES_BYTES + 1);
        let one = on_threads(&linter, &text, 1);
        let rules: std::collections::BTreeSet<&str> = one.iter().map(|d| &*d.rule).collect();
        assert!(
            rules.len() * 10 > linter.rules().rules.len() * 9,
            "{rules:?}"
        );
        assert!(one == on_threads(&linter, &text, 2));
    }

    /// A rule that reads line classes and also sets them runs after the other
    /// classifying rules, in parallel as on one thread: here a duplicate rule
    /// must see the credit lines the pattern rule marks before it.
    #[test]
    fn a_rule_reading_marks_waits_for_the_rules_that_set_them() {
        let pack = r#"
[[rule]]
id = "credit"
category = "boilerplate"
kind = "pattern"
marks = "credit"
message = "credit"
pattern = '^Photo: [^\n]+$'
[rule.examples]
bad = ["Photo: Jane Doe"]
good = ["A photo."]

[[rule]]
id = "copies"
category = "duplication"
kind = "duplicate"
marks = "chrome"
message = "copy"
min_chars = 20
threshold = 1.0
[rule.examples]
bad = ["A paragraph long enough to count.\n\nA paragraph long enough to count."]
good = ["One paragraph only, long enough."]
"#;
        let mut rules = RuleSet::default();
        rules.add_file("pack.toml", pack).unwrap();
        let linter = Linter::new(rules);
        assert_eq!(linter.batches.len(), 2, "the duplicate rule starts a batch");
        let mut text = String::new();
        for n in 0..20_000 {
            text.push_str(&format!("Paragraph {n} of the story goes on and on.\n\n"));
            text.push_str("Photo: The minister at the summit, in a long credit line\n\n");
        }
        assert!(text.len() > PARALLEL_RULES_BYTES);
        let found = on_threads(&linter, &text, 2);
        assert!(found.iter().any(|d| &*d.rule == "credit"));
        // Marked as credits, the copies count however many there are; unmarked,
        // a text repeated more than twice is taken for a refrain and skipped.
        let mut copies = found.iter().filter(|d| &*d.rule == "copies");
        assert!(copies.clone().count() > 10_000);
        assert!(copies.all(|d| text[d.span.start..].starts_with("Photo:")));
        assert!(found == on_threads(&linter, &text, 1));
    }
}
