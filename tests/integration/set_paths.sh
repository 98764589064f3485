# Paths given with --set are relative to the current directory, like -i
# and -o (the config's own paths stay relative to the config's folder);
# a --set value that YAML reads as something else says how to quote it.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR
mkdir "$WORK/conf" "$WORK/here"
printf '{"id":"a","text":"Hà Giang tổ chức diễn tập."}\n' >"$WORK/conf/in.jsonl"
cat >"$WORK/conf/job.yaml" <<EOF2
input: {paths: [in.jsonl]}
outputs: [{type: output.jsonl, path: conf.jsonl}]
EOF2
cd "$WORK/here"
run_tm 0 run "$WORK/conf/job.yaml" -q
[ -s "$WORK/conf/conf.jsonl" ] || fail "the config's own path is not relative to its folder"
run_tm 0 run "$WORK/conf/job.yaml" -q --set outputs.0.path=set.jsonl
[ -s "$WORK/here/set.jsonl" ] || fail "--set outputs.0.path=set.jsonl did not write into the current directory"
[ ! -e "$WORK/conf/set.jsonl" ] || fail "--set path resolved against the config's folder"
run_tm 0 run "$WORK/conf/job.yaml" -q --set 'outputs=[{type: output.jsonl, path: list.jsonl}]'
[ -s "$WORK/here/list.jsonl" ] || fail "a path inside a --set list did not resolve against the current directory"
run_tm 0 check "$WORK/conf/job.yaml" --set outputs.0.path=set.jsonl
expect_out "path = $WORK/here/set.jsonl    # --set outputs.0.path"

# Messages.
run_tm 2 check "$WORK/conf/job.yaml" --set outputs.0.path=-
expect_err "--set outputs.0.path: option 'path' expects a path, not a list; --set values are YAML, so quote a text: --set 'outputs.0.path=\"-\"'"
run_tm 0 check "$WORK/conf/job.yaml" --set 'outputs.0.path="-"'
config lua <<EOF2
input: {paths: [$WORK/conf/in.jsonl]}
stages: [{type: lua, script: $SRC/docs/examples/lua/dates.lua}]
outputs: [{type: output.jsonl, path: "-"}]
EOF2
run_tm 2 check "$WORK/lua.yaml" --set stages.0.script=/dev/null
expect_err "script /dev/null is a device or another special file, not a Lua file"
run_tm 2 check "$WORK/lua.yaml" --set stages.0.script=.
expect_err "script $WORK/here/. is a folder, not a Lua file"
run_tm 2 check "$WORK/lua.yaml" --set stages.0.script=nowhere.lua
expect_err "script $WORK/here/nowhere.lua: No such file or directory"
echo ok
