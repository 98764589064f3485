# The Lua stage: the API, positions on Vietnamese text, the sandbox, the
# budgets, error messages, init/finish, and try.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
SRC=$TM_SOURCE_DIR
L=$SRC/tests/lua

# The API self-test: any failed assert rejects the document (exit 3).
run_tm 0 try "$L/api_test.lua" --json --text "Ngày 24/2/2022, Bộ Quốc phòng họp tại Điện Biên."
expect_out '"api":"ok"'
python3 - "$WORK/out" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).read())
(e,) = d["entities"]
b = d["text"].encode()
# JSON stays 0-based, end exclusive, in bytes.
assert b[e["start"]:e["end"]].decode() == "Điện Biên" == e["text"], e
assert e["end"] - e["start"] == len("Điện Biên".encode()), e
assert e["value"] == "Điện Biên" and e["attrs"] == {"level": "province"} and e["rule"] == "api_test.lua", e
PY

# try marks the entities in the text and lists them.
run_tm 0 try "$L/api_test.lua" --text "Ngày 24/2/2022, Bộ Quốc phòng họp tại Điện Biên."
expect_out "[Điện Biên]PLACE"
expect_out "PLACE        49..61"

# A runtime error rejects that document only, naming id, script, line, traceback.
printf '%s\n' '{"id":"a","text":"bình thường"}' '{"id":"b","text":"có lỗi ở đây"}' \
  '{"id":"c","text":"cũng bình thường"}' >"$WORK/docs.jsonl"
config rt <<EOF2
input: {paths: [docs.jsonl]}
stages: [{type: lua, script: $L/bad_runtime.lua}]
outputs: [{type: output.jsonl, path: out.jsonl}]
rejects: rejects.jsonl
EOF2
run_tm 3 run "$WORK/rt.yaml"
check_accounting 3 2 0 1
expect_err "(id b) at stages.0: lua-error: document 'b':"
expect_err "bad_runtime.lua:5: attempt to index a nil value (local 't')"
expect_err "stack traceback:"
# A message of several lines stays readable on the terminal: its later
# lines are indented (none can pose as textmill's own), tabs are kept.
grep -qx '    stack traceback:' "$WORK/err" || fail "the traceback's lines are not indented"
grep -q "^    	.*bad_runtime.lua:8: in function 'process'" "$WORK/err" || fail "the traceback lost its tabs"
grep -q '"reason":"lua-error: document' "$WORK/rejects.jsonl" || fail "reason not in rejects file"

# Budgets: a document that loops or hogs memory is rejected; the run goes on.
printf '%s\n' '{"id":"1","text":"fine"}' '{"id":"2","text":"loop"}' '{"id":"3","text":"hog"}' \
  '{"id":"4","text":"fine again"}' '{"id":"5","text":"stubborn"}' '{"id":"6","text":"coroutine"}' \
  >"$WORK/budget.jsonl"
