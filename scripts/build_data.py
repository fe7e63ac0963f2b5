#!/usr/bin/env python3
"""Build rules/data/*.txt and rules/data/README.md. Called by scripts/build_data.sh,
which installs the Debian packages and unpacks the PyPI sdists first.

Outputs (UTF-8, one entry per line):
  lexicon.txt    known lowercase words (SCOWL size <= 80 + SymSpell), sorted bytewise
  frequent.txt   30,000 most frequent SymSpell words, most frequent first
  verbs.txt      common base-form verbs that WordNet lists only as verbs, sorted bytewise
  stopwords.txt  jusText English stop-list, lowercased, sorted bytewise
  README.md      sources, versions, method, licences and notices
"""
import argparse
import re
import subprocess
import sys
from pathlib import Path

SCOWL_DIR = Path("/usr/share/dict/scowl")
WAMERICAN_HUGE = Path("/usr/share/dict/american-english-huge")
WORDNET_DIR = Path("/usr/share/wordnet")
SCOWL_MAX_SIZE = 80
# SCOWL sub-categories that hold common (not proper) words; "upper" and
# "proper-names" are capitalised by definition and are left out.
SCOWL_SUBCATEGORIES = {"words", "contractions", "abbreviations"}

FREQUENT_SIZE = 30_000
# Frequent in SymSpell's web-derived counts only as residue of the HTML
# entity "&quot;"; it must not look like a common word to the detectors.
FREQUENT_DROP = {"quot"}
# Verbs must be in frequent.txt or in SCOWL's "medium" dictionary level
# (english/american words, size <= 50) to count as common; the frequency
# rank alone misses verbs such as "backpedal" (SymSpell rank ~79,000).
VERB_SCOWL_MAX_SIZE = 50

WORD_RE = re.compile(r"[a-z]+(?:['-][a-z]+)*")  # letters, internal ' or -
PLAIN_RE = re.compile(r"[a-z]+")

# WordNet 3.0 lists these only as verbs, but in running text they are mostly
# something else, or their base form is also a past tense / participle
# ("has become", "got rid of"), so "VERB + bare verb" would misfire on them.
VERB_EXCLUDE = {
    # base form == past participle (or past tense)
    "become", "beset", "browbeat", "miscast", "misread", "outbid", "outrun",
    "overcome", "overspread", "proofread", "quit", "recast", "reread", "rid",
    "typecast", "typeset",
    # used mostly as nouns today (senses newer than WordNet 3.0)
    "download", "upload", "podcast", "reload", "restart", "reboot", "overstock",
    "sync", "edit",
    # preposition, prefix, abbreviations, interjections, first names
    "except", "inter", "environ", "ret", "conn", "eff", "ooh", "tut", "aah",
    "wham", "harry", "josh", "chevy",
}

# Checked after every build (see the brief in rules/data/README.md).
VERB_MUST_HAVE = {"backpedal", "relax", "undermine", "criticize", "obtain"}
VERB_MUST_NOT_HAVE = {"attack", "plan", "happy", "live", "content", "help"}


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(line + "\n" for line in lines)


def bytewise_sorted(words):
    return sorted(set(words), key=lambda w: w.encode("utf-8"))


def scowl_files(max_size, categories=None, subcategories=SCOWL_SUBCATEGORIES):
    """SCOWL list files "<category>-<subcategory>.<size>" up to max_size.
    special-* lists (hacker, roman-numerals) count as words."""
    files = []
    for path in sorted(SCOWL_DIR.iterdir()):
        name, _, size = path.name.rpartition(".")
        category, _, sub = name.partition("-")
        if not size.isdigit() or int(size) > max_size:
            continue
        if category == "special":
            sub = "words"
        if sub not in subcategories:
            continue
        if categories is not None and category not in categories:
            continue
        files.append(path)
    if not files:
        sys.exit(f"build_data.py: no SCOWL lists found in {SCOWL_DIR}")
    return files


def load_symspell(path):
    """(word, count) pairs in frequency order, most frequent first. The file is
    mostly in that order already, but 67 entries (contractions, "covid", "hi")
    are appended at the end with a made-up count of 300000; a stable sort puts
    everything in order."""
    entries = []
    for n, line in enumerate(read_lines(path), 1):
        parts = line.split()
        if len(parts) != 2 or not parts[1].isdigit():
            sys.exit(f"build_data.py: {path}:{n}: unexpected line {line!r}")
        entries.append((parts[0], int(parts[1])))
    entries.sort(key=lambda e: -e[1])
    return entries


