# The entity pack on one long document (over 64 KB, where the persons
# phase reads where each name is written from one pass for all names, not
# from a search per name): a name the article also writes as a thing's or
# a team's is no person, with 90 KB of text between the evidence and the
# mention, and a person stays one.
. "$(dirname "$0")/lib.bash"
python3 - "$WORK/long.test.yaml" "$TM_SOURCE_DIR/scripts/entities/defence_vi.lua" <<'PY'
import json, sys
out, script = sys.argv[1:]
filler = "Trời mưa to suốt buổi chiều và nước dâng cao ở nhiều nơi. " * 1200
text = ("Tập đoàn Hòa Phát lãi lớn. " + filler
        + "Chủ tịch Hòa Phát nói, Hòa Phát sẽ mở rộng. Nhưng ĐKVĐ Thái Sơn Nam chưa thể vô địch. " + filler
        + "Chỉ cần đối thủ sẩy chân thì Thái Sơn Nam vô địch sớm. Thủ môn Hồ Văn Ý chơi hay.")
assert len(text.encode()) > 2 * 65536
case = {"name": "thing, team and person in a long text", "text": text,
        "expect": [{"type": "PERSON", "text": "Hồ Văn Ý"}],
        "absent": [{"type": "PERSON", "text": "Hòa Phát"}, {"type": "PERSON", "text": "Thái Sơn Nam"}]}
with open(out, "w", encoding="utf-8") as f:
    f.write("script: " + json.dumps(script) + "\ncases:\n  - " + json.dumps(case, ensure_ascii=False) + "\n")
PY
run_tm 0 test "$WORK/long.test.yaml"
expect_out "1 case in 1 file: 1 passed, 0 failed"
echo ok
