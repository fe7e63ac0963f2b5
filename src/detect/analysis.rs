//! What loading a pattern works out from its syntax tree: the literals every
//! match holds (its needles), whether the regex need only run around them, the
//! gate of small texts, and the `hit` group.
//!
//! Parsing the built-in rules' patterns and working this out took about 15
//! million instructions, half of checking one small file. It depends on
//! nothing but the pattern and its case setting, so for the built-in rules it
//! is kept in `analyses.json`, written by the test
//! `the_built_in_analyses_are_up_to_date`: after changing a built-in pattern
//! or this analysis, run it with `RESIDUE_UPDATE_ANALYSES=1`. A pattern that is
//! not there (a user's rule, or a built-in one changed since) is parsed and
//! analysed when its rule loads, which finds the same.

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

/// The built-in rules' analyses.
static BUILT_IN: LazyLock<Vec<Analysis>> = LazyLock::new(|| {
    serde_json::from_str(include_str!("analyses.json"))
        .expect("analyses.json is as the test wrote it")
});

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

/// Bytes in `analyses.json`: a string when they are UTF-8 (so the file reads
/// as the rules do), else a list of numbers.
pub(crate) mod byte_string {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        Text(String),
        Numbers(Vec<u8>),
    }

    pub fn serialize<S: Serializer>(bytes: &[u8], to: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) => to.serialize_str(text),
            Err(_) => bytes.serialize(to),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Vec<u8>, D::Error> {
        Ok(match Form::deserialize(from)? {
            Form::Text(text) => text.into_bytes(),
            Form::Numbers(bytes) => bytes,
        })
    }
}

/// A list of `byte_string`s.
pub(crate) mod byte_strings {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Item(#[serde(with = "super::byte_string")] Vec<u8>);

    struct Ref<'a>(&'a [u8]);

    impl Serialize for Ref<'_> {
        fn serialize<S: Serializer>(&self, to: S) -> Result<S::Ok, S::Error> {
            super::byte_string::serialize(self.0, to)
        }
    }

    pub fn serialize<S: Serializer>(list: &[Vec<u8>], to: S) -> Result<S::Ok, S::Error> {
        to.collect_seq(list.iter().map(|bytes| Ref(bytes)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Vec<Vec<u8>>, D::Error> {
        let items = Vec::<Item>::deserialize(from)?;
        Ok(items.into_iter().map(|Item(bytes)| bytes).collect())
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

    /// `analyses.json` holds what analysing each built-in pattern finds now,
    /// and nothing else. With `RESIDUE_UPDATE_ANALYSES=1` the test writes it.
    #[test]
    fn the_built_in_analyses_are_up_to_date() {
        let patterns = built_in_patterns();
        assert!(patterns.len() > 20, "{} patterns", patterns.len());
        let analyses: Vec<Analysis> = patterns
            .iter()
            .map(|(rule, pattern, case_sensitive)| {
                let written = check_syntax(rule, pattern).expect("a built-in pattern parses");
                Analysis::of(pattern, *case_sensitive, &written)
            })
            .collect();
        let mut json = serde_json::to_string_pretty(&analyses).unwrap();
        json.push('\n');
        if std::env::var_os("RESIDUE_UPDATE_ANALYSES").is_some() {
            std::fs::write(FILE, &json).unwrap();
        }
        assert!(
            std::fs::read_to_string(FILE).unwrap() == json,
            "{FILE} is out of date: run `RESIDUE_UPDATE_ANALYSES=1 cargo test \
             the_built_in_analyses_are_up_to_date` and commit the file"
        );
        // What the rules load is the file as the binary holds it.
        let held = serde_json::to_string_pretty(&*BUILT_IN).unwrap() + "\n";
        assert!(held == json, "rebuild after updating {FILE}");
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

    #[test]
    fn bytes_read_back_as_written() {
        let required = Required {
            literals: vec![b"getty".to_vec(), "é".into(), vec![0xff, b'a'], Vec::new()],
            starts: true,
        };
        let json = serde_json::to_string(&required).unwrap();
        assert_eq!(
            json,
            r#"{"literals":["getty","é",[255,97],""],"starts":true}"#
        );
        let back: Required = serde_json::from_str(&json).unwrap();
        assert_eq!(back, required);
    }
}
