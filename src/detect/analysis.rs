//! What loading a pattern works out from its syntax tree: the literals every
//! match holds (its needles), whether the regex need only run around them, the
//! gate of small texts, and the `hit` group.
//!
//! Parsing the built-in rules' patterns and working this out took about 15
//! million instructions, half of checking one small file. It depends on
//! nothing but the pattern and its case setting, so for the built-in rules it
//! is kept in `analyses.json`, written by the test
//! `the_built_in_analyses_are_up_to_date`: after changing a built-in pattern
//! or the code of the analysis, run it with `RESIDUE_UPDATE_ANALYSES=1`. A
//! pattern that is not there (a user's rule, or a built-in one changed since)
//! is parsed and analysed when its rule loads, which finds the same.
//!
//! The file is used only by the code that wrote it: it holds a fingerprint of
//! the sources the analysis comes from and of the common-word list
//! (`CODE`, taken by `build.rs`; `crate::fingerprint` lists them). A build
//! whose sources differ, or whose file does not read as its own, analyses
//! every pattern afresh, as correct and slower to start, until the file is
//! written again (the test fails meanwhile). A new version of `regex-syntax`
//! could parse a pattern differently too; the test, which CI runs, catches
//! that.

use super::gate::Gate;
use super::pattern::check_syntax;
use super::prefilter::{self, Required};
use super::ParamError;
use crate::rules::schema::RawRule;
use regex_syntax::hir::{Hir, HirKind};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Analysis {
    pub pattern: String,
    pub case_sensitive: bool,
    /// The index of the capture group named `hit`.
    pub hit: Option<usize>,
    /// Literals every match holds (`prefilter::required_literals`).
    pub required: Option<Required>,
    /// Whether the regex need only run near those (`prefilter::can_prefilter`).
    pub prefiltered: bool,
    pub gate: Gate,
}

impl Analysis {
    /// The analysis of `pattern`, parsed as written (`written`).
    fn of(pattern: &str, case_sensitive: bool, written: &Hir) -> Analysis {
        Analysis {
            pattern: pattern.to_string(),
            case_sensitive,
            hit: capture_index(written, "hit"),
            required: prefilter::required_literals(written, case_sensitive),
            prefiltered: prefilter::can_prefilter(written),
            gate: Gate::new(written, case_sensitive),
        }
    }
}

/// The analysis of a rule's `pattern`, and the pattern as written when it had
/// to be parsed (a case-sensitive regex is later compiled from it). Fails on a
/// syntax error, with the message compiling would give.
pub fn analyse(
    rule: &RawRule,
    pattern: &str,
    case_sensitive: bool,
) -> Result<(Analysis, Option<Hir>), ParamError> {
    let known = BUILT_IN
        .iter()
        .find(|a| a.case_sensitive == case_sensitive && a.pattern == pattern);
    if let Some(known) = known {
        return Ok((known.clone(), None));
    }
    let written = check_syntax(rule, pattern)?;
    Ok((
        Analysis::of(pattern, case_sensitive, &written),
        Some(written),
    ))
}

/// What `analyses.json` holds.
#[derive(Serialize, Deserialize)]
struct Cache {
    /// `CODE` of the build that wrote it.
    code: String,
    analyses: Vec<Analysis>,
}

/// The fingerprint of the code of the analysis, taken by `build.rs`
/// (`crate::fingerprint`), in hexadecimal.
const CODE: &str = env!("RESIDUE_ANALYSIS_CODE");

/// The built-in rules' analyses (none when another build wrote the file).
static BUILT_IN: LazyLock<Vec<Analysis>> = LazyLock::new(|| load(include_str!("analyses.json")));

/// The analyses `json` holds, if this build's code wrote them; none if
/// other code did, whose file may not even read as this code's `Cache`.
fn load(json: &str) -> Vec<Analysis> {
    match serde_json::from_str::<Cache>(json) {
        Ok(cache) if cache.code == CODE => cache.analyses,
        _ => Vec::new(),
    }
}

