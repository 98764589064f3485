"""Score a run's output against a gold file, field by field.

usage: check_gold.py GOLD OUTPUT.jsonl [NORMALIZED.jsonl]

GOLD maps document ids to the expected title, published, published_guess
(its date), author, source,
views, captions and body (null: the field must be absent), or to
{"dropped": REASON} for a document the pipeline must drop. A body is either
{"text": ...} or, for text that may not be copied into the project,
{"lines": [...], "sha256": ...}: line numbers into the normalized source,
which NORMALIZED.jsonl holds (see tests/fixtures/clean/seeds.gold.json).
Prints a score per field and a diff for each wrong body; exits 1 on any
mismatch.
"""
import difflib
import hashlib
import json
import sys

FIELDS = ["title", "published", "published_guess", "author", "source", "views", "captions", "body"]


def rebuild(spec, lines):
    """The body that a list of line numbers stands for."""
    out, prev = [], None
    for item in spec:
        n, prefix = (item, "") if isinstance(item, int) else (item["line"], item.get("strip_prefix", ""))
        line = lines[n]
        if not line.startswith(prefix):
            raise SystemExit(f"line {n} does not start with {prefix!r}: the seed changed?")
        if out:
            out.append("\n" if prev is not None and n == prev + 1 else "\n\n")
        out.append(line[len(prefix):])
        prev = n
    return "".join(out)


def main():
    gold = json.load(open(sys.argv[1], encoding="utf-8"))["documents"]
    got = {d["id"]: d for d in map(json.loads, open(sys.argv[2], encoding="utf-8"))}
    norm = {}
    if len(sys.argv) > 3:
        norm = {d["id"]: d["text"].split("\n") for d in map(json.loads, open(sys.argv[3], encoding="utf-8"))}
    score = {f: [0, 0] for f in FIELDS}
    problems = []
    for doc_id, want in sorted(gold.items()):
        if "dropped" in want:
            score.setdefault("dropped", [0, 0])[1] += 1
            if doc_id in got:
                problems.append(f"{doc_id}: written, but should be dropped ({want['dropped']})")
            else:
                score["dropped"][0] += 1
            continue
        if doc_id not in got:
            problems.append(f"{doc_id}: not in the output")
            for f in FIELDS:
                score[f][1] += 1
            continue
        doc, meta = got[doc_id], got[doc_id].get("meta", {})
        lines = norm.get(doc_id)
        for f in FIELDS:
            score[f][1] += 1
            if f == "body":
                spec = want["body"]
                if "text" in spec:
                    expected = spec["text"]
                else:
                    expected = rebuild(spec["lines"], lines)
                    digest = hashlib.sha256(expected.encode("utf-8")).hexdigest()
                    if digest != spec["sha256"]:
                        problems.append(f"{doc_id}: body rebuilt from the normalized seed hashes to {digest}, "
                                        f"not {spec['sha256']}: normalization changed, or the gold is stale")
                        continue
                actual = doc["text"]
            elif f == "captions":
                expected = [lines[i] if isinstance(i, int) else i for i in want.get("captions", [])]
                actual = meta.get("captions", [])
            elif f == "published_guess":
                # The guessed day; its evidence is the text's own words.
                expected, actual = want.get(f), (meta.get(f) or {}).get("date")
            else:
                expected, actual = want.get(f), meta.get(f)
            if expected == actual:
                score[f][0] += 1
                continue
            if f == "body":
                diff = difflib.unified_diff(expected.split("\n"), actual.split("\n"), "expected", "got", lineterm="")
                problems.append(f"{doc_id}: body differs:\n" + "\n".join(diff))
            else:
                problems.append(f"{doc_id}: {f} is {actual!r}, expected {expected!r}")
    for f, (ok, total) in score.items():
        print(f"  {f:10} {ok}/{total}")
    for p in problems:
        print("FAIL: " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
