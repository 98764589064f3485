#!/usr/bin/env python3
"""Choose the articles of the dev gold set, reproducibly.

    select.py [--corpus DIR] > tests/gold/dev/articles.tsv
    select.py --seed textmill-person-17: --per-cell 20 --tune-only \
              --exclude tests/gold/dev/articles.tsv > tests/gold/dev-person/articles.tsv
    select.py --seed textmill-blind-17: --report-only --exclude tests/gold/dev/articles.tsv \
              --exclude tests/gold/dev-person/articles.tsv > tests/gold/dev-blind/articles.tsv

Ranks every article of ../shared/corpus/dev by sha1(SEED + id) and takes
them in that order, skipping articles shorter than MIN_CHARS (stubs) or
longer than MAX_CHARS (a hand annotator's day is finite; the cut leaves out
about half of the corpus, the long features and reports), until each of
the four cells kind x half holds PER_CELL articles. kind is "defence"
(baomoi_defence.jsonl) or "other" (baomoi_other.jsonl and dantri.jsonl,
ranked together); half is "tune" when sha1("half:" + id) is even, else
"report". (sha1(id) itself is even for every article in the folder: the
folder is already one side of such a split, so it cannot split it again.)

The PERSON tuning set (tests/gold/dev-person, docs/entity-gold.md) is
chosen the same way with its own seed, no reporting half (--tune-only: the
first PER_CELL articles of each kind, all "tune") and none of the articles
of the dev gold set (--exclude). The blind reporting set (tests/gold/dev-blind)
is the other way round: --report-only, every article "report", none of the
two sets before it.
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
    ap.add_argument("--seed", default=SEED, help="ranks the articles: sha1(seed + id)")
    ap.add_argument("--per-cell", type=int, default=PER_CELL, help="articles per kind and half")
    only = ap.add_mutually_exclusive_group()
    only.add_argument("--tune-only", action="store_true", help="one half, tune: no reporting half")
    only.add_argument("--report-only", action="store_true", help="one half, report: no tuning half")
    ap.add_argument("--exclude", action="append", default=[], help="an articles.tsv whose articles are not taken")
    args = ap.parse_args()
    skip = {line.split("\t")[1] for path in args.exclude for line in open(path, encoding="utf-8")
            if line.strip() and not line.startswith("#")}
    if not os.path.isdir(args.corpus):
        print(f"skipped: no dev corpus at {os.path.normpath(args.corpus)}", file=sys.stderr)
        sys.exit(77)
    whole = "tune" if args.tune_only else "report" if args.report_only else None
    halves = [whole] if whole else ["tune", "report"]
    print("# source\tid\tkind\thalf  (written by select.py; do not edit by hand)")
    for kind, sources in KINDS.items():
        ranked = []
        for src in sources:
            for line in open(os.path.join(args.corpus, src + ".jsonl"), encoding="utf-8"):
                doc = json.loads(line)
                if MIN_CHARS <= len(doc["text"]) <= MAX_CHARS and doc["id"] not in skip:
                    ranked.append((hashlib.sha1((args.seed + doc["id"]).encode()).hexdigest(), src, doc["id"]))
        ranked.sort()
        taken = dict.fromkeys(halves, 0)
        for _, src, doc_id in ranked:
            h = whole or half(doc_id)
            if taken[h] < args.per_cell:
                taken[h] += 1
                print(f"{src}\t{doc_id}\t{kind}\t{h}")
        if min(taken.values()) < args.per_cell:
            sys.exit(f"select.py: only {taken} articles of kind {kind}")


if __name__ == "__main__":
    main()
