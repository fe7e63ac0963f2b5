#!/usr/bin/env bash
# End-to-end check that residue works as a pre-commit hook: a temporary git
# repository runs the built binary as a local hook; a commit that adds damaged
# prose is rejected, a clean one goes through.
#
# Usage: tests/precommit.sh [PATH-TO-RESIDUE]   (default: target/debug/residue,
# built with `cargo build` if missing). Installs pre-commit from PyPI if absent.
# Prints `N passed, M failed` last and exits non-zero if anything failed.
set -u

here="$(cd "$(dirname "$0")/.." && pwd)"
residue="${1:-${RESIDUE:-$here/target/debug/residue}}"
if [ ! -x "$residue" ]; then
    (cd "$here" && cargo build --quiet) || { echo "cannot build residue"; echo "0 passed, 1 failed"; exit 1; }
fi
residue="$(cd "$(dirname "$residue")" && pwd)/$(basename "$residue")"

# pre-commit: on PATH, or as a Python module, or installed now.
if command -v pre-commit >/dev/null 2>&1; then
    precommit=(pre-commit)
elif python3 -c 'import pre_commit' >/dev/null 2>&1; then
    precommit=(python3 -m pre_commit)
else
    echo "installing pre-commit from PyPI"
    python3 -m pip install --quiet pre-commit >/dev/null 2>&1 || pip install --quiet pre-commit
    precommit=(python3 -m pre_commit)
fi

passed=0
failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAILED: $1"; failed=$((failed + 1)); }

# 0. The manifest other repositories use is valid.
if "${precommit[@]}" validate-manifest "$here/.pre-commit-hooks.yaml" >/dev/null 2>&1; then
    ok ".pre-commit-hooks.yaml is a valid manifest"
else
    fail ".pre-commit-hooks.yaml is not a valid manifest"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
repo="$work/repo"
mkdir -p "$repo"
cd "$repo" || exit 1
git init --quiet .
git config user.name "residue test"
git config user.email "test@example.invalid"
git config commit.gpgsign false

cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: local
    hooks:
      - id: residue
        name: residue
        entry: $residue check --format concise
        language: system
        types: [text]
        files: \\.(txt|md)\$
YAML
git add .pre-commit-config.yaml
git commit --quiet -m "hook config" --no-verify
if "${precommit[@]}" install >/dev/null; then ok "pre-commit install"; else fail "pre-commit install"; fi

# 1. A damaged article is rejected, and the finding is shown.
printf 'We saw the the cat.\nIn Geneva,, the office said so.\n' > damaged.md
git add damaged.md
if output="$(git commit -m "add damaged" 2>&1)"; then
    fail "commit of damaged prose was accepted"
else
    ok "commit of damaged prose is rejected"
fi
case "$output" in
    *"damaged.md:1:8: warning[doubled-word]"*) ok "the hook shows the finding" ;;
    *) fail "the hook output lacks the finding: $output" ;;
esac
if [ "$(git rev-list --count HEAD)" = 1 ]; then ok "nothing was committed"; else fail "a commit was made"; fi
git reset --quiet HEAD damaged.md
rm damaged.md

# 2. A clean article goes through.
printf 'A clean article.\n\nIt has two short paragraphs.\n' > clean.md
git add clean.md
if output="$(git commit -m "add clean" 2>&1)"; then
    ok "commit of clean prose is accepted"
else
    fail "commit of clean prose was rejected: $output"
fi
if [ "$(git rev-list --count HEAD)" = 2 ]; then ok "the clean commit exists"; else fail "no clean commit"; fi

# 3. The fixed article goes through after `residue check --fix`.
printf 'We saw the the cat.\n' > fixed.md
"$residue" check --fix fixed.md >/dev/null 2>&1
git add fixed.md
if git commit --quiet -m "add fixed" >/dev/null 2>&1; then
    ok "commit after --fix is accepted"
else
    fail "commit after --fix was rejected"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
