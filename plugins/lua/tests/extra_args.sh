# Every C function of the Lua API called with three nils after its own
# arguments (tests/lua/extra_args.lua wraps them) gives the entity pack's
# output unchanged: on the bundled sample, and on real articles when
# ../shared/corpus/dev is beside the checkout. A function that pushed at a
# fixed stack index wrote into an extra argument's slot (a crash).
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
SRC=$TM_SOURCE_DIR
PACK=$SRC/scripts/entities/defence_vi.lua
sample_and_dev baomoi_defence.jsonl 300
for how in plain nils; do
  if [ $how = plain ]; then
    stage="{type: lua, script: $PACK, options: {gazetteers: $SRC/config/gazetteers}}"
  else
    stage="{type: lua, script: $SRC/tests/lua/extra_args.lua, trusted: true,
             options: {script: $PACK, gazetteers: $SRC/config/gazetteers}}"
  fi
  config $how <<EOF2
input: {paths: [$INPUTS]}
workers: 1
stages: [$stage]
outputs: [{type: output.jsonl, path: $how.jsonl}]
EOF2
  run_tm 0 run "$WORK/$how.yaml" -q
done
python3 - "$WORK/plain.jsonl" "$WORK/nils.jsonl" <<'PY'
import json, sys
plain, nils = ([json.loads(l) for l in open(p, encoding="utf-8")] for p in sys.argv[1:])
assert len(plain) == len(nils) and len(plain) >= 10, (len(plain), len(nils))
entities = sum(len(d.get("entities", [])) for d in plain)
assert entities > 100, entities
for a, b in zip(plain, nils):
    assert a == b, a["id"]
print(f"{len(plain)} documents, {entities} entities: the same with three nils after every C call's arguments")
PY