def build_lexicon(symspell):
    stats = {"scowl_files": 0, "capitalised": 0, "possessive": 0, "other_chars": 0}
    scowl = set()
    sources = scowl_files(SCOWL_MAX_SIZE) + [WAMERICAN_HUGE]
    stats["scowl_files"] = len(sources) - 1
    for path in sources:
        for entry in read_lines(path):
            if entry != entry.lower():
                stats["capitalised"] += 1
            elif entry.endswith("'s"):
                stats["possessive"] += 1
            elif not WORD_RE.fullmatch(entry):
                stats["other_chars"] += 1  # accented letters, digits, dots
            else:
                scowl.add(entry)
    sym = {w for w, _ in symspell}
    bad = sorted(w for w in sym if not WORD_RE.fullmatch(w))
    if bad:
        sys.exit(f"build_data.py: unexpected SymSpell entries: {bad[:10]}")
    stats["scowl_words"] = len(scowl)
    stats["symspell_only"] = len(sym - scowl)
    return bytewise_sorted(scowl | sym), stats


def build_frequent(symspell):
    words = []
    for word, _ in symspell:
        if word in FREQUENT_DROP:
            continue
        if PLAIN_RE.fullmatch(word) and (len(word) >= 2 or word in ("a", "i")):
            words.append(word)
        if len(words) == FREQUENT_SIZE:
            break
    return words


def wordnet_lemmas(pos):
    lemmas = set()
    for line in open(WORDNET_DIR / f"index.{pos}", encoding="utf-8"):
        if not line.startswith(" "):  # the licence header lines start with spaces
            lemmas.add(line.split(" ", 1)[0])
    return lemmas


def wordnet_irregular_forms():
    """Inflected forms listed in verb.exc ("rove" -> "reeve")."""
    forms = set()
    for line in open(WORDNET_DIR / "verb.exc", encoding="utf-8"):
        inflected, *bases = line.split()
        if inflected not in bases:
            forms.add(inflected)
    return forms


def build_verbs(frequent):
    only_verbs = wordnet_lemmas("verb") - (
        wordnet_lemmas("noun") | wordnet_lemmas("adj") | wordnet_lemmas("adv"))
    only_verbs = {w for w in only_verbs if PLAIN_RE.fullmatch(w) and len(w) >= 3}
    common = set(frequent)
    for path in scowl_files(VERB_SCOWL_MAX_SIZE, {"english", "american"}, {"words"}):
        common.update(read_lines(path))
    irregular = wordnet_irregular_forms()
    verbs = {w for w in only_verbs
             if w in common and w not in irregular and w not in VERB_EXCLUDE}
    stats = {
        "wordnet_only_verbs": len(only_verbs),
        "in_frequent": len(verbs & set(frequent)),
        "excluded": sorted((only_verbs & common) & (irregular | VERB_EXCLUDE)),
    }
    missing = VERB_MUST_HAVE - verbs
    wrong = VERB_MUST_NOT_HAVE & verbs
    if missing or wrong:
        sys.exit(f"build_data.py: verbs.txt check failed: missing {sorted(missing)}, "
                 f"unexpected {sorted(wrong)}")
    return bytewise_sorted(verbs), stats


def build_stopwords(path):
    """The jusText list is lowercased; a few entries carry punctuation from its
    source ('"The', 'However,', '(born'): it is stripped, and entries that are
    still not plain words ("u.s.") are dropped."""
    words, dropped = set(), []
    for entry in read_lines(path):
        word = entry.lower().strip("\"'(),.;:")
        if WORD_RE.fullmatch(word):
            words.add(word)
        else:
            dropped.append(entry)
    return bytewise_sorted(words), dropped


def deb_version(pkg):
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                          capture_output=True, text=True, check=True).stdout


def indent(text):
    return "\n".join(("    " + line).rstrip() for line in text.rstrip("\n").split("\n"))


