# output.csv's formula guard: a cell a spreadsheet would run as a formula
# (CSV injection) gets a ' in front, in CSV and TSV, header included; plain
# negative numbers stay numbers; cells with , or ; are quoted so that no
# list separator can start a new cell inside one; taking one leading '
# away gives every value back; formula_guard: false writes cells as they are.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
python3 - "$WORK/in.jsonl" <<'PY'
import json, sys
docs = [
    ("sum", "=1+1", 3),
    ("dde", "=cmd|' /C calc'!A0", -5),
    ("plus", "+1+1", -0.25),
    ("minus", "-2+3", -1e3),
    ("at", "@SUM(A1:A2)", "-7"),
    ("tab", "\t=1+1", "+5"),
    ("cr", "\r=1+1", "-"),
    ("quote", "'=1+1", "-5x"),
    ("split", "x;=HYPERLINK(\"http://example.org\")", "--1"),
    ("plain", "Hội nghị, năm 2024", 0),
    ("=id", "a title", "-0"),
]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i, t, v in docs:
        f.write(json.dumps({"id": i, "text": "x", "meta": {"title": t, "views": v, "-x": "y"}},
                           ensure_ascii=False) + "\n")
PY
config csv <<EOF2
input: {paths: [in.jsonl]}
outputs:
  - {type: output.csv, path: g.csv, fields: [id, title, views, -x]}
  - {type: output.csv, path: g.tsv, fields: [id, title, views, -x]}
  - {type: output.csv, path: off.csv, fields: [id, title, views], formula_guard: false}
  - {type: output.csv, path: off.tsv, fields: [id, title, views], formula_guard: false}
EOF2
run_tm 0 run "$WORK/csv.yaml"

# The bytes, for the cells that matter.
expect_line() { grep -qxF -- "$2" "$WORK/$1" || { cat "$WORK/$1" >&2; fail "$1 lacks the line: $2"; }; }
expect_line g.csv "id,title,views,'-x"
expect_line g.csv "sum,'=1+1,3,y"
expect_line g.csv "dde,'=cmd|' /C calc'!A0,-5,y"
expect_line g.csv "plus,'+1+1,-0.25,y"
expect_line g.csv "minus,'-2+3,-1000.0,y"
expect_line g.csv "at,'@SUM(A1:A2),-7,y"
expect_line g.csv "quote,''=1+1,'-5x,y"
expect_line g.csv "split,\"x;=HYPERLINK(\"\"http://example.org\"\")\",'--1,y"
expect_line g.csv "plain,\"Hội nghị, năm 2024\",0,y"
expect_line g.csv "'=id,a title,-0,y"
expect_line g.tsv "plus	'+1+1	-0.25	y"
expect_line g.tsv "plain	\"Hội nghị, năm 2024\"	0	y"
expect_line off.csv "sum,=1+1,3"
expect_line off.tsv "plain	Hội nghị, năm 2024	0"

# Read back: without the guard's ' every cell is the value, in both formats;
# without the guard, the values as they are.
python3 - "$WORK" <<'PY'
import csv, json, sys
w = sys.argv[1]
docs = [json.loads(l) for l in open(f"{w}/in.jsonl", encoding="utf-8")]
def cell(v):
    return v if isinstance(v, str) else json.dumps(v)
want = [["id", "title", "views", "-x"]] + [[d["id"], d["meta"]["title"], cell(d["meta"]["views"]), "y"] for d in docs]
def rows(name, **kw):
    with open(f"{w}/{name}", encoding="utf-8", newline="") as f:
        return list(csv.reader(f, **kw))
triggers = ("=", "+", "-", "@", "\t", "\r", "'")
for name, kw in (("g.csv", {}), ("g.tsv", {"dialect": "excel-tab"})):
    got = rows(name, **kw)
    for r, wr in zip(got, want):
        for c, v in zip(r, wr):
            if c.startswith("'"):
                assert c[1:] == v and v.startswith(triggers), (name, c, v)
            else:
                assert c == v and (not v.startswith(triggers) or json.loads(v) < 0 or v == "-0"), (name, c, v)
    assert len(got) == len(want), name
for name, kw in (("off.csv", {}), ("off.tsv", {"dialect": "excel-tab"})):
    assert rows(name, **kw) == [r[:3] for r in want], name
PY
echo ok
