# On a real Slurm cluster: a pipeline with all three dedup stages
# (dedup.exact, dedup.paragraph, dedup.minhash) run by `textmill slurm
# --wait` in 3 and 4 shards keeps byte for byte the documents and marks of
# one unsharded run: each stage collects, merges and applies in turn (seven
# phases). Skips (77) where no Slurm answers.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$(dirname "$0")/lib.bash"
need_slurm
make_corpus "$WORK/corpus.jsonl" 2000
add_copies "$WORK/corpus.jsonl"
for variant in "drop 3" "mark 4"; do
  set -- $variant
  global_config news "$1"
  run_tm 0 run "$WORK/news.yaml" -o "$WORK/single.jsonl"
  expect_dedup_work
  w=$WORK/run-$1-$2
  start=$(date +%s)
  run_tm 0 slurm "$WORK/news.yaml" --shards "$2" -w "$w" --cpus 1 --mem 400M --time 10:00 --wait
  echo "$2 shards, action $1, on Slurm: $(( $(date +%s) - start )) s"
  expect_err "textmill slurm: done: $2 shards, $(wc -l <"$WORK/corpus.jsonl") documents read, $(wc -l <"$WORK/single.jsonl") written"
  expect_err "7 outputs"
  cat_outputs "$w" news.jsonl | cmp - "$WORK/single.jsonl" || fail "$2 shards, action $1, on Slurm: differ from one run"
  for name in merge2 merge4 merge6; do
    grep -q "$name: job [0-9]" "$w/logs/$name.log" || fail "$name did not run as a Slurm job"
  done
done
echo ok
