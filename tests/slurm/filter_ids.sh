# filter.ids: drops (or marks) the documents a list names, by id or by line;
# the same result with 1 and 3 workers; escapes; a list that does not fit
# the input fails the run; malformed lists are refused with their line.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
cd "$WORK"  # --set paths are relative to the current directory
python3 - "$WORK/in.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1000):
        d = {"id": f"d{i}", "text": f"document number {i}", "meta": {"old": 1}}
        if i == 7: d["id"] = "tab\there"
        if i in (20, 21): d["id"] = "twice"
        f.write(json.dumps(d) + "\n")
PY
printf 'd3\tduplicate-of:d1\n\nd500\ttoo-boring\t{"why":"boring"}\ntab\\there\tescaped\nnot-there\tnothing\nd3\tsecond-line-ignored\n' >"$WORK/list.tsv"
config f <<EOF2
input: {paths: [in.jsonl]}
stages: [{type: filter.ids, list: list.tsv}]
outputs: [{type: output.jsonl, path: kept.jsonl}]
EOF2
run_tm 0 run "$WORK/f.yaml" -j 1 -o "$WORK/one.jsonl"
check_accounting 1000 997 3 0
expect_err "duplicate-of: 1"
expect_err "too-boring: 1"
expect_err "escaped: 1"
run_tm 0 run "$WORK/f.yaml" -j 3 -o "$WORK/three.jsonl"
cmp "$WORK/one.jsonl" "$WORK/three.jsonl" || fail "-j 3 differs from -j 1"
grep -q '"d3"\|"d500"\|tab\\there' "$WORK/one.jsonl" && fail "a listed document was kept"
# mark instead of drop: JSON when the line has it, else the reason; remove_field
run_tm 0 run "$WORK/f.yaml" --set stages.0.action=mark --set stages.0.mark_field=flag --set stages.0.remove_field=old -o "$WORK/m.jsonl"
python3 - "$WORK/m.jsonl" <<'PY'
import json, sys
docs = {d["id"]: d for d in map(json.loads, open(sys.argv[1]))}
assert len(docs) == 999  # "twice" twice
assert docs["d500"]["meta"]["flag"] == {"why": "boring"}
assert docs["d3"]["meta"]["flag"] == "duplicate-of:d1"
assert "flag" not in docs["d4"]["meta"] and all("old" not in d["meta"] for d in docs.values())
PY
expect_err "marked: 3"
# by line: only the second of two documents with the same id
printf 'twice\tduplicate-of:twice\t\t22\n' >"$WORK/lines.tsv"
run_tm 0 run "$WORK/f.yaml" --set stages.0.list=lines.tsv --set stages.0.match=line -o "$WORK/l.jsonl"
check_accounting 1000 999 1 0
[ "$(grep -c '"twice"' "$WORK/l.jsonl")" = 1 ] || fail "match: line dropped both documents with one id"
printf 'd5\tduplicate-of:d1\t\t10\n' >"$WORK/wrong.tsv"
run_tm 1 run "$WORK/f.yaml" --set stages.0.list=wrong.tsv --set stages.0.match=line -o "$WORK/w.jsonl"
expect_err "the list was made for another input"
[ ! -e "$WORK/w.jsonl" ] || fail "a run with a wrong list committed its output"
# malformed lists
printf 'd1\n' >"$WORK/bad1.tsv"
run_tm 1 run "$WORK/f.yaml" --set stages.0.list=bad1.tsv -o "$WORK/x.jsonl"
expect_err "bad1.tsv:1: expected ID<TAB>REASON"
printf 'd1\tr\n\\q\tr\n' >"$WORK/bad2.tsv"
run_tm 1 run "$WORK/f.yaml" --set stages.0.list=bad2.tsv -o "$WORK/x.jsonl"
expect_err "bad2.tsv:2: a backslash must be followed by"
printf 'd1\tr\t\tx\n' >"$WORK/bad3.tsv"
run_tm 1 run "$WORK/f.yaml" --set stages.0.list=bad3.tsv --set stages.0.match=line -o "$WORK/x.jsonl"
expect_err "needs a line number"
printf 'twice\tr\t\t21\ntwice\tr\t\t21\n' >"$WORK/bad4.tsv"
run_tm 1 run "$WORK/f.yaml" --set stages.0.list=bad4.tsv --set stages.0.match=line -o "$WORK/x.jsonl"
expect_err "bad4.tsv:2: line 21 is listed twice"
run_tm 1 run "$WORK/f.yaml" --set stages.0.list=missing.tsv -o "$WORK/x.jsonl"
expect_err "cannot open the list"
echo ok
