#!/usr/bin/env bash
# Runs every check residue has, installing what is missing first: formatting,
# clippy, the Rust test suite (which includes the pre-commit hook test), the
# Neovim language-server test, the SARIF validator, the seeds score and the
# false-alarm rate on clean prose. This is the README's test command and what
# .ci/run calls. Prints `N passed, M failed` last; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
shared=../shared

passed=0
failed=0
failures=()
step() { # name, then the command
    local name=$1; shift
    echo
    echo "=== $name"
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures+=("$name")
        echo "=== FAILED: $name"
    fi
}

install_system_packages() {
    local missing=()
    command -v nvim > /dev/null || missing+=(neovim)
    [ -d /usr/share/doc/python3-doc/html ] || missing+=(python3-doc)
    command -v npm > /dev/null || missing+=(npm)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing ${missing[*]}"
        apt-get update -qq > /dev/null && apt-get install -y -qq "${missing[@]}" > /dev/null
    fi
    command -v pre-commit > /dev/null || python3 -m pip install --quiet pre-commit
}

seeds_score() {
    if [ ! -f "$shared/eval/score.py" ]; then
        echo "../shared/eval/score.py is not beside this checkout; tests/seeds.rs checked the same thresholds"
        return 0
    fi
    python3 "$shared/eval/score.py" --labels seeds/seeds.labels.json --texts seeds \
        --min-core-recall 0.9 --min-precision 0.9
}

step "install missing tools" install_system_packages
step "cargo fmt --check" cargo fmt --all -- --check
step "cargo clippy" cargo clippy --all-targets --quiet -- -D warnings
step "cargo test" cargo test --quiet
step "release build" cargo build --release --quiet
step "Neovim drives residue lsp" bash tests/nvim_lsp.sh
step "SARIF validator" bash tests/sarif.sh
step "seeds score (score.py)" seeds_score
step "false alarms on python3-doc prose (at most 2 per 10,000 words)" \
    bash scripts/clean_prose_rate.sh --max-rate 2

echo
if [ "$failed" -gt 0 ]; then
    printf 'failed step: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
