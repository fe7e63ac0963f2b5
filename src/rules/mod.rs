//! Rules: loading rule files into a validated, compiled `RuleSet`.
//!
//! Every problem in a rule file is a `RuleError` that names the file, line and
//! column: TOML syntax, unknown keys, missing fields, unknown kinds, categories or
//! severities, invalid regular expressions, parameters a kind does not take, and
//! duplicate ids across all loaded packs.

pub mod schema;

use crate::detect::{self, Detector, ParamError};
use crate::diagnostic::{Applicability, Category, Severity};
use crate::document::LineClass;
use crate::located::{FileError, NamedText};
use schema::{Examples, RawFix, RawRule, RuleFile};
use std::collections::HashMap;
use std::sync::Arc;

/// The default rule pack, compiled into the binary: one file per artifact family.
pub const DEFAULT_PACK: &[(&str, &str)] = &[
    (
        "rules/duplication.toml",
        include_str!("../../rules/duplication.toml"),
    ),
    (
        "rules/boilerplate.toml",
        include_str!("../../rules/boilerplate.toml"),
    ),
    (
        "rules/advertising.toml",
        include_str!("../../rules/advertising.toml"),
    ),
    (
        "rules/injected-link.toml",
        include_str!("../../rules/injected-link.toml"),
    ),
    (
        "rules/repetition.toml",
        include_str!("../../rules/repetition.toml"),
    ),
    (
        "rules/punctuation.toml",
        include_str!("../../rules/punctuation.toml"),
    ),
    (
        "rules/line-break.toml",
        include_str!("../../rules/line-break.toml"),
    ),
    (
        "rules/capitalization.toml",
        include_str!("../../rules/capitalization.toml"),
    ),
    (
        "rules/mistranslation.toml",
        include_str!("../../rules/mistranslation.toml"),
    ),
    (
        "rules/encoding.toml",
        include_str!("../../rules/encoding.toml"),
    ),
    (
        "rules/consistency.toml",
        include_str!("../../rules/consistency.toml"),
    ),
    ("rules/ocr.toml", include_str!("../../rules/ocr.toml")),
];

/// A problem in a rule file, with its place.
pub type RuleError = FileError;

/// What a rule does to the text when fixed, for kinds whose findings carry no fix
/// of their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixAction {
    /// Delete the flagged text (and one space after it, if any).
    Delete,
    /// Delete the whole line(s) the finding is on.
    DeleteLine,
    /// Replace the flagged text (pattern rules expand `$1` groups themselves).
    Replace(String),
}

#[derive(Debug, Clone)]
pub struct RuleFix {
    pub action: FixAction,
    pub applicability: Applicability,
    pub description: String,
}

#[derive(Debug)]
pub struct Rule {
    pub id: Arc<str>,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub enabled: bool,
    pub marks: Option<LineClass>,
    pub kind: &'static str,
    pub fix: Option<RuleFix>,
    pub examples: Examples,
    /// The file the rule came from, and the line and column of its id.
    pub origin: String,
    pub origin_line: usize,
    pub origin_column: usize,
    pub detector: Box<dyn Detector>,
}

impl Rule {
    /// Whether this rule's findings can carry a fix.
    pub fn has_fix(&self) -> bool {
        self.fix.is_some() || detect::kind(self.kind).is_some_and(|k| k.fixes)
    }
}

pub(crate) fn parse_applicability(fix: &RawFix) -> Result<Applicability, ParamError> {
    match fix
        .applicability
        .as_ref()
        .map(|a| (a.get_ref().as_str(), a.span()))
    {
        None => Ok(Applicability::Unsafe),
        Some(("safe", _)) => Ok(Applicability::Safe),
        Some(("unsafe", _)) => Ok(Applicability::Unsafe),
        Some((other, span)) => Err(ParamError::at(
            span,
            format!("unknown applicability `{other}`: expected `safe` or `unsafe`"),
        )),
    }
}

