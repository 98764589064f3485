# output.sqlite: a run that fails leaves the database as it was before.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$TM_SOURCE_DIR/tests/fixtures/outputs/lib.bash"
big_corpus "$WORK/big.jsonl" 100   # 1400 documents, about 4 MB

# The state an earlier, successful run left, to compare against.
DB=$WORK/db/articles.db
run_tm 0 run "$PIPE" -o "$DB"
state() { sqlq "$DB" "SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM documents),
  (SELECT count(*) FROM entities), (SELECT count(*) FROM cluster_members), (SELECT max(last_run) FROM documents)"; }
intact() {
  [ "$(state)" = "$BEFORE" ] || fail "$1: database changed: $(state) (was $BEFORE)"
  [ "$(sqlq "$DB" 'PRAGMA integrity_check')" = ok ] || fail "$1: integrity"
  no_leftovers "$WORK/db"
}
BEFORE=$(state)

# Another stage stops the run after the database has taken several batches.
config failing <<YAML
input: {paths: [big.jsonl]}
on_error: fail
stages:
  - {type: lua, script: $FIX/entities.lua}
  - {type: lua, script: $FIX/fail_on.lua, options: {id: vn_hagiang_20220321-60}}
outputs:
  - {type: output.sqlite, path: $DB}
YAML
run_tm 1 run "$WORK/failing.yaml"
expect_err "planted failure"
intact "failed run"
# The same failure on a database the run was creating leaves no file.
run_tm 1 run "$WORK/failing.yaml" --set outputs.0.path="$WORK/db/new.db"
[ ! -e "$WORK/db/new.db" ] || fail "a failed first run left a database"
intact "failed first run"
# The same failure on a database of schema version 1 leaves it unmigrated.
cp "$DB" "$WORK/v1.db"
as_v1 "$WORK/v1.db"
v1_state() { sqlq "$WORK/v1.db" "SELECT type FROM sqlite_schema WHERE name = 'entities'"
  sqlq "$WORK/v1.db" "PRAGMA user_version"; sqlq "$WORK/v1.db" "SELECT * FROM entities ORDER BY doc_key, seq" | md5sum; }
v1_before=$(v1_state)
[ "$(echo "$v1_before" | head -2 | tr '\n' ' ')" = "table 1 " ] || fail "no version 1 database: $v1_before"
run_tm 1 run "$WORK/failing.yaml" --set outputs.0.path="$WORK/v1.db"
[ "$(v1_state)" = "$v1_before" ] || fail "a failed run changed a version 1 database: $(v1_state)"
# An index of the user's on entities(doc_id) stops the migration, which
# drops that column: the run says which and leaves the database as it was.
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1], isolation_level=None).execute(
  "CREATE INDEX mine ON entities(doc_id, type)")' "$WORK/v1.db"
v1_before=$(v1_state)
run_tm 1 run "$PIPE" -o "$WORK/v1.db" -i "$TM_SOURCE_DIR/corpus/sample/more.jsonl"
expect_err "cannot migrate $WORK/v1.db: "   # then SQLite's words, which name the index and doc_id
grep -q "mine.*doc_id" "$WORK/err" || { cat "$WORK/err"; fail "the index is not named"; }
[ "$(v1_state)" = "$v1_before" ] || fail "a failed migration changed a version 1 database: $(v1_state)"

# The database locked by another connection: the run waits busy_timeout_ms,
# then stops before reading anything, and says why.
python3 - "$DB" "$WORK/locked" <<'PY' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
while os.path.exists(sys.argv[2]):
    time.sleep(0.02)
db.execute("ROLLBACK")
PY
locker=$!
for _ in $(seq 200); do [ -e "$WORK/locked" ] && break; sleep 0.05; done
[ -e "$WORK/locked" ] || fail "the locking connection did not start"
run_tm 1 run "$PIPE" --set "outputs=[{type: output.sqlite, path: $DB, busy_timeout_ms: 200}]"
expect_err "the database is locked by another connection (waited 200 ms; raise busy_timeout_ms"
rm "$WORK/locked"
wait $locker
intact "locked"
# A lock released within the timeout is waited for.
python3 - "$DB" "$WORK/locked" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
time.sleep(0.5)
db.execute("ROLLBACK")
PY
locker=$!
for _ in $(seq 200); do [ -e "$WORK/locked" ] && break; sleep 0.05; done
run_tm 0 run "$PIPE" -o "$DB" -i "$TM_SOURCE_DIR/corpus/sample/more.jsonl"
wait $locker
BEFORE=$(state)