def write_readme(out, args, counts, stats):
    symspell_licence = Path(args.symspell_dir, "LICENSE").read_text(encoding="utf-8")
    justext_licence = Path(args.justext_dir, "LICENSE.rst").read_text(encoding="utf-8")
    scowl_copyright = Path("/usr/share/doc/scowl/copyright").read_text(encoding="utf-8")
    wordnet_copyright = Path("/usr/share/doc/wordnet-base/copyright").read_text(encoding="utf-8")
    v = {p: deb_version(p) for p in ("scowl", "wamerican-huge", "wordnet-base")}
    excluded = ", ".join(stats["verbs"]["excluded"])
    text = f"""\
# rules/data

Word lists shipped with residue. All of them are generated by
[`scripts/build_data.sh`](../../scripts/build_data.sh) (which calls
[`scripts/build_data.py`](../../scripts/build_data.py)) from Debian and PyPI
packages; do not edit them by hand, change the scripts and run
`scripts/build_data.sh` from the repository root instead. The build is
deterministic: running it again gives byte-identical files.

All files are UTF-8, one entry per line. All but `frequent.txt` are sorted
bytewise (`LC_ALL=C sort -u` order).

| file | entries | bytes | sources | licences |
|---|---:|---:|---|---|
| `lexicon.txt` | {counts['lexicon.txt'][0]:,} | {counts['lexicon.txt'][1]:,} | SCOWL (Debian `scowl` {v['scowl']}, `wamerican-huge` {v['wamerican-huge']}) + SymSpell (PyPI `symspellpy` {args.symspell_version}) | SCOWL notice, MIT |
| `frequent.txt` | {counts['frequent.txt'][0]:,} | {counts['frequent.txt'][1]:,} | SymSpell (PyPI `symspellpy` {args.symspell_version}) | MIT |
| `verbs.txt` | {counts['verbs.txt'][0]:,} | {counts['verbs.txt'][1]:,} | WordNet 3.0 (Debian `wordnet-base` {v['wordnet-base']}), filtered by `frequent.txt` and SCOWL | WordNet 3.0 licence, MIT, SCOWL notice |
| `stopwords.txt` | {counts['stopwords.txt'][0]:,} | {counts['stopwords.txt'][1]:,} | jusText English stop-list (PyPI `justext` {args.justext_version}) | BSD-2-Clause |

## lexicon.txt

Lowercase English words that count as "known" (glued-word, OCR and
hyphenation checks). The union of:

- every SCOWL list of size 80 or less (Debian `scowl`, `/usr/share/dict/scowl/`)
  in the sub-categories words, contractions, abbreviations and the special
  lists (hacker, roman numerals), for every spelling category (American,
  British, British -ize, Canadian, Australian and variants 1-3), plus
  `/usr/share/dict/american-english-huge` (Debian `wamerican-huge`, itself
  built from SCOWL lists of size 80 or less); {stats['lexicon']['scowl_files']} SCOWL files.
  Only entries written all in lowercase in the source are kept (proper nouns
  and acronyms are skipped), possessives (`'s`) are removed, and only entries
  made of a-z with internal `'` or `-` are kept (accented words such as
  "café" are dropped): {stats['lexicon']['scowl_words']:,} words;
- every word of SymSpell's `frequency_dictionary_en_82_765.txt`
  ({stats['lexicon']['symspell_only']:,} of them are not in SCOWL; it also
  brings contractions such as "it's").

## frequent.txt

The {FREQUENT_SIZE:,} most frequent words of SymSpell's
`frequency_dictionary_en_82_765.txt`, most frequent first (NOT sorted
alphabetically). Only a-z words; length 2 or more except "a" and "i" (the
dictionary has no other one-letter entries). Ties keep the dictionary's order.
Dropped: {", ".join(sorted(FREQUENT_DROP))} (rank 13,254, frequent only as the
residue of the HTML entity `&quot;`; it stays in `lexicon.txt`, as SCOWL lists it).
The dictionary ends with 67 entries (contractions, "covid", "hi") given a
made-up count of 300,000; they are sorted by that count, which puts them
below rank 30,000, so "hi" is not in this file.

## verbs.txt

Base-form verbs that WordNet 3.0 lists only as verbs: lemmas of
`/usr/share/wordnet/index.verb` that are not lemmas of `index.noun`,
`index.adj` or `index.adv`, single lowercase a-z words of 3 letters or more
({stats['verbs']['wordnet_only_verbs']:,} such lemmas). Kept only when common: in
`frequent.txt` ({stats['verbs']['in_frequent']:,} of them) or in SCOWL's
English/American word lists of size 50 or less (a top-30k frequency rank
alone would miss "backpedal", rank ~79,000). Dropped: forms that `verb.exc`
lists as an irregular inflection of another verb, and a hand-kept list in
`scripts/build_data.py` (`VERB_EXCLUDE`): verbs whose base form is also a past
participle ("become", "rid"), verbs mostly used as nouns since WordNet 3.0
("download", "edit"), and a preposition, abbreviations, interjections and
first names. Dropped this build: {excluded}.

The build checks that {", ".join(sorted(VERB_MUST_HAVE))} are in the list and
{", ".join(sorted(VERB_MUST_NOT_HAVE))} are not.

## stopwords.txt

The jusText English stop-list (`justext/stoplists/English.txt`), lowercased.
A few entries carry punctuation in the source (`"The`, `However,`,
`(born`); it is stripped, and entries that still are not plain words are
dropped (this build: {", ".join(stats['stopwords_dropped']) or "none"}).

## Licences and notices

### SCOWL (lexicon.txt, verbs.txt)

Debian packages `scowl` {v['scowl']} and `wamerican-huge` {v['wamerican-huge']}.
Copied from `/usr/share/doc/scowl/copyright` (identical to
`/usr/share/doc/wamerican-huge/copyright`):

{indent(scowl_copyright)}

### WordNet 3.0 (verbs.txt)

Debian package `wordnet-base` {v['wordnet-base']}. Copied from
`/usr/share/doc/wordnet-base/copyright` (the `debian/*` stanza covers
Debian's packaging only, none of which is shipped here):

{indent(wordnet_copyright)}

### SymSpell frequency dictionary (lexicon.txt, frequent.txt, verbs.txt)

PyPI sdist `symspellpy` {args.symspell_version}, file
`symspellpy/frequency_dictionary_en_82_765.txt`, MIT licence. Copied from the
sdist's `LICENSE`:

{indent(symspell_licence)}

### jusText stop-list (stopwords.txt)

PyPI sdist `justext` {args.justext_version}, file
`justext/stoplists/English.txt`, BSD 2-Clause licence. Copied from the
sdist's `LICENSE.rst`:

{indent(justext_licence)}
"""
    (out / "README.md").write_text(text, encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--symspell-dir", required=True, help="unpacked symspellpy sdist")
    ap.add_argument("--symspell-version", required=True)
    ap.add_argument("--justext-dir", required=True, help="unpacked justext sdist")
    ap.add_argument("--justext-version", required=True)
    args = ap.parse_args()
    out = args.out

    symspell = load_symspell(
        Path(args.symspell_dir, "symspellpy", "frequency_dictionary_en_82_765.txt"))
    lexicon, lex_stats = build_lexicon(symspell)
    frequent = build_frequent(symspell)
    verbs, verb_stats = build_verbs(frequent)
    stopwords, stop_dropped = build_stopwords(
        Path(args.justext_dir, "justext", "stoplists", "English.txt"))

    files = {"lexicon.txt": lexicon, "frequent.txt": frequent,
             "verbs.txt": verbs, "stopwords.txt": stopwords}
    counts = {}
    for name, lines in files.items():
        write_lines(out / name, lines)
        counts[name] = (len(lines), (out / name).stat().st_size)
    stats = {"lexicon": lex_stats, "verbs": verb_stats, "stopwords_dropped": stop_dropped}
    write_readme(out, args, counts, stats)

    for name, (n, size) in counts.items():
        print(f"{name:14} {n:8,} entries {size:10,} bytes", file=sys.stderr)
    print(f"lexicon: skipped {lex_stats['capitalised']:,} capitalised, "
          f"{lex_stats['possessive']:,} possessive, {lex_stats['other_chars']:,} "
          f"non a-z SCOWL entries", file=sys.stderr)
    print(f"verbs: dropped {', '.join(verb_stats['excluded'])}", file=sys.stderr)
    print(f"stopwords: dropped {stop_dropped}", file=sys.stderr)


if __name__ == "__main__":
    main()
