# Two writers of one file would silently replace each other's work (an
# output on the rejects path lost every written document): two outputs, an
# output and the rejects file or --summary-json, a file a stage says it
# writes. A config error (status 2) from `run` and `check`, however the path
# is spelled; a stage writing where it did not say it would is stopped when
# it opens the file, before anything is committed.
. "$(dirname "$0")/lib.bash"
cd "$WORK"  # --set paths are relative to the current directory
SRC=$TM_SOURCE_DIR

config two <<EOF2
plugin_path: [$TM_BUILD_DIR/test-plugins/faulty.so]
input: {paths: [$SRC/corpus/sample]}
stages: [{type: test.reject_every, match: quang}, {type: test.write_files, report: o/report.txt}]
outputs:
  - {type: output.jsonl, path: o/docs.jsonl}
  - {type: output.csv, path: o/docs.csv}
rejects: o/rejects.jsonl
EOF2
run_tm 3 run "$WORK/two.yaml"
mkdir "$WORK/o/sub"
ln -s "$WORK/o" "$WORK/link"
ln "$WORK/o/docs.jsonl" "$WORK/hard.jsonl"
cp -r "$WORK/o" "$WORK/before"

# clash WANT ARGS...: `check` and `run` both refuse, naming the file; nothing is written.
clash() {
  local want=$1; shift
  run_tm 2 check "$WORK/two.yaml" "$@"
  expect_err "$want would be written twice, by "
  expect_err "; give each its own file"
  run_tm 2 run "$WORK/two.yaml" "$@"
  expect_err "$want would be written twice, by "
  diff -r "$WORK/o" "$WORK/before" >/dev/null || fail "$*: something was written"
}
clash "$WORK/o/docs.jsonl" --set outputs.1.path=o/docs.jsonl
expect_err "by outputs.0 (output.jsonl, path at $WORK/two.yaml:5:"
expect_err "and by outputs.1 (output.csv, path at --set outputs.1.path)"
clash "$WORK/o/rejects.jsonl" --set outputs.0.path=o/rejects.jsonl
expect_err "by outputs.0 (output.jsonl, path at --set outputs.0.path) and by the rejects file ($WORK/two.yaml:"
clash "$WORK/o/rejects.jsonl" -o "$WORK/o/rejects.jsonl" --rejects o/rejects.jsonl
expect_err "by outputs.0 (output.jsonl, path at -o) and by the rejects file (--rejects)"
clash "$WORK/o/docs.csv" --summary-json "$WORK/o/docs.csv"
expect_err "and by --summary-json"
clash "$WORK/o/report.txt" --set outputs.0.path=o/report.txt
expect_err "by stages.1 (test.write_files, report at $WORK/two.yaml:3:"
# The files the built-in stages write: a dedup index, signatures, a paragraph
# report, the learnt recurring lines.
for stage in "dedup.exact, index" "dedup.minhash, index" "dedup.minhash, signatures" \
             "dedup.paragraph, report" "dedup.paragraph, index" "clean.boilerplate, recurring_out"; do
  clash "$WORK/o/docs.jsonl" --set "stages.1={type: ${stage%%,*}, ${stage#*, }: o/docs.jsonl}"
  expect_err "by stages.1 (${stage%%,*}, ${stage#*, } at --set stages.1"
done
# Spelled another way: through . and .., a folder not made yet, a link to
# the folder, a hard link to the file.
clash "$WORK/o/docs.jsonl" --set outputs.1.path=o/sub/../new/../docs.jsonl
clash "$WORK/o/docs.jsonl" --set outputs.1.path=link/docs.jsonl
clash "$WORK/o/docs.csv" --set outputs.1.path=link/./docs.csv --set rejects=o/docs.csv
clash "$WORK/hard.jsonl" --set outputs.1.path=hard.jsonl
# Standard output twice.
clash "standard output" --set 'outputs.0.path="-"' --set 'outputs.1.path="-"'
# A device is meant to be shared.
run_tm 3 run "$WORK/two.yaml" --set outputs.0.path=/dev/null --set outputs.1.path=/dev/null \
  --set rejects=/dev/null
# A file the stage did not declare: the run stops when the stage opens it.
run_tm 1 run "$WORK/two.yaml" --set stages.1.other=o/docs.jsonl -i "$SRC/corpus/sample/more.jsonl"
expect_err "stages.1 (test.write_files): cannot write $WORK/o/docs.jsonl: another file of this run is written there already"
expect_err "no output was committed"
diff -r "$WORK/o" "$WORK/before" >/dev/null || fail "undeclared clash: something was written"
echo ok