config budget <<EOF2
input: {paths: [budget.jsonl]}
stages: [{type: lua, script: $L/runaway.lua, max_instructions: 1000000, max_memory_mb: 16, max_seconds: 0}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 3 run "$WORK/budget.yaml" -j 2
check_accounting 6 2 0 4
expect_err "(id 2) at stages.0: lua-limit: document '2': "
expect_err "instruction limit exceeded (max_instructions: 1000000 per document)"
# caught with pcall, or inside a coroutine: still stopped
expect_err "(id 5) at stages.0: lua-limit: document '5': instruction limit exceeded"
expect_err "(id 6) at stages.0: lua-limit: document '6': "
expect_err "runaway.lua:4: in function 'process'"
expect_err "(id 3) at stages.0: lua-limit: document '3' used more than max_memory_mb (16 MB)"
[ "$(grep -c survived "$WORK/out.jsonl")" = 2 ] || fail "documents after the runaway ones were not processed"

# max_seconds stops a runaway with no per-instruction cost (a watchdog
# thread and a signal). Only "a runaway is stopped" is checked, never how
# fast; `timeout` turns a hang into a failure instead of a stuck suite.
printf '#!/bin/sh\nexec timeout -k 5 300 "%s" "$@"\n' "$TEXTMILL" >"$WORK/bounded"
chmod +x "$WORK/bounded"
TEXTMILL_PLAIN=$TEXTMILL TEXTMILL=$WORK/bounded
printf '%s\n' '{"id":"1","text":"fine"}' '{"id":"2","text":"loop"}' '{"id":"3","text":"stubborn"}' \
  '{"id":"4","text":"fine again"}' '{"id":"5","text":"coroutine"}' >"$WORK/slow.jsonl"
for j in 1 2; do
  config slow <<EOF2
input: {paths: [slow.jsonl]}
stages: [{type: lua, script: $L/runaway.lua, max_seconds: 0.3}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
  run_tm 3 run "$WORK/slow.yaml" -j $j
  check_accounting 5 2 0 3
  expect_err "(id 2) at stages.0: lua-limit: document '2': time limit exceeded (max_seconds: 0.3 per document)"
  expect_err "(id 3) at stages.0: lua-limit: document '3': time limit exceeded (max_seconds: 0.3 per document)"
  expect_err "(id 5) at stages.0: lua-limit: document '5': time limit exceeded (max_seconds: 0.3 per document)"
  expect_err "runaway.lua:4: in function 'process'"
  [ "$(grep -c survived "$WORK/out.jsonl")" = 2 ] || fail "-j $j: documents around the runaways were not processed"
done
# Both limits at once: whichever runs out first rejects the document.
config both <<EOF2
input: {paths: [slow.jsonl]}
stages: [{type: lua, script: $L/runaway.lua, max_seconds: 0.3, max_instructions: 1000000}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 3 run "$WORK/both.yaml" -j 2
check_accounting 5 2 0 3
expect_err "(id 2) at stages.0: lua-limit: document '2': "
# Another library holds SIGURG: the stage says so once and checks the
# clock in a count hook instead, and runaways are still stopped.
config taken <<EOF2
input: {paths: [slow.jsonl]}
plugin_path: [$TM_BUILD_DIR/test-plugins/faulty.so]
stages: [{type: test.take_sigurg}, {type: lua, script: $L/runaway.lua, max_seconds: 0.3}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 3 run "$WORK/taken.yaml" -j 2
check_accounting 5 2 0 3
expect_err "SIGURG already has a handler in this process; max_seconds is checked every 1000 Lua instructions instead"
[ "$(grep -c "already has a handler" "$WORK/err")" = 1 ] || fail "the fallback was reported more than once"
expect_err "(id 2) at stages.1: lua-limit: document '2': time limit exceeded (max_seconds: 0.3 per document)"
expect_err "(id 3) at stages.1: lua-limit: document '3': time limit exceeded (max_seconds: 0.3 per document)"
expect_err "(id 5) at stages.1: lua-limit: document '5': "
# Many quick documents with a tiny limit, runaways among them, two workers
# and two Lua stages: the runaways are stopped, and nothing else goes wrong
# (a quick document on a very loaded machine may also run out of time, so
# that is allowed, but only as a time limit).
python3 - "$WORK/many.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(600):
        text = "loop" if i in (100, 350, 599) else "quick %d" % i
        f.write(json.dumps({"id": str(i), "text": text}) + "\n")
PY
config many <<EOF2
input: {paths: [many.jsonl]}
stages:
  - {type: lua, script: $L/lifecycle.lua, max_seconds: 0.05}
  - {type: lua, script: $L/runaway.lua, max_seconds: 0.05}
outputs: [{type: output.jsonl, path: out.jsonl}]
rejects: rejects.jsonl
EOF2
run_tm 3 run "$WORK/many.yaml" -j 2
check_accounting 600 '*' '*' '*'
python3 - "$WORK/rejects.jsonl" <<'PY'
import json, sys
rej = [json.loads(l) for l in open(sys.argv[1])]
ids = {r["id"] for r in rej}
assert {"100", "350", "599"} <= ids, ids
for r in rej:
    assert "time limit exceeded (max_seconds: 0.05 per document)" in r["reason"], r
PY
TEXTMILL=$TEXTMILL_PLAIN

# A syntax error fails check with SCRIPT:LINE.
config syntax <<EOF2
input: {paths: [docs.jsonl]}
stages: [{type: lua, script: $L/syntax_error.lua}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 2 check "$WORK/syntax.yaml"
expect_err "syntax_error.lua:2: unexpected symbol near '='"
run_tm 1 run "$WORK/syntax.yaml"
expect_err "cannot start"

# init gets the options with their YAML types; finish runs once per state.
printf '%s\n' '{"id":"x","text":"giữ"}' '{"id":"y","text":"drop me"}' >"$WORK/life.jsonl"
config life <<EOF2
input: {paths: [life.jsonl]}
stages:
  - type: lua
    script: $L/lifecycle.lua
    options: {year: 2022, name: "Điện Biên", flag: true}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 0 run "$WORK/life.yaml" -j 1
check_accounting 2 1 1 0
expect_err "dropped not-wanted: 1"
expect_err "lifecycle.lua: finished after 2 documents"
grep -qF '"opts":{"flag":true,"kind":"integer","name":"Điện Biên","year":2022}' "$WORK/out.jsonl" \
  || { cat "$WORK/out.jsonl"; fail "options did not reach init with their types"; }

# With several workers, the first instance's create() builds the other
# workers' states on threads of their own while it builds its own; an error
# in one of those stops the run as the first's would, and one in the first
# leaves the others to be waited for and closed. (This script's init fails
# off the main thread: it passes with one worker, fails with two or three.)
if [ -r /proc/thread-self/stat ]; then
  cat >"$WORK/main_only.lua" <<'LUA'
local function first_number(path)
  local f = assert(io.open(path))
  local n = f:read("n")
  f:close()
  return n
end
function init()
  if first_number("/proc/thread-self/stat") ~= first_number("/proc/self/stat") then
    error("init ran off the main thread")
  end
end
function process(doc) end
LUA
  config main_only <<EOF2
input: {paths: [life.jsonl]}
stages: [{type: lua, script: main_only.lua, trusted: true}]
outputs: [{type: output.jsonl, path: main_only.jsonl}]
EOF2
  run_tm 0 run "$WORK/main_only.yaml" -j 1 -q
  for j in 2 3; do
    run_tm 1 run "$WORK/main_only.yaml" -j $j -q
    expect_err "stages.0 (lua, "
    expect_err "cannot start: lua-error: init(options): "
    expect_err "main_only.lua:9: init ran off the main thread"
  done
else
  echo "skipped: no /proc/thread-self to tell the main thread"
fi
run_tm 1 run "$WORK/syntax.yaml" -j 3
expect_err "syntax_error.lua:2: unexpected symbol near '='"

# Scalars in options: are typed as the host types every YAML scalar: yes, on
# and True are booleans as true is (fix_case: yes is too); quoted, a string.
cat >"$WORK/typed.lua" <<'LUA'
local opts
function init(o) opts = o end
function process(doc)
  local kinds = {}
  for k, v in pairs(opts) do kinds[k] = math.type(v) or type(v) end
  doc:set_field("opts", opts)
  doc:set_field("kinds", kinds)
end
LUA
config typed <<EOF2
input: {paths: [life.jsonl]}
stages:
  - type: lua
    script: typed.lua
    options: {flag: yes, off: no, on: On, big: True, n: 3, x: 2.5, quoted: 'yes', word: maybe, list: [yes, 1]}
outputs: [{type: output.jsonl, path: typed.jsonl}]
EOF2
run_tm 0 run "$WORK/typed.yaml" -q
python3 - "$WORK/typed.jsonl" <<'PY'
import json, sys
meta = json.loads(open(sys.argv[1]).readline())["meta"]
want = {"flag": True, "off": False, "on": True, "big": True, "n": 3, "x": 2.5, "quoted": "yes", "word": "maybe",
        "list": [True, 1]}
assert meta["opts"] == want, meta["opts"]
assert meta["kinds"]["n"] == "integer" and meta["kinds"]["x"] == "float", meta["kinds"]
assert meta["kinds"]["flag"] == "boolean" and meta["kinds"]["quoted"] == "string", meta["kinds"]
PY

# A NUL inside a field name, entity type or rule would be cut on the C side,
# so "k\0a" and "k\0b" would become one field: such a call is an error.
cat >"$WORK/nul.lua" <<'LUA'
function process(doc)
  local what = doc.text
  if what == "field" then doc:set_field("k\0a", 1)
  elseif what == "get" then doc:field("k\0a")
  elseif what == "type" then doc:add_entity{type = "T\0X", start = 1, stop = 3}
  elseif what == "rule" then doc:add_entity{type = "T", start = 1, stop = 3, rule = "r\0x"}
  else doc:set_field("k", 1) end
end
LUA
printf '%s\n' '{"id":"1","text":"field"}' '{"id":"2","text":"get"}' '{"id":"3","text":"type"}' \
  '{"id":"4","text":"rule"}' '{"id":"5","text":"fine"}' >"$WORK/nul.jsonl"
config nul <<EOF2
input: {paths: [nul.jsonl]}
stages: [{type: lua, script: nul.lua}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 3 run "$WORK/nul.yaml"
check_accounting 5 1 0 4
expect_err "(id 1) at stages.0: lua-error: document '1': $WORK/nul.lua:3: set_field: the name holds a NUL character"
expect_err "nul.lua:4: field: the name holds a NUL character"
expect_err "nul.lua:5: add_entity: type holds a NUL character"
expect_err "nul.lua:6: add_entity: rule holds a NUL character"

# The sandbox can be lifted for a trusted script.
run_tm 0 try "$L/trusted.lua" --json --text "x"; expect_out '"has_io":false'
run_tm 0 try "$L/trusted.lua" --json --text "x" --set stages.0.trusted=true; expect_out '"has_io":true'

# A bad regex pattern names the pattern and the offset.
printf 'local r = textmill.regex("[a-")\nfunction process(doc) end\n' >"$WORK/badre.lua"
run_tm 2 try "$WORK/badre.lua" --text x
expect_err 'bad pattern "[a-" at offset 3'
# The conversion example of docs/lua-api.md: Lua 11..19 is JSON 10..19.
run_tm 0 try "$SRC/docs/examples/lua/dates.lua" --json --text "Sáng nay 24/2/2022"
expect_out '"text":"24/2/2022","start":10,"end":19'
# doc:add_entities(list, {sort = true}): the order textmill.sort_spans gives.
run_tm 0 try "$L/add_in_order.lua" --json --text "Ông Lò Văn Mừng về Điện Biên ngày 2/9."
expect_out '"add_in_order":"ok"'
# rules.attach and rules.extend: what a walk of the list for each entity gives.
run_tm 0 try "$L/builtin_ops.lua" --json --text "x"
expect_out '"builtin_ops":"ok"'
echo ok
