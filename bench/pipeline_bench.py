#!/usr/bin/env python3
"""The default pipeline's speed, and where the time goes.

    bench/pipeline_bench.py [--dev | --corpus FILE... | --mb 200] [--no-lua-only]
                            [--base OTHER/textmill] [--repeat 5] [--sizes 2,5,13]
                            [--families dates,quantities]

Runs config/default.yaml (outputs redirected to a scratch folder) over a
corpus with one and with two workers, with its Lua stage and with that
stage replaced by one that does nothing, and prints for each: MB/s and
documents/s, CPU seconds, peak memory, and MB/s per stage. The corpus is
the real articles of ../shared/corpus/dev (--dev), JSON Lines files of
your own (--corpus, put together in that order), or a generated one
(bench/gen_corpus.py, --mb).

Every figure is the median of --repeat runs: the machine may be shared.
--base names a second build (e.g. of main) to compare with: its runs
alternate with this build's (A B A B ...), and the ratios are printed.
--families runs only those families of the entity pack (its `families`
option; "" for none: no rule runs), to see what a lighter pack costs.
--sizes repeats the two-worker run over the first N MB of the corpus
(or generated corpora of N MB) to show how cost grows.
--threads adds, for each setup, CPU seconds per thread (the reader, each
worker, the writer) and per library, from `perf record` samples: unlike
the wall clock, they do not move with the machine's load, and they show
whether one thread (the writer, which holds SQLite) limits two workers.
"""
import argparse, glob, json, os, re, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEV = os.path.join(ROOT, "..", "shared", "corpus", "dev")

MEASURE = ("import resource, subprocess, sys, time\n"
           "t = time.monotonic(); r = subprocess.run(sys.argv[1:]); w = time.monotonic() - t\n"
           "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
           "print(u.ru_utime + u.ru_stime, u.ru_maxrss, w, r.returncode)\n")


def measured(cmd):
    """Run cmd in a fresh process; return (wall seconds, peak KB, exit status, CPU seconds)."""
    out = subprocess.run([sys.executable, "-c", MEASURE] + cmd, stdout=subprocess.PIPE, text=True,
                         stderr=subprocess.DEVNULL)
    cpu, peak, wall, rc = out.stdout.split()[-4:]
    return float(wall), int(peak), int(rc), float(cpu)


def pipeline_of(textmill, config):
    """config as `textmill check --json` reads it: its number of outputs and
    its first lua stage's label ("stages.4"), or None; an invalid config ends
    the bench with the check's message."""
    p = subprocess.run([textmill, "check", config, "--json"], capture_output=True, text=True)
    try:
        d = json.loads(p.stdout)
    except ValueError:
        d = {"ok": False, "error": p.stderr.strip() or f"exit status {p.returncode}"}
    if not d.get("ok"):
        sys.exit(f"pipeline_bench.py: {config}: {d.get('error')}")
    return len(d["outputs"]), next((s["label"] for s in d["stages"] if s["type"] == "lua"), None)


