#!/usr/bin/env bash
# Instructions executed by residue (valgrind's callgrind), for comparing two
# builds on a machine whose wall times drift by 10-20% from minute to minute:
# an instruction count is the same from run to run, whatever else the machine
# does. It is no wall time (cache misses, system calls and waiting do not
# show), so use it to judge a change to the work done, and time the result
# with bench/run.sh.
#
#   bench/instructions.sh [BINARY...]     (default: target/release/residue)
#
# Inputs, cut from bench/run.sh's corpus (run that once first): the first
# 10,000 files of small/ (about 12 MB), and the first 10 MB of big.txt. Each
# binary runs `check --no-config --format json --jobs 1` on each; the table
# gives millions of instructions and instructions per byte.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=target/bench-corpus
WORK=target/bench/instructions
[[ -d $CORPUS/small && -f $CORPUS/big.txt ]] || {
    echo "instructions: no corpus in $CORPUS; run bench/run.sh first" >&2
    exit 2
}
command -v valgrind >/dev/null || {
    echo "instructions: installing valgrind (Debian)" >&2
    apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
}
if [[ ! -f $WORK/big10.txt ]]; then
    rm -rf "$WORK" && mkdir -p "$WORK/small"
    mapfile -t files < <(find "$CORPUS/small" -type f -name '*.txt' | sort)
    cp "${files[@]:0:10000}" "$WORK/small/"
    head -c 10000000 "$CORPUS/big.txt" >"$WORK/big10.txt"
fi
bins=("$@")
((${#bins[@]})) || bins=(target/release/residue)
printf '| binary | input | instructions | per byte |\n|---|---|---:|---:|\n'
for bin in "${bins[@]}"; do
    for input in "$WORK/small" "$WORK/big10.txt"; do
        bytes=$(du -sb "$input" | cut -f1)
        # residue exits 1 when it finds something; the count is what matters.
        ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
            "$bin" check --no-config --format json --jobs 1 "$input" 2>&1 >/dev/null |
            sed -n 's/.*Collected : \([0-9]*\).*/\1/p' || true)
        [[ -n $ir ]] || { echo "instructions: valgrind failed on $bin" >&2; exit 1; }
        printf '| %s | %s | %sM | %s |\n' "$bin" "$(basename "$input")" \
            "$((ir / 1000000))" "$(awk -v i="$ir" -v b="$bytes" 'BEGIN{printf "%.1f", i/b}')"
    done
done
