#!/usr/bin/env bash
# Regenerate the shipped word lists under rules/data/ from packages.
#
#   scripts/build_data.sh            # from the repository root
#
# Sources (see rules/data/README.md for licences):
#   Debian: scowl, wamerican-huge (SCOWL word lists), wordnet-base (WordNet 3.0)
#   PyPI sdists: symspellpy (frequency_dictionary_en_82_765.txt), justext (English stop-list)
#
# Missing Debian packages are installed with apt-get (needs root). The PyPI
# sdists are fetched into a temporary directory and deleted afterwards.
# Running the script twice gives byte-identical outputs.
set -euo pipefail

SYMSPELLPY_VERSION="${SYMSPELLPY_VERSION:-6.10.1}"
JUSTEXT_VERSION="${JUSTEXT_VERSION:-3.0.2}"
APT_PACKAGES=(scowl wamerican-huge wordnet-base)

die() { echo "build_data.sh: error: $*" >&2; exit 1; }
log() { echo "build_data.sh: $*" >&2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="rules/data"

command -v python3 >/dev/null || die "python3 is required"
python3 -m pip --version >/dev/null 2>&1 || die "pip for python3 is required (python3 -m pip)"

# --- Debian packages -------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
        || missing+=("$pkg")
done
if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
fi
for f in /usr/share/dict/scowl/english-words.10 /usr/share/dict/american-english-huge \
         /usr/share/wordnet/index.verb /usr/share/doc/scowl/copyright \
         /usr/share/doc/wordnet-base/copyright; do
    [[ -r $f ]] || die "expected file $f is missing after installing ${APT_PACKAGES[*]}"
done

# --- PyPI sdists ------------------------------------------------------------
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
log "fetching sdists symspellpy==$SYMSPELLPY_VERSION justext==$JUSTEXT_VERSION"
python3 -m pip download --quiet --no-deps --no-binary :all: -d "$tmp" \
    "symspellpy==$SYMSPELLPY_VERSION" "justext==$JUSTEXT_VERSION" \
    || die "pip download of the sdists failed"
for sdist in "$tmp"/*.tar.gz; do
    tar -xzf "$sdist" -C "$tmp"
done
symspell_dir="$tmp/symspellpy-$SYMSPELLPY_VERSION"
justext_dir="$tmp/justext-$JUSTEXT_VERSION"
[[ -r $symspell_dir/symspellpy/frequency_dictionary_en_82_765.txt ]] \
    || die "frequency_dictionary_en_82_765.txt not found in the symspellpy sdist"
[[ -r $justext_dir/justext/stoplists/English.txt ]] \
    || die "justext/stoplists/English.txt not found in the justext sdist"

# --- build ------------------------------------------------------------------
mkdir -p "$out"
python3 scripts/build_data.py \
    --out "$out" \
    --symspell-dir "$symspell_dir" --symspell-version "$SYMSPELLPY_VERSION" \
    --justext-dir "$justext_dir" --justext-version "$JUSTEXT_VERSION"

# Every list except frequent.txt (frequency order) must be sorted bytewise and unique.
for f in lexicon verbs stopwords; do
    LC_ALL=C sort -u -c "$out/$f.txt" || die "$out/$f.txt is not sorted/unique"
done
log "done:"
wc -lc "$out"/*.txt >&2
