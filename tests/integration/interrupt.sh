# Ctrl-C and SIGTERM stop a run within about a second, with status 1, and
# commit nothing: also when a stage is stuck in a long C call, and when
# the input is standard input that stays open. A second Ctrl-C stops it at
# once. The old files stay as they were, and no temporary file is left.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR

config hang <<EOF2
plugin_path: [$TM_BUILD_DIR/test-plugins/faulty.so]
input: {paths: [$SRC/corpus/sample]}
stages: [{type: test.hang, marker: $WORK/hanging}]
outputs:
  - {type: output.jsonl, path: o/docs.jsonl}
  - {type: output.sqlite, path: o/docs.db}
rejects: o/rejects.jsonl
EOF2
# Earlier files, which the interrupted runs must leave alone.
run_tm 0 run "$WORK/hang.yaml" --set 'stages=[]' --summary-json "$WORK/o/summary.json"

python3 - "$TEXTMILL" "$WORK" <<'PY'
import os, signal, sqlite3, subprocess, sys, time
textmill, work = sys.argv[1], sys.argv[2]
out = os.path.join(work, "o")
cfg = os.path.join(work, "hang.yaml")

def snapshot():
    # SQLite's own -wal and -shm stay when a run is stopped in the middle
    # of its transaction: they hold nothing committed, and the next
    # connection clears them.
    return {n: open(os.path.join(out, n), "rb").read() for n in sorted(os.listdir(out))
            if not n.endswith(("-wal", "-shm"))}

def rows():
    db = sqlite3.connect(os.path.join(out, "docs.db"))
    n = db.execute("SELECT count(*) FROM documents").fetchone()[0], db.execute("SELECT count(*) FROM runs").fetchone()[0]
    db.close()
    return n

before, before_rows = snapshot(), rows()

def check(case, args, signals, stdin=None, ready=None, within=2.0):
    marker = os.path.join(work, "hanging")
    if os.path.exists(marker):
        os.remove(marker)
    p = subprocess.Popen([textmill, "run", cfg] + args, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if stdin:
        p.stdin.write(stdin)
        p.stdin.flush()  # and the pipe stays open
    start = time.monotonic()
    while ready and not os.path.exists(ready):
        assert p.poll() is None, f"{case}: ended early: {p.stderr.read().decode()}"
        assert time.monotonic() - start < 30, f"{case}: never started"
        time.sleep(0.02)
    if not ready:
        time.sleep(0.5)
    t0 = time.monotonic()
    for i, sig in enumerate(signals):
        if i:
            time.sleep(0.1)
        p.send_signal(sig)
    try:
        p.wait(timeout=within + 3)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        raise AssertionError(f"{case}: still running {within + 3:.0f} s after the signal")
    took = time.monotonic() - t0
    err = p.stderr.read().decode()
    assert p.returncode == 1, f"{case}: exit {p.returncode}, expected 1: {err}"
    assert took < within, f"{case}: took {took:.2f} s"
    assert "nothing was committed" in err or "no output was committed" in err, f"{case}: {err}"
    assert snapshot() == before, f"{case}: a file changed: {sorted(os.listdir(out))}"
    assert rows() == before_rows, f"{case}: the database changed"
    left = [n for n in os.listdir(out) if "tmp-" in n]
    assert not left, f"{case}: left {left}"
    if stdin:
        p.stdin.close()
    return err

stuck = os.path.join(work, "hanging")
for sig in (signal.SIGINT, signal.SIGTERM):
    err = check(f"stage stuck, {sig.name}", ["-j", "2"], [sig], ready=stuck)
    assert "did not stop within a second" in err, err
    record = '{"id":"a","text":"Quân khu 5 diễn tập."}\n'.encode()
    check(f"stdin open, {sig.name}", ["-i", "-", "--set", "stages=[]"], [sig], stdin=record)
err = check("twice", ["-i", "-", "--set", "stages=[]"], [signal.SIGINT, signal.SIGINT], stdin=b"\n", within=0.8)
assert "interrupted again" in err, err
PY
# An interrupt between batches: the run itself stops, says why, and the
# failed run's summary says so too.
python3 - "$WORK/many.jsonl" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(3000):
        f.write('{"id":"d%d","text":"Quân khu 5 tổ chức diễn tập khu vực phòng thủ."}\n' % i)
PY
python3 - "$TEXTMILL" "$WORK" <<'PY'
import os, signal, subprocess, sys, time
textmill, work = sys.argv[1], sys.argv[2]
p = subprocess.Popen([textmill, "run", os.path.join(work, "hang.yaml"), "-i", os.path.join(work, "many.jsonl"),
                      "--set", "stages=[{type: test.slow, ms: 1}]",
                      "--summary-json", os.path.join(work, "o", "summary.json")], stderr=subprocess.PIPE)
time.sleep(0.6)
p.send_signal(signal.SIGINT)
p.wait(timeout=10)
err = p.stderr.read().decode()
assert p.returncode == 1, err
assert "run failed: interrupted (SIGINT)" in err and "no output was committed" in err, err
assert '"status":"failed"' in open(os.path.join(work, "o", "summary.json")).read()
PY
ls -a "$WORK/o" | grep -q 'tmp-' && fail "a temporary file was left"
echo ok