# The disk fills up (a file size limit stands in for a full disk): the
# run stops with the reason and rolls back.
full_run() {
  local got=0
  ( trap '' XFSZ; ulimit -f 1024; exec "$TEXTMILL" "$@" ) >"$WORK/out" 2>"$WORK/err" || got=$?
  [ "$got" = 1 ] || { cat "$WORK/err" >&2; fail "disk full: exit $got, expected 1"; }
}
full_run run "$PIPE" -o "$DB" -i "$WORK/big.jsonl"
expect_err "$DB: "
grep -qE "disk is full|File too large|a write failed" "$WORK/err" || { cat "$WORK/err"; fail "no reason given"; }
intact "disk full"
full_run run "$PIPE" -o "$WORK/db/full.db" -i "$WORK/big.jsonl"
[ ! -e "$WORK/db/full.db" ] || fail "disk full left a new database"
intact "disk full, new database"

# Someone else makes the database while a first run builds it: theirs stays.
run_tm 1 run "$PIPE" -o "$WORK/db/race.db" --set "stages=[{type: lua, script: $FIX/touch.lua, trusted: true,
  options: {path: $WORK/db/race.db, text: theirs}}]"
expect_err "$WORK/db/race.db was created by someone else during this run; not replacing it"
[ "$(cat "$WORK/db/race.db")" = theirs ] || fail "the other database was replaced"
no_leftovers "$WORK/db"

# Paths that cannot be a database.
run_tm 1 run "$PIPE" -o "$WORK/out/x.db"   # $WORK/out is a file
expect_err "cannot open $WORK/out/x.db: Not a directory"
mkdir "$WORK/dir.db"
run_tm 1 run "$PIPE" -o "$WORK/dir.db"
expect_err "cannot open $WORK/dir.db: not a regular file"
run_tm 1 run "$PIPE" --set 'outputs=[{type: output.sqlite, path: "-"}]'
expect_err "output.sqlite writes a database file, not standard output"
echo "not a database" >"$WORK/text.db"
run_tm 1 run "$PIPE" -o "$WORK/text.db"
expect_err "cannot read $WORK/text.db: file is not a database"
[ "$(cat "$WORK/text.db")" = "not a database" ] || fail "a file that is not a database was changed"
python3 -c 'import sqlite3, sys; d = sqlite3.connect(sys.argv[1]); d.execute("CREATE TABLE notes(x)"); d.commit()' "$WORK/other.db"
sum=$(md5sum <"$WORK/other.db")
run_tm 1 run "$PIPE" -o "$WORK/other.db"
expect_err "is a SQLite database of another application"
[ "$(md5sum <"$WORK/other.db")" = "$sum" ] || fail "another application's database was changed"
python3 -c 'import sqlite3, sys; d = sqlite3.connect(sys.argv[1]); d.execute("PRAGMA application_id = 1953326178"); d.execute("PRAGMA user_version = 99")' "$WORK/newer.db"
run_tm 1 run "$PIPE" -o "$WORK/newer.db"
expect_err "has schema version 99, newer than this textmill's 2"
run_tm 2 run "$PIPE" --set "outputs=[{type: output.sqlite, path: $DB, busy_timeout_ms: -1}]"
expect_err "busy_timeout_ms must be between 0 and 3600000"

# Permission denied: a directory that may not be written, a database file
# that may not be written.
if can_test_permissions; then
  mkdir -m 555 "$WORK/ro"
  run_as_user 1 run "$PIPE" -o "$WORK/ro/x.db"
  expect_err "cannot create $WORK/ro/x.db: Permission denied"
  chmod 444 "$DB"
  run_as_user 1 run "$PIPE" -o "$DB"
  expect_err "cannot write to $DB: attempt to write a readonly database (the file or its directory is read-only"
  chmod 644 "$DB"
  intact "read-only"
else
  echo "note: no permission tests (root without setpriv)"
fi
echo ok
