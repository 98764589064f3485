# How much run, check and test say (-q, --log-level LEVEL, -v), and check
# --json, the resolved pipeline for scripts.
. "$(dirname "$0")/lib.bash"
mkdir "$WORK/in"
printf '{"id":"a","text":"%s"}\n{"id":"b"}\n' "$(printf 'word %.0s' $(seq 60))" >"$WORK/in/a.jsonl"
touch "$WORK/in/b.parquet" # a kind of file textmill does not read: skipped with a warning
config p <<EOF2
input: {paths: [in]}
stages:
  - {type: filter.length, min_chars: 100}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
skipped="warning: $WORK/in/b.parquet: unknown kind of file, skipped"
rejected="rejected $WORK/in/a.jsonl:2 (id b) at input"
summary="2 documents read: 1 written, 0 dropped, 1 rejected"
no_err() { ! grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; fail "stderr has: $1"; }; }

run_tm 3 run "$WORK/p.yaml" # info, the default: warnings and the summary
expect_err "$skipped"; expect_err "$rejected"; expect_err "$summary"; no_err "debug:"
run_tm 3 run "$WORK/p.yaml" --log-level info
expect_err "$summary"; no_err "debug:"
run_tm 3 run "$WORK/p.yaml" --log-level warn # warnings, no summary
expect_err "$skipped"; expect_err "$rejected"; no_err "documents read"
for quiet in -q "--log-level error" "-v --log-level error" "--log-level debug -q"; do
  run_tm 3 run "$WORK/p.yaml" $quiet # errors only; the last of them counts
  [ ! -s "$WORK/err" ] || { cat "$WORK/err" >&2; fail "$quiet printed more than errors"; }
done
run_tm 3 run "$WORK/p.yaml" -v # what the host does, too
expect_err "textmill: debug: plugin "; expect_err "textmill: debug: config $WORK/p.yaml: 1 stages, 1 outputs"
expect_err "textmill: debug: stages.0 (filter.length) started"; expect_err "textmill: debug: committed $WORK/out.jsonl"
expect_err "$summary"
run_tm 3 run "$WORK/p.yaml" -q -v
expect_err "textmill: debug: committed"
# an empty input: the warning is a warning
mkdir "$WORK/empty"
run_tm 4 run "$WORK/p.yaml" -i "$WORK/empty" --log-level warn
expect_err "warning: no documents were read"; no_err "documents read"
run_tm 4 run "$WORK/p.yaml" -i "$WORK/empty" --log-level error
[ ! -s "$WORK/err" ] || fail "--log-level error printed a warning"
run_tm 2 run "$WORK/p.yaml" --log-level loud
expect_err "--log-level expects error, warn, info or debug, not 'loud'"
run_tm 2 run "$WORK/p.yaml" --json
expect_err "--json is an option of check"

# check --json: one JSON object; each option's value and where it was set
run_tm 0 check "$WORK/p.yaml" --json --set stages.0.max_chars=5000 -j 3
python3 - "$WORK/out" "$WORK/p.yaml" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
assert text.count("\n") == 1, "not one line"
d = json.loads(text)
assert d["ok"] is True and d["config"] == sys.argv[2] and d["workers"] == 3, d
assert [(s["label"], s["type"]) for s in d["stages"]] == [("stages.0", "filter.length")], d["stages"]
assert [(s["label"], s["type"]) for s in d["outputs"]] == [("outputs.0", "output.jsonl")], d["outputs"]
opts = {o["name"]: o for o in d["stages"][0]["options"]}
assert opts["min_chars"]["value"] == 100 and opts["min_chars"]["from"] == sys.argv[2] + ":3:38", opts
assert opts["max_chars"]["value"] == 5000 and opts["max_chars"]["from"] == "--set stages.0.max_chars", opts
assert d["stages"][0]["plugin"].endswith("filter.so"), d["stages"][0]
assert d["rejects"] is None and d["shard"] is None and d["limit"] is None and d["on_error"] == "skip", d
paths = {o["name"]: o["value"] for o in d["input"]["options"]}["paths"]
assert paths == ["in"], paths
PY
run_tm 2 check "$WORK/p.yaml" --json --set stages.0.min_chars=abc
python3 - "$WORK/out" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).read())
assert d["ok"] is False and "min_chars" in d["error"], d
PY
expect_err "min_chars" # the message stays on stderr too

# test -v names each case that passes
cat >"$WORK/r.lua" <<'EOF2'
function process(doc) doc:add_entity { type = "W", start = 1, stop = 4 } end
EOF2
cat >"$WORK/r.test.yaml" <<'EOF2'
script: r.lua
cases:
  - name: first word
    text: word one
    expect: [{type: W, text: word}]
EOF2
run_tm 0 test "$WORK/r.test.yaml"
! grep -q "^ok " "$WORK/out" || fail "test printed passing cases without -v"
run_tm 0 test -v "$WORK/r.test.yaml"
expect_out "ok $WORK/r.test.yaml:3:5: first word"
expect_out "1 case in 1 file: 1 passed, 0 failed"
run_tm 0 test "$WORK/r.test.yaml" --log-level=debug
expect_out "ok $WORK/r.test.yaml:3:5: first word"
run_tm 2 test --log-level nope "$WORK/r.test.yaml"
expect_err "--log-level expects error, warn, info or debug, not 'nope'"
echo ok
