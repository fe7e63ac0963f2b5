#!/usr/bin/env bash
# False alarms on clean prose: run residue over the prose of Debian's
# python3-doc HTML pages (well-edited text nobody here wrote) and report
# findings per 10,000 words.
#
#   scripts/clean_prose_rate.sh [--max-rate N] [--corpus DIR] [--html DIR] [--show N]
#
#   --max-rate N   exit 1 when there are more than N findings per 10,000 words
#                  (default: only report)
#   --corpus DIR   where the extracted text goes (default target/clean-prose);
#                  recreated on every run
#   --html DIR     the HTML pages (default: python3-doc's, installed if missing)
#   --show N       how many findings to print with their text (default 20)
#
# RESIDUE names the binary (default target/release/residue, built with
# `cargo build --release` when missing). residue exits 1 when it has findings,
# which is fine here; its exit 2 (usage, config, rule or I/O error) is not.
# Exit status: 0 ok, 1 rate above --max-rate, 2 error.
set -euo pipefail

die() { echo "clean_prose_rate.sh: error: $*" >&2; exit 2; }
log() { echo "clean_prose_rate.sh: $*" >&2; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

max_rate=""
corpus="target/clean-prose"
html=""
show=20
while (($#)); do
    case "$1" in
        --max-rate) [[ $# -ge 2 ]] || die "--max-rate needs a value"; max_rate="$2"; shift 2 ;;
        --corpus)   [[ $# -ge 2 ]] || die "--corpus needs a folder"; corpus="$2"; shift 2 ;;
        --html)     [[ $# -ge 2 ]] || die "--html needs a folder"; html="$2"; shift 2 ;;
        --show)     [[ $# -ge 2 ]] || die "--show needs a number"; show="$2"; shift 2 ;;
        -h|--help)  usage; exit 0 ;;
        *)          usage >&2; die "unknown argument: $1" ;;
    esac
done
if [[ -n $max_rate ]] && ! [[ $max_rate =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    die "--max-rate takes a number, not '$max_rate'"
fi
[[ $show =~ ^[0-9]+$ ]] || die "--show takes a whole number, not '$show'"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v python3 >/dev/null || die "python3 is required"

# --- the HTML pages -----------------------------------------------------------
find_python_docs() {
    local dir
    for dir in /usr/share/doc/python3-doc/html /usr/share/doc/python3/html \
               /usr/share/doc/python3.*-doc/html /usr/share/doc/python3.*/html; do
        if [[ -r $dir/index.html ]]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}
if [[ -z $html ]]; then
    if ! html="$(find_python_docs)"; then
        log "installing python3-doc"
        sudo=""
        [[ $(id -u) -eq 0 ]] || sudo="sudo"
        $sudo apt-get update -qq || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
            python3-doc >/dev/null || die "apt-get install python3-doc failed"
        html="$(find_python_docs)" || die "python3-doc is installed but its HTML pages were not found"
    fi
fi
[[ -d $html ]] || die "no HTML folder at $html"

# --- the corpus ---------------------------------------------------------------
log "extracting prose from $html into $corpus"
python3 scripts/extract_prose.py "$html" "$corpus" || die "prose extraction failed"
python3 scripts/prose_rate_report.py --corpus "$corpus" --size-only

# --- residue ------------------------------------------------------------------
if [[ -z ${RESIDUE:-} ]]; then
    RESIDUE="target/release/residue"
    if [[ ! -x $RESIDUE ]]; then
        command -v cargo >/dev/null || die "$RESIDUE is missing and cargo is not installed"
        log "building residue (cargo build --release)"
        cargo build --release >&2 || die "cargo build --release failed"
        [[ -x $RESIDUE ]] || die "cargo build --release did not produce $RESIDUE"
    fi
fi
[[ -x $RESIDUE ]] || command -v "$RESIDUE" >/dev/null || die "RESIDUE=$RESIDUE is not an executable"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
log "running $RESIDUE check --format json $corpus"
status=0
"$RESIDUE" check --format json "$corpus" >"$tmp/findings.json" 2>"$tmp/stderr" || status=$?
if ((status > 1)); then
    cat "$tmp/stderr" >&2
    die "residue exited with status $status (0 = clean, 1 = findings, anything else = error)"
fi
[[ -s $tmp/stderr ]] && { log "residue said on standard error:"; head -n 20 "$tmp/stderr" >&2; }

report=(python3 scripts/prose_rate_report.py --corpus "$corpus"
        --findings "$tmp/findings.json" --show "$show")
[[ -n $max_rate ]] && report+=(--max-rate "$max_rate")
"${report[@]}"
