# Precision and recall of dedup.minhash (defaults) on the labelled
# near-duplicate benchmark built from the sample corpus and the seeds.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
TOOLS=$TM_SOURCE_DIR/plugins/dedup/tools
inputs=("$TM_SOURCE_DIR/corpus/sample")
[ -d "${TM_SEEDS:-}" ] && inputs+=("$TM_SEEDS")
python3 "$TOOLS/neardup.py" generate --out "$WORK/nd" --copies 40 "${inputs[@]}"
config nd <<EOF2
input: {paths: [nd/corpus.jsonl]}
workers: 2
stages:
  - {type: dedup.minhash, action: mark}
outputs: [{type: output.jsonl, path: nd/out.jsonl}]
EOF2
run_tm 0 run "$WORK/nd.yaml"
python3 "$TOOLS/neardup.py" score "$WORK/nd" "$WORK/nd/out.jsonl" --min-recall 0.95 --min-precision 0.99
