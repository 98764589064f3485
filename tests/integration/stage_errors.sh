# Stages that fail: a rejected document, a failed finish, a forbidden rewrite,
# an output that cannot be written.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR

config reject <<EOF2
plugin_path: [$TM_BUILD_DIR/test-plugins/faulty.so]
input: {paths: [$SRC/corpus/sample]}
stages: [{type: test.reject_every, match: quang}]
outputs: [{type: output.jsonl, path: out.jsonl}]
rejects: rejects.jsonl
EOF2
run_tm 3 run "$WORK/reject.yaml" -j 2
check_accounting 14 '*' 0 '*'
expect_err "rejected boom: "
expect_err "at stages.0: boom: refused document vn_quangnam_20230608"
python3 - "$WORK/rejects.jsonl" <<'PY'
import json, sys
rej = [json.loads(l) for l in open(sys.argv[1])]
assert rej and all("quang" in r["id"] and r["stage"] == "stages.0" for r in rej), rej
assert all(r["document"]["id"] == r["id"] for r in rej)
PY

# A stage failing at the end of the stream: exit 1, no output committed.
config finish <<EOF2
plugin_path: [$TM_BUILD_DIR/test-plugins/faulty.so]
input: {paths: [$SRC/corpus/sample]}
stages: [{type: test.fail_finish}]
outputs: [{type: output.jsonl, path: out2.jsonl}]
EOF2
run_tm 1 run "$WORK/finish.yaml"
expect_err "stages.0 (test.fail_finish): cannot finish on purpose"
expect_err "no output was committed"
[ ! -e "$WORK/out2.jsonl" ] || fail "failed run left out2.jsonl"
ls "$WORK" | grep -q tmp- && fail "failed run left a temporary file"

# Rewriting text after another stage annotated it is refused, naming that stage.
config rewrite <<EOF2
plugin_path: [$TM_BUILD_DIR/test-plugins/faulty.so]
input: {paths: [$SRC/corpus/sample/more.jsonl]}
stages: [{type: test.annotate}, {type: test.rewrite}]
outputs: [{type: output.jsonl, path: out3.jsonl}]
EOF2
run_tm 3 run "$WORK/rewrite.yaml"
expect_err "stage 'test.annotate' had already annotated"

# Entities written by a stage come out 0-based with end exclusive.
config annotate <<EOF2
plugin_path: [$TM_BUILD_DIR/test-plugins/faulty.so]
input: {paths: [$SRC/corpus/sample/more.jsonl]}
stages: [{type: test.annotate}]
outputs: [{type: output.jsonl, path: out4.jsonl}]
EOF2
run_tm 0 run "$WORK/annotate.yaml"
python3 - "$WORK/out4.jsonl" <<'PY'
import json, sys
for d in map(json.loads, open(sys.argv[1])):
    (e,) = d["entities"]
    b = d["text"].encode()
    assert e["start"] == 0 and b[e["start"]:e["end"]].decode() == e["text"] == d["text"][0], e
    assert e["value"] == "x" and e["attrs"] == {"n": 1} and e["rule"] == "test.annotate", e
PY

# Output errors stop the run: a path under a file, and a full disk.
run_tm 1 run "$WORK/annotate.yaml" -o "$WORK/out4.jsonl/x.jsonl"
expect_err "cannot create"
expect_err "Not a directory"
if [ -w /dev/full ]; then
  "$TEXTMILL" run "$WORK/annotate.yaml" -o - >/dev/full 2>"$WORK/err" && fail "writing to a full disk succeeded"
  expect_err "No space left on device"
fi
# A pipe (or /dev/null) as an output is written in place, never replaced by a file.
mkfifo "$WORK/pipe.jsonl"
cat "$WORK/pipe.jsonl" >"$WORK/from_pipe.jsonl" &
run_tm 0 run "$WORK/annotate.yaml" -o "$WORK/pipe.jsonl"
wait
[ -p "$WORK/pipe.jsonl" ] || fail "the FIFO was replaced by a file"
[ "$(jsonl_count "$WORK/from_pipe.jsonl")" = 4 ] || fail "nothing came through the FIFO"
echo ok
