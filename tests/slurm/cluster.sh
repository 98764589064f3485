# On a real Slurm cluster: `textmill slurm --wait` with 3 and 4 shards gives
# the kept documents (byte for byte the output) of one unsharded run, on a
# corpus with duplicates planted across the shard boundaries; arrays larger
# than --max-array are split; at the end --wait writes the report of all
# the shards. Skips (77) where no Slurm answers.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$(dirname "$0")/lib.bash"
need_slurm
make_corpus "$WORK/corpus.jsonl" 3000
config news <<EOF2
input: {paths: [corpus.jsonl]}
stages:
  - {type: filter.length, min_chars: 100}
  - {type: dedup.minhash}
  - {type: filter.length, max_chars: 1400}
outputs: [{type: output.jsonl, path: results/news.jsonl}, {type: output.report, path: results/news.html}]
EOF2
run_tm 0 run "$WORK/news.yaml" -o "$WORK/single.jsonl"
python3 - "$WORK/corpus.jsonl" "$WORK/single.jsonl" <<'PY'
import json, sys
n_in = sum(1 for _ in open(sys.argv[1])); kept = [json.loads(l)["id"] for l in open(sys.argv[2])]
assert n_in - len(kept) > 300, (n_in, len(kept))   # a corpus with duplicates to find
PY
for n in 3 4; do
  w=$WORK/run$n
  extra=(); [ "$n" = 4 ] && extra=(--max-array 3)
  start=$(date +%s)
  run_tm 0 slurm "$WORK/news.yaml" --shards "$n" -w "$w" --cpus 1 --mem 400M --time 10:00 --wait "${extra[@]}"
  echo "$n shards on Slurm: $(( $(date +%s) - start )) s"
  expect_err "textmill slurm: done: $n shards"
  expect_err "report: $w/out/news.html (all $n shards in one page)"
  grep -q " · $n runs · " "$w/out/news.html" || fail "the report of $n shards does not add up $n runs"
  cat_outputs "$w" news.jsonl | cmp - "$WORK/single.jsonl" || fail "$n shards on Slurm differ from one run"
  for ((i = 0; i < n; i++)); do
    grep -q "phase3-0000$i: job [0-9]" "$w/logs/phase3-0000$i.log" || fail "shard $i did not run as a Slurm job"
  done
done
# --max-array 3 split the 4 shards into two arrays per phase
[ "$(grep -c '^phase1 ' "$WORK/run4/jobs/submitted")" = 2 ] || { cat "$WORK/run4/jobs/submitted"; fail "the array was not split"; }
grep -q 'TM_SHARD_BASE=3' "$WORK/run4/jobs/submit.sh" || fail "the second array does not start at shard 3"
echo ok
