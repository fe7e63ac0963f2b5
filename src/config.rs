//! `residue.toml`: project settings, parsed from text. Finding the file (from the
//! working folder upward) is the binary's job; this module only reads it, so every
//! mistake can be reported with the file, line and column.
//!
//! ```toml
//! select = ["all"]                  # rule ids or categories
//! ignore = ["capitalization"]
//! rules = ["house-rules"]           # extra rule packs, relative to this file
//! include = ["articles/**"]         # walked files must match one of these
//! exclude = ["**/vendor/**"]
//! fail-on = "warning"               # error | warning | info
//! exit-zero = false
//!
//! [severity]
//! doubled-word = "error"            # a rule id or a category
//!
//! [per-path-ignores]
//! "drafts/**" = ["boilerplate"]
//! ```

use crate::diagnostic::{Category, Diagnostic, Severity};
use crate::located::{FileError, NamedText};
use crate::rules::RuleSet;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The file names looked for, in order, in each folder.
pub const FILE_NAMES: &[&str] = &["residue.toml", ".residue.toml"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<Severity>>,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    per_path_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    fail_on: Option<Severity>,
    exit_zero: Option<bool>,
}

/// A problem in a configuration file, with its place.
pub type ConfigError = FileError;

/// A rule id or category name as written, with its place for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub name: String,
    pub line: usize,
    pub column: usize,
}

/// Globs and the rule ids or categories ignored in the files they match.
#[derive(Debug, Clone)]
pub struct PathIgnore {
    pub glob: String,
    matcher: GlobSet,
    pub names: Vec<Name>,
}

/// A parsed configuration file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it came from, as shown in messages.
    pub path: String,
    pub select: Vec<Name>,
    pub ignore: Vec<Name>,
    /// Severity overrides: rule id or category, and the new severity.
    pub severity: Vec<(Name, Severity)>,
    /// Rule-pack folders as written (relative to the config file's folder).
    pub rules: Vec<String>,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    pub per_path_ignores: Vec<PathIgnore>,
    pub fail_on: Option<Severity>,
    pub exit_zero: Option<bool>,
}

struct Ctx<'a> {
    file: NamedText<'a>,
}

impl Ctx<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        self.file.error(span, message)
    }

    fn name(&self, s: &Spanned<String>) -> Name {
        let (line, column) = self.file.line_col(s.span().start);
        Name {
            name: s.get_ref().clone(),
            line,
            column,
        }
    }

    fn globs(&self, globs: &[Spanned<String>]) -> Result<Option<GlobSet>, ConfigError> {
        if globs.is_empty() {
            return Ok(None);
        }
        let mut builder = GlobSetBuilder::new();
        for g in globs {
            let glob = Glob::new(g.get_ref())
                .map_err(|e| self.error(g.span(), format!("invalid glob: {}", e.kind())))?;
            builder.add(glob);
        }
        builder
            .build()
            .map(Some)
            .map_err(|e| self.error(globs[0].span(), format!("invalid glob: {e}")))
    }
}

/// Parses a configuration file's text; `path` is only used in error messages.
pub fn parse(path: &str, text: &str) -> Result<Config, ConfigError> {
    let ctx = Ctx {
        file: NamedText::new(path, text),
    };
    let raw: RawConfig = ctx.file.parse_toml()?;
    let mut per_path_ignores = Vec::new();
    for (glob, names) in &raw.per_path_ignores {
        per_path_ignores.push(PathIgnore {
            glob: glob.get_ref().clone(),
            matcher: ctx
                .globs(std::slice::from_ref(glob))?
                .expect("one glob was given"),
            names: names.iter().map(|n| ctx.name(n)).collect(),
        });
    }
    Ok(Config {
        path: path.to_string(),
        select: raw.select.iter().map(|n| ctx.name(n)).collect(),
        ignore: raw.ignore.iter().map(|n| ctx.name(n)).collect(),
        severity: raw
            .severity
            .iter()
            .map(|(k, v)| (ctx.name(k), *v.get_ref()))
            .collect(),
        rules: raw.rules,
        include: ctx.globs(&raw.include)?,
        exclude: ctx.globs(&raw.exclude)?,
        per_path_ignores,
        fail_on: raw.fail_on,
        exit_zero: raw.exit_zero,
    })
}

impl Config {
    fn error(&self, name: &Name, message: String) -> ConfigError {
        ConfigError {
            path: self.path.clone(),
            line: name.line,
            column: name.column,
            message,
        }
    }

