# max_memory_mb counts the C memory a script takes through the module's
# objects (compiled regexes, gazetteers), not only Lua's: 20,000 regexes
# kept in one document took ~100 MB under a 32 MB limit and were accepted.
# The document is rejected, its memory given back, and the next one runs.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
printf '%s\n' '{"id":"1","text":"fine"}' '{"id":"2","text":"regexes"}' '{"id":"3","text":"gazetteers"}' \
  '{"id":"4","text":"fine"}' '{"id":"5","text":"regexes"}' '{"id":"6","text":"fine"}' >"$WORK/in.jsonl"
config mem <<EOF2
input: {paths: [in.jsonl]}
stages: [{type: lua, script: $TM_SOURCE_DIR/tests/lua/c_memory.lua, max_memory_mb: 32}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
timeout -k 5 120 "$TEXTMILL" run "$WORK/mem.yaml" -j 1 >"$WORK/out" 2>"$WORK/err" || [ $? = 3 ] || { cat "$WORK/err"; fail "exit status"; }
check_accounting 6 3 0 3
for id in 2 3 5; do
  expect_err "(id $id) at stages.0: lua-limit: document '$id' used more than max_memory_mb (32 MB) of memory"
done
[ "$(grep -c survived "$WORK/out.jsonl")" = 3 ] || fail "the documents after the rejected ones did not run"

# A search whose scratch (grown before it is counted) does not fit: the
# scratch goes with the document, and the next document is not charged
# for it (every later one was rejected). The same for a rule engine's
# table of scanned matches.
python3 -c 'import json; print(json.dumps({"id": "big", "text": "a " * 400000}))' >"$WORK/search.jsonl"
python3 -c 'import json; print(json.dumps({"id": "numbers", "text": "1 " * 400000}))' >>"$WORK/search.jsonl"
printf '%s\n' '{"id":"after","text":"a b"}' '{"id":"fine","text":"1 fine"}' >>"$WORK/search.jsonl"
timeout -k 5 120 "$TEXTMILL" run "$WORK/mem.yaml" -j 1 -i "$WORK/search.jsonl" --set stages.0.max_memory_mb=4 \
  >"$WORK/out" 2>"$WORK/err" || [ $? = 3 ] || { cat "$WORK/err"; fail "exit status"; }
check_accounting 4 2 0 2
for id in big numbers; do
  expect_err "(id $id) at stages.0: lua-limit: document '$id' used more than max_memory_mb (4 MB) of memory"
done
[ "$(grep -c survived "$WORK/out.jsonl")" = 2 ] || fail "a document after the search over budget did not run"
echo ok
