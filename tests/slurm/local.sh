# The three phases of a sharded run, without Slurm: `textmill slurm
# --dry-run` writes the job scripts, run-local.sh runs them with bash. For
# 3 and 4 shards, and several keep/action settings, the shards' outputs
# concatenated are byte for byte one unsharded run's output, and the merge's
# list names the same clusters as the single run.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$(dirname "$0")/lib.bash"
make_corpus "$WORK/corpus.jsonl" 3000
config news <<EOF2
input: {paths: [corpus.jsonl]}
stages:
  - {type: filter.length, min_chars: 100}
  - {type: dedup.minhash}
  - {type: filter.length, max_chars: 1400}
outputs: [{type: output.jsonl, path: results/news.jsonl}]
rejects: results/rejects.jsonl
EOF2
for n in 3 4; do
  for variant in "first drop" "longest mark" "newest drop"; do
    set -- $variant
    sets=(--set "stages.1.keep=$1" --set "stages.1.action=$2")
    run_tm 0 run "$WORK/news.yaml" "${sets[@]}" -o "$WORK/single.jsonl"
    w=$WORK/run-$n-$1-$2
    run_tm 0 slurm "$WORK/news.yaml" --shards "$n" -w "$w" --dry-run "${sets[@]}"
    PARALLEL=2 bash "$w/jobs/run-local.sh" >"$WORK/local.out" 2>&1 || { cat "$WORK/local.out"; fail "run-local.sh ($n shards, $variant)"; }
    cat_outputs "$w" news.jsonl >"$WORK/sharded.jsonl"
    cmp "$WORK/single.jsonl" "$WORK/sharded.jsonl" || fail "$n shards, keep $1, action $2: differs from one run"
  done
done
# the clusters: the merge's list against the single run's marks
run_tm 0 run "$WORK/news.yaml" --set stages.1.action=mark -o "$WORK/marked.jsonl"
python3 - "$WORK/marked.jsonl" "$WORK/run-4-first-drop/global/stages.1/drop.tsv" "$WORK/run-4-first-drop/stats/merge.json" <<'PY'
import json, sys
single = {}
for l in open(sys.argv[1]):
    d = json.loads(l)
    m = d.get("meta", {}).get("dedup")
    if m:
        single.setdefault(d["id"], []).append(m)
listed = {}
for l in open(sys.argv[2]):
    i, reason, mark = l.rstrip("\n").split("\t")
    assert reason == "duplicate-of:" + json.loads(mark)["duplicate_of"], l
    listed.setdefault(i, []).append(json.loads(mark))
assert listed == single, (len(listed), len(single))
late = [i for i in listed if "-late" in i or "-cut" in i]
assert len(late) >= 40, f"only {len(late)} planted duplicates found"
stats = json.load(open(sys.argv[3]))["counters"]
assert stats["duplicates"] == sum(len(v) for v in listed.values())
print(f"{stats['documents']} signatures, {stats['duplicates']} duplicates, {len(late)} planted across cuts")
PY
# every phase wrote its files whole: no temporary files left behind
left=$(find "$WORK"/run-* -name '.*tmp*' | head -3)
[ -z "$left" ] || fail "temporary files left: $left"

# a failed shard: re-running what is not done completes the run
w=$WORK/fail
cp "$WORK/corpus.jsonl" "$WORK/good.jsonl"
python3 - "$WORK/corpus.jsonl" <<'PY'
import sys
p = sys.argv[1]; data = open(p, "rb").read()
start = data.rfind(b"\n", 0, len(data) * 5 // 8) + 1   # inside shard 2 of 4
end = data.index(b"\n", start)
open(p, "wb").write(data[:end - 1] + b" " + data[end:])  # same length, no closing brace
PY
run_tm 0 slurm "$WORK/news.yaml" --shards 4 -w "$w" --dry-run --set on_error=fail
if bash "$w/jobs/run-local.sh" >"$WORK/local.out" 2>&1; then fail "a broken shard did not fail"; fi
grep -q "phase 1, shard 2 failed" "$WORK/local.out" || { cat "$WORK/local.out"; fail "the failed shard is not named"; }
grep -q "malformed JSON" "$w/logs/phase1-00002.log" || fail "the shard's log lacks the cause"
cp "$WORK/good.jsonl" "$WORK/corpus.jsonl"
bash "$w/jobs/run-local.sh" >"$WORK/local.out" 2>&1 || { cat "$WORK/local.out"; fail "the re-run failed"; }
grep -q "phase 1, shard 0" "$WORK/local.out" && fail "the re-run ran a shard that was done"
run_tm 0 run "$WORK/news.yaml" --set on_error=fail -o "$WORK/single.jsonl"
cat_outputs "$w" news.jsonl | cmp - "$WORK/single.jsonl" || fail "the resumed run differs from one run"
# the same command again: nothing to do
run_tm 0 slurm "$WORK/news.yaml" --shards 4 -w "$w" --set on_error=fail
expect_err "everything in $w is done already"
echo ok
