# The same input and config give byte-identical output for any -j.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR

# Enough documents for several batches: the sample, copied under new ids.
python3 - "$SRC/corpus/sample/more.jsonl" "$WORK/many.jsonl" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
with open(sys.argv[2], "w") as out:
    for i in range(1500):
        d = dict(docs[i % len(docs)])
        d["id"] = f"doc{i:05d}"
        d["text"] = d["text"][: 200 + (i * 37) % 1800]
        out.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
config par <<EOF2
plugin_path: [$TM_BUILD_DIR/test-plugins/faulty.so]
input: {paths: [many.jsonl]}
stages:
  - {type: filter.length, min_chars: 400}
  - {type: test.reject_every, match: "7"}
  - {type: test.annotate}
outputs: [{type: output.jsonl, path: out.jsonl}]
rejects: rejects.jsonl
EOF2
for j in 1 2 3 8; do
  run_tm 3 run "$WORK/par.yaml" -j $j
  check_accounting 1500 '*' '*' '*'
  mv "$WORK/out.jsonl" "$WORK/out.$j"; mv "$WORK/rejects.jsonl" "$WORK/rejects.$j"
  grep -v 'seconds\|MB/s\|^ *input \|^ *filter\|^ *test\|^ *output' "$WORK/err" >"$WORK/summary.$j" || true
done
for j in 2 3 8; do
  cmp "$WORK/out.1" "$WORK/out.$j" || fail "-j $j output differs from -j 1"
  cmp "$WORK/rejects.1" "$WORK/rejects.$j" || fail "-j $j rejects differ from -j 1"
  diff <(sed 's/ ([0-9.]* s.*//' "$WORK/summary.1") <(sed 's/ ([0-9.]* s.*//' "$WORK/summary.$j") \
    || fail "-j $j summary differs"
done
[ "$(jsonl_count "$WORK/out.1")" -gt 100 ] || fail "too little written"

# A failure on one worker stops the run cleanly: no hang, nothing committed.
rm -f "$WORK/out.jsonl"
timeout 60 "$TEXTMILL" run "$WORK/par.yaml" -j 3 --set on_error=fail 2>"$WORK/err" && fail "on_error: fail did not stop"
expect_err "(stopping: on_error is fail)"
[ ! -e "$WORK/out.jsonl" ] || fail "a stopped run left its output"
timeout 60 "$TEXTMILL" run "$WORK/par.yaml" -j 3 --set 'stages.2.type=test.last_worker_fails' 2>"$WORK/err" \
  && fail "a stage that cannot start on one worker did not stop the run"
expect_err "worker 3 of 3 cannot start"
[ ! -e "$WORK/out.jsonl" ] || fail "a failed run left its output"
ls "$WORK" | grep -q tmp- && fail "a failed run left a temporary file"
# Files are read while the stages start, stdin and pipes only once they
# have: a stage that cannot start stops the run at once, also when what
# it reads never ends (a pipe held open, nothing written), and its error
# comes before the input's.
mkfifo "$WORK/pipe.jsonl"
exec 7<>"$WORK/pipe.jsonl"
for input in - "$WORK/pipe.jsonl"; do
  rc=0
  timeout 20 "$TEXTMILL" run "$WORK/par.yaml" -j 3 -i "$input" --set 'stages.2.type=test.last_worker_fails' \
    <"$WORK/pipe.jsonl" 2>"$WORK/err" || rc=$?
  [ $rc = 1 ] || { cat "$WORK/err" >&2; fail "a stage that cannot start, input $input: exit $rc, not a clean stop"; }
  expect_err "worker 3 of 3 cannot start"
done
exec 7>&-
timeout 60 "$TEXTMILL" run "$WORK/par.yaml" -j 3 -i "$WORK/none.jsonl" \
  --set 'stages.2.type=test.last_worker_fails' 2>"$WORK/err" && fail "a run with no input and a failing stage went on"
expect_err "worker 3 of 3 cannot start"
grep -q "none.jsonl" "$WORK/err" && fail "the missing input was told before the stage that cannot start"
run_tm 1 run "$WORK/par.yaml" -i "$WORK/none.jsonl"
expect_err "none.jsonl"
# The default pipeline over the seed articles and the sample corpus, too.
inputs=(-i "$SRC/corpus/sample")
[ -d "$TM_SEEDS" ] && inputs+=(-i "$TM_SEEDS")
for j in 1 2 3 8; do
  "$TEXTMILL" run "$SRC/config/default.yaml" "${inputs[@]}" -o "$WORK/default.$j.jsonl" -j $j -q \
    || [ $? = 3 ] || fail "default pipeline failed with -j $j"
done
for j in 2 3 8; do
  cmp "$WORK/default.1.jsonl" "$WORK/default.$j.jsonl" || fail "default pipeline: -j $j differs from -j 1"
done
echo ok
