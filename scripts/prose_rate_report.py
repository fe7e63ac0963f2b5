#!/usr/bin/env python3
"""Summarise `residue check --format json` findings on a clean-prose corpus.

    prose_rate_report.py --corpus DIR --findings FILE [--max-rate N] [--show N]
    prose_rate_report.py --corpus DIR --size-only

Prints the corpus size (files, words = whitespace tokens, MB), the number of
findings, findings per 10,000 words, a table of findings per rule, and the
first findings with the text they flag (span start..end, UTF-8 byte offsets
into the file). Exits 1 when --max-rate is given and the rate exceeds it,
2 when the findings file cannot be read.
"""
import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REQUIRED_KEYS = {"path", "rule", "category", "severity", "message", "span"}


def die(message):
    print(f"prose_rate_report.py: {message}", file=sys.stderr)
    sys.exit(2)  # 1 means "rate above --max-rate"


def corpus_size(corpus):
    files = sorted(p for p in corpus.rglob("*.txt") if p.is_file())
    words = nbytes = 0
    for path in files:
        data = path.read_bytes()
        nbytes += len(data)
        words += len(data.decode("utf-8", errors="replace").split())
    return files, words, nbytes


def load_findings(path):
    try:
        findings = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        die(f"cannot read findings from {path}: {err}")
    if not isinstance(findings, list):
        die(f"{path}: expected a JSON array of findings")
    for i, f in enumerate(findings):
        missing = REQUIRED_KEYS - set(f) if isinstance(f, dict) else REQUIRED_KEYS
        if missing:
            die(f"{path}: finding #{i} lacks {sorted(missing)}")
    return findings


def flagged_text(finding, corpus, cache):
    """The text of span start..end, read from the file the finding names (as
    given, or relative to the corpus folder)."""
    name = finding["path"]
    if name not in cache:
        for candidate in (Path(name), corpus / name):
            if candidate.is_file():
                cache[name] = candidate.read_bytes()
                break
        else:
            cache[name] = None
    data, span = cache[name], finding["span"]
    if data is None:
        return "<file not found>"
    try:
        start, end = int(span["start"]), int(span["end"])
    except (KeyError, TypeError, ValueError):
        return "<no byte span>"
    if not 0 <= start <= end <= len(data):
        return f"<span {start}..{end} outside the file ({len(data)} bytes)>"
    return data[start:end].decode("utf-8", errors="replace")


def shorten(text, width=100):
    text = text.replace("\n", "\\n")
    return text if len(text) <= width else text[:width - 1] + "…"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("--findings", help="file holding residue's JSON array")
    ap.add_argument("--max-rate", type=float, help="fail above this many findings per 10,000 words")
    ap.add_argument("--show", type=int, default=20, help="findings to print (default 20)")
    ap.add_argument("--size-only", action="store_true", help="print the corpus size and stop")
    args = ap.parse_args()

    files, words, nbytes = corpus_size(args.corpus)
    if not files or not words:
        die(f"no words in {args.corpus}")
    if args.size_only:
        print(f"corpus:    {args.corpus}: {len(files):,} files, {words:,} words, "
              f"{nbytes / 1e6:.1f} MB")
        return
    if not args.findings:
        ap.error("--findings is required unless --size-only is given")

    findings = load_findings(args.findings)
    rate = len(findings) * 10_000 / words
    print(f"findings:  {len(findings):,} in {words:,} words ({len(files):,} files)")
    print(f"rate:      {rate:.2f} findings per 10,000 words")

    if findings:
        per_rule = Counter((f["rule"], f["category"]) for f in findings)
        width = max(len(rule) for rule, _ in per_rule)
        print(f"\n{'rule':<{width}}  {'category':<15} {'findings':>8} {'per 10k':>8}")
        for (rule, category), n in sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"{rule:<{width}}  {category:<15} {n:>8,} {n * 10_000 / words:>8.2f}")

        cache = {}
        shown = findings[:args.show]
        print(f"\nfirst {len(shown)} findings:")
        for f in shown:
            span = f["span"]
            where = f"{f['path']}:{span.get('line', '?')}:{span.get('column', '?')}"
            text = flagged_text(f, args.corpus, cache)
            print(f"{where}: [{f['rule']}] {shorten(text)!r}")
            print(f"    {shorten(str(f['message']), 120)}")

    if args.max_rate is not None:
        if rate > args.max_rate:
            print(f"\nFAIL: {rate:.2f} findings per 10,000 words exceeds --max-rate "
                  f"{args.max_rate:g}")
            sys.exit(1)
        print(f"\nOK: {rate:.2f} findings per 10,000 words is within --max-rate "
              f"{args.max_rate:g}")


if __name__ == "__main__":
    main()
