//! Snapshots of the machine formats (sarif, github, jsonl) on a small input, so a
//! change to any of them is reviewed as a readable diff.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `residue check` on `input` as standard input named `name`.
fn check(name: &str, input: &str, args: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_residue"))
        .args(["check", "--stdin-filename", name])
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "findings exit 1");
    String::from_utf8(out.stdout).unwrap()
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
