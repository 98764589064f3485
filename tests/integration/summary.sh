# --summary-json, and the progress line (on a terminal only).
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR
config plain <<EOF2
input: {paths: [$SRC/corpus/sample]}
stages: [{type: filter.length, min_chars: 200}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2

run_tm 0 run "$WORK/plain.yaml" -o "$WORK/a.jsonl" --summary-json "$WORK/s.json" \
  --set stages.0.min_chars=2000
python3 - "$WORK/s.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
d = s["documents"]
assert s["status"] == "done" and d["read"] == 14, s
assert d["read"] == d["written"] + d["dropped"] + d["rejected"], d
stage = next(x for x in s["stages"] if x["type"] == "filter.length")
assert stage["dropped"] == d["dropped"] > 0 and stage["dropped_by"] == {"too-short": d["dropped"]}, stage
assert len(s["config_hash"]) == 16 and s["seconds"] >= 0 and s["workers"] >= 1
PY
# The hash tells configs apart.
run_tm 0 run "$WORK/plain.yaml" -o "$WORK/a.jsonl" --summary-json "$WORK/t.json"
h1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config_hash"])' "$WORK/s.json")
h2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config_hash"])' "$WORK/t.json")
[ "$h1" != "$h2" ] || fail "different configs, same hash"

# A failed run still writes its summary, with status failed.
run_tm 1 run "$WORK/plain.yaml" -o "$WORK/x/y.jsonl" --summary-json "$WORK/f.json" -i "$WORK/nothing.jsonl"
grep -q '"status":"failed"' "$WORK/f.json" || fail "no failed summary"

# The summary is one of the run's files: when it cannot be written, the
# run fails and nothing else is put in place either.
echo "not a folder" >"$WORK/file"
rm -f "$WORK/b.jsonl"
run_tm 1 run "$WORK/plain.yaml" -o "$WORK/b.jsonl" --summary-json "$WORK/file/s.json"
expect_err "run failed: summary: cannot create $WORK/file/s.json: Not a directory"
expect_err "no output was committed"
[ ! -e "$WORK/b.jsonl" ] || fail "the output was committed without its summary"
# On stdout it comes once, after the files are in place.
run_tm 0 run "$WORK/plain.yaml" -o "$WORK/b.jsonl" --summary-json - -q
python3 -c 'import json,sys; s = json.load(open(sys.argv[1])); assert s["status"] == "done", s' "$WORK/out"

# No progress line when stderr is not a terminal...
run_tm 0 run "$WORK/plain.yaml" -o "$WORK/a.jsonl"
if grep -q $'\r' "$WORK/err"; then fail "progress line written to a non-terminal"; fi
# ...and one on a terminal (script(1) gives the command a pseudo-terminal).
if command -v script >/dev/null; then
  script -qec "$TEXTMILL run $WORK/plain.yaml -o $WORK/a.jsonl" /dev/null >"$WORK/tty" 2>&1 || true
  grep -q $'\r.*documents .* MB/s' "$WORK/tty" || { cat -v "$WORK/tty"; fail "no progress line on a terminal"; }
  script -qec "$TEXTMILL run $WORK/plain.yaml -o $WORK/a.jsonl -q" /dev/null >"$WORK/tty" 2>&1 || true
  [ ! -s "$WORK/tty" ] || { cat -v "$WORK/tty"; fail "--quiet printed something"; }
fi
echo ok
