# output.csv: a write that fails stops the run and leaves no file that
# looks complete.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$TM_SOURCE_DIR/tests/fixtures/outputs/lib.bash"
big_corpus "$WORK/big.jsonl" 100
mkdir "$WORK/csv"

# A full disk behind standard output.
if [ -w /dev/full ]; then
  got=0
  "$TEXTMILL" run "$PIPE" --set 'outputs=[{type: output.csv, path: "-", fields: [id, text]}]' \
    >/dev/full 2>"$WORK/err" || got=$?
  [ "$got" = 1 ] || { cat "$WORK/err"; fail "/dev/full: exit $got"; }
  expect_err "No space left on device"
fi

# A file size limit standing in for a full disk, on a file path: the
# earlier file stays as it was.
echo "earlier" >"$WORK/csv/docs.csv"
got=0
( trap '' XFSZ; ulimit -f 512; exec "$TEXTMILL" run "$PIPE" -i "$WORK/big.jsonl" \
    --set "outputs=[{type: output.csv, path: $WORK/csv/docs.csv, fields: [id, text]}]" ) \
  >"$WORK/out" 2>"$WORK/err" || got=$?
[ "$got" = 1 ] || { cat "$WORK/err"; fail "file size limit: exit $got"; }
expect_err "File too large"
[ "$(cat "$WORK/csv/docs.csv")" = earlier ] || fail "the earlier file was replaced"
no_leftovers "$WORK/csv"

# Another stage fails half way: nothing is written.
run_tm 1 run "$PIPE" -i "$WORK/big.jsonl" --set on_error=fail --set "stages=[{type: lua, script: $FIX/fail_on.lua,
  options: {id: vn_hagiang_20220321-60}}]" --set "outputs=[{type: output.csv, path: $WORK/csv/half.csv}]"
expect_err "planted failure"
[ ! -e "$WORK/csv/half.csv" ] || fail "a failed run left a CSV"
no_leftovers "$WORK/csv"

# A path under a file, and a directory that may not be written.
run_tm 1 run "$PIPE" -o "$WORK/out/x.csv"
expect_err "cannot create $WORK/out/x.csv: Not a directory"
if can_test_permissions; then
  mkdir -m 555 "$WORK/ro"
  run_as_user 1 run "$PIPE" -o "$WORK/ro/x.tsv"
  expect_err "cannot create $WORK/ro/x.tsv: Permission denied"
fi
echo ok
