# output.sqlite: what a run writes, and how later runs add to it.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$TM_SOURCE_DIR/tests/fixtures/outputs/lib.bash"

# One run into a new database, beside the JSON Lines of the same documents.
DB=$WORK/db/articles.db
run_tm 0 run "$PIPE" --summary-json "$WORK/s1.json" \
  --set "outputs=[{type: output.sqlite, path: $DB}, {type: output.jsonl, path: $WORK/a.jsonl}]"
no_leftovers "$WORK/db"
python3 - "$DB" "$WORK/a.jsonl" "$WORK/s1.json" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
docs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
summary = json.load(open(sys.argv[3]))
one = lambda sql, *a: db.execute(sql, a).fetchone()

assert one("PRAGMA journal_mode")[0] == "wal"
assert one("PRAGMA integrity_check")[0] == "ok"
assert one("PRAGMA application_id")[0] == 0x746d6462 and one("PRAGMA user_version")[0] == 2
indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")}
assert {"documents_published", "documents_month", "entities_type_value", "cluster_members_cluster"} <= indexes, indexes
# The entities are a view of entity_rows with the document's id; with the
# statistics of the run, a document's entities are found by keys, not a scan.
assert one("SELECT type FROM sqlite_schema WHERE name = 'entities'")[0] == "view"
plan = " / ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN SELECT * FROM entities WHERE doc_id = 'x'"))
assert "SCAN" not in plan and "USING PRIMARY KEY (doc_key=?)" in plan, plan
plan = " / ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN SELECT count(*) FROM entities AS e "
                                           "JOIN documents AS d ON d.id = e.doc_id WHERE e.start < e.end"))
assert "USING PRIMARY KEY" in plan and "SCAN e" not in plan, plan

# Every document, field and entity, as the JSON Lines output has them.
assert one("SELECT count(*) FROM documents")[0] == len(docs) == summary["documents"]["written"] == 14
n_entities = 0
for d in docs:
    row = one("SELECT title, published, month, source, url, meta, text, entity_count, first_run, last_run, chars"
              " FROM documents WHERE id = ?", d["id"])
    title, published, month, source, url, meta, text, count, first, last, chars = row
    m = d["meta"]
    assert (title, published, source, url) == (m.get("title"), m.get("published"), m.get("source"), m.get("url")), row
    assert month == (m["published"][:7] if "published" in m else None), (month, m)
    assert json.loads(meta) == m and text == d["text"] and count == len(d["entities"])
    assert (first, last) == (1, 1) and chars == len(d["text"]), (chars, len(d["text"]))
    rows = db.execute("SELECT seq, type, start, end, text, value_json, attrs, rule FROM entities"
                      " WHERE doc_id = ? ORDER BY seq", (d["id"],)).fetchall()
    assert len(rows) == len(d["entities"]), d["id"]
    raw = d["text"].encode()
    for (seq, typ, start, end, etext, value, attrs, rule), e in zip(rows, d["entities"]):
        assert (typ, start, end, etext, rule) == (e["type"], e["start"], e["end"], e["text"], e["rule"])
        assert raw[start:end].decode() == etext
        assert json.loads(value) == e["value"] and json.loads(attrs or "{}") == e["attrs"]
    n_entities += len(rows)
assert n_entities > 100, n_entities
# value is the JSON value made plain: text for strings, numbers, JSON otherwise.
assert one("SELECT count(*) FROM entities WHERE type = 'PERSON' AND typeof(value) = 'text'")[0] > 10
assert one("SELECT typeof(value) FROM entities WHERE type = 'QUANTITY' LIMIT 1")[0] == "text"
assert json.loads(one("SELECT value FROM entities WHERE type = 'QUANTITY' LIMIT 1")[0])["n"] > 0

# The run and its stages, as --summary-json has them.
run = one("SELECT run_id, config_hash, docs_read, docs_written, docs_dropped, docs_rejected, workers, summary FROM runs")
assert run[:7] == (1, summary["config_hash"], 14, 14, 0, 0, summary["workers"]), run
assert json.loads(run[7])["status"] == "done"
stages = db.execute("SELECT position, label, type, docs_in, kept, dropped, rejected, dropped_by FROM run_stages"
                    " WHERE run_id = 1 ORDER BY position").fetchall()
