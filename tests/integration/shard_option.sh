# --shard I/N is read strictly: digits only, no number that wraps around,
# 0 <= I < N. Before, 0/4294967297 wrapped to 0/1 and read everything.
. "$(dirname "$0")/lib.bash"

printf '{"id":"a","text":"Quân khu 5"}\n{"id":"b","text":"Quân khu 7"}\n' >"$WORK/in.jsonl"
config shard <<EOF2
input: {paths: [in.jsonl]}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
for bad in 0/4294967297 4294967296/4294967297 0/18446744073709551617 -1/4 +0/4 ' 0/4' '0/4 ' 0/0 4/4 \
           5/4 1 0/ /4 0//4 0/4/8 0x1/4 1e0/4 0.0/4 '０/4' ''; do
  run_tm 2 run "$WORK/shard.yaml" --shard "$bad"
  expect_err "--shard expects I/N with 0 <= I < N <= 4294967295, digits only, e.g. --shard 0/4, not '$bad'"
  [ ! -e "$WORK/out.jsonl" ] || fail "--shard '$bad' ran"
done

# Good ones: the whole range, leading zeros, N = 1 (everything).
run_tm 0 check "$WORK/shard.yaml" --shard 4294967294/4294967295
expect_out "shard: 4294967294/4294967295"
run_tm 0 run "$WORK/shard.yaml" --shard 0/1
check_accounting 2 2 0 0
run_tm 0 run "$WORK/shard.yaml" --shard 01/002
check_accounting 1 1 0 0
echo ok
