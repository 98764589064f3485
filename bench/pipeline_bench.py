#!/usr/bin/env python3
"""The default pipeline's speed, and where the time goes.

    bench/pipeline_bench.py [--mb 200 | --corpus FILE] [--sizes 10,100,1000] [--textmill build/textmill]

Generates a corpus (bench/gen_corpus.py), or takes FILE (JSON Lines, e.g. the
real articles of ../shared/corpus/dev put in one file), then runs config/default.yaml on
it (outputs redirected to a scratch folder) with one and with two workers,
and prints for each: MB/s and documents/s overall and per stage, CPU seconds, peak
memory, and the ratio of the run's time to `cat FILE > /dev/null` and to a
pipeline that only reads and writes JSON Lines; then once more with two
workers and the Lua stage replaced by one that does nothing, to show what
the rest of the pipeline costs. --sizes repeats the
two-worker run over corpora of several sizes, to show how cost grows.
Each measurement is the best of --repeat runs (the machine may be shared).
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

MEASURE = ("import resource, subprocess, sys, time\n"
           "t = time.monotonic(); r = subprocess.run(sys.argv[1:]); w = time.monotonic() - t\n"
           "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
           "print(u.ru_utime + u.ru_stime, u.ru_maxrss, w, r.returncode)\n")


def measured(cmd, stdout=None):
    """Run cmd in a fresh process; return (seconds, peak KB, exit status, CPU seconds)."""
    out = subprocess.run([sys.executable, "-c", MEASURE] + cmd, stdout=subprocess.PIPE, text=True,
                         stderr=subprocess.DEVNULL)
    cpu, peak, wall, rc = out.stdout.split()[-4:]
    return float(wall), int(peak), int(rc), float(cpu)


def outputs_of(textmill, config):
    text = subprocess.run([textmill, "check", config], capture_output=True, text=True).stdout
    return int(re.search(r"^outputs: (\d+)", text, re.M).group(1))


def run_pipeline(a, config, corpus, work, workers, extra=()):
    summary = os.path.join(work, "summary.json")
    sets = []
    for i in range(outputs_of(a.textmill, config)):
        sets += ["--set", f"outputs.{i}.path={os.path.join(work, 'out', str(i))}"]
    best = None
    for _ in range(a.repeat):
        shutil.rmtree(os.path.join(work, "out"), ignore_errors=True)
        cmd = [a.textmill, "run", config, "-i", corpus, "-j", str(workers), "-q",
               "--summary-json", summary] + sets + list(extra)
        wall, peak, rc, cpu = measured(cmd)
        if rc not in (0, 3):
            sys.exit(f"pipeline_bench.py: {' '.join(cmd)} failed with status {rc}")
        s = json.load(open(summary))
        if best is None or wall < best[0]:
            best = (wall, peak, s, min(cpu, best[3]) if best else cpu)
        else:
            best = best[:3] + (min(cpu, best[3]),)
    return best


def cat_time(path, repeat):
    best = None
    for _ in range(repeat):
        t = time.monotonic()
        with open(path, "rb") as f:
            while f.read(1 << 20):
                pass
        d = time.monotonic() - t
        best = d if best is None else min(best, d)
    return best


def report(label, mb, wall, peak, s, cpu):
    docs = s["documents"]["read"]
    # CPU time as well: on a shared machine it moves less than the wall clock.
    print(f"\n{label}: {mb / wall:.1f} MB/s, {docs / wall:,.0f} documents/s, {wall:.2f} s, "
          f"peak {peak / 1024:.0f} MB, CPU {cpu:.2f} s ({mb / cpu:.1f} MB per CPU second)")
    print(f"  {'stage':24} {'seconds':>8} {'MB/s':>9}  (time on the stage's own threads)")
    for st in s["stages"]:
        sec = st["seconds"]
        print(f"  {st['type']:24} {sec:8.2f} {mb / sec if sec > 0 else float('inf'):9.1f}")


def lua_stage_index(config):
    """Position of the first `type: lua` stage in config's stages list, or None."""
    index, in_stages = -1, False
    for line in open(config):
        if re.match(r"^stages:", line):
            in_stages = True
        elif in_stages and re.match(r"^\S", line):
            break
        elif in_stages and re.match(r"^\s*-\s*type:", line):
            index += 1
            if re.match(r"^\s*-\s*type:\s*lua\b", line):
                return index
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--corpus", help="an existing JSON Lines file instead of a generated corpus")
    ap.add_argument("--sizes", default="", help="comma-separated corpus sizes in MB for the growth table")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--config", default=os.path.join(ROOT, "config", "default.yaml"))
    ap.add_argument("--textmill", default=os.path.join(ROOT, "build", "textmill"))
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="tm-bench-")
    try:
        corpus = os.path.abspath(a.corpus) if a.corpus else os.path.join(work, "corpus.jsonl")
        if not a.corpus:
            subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--mb", str(a.mb), "--out", corpus],
                           check=True)
        mb = os.path.getsize(corpus) / 1e6
        io_cfg = os.path.join(work, "io.yaml")
        open(io_cfg, "w").write("input: {type: stdin}\nstages: []\noutputs: [{type: output.jsonl, path: x.jsonl}]\n")
        cat = cat_time(corpus, a.repeat)
        io_wall = run_pipeline(a, io_cfg, corpus, work, 1)[0]
        runs = {w: run_pipeline(a, a.config, corpus, work, w) for w in (1, 2)}
        lua = lua_stage_index(a.config)
        # The same pipeline with the Lua stage swapped for one that does nothing, to show
        # what the rest of it costs.
        no_lua = None if lua is None else run_pipeline(
            a, a.config, corpus, work, 2, ["--set", f"stages.{lua}={{type: filter.length, min_chars: 0}}"])
        print(f"corpus: {mb:.0f} MB, {runs[1][2]['documents']['read']:,} documents; config: "
              f"{os.path.relpath(a.config, ROOT)}")
        for w in (1, 2):
            report(f"{w} worker{'s' if w > 1 else ''}", mb, *runs[w])
        if no_lua:
            report("2 workers, the Lua stage left out", mb, *no_lua)
        w1, w2 = runs[1][0], runs[2][0]
        print(f"\n2 workers vs 1: {w1 / w2:.2f}x")
        print(f"time relative to cat FILE > /dev/null ({mb / cat:.0f} MB/s): {w2 / cat:.1f}x")
        print(f"time relative to reading and writing JSON Lines only ({mb / io_wall:.0f} MB/s): {w2 / io_wall:.1f}x")
        if a.sizes:
            print(f"\n{'MB':>7} {'documents':>10} {'seconds':>8} {'MB/s':>7} {'peak MB':>8}   (2 workers)")
            for size in [float(x) for x in a.sizes.split(",")]:
                c = os.path.join(work, f"c{size:g}.jsonl")
                subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--mb", str(size),
                                "--out", c], check=True, stderr=subprocess.DEVNULL)
                smb = os.path.getsize(c) / 1e6
                wall, peak, s, _ = run_pipeline(a, a.config, c, work, 2)
                print(f"{smb:7.0f} {s['documents']['read']:10,} {wall:8.2f} {smb / wall:7.1f} {peak / 1024:8.0f}")
                os.remove(c)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