fn parse_fix(fix: &RawFix) -> Result<RuleFix, ParamError> {
    let applicability = parse_applicability(fix)?;
    let action = match fix.action.get_ref().as_str() {
        "delete" => FixAction::Delete,
        "delete-line" => FixAction::DeleteLine,
        "replace" => FixAction::Replace(fix.replacement.clone().ok_or_else(|| {
            ParamError::at(fix.action.span(), "a `replace` fix needs a `replacement`")
        })?),
        other => {
            return Err(ParamError::at(
                fix.action.span(),
                format!(
                    "unknown fix action `{other}`: expected `delete`, `delete-line` or `replace`"
                ),
            ))
        }
    };
    let description = fix.description.clone().unwrap_or_else(|| match &action {
        FixAction::Delete => "delete it".into(),
        FixAction::DeleteLine => "delete the line".into(),
        FixAction::Replace(r) => format!("replace with `{r}`"),
    });
    Ok(RuleFix {
        action,
        applicability,
        description,
    })
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn compile_rule(ctx: &NamedText, mut raw: RawRule) -> Result<Rule, RuleError> {
    let id = raw.id.get_ref().clone();
    if !is_kebab(&id) {
        return Err(ctx.error(
            raw.id.span(),
            format!("rule id `{id}` must be kebab-case (a-z, 0-9, -)"),
        ));
    }
    let category = Category::parse(raw.category.get_ref()).ok_or_else(|| {
        let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        ctx.error(
            raw.category.span(),
            format!(
                "unknown category `{}`: expected one of {}",
                raw.category.get_ref(),
                names.join(", ")
            ),
        )
    })?;
    let severity = match raw
        .severity
        .as_ref()
        .map(|s| (s.get_ref().as_str(), s.span()))
    {
        None | Some(("warning", _)) => Severity::Warning,
        Some(("error", _)) => Severity::Error,
        Some(("info", _)) => Severity::Info,
        Some((other, span)) => {
            return Err(ctx.error(
                span,
                format!("unknown severity `{other}`: expected error, warning or info"),
            ))
        }
    };
    let kind = detect::kind(raw.kind.get_ref()).ok_or_else(|| {
        let names: Vec<&str> = detect::KINDS.iter().map(|k| k.name).collect();
        ctx.error(
            raw.kind.span(),
            format!(
                "unknown kind `{}`: expected one of {}",
                raw.kind.get_ref(),
                names.join(", ")
            ),
        )
    })?;
    for (param, span) in raw.params_set() {
        if !kind.params.contains(&param) {
            return Err(ctx.error(
                span,
                format!("kind `{}` does not take `{param}`", kind.name),
            ));
        }
    }
    let marks = match &raw.marks {
        None => None,
        Some(m) => Some(LineClass::parse(m.get_ref()).ok_or_else(|| {
            ctx.error(
                m.span(),
                format!(
                    "unknown line class `{}`: expected chrome, credit, caption, ad or link",
                    m.get_ref()
                ),
            )
        })?),
    };
    let fix = match &raw.fix {
        None => None,
        Some(f) => Some(
            parse_fix(f.get_ref()).map_err(|e| ctx.error(e.span.unwrap_or(f.span()), e.message))?,
        ),
    };
    let (examples, examples_span) = match raw.examples.take() {
        Some(e) => {
            let span = e.span();
            (e.into_inner(), span)
        }
        None => (Examples::default(), raw.id.span()),
    };
    if examples.bad.is_empty() || examples.good.is_empty() {
        return Err(ctx.error(
            examples_span,
            format!("rule `{id}` needs at least one `bad` and one `good` example (under [rule.examples])"),
        ));
    }
    let (origin_line, origin_column) = ctx.line_col(raw.id.span().start);
    let detector = (kind.compile)(&raw)
        .map_err(|e| ctx.error(e.span.unwrap_or(raw.kind.span()), e.message))?;
    Ok(Rule {
        id: Arc::from(id),
        category,
        severity,
        message: raw.message,
        help: raw.help,
        enabled: raw.enabled.unwrap_or(true),
        marks,
        kind: kind.name,
        fix,
        examples,
        origin: ctx.path.to_string(),
        origin_line,
        origin_column,
        detector,
    })
}

/// Parses and compiles one rule file.
pub fn load_file(path: &str, text: &str) -> Result<Vec<Rule>, RuleError> {
    let ctx = NamedText::new(path, text);
    let file: RuleFile = ctx.parse_toml()?;
    file.rule
        .into_iter()
        .map(|raw| compile_rule(&ctx, raw.into_inner()))
        .collect()
}

fn validate(rules: &[Rule]) -> Result<(), RuleError> {
    for rule in rules {
        rule.detector.validate().map_err(|message| RuleError {
            path: rule.origin.clone(),
            line: rule.origin_line,
            column: rule.origin_column,
            message: format!("rule `{}`: {message}", rule.id),
        })?;
    }
    Ok(())
}

/// Which rules run: `select` and `ignore` name rule ids or categories. An empty
/// `select` means every rule that is on by default.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    fn names(rule: &Rule, name: &str) -> bool {
        name == "all" || *rule.id == *name || rule.category.as_str() == name
    }

    pub fn allows(&self, rule: &Rule) -> bool {
        let selected = if self.select.is_empty() {
            rule.enabled
        } else {
            // Naming a rule by id turns it on even when it is off by default.
            self.select.iter().any(|n| *rule.id == **n)
                || (rule.enabled && self.select.iter().any(|n| Self::names(rule, n)))
        };
        selected && !self.ignore.iter().any(|n| Self::names(rule, n))
    }
}

