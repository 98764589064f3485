# The three dedup stages from config: what they drop, mark and report.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
SRC=$TM_SOURCE_DIR

# dedup.exact: a recrawled page (same text, other case and spacing) is a
# duplicate; with diacritics folded, so is a copy without accents.
python3 - "$WORK/exact.jsonl" <<'PY'
import json, sys
docs = [("a", "Hội nghị tổng kết công tác quốc phòng năm 2024."),
        ("b", "HỘI NGHỊ tổng kết   công tác\nquốc phòng năm 2024."),
        ("c", "Hoi nghi tong ket cong tac quoc phong nam 2024."),
        ("d", "Hội nghị tổng kết công tác quốc phòng năm 2023.")]
with open(sys.argv[1], "w") as f:
    for i, t in docs:
        f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
PY
config exact <<EOF2
input: {paths: [exact.jsonl]}
stages: [{type: dedup.exact}]
outputs: [{type: output.jsonl, path: exact.out.jsonl}]
EOF2
run_tm 0 run "$WORK/exact.yaml"
check_accounting 4 3 1 0
expect_err "dropped duplicate-of: 1"
run_tm 0 run "$WORK/exact.yaml" --set stages.0.diacritics=fold
check_accounting 4 2 2 0
run_tm 0 run "$WORK/exact.yaml" --set stages.0.case=keep
check_accounting 4 4 0 0
run_tm 0 run "$WORK/exact.yaml" --set stages.0.action=mark
python3 - "$WORK/exact.out.jsonl" <<'PY'
import json, sys
recs = {r["id"]: r for r in map(json.loads, open(sys.argv[1]))}
assert recs["b"]["meta"]["dedup_exact"] == {"duplicate_of": "a"}, recs["b"]
assert "dedup_exact" not in recs["a"].get("meta", {})
PY

# dedup.minhash on the sample: the planted pair (true word-5-gram Jaccard
# 0.74, chrome included) at threshold 0.6, and nothing else.
config mh <<EOF2
input: {paths: [$SRC/corpus/sample]}
stages: [{type: dedup.minhash, threshold: 0.6}]
outputs: [{type: output.jsonl, path: mh.out.jsonl}]
EOF2
run_tm 0 run "$WORK/mh.yaml"
check_accounting 14 13 1 0
expect_err "dropped duplicate-of: 1"
grep -q '"id":"vn_quangngai_20241211"' "$WORK/mh.out.jsonl" && fail "the repost was written"
run_tm 0 run "$WORK/mh.yaml" --set stages.0.action=mark
check_accounting 14 14 0 0
python3 - "$WORK/mh.out.jsonl" <<'PY'
import json, sys
marked = {r["id"]: r["meta"]["dedup"] for r in map(json.loads, open(sys.argv[1])) if "dedup" in r.get("meta", {})}
assert list(marked) == ["vn_quangngai_20241211"], marked
m = marked["vn_quangngai_20241211"]
assert m["duplicate_of"] == "vn_quangngai_20241210" and m["cluster"] == "vn_quangngai_20241210", m
assert 0.6 <= m["similarity"] <= 1, m
PY
# keep: longest writes the longer repost as well, and says whom it supersedes
run_tm 0 run "$WORK/mh.yaml" --set stages.0.action=mark --set stages.0.keep=longest
grep -q '"supersedes":"vn_quangngai_20241210"' "$WORK/mh.out.jsonl" || fail "no supersedes mark"
# options are checked
run_tm 1 run "$WORK/mh.yaml" --set stages.0.bands=20 --set stages.0.rows=10
expect_err "bands * rows (20 * 10) must not exceed perms (128)"
run_tm 2 check "$WORK/mh.yaml" --set stages.0.keep=best
expect_err "keep"
run_tm 1 run "$WORK/mh.yaml" --set stages.0.second_pass=true
expect_err "second_pass needs an index"

# The default pipeline deduplicates.
run_tm 0 run "$SRC/config/default.yaml" -o "$WORK/default.jsonl"
expect_err "duplicate-of: 1"
grep -q '"id":"vn_quangngai_20241211"' "$WORK/default.jsonl" && fail "default pipeline kept the repost"

# dedup.paragraph: a syndicated block in four documents is removed from
# the third on (min_docs 3), reported, and the text around it kept.
python3 - "$WORK/para.jsonl" <<'PY'
import json, sys
block = "Bài viết được thực hiện trong khuôn khổ chuyên mục Quốc phòng toàn dân."
with open(sys.argv[1], "w") as f:
    for i in range(4):
        text = f"Tin số {i}: nội dung riêng của bài {i}.\n\n{block}\n\nĐoạn cuối của bài {i}."
        f.write(json.dumps({"id": f"p{i}", "text": text}, ensure_ascii=False) + "\n")
    f.write(json.dumps({"id": "p4", "text": block}, ensure_ascii=False) + "\n")
PY
config para <<EOF2
input: {paths: [para.jsonl]}
stages: [{type: dedup.paragraph, report: para.report.jsonl, mark_field: paragraphs}]
outputs: [{type: output.jsonl, path: para.out.jsonl}]
EOF2
run_tm 0 run "$WORK/para.yaml"
check_accounting 5 4 1 0
expect_err "dropped all-paragraphs-repeated: 1"
expect_err "paragraphs-removed: 3"
python3 - "$WORK/para.out.jsonl" "$WORK/para.report.jsonl" <<'PY'
import json, sys
recs = {r["id"]: r for r in map(json.loads, open(sys.argv[1]))}
assert "khuôn khổ" in recs["p1"]["text"] and "paragraphs" not in recs["p1"].get("meta", {})
assert recs["p2"]["text"] == "Tin số 2: nội dung riêng của bài 2.\n\nĐoạn cuối của bài 2.", recs["p2"]["text"]
assert recs["p3"]["meta"]["paragraphs"] == {"removed": 1}
rep = [json.loads(l) for l in open(sys.argv[2])]
assert len(rep) == 1 and rep[0]["documents"] == 5 and rep[0]["removed"] == 3, rep
assert rep[0]["text"].startswith("Bài viết"), rep
PY
run_tm 0 run "$WORK/para.yaml" --set stages.0.unit=line --set stages.0.min_docs=6
check_accounting 5 5 0 0
# Annotated text cannot be rewritten: the document is rejected, with why.
python3 - "$WORK/para.jsonl" "$WORK/annotated.jsonl" <<'PY'
import json, sys
with open(sys.argv[2], "w") as f:
    for line in open(sys.argv[1]):
        r = json.loads(line)
        r["entities"] = [{"type": "X", "start": 0, "end": 3}]
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
run_tm 3 run "$WORK/para.yaml" -i "$WORK/annotated.jsonl"
check_accounting 5 2 1 2
expect_err "rewrote the text of a document that stage"
echo ok
