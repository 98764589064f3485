# Positions inside a UTF-8 character: a regex init there is an error, not
# a crash, and a rule pack with patterns that match the empty string steps
# over whole characters (it retried at start + 1 and crashed the JIT).
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
L=$TM_SOURCE_DIR/tests/lua

for text in "Đà Nẵng" "â" "Ở Hà Nội, ngày 2/9 " "ẵ"; do
  run_tm 0 try "$L/positions.lua" --json --text "$text"
  expect_out '"positions":"ok"'
done
# The same through a run: nothing rejected.
printf '%s\n' '{"id":"1","text":"Đà Nẵng"}' '{"id":"2","text":"  Quảng Ngãi  "}' >"$WORK/in.jsonl"
config run <<EOF2
input: {paths: [in.jsonl]}
stages: [{type: lua, script: $L/positions.lua}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 0 run "$WORK/run.yaml"
check_accounting 2 2 0 0
echo ok
