#!/usr/bin/env python3
"""Build the benchmark corpus from real prose installed on this machine.

    make_corpus.py POOL_DIR... --seeds seeds --out target/bench-corpus [--mb 200]

POOL_DIRs hold plain-text files (one paragraph per line or hard-wrapped, as
`scripts/extract_prose.py` and Debian's /usr/share/doc text give). Their
paragraphs are shuffled into new documents; in each copy of a paragraph about one
word in seven is swapped for another word of the pool, so that the same paragraph
drawn twice is not a (near-)duplicate. About one paragraph in 25 is followed by an
artifact taken from the seed articles (lines holding a labelled quote: credits,
caption widgets, toolbars, "Read:" links, doubled words, glued words ...), so the
rules have real work to do.

Writes, under OUT (recreated):
  mixed/     about MB megabytes in files of varied size (1 KB to 2 MB, log-uniform)
  small/     100,000 files of about 1 KB (in 100 folders)
  big.txt    the files of small/ concatenated: the same bytes in one 100 MB file
Everything is deterministic (fixed random seed). Only the standard library is used.
"""
import argparse
import json
import os
import random
import re
import shutil
import sys
from pathlib import Path


def paragraphs_of(text):
    """Paragraphs: blocks separated by blank lines (hard-wrapped lines kept)."""
    for block in re.split(r"\n\s*\n", text):
        block = block.strip("\n")
        if len(block) >= 40 and sum(c.isalpha() for c in block) > len(block) // 2:
            yield block


def load_pool(dirs):
    paras = []
    for d in dirs:
        for path in sorted(Path(d).rglob("*")):
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            paras.extend(paragraphs_of(text))
    return paras


def load_artifacts(seeds):
    """Lines of the seed articles that hold a labelled artifact."""
    labels = json.loads((Path(seeds) / "seeds.labels.json").read_text())
    out = []
    for lab in labels:
        text = (Path(seeds) / lab["file"]).read_text(encoding="utf-8")
        idx = -1
        for _ in range(int(lab.get("occurrence", 1))):
            idx = text.find(lab["quote"], idx + 1)
        if idx < 0:
            continue
        start = text.rfind("\n", 0, idx) + 1
        end = text.find("\n", idx + len(lab["quote"]))
        end = len(text) if end < 0 else end
        line = text[start:end].strip()
        if line:
            out.append(line)
    return out


WORD = re.compile(r"[A-Za-z]{3,}")


class Writer:
    def __init__(self, pool, artifacts, rng):
        self.pool = pool
        self.artifacts = artifacts
        self.rng = rng
        vocab = set()
        for p in rng.sample(pool, min(len(pool), 20000)):
            vocab.update(w.lower() for w in WORD.findall(p))
        self.vocab = sorted(vocab)

    def mutate(self, para):
        rng, vocab = self.rng, self.vocab

        def swap(m):
            if rng.random() >= 0.15:
                return m.group(0)
            w = rng.choice(vocab)
            return w.capitalize() if m.group(0)[0].isupper() else w

        return WORD.sub(swap, para)

    def document(self, size):
        parts, n = [], 0
        while n < size:
            p = self.mutate(self.rng.choice(self.pool))
            parts.append(p)
            n += len(p) + 2
            if self.artifacts and self.rng.random() < 0.04:
                a = self.rng.choice(self.artifacts)
                parts.append(a)
                n += len(a) + 2
        return "\n\n".join(parts) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pool", nargs="+")
    ap.add_argument("--seeds", default="seeds")
    ap.add_argument("--out", default="target/bench-corpus")
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--small-files", type=int, default=100_000)
    args = ap.parse_args()

    rng = random.Random(20261122)
    pool = load_pool(args.pool)
    if len(pool) < 1000:
        sys.exit(f"make_corpus: only {len(pool)} paragraphs in the pool")
    w = Writer(pool, load_artifacts(args.seeds), rng)
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    (out / "mixed").mkdir(parents=True)

    target, total, i = int(args.mb * 1e6), 0, 0
    while total < target:
        size = int(2 ** rng.uniform(10, 21))  # 1 KB .. 2 MB
        doc = w.document(min(size, target - total))
        sub = out / "mixed" / f"{i % 50:02d}"
        sub.mkdir(exist_ok=True)
        data = doc.encode("utf-8")
        (sub / f"doc{i:05d}.txt").write_bytes(data)
        total += len(data)
        i += 1
    mixed_files = i

    small_total = 0
    with open(out / "big.txt", "wb") as big:
        for i in range(args.small_files):
            sub = out / "small" / f"{i % 100:02d}"
            if i < 100:
                sub.mkdir(parents=True)
            data = w.document(int(rng.uniform(500, 1500))).encode("utf-8")
            (sub / f"s{i:06d}.txt").write_bytes(data)
            big.write(data)
            big.write(b"\n")
            small_total += len(data) + 1
    print(
        f"make_corpus: {len(pool)} pool paragraphs; mixed/ {total / 1e6:.1f} MB in "
        f"{mixed_files} files; small/ {args.small_files} files and big.txt "
        f"{small_total / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
