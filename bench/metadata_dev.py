#!/usr/bin/env python3
"""Metadata on real news: titles and publication days against what the sites
recorded (../shared/corpus/dev/*.truth.jsonl).

    bench/metadata_dev.py [--textmill build/textmill] [--dev ../shared/corpus/dev]

Runs clean.normalize, clean.boilerplate and extract.metadata over each dev
file and prints, per file: titles exact (after trimming), and for files whose
truth has a date, how many documents got `published` and how many of those
are the right day. The texts stay where they are; nothing is copied.
"""
import argparse, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(textmill, path, work):
    cfg = os.path.join(work, "meta.yaml")
    out = os.path.join(work, "out.jsonl")
    with open(cfg, "w") as f:
        f.write(f"""input: {{paths: [{json.dumps(path)}]}}
stages:
  - {{type: clean.normalize, fix_case: true}}
  - {{type: clean.boilerplate, rules: {json.dumps(os.path.join(ROOT, "config", "boilerplate"))}}}
  - {{type: extract.metadata}}
outputs: [{{type: output.jsonl, path: {json.dumps(out)}}}]
""")
    subprocess.run([textmill, "run", cfg, "-q"], check=True)
    with open(out, encoding="utf-8") as f:
        return {d["id"]: d.get("meta", {}) for d in map(json.loads, f)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--textmill", default=os.path.join(ROOT, "build", "textmill"))
    ap.add_argument("--dev", default=os.path.join(ROOT, "..", "shared", "corpus", "dev"))
    a = ap.parse_args()
    if not os.path.isdir(a.dev):
        sys.exit(f"no dev corpus at {a.dev}")
    with tempfile.TemporaryDirectory() as work:
        for name in sorted(os.listdir(a.dev)):
            if not name.endswith(".truth.jsonl"):
                continue
            docs = os.path.join(a.dev, name.replace(".truth", ""))
            with open(os.path.join(a.dev, name), encoding="utf-8") as f:
                truth = {t["id"]: t for t in map(json.loads, f)}
            meta = run(a.textmill, docs, work)
            titled = [i for i, t in truth.items() if t.get("title")]
            exact = sum(1 for i in titled if (meta.get(i, {}).get("title") or "").strip() == t_strip(truth[i]))
            line = f"{name[:-12]:16} titles exact {exact}/{len(titled)} ({100 * exact / max(1, len(titled)):.1f} %)"
            dated = [i for i, t in truth.items() if t.get("date")]
            if dated:
                given = [i for i in dated if isinstance(meta.get(i, {}).get("published"), str)]
                right = sum(1 for i in given
                            if meta[i]["published"][:10].replace("-", "") == truth[i]["date"])
                line += (f"; published given {len(given)}/{len(dated)} ({100 * len(given) / len(dated):.1f} %),"
                         f" right day {right}/{len(given)} ({100 * right / max(1, len(given)):.1f} %)")
            print(line)


def t_strip(t):
    return t["title"].strip()


if __name__ == "__main__":
    main()
