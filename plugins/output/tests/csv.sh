# output.csv: CSV and TSV that Python's csv module reads back exactly.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$TM_SOURCE_DIR/tests/fixtures/outputs/lib.bash"

# Documents and entities of the sample, beside the JSON Lines of the same run.
run_tm 0 run "$PIPE" --set "outputs=[{type: output.jsonl, path: $WORK/a.jsonl},
  {type: output.csv, path: $WORK/docs.csv,
   fields: [id, title, published, source, entity_count, entities.PERSON, entities.LOCATION, dedup.cluster, origin, text, meta]},
  {type: output.csv, path: $WORK/ents.csv, rows: entities,
   fields: [doc_id, seq, type, start, end, text, value, attrs, attrs.titles, attrs.province, rule, doc.title]},
  {type: output.csv, path: $WORK/default.tsv}]"
python3 - "$WORK" <<'PY'
import csv, json, sys
w = sys.argv[1]
docs = [json.loads(l) for l in open(f"{w}/a.jsonl", encoding="utf-8")]
read = lambda name, **kw: list(csv.DictReader(open(f"{w}/{name}", encoding="utf-8", newline=""), **kw))

rows = read("docs.csv")
assert len(rows) == len(docs) == 14
for r, d in zip(rows, docs):
    m = d["meta"]
    assert r["id"] == d["id"] and r["text"] == d["text"], r["id"]
    assert r["title"] == m.get("title", "") and r["published"] == m.get("published", "")
    assert r["source"] == m.get("source", "") and int(r["entity_count"]) == len(d["entities"])
    assert json.loads(r["meta"]) == m
    people = []
    for e in d["entities"]:
        if e["type"] == "PERSON" and e["value"] not in people:
            people.append(e["value"])
    assert r["entities.PERSON"] == "; ".join(people), (r["entities.PERSON"], people)
    assert r["dedup.cluster"] == m.get("dedup", {}).get("cluster", "")
    assert r["origin"].endswith((".txt", ".jsonl:1", ".jsonl:2", ".jsonl:3", ".jsonl:4")), r["origin"]
assert any("\n" in r["text"] and "," in r["text"] for r in rows)
assert any("," in r["title"] for r in rows)

ents = read("ents.csv")
want = [(d, i, e) for d in docs for i, e in enumerate(d["entities"])]
assert len(ents) == len(want) > 100
for r, (d, i, e) in zip(ents, want):
    assert (r["doc_id"], int(r["seq"]), r["type"], int(r["start"]), int(r["end"]), r["text"], r["rule"]) == \
        (d["id"], i, e["type"], e["start"], e["end"], e["text"], e["rule"])
    assert d["text"].encode()[e["start"]:e["end"]].decode() == r["text"]
    assert json.loads(r["attrs"]) == e["attrs"]
    v = e["value"]
    assert r["value"] == (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))), (r, v)
    assert r["attrs.titles"] == "; ".join(e["attrs"].get("titles", []))
    assert r["attrs.province"] == e["attrs"].get("province", "")
    assert r["doc.title"] == d["meta"].get("title", "")

# .tsv gives tabs, and the default columns.
tsv = list(csv.reader(open(f"{w}/default.tsv", encoding="utf-8", newline=""), dialect="excel-tab"))
assert tsv[0] == ["id", "title", "published", "author", "source", "url", "entity_count"], tsv[0]
assert [r[0] for r in tsv[1:]] == [d["id"] for d in docs]
PY

# Awkward cells survive both formats, every line ending, with and without
# a header and a byte order mark.
AWK=$TM_SOURCE_DIR/tests/fixtures/outputs/awkward.jsonl
FIELDS='[id, title, author, views, text, tags, nested.a.b, a.b, meta.title, missing]'
config awkward <<YAML
outputs:
  - {type: output.csv, path: a.csv, fields: $FIELDS}
  - {type: output.csv, path: a.tsv, fields: $FIELDS}
  - {type: output.csv, path: a.txt, format: tsv, fields: $FIELDS, line_end: crlf, bom: true}
  - {type: output.csv, path: b.csv, fields: $FIELDS, header: false, join: " | "}
YAML
run_tm 0 run "$WORK/awkward.yaml" -i "$AWK"
python3 - "$WORK" "$AWK" <<'PY'
import csv, json, sys
w, src = sys.argv[1], sys.argv[2]
docs = [json.loads(l) for l in open(src, encoding="utf-8")]
def expect(d, join="; "):
    m = d["meta"]
    cell = lambda v: "" if v is None else v if isinstance(v, str) else join.join(v) if isinstance(v, list) else json.dumps(v)
    return [d["id"], cell(m.get("title")), cell(m.get("author")), cell(m.get("views")), d["text"],
            cell(m.get("tags")), cell(m.get("nested", {}).get("a", {}).get("b")), cell(m.get("a.b")),
            cell(m.get("title")), ""]
header = ["id", "title", "author", "views", "text", "tags", "nested.a.b", "a.b", "meta.title", "missing"]
def rows(name, **kw):
    with open(f"{w}/{name}", encoding="utf-8", newline="") as f:
        return list(csv.reader(f, **kw))
assert rows("a.csv") == [header] + [expect(d) for d in docs], rows("a.csv")
assert rows("a.tsv", dialect="excel-tab") == [header] + [expect(d) for d in docs]
raw = open(f"{w}/a.txt", "rb").read()
assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n") and b"\t" in raw
assert rows("a.txt", dialect="excel-tab", ) [1:] == [expect(d) for d in docs]
assert rows("a.txt", dialect="excel-tab")[0][0] == "\ufeffid"
assert rows("b.csv") == [expect(d, " | ") for d in docs]
PY
# A cell is quoted only when it must be.
grep -qx 'plain,Plain,,12,Nothing special here.,,,,Plain,' "$WORK/a.csv" || fail "plain row quoted"
grep -qF '"comma, quote","A title, with a comma and ""quotes""",Nguyễn Văn A' "$WORK/a.csv" || fail "quoting"

# Standard output, and columns an entity row does not have.
run_tm 0 run "$PIPE" --set 'outputs=[{type: output.csv, path: "-", fields: [id]}]' -q
[ "$(wc -l <"$WORK/out")" = 15 ] || fail "stdout rows"
run_tm 1 run "$PIPE" --set "outputs=[{type: output.csv, path: $WORK/x.csv, rows: entities, fields: [type, title]}]"
expect_err "'title' is not a column of entity rows; use doc_id"
run_tm 1 run "$PIPE" --set "outputs=[{type: output.csv, path: $WORK/x.csv, fields: []}]"
expect_err "fields must name at least one column"
[ ! -e "$WORK/x.csv" ] || fail "a failed start left a file"
run_tm 2 run "$PIPE" --set "outputs=[{type: output.csv, path: $WORK/x.csv, rows: sentences}]"
echo ok
