# The readers are plugins: listed and described by `textmill plugins`,
# chosen per file by its name or its first bytes, each skipped file named.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
run_tm 0 plugins
expect_out "/input.so:"
for t in files stdin warc; do grep -qE "^  $t +" "$WORK/out" || fail "plugins lacks $t"; done
run_tm 0 plugins files
expect_out "kind: input reader"
expect_out "reads: .txt .jsonl .txt.gz .jsonl.gz .txt.zst .jsonl.zst"
expect_out "text_key"
run_tm 0 plugins warc
expect_out "and files of other names it recognises by their first bytes"
run_tm 2 plugins filez
expect_err "did you mean 'files'?"
# A binary file among the inputs: skipped and named in a folder, an error
# named on its own; one that claims to be JSON Lines is rejected line by
# line, each with its place, nothing lost.
mkdir "$WORK/in"
printf '{"id":"a","text":"Tin vắn."}\n' >"$WORK/in/a.jsonl"
head -c 3000 /dev/urandom >"$WORK/in/photo.jpg"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\nbinary\n\xff\xfe\n' >"$WORK/in/image.jsonl"
config job <<EOF2
input: {paths: [in]}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 3 run "$WORK/job.yaml" --rejects "$WORK/rejects.jsonl"
expect_err "warning: $WORK/in/photo.jpg: unknown kind of file, skipped (textmill reads .txt, .jsonl,"
expect_err ".warc, .warc.gz, .warc.zst)"
expect_err "image.jsonl:1 (id image:1) at input: "
expect_err "image.jsonl:2 (id image:2) at input: "
expect_err "image.jsonl:5 (id image:5) at input: invalid UTF-8: at byte 1"
check_accounting 6 1 0 5
[ "$(jsonl_count "$WORK/rejects.jsonl")" = 5 ] || fail "not every bad line is in the rejects file"
run_tm 2 check "$WORK/job.yaml" -i "$WORK/in/photo.jpg"
expect_err "input $WORK/in/photo.jpg: unknown kind of file (textmill reads"
# The type names a reader, checked like a stage type; a reader is no stage.
run_tm 2 check "$WORK/job.yaml" --set input.type=warcs
expect_err "option 'type' is one of files|stdin|warc, not \"warcs\"; did you mean 'warc'?"
config stage <<EOF2
input: {paths: [in]}
stages: [{type: warc}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 2 check "$WORK/stage.yaml"
expect_err "'warc' is an input reader, so it belongs under 'input: type:'"
# stdin is a reader too.
printf '{"id":"s","text":"Từ stdin."}\n' | "$TEXTMILL" run "$WORK/job.yaml" -i - -o "$WORK/stdin.jsonl" -q
grep -q '"id":"s"' "$WORK/stdin.jsonl" || fail "stdin reader"
# "-" among files: standard input, read by the stdin reader in its place.
printf '{"id":"s2","text":"Giữa các tệp."}\n' |
  "$TEXTMILL" run "$WORK/job.yaml" -i "$WORK/in/a.jsonl" -i - -o "$WORK/mixed.jsonl" -q
python3 -c 'import json,sys; ids=[json.loads(l)["id"] for l in open(sys.argv[1])]; assert ids == ["a", "s2"], ids' \
  "$WORK/mixed.jsonl" || fail "stdin among files"
# A reader from outside the tree takes its files with no change to the
# host; one without next() is refused when it loads.
printf 'x1\tDòng một.\nno tab here\nx2\tDòng hai.\n' >"$WORK/in/more.lines"
TEXTMILL_PLUGIN_PATH=$TM_TEST_PLUGINS/reader_lines.so run_tm 3 run "$WORK/job.yaml" -i "$WORK/in" \
  -o "$WORK/lines.jsonl" --rejects "$WORK/lines-rejects.jsonl"
expect_err "more.lines:2 (id more:2) at input: no tab between id and text"
grep -q '"id":"x2","text":"Dòng hai."' "$WORK/lines.jsonl" || fail "the outside reader's records: $(cat "$WORK/lines.jsonl")"
grep -q '"raw":"no tab here"' "$WORK/lines-rejects.jsonl" || fail "its rejected line's bytes"
run_tm 2 plugins --plugin-path "$TM_TEST_PLUGINS/reader_no_next.so"
expect_err "stage type 0 is TM_STAGE_INPUT without create, open or next"
echo ok
