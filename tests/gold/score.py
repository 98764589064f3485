#!/usr/bin/env python3
"""Score the entity rule pack against hand-made gold annotations.

    score.py [--set seeds|heldout] [--textmill PATH] [--floors FILE] [-v]

Runs the articles of a gold set through tests/gold/pipeline.yaml (the
cleaning stages, then scripts/entities/defence_vi.lua), maps every gold
entity onto the text the pipeline wrote, and prints precision, recall and
F1 per entity type and overall. A found entity counts when its type and
its exact span match a gold entity. "value" is the share of matched
entities whose value equals the gold value, where the gold gives one.

Gold files (NAME.gold.tsv beside or named after NAME.txt) hold one entity a
line: type, surface text, which occurrence of that surface text in the
original article it is (1 = the first), and optionally the value. They
never hold offsets, so a cleaning stage may change spacing or drop chrome
lines: the original and the cleaned text are aligned, and a gold entity
whose text the cleaning removed is left out of the score (and counted).

With --floors, exits 1 when an F1 falls below its floor. Exits 77 when the
articles of the set are not there (the seeds live outside the checkout).
"""
import argparse, difflib, json, os, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TYPES = ["PERSON", "TITLE", "ORG", "LOCATION", "DATE", "TIME", "QUANTITY",
         "ABBREVIATION", "LEGAL", "EVENT"]
SETS = {
    # set: (folder of the articles, folder of the gold files)
    "seeds": (os.path.join(ROOT, "..", "shared", "corpus", "seeds"), os.path.join(HERE, "seeds")),
    "heldout": (os.path.join(HERE, "heldout"), os.path.join(HERE, "heldout")),
}


def read_gold(path):
    """[(type, surface, occurrence, value or None)] from a .gold.tsv file."""
    out = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        if len(f) < 3 or f[0] not in TYPES or not f[2].isdigit():
            sys.exit(f"{path}:{n}: expected TYPE<TAB>surface<TAB>occurrence[<TAB>value]: {line!r}")
        out.append((f[0], f[1], int(f[2]), f[3] if len(f) > 3 and f[3] != "" else None))
    return out


def locate(text, surface, occurrence, where):
    """Character span of the n-th (overlapping) occurrence of surface."""
    pos = -1
    for _ in range(occurrence):
        pos = text.find(surface, pos + 1)
        if pos < 0:
            sys.exit(f"{where}: {surface!r} does not occur {occurrence} times in the article")
    return pos, pos + len(surface)


class Alignment:
    """Maps spans of the original text to the cleaned text."""

    def __init__(self, a, b):
        self.a, self.b = a, b
        self.same = a == b
        self.blocks = [] if self.same else difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()

    def approx(self, i):
        """Where original position i is in the cleaned text, near enough."""
        best = 0
        for a0, b0, size in self.blocks:
            if a0 <= i < a0 + size:
                return b0 + i - a0
            if a0 + size <= i:
                best = b0 + size
        return best

    def span(self, s, e):
        """The cleaned span of the original [s, e), or None when it was removed.

        The surface is looked for near where the alignment puts it, with any
        run of spaces matching any other and letter case ignored (cleaning
        rewrites spacing and repairs case)."""
        if self.same:
            return s, e
        surface = self.a[s:e]
        # spacing and letter case may change (clean.normalize repairs "ĐIện")
        pat = re.compile("".join(r"\s+" if c.isspace() else re.escape(c) for c in surface).replace(r"\s+\s+", r"\s+"),
                         re.IGNORECASE)
        at = self.approx(s)
        lo = max(0, at - 200)
        best = None
        for m in pat.finditer(self.b, lo, min(len(self.b), at + 200 + len(surface))):
            if best is None or abs(m.start() - at) < abs(best.start() - at):
                best = m
        return (best.start(), best.end()) if best else None


def byte_offsets(text):
    """offsets[i] = byte offset of character i (and of the end)."""
    out, n = [], 0
    for ch in text:
        out.append(n)
        n += len(ch.encode("utf-8"))
    out.append(n)
    return out


def run_pipeline(textmill, articles, config):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        cmd = [textmill, "run", config, "-j", "1", "-o", out]
        for a in articles:
            cmd += ["-i", a]
        p = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            sys.exit(f"score.py: {' '.join(cmd)} failed:\n{p.stderr}")
        return {d["id"]: d for d in map(json.loads, open(out, encoding="utf-8"))}


def pipeline_config(textmill, tmp):
    """tests/gold/pipeline.yaml, less the stages this build lacks (written to tmp)."""
    src = os.path.join(HERE, "pipeline.yaml")
    have = subprocess.run([textmill, "plugins"], stdout=subprocess.PIPE, text=True).stdout.split()
    kept, missing, skipping = [], [], False
    for line in open(src, encoding="utf-8").read().splitlines():
        s = line.strip()
        if s.startswith("- type:"):
            name = s.split(":", 1)[1].split("#")[0].strip()
            skipping = name not in have
            if skipping:
                missing.append(name)
        elif not line.startswith(" "):
            skipping = False
        if skipping:
            continue
        for key in ("script:", "rules:"):          # paths, relative to this folder
            if s.startswith(key):
                rel = s.split(":", 1)[1].split("#")[0].strip()
                line = line.replace(rel, os.path.normpath(os.path.join(HERE, rel)))
        kept.append(line)
    path = os.path.join(tmp, "pipeline.yaml")
    open(path, "w", encoding="utf-8").write("\n".join(kept) + "\n")
    return path, missing


