# An input that gives no document: the summary is printed all the same,
# a warning says so, the exit status is 4 and each skipped file is named.
. "$(dirname "$0")/lib.bash"
mkdir "$WORK/empty" "$WORK/zst"
: >"$WORK/zst/a.parquet"; : >"$WORK/zst/b.arrow"
config job <<EOF2
input: {paths: [empty]}
outputs: [{type: output.jsonl, path: all.jsonl}]
EOF2
run_tm 4 run "$WORK/job.yaml"
expect_err "textmill: 0 documents read: 0 written, 0 dropped, 0 rejected"
expect_err "warning: no documents were read (exit status 4)"
[ -e "$WORK/all.jsonl" ] && [ ! -s "$WORK/all.jsonl" ] || fail "an empty run did not commit its empty output"
run_tm 4 run "$WORK/job.yaml" -i "$WORK/zst"
expect_err "warning: $WORK/zst/a.parquet: unknown kind of file, skipped"
expect_err "warning: $WORK/zst/b.arrow: unknown kind of file, skipped"
expect_err "0 documents read"
run_tm 4 run "$WORK/job.yaml" -i "$WORK/zst/*"
expect_err "warning: $WORK/zst/a.parquet: unknown kind of file, skipped"
# A file named on its own is still an error, and one document is a run.
run_tm 2 check "$WORK/job.yaml" -i "$WORK/zst/a.parquet"
expect_err "unknown kind of file"
printf '{"id":"a","text":"x"}\n' >"$WORK/empty/one.jsonl"
run_tm 0 run "$WORK/job.yaml" -q
# -q keeps the summary and the warning to itself; the status still tells.
: >"$WORK/empty/one.jsonl"
run_tm 4 run "$WORK/job.yaml" -q
[ ! -s "$WORK/err" ] || fail "-q printed: $(cat "$WORK/err")"
echo ok
