# textmill plugins --json: every stage type on the plugin path (stages,
# outputs, input readers) with its options as JSON, and one type by name;
# the same facts as the text listing; an unknown name is an error.
. "$(dirname "$0")/lib.bash"
run_tm 0 plugins --json
cp "$WORK/out" "$WORK/all.json"
run_tm 0 plugins
cp "$WORK/out" "$WORK/all.txt"
run_tm 0 plugins filter.length --json
cp "$WORK/out" "$WORK/one.json"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
types = json.load(open(f"{w}/all.json"))
names = [t["name"] for t in types]
listed = [l.split()[0] for l in open(f"{w}/all.txt") if l.startswith("  ")]
assert names == listed, (names, listed)
kinds = {t["name"]: t["kind"] for t in types}
assert kinds["files"] == "input" and kinds["output.sqlite"] == "output" and kinds["lua"] == "stage", kinds
one = json.load(open(f"{w}/one.json"))
assert one == next(t for t in types if t["name"] == "filter.length")
opt = {o["name"]: o for o in one["options"]}
assert opt["min_chars"]["type"] == "integer" and opt["min_chars"]["min"] == 0 and opt["min_chars"]["max"] is None, opt
assert opt["min_chars"]["default"] == "1" and opt["min_chars"]["required"] is False
lua = next(t for t in types if t["name"] == "lua")
assert any(o["name"] == "script" and o["required"] and o["type"] == "path" for o in lua["options"]), lua
PY
run_tm 2 plugins filter.lenght --json
expect_err "no stage type 'filter.lenght' on the plugin path; did you mean 'filter.length'?"
echo ok
