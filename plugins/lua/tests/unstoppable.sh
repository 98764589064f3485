# Lua code that ran where no budget's hook could stop it: a loop in an
# xpcall message handler (run with hooks off when the budget's own error
# calls it), in a __gc finalizer (always run with hooks off), and in a
# __close run by coroutine.close or coroutine.wrap (a thread the watchdog
# did not know, or whose hooks a budget's error had turned off). Each
# document is rejected under max_seconds and under max_instructions, and
# the run goes on. A trusted script's finalizer that loops when the state
# closes at exit does not hang the run. `timeout` turns a regression into
# a failure, not a hang.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
S=$TM_SOURCE_DIR/tests/lua/unstoppable.lua
printf '#!/bin/sh\nexec timeout -s KILL 60 "%s" "$@"\n' "$TEXTMILL" >"$WORK/bounded"
chmod +x "$WORK/bounded"
TEXTMILL=$WORK/bounded

cases="handler handler-error gc close wrap-close stopped-close later-close old-coroutine"
: >"$WORK/in.jsonl"
for c in $cases; do
  printf '{"id":"%s","text":"%s"}\n{"id":"after-%s","text":"fine"}\n' "$c" "$c" "$c" >>"$WORK/in.jsonl"
done
for limits in "max_seconds: 1" "max_instructions: 200000, max_seconds: 0"; do
  config run <<EOF2
input: {paths: [in.jsonl]}
stages: [{type: lua, script: $S, $limits}]
outputs: [{type: output.jsonl, path: out.jsonl}]
rejects: rejects.jsonl
EOF2
  run_tm 3 run "$WORK/run.yaml" -j 1
  check_accounting 16 9 0 7
  python3 - "$WORK/rejects.jsonl" "$WORK/out.jsonl" "$limits" <<'PY'
import json, sys
rej = {json.loads(l)["id"]: json.loads(l)["reason"] for l in open(sys.argv[1])}
out = {json.loads(l)["id"] for l in open(sys.argv[2])}
limit = "time limit exceeded" if "max_seconds: 1" in sys.argv[3] else "instruction limit exceeded"
for case in ["handler", "handler-error", "close", "wrap-close", "stopped-close", "old-coroutine"]:
    assert limit in rej.get(case, ""), (case, rej.get(case))
assert "no __gc in the sandbox" in rej["gc"], rej["gc"]
# a coroutine a budget stopped is not closed later (its __close would run
# with hooks off): close returns false with a reason
assert "later-close" in out, sorted(out)
assert all("after-" + c in out for c in rej), sorted(out)
PY
done

# A trusted script's finalizer that loops when the state closes, after the
# outputs were committed: the close is given max_seconds + 1 and then left.
printf '{"id":"1","text":"x"}\n' >"$WORK/one.jsonl"
config atexit <<EOF2
input: {paths: [one.jsonl]}
stages: [{type: lua, script: $TM_SOURCE_DIR/tests/lua/gc_at_exit.lua, trusted: true, max_seconds: 1}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 0 run "$WORK/atexit.yaml" -j 1
expect_err "gc_at_exit.lua: closing the Lua state took more than 2 s (a __gc finalizer that does not return?)"
grep -q '"seen":true' "$WORK/out.jsonl" || fail "the output was not committed"

# The same finalizer looping while a document runs: hooks are off, so the
# state can neither be stopped nor safely abandoned (the worker is inside
# it). The run ends as on SIGTERM: exit 1, the old output unchanged.
printf '{"id":"1","text":"fine"}\n{"id":"2","text":"stuck"}\n' >"$WORK/stuck.jsonl"
config stuck <<EOF2
input: {paths: [stuck.jsonl]}
stages: [{type: lua, script: $TM_SOURCE_DIR/tests/lua/gc_in_document.lua, trusted: true, max_seconds: 1}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
cp "$WORK/out.jsonl" "$WORK/before.jsonl"
t0=$(date +%s)
run_tm 1 run "$WORK/stuck.yaml" -j 1
(( $(date +%s) - t0 < 15 )) || fail "the stuck document held the run for $(( $(date +%s) - t0 )) s"
expect_err "gc_in_document.lua: a document has run for "
expect_err "in code that no budget can stop (a finalizer or hook of a trusted script); stopping the run"
cmp -s "$WORK/out.jsonl" "$WORK/before.jsonl" || fail "the stopped run changed the output"
ls -A "$WORK" | grep -q '\.tmp-' && fail "temporary files left"
echo ok