def score(args):
    text_dir, gold_dir = SETS.get(args.set, (args.set, args.set))
    text_dir = args.articles or text_dir
    if not os.path.isdir(text_dir):
        print(f"skipped: the articles of set '{args.set}' are not at {os.path.normpath(text_dir)}")
        return 77
    golds = sorted(f for f in os.listdir(gold_dir) if f.endswith(".gold.tsv"))
    articles = [os.path.join(text_dir, g[:-len(".gold.tsv")] + ".txt") for g in golds]
    absent = [a for a in articles if not os.path.exists(a)]
    if absent or not golds:
        print(f"skipped: {len(absent)} of {len(golds)} articles of set '{args.set}' missing in {text_dir}")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        config, missing = pipeline_config(args.textmill, tmp)
        docs = run_pipeline(args.textmill, articles, config)
    if missing:
        print(f"note: stages not in this build, scored without them: {', '.join(missing)}")

    tp = {t: 0 for t in TYPES}
    ngold = dict(tp); npred = dict(tp); vok = dict(tp); vtot = dict(tp)
    dropped = 0
    for gfile, article in zip(golds, articles):
        doc_id = gfile[:-len(".gold.tsv")]
        raw = open(article, encoding="utf-8").read()
        doc = docs.get(doc_id)
        if doc is None:
            sys.exit(f"score.py: {doc_id} was not written by the pipeline (dropped or rejected)")
        clean = doc["text"]
        align = Alignment(raw, clean)
        offs = byte_offsets(clean)
        gold = {}
        for typ, surface, occ, value in read_gold(os.path.join(gold_dir, gfile)):
            s, e = locate(raw, surface, occ, f"{gfile}: {typ}")
            span = align.span(s, e)
            if span is None:
                dropped += 1
                if args.verbose:
                    print(f"  {doc_id}: not scored {typ:<12} {surface!r} (occurrence {occ}): the cleaning removed it")
                continue
            key = (typ, offs[span[0]], offs[span[1]])
            if key in gold:          # its text was removed and a neighbour's found instead
                dropped += 1
                continue
            gold[key] = value
        pred = {}
        for ent in doc.get("entities", []):
            if ent["type"] in TYPES:
                pred[(ent["type"], ent["start"], ent["end"])] = ent.get("value")
        for key in gold:
            ngold[key[0]] += 1
        for key in pred:
            npred[key[0]] += 1
        cb = clean.encode("utf-8")
        show = lambda k: f"{k[0]:<12} {cb[k[1]:k[2]].decode()!r}"
        for key, value in gold.items():
            if key in pred:
                tp[key[0]] += 1
                if value is not None:
                    vtot[key[0]] += 1
                    got = pred[key]
                    if str(got) == value or (isinstance(got, (int, float)) and _num_eq(got, value)):
                        vok[key[0]] += 1
                    elif args.verbose:
                        print(f"  {doc_id}: value {show(key)}: {got!r}, gold {value!r}")
            elif args.verbose:
                print(f"  {doc_id}: missed    {show(key)}")
        if args.verbose:
            for key in pred:
                if key not in gold:
                    print(f"  {doc_id}: spurious  {show(key)}  value {pred[key]!r}")

    print(f"\nset: {args.set}, {len(golds)} articles"
          + (f", {dropped} gold entities in text the cleaning removed (not scored)" if dropped else ""))
    print(f"{'type':<13}{'gold':>6}{'found':>7}{'right':>7}{'P':>8}{'R':>8}{'F1':>8}{'value':>9}")
    f1s = {}
    rows = TYPES + ["ALL"]
    for t in rows:
        if t == "ALL":
            g, p, c = sum(ngold.values()), sum(npred.values()), sum(tp.values())
            vt, vo = sum(vtot.values()), sum(vok.values())
        else:
            g, p, c, vt, vo = ngold[t], npred[t], tp[t], vtot[t], vok[t]
        if g == 0 and p == 0:
            continue
        P = c / p if p else 0.0
        R = c / g if g else 0.0
        F = 2 * P * R / (P + R) if P + R else 0.0
        f1s[t] = F
        val = f"{vo}/{vt}" if vt else "-"
        print(f"{t:<13}{g:>6}{p:>7}{c:>7}{P:>8.3f}{R:>8.3f}{F:>8.3f}{val:>9}")
    if args.floors:
        return check_floors(args.floors, args.set, f1s)
    return 0


def _num_eq(got, want):
    try:
        return abs(float(got) - float(want)) < 1e-9
    except ValueError:
        return False


def check_floors(path, gold_set, f1s):
    bad = 0
    for line in open(path, encoding="utf-8"):
        f = line.split()
        if not f or f[0].startswith("#") or f[0] != gold_set:
            continue
        typ, floor = f[1], float(f[2])
        if typ not in f1s:           # nothing of that type left to score
            continue
        got = f1s[typ]
        if got < floor:
            print(f"FAIL: {gold_set} {typ} F1 {got:.3f} is below its floor {floor:.3f}")
            bad += 1
    print("floors: " + ("ok" if not bad else f"{bad} below"))
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="seeds", help="seeds, heldout, or a folder of NAME.txt + NAME.gold.tsv")
    ap.add_argument("--articles", help="folder of the articles, if not the set's usual one")
    ap.add_argument("--textmill", default=os.environ.get("TEXTMILL", os.path.join(ROOT, "build", "textmill")))
    ap.add_argument("--floors", help="file of 'SET TYPE MIN_F1' lines; exit 1 below a floor")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss, spurious entity and wrong value")
    sys.exit(score(ap.parse_args()))


if __name__ == "__main__":
    main()
