# Global deduplication for all three dedup stages, without a cluster: the
# job scripts `textmill slurm --dry-run` plans, run by hand one phase after
# another (each shard's task, then each merge, with bash), give byte for byte
# the documents and marks of one unsharded run. Running the shards without
# the global phases (textmill run --shard) gives something else, so the
# comparison can fail.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$(dirname "$0")/lib.bash"
make_corpus "$WORK/corpus.jsonl" 2000
add_copies "$WORK/corpus.jsonl"

by_hand() {  # by_hand WORK: every phase of the plan, in order, with bash
  local jobs=$1/jobs name i
  . "$jobs/settings.sh"
  for name in "${PHASES[@]}"; do
    if [[ $name == phase* ]]; then
      for ((i = 0; i < N; i++)); do bash "$jobs/$name.sh" "$i" || { cat "$1/logs/$name-$(printf %05d "$i").log"; fail "$name, shard $i"; }; done
    else
      bash "$jobs/$name.sh" || { cat "$1/logs/$name.log"; fail "$name"; }
    fi
  done
}

for action in drop mark; do
  global_config news "$action"
  run_tm 0 run "$WORK/news.yaml" -o "$WORK/single.jsonl"
  expect_dedup_work
  for n in 3 4; do
    w=$WORK/$action-$n
    run_tm 0 slurm "$WORK/news.yaml" --shards "$n" -w "$w" --dry-run
    grep -q '^PHASES=(phase1 merge2 phase3 merge4 phase5 merge6 phase7)' "$w/jobs/settings.sh" || fail "not seven phases"
    by_hand "$w"
    cat_outputs "$w" news.jsonl | cmp - "$WORK/single.jsonl" || fail "$n shards, action $action: differ from one run"
  done
  # without the global phases, the shards decide alone: not one run
  for i in 0 1 2; do run_tm 0 run "$WORK/news.yaml" --shard "$i/3" -o "$WORK/naive-$i.jsonl"; done
  cat "$WORK"/naive-{0,1,2}.jsonl | cmp -s - "$WORK/single.jsonl" && fail "shards without global phases match one run: the test proves nothing"
done

# each stage alone, as its own one global phase: three phases
for stage in "dedup.exact, action: mark" "dedup.paragraph, min_docs: 2" "dedup.minhash, keep: newest, action: mark"; do
  config alone <<EOF2
input: {paths: [corpus.jsonl]}
stages: [{type: $stage}]
outputs: [{type: output.jsonl, path: results/alone.jsonl}]
EOF2
  run_tm 0 run "$WORK/alone.yaml" -o "$WORK/single.jsonl"
  w=$WORK/alone-${stage%%,*}
  run_tm 0 slurm "$WORK/alone.yaml" --shards 4 -w "$w" --dry-run
  by_hand "$w"
  cat_outputs "$w" alone.jsonl | cmp - "$WORK/single.jsonl" || fail "$stage alone, 4 shards: differs from one run"
done
left=$(find "$WORK" -name '.*tmp*' | head -3)
[ -z "$left" ] || fail "temporary files left: $left"
echo ok
