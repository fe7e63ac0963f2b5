//! Applying fixes: choosing non-overlapping edits, applying them, and re-linting
//! until the text stops changing.
//!
//! Fixes are all-or-nothing: a `Fix` whose edits would overlap an edit already
//! accepted is dropped as a whole, so a fix is never half-applied. The choice is
//! deterministic (fixes are taken in order of their first edit, then rule id), and
//! a dropped fix gets another chance on the next pass, when the text it conflicted
//! with has been repaired and re-linted.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use std::collections::BTreeMap;

/// How many lint-and-fix passes at most. A well-behaved rule set converges in two
/// or three; the cap keeps two rules that undo each other from looping forever.
pub const MAX_PASSES: usize = 10;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    /// Only fixes marked safe (`--fix`).
    Safe,
    /// Safe and unsafe fixes (`--fix --unsafe-fixes`).
    Unsafe,
}

impl FixMode {
    pub fn allows(self, applicability: Applicability) -> bool {
        match self {
            FixMode::Safe => applicability == Applicability::Safe,
            FixMode::Unsafe => true,
        }
    }
}

/// The outcome of one `apply` pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    /// Fixes applied.
    pub fixes: usize,
    /// Fixes dropped because they overlapped one already taken.
    pub conflicts: usize,
}

/// Accepted edits, keyed by start, for overlap checks.
#[derive(Default)]
struct Taken {
    edits: BTreeMap<(usize, usize), String>,
}

impl Taken {
    /// Two edits conflict when their ranges overlap, or when both insert at the
    /// same point (their order would be a guess). Accepted edits are disjoint, so
    /// the last one starting before `edit.end` is the only one that can overlap.
    fn conflicts(&self, edit: &Edit) -> bool {
        let overlaps = self
            .edits
            .range(..(edit.end, 0))
            .next_back()
            .is_some_and(|(&(_, end), _)| end > edit.start);
        let same_point = edit.start == edit.end && self.edits.contains_key(&(edit.start, edit.end));
        overlaps || same_point
    }

    fn take(&mut self, fix: &Fix) -> bool {
        let mut edits: Vec<&Edit> = fix.edits.iter().collect();
        edits.sort_by_key(|e| (e.start, e.end));
        // The fix's own edits must not overlap one another either.
        let self_overlap = edits.windows(2).any(|w| w[1].start < w[0].end);
        if self_overlap || edits.iter().any(|e| self.conflicts(e)) {
            return false;
        }
        for e in edits {
            self.edits.insert((e.start, e.end), e.replacement.clone());
        }
        true
    }
}

/// Applies the fixes `mode` allows to `text` in one pass. Fixes whose edits fall
/// outside the text, off a character boundary, or on the byte-order mark are
/// ignored (a detector bug must not corrupt a file).
pub fn apply(text: &str, diagnostics: &[Diagnostic], mode: FixMode) -> Applied {
    // The byte-order mark is the file's, not the prose's: no fix may touch it.
    let bom = crate::source::bom_len(text);
    let mut fixes: Vec<(&Diagnostic, &Fix)> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref().map(|f| (d, f)))
        .filter(|(_, f)| mode.allows(f.applicability) && !f.edits.is_empty())
        .filter(|(_, f)| {
            f.edits.iter().all(|e| {
                e.start <= e.end
                    && e.start >= bom
                    && e.end <= text.len()
                    && text.is_char_boundary(e.start)
                    && text.is_char_boundary(e.end)
            })
        })
        .collect();
    fixes.sort_by(|(da, fa), (db, fb)| {
        let first = |f: &Fix| f.edits.iter().map(|e| (e.start, e.end)).min();
        (first(fa), &da.rule).cmp(&(first(fb), &db.rule))
    });
    let mut taken = Taken::default();
    let mut applied = 0;
    let mut conflicts = 0;
    for (_, fix) in fixes {
        if taken.take(fix) {
            applied += 1;
        } else {
            conflicts += 1;
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for ((start, end), replacement) in &taken.edits {
        out.push_str(&text[at..*start]);
        out.push_str(replacement);
        at = *end;
    }
    out.push_str(&text[at..]);
    Applied {
        text: out,
        fixes: applied,
        conflicts,
    }
}

/// The outcome of fixing to a fixpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Fixes applied over all passes.
    pub fixes: usize,
    /// Passes that changed the text.
    pub passes: usize,
    /// The diagnostics of the final text: what is left to report.
    pub remaining: Vec<Diagnostic>,
}

