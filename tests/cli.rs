//! The command-line contract of DESIGN.md: exit codes, the concise and JSON
//! formats, rule listing, and bad input (invalid UTF-8, binary, empty, CRLF, BOM,
//! huge lines, unreadable paths, broken rule packs), run as a user would.

mod common;

use common::{run, run_with_stdin, write};
use serde_json::Value;

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn json(out: &str) -> Vec<Value> {
    serde_json::from_str::<Vec<Value>>(out).expect("--format json prints one JSON array")
}

#[test]
fn exit_codes_zero_one_two() {
    let dir = temp();
    write(dir.path(), "clean.txt", "A clean sentence.\n");
    write(
        dir.path(),
        "dirty.txt",
        "It was in particular particular bad.\n",
    );
    assert_eq!(run(dir.path(), &["check", "clean.txt"]).code, 0);
    assert_eq!(run(dir.path(), &["check", "dirty.txt"]).code, 1);
    assert_eq!(run(dir.path(), &["check", "missing.txt"]).code, 2);
    assert_eq!(
        run(
            dir.path(),
            &["check", "--select", "no-such-rule", "clean.txt"]
        )
        .code,
        2
    );
    assert_eq!(
        run(dir.path(), &["check", "--format", "yaml", "clean.txt"]).code,
        2
    );
}

#[test]
fn json_has_the_contract_fields() {
    let dir = temp();
    // "é" before the finding: byte offsets and character columns differ.
    write(
        dir.path(),
        "a.txt",
        "Café.\nIt was in particular particular bad.\n",
    );
    let out = run(dir.path(), &["check", "--format", "json", "a.txt"]);
    assert_eq!(out.code, 1);
    let diags = json(&out.stdout);
    let d = diags
        .iter()
        .find(|d| d["rule"] == "doubled-word")
        .expect("doubled word found");
    assert_eq!(d["path"], "a.txt");
    assert_eq!(d["category"], "repetition");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["message"], "`particular` is doubled");
    let text = "Café.\nIt was in particular particular bad.\n";
    let start = text.find("particular").unwrap();
    let span = &d["span"];
    assert_eq!(span["start"], start);
    assert_eq!(span["end"], start + "particular particular".len());
    assert_eq!(
        (span["line"].as_u64(), span["column"].as_u64()),
        (Some(2), Some(11))
    );
    assert_eq!(
        (span["end_line"].as_u64(), span["end_column"].as_u64()),
        (Some(2), Some(32))
    );
    let fix = &d["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert!(fix["description"].is_string());
    let edit = &fix["edits"][0];
    assert_eq!(edit["replacement"], "");
    assert!(edit["start"].is_u64() && edit["end"].is_u64());
    // A rule without a fix prints `"fix": null`.
    write(
        dir.path(),
        "b.txt",
        "a report on alleged violations allegedly committed\n",
    );
    let out = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "double-hedge",
            "b.txt",
        ],
    );
    assert_eq!(json(&out.stdout)[0]["fix"], Value::Null);
    // Nothing found: an empty array, exit 0.
    write(dir.path(), "c.txt", "Fine.\n");
    let out = run(dir.path(), &["check", "--format", "json", "c.txt"]);
    assert_eq!((out.code, json(&out.stdout).len()), (0, 0));
}

#[test]
fn concise_is_one_line_per_finding() {
    let dir = temp();
    write(
        dir.path(),
        "a.txt",
        "It was in particular particular bad.\nHe said. virtual money.\n",
    );
    let out = run(dir.path(), &["check", "--format", "concise", "a.txt"]);
    assert_eq!(
        out.stdout,
        "a.txt:1:11: warning[doubled-word] `particular` is doubled\n\
         a.txt:2:8: warning[lowercase-sentence-start] sentence starts with lowercase `virtual` after a period\n"
    );
}

