# Options that fill a settings struct, through the real CLI: the values a
# stage finds in its struct, bounds checked before anything runs, a read
# of an undeclared name, and a plugin built before settings structs.
. "$(dirname "$0")/lib.bash"
PLUGINS=$TM_BUILD_DIR/test-plugins
printf '{"id":"a","text":"one"}\n' >"$WORK/in.jsonl"

config settings <<EOF
plugin_path: [$PLUGINS/settings.so, $PLUGINS/old_abi.so]
input: {paths: [in.jsonl]}
stages:
  - type: test.settings
    name: bob
    file: sub/f.txt
    count: 10
    flag: yes
    mode: off
    tags: [x, y]
    extra: {on: yes, n: 3, quoted: 'yes', list: [1, no]}
  - {type: test.old_abi, times: -40}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF
run_tm 0 run "$WORK/settings.yaml" -q
python3 - "$WORK/out.jsonl" "$WORK" <<'PY'
import json, sys
doc = json.loads(open(sys.argv[1]).readline())
s = doc["meta"]["settings"]
want = {"name": "bob", "file": sys.argv[2] + "/sub/f.txt", "count": 10, "ratio": 0.5, "flag": 1,
        "mode": 2, "tags": 2, "last_tag": "y",
        "extra": {"on": True, "n": 3, "quoted": "yes", "list": [1, False]}}
assert s == want, s
# The old plugin reads by name, with its default, and has no bounds.
assert doc["meta"]["old_word"] == "hello" and doc["meta"]["old_times"] == -40, doc["meta"]
PY

# Bounds: `check` refuses before any stage starts, naming the place.
sed 's/count: 10/count: 0/' "$WORK/settings.yaml" >"$WORK/zero.yaml"
run_tm 2 check "$WORK/zero.yaml"
expect_err "zero.yaml:7:12: count must be between 1 and 10, not 0"
run_tm 2 check "$WORK/settings.yaml" --set stages.0.count=11
expect_err "--set stages.0.count: count must be between 1 and 10, not 11"
run_tm 2 check "$WORK/settings.yaml" --set stages.0.ratio=-0.1
expect_err "--set stages.0.ratio: ratio must be between 0 and 1, not -0.1"

# A stage reading a name its table lacks cannot start.
run_tm 1 run "$WORK/settings.yaml" --set 'stages=[{type: test.misread}]'
expect_err "stages.0 (test.misread, --set stages): cannot start: it reads option 'nmae', which its option table does not declare; did you mean 'name'?"
# The summary of that run still names the stages that never started.
expect_err "  output.jsonl "
if grep -q '(null)' "$WORK/err"; then fail "a stage that never started has no name in the summary"; fi
