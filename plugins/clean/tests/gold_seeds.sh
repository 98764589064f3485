# The gold test: every field of every seed article, through the default
# pipeline, must be what tests/fixtures/clean/seeds.gold.json says.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
if [ ! -d "$TM_SEEDS" ]; then
  echo "skipped: seed corpus not found beside the checkout (../shared/corpus/seeds)"
  exit 77
fi
GOLD=$TM_SOURCE_DIR/tests/fixtures/clean/seeds.gold.json
CONFIG=$TM_SOURCE_DIR/config/default.yaml
normalize=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["normalize"])' "$GOLD")

# The normalized seeds the gold's line numbers count in.
run_tm 0 run "$CONFIG" -i "$TM_SEEDS" -o "$WORK/normalized.jsonl" --set "stages=[$normalize]"
for j in 1 3; do
  run_tm 0 run "$CONFIG" -i "$TM_SEEDS" -o "$WORK/seeds.$j.jsonl" -j $j
  check_accounting 5 5 0 0
done
cmp "$WORK/seeds.1.jsonl" "$WORK/seeds.3.jsonl" || fail "the output depends on the number of workers"
python3 "$TM_SOURCE_DIR/plugins/clean/tests/check_gold.py" "$GOLD" "$WORK/seeds.1.jsonl" "$WORK/normalized.jsonl"
echo ok
