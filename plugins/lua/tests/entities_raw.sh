# The entity pack alone (no clean.normalize before it) over the real
# articles of the development corpus, as their scrapers stored them:
# nothing is rejected. Text that was not normalised keeps spaces at line
# and text ends, and a trailing space after a byline made persons.lua
# index a table with nil.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
DEV=$TM_SOURCE_DIR/../shared/corpus/dev
if ! ls "$DEV"/*.jsonl >/dev/null 2>&1; then
  echo "skip: no development corpus at ../shared/corpus/dev"
  exit 77
fi
inputs=$(ls "$DEV"/*.jsonl | grep -v '\.truth\.jsonl$' | sed 's/.*/"&"/' | paste -sd, -)
config pack <<EOF2
input: {paths: [$inputs]}
stages: [{type: lua, script: $TM_SOURCE_DIR/scripts/entities/defence_vi.lua}]
outputs: [{type: output.jsonl, path: out.jsonl}]
rejects: rejects.jsonl
EOF2
run_tm 0 run "$WORK/pack.yaml" -j 2
check_accounting '*' '*' 0 0
[ ! -s "$WORK/rejects.jsonl" ] || { head -c 2000 "$WORK/rejects.jsonl" >&2; fail "documents were rejected"; }
# No entity starts or ends with a space.
python3 - "$WORK/out.jsonl" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    for e in json.loads(line).get("entities", []):
        n += 1
        assert e["text"] == e["text"].strip(), e
assert n > 1000, n
PY
echo ok
