//! `residue.toml`: discovery, keys, flags that override it, errors; exit policy.

mod common;

use common::{rules, run, write};
use tempfile::TempDir;

const DOUBLED: &str = "We saw the the cat.\n";
const DOUBLED_AND_COMMA: &str = "We saw the the cat.\nIn Geneva,, the office said so.\n";

fn concise(dir: &std::path::Path, args: &[&str]) -> (i32, Vec<String>, String) {
    let mut all = vec!["check", "--format", "concise"];
    all.extend(args);
    let out = run(dir, &all);
    (out.code, rules(&out.stdout), out.stderr)
}

#[test]
fn found_from_the_working_folder_upward() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "residue.toml", "ignore = [\"doubled-word\"]\n");
    write(dir.path(), "deep/er/a.txt", DOUBLED_AND_COMMA);
    let (code, found, _) = concise(&dir.path().join("deep/er"), &["a.txt"]);
    assert_eq!((code, found), (1, vec!["doubled-comma".to_string()]));
}

#[test]
fn dot_residue_toml_is_found_too() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), ".residue.toml", "select = [\"repetition\"]\n");
    write(dir.path(), "a.txt", DOUBLED_AND_COMMA);
    let (_, found, _) = concise(dir.path(), &["a.txt"]);
    assert_eq!(found, ["doubled-word"]);
}

#[test]
fn flags_override_the_file_and_no_config_skips_it() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "residue.toml", "select = [\"repetition\"]\n");
    write(dir.path(), "a.txt", DOUBLED_AND_COMMA);
    let (_, found, _) = concise(dir.path(), &["--select", "punctuation", "a.txt"]);
    assert_eq!(found, ["doubled-comma"]);
    let (_, found, _) = concise(dir.path(), &["--no-config", "a.txt"]);
    assert_eq!(found, ["doubled-word", "doubled-comma"]);
}

#[test]
fn config_flag_names_the_file() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "conf/other.toml",
        "ignore = [\"punctuation\"]\n",
    );
    write(dir.path(), "a.txt", DOUBLED_AND_COMMA);
    let (_, found, _) = concise(dir.path(), &["--config", "conf/other.toml", "a.txt"]);
    assert_eq!(found, ["doubled-word"]);
}

#[test]
fn unknown_key_is_an_error_with_line_and_column() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "residue.toml",
        "select = [\"ocr\"]\n\n  selekt = [\"ocr\"]\n",
    );
    write(dir.path(), "a.txt", DOUBLED);
    let (code, _, stderr) = concise(dir.path(), &["a.txt"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("residue.toml:3:3: unknown field `selekt`"),
        "{stderr}"
    );
}

#[test]
fn unknown_rule_name_in_the_file_is_an_error() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "residue.toml",
        "ignore = [\"ocr\", \"no-such-rule\"]\n",
    );
    write(dir.path(), "a.txt", DOUBLED);
    let (code, _, stderr) = concise(dir.path(), &["a.txt"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("residue.toml:1:18: unknown rule or category `no-such-rule`"),
        "{stderr}"
    );
}

#[test]
fn severity_overrides() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "residue.toml",
        "[severity]\npunctuation = \"info\"\ndoubled-word = \"error\"\n",
    );
    write(dir.path(), "a.txt", DOUBLED_AND_COMMA);
    let out = run(dir.path(), &["check", "--format", "concise", "a.txt"]);
    assert!(out.stdout.contains("error[doubled-word]"), "{}", out.stdout);
    assert!(out.stdout.contains("info[doubled-comma]"), "{}", out.stdout);
}

#[test]
fn rule_packs_relative_to_the_config_file() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "residue.toml",
        "rules = [\"house\"]\nselect = [\"house-word\"]\n",
    );
    write(
        dir.path(),
        "house/words.toml",
        r#"[[rule]]
id = "house-word"
category = "consistency"
kind = "phrase"
message = "write `e-mail`"
phrases = ["email"]
[rule.examples]
bad = ["Send an email."]
good = ["Send an e-mail."]
"#,
    );
    write(dir.path(), "sub/a.txt", "Send an email today.\n");
    let (_, found, stderr) = concise(&dir.path().join("sub"), &["a.txt"]);
    assert_eq!(found, ["house-word"], "{stderr}");
}

#[test]
fn include_exclude_and_per_path_ignores() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "residue.toml",
        "exclude = [\"vendor/**\"]\n[per-path-ignores]\n\"drafts/**\" = [\"repetition\"]\n",
    );
    write(dir.path(), "vendor/a.txt", DOUBLED);
    write(dir.path(), "drafts/b.txt", DOUBLED_AND_COMMA);
    write(dir.path(), "final/c.txt", DOUBLED);
    let out = run(dir.path(), &["check", "--format", "concise", "."]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(lines[0].contains("drafts/b.txt:2:") && lines[0].contains("[doubled-comma]"));
    assert!(lines[1].contains("final/c.txt:1:") && lines[1].contains("[doubled-word]"));
    // A file named on the command line is linted even if excluded.
    let (_, found, _) = concise(dir.path(), &["vendor/a.txt"]);
    assert_eq!(found, ["doubled-word"]);

    write(dir.path(), "residue.toml", "include = [\"final/**\"]\n");
    let out = run(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(out.stdout.lines().count(), 1);
    assert!(out.stdout.contains("final/c.txt"));
}

#[test]
fn fail_on_and_exit_zero_from_flags() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", DOUBLED); // a warning
    assert_eq!(concise(dir.path(), &["a.txt"]).0, 1);
    assert_eq!(concise(dir.path(), &["--fail-on", "warning", "a.txt"]).0, 1);
    assert_eq!(concise(dir.path(), &["--fail-on", "error", "a.txt"]).0, 0);
    assert_eq!(concise(dir.path(), &["--exit-zero", "a.txt"]).0, 0);
    // Findings are still reported with --exit-zero.
    assert_eq!(
        concise(dir.path(), &["--exit-zero", "a.txt"]).1,
        ["doubled-word"]
    );
    // Errors about the run still exit 2.
    assert_eq!(concise(dir.path(), &["--exit-zero", "missing.txt"]).0, 2);
}

#[test]
fn fail_on_and_exit_zero_from_the_file() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", DOUBLED);
    write(dir.path(), "residue.toml", "fail-on = \"error\"\n");
    assert_eq!(concise(dir.path(), &["a.txt"]).0, 0);
    // The flag wins over the file.
    assert_eq!(concise(dir.path(), &["--fail-on", "info", "a.txt"]).0, 1);
    write(dir.path(), "residue.toml", "exit-zero = true\n");
    assert_eq!(concise(dir.path(), &["a.txt"]).0, 0);
    write(
        dir.path(),
        "residue.toml",
        "[severity]\ndoubled-word = \"error\"\nfail-on = \"warning\"\n",
    );
    // `fail-on` here is inside [severity]: an unknown rule name, exit 2.
    assert_eq!(concise(dir.path(), &["a.txt"]).0, 2);
}
