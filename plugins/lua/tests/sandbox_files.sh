# A sandboxed script opens files (gazetteers, modules) only under the
# script's folder, the config's, the rule library's and the project's
# gazetteers, after resolving symlinks and "..": it could read any file,
# confirm a guessed line by a match, and an error quoted the content.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
mkdir -p "$WORK/scripts/sub" "$WORK/conf" "$WORK/outside"
cp "$TM_SOURCE_DIR/tests/lua/open_file.lua" "$WORK/scripts/"
printf 'TOPSECRET\tnot=key=value\tx\tNOTKV\n' >"$WORK/outside/secret.tsv"
printf 'TOPSECRET = = 1\n' >"$WORK/outside/secret.lua"
printf 'Hà Nội\tPLACE\n' >"$WORK/scripts/sub/here.tsv"
printf 'Huế\tPLACE\n' >"$WORK/conf/conf.tsv"
printf 'Vinh\tPLACE\n' >"$WORK/outside/fine.tsv"
ln -s "$WORK/outside/secret.tsv" "$WORK/scripts/link.tsv"
ln -s "$WORK/outside/fine.tsv" "$WORK/scripts/fine.tsv"
ln -s "$WORK/outside" "$WORK/scripts/dirlink"
ln -s "$WORK/outside/secret.lua" "$WORK/scripts/evil.lua"
printf '{"id":"1","text":"x"}\n' >"$WORK/one.jsonl"

# opened KEY VALUE [trusted]: run the probe with options {KEY: VALUE}.
opened() {
  cat >"$WORK/conf/probe.yaml" <<EOF2
input: {paths: [$WORK/one.jsonl]}
stages: [{type: lua, script: ../scripts/open_file.lua, trusted: ${3:-false}, options: {$1: "$2"}}]
outputs: [{type: output.jsonl, path: $WORK/out.jsonl}]
EOF2
  run_tm 0 run "$WORK/conf/probe.yaml" -q
  python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read())["meta"]["opened"])' "$WORK/out.jsonl"
}
refused() {
  local got; got=$(opened "$@")
  case $got in *"is outside the folders a sandboxed script may read"*) ;; *) fail "$1 $2: not refused: $got";; esac
  case $got in *TOPSECRET*|*NOTKV*) fail "$1 $2: the message quotes the file: $got";; esac
}
allowed() {
  local got; got=$(opened "$@")
  case $got in "ok "*) ;; *) fail "$1 $2: refused: $got";; esac
}

refused path /etc/passwd
refused path "$WORK/outside/secret.tsv"
refused path ../outside/secret.tsv
refused path sub/../../outside/secret.tsv
refused path link.tsv
refused path fine.tsv
refused path dirlink/secret.tsv
refused path /etc/no-such-file            # no oracle for what exists outside
refused module evil
allowed path sub/here.tsv
allowed path "$WORK/conf/conf.tsv"
allowed path "$TM_SOURCE_DIR/config/gazetteers/units.tsv"
allowed path fine.tsv true          # trusted: no limit
# A missing file inside the allowed folders says so.
got=$(opened path sub/none.tsv)
case $got in *"cannot open sub/none.tsv: No such file"*) ;; *) fail "missing file: $got";; esac
echo ok
