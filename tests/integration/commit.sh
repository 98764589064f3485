# All or nothing: a run that fails at its end, whatever fails (a stage's
# finish, an output's finish or commit, a full disk), leaves every file of
# the earlier run byte for byte as it was: outputs, database, dedup index,
# rejects file; and the next run, which succeeds, keeps its documents
# (they were never added to the index).
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR
FAULTY=$TM_BUILD_DIR/test-plugins/faulty.so

# Day 1 is the text files, day 2 the JSON Lines file (4 documents).
mkdir "$WORK/day1"
cp "$SRC"/corpus/sample/*.txt "$WORK/day1/"
cp "$SRC/corpus/sample/more.jsonl" "$WORK/day2.jsonl"

pipeline() {  # pipeline NAME STATE-DIR EXTRA-STAGE FIRST-OUTPUT LAST-OUTPUT
  config "$1" <<EOF2
plugin_path: [$FAULTY]
input: {paths: [day1]}
stages:
  - {type: test.reject_every, match: quang}
  - {type: dedup.minhash, index: $2/mh.idx}
  $3
outputs:
  $4
  - {type: output.jsonl, path: o/docs.jsonl}
  - {type: output.sqlite, path: $2/docs.db}
  - {type: output.report, path: o/report.html}
  $5
rejects: $2/rejects.jsonl
EOF2
}
files() { echo "$WORK/o/docs.jsonl $WORK/o/report.html $1/mh.idx $1/docs.db $1/rejects.jsonl"; }
snapshot() { md5sum $(files "$1"); }
unchanged() {  # unchanged CASE STATE-DIR
  [ "$(snapshot "$2")" = "$BEFORE" ] || { snapshot "$2" | diff - <(echo "$BEFORE") >&2; fail "$1: a file changed"; }
  ! ls -a "$WORK/o" "$2" | grep -q 'tmp-' || fail "$1: a temporary file was left"
}

pipeline good "$WORK/state" "" "" ""
run_tm 3 run "$WORK/good.yaml" --summary-json "$WORK/state/summary.json"
BEFORE=$(snapshot "$WORK/state")

# A stage that fails in finish(), after dedup.minhash saved its index.
pipeline late "$WORK/state" "- {type: test.fail_finish}" "" ""
run_tm 1 run "$WORK/late.yaml" -i "$WORK/day2.jsonl" --summary-json "$WORK/state/summary.json"
expect_err "stages.2 (test.fail_finish): cannot finish on purpose"
expect_err "no output was committed"
unchanged "failed finish" "$WORK/state"
# The failed run reports itself in its summary.
grep -q '"status":"failed"' "$WORK/state/summary.json" || fail "the summary does not say failed"

# An output that fails in finish(), after the other outputs finished.
pipeline out_finish "$WORK/state" "" "" "- {type: test.fail_output, path: o/ids.txt}"
run_tm 1 run "$WORK/out_finish.yaml" -i "$WORK/day2.jsonl"
expect_err "outputs.3 (test.fail_output): cannot finish on purpose"
unchanged "failed output" "$WORK/state"
[ ! -e "$WORK/o/ids.txt" ] || fail "the failing output's own file was committed"

# A commit that fails: the commits come before any rename, in the order of
# the outputs, so a failing first one leaves everything as it was...
pipeline first "$WORK/state" "" "- {type: test.fail_output, path: o/ids.txt, when: commit}" ""
run_tm 1 run "$WORK/first.yaml" -i "$WORK/day2.jsonl"
expect_err "outputs.0 (test.fail_output): cannot commit on purpose"
expect_err "no output was committed"
unchanged "failed first commit" "$WORK/state"
# ...and a failing last one says which went through (the database's
# COMMIT before it), and that everything else was left as it was.
pipeline last "$WORK/state" "" "" "- {type: test.fail_output, path: o/ids.txt, when: commit}"
run_tm 1 run "$WORK/last.yaml" -i "$WORK/day2.jsonl"
expect_err "outputs.3 (test.fail_output): cannot commit on purpose"
expect_err "already in place: outputs.1 (output.sqlite); everything else was left as it was"
echo "$BEFORE" | grep -v docs.db | md5sum -c --quiet || fail "last commit failed: a file other than the database changed"

# A rename that fails while the files are put in place (the target has
# become a folder): the outputs before it are in place and named, the
# dedup index and the rejects file, renamed after the outputs, are not,
# and no temporary file is left.
mkdir "$WORK/o/dir.csv"
pipeline rename "$WORK/state" "" "" "- {type: output.csv, path: o/dir.csv}"
run_tm 1 run "$WORK/rename.yaml" -i "$WORK/day2.jsonl"
expect_err "cannot move the finished file to $WORK/o/dir.csv: Is a directory"
expect_err "already in place: outputs.1 (output.sqlite), $WORK/o/docs.jsonl, $WORK/o/report.html; everything else was left as it was"
echo "$BEFORE" | grep -E "mh.idx|rejects.jsonl" | md5sum -c --quiet || fail "failed rename: the index or the rejects file changed"
! ls -a "$WORK/o" "$WORK/state" | grep -q 'tmp-' || fail "failed rename: a temporary file was left"
rmdir "$WORK/o/dir.csv"

# Day 2 for real: its documents were never added to the index, so they
# are written, not dropped as duplicates of themselves.
run_tm 0 run "$WORK/good.yaml" -i "$WORK/day2.jsonl" --summary-json "$WORK/state/summary.json"
python3 - "$WORK/state/summary.json" "$WORK/o/docs.jsonl" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["status"] == "done" and s["documents"]["dropped"] == 0, s["documents"]
ids = [json.loads(l)["id"] for l in open(sys.argv[2])]
assert len(ids) == s["documents"]["written"] == 4, ids
PY

# A full disk at the end (a small tmpfs, where we may mount one): the
# database, the index, the rejects file and the summary are on it, the
# JSON Lines file is not. The disk fills up after dedup.minhash saved its
# index, so SQLite fails in finish(), after output.jsonl finished.
DISK=$WORK/disk
mkdir "$DISK"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=4m textmill-test "$DISK" 2>/dev/null; then
  trap 'umount "$DISK" 2>/dev/null || true; rm -rf "$WORK"' EXIT
  rm -f "$WORK/o/docs.jsonl" "$WORK/o/report.html"
  pipeline disk "$DISK" "" "" ""
  run_tm 3 run "$WORK/disk.yaml" --summary-json "$DISK/summary.json"
  BEFORE=$(snapshot "$DISK")
  summary=$(md5sum <"$DISK/summary.json")
  pipeline full "$DISK" "- {type: test.fill_disk, path: $DISK/ballast}" "" ""
  run_tm 1 run "$WORK/full.yaml" -i "$WORK/day2.jsonl" --summary-json "$DISK/summary.json"
  expect_err "$DISK/docs.db: the disk is full"
  expect_err "no output was committed"
  unchanged "full disk" "$DISK"
  # No room left for the failed run's summary either: the old one stays.
  [ "$(md5sum <"$DISK/summary.json")" = "$summary" ] || fail "full disk: the summary changed"
  rm "$DISK/ballast"
  run_tm 0 run "$WORK/disk.yaml" -i "$WORK/day2.jsonl"
  check_accounting 4 4 0 0
  umount "$DISK"
else
  echo "note: no full-disk case (cannot mount a tmpfs here)"
fi
echo ok
