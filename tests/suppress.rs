//! Suppression comments, `unused-suppression`, and baselines.

mod common;

use common::{read, rules, run, write};
use tempfile::TempDir;

fn check(text: &str, args: &[&str]) -> (i32, Vec<String>, String) {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.md", text);
    let mut all = vec!["check", "--format", "concise"];
    all.extend(args);
    all.push("a.md");
    let out = run(dir.path(), &all);
    (out.code, rules(&out.stdout), out.stdout)
}

#[test]
fn next_line_form() {
    let text = "<!-- residue-ignore doubled-word -->\nWe saw the the cat.\nWe saw the the dog.\n";
    let (_, found, out) = check(text, &[]);
    assert_eq!(found, ["doubled-word"]);
    assert!(out.contains("a.md:3:"), "{out}");
}

#[test]
fn same_line_form_with_a_category() {
    let text = "We saw the the cat. <!-- residue-ignore-line repetition -->\n";
    assert_eq!(check(text, &[]).0, 0);
}

#[test]
fn disable_and_enable_a_range() {
    let text = "Intro text here.\n\n<!-- residue-disable doubled-word -->\nWe saw the the cat.\n\nAnd the the dog.\n<!-- residue-enable doubled-word -->\n\nThen the the bird.\n";
    let (_, found, out) = check(text, &[]);
    assert_eq!(found, ["doubled-word"]);
    assert!(out.contains("a.md:9:"), "{out}");
}

#[test]
fn whole_file_form_with_several_names() {
    let text = "<!-- residue-ignore-file doubled-word, doubled-comma -->\nWe saw the the cat.\nIn Geneva,, they met.\n";
    assert_eq!(check(text, &[]).0, 0);
    // No names: every rule.
    let text = "<!-- residue-ignore-file -->\nWe saw the the cat.\nIn Geneva,, they met.\n";
    assert_eq!(check(text, &[]).0, 0);
}

#[test]
fn unused_suppression_is_reported() {
    let text = "<!-- residue-ignore ocr -->\nA clean sentence.\n";
    let (code, found, _) = check(text, &[]);
    assert_eq!((code, found), (1, vec!["unused-suppression".to_string()]));
    // Off when --select does not name it, on when it does, off when ignored.
    assert_eq!(check(text, &["--select", "repetition"]).0, 0);
    assert_eq!(
        check(text, &["--select", "unused-suppression"]).1,
        ["unused-suppression"]
    );
    assert_eq!(check(text, &["--ignore", "unused-suppression"]).0, 0);
}

#[test]
fn unused_suppression_has_a_null_category_in_json() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "a.md",
        "<!-- residue-ignore ocr -->\nA clean sentence.\n",
    );
    let out = run(dir.path(), &["check", "--format", "json", "a.md"]);
    let v: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v[0]["rule"], "unused-suppression");
    assert!(v[0]["category"].is_null());
}

#[test]
fn directives_do_not_trigger_other_rules() {
    let text = "# Notes\n\n<!-- residue-disable ocr -->\nThe first paragraph is clean.\n<!-- residue-enable ocr -->\n\n<!-- residue-ignore-file ocr -->\nAnother clean paragraph follows here.\n";
    let (_, found, out) = check(text, &["--ignore", "unused-suppression"]);
    assert!(found.is_empty(), "{out}");
}

#[test]
fn bare_words_are_not_directives() {
    let text = "residue-ignore-file\nWe saw the the cat.\n";
    assert_eq!(check(text, &[]).1, ["doubled-word"]);
}

#[test]
fn suppressed_findings_are_not_fixed() {
    let dir = TempDir::new().unwrap();
    let text = "We saw the the cat. <!-- residue-ignore-line -->\nWe saw the the dog.\n";
    write(dir.path(), "a.md", text);
    run(dir.path(), &["check", "--fix", "a.md"]);
    assert_eq!(
        read(dir.path(), "a.md"),
        "We saw the the cat. <!-- residue-ignore-line -->\nWe saw the dog.\n"
    );
}

#[test]
fn baseline_survives_an_edit_elsewhere() {
    let dir = TempDir::new().unwrap();
    let old = "An introduction that is long enough.\n\nWe saw the the cat in the garden.\n";
    write(dir.path(), "a.md", old);
    let out = run(
        dir.path(),
        &["check", "--write-baseline", "baseline.json", "a.md"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    let file: serde_json::Value = serde_json::from_str(&read(dir.path(), "baseline.json")).unwrap();
    assert_eq!(file["version"], 1);
    assert_eq!(file["entries"][0]["rule"], "doubled-word");
    assert_eq!(file["entries"][0]["path"], "a.md");

    let args = [
        "check",
        "--format",
        "concise",
        "--baseline",
        "baseline.json",
        "a.md",
    ];
    assert_eq!(run(dir.path(), &args).code, 0);

    // Lines added above: the old finding moved but is still known.
    let edited = format!("A new first line.\n\nAnd a second paragraph.\n\n{old}");
    write(dir.path(), "a.md", &edited);
    let out = run(dir.path(), &args);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));

    // A second identical finding is new (the copy is also reported as duplicate
    // text); only one of the two doubled words is.
    write(
        dir.path(),
        "a.md",
        &format!("{edited}\nWe saw the the cat in the garden.\n"),
    );
    let out = run(dir.path(), &args);
    assert_eq!(out.code, 1);
    let found = rules(&out.stdout);
    assert_eq!(
        found.iter().filter(|r| *r == "doubled-word").count(),
        1,
        "{found:?}"
    );

    // A new finding of another kind is reported.
    write(dir.path(), "a.md", &format!("{old}In Geneva,, they met.\n"));
    let out = run(dir.path(), &args);
    assert_eq!(rules(&out.stdout), ["doubled-comma"]);
}

#[test]
fn bad_baseline_file_is_an_error() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.md", "Clean.\n");
    write(dir.path(), "b.json", "{\"version\": 1}");
    assert_eq!(
        run(dir.path(), &["check", "--baseline", "b.json", "a.md"]).code,
        2
    );
}
