//! Every rule of the default pack is checked against its own examples, and broken
//! rule files are reported with file, line and column.

mod common;

use residue::{Linter, RuleSet};

fn default_linter() -> Linter {
    Linter::new(RuleSet::default_pack().expect("the default pack loads"))
}

/// Rule examples are written as TOML strings; `\n` in them is a real line break.
#[test]
fn every_rule_fires_on_its_bad_examples_and_not_on_its_good_ones() {
    let linter = default_linter();
    let mut failures = Vec::new();
    for rule in &linter.rules().rules {
        assert!(
            !rule.examples.bad.is_empty() && !rule.examples.good.is_empty(),
            "{} needs bad and good examples",
            rule.id
        );
        for bad in &rule.examples.bad {
            let found = linter.check(bad);
            if !found.iter().any(|d| d.rule == rule.id) {
                failures.push(format!("{}: silent on bad example {bad:?}", rule.id));
            }
        }
        for good in &rule.examples.good {
            let found = linter.check(good);
            if let Some(d) = found.iter().find(|d| d.rule == rule.id) {
                failures.push(format!(
                    "{}: fires on good example {good:?} at {:?}: {}",
                    rule.id, d.span, d.message
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_pattern_of_the_default_pack_compiles() {
    RuleSet::default_pack()
        .unwrap()
        .validate()
        .expect("all regexes compile");
}

#[test]
fn a_pattern_too_large_to_compile_is_a_load_error_not_a_crash() {
    let err = load_error(&VALID.replace("'Subscribe now'", r"'(?:\w{50}){60}'"));
    assert!(
        err.message
            .contains("rule `my-rule`: invalid regular expression"),
        "{err}"
    );
    assert_eq!((err.path.as_str(), err.line), ("extra.toml", 3), "{err}");
}

#[test]
fn every_category_of_the_taxonomy_has_a_rule() {
    let linter = default_linter();
    for category in residue::Category::ALL {
        assert!(
            linter.rules().rules.iter().any(|r| r.category == category),
            "no rule for {category}"
        );
    }
}

#[test]
fn spans_never_split_a_character_and_fixes_apply() {
    let linter = default_linter();
    for rule in &linter.rules().rules {
        for text in rule.examples.bad.iter().chain(&rule.examples.good) {
            for d in linter.check(text) {
                assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
                assert!(
                    d.span.start < d.span.end,
                    "{} reports an empty span",
                    d.rule
                );
                for edit in d.fix.iter().flat_map(|f| &f.edits) {
                    assert!(edit.start <= edit.end && edit.end <= text.len());
                    assert!(text.is_char_boundary(edit.start) && text.is_char_boundary(edit.end));
                }
            }
        }
    }
}

fn load_error(text: &str) -> residue::RuleError {
    let mut set = RuleSet::default_pack().unwrap();
    set.add_file("extra.toml", text)
        .expect_err("the rule file is rejected")
}

const VALID: &str = r#"
[[rule]]
id = "my-rule"
category = "boilerplate"
kind = "pattern"
message = "found {text}"
pattern = 'Subscribe now'
[rule.examples]
bad = ["Subscribe now"]
good = ["subscribe later"]
"#;

#[test]
fn a_valid_extra_pack_loads_and_runs() {
    let mut set = RuleSet::default_pack().unwrap();
    set.add_file("extra.toml", VALID).unwrap();
    let linter = Linter::new(set);
    let found = linter.check("Please Subscribe now.");
    assert!(found
        .iter()
        .any(|d| &*d.rule == "my-rule" && d.message == "found Subscribe now"));
}

#[test]
fn bad_toml_points_at_line_and_column() {
    let err = load_error("[[rule]]\nid = \"x\"\ncategory = \n");
    assert_eq!((err.path.as_str(), err.line), ("extra.toml", 3), "{err}");
    assert!(err.column >= 1);
}

#[test]
fn unknown_kind_points_at_the_kind() {
    let err = load_error(&VALID.replace("kind = \"pattern\"", "kind = \"telepathy\""));
    assert_eq!((err.line, err.column), (5, 8), "{err}");
    assert!(err.message.contains("unknown kind `telepathy`"), "{err}");
}

#[test]
fn missing_field_is_reported() {
    let err = load_error(&VALID.replace("message = \"found {text}\"\n", ""));
    assert!(err.message.contains("missing field `message`"), "{err}");
    assert_eq!(err.line, 2, "{err}");
}

#[test]
fn invalid_regex_points_at_the_pattern() {
    let err = load_error(&VALID.replace("'Subscribe now'", "'Subscribe (now'"));
    assert_eq!((err.line, err.column), (7, 11), "{err}");
    assert!(err.message.contains("invalid regular expression"), "{err}");
}

#[test]
fn duplicate_id_names_the_first_definition() {
    let err = load_error(&VALID.replace("my-rule", "doubled-word"));
    assert_eq!((err.line, err.column), (3, 6), "{err}");
    assert!(
        err.message.contains("duplicate rule id `doubled-word`"),
        "{err}"
    );
    assert!(err.message.contains("rules/repetition.toml"), "{err}");
}

#[test]
fn unknown_keys_categories_and_parameters_are_rejected() {
    let err = load_error(&VALID.replace("pattern = ", "patern = "));
    assert!(err.message.contains("unknown field `patern`"), "{err}");
    let err = load_error(&VALID.replace("\"boilerplate\"", "\"spam\""));
    assert!(err.message.contains("unknown category `spam`"), "{err}");
    let err = load_error(&VALID.replace(
        "pattern = 'Subscribe now'",
        "pattern = 'x'\nthreshold = 0.5",
    ));
    assert!(
        err.message
            .contains("kind `pattern` does not take `threshold`"),
        "{err}"
    );
    assert_eq!(err.line, 8, "{err}");
}

#[test]
fn rules_without_examples_are_rejected() {
    let err = load_error(&VALID.replace("good = [\"subscribe later\"]", ""));
    assert!(
        err.message
            .contains("needs at least one `bad` and one `good` example"),
        "{err}"
    );
}

/// The engine runs a rule only where its needles occur (one scan for all rules);
/// that must find exactly what the rule finds scanning the text itself. Checked
/// on the seeds, every rule example, and texts made to trip the scan: needles
/// overlapping other rules' needles, characters that fold to ASCII letters under
/// case-insensitive matching (`ſ`, the Kelvin sign), CRLF.
#[test]
fn needle_gating_finds_what_each_rule_finds_alone() {
    use residue::document::Document;
    use residue::needle_scan::NeedleScanner;
    let set = RuleSet::default_pack().unwrap();
    let scanner = NeedleScanner::for_rules(&set);
    assert!(
        (0..set.rules.len()).filter(|&i| scanner.gated(i)).count() >= 15,
        "most pattern, phrase and line rules are gated"
    );
    // A line rule gates on needles as common as `-`: a hit only marks a line.
    let toolbar = set.rules.iter().position(|r| &*r.id == "page-toolbar");
    assert!(scanner.gated(toolbar.unwrap()));
    let mut texts: Vec<String> = common::seed_paths()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for rule in &set.rules {
        texts.extend(rule.examples.bad.iter().cloned());
        texts.extend(rule.examples.good.iter().cloned());
    }
    texts.push(
        "We uſe cookies to improve this site.\r\nCopyright 2023 Ca\u{212A}e Inc. All rights reserved.\r\n\
         Subscribe to our newsletter for more. (AP Photo/Jo Doe) Read more: this casino wins\n"
            .into(),
    );
    // Toolbar lines found by page-toolbar's pattern alone (gated on `-`
    // and the pattern's words as well as the phrases).
    texts.push("12 min read\n2022-09-01T10:00Z\nA sentence that is prose.\n".into());
    texts.push("Share this story 4 comments\n5 min read\nPrint\n".into());
    let mut hits = Vec::new();
    let mut compared = 0;
    for text in &texts {
        let doc = Document::new(text);
        scanner.scan(text, &mut hits);
        for (i, rule) in set.rules.iter().enumerate() {
            if !scanner.gated(i) {
                continue;
            }
            let mut alone = Vec::new();
            rule.detector.check(&doc, &mut alone);
            let mut gated = Vec::new();
            if !hits[i].is_empty() {
                rule.detector.check_at(&doc, &hits[i], &mut gated);
            }
            assert_eq!(gated, alone, "{} on {text:?}", rule.id);
            compared += alone.len();
        }
    }
    assert!(compared > 50, "the comparison saw findings ({compared})");
}
