# --shard I/N: the shards, run one by one and concatenated in order, give
# exactly the documents of one unsharded run.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR

# Records without ids take FILE:LINE ids, so line counting must survive a cut.
python3 - "$SRC/corpus/sample/more.jsonl" "$WORK/lines.jsonl" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
with open(sys.argv[2], "w") as out:
    for i in range(700):
        d = {"text": docs[i % len(docs)]["text"][: 300 + i % 500]}
        if i % 3:
            d["id"] = f"r{i}"
        out.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
gzip -c "$WORK/lines.jsonl" >"$WORK/packed.jsonl.gz"
config shard <<EOF2
input: {paths: [$SRC/corpus/sample, lines.jsonl, packed.jsonl.gz]}
stages: [{type: filter.length, min_chars: 350}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 0 run "$WORK/shard.yaml" -o "$WORK/all.jsonl"
total=$(jsonl_count "$WORK/all.jsonl")
for n in 1 2 3 7; do
  : >"$WORK/cat.jsonl"
  for ((i = 0; i < n; i++)); do
    run_tm 0 run "$WORK/shard.yaml" --shard "$i/$n" -o "$WORK/part.jsonl" -j 2
    cat "$WORK/part.jsonl" >>"$WORK/cat.jsonl"
  done
  cmp "$WORK/all.jsonl" "$WORK/cat.jsonl" || fail "$n shards concatenated differ from one run"
done
[ "$total" -gt 500 ] || fail "too few documents ($total)"

run_tm 0 check "$WORK/shard.yaml" --shard 1/3; expect_out "shard: 1/3"
run_tm 2 run "$WORK/shard.yaml" --shard 3/3; expect_err "--shard expects I/N with 0 <= I < N"
run_tm 1 run "$WORK/shard.yaml" --shard 0/2 -i -; expect_err "--shard cannot split standard input"
echo ok
