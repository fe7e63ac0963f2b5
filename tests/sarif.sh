#!/usr/bin/env bash
# Validates `residue check --format sarif seeds/` with Microsoft's SARIF validator
# (@microsoft/sarif-multitool), installed with npm into target/npm if missing.
# Prints `N passed, M failed`; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
passed=0
failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

tool=$root/target/npm/node_modules/.bin/sarif-multitool
if [ ! -x "$tool" ]; then
    mkdir -p target/npm
    (cd target/npm && npm install --no-audit --no-fund --prefix . @microsoft/sarif-multitool) >&2 || {
        echo "cannot install @microsoft/sarif-multitool"; exit 2; }
fi
cargo build --quiet || exit 2
residue=$root/target/debug/residue
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check() { # name, then residue arguments
    local name=$1; shift
    "$residue" check --format sarif "$@" > "$work/$name.sarif"
    local rc=$?
    if [ $rc -gt 1 ]; then fail "$name: residue exited $rc"; return; fi
    if ! "$tool" validate "$work/$name.sarif" -o "$work/$name.validation.sarif" > "$work/$name.log" 2>&1; then
        cat "$work/$name.log"; fail "$name: validator failed"; return
    fi
    local errors
    errors=$(node -e '
        const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const results = log.runs.flatMap(r => r.results || []);
        const errors = results.filter(r => (r.level || "warning") === "error");
        for (const e of errors) console.error(e.ruleId + ": " + e.message.text);
        console.log(errors.length);' "$work/$name.validation.sarif")
    if [ "$errors" = "0" ]; then ok "$name: valid SARIF 2.1.0"; else cat "$work/$name.log"; fail "$name: $errors validation errors"; fi
    # The results agree with the JSON output.
    local want got
    want=$("$residue" check --format json "$@" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).length))')
    got=$(node -e 'const l=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(l.runs[0].results.length)' "$work/$name.sarif")
    if [ "$want" = "$got" ]; then ok "$name: $got results, as in --format json"; else fail "$name: $got results, json has $want"; fi
}

check seeds seeds/
printf 'Clean prose here.\n' > "$work/clean.txt"
check empty "$work/clean.txt"
printf '# Title\n\nThe the caf\xc3\xa9 \xf0\x9f\x98\x80 opened opened today .\n\n```\nthe the\n```\n' > "$work/doc.md"
check markdown "$work/doc.md"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
