//! `kind = "line"`: whole-line classification of page furniture.
//!
//! A line is flagged when it is short (`min_words` to `max_words` words) and listed
//! phrases or pattern matches cover at least `min_coverage` of its letters and
//! digits. Coverage, not mere presence, is what separates a toolbar ("Listen 4 min
//! Comment Gift Article Share") from a sentence that happens to say "share".

use super::analysis::analyse;
use super::lazy_regex::LazyRegex;
use super::phrase::{whole_word, Phrases};
use super::prefilter::as_needles;
use super::{flag, Detector, Finding, Hits, Needles, ParamError, Stage};
use crate::diagnostic::Span;
use crate::document::{Document, Line};
use crate::rules::schema::RawRule;
use aho_corasick::AhoCorasick;
use regex_automata::meta;

#[derive(Debug)]
pub struct LineClassifier {
    /// A line is flagged only when it holds one: the phrases, and literals every
    /// match of the pattern holds (none when the pattern has no such literals).
    needles: Option<Needles>,
    phrases: Option<Phrases>,
    /// Checked when the rule loads, compiled when a line first needs it.
    pattern: Option<LazyRegex>,
    min_words: usize,
    max_words: usize,
    min_coverage: f64,
}

/// Whether a line rule matches case-sensitively (its default: no).
pub fn case_sensitive(rule: &RawRule) -> bool {
    flag(&rule.case_sensitive, false)
}

pub fn compile(rule: &RawRule) -> Result<Box<dyn Detector>, ParamError> {
    let case_sensitive = case_sensitive(rule);
    let phrases = rule
        .phrases
        .as_ref()
        .map(|p| Phrases::new(p.get_ref().clone(), case_sensitive));
    // The pattern's needles: `Some(None)` when it has none to gate on.
    let (pattern, pattern_needles) = match &rule.pattern {
        Some(p) => {
            let (analysis, written) = analyse(rule, p.get_ref(), case_sensitive)?;
            let needles = analysis
                .required
                .map(|r| as_needles(&r.literals, case_sensitive));
            let regex = LazyRegex::new(
                p.get_ref(),
                case_sensitive,
                written,
                super::pattern::SIZE_LIMIT,
            );
            (Some(regex), Some(needles))
        }
        None => (None, None),
    };
    if phrases.is_none() && pattern.is_none() {
        return Err(ParamError::at(
            rule.kind.span(),
            "kind `line` needs `phrases`, `pattern`, or both",
        ));
    }
    let min_coverage = rule
        .min_coverage
        .as_ref()
        .map(|v| *v.get_ref())
        .unwrap_or(0.75);
    if !(0.0..=1.0).contains(&min_coverage) {
        let span = rule
            .min_coverage
            .as_ref()
            .map(|v| v.span())
            .unwrap_or_default();
        return Err(ParamError::at(
            span,
            "`min_coverage` must be between 0 and 1",
        ));
    }
    let phrase_needles = phrases.as_ref().map(Phrases::needles);
    let needles = match pattern_needles {
        None => phrase_needles,
        Some(needles) => needles.map(|mut n| {
            if let Some(phrases) = phrase_needles {
                n.exact.extend(phrases.exact);
                n.folded.extend(phrases.folded);
            }
            n
        }),
    };
    Ok(Box::new(LineClassifier {
        needles,
        phrases,
        pattern,
        min_words: rule.min_words.as_ref().map(|v| *v.get_ref()).unwrap_or(1),
        max_words: rule.max_words.as_ref().map(|v| *v.get_ref()).unwrap_or(20),
        min_coverage,
    }))
}

impl LineClassifier {
    /// The phrase automaton and the regex to search a text of `len` bytes
    /// with (both built on first use).
    fn searchers(&self, len: usize) -> Searchers<'_> {
        Searchers {
            phrases: self.phrases.as_ref().map(|p| p.searcher(len)),
            regex: self.pattern.as_ref().map(|regex| regex.get(len)),
        }
    }

    /// The share of the line's letters and digits inside a phrase or a match
    /// of the pattern. Most lines hold neither, and cost only the searches.
    fn coverage(&self, with: &Searchers, line: &str) -> f64 {
        let mut spans: Vec<(usize, usize)> = Vec::new();
        if let Some(phrases) = with.phrases {
            spans.extend(
                phrases
                    .find_iter(line)
                    .filter(|m| whole_word(line, m.start(), m.end()))
                    .map(|m| (m.start(), m.end())),
            );
        }
        if let Some(regex) = with.regex {
            spans.extend(regex.find_iter(line).map(|m| (m.start(), m.end())));
        }
        if spans.is_empty() {
            return 0.0;
        }
        let mut covered = vec![false; line.len()];
        for (s, e) in spans {
            covered[s..e].fill(true);
        }
        let (mut total, mut hit) = (0usize, 0usize);
        for (i, c) in line.char_indices() {
            if c.is_alphanumeric() {
                total += 1;
                hit += usize::from(covered[i]);
            }
        }
        if total == 0 {
            0.0
        } else {
            hit as f64 / total as f64
        }
    }
}

/// What `coverage` searches a line with.
struct Searchers<'a> {
    phrases: Option<&'a AhoCorasick>,
    regex: Option<&'a meta::Regex>,
}

impl LineClassifier {
    fn check_line(&self, doc: &Document, with: &Searchers, line: &Line, out: &mut Vec<Finding>) {
        if line.blank || line.word_count() > self.max_words || line.word_count() < self.min_words {
            return;
        }
        let covered = self.coverage(with, doc.slice(line.trimmed));
        if covered > 0.0 && covered >= self.min_coverage {
            out.push(Finding::new(Span::new(
                line.trimmed.start,
                line.trimmed.end,
            )));
        }
    }
}

impl Detector for LineClassifier {
    fn validate(&self) -> Result<(), String> {
        self.pattern.as_ref().map_or(Ok(()), LazyRegex::validate)
    }

    fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        let with = self.searchers(doc.text.len());
        for line in &doc.lines {
            self.check_line(doc, &with, line, out);
        }
    }

    fn needles(&self) -> Option<Needles> {
        self.needles.clone()
    }

    fn hits_are_cheap(&self) -> bool {
        true
    }

    /// Only the lines holding a needle can be covered at all. Hits and lines
    /// are both in text order, so they are walked together.
    fn check_at(&self, doc: &Document, hits: Hits, out: &mut Vec<Finding>) {
        let with = self.searchers(doc.text.len());
        let (mut index, mut measured) = (0, None);
        for &(start, _) in hits {
            // `Document::line_at`, moving on from the last hit's line.
            while doc
                .lines
                .get(index + 1)
                .is_some_and(|l| l.span.start <= start)
            {
                index += 1;
            }
            if measured != Some(index) {
                measured = Some(index);
                self.check_line(doc, &with, &doc.lines[index], out);
            }
        }
    }

    fn stage(&self) -> Stage {
        Stage::Classify
    }

    fn prose_only(&self) -> bool {
        false
    }
}
