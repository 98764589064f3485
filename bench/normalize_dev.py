#!/usr/bin/env python3
"""What clean.normalize's word repairs do to real articles.

    bench/normalize_dev.py [--textmill build/textmill] [--dev ../shared/corpus/dev]
                           [--show 40]

Runs clean.normalize over the dev articles twice, with fix_case on and
off (everything else at its default), and prints the verdicts of the
first run by reason, then each word fix_case changed with how often, most
frequent first: the changes to judge by eye. Reads the articles, prints
only words; not part of ctest.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = ["baomoi_defence.jsonl", "baomoi_other.jsonl", "dantri.jsonl"]


def run(textmill, dev, work, fix_case):
    cfg = os.path.join(work, "norm.yaml")
    with open(cfg, "w") as f:
        f.write("stages:\n  - {type: clean.normalize, fix_case: %s}\n"
                "outputs: [{type: output.jsonl, path: out.jsonl}]\n" % ("true" if fix_case else "false"))
    out = os.path.join(work, "out-%d.jsonl" % fix_case)
    args = [textmill, "run", cfg, "-o", out]
    for name in FILES:
        args += ["-i", os.path.join(dev, name)]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode not in (0, 3):
        sys.exit(p.stderr)
    return {d["id"]: d["text"] for d in map(json.loads, open(out, encoding="utf-8"))}, p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--textmill", default=os.path.join(ROOT, "build", "textmill"))
    ap.add_argument("--dev", default=os.path.join(ROOT, "..", "shared", "corpus", "dev"))
    ap.add_argument("--show", type=int, default=40)
    a = ap.parse_args()
    if not os.path.isdir(a.dev):
        sys.exit("no dev corpus at " + a.dev)
    with tempfile.TemporaryDirectory() as work:
        on, summary = run(a.textmill, a.dev, work, 1)
        off, _ = run(a.textmill, a.dev, work, 0)
    m = re.search(r"(\d+) documents read: (\d+) written, (\d+) dropped, (\d+) rejected", summary)
    print("documents: %s read, %s written, %s rejected" % (m.group(1), m.group(2), m.group(4)))
    for line in summary.splitlines():
        if "rejected " in line and ":" in line and "documents read" not in line:
            print("  " + line.strip())
    changes = collections.Counter()
    docs = 0
    for k, text in on.items():
        if off.get(k) == text:
            continue
        docs += 1
        a_words, b_words = off[k].split(), text.split()
        if len(a_words) != len(b_words):
            changes["(a document whose words moved)"] += 1
            continue
        for x, y in zip(a_words, b_words):
            if x != y:
                changes["%s -> %s" % (x, y)] += 1
    print("fix_case: %d words changed in %d documents, %d distinct" % (sum(changes.values()), docs, len(changes)))
    for change, n in changes.most_common(a.show):
        print("%6d  %s" % (n, change))


if __name__ == "__main__":
    main()
