# clean.boilerplate from config: rule files and their errors, the audit
# field, and learning recurring lines in one run and across two.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
RULES=$TM_SOURCE_DIR/config/boilerplate

# --- a portal whose every page ends with the same lines ------------------
python3 - "$WORK" <<'PY'
import os, sys
work = sys.argv[1]
paras = ["Ngày {d}/3, Ban Chỉ huy Quân sự huyện số {i} tổ chức huấn luyện cho {n} chiến sĩ dân quân năm 2024.",
         "Buổi huấn luyện số {i} tập trung vào kỹ thuật bắn súng, điều lệnh và xử trí tình huống, đạt kết quả khá."]
for site, prefix, count in (("portal-a", "a", 300), ("portal-b", "b", 3)):
    os.makedirs(os.path.join(work, "in", site))
    for i in range(count):
        body = "\n\n".join(p.format(d=1 + i % 28, i=i, n=20 + i) for p in paras)
        page = f"Tiêu đề bài số {i} của trang\n\n{body}\n\nChuyên trang Quốc phòng toàn dân\nĐường dây nóng 0123 456 789"
        open(os.path.join(work, "in", site, f"{prefix}{i:04d}.txt"), "w").write(page)
PY
config learn <<EOF2
input: {paths: [in]}
stages:
  - {type: clean.boilerplate, rules: $RULES, keep_removed: true, recurring_min_docs: 4, recurring_out: learned.txt}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 0 run "$WORK/learn.yaml" -j 1
check_accounting 303 303 0 0
expect_err "learned-lines: 2"
expect_err "removed-recurring: 592"       # learned on the 4th page: 2 lines on each of the 296 after it
grep -qF "[source $WORK/in/portal-a]" "$WORK/learned.txt" || { cat "$WORK/learned.txt"; fail "no section for portal-a"; }
grep -qxF "edge line Chuyên trang Quốc phòng toàn dân" "$WORK/learned.txt" || fail "learned line missing"
grep -qF "portal-b" "$WORK/learned.txt" && fail "portal-b has too few pages to learn from"
python3 - "$WORK/out.jsonl" <<'PY'
import json, sys
docs = {d["id"]: d for d in map(json.loads, open(sys.argv[1]))}
assert docs["a0000"]["text"].endswith("Đường dây nóng 0123 456 789"), "learned only after 4 pages"
late = docs["a0100"]
assert late["text"].endswith("đạt kết quả khá."), repr(late["text"][-80:])
assert {"text": "Chuyên trang Quốc phòng toàn dân", "by": "recurring", "rule": "learned"} in late["meta"]["boilerplate"]
PY
# What is learned depends on input order only, never on the workers.
cp "$WORK/out.jsonl" "$WORK/out.1"
run_tm 0 run "$WORK/learn.yaml" -j 4
cmp "$WORK/out.1" "$WORK/out.jsonl" || fail "learning depends on the number of workers"

# Two passes: the lines learned by the first run clean every page of the second.
config apply <<EOF2
input: {paths: [in]}
stages:
  - {type: clean.boilerplate, recurring: false, recurring_in: learned.txt}
outputs: [{type: output.jsonl, path: out2.jsonl}]
EOF2
run_tm 0 run "$WORK/apply.yaml"
expect_err "removed-recurring: 600"
python3 - "$WORK/out2.jsonl" <<'PY'
import json, sys
docs = {d["id"]: d for d in map(json.loads, open(sys.argv[1]))}
assert docs["a0000"]["text"].endswith("đạt kết quả khá."), repr(docs["a0000"]["text"][-60:])
PY

# --- a page of nothing but chrome is dropped --------------------------------
mkdir -p "$WORK/chrome"
printf 'Đăng nhập\n\nBình luận\nBack To Top\n' >"$WORK/chrome/c.txt"
config chrome <<EOF2
input: {paths: [chrome]}
stages:
  - {type: clean.boilerplate, rules: $RULES}
outputs: [{type: output.jsonl, path: chrome.jsonl}]
EOF2
run_tm 0 run "$WORK/chrome.yaml"
check_accounting 1 0 1 0
expect_err "dropped all-boilerplate: 1"

# --- rule files are checked when the run starts -----------------------------
mkdir -p "$WORK/rules"
printf 'line Bình luận\nregex ^(unclosed\n' >"$WORK/rules/bad.txt"
run_tm 1 run "$WORK/chrome.yaml" --set "stages.0.rules=$WORK/rules"
expect_err "bad.txt:2: bad pattern at character"
run_tm 1 run "$WORK/chrome.yaml" --set "stages.0.rules=$WORK/nowhere"
expect_err "nowhere: No such file or directory"
run_tm 2 run "$WORK/chrome.yaml" --set stages.0.recurring_min_docs=1
expect_err "recurring_min_docs must be at least 2"
run_tm 2 check "$WORK/chrome.yaml" --set stages.0.group_by=site
expect_err "group_by"
echo ok
