//! Runs `tests/precommit.sh` against the binary cargo just built, so `cargo test`
//! covers residue as a pre-commit hook. The script installs pre-commit from PyPI
//! if it is missing; set `RESIDUE_SKIP_PRECOMMIT=1` to skip on machines without
//! network access or git.

use std::process::Command;

#[test]
fn precommit_hook_blocks_damaged_prose() {
    if std::env::var_os("RESIDUE_SKIP_PRECOMMIT").is_some() {
        eprintln!("skipped: RESIDUE_SKIP_PRECOMMIT is set");
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/precommit.sh");
    let out = Command::new("bash")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_residue"))
        .output()
        .expect("bash runs the script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.ends_with("passed, 0 failed"), "{stdout}");
}
