# The bash completion (packaging/textmill.bash) on the real program:
# commands, each command's options, stage type names and file names.
. "$(dirname "$0")/lib.bash"
. "$TM_SOURCE_DIR/packaging/textmill.bash"
complete -p textmill >/dev/null || fail "the completion does not register itself for textmill"

# complete WORD...: the candidates for the last word, as bash would ask.
complete_words() {
  COMP_WORDS=("$TEXTMILL" "$@")
  COMP_CWORD=$#
  COMPREPLY=()
  _textmill
  printf '%s\n' "${COMPREPLY[@]}"
}
expect_words() {  # expect_words "WANT..." WORD...: exactly WANT
  local want=$1; shift
  local got
  got=$(complete_words "$@" | sort | tr '\n' ' ')
  [ "$got" = "$want " ] || fail "completing '$*': got '$got', expected '$want '"
}

expect_words "run" ru
expect_words "check" ch
expect_words "plugins" pl
expect_words "--workers" run --wor
expect_words "--json --plugin-path" plugins --
expect_words "--set --shard --summary-json" run --s
expect_words "--set --shards --stage --summary-json" merge --s
expect_words "dedup.exact dedup.minhash dedup.paragraph" plugins dedup.
expect_words "clean.boilerplate clean.normalize" plugins cl
expect_words "" run -j ""
# Files: a config for run, any file after -o.
mkdir -p "$WORK/d/sub" && touch "$WORK/d/job.yaml" "$WORK/d/notes.txt" "$WORK/d/r.test.yaml" "$WORK/d/p.lua"
cd "$WORK/d"
expect_words "job.yaml r.test.yaml sub" run ""
expect_words "r.test.yaml sub" test ""
expect_words "job.yaml notes.txt p.lua r.test.yaml sub" run x.yaml -o ""
expect_words "job.yaml p.lua r.test.yaml sub" try ""
echo ok
