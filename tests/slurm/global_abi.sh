# The global phase as the host offers it, without a cluster: the loader
# refuses a global stage without merge() or on every worker; run --global
# and textmill merge check what they are given; a merge without a shard's
# files, and an apply over a file its list was not made for, fail with a
# message naming the file, instead of deciding wrong.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
P=$TM_BUILD_DIR/test-plugins
run_tm 2 plugins --plugin-path "$P/global_no_merge.so"
expect_err "stage type 0 is TM_STAGE_GLOBAL without merge()"
run_tm 2 plugins --plugin-path "$P/global_parallel.so"
expect_err "is TM_STAGE_GLOBAL, which only a serial stage can be"

printf '{"id":"a","text":"one two three four five six"}\n{"id":"b","text":"one two three four five six"}\n' >"$WORK/in.jsonl"
config p <<EOF2
input: {paths: [in.jsonl]}
stages: [{type: filter.length}, {type: dedup.exact}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 2 run "$WORK/p.yaml" --global collect:stages.1:0/2
expect_err "--global expects collect|apply:STAGE:I/N:DIR"
run_tm 2 run "$WORK/p.yaml" --global collect:stages.1:2/2:"$WORK/g"
expect_err "--global expects"
run_tm 2 run "$WORK/p.yaml" --global collect:stages.0:0/2:"$WORK/g"
expect_err "stages.0 (filter.length) has no global phase"
run_tm 2 run "$WORK/p.yaml" --global collect:stages.1:0/2:"$WORK/g" --global apply:stages.1:0/2:"$WORK/g"
expect_err "--global names stages.1 twice"
run_tm 2 merge "$WORK/p.yaml" --stage stages.0 --shards 2 --dir "$WORK/g"
expect_err "stages.0 (filter.length) has no global phase"
run_tm 2 merge "$WORK/p.yaml" --stage stages.1 --dir "$WORK/g"
expect_err "--stage, --shards and --dir are needed"

# collect both shards by hand; the merge finds b a duplicate of a
run_tm 0 run "$WORK/p.yaml" --shard 0/2 --global collect:stages.1:0/2:"$WORK/g" -o "$WORK/s0.jsonl"
run_tm 1 merge "$WORK/p.yaml" --stage stages.1 --shards 2 --dir "$WORK/g"
expect_err "$WORK/g/shard-00001.exact: missing (shard 1 has not finished its collect phase)"
run_tm 0 run "$WORK/p.yaml" --shard 1/2 --global collect:stages.1:1/2:"$WORK/g" -o "$WORK/s1.jsonl"
run_tm 0 merge "$WORK/p.yaml" --stage stages.1 --shards 2 --dir "$WORK/g" --summary-json "$WORK/merge.json"
expect_err "documents 2, duplicates 1"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["counters"]=={"documents":2,"duplicates":1}, d' "$WORK/merge.json"
run_tm 0 run "$WORK/p.yaml" -i "$WORK/s1.jsonl" --global apply:stages.1:1/2:"$WORK/g" -o "$WORK/o1.jsonl"
[ ! -s "$WORK/o1.jsonl" ] || fail "the duplicate was kept"
# the list of shard 1 over shard 0's file: another document at its line
run_tm 1 run "$WORK/p.yaml" -i "$WORK/s0.jsonl" --global apply:stages.1:1/2:"$WORK/g" -o "$WORK/bad.jsonl"
expect_err "drop-00001.tsv:1: the merge decided on document b at line 1 of this shard, but the document there is a"
echo ok
