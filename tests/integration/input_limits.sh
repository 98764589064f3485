# max_document_bytes: a larger document is rejected with its place and size
# and passed over unread, and the run goes on; memory stays bounded on a
# gzip file that expands a thousandfold. Before, a 1 GB line failed the
# whole run and a 6.5 MB .gz took 4.4 GB of memory.
. "$(dirname "$0")/lib.bash"

# Small limits, through --set: JSON Lines (plain and gzip) and text files.
python3 - "$WORK" <<'PY'
import gzip, sys
w = sys.argv[1]
rec = lambda i, n: ('{"id":"r%d","text":"%s"}' % (i, "Quân khu " * n)).encode()
lines = [rec(1, 2), rec(2, 200), rec(3, 2), rec(4, 5000), rec(5, 2)]
open(w + "/a.jsonl", "wb").write(b"\n".join(lines) + b"\n")
open(w + "/b.jsonl.gz", "wb").write(gzip.compress(rec(6, 300) + b"\n" + rec(7, 2)))
open(w + "/c.txt", "wb").write("Biên phòng ".encode() * 1000)
open(w + "/d.txt", "wb").write("Dân quân".encode())
PY
config small <<EOF2
input: {paths: [a.jsonl, b.jsonl.gz, c.txt, d.txt]}
stages: []
outputs: [{type: output.jsonl, path: out.jsonl}]
rejects: rejects.jsonl
EOF2
run_tm 3 run "$WORK/small.yaml" --set max_document_bytes=1000
check_accounting 9 5 0 4
expect_err "a.jsonl:2 (id r2) at input: too large: 2021 bytes, over max_document_bytes (1000)"
expect_err "a.jsonl:4 (id r4) at input: too large: 50021 bytes, over max_document_bytes (1000)"
expect_err "b.jsonl.gz:1 (id r6) at input: too large: 3021 bytes, over max_document_bytes (1000)"
expect_err "c.txt (id c) at input: too large: 13000 bytes, over max_document_bytes (1000)"
expect_err "rejected too large: 4"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
assert [d["id"] for d in map(json.loads, open(w + "/out.jsonl"))] == ["r1", "r3", "r5", "r7", "d"]
rej = [json.loads(l) for l in open(w + "/rejects.jsonl")]
assert [r["id"] for r in rej] == ["r2", "r4", "r6", "c"], rej
for r in rej:
    assert r["stage"] == "input" and r["reason"].startswith("too large: "), r
    assert len(r["raw"].encode()) <= 1024 and r["raw"].startswith(('{"id":"r', "Biên phòng")), r
PY

# The limit in the config, shown by check; out-of-range values are usage errors.
printf 'max_document_bytes: 5000\n' >>"$WORK/small.yaml"
run_tm 0 check "$WORK/small.yaml"
expect_out "max_document_bytes: 5000    # $WORK/small.yaml:5:21"
run_tm 3 run "$WORK/small.yaml"
check_accounting 9 7 0 2
run_tm 2 run "$WORK/small.yaml" --set max_document_bytes=0
expect_err "--set max_document_bytes: max_document_bytes must be between 1 and 1073741824 (1 GiB), not 0"
run_tm 2 run "$WORK/small.yaml" --set max_document_bytes=lots
expect_err "option 'max_document_bytes' expects an integer"

# A gzip bomb under the default limit (64 MiB): one line of 300 MB, then
# 300 lines of 1 MB, each a few hundred kB compressed. The long line is
# rejected and never held; the short ones pass; peak memory stays small.
python3 - "$WORK" <<'PY'
import sys, zlib
w = sys.argv[1]
def gz(path, pieces):
    z = zlib.compressobj(1, zlib.DEFLATED, 31)
    with open(path, "wb") as f:
        for p in pieces:
            f.write(z.compress(p))
        f.write(z.flush())
chunk = "Quân khu 5 tổ chức diễn tập. ".encode() * 27000  # about 1 MB
gz(w + "/bomb-1.jsonl.gz", [b'{"id":"big","text":"'] + [chunk] * 300 + [b'"}\n', b'{"id":"after","text":"x"}\n'])
gz(w + "/bomb-2.jsonl.gz", [b'{"id":"m%d","text":"' % i + chunk + b'"}\n' for i in range(300)])
PY
config bomb <<EOF2
input: {paths: [bomb-1.jsonl.gz, bomb-2.jsonl.gz]}
stages: [{type: filter.length, max_chars: 100}]
outputs: [{type: output.jsonl, path: bomb-out.jsonl}]
EOF2
LIMIT_MB=${TM_STREAM_PEAK_MB:-250}  # larger under the sanitizers
python3 - "$TEXTMILL" "$WORK/bomb.yaml" "$LIMIT_MB" "$WORK/err" <<'PY'
import resource, subprocess, sys
textmill, cfg, limit, err = sys.argv[1:]
t = subprocess.run([textmill, "run", cfg, "-j", "2"], stderr=subprocess.PIPE, text=True)
open(err, "w").write(t.stderr)
assert t.returncode == 3, t.stderr
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"peak resident {peak_mb:.0f} MB")
assert peak_mb < float(limit), f"peak memory {peak_mb:.0f} MB is over {limit} MB"
PY
check_accounting 302 1 300 1
expect_err "bomb-1.jsonl.gz:1 (id big) at input: too large: 307800022 bytes, over max_document_bytes (67108864)"
expect_err "dropped too-long: 300"
[ "$(jsonl_count "$WORK/bomb-out.jsonl")" = 1 ] || fail "the record after the long line is missing"
echo ok