/// Lints, fixes, and re-lints until nothing changes or `MAX_PASSES` is reached.
///
/// `lint` is the whole check the caller reports (rules, suppressions, per-path
/// ignores), so a suppressed finding is never fixed.
pub fn fix_until_stable(
    text: &str,
    mode: FixMode,
    lint: impl Fn(&str) -> Vec<Diagnostic>,
) -> Fixed {
    let mut current = text.to_string();
    let mut diagnostics = lint(&current);
    let mut fixes = 0;
    let mut passes = 0;
    while passes < MAX_PASSES {
        let applied = apply(&current, &diagnostics, mode);
        if applied.fixes == 0 || applied.text == current {
            break;
        }
        fixes += applied.fixes;
        passes += 1;
        current = applied.text;
        diagnostics = lint(&current);
    }
    Fixed {
        text: current,
        fixes,
        passes,
        remaining: diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Category, Severity, Span};

    fn diag(rule: &str, applicability: Applicability, edits: Vec<Edit>) -> Diagnostic {
        let start = edits.iter().map(|e| e.start).min().unwrap_or(0);
        let end = edits.iter().map(|e| e.end).max().unwrap_or(0);
        Diagnostic {
            rule: rule.into(),
            category: Some(Category::Repetition),
            severity: Severity::Warning,
            message: String::new(),
            span: Span::new(start, end),
            fix: Some(Fix::new(applicability, "fix", edits)),
        }
    }

    fn del(start: usize, end: usize) -> Edit {
        Edit::delete(Span::new(start, end))
    }

    #[test]
    fn applies_safe_fixes_only_by_default() {
        let text = "the the cat sat.. down";
        let d = vec![
            diag("doubled-word", Applicability::Safe, vec![del(3, 7)]),
            diag("other", Applicability::Unsafe, vec![del(16, 17)]),
        ];
        assert_eq!(apply(text, &d, FixMode::Safe).text, "the cat sat.. down");
        assert_eq!(apply(text, &d, FixMode::Unsafe).text, "the cat sat. down");
    }

    #[test]
    fn overlapping_fix_is_dropped_whole() {
        let text = "abcdefgh";
        let d = vec![
            diag("a", Applicability::Safe, vec![del(0, 3)]),
            // Its second edit overlaps the first fix: neither edit is applied.
            diag("b", Applicability::Safe, vec![del(6, 7), del(2, 4)]),
        ];
        let applied = apply(text, &d, FixMode::Safe);
        assert_eq!(applied.text, "defgh");
        assert_eq!((applied.fixes, applied.conflicts), (1, 1));
    }

    #[test]
    fn insertions_at_one_point_conflict() {
        let text = "ab";
        let d = vec![
            diag(
                "a",
                Applicability::Safe,
                vec![Edit::replace(Span::new(1, 1), "x")],
            ),
            diag(
                "b",
                Applicability::Safe,
                vec![Edit::replace(Span::new(1, 1), "y")],
            ),
        ];
        assert_eq!(apply(text, &d, FixMode::Safe).text, "axb");
    }

    #[test]
    fn adjacent_edits_both_apply() {
        let text = "abcd";
        let d = vec![
            diag("a", Applicability::Safe, vec![del(0, 2)]),
            diag(
                "b",
                Applicability::Safe,
                vec![Edit::replace(Span::new(2, 4), "X")],
            ),
        ];
        assert_eq!(apply(text, &d, FixMode::Safe).text, "X");
    }

    #[test]
    fn edits_off_char_boundaries_are_ignored() {
        let text = "é";
        let d = vec![diag("a", Applicability::Safe, vec![del(0, 1)])];
        assert_eq!(apply(text, &d, FixMode::Safe).text, "é");
    }

    #[test]
    fn fixpoint_reaches_a_stable_text() {
        // A toy rule: every "aa" becomes "a"; needs several passes on "aaaa".
        let lint = |t: &str| -> Vec<Diagnostic> {
            t.find("aa")
                .map(|i| diag("aa", Applicability::Safe, vec![del(i, i + 1)]))
                .into_iter()
                .collect()
        };
        let fixed = fix_until_stable("aaaa", FixMode::Safe, lint);
        assert_eq!(fixed.text, "a");
        assert_eq!(fixed.passes, 3);
        assert!(fixed.remaining.is_empty());
    }
}