    /// Every name in the file must be a loaded rule id, a category, `all`, or one
    /// of `extra` (residue's own findings such as `unused-suppression`).
    pub fn check_names(&self, set: &RuleSet, extra: &[&str]) -> Result<(), ConfigError> {
        let names = self
            .select
            .iter()
            .chain(&self.ignore)
            .chain(self.severity.iter().map(|(n, _)| n))
            .chain(self.per_path_ignores.iter().flat_map(|p| &p.names));
        for name in names {
            let n = name.name.as_str();
            let known = n == "all"
                || Category::parse(n).is_some()
                || set.get(n).is_some()
                || extra.contains(&n);
            if !known {
                return Err(self.error(
                    name,
                    format!("unknown rule or category `{n}` (see `residue rules`)"),
                ));
            }
        }
        Ok(())
    }

    /// Applies the `[severity]` overrides: categories first, then rule ids, so a
    /// rule's own line wins over its family's.
    pub fn apply_severity(&self, set: &mut RuleSet) {
        let by_category = self
            .severity
            .iter()
            .filter(|(n, _)| Category::parse(&n.name).is_some());
        let by_id = self
            .severity
            .iter()
            .filter(|(n, _)| Category::parse(&n.name).is_none());
        for (name, severity) in by_category.chain(by_id) {
            for rule in &mut set.rules {
                if *rule.id == *name.name || rule.category.as_str() == name.name {
                    rule.severity = *severity;
                }
            }
        }
    }

    /// Whether a file found by walking a folder is linted. `relative` is its path
    /// relative to the config file's folder.
    pub fn includes(&self, relative: &Path) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(relative))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(relative))
    }

    /// The names `[per-path-ignores]` turns off for a file (path relative to the
    /// config file's folder).
    pub fn ignored_in(&self, relative: &Path) -> Vec<&str> {
        self.per_path_ignores
            .iter()
            .filter(|p| p.matcher.is_match(relative))
            .flat_map(|p| p.names.iter().map(|n| n.name.as_str()))
            .collect()
    }
}

/// Drops the findings whose rule id or category is in `names`.
pub fn drop_named(diagnostics: &mut Vec<Diagnostic>, names: &[&str]) {
    if names.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        !names
            .iter()
            .any(|n| *n == "all" || **n == *d.rule || d.category.is_some_and(|c| c.as_str() == *n))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let text = r#"
select = ["repetition", "ocr"]
ignore = ["glued-word"]
rules = ["packs"]
include = ["**/*.md"]
exclude = ["vendor/**"]
fail-on = "warning"
exit-zero = true

[severity]
doubled-word = "error"

[per-path-ignores]
"drafts/**" = ["boilerplate"]
"#;
        let c = parse("residue.toml", text).unwrap();
        assert_eq!(c.select[1].name, "ocr");
        assert_eq!((c.select[1].line, c.select[1].column), (2, 25));
        assert_eq!(c.severity[0].1, Severity::Error);
        assert_eq!(c.fail_on, Some(Severity::Warning));
        assert_eq!(c.exit_zero, Some(true));
        assert!(c.includes(Path::new("a/b.md")));
        assert!(!c.includes(Path::new("a/b.txt")));
        assert!(!c.includes(Path::new("vendor/x.md")));
        assert_eq!(c.ignored_in(Path::new("drafts/x/y.md")), ["boilerplate"]);
        assert!(c.ignored_in(Path::new("final/y.md")).is_empty());
    }

    #[test]
    fn unknown_key_names_line_and_column() {
        let err = parse("residue.toml", "select = []\n  colour = true\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 3));
        assert!(err.message.contains("unknown field `colour`"), "{err}");
        assert!(err.to_string().starts_with("residue.toml:2:3: "));
    }

    #[test]
    fn bad_severity_and_glob_are_errors() {
        let err = parse("r.toml", "[severity]\nx = \"fatal\"\n").unwrap_err();
        assert_eq!(err.line, 2);
        let err = parse("r.toml", "exclude = [\"a[\"]\n").unwrap_err();
        assert_eq!((err.line, err.column), (1, 12));
    }

    #[test]
    fn unknown_rule_names_are_reported_with_their_place() {
        let c = parse("r.toml", "ignore = [\"ocr\", \"no-such-rule\"]\n").unwrap();
        let set = RuleSet::default_pack().unwrap();
        let err = c.check_names(&set, &[]).unwrap_err();
        assert_eq!((err.line, err.column), (1, 18));
    }
}
