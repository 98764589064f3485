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
echo ok
