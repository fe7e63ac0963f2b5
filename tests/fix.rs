//! `check --fix`, `--unsafe-fixes` and `--diff` on real files.

mod common;

use common::{read, rules, run, run_with_stdin, write};
use residue::fix::{self, FixMode};
use residue::{Applicability, Category, Diagnostic, Edit, Fix, Severity, Span};
use std::path::Path;
use tempfile::TempDir;

/// Fixes one file with `args` and returns its new text.
fn fixed(text: &str, args: &[&str]) -> String {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", text);
    let mut all = vec!["check", "--fix", "--format", "concise"];
    all.extend(args);
    all.push("a.txt");
    run(dir.path(), &all);
    read(dir.path(), "a.txt")
}

#[test]
fn each_safe_fix_kind() {
    let cases = [
        // doubled-word
        ("We saw the the cat.\n", "We saw the cat.\n"),
        // stray-period
        (
            "It ended in tears. .\nThen came more.\n",
            "It ended in tears.\nThen came more.\n",
        ),
        // doubled-comma
        (
            "In Geneva,, the office said so.\n",
            "In Geneva, the office said so.\n",
        ),
        // mismatched-quotes
        (
            "It was “reasonable to conclude that a pattern\" occurred.\n",
            "It was “reasonable to conclude that a pattern” occurred.\n",
        ),
        // trailing-no-break-space
        (
            "The report was out.\u{a0}\nNext line here.\n",
            "The report was out.\nNext line here.\n",
        ),
        // hard-line-break: join the broken line
        (
            "Restrictions were also carried out on\nreligious identity and expression.\n",
            "Restrictions were also carried out on religious identity and expression.\n",
        ),
        // dash-comma
        (
            "this report — three years in the making –, asserts that.\n",
            "this report — three years in the making – asserts that.\n",
        ),
    ];
    for (before, after) in cases {
        assert_eq!(fixed(before, &[]), after, "fixing {before:?}");
    }
}

#[test]
fn unsafe_fixes_only_with_the_flag() {
    let text = "The report came out today.\n\nRead:  Taiwan receives a fourth delegation\n\nIt was long.\n";
    assert_eq!(fixed(text, &[]), text);
    assert_eq!(
        fixed(text, &["--unsafe-fixes"]),
        "The report came out today.\n\n\nIt was long.\n"
    );
}

#[test]
fn overlapping_fixes_resolve_over_passes() {
    // Each pair is a doubled word; the fixes touch, and the fixpoint loop ends
    // with one word whatever order they were taken in.
    assert_eq!(fixed("It was the the the end.\n", &[]), "It was the end.\n");
}

#[test]
fn conflicting_fixes_are_dropped_whole_and_deterministically() {
    let diag = |rule: &str, edits: Vec<Edit>| Diagnostic {
        rule: rule.into(),
        category: Some(Category::Punctuation),
        severity: Severity::Warning,
        message: String::new(),
        span: Span::new(edits[0].start, edits[0].end),
        fix: Some(Fix::new(Applicability::Safe, "fix", edits)),
    };
    let text = "0123456789";
    let a = diag("a", vec![Edit::replace(Span::new(2, 5), "X")]);
    let b = diag(
        "b",
        vec![
            Edit::replace(Span::new(8, 9), "Y"),
            Edit::replace(Span::new(4, 6), "Z"),
        ],
    );
    for order in [vec![a.clone(), b.clone()], vec![b, a]] {
        let applied = fix::apply(text, &order, FixMode::Safe);
        // `a` starts first and wins; none of `b`'s edits is applied.
        assert_eq!(applied.text, "01X56789");
        assert_eq!((applied.fixes, applied.conflicts), (1, 1));
    }
}

#[test]
fn second_fix_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let text =
        "We saw the the cat.\nIt was “reasonable to conclude that\" here.\nIn Geneva,, they met.\n";
    write(dir.path(), "a.txt", text);
    run(dir.path(), &["check", "--fix", "a.txt"]);
    let once = std::fs::read(dir.path().join("a.txt")).unwrap();
    assert_ne!(once, text.as_bytes());
    let again = run(dir.path(), &["check", "--fix", "a.txt"]);
    assert_eq!(std::fs::read(dir.path().join("a.txt")).unwrap(), once);
    assert!(
        again.stderr.contains("applied 0 fix(es)"),
        "{}",
        again.stderr
    );
}

