# The real seed articles from ../shared, when they are there.
. "$(dirname "$0")/lib.bash"
if [ ! -d "$TM_SEEDS" ]; then
  echo "skipped: seed corpus not found beside the checkout (../shared/corpus/seeds)"
  exit 77
fi
n_seeds=$(ls "$TM_SEEDS"/*.txt | wc -l)
# The main pipeline takes every seed article.
run_tm 0 run "$TM_SOURCE_DIR/config/default.yaml" -i "$TM_SEEDS" -o "$WORK/main.jsonl" -j 2
check_accounting "$n_seeds" "$n_seeds" 0 0

# Read and written without stages, Vietnamese text survives byte for byte.
config plain <<EOF2
input: {paths: [$TM_SEEDS]}
stages: []
outputs: [{type: output.jsonl, path: seeds.jsonl}]
EOF2
run_tm 0 run "$WORK/plain.yaml" -j 2
check_accounting "$n_seeds" "$n_seeds" 0 0
[ "$(jsonl_count "$WORK/seeds.jsonl")" = "$n_seeds" ] || fail "not every seed written"
python3 - "$WORK/seeds.jsonl" "$TM_SEEDS" <<'PY'
import json, os, sys
for d in map(json.loads, open(sys.argv[1])):
    raw = open(os.path.join(sys.argv[2], d["id"] + ".txt"), encoding="utf-8").read()
    assert d["text"] == raw, d["id"]
PY
echo ok