class Setup:
    """One configuration: a build, a worker count, with or without the Lua stage."""

    def __init__(self, a, work, textmill, workers, lua, pipeline):
        self.textmill, self.workers, self.lua = textmill, workers, lua
        self.work = work
        self.extra = []
        outputs, stage = pipeline  # pipeline_of(textmill, a.config)
        for i in range(outputs):
            self.extra += ["--set", f"outputs.{i}.path={os.path.join(work, 'out', str(i))}"]
        if not lua and stage is not None:
            # The Lua stage swapped for one that does nothing: what the rest costs.
            self.extra += ["--set", f"{stage}={{type: filter.length, min_chars: 0}}"]
        elif stage is not None and getattr(a, "families", None) is not None:
            chosen = ", ".join(f.strip() for f in a.families.split(",") if f.strip())
            self.extra += ["--set", f"{stage}.options.families=[{chosen}]"]
        self.config = a.config
        self.runs = []  # (wall, peak KB, summary, cpu)

    def run(self, corpus):
        summary = os.path.join(self.work, "summary.json")
        shutil.rmtree(os.path.join(self.work, "out"), ignore_errors=True)
        cmd = [self.textmill, "run", self.config, "-i", corpus, "-j", str(self.workers), "-q",
               "--summary-json", summary] + self.extra
        wall, peak, rc, cpu = measured(cmd)
        if rc not in (0, 3):
            sys.exit(f"pipeline_bench.py: {' '.join(cmd)} failed with status {rc}")
        self.runs.append((wall, peak, json.load(open(summary)), cpu))

    def profile(self, corpus, runs):
        """CPU seconds per thread role and per library, summed over runs under perf record, divided by runs."""
        data = os.path.join(self.work, "perf.data")
        roles, libs = {}, {}
        for _ in range(runs):
            shutil.rmtree(os.path.join(self.work, "out"), ignore_errors=True)
            cmd = [self.textmill, "run", self.config, "-i", corpus, "-j", str(self.workers), "-q"] + self.extra
            subprocess.run(["perf", "record", "-F", str(PERF_HZ), "-q", "-o", data, "--"] + cmd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            text = subprocess.run(["perf", "script", "-i", data, "-F", "comm,tid,ip,dso"], capture_output=True,
                                  text=True).stdout
            per_tid = {}
            for line in text.splitlines():
                m = re.match(r"\s*(\S+)\s+(\d+)\s+[0-9a-f]+\s+\((.*)\)", line)
                if m and m.group(1) == "textmill":
                    per_tid.setdefault(m.group(2), []).append(library_of(m.group(3)))
            for tid, samples in per_tid.items():
                role = thread_role(samples, tid == min(per_tid, key=int))
                roles[role] = roles.get(role, 0) + len(samples) / PERF_HZ / runs
                for lib in samples:
                    libs[lib] = libs.get(lib, 0) + 1 / PERF_HZ / runs
        return roles, libs

    def median(self):
        """The run of median wall time, with the median CPU time and the largest peak."""
        by_wall = sorted(self.runs, key=lambda r: r[0])
        wall, _, summary, _ = by_wall[len(by_wall) // 2]
        return (wall, max(r[1] for r in self.runs), summary, statistics.median(r[3] for r in self.runs))


PERF_HZ = 1000
STAGE_LIBS = ("clean", "extract", "filter", "dedup", "lua", "textmill_lua")


def library_of(path):
    """A short name for the library of a sample: a plugin, sqlite, the host, or the rest."""
    name = os.path.basename(path)
    if name.endswith(".so") and os.path.basename(os.path.dirname(path)) == "plugins":
        return name[:-3]
    if name.startswith("libsqlite3"):
        return "sqlite"
    if name == "textmill":
        return "host"
    if name.startswith("perf-") or "pcre2" in name:
        return "pcre2"
    if name.startswith("liblua"):
        return "lua"
    return "system"  # libc, the kernel: copies, allocation, writing files


def thread_role(samples, main):
    """What a thread of textmill did, from the libraries its samples fell in."""
    stage = sum(1 for s in samples if s in STAGE_LIBS or s == "pcre2")
    writer = sum(1 for s in samples if s in ("output", "sqlite"))
    host = sum(1 for s in samples if s == "host")
    if stage >= max(writer, host) and stage:
        return "worker (main thread)" if main else "worker"
    if writer >= host and writer:
        return "writer"
    return "reader" if host else "other"


def report_threads(label, roles, libs):
    print(f"  {label}: CPU seconds per thread: " +
          ", ".join(f"{r} {v:.2f}" for r, v in sorted(roles.items(), key=lambda x: -x[1])))
    print("    per library: " + ", ".join(f"{l} {v:.2f}" for l, v in sorted(libs.items(), key=lambda x: -x[1])))
    main, other = roles.get("worker (main thread)"), roles.get("worker")
    if main is not None and other is not None:
        # The main thread also runs the serial steps (a stage's ordered
        # process(), loading the plugins, the outputs' finish): while it
        # does, the other worker waits, so its extra bounds 2-worker scaling.
        workers = main + other
        print(f"    main thread's extra CPU over the other worker: {main - other:.2f} s "
              f"({(main - other) / workers:.0%} of the workers' CPU); "
              f"two workers at most {workers / main:.2f} times one from this split")


def report(label, mb, wall, peak, s, cpu):
    docs = s["documents"]["read"]
    # CPU time as well: on a shared machine it moves less than the wall clock.
    print(f"\n{label}: {mb / wall:.1f} MB/s, {docs / wall:,.0f} documents/s, {wall:.2f} s, "
          f"peak {peak / 1024:.0f} MB, CPU {cpu:.2f} s ({mb / cpu:.1f} MB per CPU second)")
    print(f"  {'stage':24} {'seconds':>8} {'MB/s':>9}  (time on the stage's own threads)")
    for st in s["stages"]:
        sec = st["seconds"]
        print(f"  {st['type']:24} {sec:8.2f} {mb / sec if sec > 0 else float('inf'):9.1f}")


def cat_time(path, repeat):
    times = []
    for _ in range(repeat):
        t = time.monotonic()
        with open(path, "rb") as f:
            while f.read(1 << 20):
                pass
        times.append(time.monotonic() - t)
    return statistics.median(times)


def prefix(corpus, mb, out):
    """The first whole lines of corpus up to mb MB, into out."""
    limit, size = mb * 1e6, 0
    with open(corpus, "rb") as src, open(out, "wb") as dst:
        for line in src:
            if size + len(line) > limit and size:
                break
            dst.write(line)
            size += len(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=200, help="size of a generated corpus")
    ap.add_argument("--corpus", nargs="+", help="JSON Lines files instead of a generated corpus")
    ap.add_argument("--dev", action="store_true", help="the real articles of ../shared/corpus/dev")
    ap.add_argument("--no-lua-only", action="store_true", help="only the runs without the Lua stage")
    ap.add_argument("--base", help="another textmill to compare with, run in turn with this one")
    ap.add_argument("--sizes", default="", help="comma-separated corpus sizes in MB for the growth table")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", action="store_true", help="CPU seconds per thread and library (perf record)")
    ap.add_argument("--families", help="comma-separated families of the entity pack to run (default: all)")
    ap.add_argument("--config", default=os.path.join(ROOT, "config", "default.yaml"))
    ap.add_argument("--textmill", default=os.path.join(ROOT, "build", "textmill"))
    a = ap.parse_args()
    if a.threads and not shutil.which("perf"):
        sys.exit("pipeline_bench.py: --threads needs perf (linux-tools) on PATH")
    builds = [("this build", os.path.abspath(a.textmill))]
    if a.base:
        builds.append(("base", os.path.abspath(a.base)))
    # (read once per build, before a corpus is made: a config the build
    # refuses, or --families with no pack to give them to, ends it here)
    pipelines = {textmill: pipeline_of(textmill, a.config) for _, textmill in builds}
    lua_stage = pipelines[builds[0][1]][1]
    if a.families is not None and lua_stage is None:
        sys.exit(f"pipeline_bench.py: --families: {a.config} has no lua stage")
    if a.dev:
        a.corpus = sorted(f for f in glob.glob(os.path.join(DEV, "*.jsonl")) if not f.endswith(".truth.jsonl"))
        if not a.corpus:
            sys.exit(f"pipeline_bench.py: no articles in {os.path.relpath(DEV)}")
    work = tempfile.mkdtemp(prefix="tm-bench-")
    try:
        corpus = os.path.join(work, "corpus.jsonl")
        if a.corpus:
            with open(corpus, "wb") as out:
                for f in a.corpus:
                    with open(f, "rb") as src:
                        shutil.copyfileobj(src, out)
        else:
            subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--mb", str(a.mb), "--out", corpus],
                           check=True)
        mb = os.path.getsize(corpus) / 1e6
        luas = [False] if a.no_lua_only or lua_stage is None else [True, False]
        setups = {}
        for name, textmill in builds:
            for lua in luas:
                for w in (1, 2):
                    sub = os.path.join(work, f"{len(setups)}")
                    os.mkdir(sub)
                    setups[name, lua, w] = Setup(a, sub, textmill, w, lua, pipelines[textmill])
        io_cfg = os.path.join(work, "io.yaml")
        open(io_cfg, "w").write("input: {type: stdin}\nstages: []\noutputs: [{type: output.jsonl, path: x.jsonl}]\n")
        io_dir = os.path.join(work, "io")
        os.mkdir(io_dir)
        io = Setup(argparse.Namespace(config=io_cfg), io_dir, builds[0][1], 1, False, (1, None))
        for _ in range(a.repeat):  # A B A B: each round runs every setup once
            io.run(corpus)
            for s in setups.values():
                s.run(corpus)
        cat, io_wall = cat_time(corpus, a.repeat), io.median()[0]
        first = next(iter(setups.values())).median()[2]
        print(f"corpus: {mb:.1f} MB, {first['documents']['read']:,} documents; config: "
              f"{os.path.relpath(a.config, ROOT)}"
              + ("" if a.families is None else f", the pack's families: [{a.families}]")
              + f"; median of {a.repeat} runs")
        for (name, lua, w), s in setups.items():
            label = f"{name}, {w} worker{'s' if w > 1 else ''}{'' if lua else ', the Lua stage left out'}"
            report(label, mb, *s.median())
        print(f"\n{'build':12} {'lua':5} {'MB/s j1':>8} {'MB/s j2':>8} {'j2/j1':>6} {'CPU s j1':>9} "
              f"{'CPU s j2':>9} {'peak MB':>8}")
        for name, _ in builds:
            for lua in luas:
                m1, m2 = setups[name, lua, 1].median(), setups[name, lua, 2].median()
                print(f"{name:12} {'yes' if lua else 'no':5} {mb / m1[0]:8.1f} {mb / m2[0]:8.1f} "
                      f"{m1[0] / m2[0]:6.2f} {m1[3]:9.2f} {m2[3]:9.2f} {max(m1[1], m2[1]) / 1024:8.0f}")
        fastest = min(s.median()[0] for (name, _, _), s in setups.items() if name == "this build")
        print(f"\nthe fastest of these relative to cat FILE > /dev/null ({mb / cat:.0f} MB/s): {fastest / cat:.1f}x; "
              f"to reading and writing JSON Lines only ({mb / io_wall:.0f} MB/s): {fastest / io_wall:.1f}x")
        if a.base:
            print("\nthis build against the base (wall time and CPU time of the base over this build's):")
            for lua in luas:
                for w in (1, 2):
                    this, base = setups["this build", lua, w].median(), setups["base", lua, w].median()
                    print(f"  {'with' if lua else 'without'} the Lua stage, {w} worker{'s' if w > 1 else ''}: "
                          f"{base[0] / this[0]:.2f}x faster, {base[3] / this[3]:.2f}x less CPU")
        if a.threads:
            print(f"\nCPU seconds per thread and per library (perf record at {PERF_HZ} Hz, mean of {a.repeat} runs; "
                  "the main thread also loads the plugins and finishes the outputs):")
            for (name, lua, w), s in setups.items():
                label = f"{name}, {w} worker{'s' if w > 1 else ''}{'' if lua else ', the Lua stage left out'}"
                report_threads(label, *s.profile(corpus, a.repeat))
        if a.sizes:
            print(f"\n{'MB':>7} {'documents':>10} {'seconds':>8} {'MB/s':>7} {'peak MB':>8}   (2 workers, this build, "
                  f"{'with' if luas[0] else 'without'} the Lua stage)")
            for size in [float(x) for x in a.sizes.split(",")]:
                c = os.path.join(work, f"c{size:g}.jsonl")
                if a.corpus:
                    prefix(corpus, size, c)
                else:
                    subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--mb", str(size),
                                    "--out", c], check=True, stderr=subprocess.DEVNULL)
                smb = os.path.getsize(c) / 1e6
                s = Setup(a, os.path.join(work, "0"), builds[0][1], 2, luas[0], pipelines[builds[0][1]])
                for _ in range(a.repeat):
                    s.run(c)
                wall, peak, summary, _ = s.median()
                print(f"{smb:7.1f} {summary['documents']['read']:10,} {wall:8.2f} {smb / wall:7.1f} {peak / 1024:8.0f}")
                os.remove(c)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