#[test]
fn crlf_and_bom_are_kept() {
    let dir = TempDir::new().unwrap();
    let text = "\u{feff}We saw the the cat.\r\nRestrictions were also carried out on\r\nreligious identity and expression.\r\n";
    write(dir.path(), "a.txt", text);
    run(dir.path(), &["check", "--fix", "a.txt"]);
    assert_eq!(
        read(dir.path(), "a.txt"),
        "\u{feff}We saw the cat.\r\nRestrictions were also carried out on religious identity and expression.\r\n"
    );
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", "We saw the the cat.\n");
    let path = dir.path().join("a.txt");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    run(dir.path(), &["check", "--fix", "a.txt"]);
    assert_eq!(read(dir.path(), "a.txt"), "We saw the cat.\n");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

fn set_old_mtime(path: &Path) -> std::time::SystemTime {
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(old).unwrap();
    old
}

#[test]
fn unchanged_files_are_not_touched() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "clean.txt",
        "A clean sentence stays as it is.\n",
    );
    write(dir.path(), "dirty.txt", "We saw the the cat.\n");
    let old = set_old_mtime(&dir.path().join("clean.txt"));
    let out = run(dir.path(), &["check", "--fix", "."]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let mtime = std::fs::metadata(dir.path().join("clean.txt"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(mtime, old);
    assert_eq!(read(dir.path(), "dirty.txt"), "We saw the cat.\n");
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 2);
}

#[test]
fn diff_writes_nothing() {
    let dir = TempDir::new().unwrap();
    let text = "We saw the the cat.\n";
    write(dir.path(), "a.txt", text);
    let old = set_old_mtime(&dir.path().join("a.txt"));
    let out = run(dir.path(), &["check", "--diff", "a.txt"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-We saw the the cat.\n+We saw the cat.\n"
    );
    assert_eq!(read(dir.path(), "a.txt"), text);
    let mtime = std::fs::metadata(dir.path().join("a.txt"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(mtime, old);
    // Nothing to fix: no diff, exit 0.
    write(dir.path(), "b.txt", "A clean sentence.\n");
    let out = run(dir.path(), &["check", "--diff", "b.txt"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}

#[test]
fn remaining_findings_decide_the_exit_code() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", "We saw the the cat.\n");
    let out = run(dir.path(), &["check", "--fix", "a.txt"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    // A finding with only an unsafe fix remains after --fix.
    write(
        dir.path(),
        "b.txt",
        "The report came out today.\n\nRead:  Taiwan receives a fourth delegation\n",
    );
    let out = run(
        dir.path(),
        &["check", "--fix", "--format", "concise", "b.txt"],
    );
    assert_eq!(out.code, 1);
    assert_eq!(rules(&out.stdout), ["related-link"]);
}

#[test]
fn fix_on_standard_input_writes_the_text_to_standard_output() {
    let dir = TempDir::new().unwrap();
    let out = run_with_stdin(
        dir.path(),
        &[
            "check",
            "--fix",
            "--format",
            "concise",
            "--stdin-filename",
            "in.md",
            "-",
        ],
        "We saw the the cat.\n\nRead:  Taiwan receives a fourth delegation\n",
    );
    assert_eq!(
        out.stdout,
        "We saw the cat.\n\nRead:  Taiwan receives a fourth delegation\n"
    );
    assert!(
        out.stderr.contains("in.md:3:1: warning[related-link]"),
        "{}",
        out.stderr
    );
    assert_eq!(out.code, 1);
}

/// The byte ranges (in `old`) that differ in `new`.
fn changed_ranges(old: &str, new: &str) -> Vec<(usize, usize)> {
    similar::capture_diff_slices(similar::Algorithm::Myers, old.as_bytes(), new.as_bytes())
        .into_iter()
        .filter(|op| op.tag() != similar::DiffTag::Equal)
        .map(|op| {
            let r = op.old_range();
            (r.start, r.end)
        })
        .collect()
}

#[test]
fn fixing_the_seeds_only_touches_flagged_text() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let dir = TempDir::new().unwrap();
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            std::fs::copy(&path, dir.path().join(&name)).unwrap();
            names.push(name);
        }
    }
    names.sort();
    assert_eq!(names.len(), 5);
    let json = |out: &str| -> Vec<serde_json::Value> { serde_json::from_str(out).unwrap() };

    let before = json(&run(dir.path(), &["check", "--format", "json", "."]).stdout);
    let safe = |d: &serde_json::Value| d["fix"]["applicability"] == "safe";
    assert!(
        before.iter().any(safe),
        "the seeds have safe fixes to apply"
    );
    let originals: Vec<String> = names.iter().map(|n| read(dir.path(), n)).collect();

    run(dir.path(), &["check", "--fix", "."]);
    let after = json(&run(dir.path(), &["check", "--format", "json", "."]).stdout);
    let left: Vec<_> = after.iter().filter(|d| safe(d)).collect();
    assert!(left.is_empty(), "safe fixes left after --fix: {left:#?}");
    assert!(after.len() < before.len());

    for (name, original) in names.iter().zip(&originals) {
        let now = read(dir.path(), name);
        // Where the original findings were: their spans and their fixes' edits.
        let mut flagged: Vec<(usize, usize)> = Vec::new();
        for d in before
            .iter()
            .filter(|d| d["path"].as_str().unwrap().ends_with(name.as_str()))
        {
            let at = |v: &serde_json::Value| v.as_u64().unwrap() as usize;
            flagged.push((at(&d["span"]["start"]), at(&d["span"]["end"])));
            if let Some(edits) = d["fix"]["edits"].as_array() {
                flagged.extend(edits.iter().map(|e| (at(&e["start"]), at(&e["end"]))));
            }
        }
        for (start, end) in changed_ranges(original, &now) {
            // "Adjacent" allows the one space a deletion takes with it.
            let covered = flagged.iter().any(|&(s, e)| start + 1 >= s && end <= e + 1);
            assert!(
                covered,
                "{name}: bytes {start}..{end} ({:?}) changed outside every finding",
                String::from_utf8_lossy(&original.as_bytes()[start..end])
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_stays_a_link() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "real.txt", "We saw the the cat.\n");
    std::os::unix::fs::symlink("real.txt", dir.path().join("link.txt")).unwrap();
    run(dir.path(), &["check", "--fix", "link.txt"]);
    let meta = std::fs::symlink_metadata(dir.path().join("link.txt")).unwrap();
    assert!(meta.file_type().is_symlink());
    assert_eq!(read(dir.path(), "real.txt"), "We saw the cat.\n");
}
