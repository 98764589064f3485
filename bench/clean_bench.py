#!/usr/bin/env python3
"""Speed and memory of the cleaning stages: clean.normalize,
clean.boilerplate and extract.metadata.

    bench/clean_bench.py [--mb 200] [--textmill build/textmill] [--workers 1]
                         [--repeat 3] [--keep DIR]

Builds a corpus of about --mb megabytes of text (JSON Lines) by repeating
and varying the bundled sample corpus (corpus/sample): figures changed,
body paragraphs shuffled, some tone marks in the new style and some
no-break spaces, forty made-up portals each with a chrome line of its own
(for clean.boilerplate to learn). Then runs, each the best of --repeat
(the machine may be shared):

  read+write   input and output only, for scale
  normalize    clean.normalize alone
  pipeline     clean.normalize, clean.boilerplate, extract.metadata

and prints, per stage, its time and its speed in MB of input text per
second (and per core, for stages that run on every worker), and the peak
resident memory of each run. Not part of ctest.
"""
import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SAMPLE = os.path.join(ROOT, "corpus", "sample")
RULES = os.path.join(ROOT, "config", "boilerplate")
PARALLEL = {"clean.normalize", "extract.metadata"}

MEASURE = ("import resource, subprocess, sys\n"
           "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
           "sys.stdout.write(r.stderr)\n"
           "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n")


def load_sample():
    texts = []
    for name in sorted(os.listdir(SAMPLE)):
        path = os.path.join(SAMPLE, name)
        if name.endswith(".txt"):
            texts.append(open(path, encoding="utf-8").read())
        elif name.endswith(".jsonl"):
            texts += [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
    return texts


NEW_STYLE = [("òa", "oà"), ("óa", "oá"), ("ỏe", "oẻ"), ("ủy", "uỷ"), ("ùy", "uỳ"), ("úy", "uý")]


def vary(text, rng, portal):
    """One new article from a sample one."""
    text = re.sub(r"\d", lambda m: str(rng.randrange(10)), text)
    lines = text.split("\n")
    body = [i for i, l in enumerate(lines) if len(l) > 200]
    if len(body) > 2:
        moved = [lines[i] for i in body[1:]]
        rng.shuffle(moved)
        for i, l in zip(body[1:], moved):
            lines[i] = l
    text = "\n".join(lines)
    if rng.random() < 0.3:
        for old, new in NEW_STYLE:
            text = text.replace(old, new)
    if rng.random() < 0.3:
        text = text.replace(" ", "\u00a0", 3)
    return text + f"\n\nChuyên trang tin tức của cổng {portal}\nĐường dây nóng: 0{rng.randrange(10**8, 10**9)}"


def make_corpus(path, mb, seed=1):
    rng = random.Random(seed)
    texts = load_sample()
    portals = [f"portal{k:02d}.example.vn" for k in range(40)]
    size = docs = 0
    with open(path, "w", encoding="utf-8") as out:
        while size < mb * 1e6:
            portal = rng.choice(portals)
            text = vary(rng.choice(texts), rng, portal)
            out.write(json.dumps({"id": f"b{docs:07d}", "text": text, "meta": {"source": portal}},
                                 ensure_ascii=False) + "\n")
            size += len(text.encode("utf-8"))
            docs += 1
    return size, docs


def write_config(path, stages):
    with open(path, "w", encoding="utf-8") as f:
        f.write("input: {paths: [corpus.jsonl]}\nstages:\n")
        for s in stages:
            f.write(f"  - {s}\n")
        f.write("outputs: [{type: output.jsonl, path: out.jsonl}]\n")


def run(textmill, config, workers, repeat):
    """Best of `repeat` runs: per-stage seconds, total seconds, peak KB."""
    best = None
    for _ in range(repeat):
        r = subprocess.run([sys.executable, "-c", MEASURE, textmill, "run", config, "-o", "-", "-j", str(workers)],
                           capture_output=True, text=True)
        peak, rc = re.search(r"PEAK_KB (\d+) (-?\d+)", r.stdout).groups()
        if int(rc) != 0:
            sys.exit(f"textmill failed ({rc}):\n{r.stdout}")
        total = float(re.search(r"rejected \(([\d.]+) s", r.stdout).group(1))
        stages = {m.group(1): float(m.group(2))
                  for m in re.finditer(r"^  (\S+)\s+\d+\s+\d+\s+\d+\s+\d+\s+([\d.]+)$", r.stdout, re.M)}
        result = (stages, total, int(peak), r.stdout)
        if best is None or total < best[1]:
            best = result
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=200, help="megabytes of text to generate (default 200)")
    ap.add_argument("--textmill", default=os.path.join(ROOT, "build", "textmill"))
    ap.add_argument("--workers", type=int, default=1, help="threads for the parallel stages (default 1)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, the best counts (default 3)")
    ap.add_argument("--keep", help="generate the corpus here and leave it (default: a temporary folder)")
    args = ap.parse_args()
    if not os.access(args.textmill, os.X_OK):
        sys.exit(f"{args.textmill}: not found; build first or pass --textmill")
    work = args.keep or tempfile.mkdtemp(prefix="clean-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        t0 = time.monotonic()
        size, docs = make_corpus(os.path.join(work, "corpus.jsonl"), args.mb)
        mb = size / 1e6
        print(f"corpus: {docs} documents, {mb:.1f} MB of text (generated in {time.monotonic() - t0:.1f} s)")
        print(f"textmill: {args.textmill}, {args.workers} worker(s), best of {args.repeat}")
        configs = {
            "read+write": ["{type: filter.length, min_chars: 1}"],
            "normalize": ["{type: clean.normalize, fix_case: true}"],
            "pipeline": ["{type: clean.normalize, fix_case: true}",
                         f"{{type: clean.boilerplate, rules: '{RULES}'}}",
                         "{type: extract.metadata}"],
        }
        print(f"\n{'run':12} {'stage':20} {'seconds':>8} {'MB/s':>8} {'MB/s/core':>10} {'peak MB':>8}")
        for name, stages in configs.items():
            config = os.path.join(work, name + ".yaml")
            write_config(config, stages)
            per_stage, total, peak, _ = run(args.textmill, config, args.workers, args.repeat)
            print(f"{name:12} {'(whole run)':20} {total:8.2f} {mb / total:8.1f} {'':>10} {peak / 1024:8.0f}")
            for stage, secs in per_stage.items():
                if stage.startswith(("clean.", "extract.")) or stage == "input":
                    speed = mb / secs if secs else float("inf")
                    cores = args.workers if stage in PARALLEL else 1
                    print(f"{'':12} {stage:20} {secs:8.2f} {speed:8.1f} {speed / cores:10.1f}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
