# The textmill module under random arguments: tests/lua/arg_fuzz.lua calls
# each of its functions, and each method of what they make, 3,000 times a
# document with values drawn from a pool of wrong and extreme ones, under
# pcall, some from inside a rule's value() while the engine finds; and
# makes packs from rules with fields set to such values. Every document
# must come out written with its count of calls: a crash, or (in the
# sanitizer build) a memory error, fails the run. On the bundled sample,
# and on real articles when ../shared/corpus/dev is there.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
SRC=$TM_SOURCE_DIR
sample_and_dev dantri.jsonl 10
config fuzz <<EOF2
input: {paths: [$INPUTS]}
workers: 2
stages: [{type: lua, script: $SRC/tests/lua/arg_fuzz.lua, trusted: true, max_seconds: 60, options: {calls: 3000}}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 0 run "$WORK/fuzz.yaml" -q
python3 - "$WORK/out.jsonl" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(docs) >= 14, len(docs)
errors = calls = packs = reentered = 0
for d in docs:
    f = d["meta"]["arg_fuzz"]
    assert f["calls"] == 3000 and f["functions"] > 60, (d["id"], f)
    calls += f["calls"]
    errors += f["errors"]
    packs += f["packs"]
    reentered += f["reentered"]
assert 0 < errors < calls, (errors, calls)   # some calls fit, most do not
assert packs > 0 and reentered > 0, (packs, reentered)
print(f"{len(docs)} documents, {calls} calls ({errors} of them errors), {packs} packs made from changed rules, "
      f"{reentered} calls from inside value(): no crash")
PY
