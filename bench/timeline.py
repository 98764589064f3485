#!/usr/bin/env python3
"""When a run keeps the cores busy, and when it leaves them idle.

    bench/timeline.py [--bin 0.05] [--hz 2000] -- COMMAND [ARG ...]

Runs COMMAND under `perf record -a` (every core sampled, HZ times a
second) and prints, for each BIN seconds of the run, how many cores its
threads kept busy (each thread apart, by thread id in the order they
started), how many other programs took and how many sat idle. Then the
start (the time until the run first kept every core busy for a whole
bin, two in a row) and the end (the time after it last did), which with two workers
are mostly one thread alone: making the stages, and the outputs'
finish (SQLite's indexes, the syncs). Needs perf (linux-tools) and the
right to sample every core (perf_event_paranoid below 1, or root).
The wall clock of a shared machine moves; where the idle time falls
does not much.
"""
import argparse, collections, os, shutil, subprocess, sys, tempfile


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", type=float, default=0.05, help="seconds per line")
    ap.add_argument("--hz", type=int, default=2000, help="samples per second and core")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not cmd:
        sys.exit("timeline.py: give a command after --")
    if not shutil.which("perf"):
        sys.exit("timeline.py: needs perf (linux-tools) on PATH")
    cores = os.cpu_count()
    with tempfile.TemporaryDirectory(prefix="tm-timeline-") as work:
        data = os.path.join(work, "perf.data")
        r = subprocess.run(["perf", "record", "-a", "-F", str(a.hz), "-o", data, "--"] + cmd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode:
            sys.exit(f"timeline.py: the command or perf failed (exit {r.returncode}):\n{r.stderr[-2000:]}")
        script = subprocess.run(["perf", "script", "-i", data, "-F", "pid,tid,time"],
                                capture_output=True, text=True, check=True).stdout
    samples = []  # (time, pid, tid)
    for line in script.splitlines():
        p = line.replace("/", " ").split()
        if len(p) >= 3:
            samples.append((float(p[2].rstrip(":")), int(p[0]), int(p[1])))
    # The command's process: the one with the most samples (perf's own helper is brief).
    pid = collections.Counter(p for _, p, _ in samples if p != 0).most_common(1)[0][0]
    mine = [t for t, p, _ in samples if p == pid]
    t0, t1 = min(mine), max(mine)
    threads = []
    for t, p, tid in sorted(samples):
        if p == pid and tid not in threads:
            threads.append(tid)
    bins = collections.defaultdict(collections.Counter)
    for t, p, tid in samples:
        if t0 <= t <= t1:
            k = int((t - t0) / a.bin)
            bins[k]["idle" if p == 0 else threads.index(tid) if p == pid else "other"] += 1
    print(f"{t1 - t0:.2f} s sampled on {cores} cores; cores busy per thread of the run "
          f"(1 = the first, the main thread), by others, and idle:")
    print("     s  idle  other  " + " ".join(f"{i + 1:>4}" for i in range(len(threads))))
    busy_bins = []
    for k in sorted(bins):
        b = bins[k]
        n = sum(b.values())
        run = sum(v for key, v in b.items() if isinstance(key, int))
        busy_bins.append((k, cores * run / n))
        print(f"{k * a.bin:6.2f} {cores * b['idle'] / n:5.2f} {cores * b['other'] / n:6.2f}  " +
              " ".join(f"{cores * b[i] / n:4.1f}" for i in range(len(threads))))
    # full: two bins in a row with every core (less a quarter) the run's
    full = [k for (k, b1), (k2, b2) in zip(busy_bins, busy_bins[1:])
            if k2 == k + 1 and min(b1, b2) >= cores - 0.25]
    idle = sum(b["idle"] for b in bins.values()) / max(1, sum(sum(b.values()) for b in bins.values()))
    print(f"\nidle: {idle:.0%} of the cores' time while the run went")
    if full:
        print(f"start: {full[0] * a.bin:.2f} s before every core was busy for two bins in a row; "
              f"end: {t1 - t0 - (full[-1] + 2) * a.bin:.2f} s after the last such two")


if __name__ == "__main__":
    main()
