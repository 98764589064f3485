# A stream far larger than memory goes through in constant memory: 2 GB of
# JSON Lines from a generator, through parallel and serial stages, to a
# file, with the peak resident size checked.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR
MB=${TM_STREAM_MB:-2000}
LIMIT_MB=${TM_STREAM_PEAK_MB:-200}

config stream <<EOF2
input: {type: stdin}
stages:
  - {type: filter.length, min_chars: 100}
  - {type: extract.regex, entity: NUMBER, pattern: '\\\\d+'}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
python3 - "$JSONL_STREAM" "$MB" "$TEXTMILL" "$WORK/stream.yaml" "$LIMIT_MB" "$WORK" <<'PY'
import resource, subprocess, sys
gen, mb, textmill, cfg, limit, work = sys.argv[1:]
g = subprocess.Popen([gen, mb], stdout=subprocess.PIPE)
t = subprocess.run([textmill, "run", cfg, "-j", "2", "--summary-json", work + "/s.json"],
                   stdin=g.stdout, stderr=subprocess.PIPE, text=True)
g.stdout.close()
assert g.wait() == 0, "generator failed"
assert t.returncode == 0, t.stderr
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
import json
s = json.load(open(work + "/s.json"))
read = s["documents"]["read"]
assert read == s["documents"]["written"] and s["bytes"] >= int(mb) * 1e6 * 0.99, s["documents"]
print(f"streamed {s['bytes'] / 1e6:.0f} MB, {read} documents, peak resident {peak_mb:.0f} MB, "
      f"{s['bytes'] / 1e6 / s['seconds']:.0f} MB/s")
assert peak_mb < float(limit), f"peak memory {peak_mb:.0f} MB is over {limit} MB"
PY
[ -s "$WORK/out.jsonl" ] || fail "no output"
echo ok
