# Two runs on one index: while a run that will save an index is going, a
# second one that would save it too stops at the start (exit 1) and names
# the first; a run that only reads the index goes on. When the first ends,
# or dies (kill -9), the index is free again, and nothing it added is lost.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
cd "$WORK"  # --set paths are relative to the current directory
python3 "$TM_SOURCE_DIR/bench/dedup_gen.py" --docs 200 --dup-rate 0.1 --out "$WORK/all.jsonl"
head -n 100 "$WORK/all.jsonl" >"$WORK/a.jsonl"
tail -n 100 "$WORK/all.jsonl" >"$WORK/b.jsonl"
config idx <<EOF2
input: {paths: [b.jsonl]}
stages:
  - {type: dedup.exact, index: idx/exact.idx}
  - {type: dedup.minhash, index: idx/mh.idx}
  - {type: dedup.paragraph, index: idx/para.idx}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2

# Run A reads its documents from a FIFO that this script holds open, so it
# stays in the middle of its run until the FIFO is closed.
A_PID=
start_a() {
  rm -f "$WORK/fifo" && mkfifo "$WORK/fifo"
  "$TEXTMILL" run "$WORK/idx.yaml" -i - -o "$WORK/a.out.jsonl" <"$WORK/fifo" 2>"$WORK/a.err" &
  A_PID=$!
  exec 3>"$WORK/fifo"
  cat "$WORK/a.jsonl" >&3
  for _ in $(seq 100); do  # until A holds all three locks
    n=0
    for f in exact mh para; do grep -qs "^pid $A_PID on " "$WORK/idx/$f.idx.lock" && n=$((n + 1)); done
    [ "$n" = 3 ] && return 0
    sleep 0.1
  done
  cat "$WORK/a.err" >&2
  fail "run A did not take its locks"
}
trap '[ -n "$A_PID" ] && kill -9 "$A_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

start_a
# B, with each stage alone: refused, naming A.
for stage in 0 1 2; do
  name=$(sed -n "$((stage + 3))p" "$WORK/idx.yaml" | grep -o 'dedup\.[a-z]*')
  idx=$(sed -n "$((stage + 3))p" "$WORK/idx.yaml" | grep -o 'idx/[a-z]*\.idx')
  run_tm 1 run "$WORK/idx.yaml" --set "stages=[{type: $name, index: $idx}]"
  expect_err "stages.0 ($name, "
  expect_err "cannot start: index $WORK/$idx is in use by textmill pid $A_PID on $(hostname) (started 20"
  expect_err "two runs that write one index lose each other's documents"
  expect_err "no output was committed"
  [ -e "$WORK/out.jsonl" ] && fail "$name: B wrote its output"
done
# Two stages of one run on one index would overwrite each other too: the
# stages declare their index, so that is a config error before anything runs.
run_tm 2 run "$WORK/idx.yaml" --set stages.0.index=idx/x.idx --set stages.1.index=idx/x.idx
expect_err "$WORK/idx/x.idx would be written twice, by stages.0 (dedup.exact, index at --set stages.0.index)"

# A ends: B runs, and A's documents are in the indexes B loads.
exec 3>&-
wait "$A_PID" || { cat "$WORK/a.err" >&2; fail "run A failed"; }
A_PID=
run_tm 0 run "$WORK/idx.yaml"
expect_err "index $WORK/idx/mh.idx: "
# the same as one run over both halves
run_tm 0 run "$WORK/idx.yaml" --set 'input.paths=[all.jsonl]' --set stages.0.index=one/e.idx \
  --set stages.1.index=one/m.idx --set stages.2.index=one/p.idx --set outputs.0.path=one.jsonl
cat "$WORK/a.out.jsonl" "$WORK/out.jsonl" | cmp - "$WORK/one.jsonl" || fail "A then B differ from one run"

# A run that only reads an index is not in the way (it reads the last one
# saved). Then A dies holding the locks: the kernel drops them, and the
# next run goes on.
start_a
run_tm 0 run "$WORK/idx.yaml" --set 'stages=[{type: dedup.minhash, index: idx/mh.idx, index_update: false}]'
run_tm 0 run "$WORK/idx.yaml" --set 'stages=[{type: dedup.minhash, index: idx/mh.idx, second_pass: true}]'
kill -9 "$A_PID"
wait "$A_PID" 2>/dev/null || true
exec 3>&-
grep -q "^pid $A_PID on " "$WORK/idx/mh.idx.lock" || fail "the lock file does not name the dead run"
dead=$A_PID
A_PID=
run_tm 0 run "$WORK/idx.yaml"
grep -q "^pid $dead on " "$WORK/idx/mh.idx.lock" && fail "the lock file still names the dead run"
echo ok