/// All loaded rules, compiled once.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The default pack that ships inside the binary.
    ///
    /// Its regexes are compiled on first use (start-up stays cheap); the test
    /// suite validates them all (`RuleSet::validate`).
    pub fn default_pack() -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for (path, text) in DEFAULT_PACK {
            set.add_rules(path, load_file(path, text)?)?;
        }
        Ok(set)
    }

    /// Adds a rule file, compiling everything in it now: a pattern too large to
    /// compile is reported here, with the rule's place. An id already loaded is
    /// an error pointing at the new one.
    pub fn add_file(&mut self, path: &str, text: &str) -> Result<(), RuleError> {
        let rules = load_file(path, text)?;
        validate(&rules)?;
        self.add_rules(path, rules)
    }

    /// Compiles every lazily built part of every rule.
    pub fn validate(&self) -> Result<(), RuleError> {
        validate(&self.rules)
    }

    fn add_rules(&mut self, path: &str, rules: Vec<Rule>) -> Result<(), RuleError> {
        let mut known: HashMap<&str, &str> = self
            .rules
            .iter()
            .map(|r| (&*r.id, r.origin.as_str()))
            .collect();
        for rule in &rules {
            if let Some(origin) = known.insert(&rule.id, &rule.origin) {
                return Err(RuleError {
                    path: path.to_string(),
                    line: rule.origin_line,
                    column: rule.origin_column,
                    message: format!(
                        "duplicate rule id `{}` (already defined in {origin})",
                        rule.id
                    ),
                });
            }
        }
        self.rules.extend(rules);
        Ok(())
    }

    /// Names in a selection that match no rule id and no category.
    pub fn unknown_names<'a>(&self, names: &'a [String]) -> Vec<&'a str> {
        names
            .iter()
            .filter(|n| {
                n.as_str() != "all"
                    && Category::parse(n).is_none()
                    && !self.rules.iter().any(|r| *r.id == ***n)
            })
            .map(String::as_str)
            .collect()
    }

    /// Keeps only the rules the selection allows.
    pub fn select(mut self, selection: &Selection) -> RuleSet {
        self.rules.retain(|r| selection.allows(r));
        self
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}