/// The index of the capture group with this name.
fn capture_index(hir: &Hir, name: &str) -> Option<usize> {
    match hir.kind() {
        HirKind::Capture(c) if c.name.as_deref() == Some(name) => Some(c.index as usize),
        HirKind::Capture(c) => capture_index(&c.sub, name),
        HirKind::Repetition(r) => capture_index(&r.sub, name),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().find_map(|s| capture_index(s, name))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{line_class, pattern};
    use crate::rules::schema::RuleFile;
    use crate::rules::DEFAULT_PACK;

    const FILE: &str = "src/detect/analyses.json";

    /// Every pattern of the built-in rules with its case setting, as the
    /// rules load them.
    fn built_in_patterns() -> Vec<(RawRule, String, bool)> {
        let mut patterns = Vec::new();
        for (path, text) in DEFAULT_PACK {
            let file: RuleFile = toml::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            for rule in file.rule {
                let rule = rule.into_inner();
                let case_sensitive = match rule.kind.get_ref().as_str() {
                    "pattern" => pattern::case_sensitive(&rule),
                    "line" => line_class::case_sensitive(&rule),
                    _ => continue,
                };
                if let Some(p) = rule.pattern.clone() {
                    patterns.push((rule, p.into_inner(), case_sensitive));
                }
            }
        }
        patterns
    }

    /// What analysing each built-in pattern finds now, as the file holds it.
    fn written_now() -> String {
        let patterns = built_in_patterns();
        assert!(patterns.len() > 20, "{} patterns", patterns.len());
        let analyses: Vec<Analysis> = patterns
            .iter()
            .map(|(rule, pattern, case_sensitive)| {
                let written = check_syntax(rule, pattern).expect("a built-in pattern parses");
                Analysis::of(pattern, *case_sensitive, &written)
            })
            .collect();
        let cache = Cache {
            code: CODE.to_string(),
            analyses,
        };
        serde_json::to_string_pretty(&cache).unwrap() + "\n"
    }

    /// `analyses.json` holds what analysing each built-in pattern finds now,
    /// and nothing else, written by this code. With `RESIDUE_UPDATE_ANALYSES=1`
    /// the test writes it (the binary holds the file as it was when built:
    /// the next build holds the new one).
    #[test]
    fn the_built_in_analyses_are_up_to_date() {
        let json = written_now();
        if std::env::var_os("RESIDUE_UPDATE_ANALYSES").is_some() {
            std::fs::write(FILE, &json).unwrap();
            return;
        }
        assert!(
            std::fs::read_to_string(FILE).unwrap() == json,
            "{FILE} is out of date: run `RESIDUE_UPDATE_ANALYSES=1 cargo test \
             the_built_in_analyses_are_up_to_date` and commit the file"
        );
        // Read back, it is what was written.
        let cache: Cache = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string_pretty(&cache).unwrap() + "\n", json);
        assert!(!BUILT_IN.is_empty(), "the built-in analyses are used");
    }

    /// The file is used as the binary loads it only when this code wrote it:
    /// not with another fingerprint, nor when its analyses do not read as
    /// this code's (a field added or renamed), nor when it is damaged.
    #[test]
    fn analyses_written_by_other_code_are_not_used() {
        let json = written_now();
        assert!(!load(&json).is_empty());
        let other = json.replacen(CODE, "0123456789abcdef", 1);
        assert!(other != json && load(&other).is_empty());
        let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
        for analysis in value["analyses"].as_array_mut().unwrap() {
            analysis.as_object_mut().unwrap().remove("prefiltered");
        }
        assert!(load(&value.to_string()).is_empty());
        assert!(load(&json[..json.len() / 2]).is_empty());
    }

    /// A built-in pattern is not parsed when its rule loads; another one is,
    /// and finds what the file would hold for it.
    #[test]
    fn only_patterns_not_built_in_are_parsed() {
        for (rule, pattern, case_sensitive) in built_in_patterns() {
            let (analysis, written) = analyse(&rule, &pattern, case_sensitive).unwrap();
            assert!(written.is_none(), "{pattern} parsed");
            assert_eq!(analysis.pattern, pattern);
        }
        let (rule, pattern, case_sensitive) = built_in_patterns().remove(0);
        let changed = format!("{pattern}|changed");
        let (analysis, written) = analyse(&rule, &changed, case_sensitive).unwrap();
        assert!(written.is_some());
        assert_eq!(analysis.pattern, changed);
        let (_, written) = analyse(&rule, &pattern, !case_sensitive).unwrap();
        assert!(written.is_some(), "the case setting is part of the key");
    }
}