assert [s[1:7] for s in stages] == [(s["label"], s["type"], s["in"], s["kept"], s["dropped"], s["rejected"])
                                    for s in summary["stages"]], stages

# The planted near-duplicate pair is one cluster of two.
assert db.execute("SELECT cluster, size, original FROM clusters").fetchall() == \
    [("vn_quangngai_20241210", 2, "vn_quangngai_20241210")]
assert one("SELECT duplicate_of, similarity FROM cluster_members WHERE doc_id = 'vn_quangngai_20241211'") == \
    ("vn_quangngai_20241210", 0.9)
PY

# A second run over new articles adds to the database; running the same
# articles again updates them in place.
DB2=$WORK/two.db
run_tm 0 run "$PIPE" -o "$DB2" -i "$TM_SOURCE_DIR/corpus/sample/more.jsonl"
run_tm 0 run "$PIPE" -o "$DB2" --set stages.0.script="$FIX/entities.lua" \
  -i "$TM_SOURCE_DIR/corpus/sample/vn_hagiang_20220321.txt" -i "$TM_SOURCE_DIR/corpus/sample/vn_laocai_20211209.txt"
[ "$(sqlq "$DB2" 'SELECT count(*) FROM documents')" = 6 ] || fail "second run did not add"
[ "$(sqlq "$DB2" 'SELECT count(*), count(DISTINCT config_hash) FROM runs')" = "2|2" ] || fail "runs not recorded"
before=$(sqlq "$DB2" "SELECT count(*) FROM entities")
run_tm 0 run "$PIPE" -o "$DB2" -i "$TM_SOURCE_DIR/corpus/sample/more.jsonl"
[ "$(sqlq "$DB2" 'SELECT count(*) FROM documents')" = 6 ] || fail "rerun added documents"
[ "$(sqlq "$DB2" 'SELECT count(*) FROM entities')" = "$before" ] || fail "rerun duplicated entities"
[ "$(sqlq "$DB2" "SELECT first_run, last_run FROM documents WHERE id = 'yenbai-20230915-dien-tap-xa'")" = "1|3" ] \
  || fail "first_run/last_run wrong"
[ "$(sqlq "$DB2" "SELECT first_run, last_run FROM documents WHERE id = 'vn_laocai_20211209'")" = "2|2" ] \
  || fail "untouched document changed"
[ "$(sqlq "$DB2" 'SELECT group_concat(run_id) FROM runs')" = "1,2,3" ] || fail "runs"
# outputs.md's removal of the documents the last run did not write: the
# entities through the view first, then the documents; no entity row is
# left without its document, and the others keep theirs.
kept=$(sqlq "$DB2" "SELECT count(*) FROM entities WHERE doc_id IN (SELECT id FROM documents WHERE last_run = 3)")
[ "$(sqlq "$DB2" "SELECT count(*) FROM entities WHERE doc_id IN (SELECT id FROM documents WHERE last_run < 3)")" -gt 0 ] \
  || fail "removal: no entities to remove"
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1], isolation_level=None).executescript(
  "DELETE FROM entities WHERE doc_id IN (SELECT id FROM documents WHERE last_run < 3);"
  "DELETE FROM documents WHERE last_run < 3")' "$DB2"
[ "$(sqlq "$DB2" "SELECT count(*), min(last_run) FROM documents")" = "4|3" ] || fail "removal: documents"
[ "$(sqlq "$DB2" "SELECT count(*) FROM entity_rows")" = "$kept" ] && [ "$kept" -gt 0 ] \
  || fail "removal: $(sqlq "$DB2" "SELECT count(*) FROM entity_rows") entity rows, $kept expected"

# A database of schema version 1 (entities a table, doc_id in every row)
# is migrated by the next run that writes to it: the rows it had stay, in
# their order, the view answers for the old table (a user's own view of it
# too), its index by (type, value) stays, and deleting through the view
# deletes the rows.
DB1=$WORK/v1.db
run_tm 0 run "$PIPE" -o "$DB1" -i "$TM_SOURCE_DIR/corpus/sample/more.jsonl"
as_v1 "$DB1"
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1], isolation_level=None).execute(
  "CREATE VIEW persons AS SELECT doc_id, text FROM entities WHERE type = '"'PERSON'"'")' "$DB1"
