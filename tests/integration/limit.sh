# --limit N reads the first N documents and finishes as at the end of the
# input: the outputs hold those N in input order, the summary counts N, and
# the same N come out with any -j; with --shard it counts within the shard.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR
cd "$WORK"
python3 - <<'PY' >many.jsonl
import json
for i in range(500):
    print(json.dumps({"id": f"d{i:03d}", "text": "Bài viết số %d về công tác quốc phòng địa phương." % i}, ensure_ascii=False))
PY
config lim <<'EOF2'
input: {paths: [many.jsonl]}
stages: [{type: filter.length, min_chars: 1}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
for j in 1 3; do
  run_tm 0 run "$WORK/lim.yaml" --limit 7 -j $j
  check_accounting 7 7 0 0
  [ "$(cut -c1-13 out.jsonl | tr -d '\n')" = '{"id":"d000",{"id":"d001",{"id":"d002",{"id":"d003",{"id":"d004",{"id":"d005",{"id":"d006",' ] \
    || fail "-j $j: not the first seven: $(cut -c1-13 out.jsonl | tr -d '\n')"
done
# More than there is: all of it.
run_tm 0 run "$WORK/lim.yaml" --limit 100000
check_accounting 500 500 0 0
# Within a shard: the first 5 of shard 1 of 2.
run_tm 0 run "$WORK/lim.yaml" --shard 1/2 --limit 5
check_accounting 5 5 0 0
head -c 12 out.jsonl | grep -q '"id":"d2' || fail "--shard 1/2 --limit 5 did not start in the second half"
# A record the input rejects is one of the N: the limit counts records read.
{ echo '{"id":"bad","text":'; head -n 4 many.jsonl; } >mixed.jsonl
run_tm 3 run "$WORK/lim.yaml" -i mixed.jsonl --limit 3 --rejects rej.jsonl
check_accounting 3 2 0 1
grep -q '"id":"bad"' rej.jsonl || fail "the malformed record is not in the rejects file"
# check shows it; bad values are usage errors.
run_tm 0 check "$WORK/lim.yaml" --limit 3
expect_out "limit: 3 documents    # --limit"
for bad in 0 -1 abc 5x ""; do
  run_tm 2 run "$WORK/lim.yaml" --limit "$bad"
  expect_err "--limit expects a number of documents of at least 1, not '$bad'"
done
# On the main job and real text, when it is there.
DEV=$SRC/../shared/corpus/dev
if [ -f "$DEV/dantri.jsonl" ]; then
  run_tm 0 run "$SRC/config/default.yaml" -i "$DEV/dantri.jsonl" --limit 40 -o "$WORK/dev.jsonl" -q
  python3 - "$DEV/dantri.jsonl" "$WORK/dev.jsonl" <<'PY'
import json, sys
first = [json.loads(l)["id"] for _, l in zip(range(40), open(sys.argv[1]))]
out = [json.loads(l)["id"] for l in open(sys.argv[2])]
assert out and set(out) <= set(first), (out[:3], first[:3])
PY
else
  echo "SKIP (part): the real articles (../shared/corpus/dev) are absent"
fi
echo ok
