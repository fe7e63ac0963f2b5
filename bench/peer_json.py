#!/usr/bin/env python3
"""Run a peer linter on files and print its findings in residue's JSON shape.

    peer_json.py PEER FILE...      (PEER: harper | proselint | textlint | typos)

Prints one JSON array of {"path", "rule", "category", "span": {"start", "end"}}
with UTF-8 byte offsets, which is what ../shared/eval/score.py reads, so that
`score.py --cmd "python3 bench/peer_json.py harper"` scores a peer like residue.
Peers have no residue category: each finding gets the category "peer" (score.py
then counts it as found, but not as found in the same category).

The peers are looked up in target/peers/ (bench/run.sh installs them there).
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "target", "peers")
VENV = os.path.join(PEERS, "venv", "bin")
NODE = os.path.join(PEERS, "node")


def char_to_byte(text, offsets):
    """Map character offsets (Unicode scalar values) to UTF-8 byte offsets."""
    table, b = [], 0
    for ch in text:
        table.append(b)
        b += len(ch.encode("utf-8"))
    table.append(b)
    return [table[min(o, len(text))] for o in offsets]


def utf16_to_byte(text, offsets):
    table, b = {}, 0
    u = 0
    for ch in text:
        table[u] = b
        u += 2 if ord(ch) > 0xFFFF else 1
        b += len(ch.encode("utf-8"))
    table[u] = b
    return [table.get(o, b) for o in offsets]


def finding(path, rule, start, end):
    return {"path": path, "rule": rule, "category": "peer",
            "span": {"start": start, "end": end}}


def harper(files):
    out = []
    for path in files:
        run = subprocess.run([os.path.join(VENV, "harper"), "lint", "--format", "json", path],
                             capture_output=True, text=True)
        text = open(path, encoding="utf-8").read()
        for report in json.loads(run.stdout or "[]"):
            for lint in report["lints"]:
                s, e = char_to_byte(text, [lint["span"]["char_start"], lint["span"]["char_end"]])
                out.append(finding(path, lint["rule"], s, e))
    return out


def proselint(files):
    sys.path.insert(0, next(
        os.path.join(PEERS, "venv", "lib", d, "site-packages")
        for d in os.listdir(os.path.join(PEERS, "venv", "lib"))))
    from proselint.tools import LintFile  # noqa: E402
    from proselint.registry import CheckRegistry  # noqa: E402
    from proselint.checks import __register__  # noqa: E402
    CheckRegistry().register_many(__register__)
    out = []
    for path in files:
        text = open(path, encoding="utf-8").read()
        for r in LintFile(path, text).lint():
            s, e = char_to_byte(text, list(r.check_result.span))
            out.append(finding(path, r.check_result.check_path, s, e))
    return out


def textlint(files):
    run = subprocess.run([os.path.join(NODE, "node_modules", ".bin", "textlint"),
                          "--config", os.path.join(ROOT, "bench", "textlintrc.json"),
                          "--format", "json", *[os.path.abspath(f) for f in files]],
                         capture_output=True, text=True, cwd=NODE)
    shown = {os.path.abspath(f): f for f in files}
    out = []
    for report in json.loads(run.stdout or "[]"):
        path = report["filePath"]
        text = open(path, encoding="utf-8").read()
        path = shown.get(path, path)
        for m in report["messages"]:
            s, e = m.get("range", [m.get("index", 0), m.get("index", 0) + 1])
            s, e = utf16_to_byte(text, [s, e])
            out.append(finding(path, m.get("ruleId", "textlint"), s, e))
    return out


def typos(files):
    run = subprocess.run([os.path.join(VENV, "typos"), "--format", "json", *files],
                         capture_output=True, text=True)
    out = []
    line_starts = {}
    for row in run.stdout.splitlines():
        t = json.loads(row)
        if t.get("type") != "typo":
            continue
        path = t["path"]
        if path not in line_starts:
            data = open(path, "rb").read()
            starts = [0] + [i + 1 for i, c in enumerate(data) if c == 10]
            line_starts[path] = starts
        s = line_starts[path][t["line_num"] - 1] + t["byte_offset"]
        out.append(finding(path, "typo", s, s + len(t["typo"].encode("utf-8"))))
    return out


def main():
    peer, files = sys.argv[1], sys.argv[2:]
    runner = {"harper": harper, "proselint": proselint, "textlint": textlint,
              "typos": typos}[peer]
    json.dump(runner(files), sys.stdout)


if __name__ == "__main__":
    main()
