# textmill report: the page of several runs' outputs and summaries, such as
# the shards of a run, is the page of one run over the same documents, but
# for the times; and it refuses summaries of another pipeline.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$TM_SOURCE_DIR/tests/fixtures/outputs/lib.bash"

STAGES="stages=[{type: lua, script: $FIX/entities.lua}, {type: filter.length, min_chars: 1500},
  {type: lua, script: $FIX/drop_ids.lua, options: {drop: {vn_laocai_20211209: 'duplicate-of:vn_caobang_20231204'}}}]"
outputs() { echo "outputs=[{type: output.jsonl, path: $WORK/$1.jsonl}, {type: output.report, path: $WORK/$1.html, top: 4}]"; }

run_tm 0 run "$PIPE" -j 2 --set "$STAGES" --set "$(outputs one)" --summary-json "$WORK/one.json"
for i in 0 1 2; do
  run_tm 0 run "$PIPE" -j 2 --shard "$i/3" --set "$STAGES" --set "$(outputs "shard$i")" \
    --summary-json "$WORK/shard$i.json"
done
run_tm 0 report -o "$WORK/all.html" --set top=4 --summary "$WORK/shard0.json" --summary "$WORK/shard[12].json" \
  "$WORK/shard0.jsonl" "$WORK/shard1.jsonl" "$WORK/shard2.jsonl"
expect_err "textmill report: wrote $WORK/all.html from 3 run summaries"

# Byte for byte, once the times are taken out: the header line (when,
# how long, and the config's hash, which counts the --set paths) and the
# seconds of each stage.
python3 - "$WORK/one.html" "$WORK/all.html" "$WORK/shard0.html" <<'PY'
import re, sys
def page(path):
    html = open(path, encoding="utf-8").read()
    html = re.sub(r'<p class="meta">.*?</p>', "", html, flags=re.S)
    return re.sub(r'<td class="num">\d+\.\d{3}</td>', "", html)
one, combined, shard = (page(p) for p in sys.argv[1:])
assert one == combined, "the combined page differs:\n" + "\n".join(
    f"{a!r}\n{b!r}" for a, b in zip(one.splitlines(), combined.splitlines()) if a != b)
assert one != shard, "a shard's page is the whole run's: the shards are not shards"
for attr in ('data-metric="read"', 'data-cluster=', 'data-reason="too-short"', 'data-reason="duplicate-of"'):
    assert attr in one, attr
PY
grep -q ' · 3 runs · ' "$WORK/all.html" || fail "the header does not say the page adds up 3 runs"

# Summaries of another pipeline, a missing one, no outputs.
run_tm 0 run "$PIPE" -o "$WORK/other.jsonl" --summary-json "$WORK/other.json"
run_tm 1 report -o "$WORK/x.html" --summary "$WORK/shard0.json" --summary "$WORK/other.json" "$WORK/other.jsonl"
expect_err "$WORK/other.json has other stages than $WORK/shard0.json: its stage 3 is outputs.0 (output.jsonl), there stages.1 (filter.length)"
[ ! -e "$WORK/x.html" ] || fail "a page was written for runs that cannot be added up"
run_tm 1 report -o "$WORK/x.html" --summary "$WORK/nothing.json" "$WORK/other.jsonl"
expect_err "cannot read the run summary $WORK/nothing.json: No such file or directory"
run_tm 2 report -o "$WORK/x.html"
expect_err "give the runs' OUTPUT files"
run_tm 2 report -o "$WORK/x.html" --set top=0 "$WORK/other.jsonl"
expect_err "top must be between 1 and 1000"
echo ok
