# Progress while a run goes: the line on a terminal (documents, docs/s,
# MB/s; never when stderr is not a terminal, nor with -q or --log-level
# warn) and --progress-json, a JSON line for a watcher at the first batch,
# every 2 s and at the end.
. "$(dirname "$0")/lib.bash"
python3 - "$WORK/in.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(3000):
        f.write(json.dumps({"id": f"d{i}", "text": ("word%d " % i) * (5 if i % 10 else 40)}) + "\n")
PY
config p <<EOF2
input: {paths: [in.jsonl]}
stages: [{type: filter.length, min_chars: 100}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
lines_check() { # FILE STATUS: every line JSON; running lines, then one with STATUS and the counts
  python3 - "$1" "$2" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) >= 2, lines
*running, last = lines
assert all(l["status"] == "running" and "written" not in l["documents"] for l in running), running
reads = [l["documents"]["read"] for l in lines]
assert reads == sorted(reads) and reads[0] > 0, reads
assert last["status"] == sys.argv[2], last
d = last["documents"]
assert d["read"] == 3000 and d["written"] == 300 and d["dropped"] == 2700 and d["rejected"] == 0, d
assert last["total_bytes"] == last["bytes"] > 0 and last["documents_per_second"] > 0, last
assert last["mb_per_second"] > 0, last
PY
}
run_tm 0 run "$WORK/p.yaml" -q --progress-json "$WORK/progress.jsonl"
lines_check "$WORK/progress.jsonl" done
[ ! -s "$WORK/err" ] || fail "-q printed something with --progress-json"
# to a file descriptor, as a watcher would have it
"$TEXTMILL" run "$WORK/p.yaml" -q --progress-json /dev/fd/3 3>"$WORK/fd.jsonl" || fail "run to /dev/fd/3"
lines_check "$WORK/fd.jsonl" done
# and through a FIFO, read as the run goes
mkfifo "$WORK/fifo"
cat "$WORK/fifo" >"$WORK/fifo.jsonl" &
reader=$!
run_tm 0 run "$WORK/p.yaml" -q --progress-json "$WORK/fifo"
wait "$reader"
lines_check "$WORK/fifo.jsonl" done
# the status the run ends with
printf '{"id":"bad"}\n' >>"$WORK/in.jsonl"
run_tm 3 run "$WORK/p.yaml" -q --progress-json "$WORK/progress.jsonl"
python3 -c 'import json,sys; l = json.loads(open(sys.argv[1]).read().splitlines()[-1]); assert l["status"] == "rejects" and l["documents"]["rejected"] == 1, l' "$WORK/progress.jsonl"
run_tm 1 run "$WORK/p.yaml" --progress-json "$WORK/no/such/folder/p.jsonl"
expect_err "run failed: --progress-json $WORK/no/such/folder/p.jsonl: No such file or directory"

# The line on stderr: only on a terminal (script(1) gives the command one)
run_tm 3 run "$WORK/p.yaml"
if grep -q $'\r' "$WORK/err"; then fail "progress line written to a non-terminal"; fi
if command -v script >/dev/null; then
  script -qec "$TEXTMILL run $WORK/p.yaml" /dev/null >"$WORK/tty" 2>&1 || true
  grep -q $'\r.* documents  [0-9]* docs/s  .* MB  .* MB/s' "$WORK/tty" || { cat -v "$WORK/tty"; fail "no progress line on a terminal"; }
  for quiet in -q "--log-level warn"; do
    script -qec "$TEXTMILL run $WORK/p.yaml $quiet" /dev/null >"$WORK/tty" 2>&1 || true
    if grep -q "docs/s" "$WORK/tty"; then cat -v "$WORK/tty"; fail "a progress line with $quiet"; fi
  done
else
  echo "script(1) is not installed: the terminal's progress line is not checked"
fi
echo ok
