# --rejects PATH names the rejects file; -o without it writes none, so a
# run with -o leaves the config's rejects file (the user's out/) alone.
. "$(dirname "$0")/lib.bash"
printf '{"id":"a","text":"Hà Giang tổ chức diễn tập."}\n{"id":"b","text":\n' >"$WORK/in.jsonl"
mkdir "$WORK/users_out" "$WORK/here"
echo keep >"$WORK/users_out/rejects.jsonl"
config job <<EOF2
input: {paths: [in.jsonl]}
outputs: [{type: output.jsonl, path: users_out/all.jsonl}]
rejects: users_out/rejects.jsonl
EOF2
run_tm 3 run "$WORK/job.yaml" -o "$WORK/x.jsonl" -q
[ "$(cat "$WORK/users_out/rejects.jsonl")" = keep ] || fail "-o replaced the config's rejects file"
run_tm 0 check "$WORK/job.yaml" -o "$WORK/x.jsonl"
expect_out "rejects: (not written)    # -o without --rejects"

# --rejects, relative to the current directory, with -o or without.
(cd "$WORK/here" && "$TEXTMILL" run "$WORK/job.yaml" -o "$WORK/x.jsonl" --rejects r.jsonl -q) && st=0 || st=$?
[ "$st" = 3 ] || fail "run --rejects exited $st, expected 3"
grep -q '"id":"b"' "$WORK/here/r.jsonl" || fail "--rejects r.jsonl did not get the rejected document"
[ "$(cat "$WORK/users_out/rejects.jsonl")" = keep ] || fail "--rejects wrote the config's rejects file"
run_tm 3 run "$WORK/job.yaml" --rejects "$WORK/r2.jsonl" -q
grep -q '"id":"b"' "$WORK/r2.jsonl" || fail "--rejects without -o was not used"
run_tm 0 check "$WORK/job.yaml" --rejects "$WORK/r2.jsonl"
expect_out "rejects: $WORK/r2.jsonl    # --rejects"
# Without -o the config's rejects file is used, as before.
run_tm 3 run "$WORK/job.yaml" -q
grep -q '"id":"b"' "$WORK/users_out/rejects.jsonl" || fail "the config's rejects file was not written"
echo ok
