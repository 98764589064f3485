# textmill report --db: one SQLite database of several runs' outputs, the
# documents and entities of all of them, as output.sqlite writes a single
# run's; the same rows as one run over the same corpus writes. A database
# that cannot be written fails the command and is named.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
P=$TM_SOURCE_DIR/tests/fixtures/outputs/pipeline.yaml
for i in 0 1; do
  run_tm 0 run "$P" --shard $i/2 -q -o "$WORK/part-$i.jsonl" --summary-json "$WORK/part-$i.json" --rejects "$WORK/rej.jsonl"
done
run_tm 0 run "$P" -q -o "$WORK/one.db" --rejects "$WORK/rej.jsonl"
run_tm 0 report -o "$WORK/parts.html" --db "$WORK/parts.db" --summary "$WORK/part-*.json" "$WORK"/part-*.jsonl
expect_err "textmill report: wrote $WORK/parts.html and $WORK/parts.db from 2 run summaries"
python3 - "$WORK" <<'PY'
import json, sqlite3, sys
w = sys.argv[1]
docs = [json.loads(l) for i in (0, 1) for l in open(f"{w}/part-{i}.jsonl")]
assert len(docs) > 1, len(docs)
def rows(db):
    c = sqlite3.connect(db)
    d = sorted(c.execute("SELECT id, title, chars, entity_count FROM documents"))
    e = sorted(c.execute("SELECT doc_id, seq, type, start, end, text, value_json, attrs, rule FROM entities"))
    return d, e
d, e = rows(f"{w}/parts.db")
assert sorted(x[0] for x in d) == sorted(x["id"] for x in docs), "the documents of both parts"
assert len(e) == sum(len(x.get("entities", [])) for x in docs) > 0, (len(e), "entities")
assert (d, e) == rows(f"{w}/one.db"), "not the rows of one run over the same corpus"
PY
run_tm 1 report -o "$WORK/p2.html" --db "$WORK/part-0.json/x.db" "$WORK"/part-*.jsonl
expect_err "$WORK/part-0.json/x.db"
# The disk fills up while the database is written (a file size limit
# stands in: the page, about 40 KB, fits; the database, about 300 KB, does
# not): the report fails naming the database and why, and leaves neither
# a part of it nor the page of a report that did not happen.
got=0
( trap '' XFSZ; ulimit -f 128; exec "$TEXTMILL" report -o "$WORK/full.html" --db "$WORK/full.db" \
    --summary "$WORK/part-*.json" "$WORK"/part-*.jsonl ) >"$WORK/out" 2>"$WORK/err" || got=$?
[ "$got" = 1 ] || { cat "$WORK/err" >&2; fail "full disk: exit $got, expected 1"; }
expect_err "cannot commit to $WORK/full.db: disk I/O error (a write failed: is the disk full"
[ ! -e "$WORK/full.db" ] || fail "a full disk left part of a database"
[ ! -e "$WORK/full.html" ] || fail "a full disk left the page of a failed report"
echo ok