q_persons="SELECT * FROM persons ORDER BY doc_id, text"
persons=$(sqlq "$DB1" "$q_persons")
[ -n "$persons" ] || fail "no persons in the version 1 database"
q_all="SELECT * FROM entities ORDER BY doc_key, seq"
old=$(sqlq "$DB1" "$q_all")
[ -n "$old" ] && [ "$(sqlq "$DB1" 'PRAGMA user_version')" = 1 ] || fail "no version 1 database to migrate"
run_tm 0 run "$PIPE" -o "$DB1" -i "$TM_SOURCE_DIR/corpus/sample/vn_laocai_20211209.txt"
[ "$(sqlq "$DB1" 'PRAGMA user_version')" = 2 ] || fail "not migrated"
[ "$(sqlq "$DB1" "SELECT type FROM sqlite_schema WHERE name IN ('entities', 'entities_v1', 'entities_doc_id')")" = view ] \
  || fail "migration left: $(sqlq "$DB1" 'SELECT type, name FROM sqlite_schema')"
[ "$(sqlq "$DB1" "$q_all" | head -n "$(printf '%s\n' "$old" | wc -l)")" = "$old" ] || fail "migrated rows differ"
[ "$(sqlq "$DB1" "SELECT count(*) FROM entities WHERE doc_id = 'vn_laocai_20211209'")" -gt 0 ] || fail "new rows"
[ "$(sqlq "$DB1" 'PRAGMA integrity_check')" = ok ] || fail "migrated integrity"
[ "$(sqlq "$DB1" 'PRAGMA table_info(entity_rows)')" = "$(sqlq "$DB" 'PRAGMA table_info(entity_rows)')" ] \
  || fail "migrated entity_rows differs from a new one: $(sqlq "$DB1" 'PRAGMA table_info(entity_rows)')"
[ "$(sqlq "$DB1" "SELECT tbl_name FROM sqlite_schema WHERE name = 'entities_type_value'")" = entity_rows ] \
  || fail "index by (type, value) not on entity_rows"
[ "$(sqlq "$DB1" "$q_persons" | grep -v '^vn_laocai_20211209|')" = "$persons" ] || fail "the user's view after the migration"
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1], isolation_level=None).execute(
  "DELETE FROM entities WHERE doc_id = ?", ("vn_laocai_20211209",))' "$DB1"
[ "$(sqlq "$DB1" "SELECT count(*) FROM entity_rows WHERE doc_key =
  (SELECT doc_key FROM documents WHERE id = 'vn_laocai_20211209')")" = 0 ] || fail "delete through the view"
[ "$(sqlq "$DB1" "$q_all")" = "$old" ] || fail "delete through the view took other rows"

# Clusters from every shape a dedup stage may leave in meta.
cat >"$WORK/dups.jsonl" <<'JSONL'
{"id":"a","text":"first article text","meta":{"title":"A"}}
{"id":"b","text":"first article text again","meta":{"dedup_exact":{"duplicate_of":"a"}}}
{"id":"c","text":"another","meta":{"dedup":{"cluster":"k1","supersedes":"z","similarity":0.93}}}
{"id":"d","text":"another one","meta":{"dedup":{"duplicate_of":"c","cluster":"k1","similarity":0.88}}}
{"id":"e","text":"and another one","meta":{"dedup":{"duplicate_of":"c","cluster":"k1","similarity":0.81}}}
{"id":"f","text":"numbers for ids","meta":{"dedup":{"duplicate_of":7,"cluster":7}}}
{"id":"g","text":"a plain field","meta":{"duplicate_of":"duplicate-of:a"}}
{"id":"h","text":"no cluster","meta":{"dedup":{"removed":2}}}
JSONL
config plain <<'YAML'
outputs:
  - type: output.sqlite
    path: dups.db
YAML
run_tm 0 run "$WORK/plain.yaml" -i "$WORK/dups.jsonl"
got=$(sqlq "$WORK/dups.db" "SELECT cluster, size, original FROM clusters ORDER BY cluster")
want=$'7|2|7\na|3|a\nk1|3|c'
[ "$got" = "$want" ] || fail "clusters: $got"
[ "$(sqlq "$WORK/dups.db" "SELECT round(similarity, 2) FROM cluster_members WHERE doc_id = 'e'")" = 0.81 ] || fail similarity
# Written again without its mark, a document leaves its cluster.
echo '{"id":"d","text":"another one, edited","meta":{}}' >"$WORK/d.jsonl"
run_tm 0 run "$WORK/plain.yaml" -i "$WORK/d.jsonl"
[ "$(sqlq "$WORK/dups.db" "SELECT size FROM clusters WHERE cluster = 'k1'")" = 2 ] || fail "stale claim kept"

