#!/usr/bin/env python3
"""Score the entity rule pack against hand-made gold annotations.

    score.py [--set seeds|heldout|dev|dev-person|dev-blind] [--half tune|report|all]
             [--families LIST] [--textmill PATH] [--floors FILE] [-v]

Runs the articles of a gold set through tests/gold/pipeline.yaml (the
cleaning stages, then scripts/entities/defence_vi.lua), maps every gold
entity onto the text the pipeline wrote, and prints precision, recall and
F1 per entity type and overall, strict (type and exact span match) and
lenient (same type, spans overlap; each entity matched at most once).
"value" is the share of strictly matched entities whose value equals the
gold value, where the gold gives one.

The dev set (docs/entity-gold.md) is 60 real articles of
../shared/corpus/dev, listed in tests/gold/dev/articles.tsv with their kind
(defence, other) and half (tune, report); only PERSON, ORG, LOCATION and
DATE are scored there, per kind and together, and a LOCATION found inside
a gold ORG is left out (its gold spans are flat). The dev-person set
(tests/gold/dev-person, listed the same way) is 40 more of those articles
with PERSON alone annotated, a tuning set: only PERSON is scored there.
The dev-blind set (tests/gold/dev-blind) is 30 more, all four types, all
of half report: annotated without the pack's output, it is the set the
figures in notes come from.

Gold files (NAME.gold.tsv beside or named after NAME.txt) hold one entity a
line: type, surface text, which occurrence of that surface text in the
original article it is (1 = the first), and optionally the value. They
never hold offsets, so a cleaning stage may change spacing or drop chrome
lines: the original and the cleaned text are aligned, and a gold entity
whose text the cleaning removed is left out of the score (and counted).

With --families (e.g. dates,quantities; "" for none), the pack runs only
those families of rules (its `families` option), to see what a lighter
pack still finds: a type no family chosen makes then scores zero.

With --floors, exits 1 when an F1 falls below its floor (strict F1 for
seeds and heldout; for dev the floors name "dev.strict" or "dev.lenient").
Exits 77 when the articles of the set are not there (the seeds and the dev
articles live outside the checkout).
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
    "dev": (os.path.join(ROOT, "..", "shared", "corpus", "dev"), os.path.join(HERE, "dev")),
    "dev-person": (os.path.join(ROOT, "..", "shared", "corpus", "dev"), os.path.join(HERE, "dev-person")),
    "dev-blind": (os.path.join(ROOT, "..", "shared", "corpus", "dev"), os.path.join(HERE, "dev-blind")),
}
# the sets of real articles listed in an articles.tsv, and the types each annotates
ALL_FOUR = ["PERSON", "ORG", "LOCATION", "DATE"]
LISTED_TYPES = {"dev": ALL_FOUR, "dev-person": ["PERSON"], "dev-blind": ALL_FOUR}


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


def run_pipeline(textmill, articles, config, families=None):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        args = [config, "-j", "1", "-o", out]
        for a in articles:
            args += ["-i", a]
        if families is not None:
            args += ["--set", f"{lua_stage(textmill, args)}.options.families=[{', '.join(families)}]"]
        cmd = [textmill, "run"] + args
        p = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            sys.exit(f"score.py: {' '.join(cmd)} failed:\n{p.stderr}")
        return {d["id"]: d for d in map(json.loads, open(out, encoding="utf-8"))}


def lua_stage(textmill, args):
    """The lua stage's label ("stages.3") in the run of args, as `textmill check --json` reads it."""
    p = subprocess.run([textmill, "check"] + args + ["--json"], capture_output=True, text=True)
    try:
        d = json.loads(p.stdout)
    except ValueError:
        d = {"ok": False, "error": p.stderr.strip()}
    if not d.get("ok"):
        sys.exit(f"score.py: {args[0]}: {d.get('error')}")
    label = next((s["label"] for s in d["stages"] if s["type"] == "lua"), None)
    if label is None:
        sys.exit(f"score.py: --families: no lua stage in {args[0]}")
    return label


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


class Article:
    """One article of a set: its id, original text, gold file and group."""

    def __init__(self, doc_id, raw, gold_path, group):
        self.id, self.raw, self.gold_path, self.group = doc_id, raw, gold_path, group


def txt_articles(text_dir, gold_dir):
    """The articles of a folder of NAME.txt + NAME.gold.tsv (or None)."""
    golds = sorted(f for f in os.listdir(gold_dir) if f.endswith(".gold.tsv"))
    paths = [os.path.join(text_dir, g[:-len(".gold.tsv")] + ".txt") for g in golds]
    absent = [a for a in paths if not os.path.exists(a)]
    if absent or not golds:
        print(f"skipped: {len(absent)} of {len(golds)} articles missing in {os.path.normpath(text_dir)}")
        return None, None
    arts = [Article(g[:-len(".gold.tsv")], open(a, encoding="utf-8").read(), os.path.join(gold_dir, g), None)
            for g, a in zip(golds, paths)]
    return arts, paths


