#!/usr/bin/env python3
"""Choose the articles of the dev gold set, reproducibly.

    select.py [--corpus DIR] > tests/gold/dev/articles.tsv

Ranks every article of ../shared/corpus/dev by sha1(SEED + id) and takes
them in that order, skipping articles shorter than MIN_CHARS (stubs) or
longer than MAX_CHARS (a hand annotator's day is finite; the cut leaves out
about half of the corpus, the long features and reports), until each of
the four cells kind x half holds PER_CELL articles. kind is "defence"
(baomoi_defence.jsonl) or "other" (baomoi_other.jsonl and dantri.jsonl,
ranked together); half is "tune" when sha1("half:" + id) is even, else
"report". (sha1(id) itself is even for every article in the folder: the
folder is already one side of such a split, so it cannot split it again.)
"""
import argparse, hashlib, json, os, sys

SEED = "textmill-gold-17:"
MIN_CHARS, MAX_CHARS, PER_CELL = 300, 1800, 15
KINDS = {"defence": ["baomoi_defence"], "other": ["baomoi_other", "dantri"]}
HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared", "corpus", "dev"))


def half(doc_id):
    """tune or report: the parity of sha1("half:" + id)."""
    return "tune" if hashlib.sha1(("half:" + doc_id).encode()).digest()[-1] % 2 == 0 else "report"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=CORPUS)
    args = ap.parse_args()
    print("# source\tid\tkind\thalf  (written by select.py; do not edit by hand)")
    for kind, sources in KINDS.items():
        ranked = []
        for src in sources:
            for line in open(os.path.join(args.corpus, src + ".jsonl"), encoding="utf-8"):
                doc = json.loads(line)
                if MIN_CHARS <= len(doc["text"]) <= MAX_CHARS:
                    ranked.append((hashlib.sha1((SEED + doc["id"]).encode()).hexdigest(), src, doc["id"]))
        ranked.sort()
        taken = {"tune": 0, "report": 0}
        for _, src, doc_id in ranked:
            h = half(doc_id)
            if taken[h] < PER_CELL:
                taken[h] += 1
                print(f"{src}\t{doc_id}\t{kind}\t{h}")
        if min(taken.values()) < PER_CELL:
            sys.exit(f"select.py: only {taken} articles of kind {kind}")


if __name__ == "__main__":
    main()