#[test]
fn diagnostics_are_sorted_by_file_and_position() {
    let dir = temp();
    write(dir.path(), "b.txt", "the the one.\n");
    write(dir.path(), "a/z.txt", "Two two. And and.\n");
    write(dir.path(), "a/c.txt", "x. Three three.\n");
    let out = run(dir.path(), &["check", "--format", "concise", "."]);
    let places: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        places,
        [
            "./a/c.txt:1:4",
            "./a/z.txt:1:1",
            "./a/z.txt:1:10",
            "./b.txt:1:1"
        ]
    );
}

#[test]
fn folders_respect_gitignore_and_skip_binary_files_with_a_note() {
    let dir = temp();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), ".gitignore", "ignored/\n");
    write(dir.path(), "ignored/a.txt", "the the\n");
    write(dir.path(), "kept.txt", "the the\n");
    std::fs::write(dir.path().join("image.txt"), b"GIF89a\0\0\x01").unwrap();
    let out = run(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("kept.txt") && !out.stdout.contains("ignored"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("image.txt: binary file, skipped"),
        "{}",
        out.stderr
    );
}

#[test]
fn invalid_utf8_names_file_line_and_column_and_other_files_are_still_linted() {
    let dir = temp();
    std::fs::write(dir.path().join("bad.txt"), b"fine line\nbad \xff byte\n").unwrap();
    write(dir.path(), "good.txt", "the the\n");
    let out = run(
        dir.path(),
        &["check", "--format", "concise", "bad.txt", "good.txt"],
    );
    assert_eq!(out.code, 2, "an unreadable input is an error");
    assert!(
        out.stderr.contains("bad.txt:2:5: invalid UTF-8"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("good.txt:1:1"),
        "the other file is still reported"
    );
}

#[test]
fn empty_files_crlf_and_bom() {
    let dir = temp();
    write(dir.path(), "empty.txt", "");
    assert_eq!(run(dir.path(), &["check", "empty.txt"]).code, 0);
    write(
        dir.path(),
        "crlf.txt",
        "First line.\r\nIt was in particular particular bad.\r\n",
    );
    let out = run(dir.path(), &["check", "--format", "json", "crlf.txt"]);
    let d = &json(&out.stdout)[0];
    assert_eq!(
        (d["span"]["line"].as_u64(), d["span"]["column"].as_u64()),
        (Some(2), Some(11))
    );
    assert_eq!(d["span"]["start"], "First line.\r\nIt was in ".len());
    write(dir.path(), "bom.txt", "\u{feff}The the start.\n");
    let out = run(dir.path(), &["check", "--format", "json", "bom.txt"]);
    let d = &json(&out.stdout)[0];
    assert_eq!(d["span"]["start"], 3, "offsets count the BOM's bytes");
    assert_eq!(d["span"]["column"], 1, "columns do not count the BOM");
}

#[test]
fn an_enormous_line_is_linted_without_trouble() {
    let dir = temp();
    let line = format!("{} the the end.\n", "word, ".repeat(400_000));
    write(dir.path(), "huge.txt", &line);
    let out = run(dir.path(), &["check", "--format", "concise", "huge.txt"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        format!(
            "huge.txt:1:{}: warning[doubled-word] `the` is doubled\n",
            6 * 400_000 + 2
        )
    );
    let out = run(dir.path(), &["check", "huge.txt"]);
    assert!(
        out.stdout.contains("the the end"),
        "human output shows the place"
    );
}

/// A named pipe among the inputs is read once, whole, by the worker that
/// lints it. Reading ahead (as small files are) would take up to 64 KB of its
/// bytes, and the worker opening it again would lose them or wait for ever.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_read_whole() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let dir = temp();
    write(dir.path(), "a.txt", "Nothing is wrong here.\n");
    let pipe = dir.path().join("pipe.txt");
    let made = Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo (coreutils) runs");
    assert!(made.success());
    // More than is read ahead, with a doubled word in the first line and
    // in the last.
    let text = "It was the the start.\n".to_string()
        + &"A sentence that is fine.\n".repeat(4000)
        + "It was in the the end.\n";
    // Opening a pipe to write waits for a reader: on a thread of its own,
    // which the test does not wait for past a timeout (it may wait for ever).
    let (wrote, written) = std::sync::mpsc::channel();
    std::thread::spawn(move || wrote.send(std::fs::write(pipe, text)));
    let mut child = Command::new(env!("CARGO_BIN_EXE_residue"))
        .args([
            "check",
            "--no-config",
            "--format",
            "concise",
            "a.txt",
            "pipe.txt",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("residue still waits for the pipe after 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let written = written.recv_timeout(Duration::from_secs(5));
    assert!(
        matches!(written, Ok(Ok(()))),
        "residue did not read the whole pipe: {written:?}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("doubled-word"))
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("pipe.txt:1:"), "{stdout}");
    assert!(lines[1].starts_with("pipe.txt:4002:"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn an_unreadable_path_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp();
    write(dir.path(), "secret.txt", "text\n");
    let path = dir.path().join("secret.txt");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reading. A folder given as a
        // file is unreadable for everyone.
        let out = run(
            dir.path(),
            &["check", "--format", "concise", "-", "--stdin-filename", "x"],
        );
        assert_eq!(out.code, 0);
        std::fs::create_dir(dir.path().join("dir.txt")).unwrap();
        let out = run(dir.path(), &["check", "missing/file.txt"]);
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains("missing/file.txt"), "{}", out.stderr);
        return;
    }
    let out = run(dir.path(), &["check", "secret.txt"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("secret.txt") && out.stderr.contains("Permission denied"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_broken_rule_pack_is_reported_with_its_place() {
    let dir = temp();
    write(dir.path(), "a.txt", "text\n");
    write(
        dir.path(),
        "pack/bad.toml",
        "[[rule]]\nid = \"x\"\ncategory = \"boilerplate\"\nkind = \"pattern\"\nmessage = \"m\"\npattern = 'a(b'\n[rule.examples]\nbad = [\"ab\"]\ngood = [\"c\"]\n",
    );
    let out = run(dir.path(), &["check", "--rules", "pack", "a.txt"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("pack/bad.toml:6:11: invalid regular expression"),
        "{}",
        out.stderr
    );
    write(dir.path(), "pack/bad.toml", "[[rule]\nid = 1\n");
    let out = run(dir.path(), &["check", "--rules", "pack", "a.txt"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("pack/bad.toml:1:"), "{}", out.stderr);
}

#[test]
fn an_extra_rule_pack_adds_rules() {
    let dir = temp();
    write(
        dir.path(),
        "pack/house.toml",
        "[[rule]]\nid = \"no-click-here\"\ncategory = \"boilerplate\"\nkind = \"phrase\"\nmessage = \"`{text}` is a link label\"\nphrases = [\"click here\"]\n[rule.examples]\nbad = [\"click here\"]\ngood = [\"clicks\"]\n",
    );
    write(dir.path(), "a.txt", "To read more, click here.\n");
    let out = run(
        dir.path(),
        &["check", "--rules", "pack", "--format", "concise", "a.txt"],
    );
    assert_eq!(
        out.stdout,
        "a.txt:1:15: warning[no-click-here] `click here` is a link label\n"
    );
    let out = run(dir.path(), &["rules", "--rules", "pack"]);
    assert!(
        out.stdout.lines().any(|l| l.starts_with("no-click-here ")),
        "{}",
        out.stdout
    );
}

#[test]
fn select_and_ignore_take_ids_and_categories() {
    let dir = temp();
    write(
        dir.path(),
        "a.txt",
        "It was in particular particular bad. He said. virtual money.\n",
    );
    let rules_of = |args: &[&str]| {
        let mut all = vec!["check", "--format", "concise"];
        all.extend_from_slice(args);
        all.push("a.txt");
        common::rules(&run(dir.path(), &all).stdout)
    };
    assert_eq!(rules_of(&["--select", "repetition"]), ["doubled-word"]);
    assert_eq!(
        rules_of(&["--ignore", "doubled-word"]),
        ["lowercase-sentence-start"]
    );
    assert_eq!(
        rules_of(&["--select", "doubled-word,capitalization"]).len(),
        2
    );
}

#[test]
fn rules_lists_every_rule_with_category_and_fix() {
    let dir = temp();
    let out = run(dir.path(), &["rules"]);
    assert_eq!(out.code, 0);
    let doubled = out
        .stdout
        .lines()
        .find(|l| l.starts_with("doubled-word "))
        .unwrap();
    assert!(
        doubled.contains("repetition") && doubled.contains(" yes "),
        "{doubled}"
    );
    let hedge = out
        .stdout
        .lines()
        .find(|l| l.starts_with("double-hedge "))
        .unwrap();
    assert!(hedge.contains(" no "), "{hedge}");
    assert!(out.stdout.lines().count() > 40);
}

#[test]
fn standard_input_with_a_name() {
    let dir = temp();
    let out = run_with_stdin(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "in.txt",
            "-",
        ],
        "the the\n",
    );
    assert_eq!(
        out.stdout,
        "in.txt:1:1: warning[doubled-word] `the` is doubled\n"
    );
}

#[test]
fn no_color_unless_a_terminal_asks() {
    let dir = temp();
    write(dir.path(), "a.txt", "the the\n");
    let out = run(dir.path(), &["check", "a.txt"]);
    assert!(
        !out.stdout.contains('\u{1b}'),
        "piped output has no escape codes"
    );
    let out = run(dir.path(), &["check", "--color", "always", "a.txt"]);
    assert!(
        out.stdout.contains('\u{1b}'),
        "--color always forces colour"
    );
}

/// The human format, as a reviewed snapshot: location, underlined source, rule
/// id, message and help line.
#[test]
fn human_output_snapshot() {
    let dir = temp();
    write(
        dir.path(),
        "article.txt",
        "Greg Baker/AFP via Getty Images\nhide caption\nIt was, in particular particular, bad.\nRestrictions were carried out on\nreligious identity. He said. virtual moneysenior researcher.\n",
    );
    let out = run(dir.path(), &["check", "article.txt"]);
    insta::assert_snapshot!("human", out.stdout);
    let out = run(dir.path(), &["check", "--format", "concise", "article.txt"]);
    insta::assert_snapshot!("concise", out.stdout);
    let out = run(dir.path(), &["check", "--format", "json", "article.txt"]);
    insta::assert_snapshot!("json", out.stdout);
}

/// Files too large to be read ahead are read by the worker into the buffer of
/// the last such file it read: nothing of a longer file read before may show
/// in a shorter one after it, on one thread or two.
#[test]
fn files_read_one_after_another_keep_their_own_bytes() {
    let dir = temp();
    let filler = "The committee met on Tuesday and agreed on the budget for next year.\n\n";
    let long = format!("{}It was tbe end.\n", filler.repeat(2_000));
    let short = filler.repeat(1_500);
    assert!(short.len() > 64 * 1024 && short.len() < long.len());
    write(dir.path(), "a.txt", &long);
    write(dir.path(), "b.txt", &short);
    for jobs in ["1", "2"] {
        let out = run(
            dir.path(),
            &["check", "--format", "json", "--jobs", jobs, "."],
        );
        let found = json(&out.stdout);
        let files: Vec<&str> = found.iter().map(|d| d["path"].as_str().unwrap()).collect();
        assert_eq!(files, ["./a.txt"], "--jobs {jobs}: {}", out.stdout);
        assert_eq!(found[0]["rule"], "ocr-misreading");
    }
}