def dev_articles(text_dir, gold_dir, half, tmp):
    """The articles of a set listed in GOLD_DIR/articles.tsv (of one half),
    read by id from the corpus jsonl files, and one jsonl file of them for
    the pipeline (or None)."""
    listed = os.path.relpath(os.path.join(gold_dir, "articles.tsv"), ROOT)
    rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(gold_dir, "articles.tsv"), encoding="utf-8")
            if line.strip() and not line.startswith("#")]
    rows = [r for r in rows if half == "all" or r[3] == half]
    want = {}
    for src, doc_id, kind, _ in rows:
        want.setdefault(src, {})[doc_id] = kind
    texts = {}
    for src, ids in want.items():
        path = os.path.join(text_dir, src + ".jsonl")
        if not os.path.exists(path):
            print(f"skipped: {src}.jsonl of {listed} is not in {os.path.normpath(text_dir)}")
            return None, None
        for line in open(path, encoding="utf-8"):
            doc = json.loads(line)
            if doc["id"] in ids:
                texts[doc["id"]] = doc["text"]
    arts = []
    for src, doc_id, kind, _ in rows:
        if doc_id not in texts:
            sys.exit(f"score.py: article {doc_id} of {listed} is not in {src}.jsonl")
        gold = os.path.join(gold_dir, src, doc_id + ".gold.tsv")
        if not os.path.exists(gold):
            sys.exit(f"score.py: article {doc_id} of {listed} has no gold file {src}/{doc_id}.gold.tsv")
        arts.append(Article(doc_id, texts[doc_id], gold, kind))
    jsonl = os.path.join(tmp, "dev.jsonl")
    with open(jsonl, "w", encoding="utf-8") as f:
        for a in arts:
            f.write(json.dumps({"id": a.id, "text": a.raw}, ensure_ascii=False) + "\n")
    return arts, [jsonl]


class Tally:
    """Counts of one group of articles, per type."""

    def __init__(self, types):
        self.types = types
        z = lambda: {t: 0 for t in types}
        self.gold, self.found, self.strict, self.lenient, self.vok, self.vtot = z(), z(), z(), z(), z(), z()

    def row(self, t):
        if t == "ALL":
            return [sum(d.values()) for d in (self.gold, self.found, self.strict, self.lenient, self.vok, self.vtot)]
        return [d[t] for d in (self.gold, self.found, self.strict, self.lenient, self.vok, self.vtot)]


def prf(right, gold, found):
    P = right / found if found else 0.0
    R = right / gold if gold else 0.0
    return P, R, (2 * P * R / (P + R) if P + R else 0.0)


def match(gold, pred):
    """Strict pairs (same key), then lenient pairs (same type, overlapping
    spans) among the rest, each entity used once: ({gold key: pred key}
    strict, {gold key: pred key} lenient-only)."""
    strict = {k: k for k in gold if k in pred}
    used = set(strict)
    loose = {}
    for g in sorted(k for k in gold if k not in strict):
        for p in sorted(k for k in pred if k not in used):
            if p[0] == g[0] and p[1] < g[2] and g[1] < p[2]:
                loose[g] = p
                used.add(p)
                break
    return strict, loose


def score_article(art, doc, args, types, tally, dropped):
    clean = doc["text"]
    align = Alignment(art.raw, clean)
    offs = byte_offsets(clean)
    name = os.path.basename(art.gold_path)
    gold = {}
    for typ, surface, occ, value in read_gold(art.gold_path):
        s, e = locate(art.raw, surface, occ, f"{name}: {typ}")
        if typ not in types:
            continue
        span = align.span(s, e)
        if span is None:
            dropped[0] += 1
            if args.verbose:
                print(f"  {art.id}: not scored {typ:<12} {surface!r} (occurrence {occ}): the cleaning removed it")
            continue
        key = (typ, offs[span[0]], offs[span[1]])
        if key in gold:          # its text was removed and a neighbour's found instead
            dropped[0] += 1
            continue
        gold[key] = value
    pred = {(ent["type"], ent["start"], ent["end"]): ent.get("value")
            for ent in doc.get("entities", []) if ent["type"] in types}
    if "ORG" in LISTED_TYPES.get(args.set, []):   # flat gold: a place inside a gold ORG is neither right nor wrong
        orgs = [k for k in gold if k[0] == "ORG"]
        locs = [k for k in gold if k[0] == "LOCATION"]
        for p in [k for k in pred if k[0] == "LOCATION"]:
            inside = any(o[1] <= p[1] and p[2] <= o[2] for o in orgs)
            if inside and not any(g[1] < p[2] and p[1] < g[2] for g in locs):
                del pred[p]
    strict, loose = match(gold, pred)
    for group in [None] if art.group is None else [None, art.group]:
        if group not in tally:
            tally[group] = Tally(types)
        t = tally[group]
        for k in gold:
            t.gold[k[0]] += 1
        for k in pred:
            t.found[k[0]] += 1
        for k in strict:
            t.strict[k[0]] += 1
            t.lenient[k[0]] += 1
        for k in loose:
            t.lenient[k[0]] += 1
        for k in strict:
            if gold[k] is not None:
                t.vtot[k[0]] += 1
                t.vok[k[0]] += value_ok(pred[k], gold[k])
    if not args.verbose:
        return
    cb = clean.encode("utf-8")
    show = lambda k: f"{k[0]:<12} {cb[k[1]:k[2]].decode()!r}"
    for k in strict:
        if gold[k] is not None and not value_ok(pred[k], gold[k]):
            print(f"  {art.id}: value {show(k)}: {pred[k]!r}, gold {gold[k]!r}")
    for k, p in loose.items():
        print(f"  {art.id}: partial   {show(k)} found as {cb[p[1]:p[2]].decode()!r}")
    matched = set(loose.values()) | set(strict)
    for k in gold:
        if k not in strict and k not in loose:
            print(f"  {art.id}: missed    {show(k)}")
    for k in pred:
        if k not in matched:
            print(f"  {art.id}: spurious  {show(k)}  value {pred[k]!r}")


