# Made-up articles in other portals' layouts (tests/fixtures/clean/articles)
# through the default pipeline: every field as articles.gold.json says,
# the same output for any number of workers, and a second run over the
# output changes nothing.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
FIX=$TM_SOURCE_DIR/tests/fixtures/clean
CONFIG=$TM_SOURCE_DIR/config/default.yaml

run_tm 0 run "$CONFIG" -i "$FIX/articles" -o "$WORK/a.jsonl" -j 1
check_accounting 7 6 1 0
expect_err "dropped all-boilerplate: 1"
for counter in removed-list removed-heuristic removed-repeat converted composed-documents tone-marks-moved \
               lookalike-letters published-made-precise kept-from-record; do
  case $counter in converted) continue ;; esac
  expect_err "$counter: "
done
python3 "$TM_SOURCE_DIR/plugins/clean/tests/check_gold.py" "$FIX/articles.gold.json" "$WORK/a.jsonl"

run_tm 0 run "$CONFIG" -i "$FIX/articles" -o "$WORK/b.jsonl" -j 3
cmp "$WORK/a.jsonl" "$WORK/b.jsonl" || fail "the output depends on the number of workers"

# Cleaning is idempotent: the output read back in comes out unchanged.
run_tm 0 run "$CONFIG" -i "$WORK/a.jsonl" -o "$WORK/c.jsonl"
cmp "$WORK/a.jsonl" "$WORK/c.jsonl" || { diff "$WORK/a.jsonl" "$WORK/c.jsonl" | head -20; fail "a second run changed the output"; }
echo ok