# With the real dedup stage, when it is built: its marks become a cluster.
if "$TEXTMILL" plugins dedup.minhash >/dev/null 2>&1; then
  run_tm 0 run "$PIPE" -o "$WORK/mh.db" --set "stages=[{type: dedup.minhash, threshold: 0.6, action: mark}]"
  [ "$(sqlq "$WORK/mh.db" 'SELECT cluster, size, original FROM clusters')" = \
    "vn_quangngai_20241210|2|vn_quangngai_20241210" ] || fail "dedup.minhash marks: $(sqlq "$WORK/mh.db" 'SELECT * FROM cluster_members')"
fi

# Entity values: the plugin makes the common ones plain itself, SQLite the
# rest; every one must be what json_extract gives. More than 64 entities,
# so several multi-row statements, and an id written twice in one run into
# a new database: the second replaces the first.
python3 - "$WORK/values.jsonl" <<'PY'
import json, sys
vals = ["plain", "esc\"aped\n", "", 0, -5, 7, -0, 123456789012345678, 1234567890123456789,
        12345678901234567890, 1.5, -2.5e3, 1e2, True, False, None, {"b": [1, 2]}, [1, "x"], "Hà Nội"]
text = "x" * 200
ents = lambda n: [{"type": "T", "start": i, "end": i + 1, "value": vals[i % len(vals)]} for i in range(n)]
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"id": "v1", "text": text, "entities": ents(150)}) + "\n")
    f.write(json.dumps({"id": "v1", "text": text, "entities": ents(70)}) + "\n")
    f.write(json.dumps({"id": "v2", "text": text, "entities": ents(3)}) + "\n")
    f.write('{"id":"v3","text":"abc","entities":[{"type":"N","start":0,"end":1,"value":-0},'
            '{"type":"N","start":1,"end":2,"value":1.0E+2},{"type":"N","start":2,"end":3}]}\n')
PY
run_tm 0 run "$WORK/plain.yaml" -i "$WORK/values.jsonl" -o "$WORK/values.db"
[ "$(sqlq "$WORK/values.db" "SELECT count(*) FROM entities WHERE value IS NOT json_extract(value_json, '$')
  OR typeof(value) != typeof(json_extract(value_json, '$'))")" = 0 ] || fail "entity values differ from json_extract"
[ "$(sqlq "$WORK/values.db" "SELECT doc_id, count(*), max(seq) FROM entities GROUP BY doc_id")" = \
  $'v1|70|69\nv2|3|2\nv3|3|2' ] || fail "entities of a document written twice: $(sqlq "$WORK/values.db" 'SELECT doc_id, count(*) FROM entities GROUP BY 1')"
[ "$(sqlq "$WORK/values.db" "SELECT typeof(value) FROM entities WHERE doc_id = 'v3' ORDER BY seq" | tr '\n' ' ')" = \
  "integer real null " ] || fail "v3 values"

# store_text: false leaves the text out; the same run with more workers
# writes the same rows.
run_tm 0 run "$PIPE" -j 1 -o "$WORK/j1.db"
run_tm 0 run "$PIPE" -j 4 --set "outputs=[{type: output.sqlite, path: $WORK/j4.db, store_text: false}]"
[ "$(sqlq "$WORK/j4.db" 'SELECT count(*) FROM documents WHERE text IS NOT NULL')" = 0 ] || fail "store_text"
for q in "SELECT id, title, meta, entity_count, chars FROM documents ORDER BY id" \
         "SELECT * FROM entities ORDER BY doc_id, seq" "SELECT * FROM cluster_members ORDER BY doc_id"; do
  [ "$(sqlq "$WORK/j1.db" "$q" | md5sum)" = "$(sqlq "$WORK/j4.db" "$q" | md5sum)" ] || fail "workers differ: $q"
done

# A reader can query the database while a run writes to it (WAL).
python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=0.1)
assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 14
PY
echo ok
