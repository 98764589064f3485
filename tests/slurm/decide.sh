# textmill-dedup decide (the merge step) decides as dedup.minhash would over
# the whole corpus: the same duplicates, of the same documents, as replaying
# the merged signatures through the stage's own decision code (dd_sigtool
# replay), for every keep policy, without verification, with explicit bands,
# and with a tiny sort buffer (many runs, merged in passes). Its per-shard
# lists give each duplicate's line in the shard's stage-1 file. Damaged or
# mismatched inputs are refused, and a failed merge leaves no files.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$(dirname "$0")/lib.bash"
cd "$WORK"  # --set paths are relative to the current directory
: "${DD_SIGTOOL:?run through ctest}"
make_corpus "$WORK/corpus.jsonl" 3000
config one <<EOF2
input: {paths: [corpus.jsonl]}
stages: [{type: dedup.minhash, action: mark, mark_field: shard_local}]
outputs: [{type: output.jsonl, path: results/all.jsonl}]
EOF2
sigs=()
for i in 0 1 2; do
  run_tm 0 run "$WORK/one.yaml" --shard "$i/3" --set "stages.0.signatures=s$i.sig" \
    --set "stages.0.order_offset=$((i << 40))" -o "$WORK/stage1-$i.jsonl"
  sigs+=("$WORK/s$i.sig")
done
"$DD_SIGTOOL" merge "$WORK/merged.sig" "${sigs[@]}"
check() {  # check NAME REPLAY-ARGS -- DECIDE-ARGS
  local name=$1; shift
  local rargs=() dargs=()
  while [ "$1" != -- ]; do rargs+=("$1"); shift; done; shift
  dargs=("$@")
  "$DD_SIGTOOL" replay "$WORK/merged.sig" "${rargs[@]}" | awk -F'\t' '$2 != "kept"' >"$WORK/want"
  "$TEXTMILL_DEDUP" decide -q "${dargs[@]}" --out "$WORK/got.tsv" "${sigs[@]}" || fail "$name: decide failed"
  cut -f1,2 "$WORK/got.tsv" >"$WORK/got"
  cmp "$WORK/want" "$WORK/got" || { diff "$WORK/want" "$WORK/got" | head; fail "$name: decisions differ from the replay"; }
  echo "$name: $(wc -l <"$WORK/got") duplicates, as the replay"
}
check first 0.8 first -- --threshold 0.8
check longest 0.8 longest -- --keep longest
check newest 0.8 newest -- --keep newest
check threshold-0.6 0.6 -- --threshold 0.6
check tiny-buffer 0.8 longest -- --keep longest --memory 1 --fan-in 2 --tmp "$WORK"
# without verification, and with explicit bands: the stage itself, in one run
for opts in "verify=false" "bands=8" "bands=20 rows=5"; do
  sets=(); dargs=()
  for kv in $opts; do
    sets+=(--set "stages.0.${kv%%=*}=${kv#*=}")
    dargs+=("--${kv%%=*}" "${kv#*=}")
  done
  [ "${dargs[0]}" = --verify ] && dargs=(--verify no)
  run_tm 0 run "$WORK/one.yaml" "${sets[@]}" --set stages.0.action=drop -o "$WORK/single.jsonl"
  "$TEXTMILL_DEDUP" decide -q "${dargs[@]}" --out "$WORK/got.tsv" "${sigs[@]}"
  python3 - "$WORK/corpus.jsonl" "$WORK/single.jsonl" "$WORK/got.tsv" "$opts" <<'PY'
import json, sys
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
kept = [json.loads(l)["id"] for l in open(sys.argv[2])]
dropped = [l.split("\t")[0] for l in open(sys.argv[3])]
rest = list(ids)
for d in dropped:
    rest.remove(d)      # ids may repeat: one occurrence per line
assert len(ids) - len(dropped) == len(kept), (sys.argv[4], len(ids), len(dropped), len(kept))
assert sorted(rest) == sorted(kept), sys.argv[4]
print(f"{sys.argv[4]}: {len(dropped)} duplicates, as one run")
PY
done
# per-shard lists: LINE is the duplicate's line in its stage-1 file
"$TEXTMILL_DEDUP" decide -q --offset-step $((1 << 40)) --split "$WORK/lists" --stats "$WORK/stats.json" "${sigs[@]}"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]; total = 0
for i in range(3):
    lines = open(f"{w}/stage1-{i}.jsonl").read().splitlines()
    for l in open(f"{w}/lists/drop-0000{i}.tsv"):
        ident, reason, mark, line = l.rstrip("\n").split("\t")
        assert json.loads(lines[int(line) - 1])["id"] == ident, (i, l)
        total += 1
    assert open(f"{w}/lists/marks-0000{i}.tsv").read() == ""
stats = json.load(open(f"{w}/stats.json"))
assert stats["duplicates"] == total and stats["documents"] == 3060, stats
assert [p["documents"] for p in stats["per_input"]] == [sum(1 for _ in open(f"{w}/stage1-{i}.jsonl")) for i in range(3)]
print(f"split lists: {total} duplicates at their lines")
PY
# refusals
run_dd() { local want=$1; shift; local got=0; "$TEXTMILL_DEDUP" "$@" >"$WORK/out" 2>"$WORK/err" || got=$?; [ "$got" = "$want" ] || { cat "$WORK/err"; fail "textmill-dedup $* exited $got, expected $want"; }; }
head -c 5000 "$WORK/s1.sig" >"$WORK/cut.sig"
mkdir "$WORK/t"
run_dd 1 decide --out "$WORK/bad.tsv" --split "$WORK/badlists" --tmp "$WORK/t" "$WORK/s0.sig" "$WORK/cut.sig"
expect_err "truncated or incomplete"
[ ! -e "$WORK/bad.tsv" ] && [ -z "$(ls -A "$WORK/t")" ] || fail "a failed merge left files behind"
run_tm 0 run "$WORK/one.yaml" --shard 0/3 --set stages.0.perms=64 --set stages.0.signatures=p64.sig -o "$WORK/x.jsonl"
run_dd 1 decide --out "$WORK/bad.tsv" "$WORK/s0.sig" "$WORK/p64.sig"
expect_err "different signature settings"
run_dd 1 decide --offset-step 1000 --split "$WORK/l2" "$WORK/s0.sig" "$WORK/s1.sig"
expect_err "does not describe it"
run_dd 2 decide --keep oldest "$WORK/s0.sig"
expect_err "--keep expects first, longest or newest"
run_dd 2 decide
expect_err "at least one signature file"
run_dd 0 info "$WORK/s0.sig"
expect_out "records:"
run_dd 0 merge "$WORK/m2.sig" "${sigs[@]}"
cmp "$WORK/m2.sig" "$WORK/merged.sig" || fail "textmill-dedup merge differs from dd_sigtool merge"
echo ok
