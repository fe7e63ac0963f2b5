//! Snapshots of the machine formats (sarif, github, jsonl) on a small input, so a
//! change to any of them is reviewed as a readable diff.

mod common;

/// Runs `residue check` on `input` as standard input named `name`.
fn check(name: &str, input: &str, args: &[&str]) -> String {
    let mut all = vec!["check", "--stdin-filename", name];
    all.extend_from_slice(args);
    all.push("-");
    let out = common::run_with_stdin(std::path::Path::new("."), &all, input);
    assert_eq!(out.code, 1, "findings exit 1");
    out.stdout
}

/// A doubled word after an emoji (columns differ in bytes, characters and UTF-16
/// units), and a message that needs escaping in workflow commands.
const INPUT: &str =
    "Smile 😀 and the the cat sat here today.\nIt was 100% true, true: the the end.\n";

#[test]
fn sarif() {
    let out = check(
        "dir/a b.txt",
        INPUT,
        &["--format", "sarif", "--select", "doubled-word"],
    );
    let value: serde_json::Value = serde_json::from_str(&out).expect("SARIF is one JSON document");
    insta::assert_snapshot!(serde_json::to_string_pretty(&value).unwrap());
}

#[test]
fn github() {
    insta::assert_snapshot!(check(
        "dir/a,b:c.txt",
        INPUT,
        &["--format", "github", "--select", "doubled-word"]
    ));
}

#[test]
fn jsonl() {
    let out = check(
        "a.txt",
        INPUT,
        &["--format", "jsonl", "--select", "doubled-word"],
    );
    // Same objects as `--format json`, one per line.
    let json = check(
        "a.txt",
        INPUT,
        &["--format", "json", "--select", "doubled-word"],
    );
    let array: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(array, lines);
    insta::assert_snapshot!(out);
}
