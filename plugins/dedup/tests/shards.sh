# Shards processed separately write signature files; merged and replayed
# (dd_sigtool, on the merge library) they decide exactly as one run over
# the whole corpus.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
cd "$WORK"  # --set paths are relative to the current directory
: "${DD_SIGTOOL:?run through ctest}"
python3 "$TM_SOURCE_DIR/bench/dedup_gen.py" --docs 3000 --dup-rate 0.3 --out "$WORK/all.jsonl"
head -n 1200 "$WORK/all.jsonl" >"$WORK/s0.jsonl"
tail -n 1800 "$WORK/all.jsonl" >"$WORK/s1.jsonl"
config one <<EOF2
input: {paths: [all.jsonl]}
stages: [{type: dedup.minhash, signatures: all.sig}]
outputs: [{type: output.jsonl, path: all.out.jsonl}]
EOF2
run_tm 0 run "$WORK/one.yaml"
run_tm 0 run "$WORK/one.yaml" --set 'input.paths=[s1.jsonl]' --set stages.0.signatures=s1.sig \
  --set stages.0.order_offset=1200 -j 3 --set outputs.0.path=s1.out.jsonl
run_tm 0 run "$WORK/one.yaml" --set 'input.paths=[s0.jsonl]' --set stages.0.signatures=s0.sig -j 1 --set outputs.0.path=s0.out.jsonl
"$DD_SIGTOOL" merge "$WORK/merged.sig" "$WORK/s1.sig" "$WORK/s0.sig"
cmp "$WORK/merged.sig" "$WORK/all.sig" || fail "merged shards differ from the single run's signatures"
"$DD_SIGTOOL" info "$WORK/merged.sig" >"$WORK/info"
grep -q "records: 3000" "$WORK/info" || { cat "$WORK/info"; fail "record count"; }
"$DD_SIGTOOL" replay "$WORK/merged.sig" >"$WORK/decisions"
# the replayed decisions are the single run's
python3 - "$WORK/decisions" "$WORK/all.out.jsonl" <<'PY'
import json, sys
kept = {l.split("\t")[0] for l in open(sys.argv[1]) if l.rstrip().endswith("\tkept")}
written = {json.loads(l)["id"] for l in open(sys.argv[2])}
assert kept == written, (len(kept), len(written))
assert len(kept) < 3000
PY
# a damaged signature file is refused
head -c 5000 "$WORK/s0.sig" >"$WORK/cut.sig"
"$DD_SIGTOOL" merge "$WORK/m2.sig" "$WORK/cut.sig" "$WORK/s1.sig" 2>"$WORK/err" && fail "merged a truncated file"
expect_err "truncated or incomplete"
# info names what is wrong with a file it cannot read
"$DD_SIGTOOL" info "$WORK/cut.sig" >/dev/null 2>"$WORK/err" && fail "info read a truncated file"
expect_err "dd_sigtool: "
"$DD_SIGTOOL" info "$WORK/none.sig" 2>"$WORK/err" && fail "info of a missing file"
expect_err "dd_sigtool: $WORK/none.sig: no such file"
"$DD_SIGTOOL" info "$WORK/all.jsonl" 2>"$WORK/err" && fail "info of a JSON Lines file"
expect_err "is not a textmill dedup file (no TMDEDUP header)"
echo ok
