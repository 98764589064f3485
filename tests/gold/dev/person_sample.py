#!/usr/bin/env python3
"""Sample the PERSON entities the pack finds in real articles outside the
gold set, for a human to judge: precision where no gold exists.

    person_sample.py [--salt S] [-n 100] [--rule R] [--kind defence|other] [--like-gold]
                     [--judged FILE] [--textmill PATH]

Runs every article of ../shared/corpus/dev/*.jsonl that is not in
tests/gold/dev/articles.tsv nor tests/gold/dev-person/articles.tsv through tests/gold/pipeline.yaml (the gold
pipeline), takes n PERSON entities at random (the order is sha1(salt, id,
start), so one salt gives the same sample for the same output) and prints
each in its context, the name in [brackets], with the rule that found it
and a key (id:byte offset).

To measure, copy the keys into a file, one "key<TAB>verdict" a line, the
verdict "ok" (a person's name, exact span), "part" (a person, wrong span) or
"no" (not a person); --judged FILE then prints the judged precision, exact
and overlapping, of the entities of the sample that have a verdict. A new
salt gives a fresh sample, so a rule cannot be fitted to the judged ones.
Exits 77 when the corpus folder is absent.
"""
import argparse, hashlib, json, os, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GOLD = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(GOLD))
sys.path[0] = GOLD  # not this folder: its select.py would hide the standard module
import score  # noqa: E402  (the gold pipeline and its runner)

CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "dev")
SOURCES = ["baomoi_defence", "baomoi_other", "dantri"]


def gold_ids():
    """The articles of the dev gold set and of the PERSON tuning set."""
    lists = [os.path.join(HERE, "articles.tsv"), os.path.join(GOLD, "dev-person", "articles.tsv")]
    return {line.split("\t")[1] for path in lists for line in open(path, encoding="utf-8")
            if line.strip() and not line.startswith("#")}


def outside_gold(corpus, tmp, kind, like_gold):
    """One jsonl of every corpus article not in the gold set (of one kind,
    of the gold set's lengths); {id: source}."""
    skip, kinds = gold_ids(), {}
    path = os.path.join(tmp, "outside.jsonl")
    with open(path, "w", encoding="utf-8") as out:
        for src in SOURCES:
            if kind and (src == "baomoi_defence") != (kind == "defence"):
                continue
            for line in open(os.path.join(corpus, src + ".jsonl"), encoding="utf-8"):
                doc = json.loads(line)
                if like_gold and not 300 <= len(doc["text"]) <= 1800:
                    continue
                if doc["id"] not in skip:
                    kinds[doc["id"]] = src
                    out.write(line if line.endswith("\n") else line + "\n")
    return path, kinds


def context(text_bytes, s, e, width):
    """The name in [brackets] with width bytes around it, on one line."""
    a, b = max(0, s - width), min(len(text_bytes), e + width)
    part = (text_bytes[a:s] + b"[" + text_bytes[s:e] + b"]" + text_bytes[e:b]).decode("utf-8", "replace")
    return part.replace("\n", " | ")


def read_judged(path):
    out = {}
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        f = line.rstrip("\n").split("\t")
        if not line.strip() or line.startswith("#"):
            continue
        if len(f) < 2 or f[1] not in ("ok", "part", "no"):
            sys.exit(f"{path}:{n}: expected key<TAB>ok|part|no: {line.rstrip()!r}")
        out[f[0]] = f[1]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--salt", default="1", help="picks the sample; a new salt gives a fresh one")
    ap.add_argument("-n", type=int, default=100, help="how many entities (default 100)")
    ap.add_argument("--rule", help="only entities of this rule (e.g. person-family-name)")
    ap.add_argument("--kind", choices=["defence", "other"], help="only defence reports, or only the other articles")
    ap.add_argument("--like-gold", action="store_true",
                    help="only articles of 300 to 1,800 characters, as the gold set (docs/entity-gold.md)")
    ap.add_argument("--width", type=int, default=70, help="bytes of context each side")
    ap.add_argument("--judged", help="file of key<TAB>ok|part|no: print the judged precision")
    ap.add_argument("--corpus", default=CORPUS, help="folder of the dev corpus jsonl files")
    ap.add_argument("--textmill", default=os.environ.get("TEXTMILL", os.path.join(ROOT, "build", "textmill")))
    args = ap.parse_args()
    if not all(os.path.exists(os.path.join(args.corpus, s + ".jsonl")) for s in SOURCES):
        print(f"skipped: the dev corpus is not at {os.path.normpath(args.corpus)}")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        inputs, kinds = outside_gold(args.corpus, tmp, args.kind, args.like_gold)
        config, _ = score.pipeline_config(args.textmill, tmp)
        docs = score.run_pipeline(args.textmill, [inputs], config)
    found = []
    for doc_id, doc in docs.items():
        raw = doc["text"].encode("utf-8")
        for e in doc.get("entities", []):
            if e["type"] == "PERSON" and (not args.rule or e.get("rule") == args.rule):
                key = f"{doc_id}:{e['start']}"
                order = hashlib.sha1(f"{args.salt}:{key}".encode()).hexdigest()
                found.append((order, key, e, raw, kinds.get(doc_id, "?")))
    found.sort(key=lambda x: x[0])
    sample = found[:args.n]
    print(f"{len(found)} PERSON entities in {len(docs)} articles outside the gold set; "
          f"sample of {len(sample)}, salt {args.salt!r}\n")
    judged = read_judged(args.judged) if args.judged else {}
    tally = {"ok": 0, "part": 0, "no": 0}
    for i, (_, key, e, raw, src) in enumerate(sample, 1):
        verdict = judged.get(key)
        if verdict:
            tally[verdict] += 1
        mark = f" = {verdict}" if verdict else ""
        print(f"{i:3}. {key}\t{e.get('rule', '?')}\t{src}{mark}")
        print(f"     {context(raw, e['start'], e['end'], args.width)}")
    if args.judged:
        n = sum(tally.values())
        if n == 0:
            print("\nno entity of this sample has a verdict in", args.judged)
            return 1
        print(f"\njudged {n} of {len(sample)}: ok {tally['ok']}, part {tally['part']}, no {tally['no']}; "
              f"precision exact {tally['ok'] / n:.3f}, overlapping {(tally['ok'] + tally['part']) / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