def print_table(title, t):
    print(f"\n{title}")
    print(f"{'type':<13}{'gold':>6}{'found':>7}{'exact':>7}{'P':>7}{'R':>7}{'F1':>7}"
          f"{'overlap':>9}{'P':>7}{'R':>7}{'F1':>7}{'value':>9}")
    f1s = {"strict": {}, "lenient": {}}
    for typ in t.types + ["ALL"]:
        g, p, c, lc, vo, vt = t.row(typ)
        if g == 0 and p == 0:
            continue
        P, R, F = prf(c, g, p)
        lP, lR, lF = prf(lc, g, p)
        f1s["strict"][typ], f1s["lenient"][typ] = F, lF
        val = f"{vo}/{vt}" if vt else "-"
        print(f"{typ:<13}{g:>6}{p:>7}{c:>7}{P:>7.3f}{R:>7.3f}{F:>7.3f}{lc:>9}{lP:>7.3f}{lR:>7.3f}{lF:>7.3f}{val:>9}")
    return f1s


def score(args):
    text_dir, gold_dir = SETS.get(args.set, (args.set, args.set))
    text_dir = args.articles or text_dir
    if not os.path.isdir(text_dir):
        print(f"skipped: the articles of set '{args.set}' are not at {os.path.normpath(text_dir)}")
        return 77
    listed = args.set in LISTED_TYPES
    types = LISTED_TYPES.get(args.set, TYPES)
    with tempfile.TemporaryDirectory() as tmp:
        if listed:
            arts, inputs = dev_articles(text_dir, gold_dir, args.half, tmp)
        else:
            arts, inputs = txt_articles(text_dir, gold_dir)
        if arts is None:
            return 77
        families = None if args.families is None else [f.strip() for f in args.families.split(",") if f.strip()]
        config, missing = pipeline_config(args.textmill, tmp)
        docs = run_pipeline(args.textmill, inputs, config, families)
    if missing:
        print(f"note: stages not in this build, scored without them: {', '.join(missing)}")

    tally, dropped = {}, [0]
    for art in arts:
        doc = docs.get(art.id)
        if doc is None:
            sys.exit(f"score.py: {art.id} was not written by the pipeline (dropped or rejected)")
        score_article(art, doc, args, types, tally, dropped)

    half = f", half {args.half}" if listed else ""
    only = "" if args.families is None else f", families: [{', '.join(families)}]"
    print(f"\nset: {args.set}{half}{only}, {len(arts)} articles"
          + (f", {dropped[0]} gold entities in text the cleaning removed (not scored)" if dropped[0] else ""))
    f1s = print_table("all articles", tally[None])
    for group in sorted(g for g in tally if g is not None):
        n = sum(1 for a in arts if a.group == group)
        print_table(f"{group} ({n} articles)", tally[group])
    if not args.floors:
        return 0
    if listed:
        bad = [check_floors(args.floors, f"{args.set}.{kind}", f1s[kind]) for kind in ("strict", "lenient")]
        return 1 if any(bad) else 0
    return check_floors(args.floors, args.set, f1s["strict"])


def value_ok(got, want):
    """Whether a found value equals the gold one (numbers compared as numbers)."""
    if str(got) == want:
        return True
    try:
        return isinstance(got, (int, float)) and abs(float(got) - float(want)) < 1e-9
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
    ap.add_argument("--set", default="seeds",
                    help="seeds, heldout, dev, dev-person, dev-blind, or a folder of NAME.txt + NAME.gold.tsv")
    ap.add_argument("--half", default="all", choices=["tune", "report", "all"],
                    help="dev only: the tuning half, the reporting half, or both (dev-person is all tune, dev-blind all report)")
    ap.add_argument("--articles", help="folder of the articles, if not the set's usual one")
    ap.add_argument("--families", help="comma-separated families of the pack to run (default: all)")
    ap.add_argument("--textmill", default=os.environ.get("TEXTMILL", os.path.join(ROOT, "build", "textmill")))
    ap.add_argument("--floors", help="file of 'SET TYPE MIN_F1' lines; exit 1 below a floor")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="list every miss, partial match, spurious entity and wrong value")
    sys.exit(score(ap.parse_args()))


if __name__ == "__main__":
    main()
