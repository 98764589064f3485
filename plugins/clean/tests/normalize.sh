# clean.normalize through the real binary: verdicts, counters, repairs.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"

mkdir -p "$WORK/in"
printf 'Vi\xe1\xbb\x87t Nam \xff qu\xe1\xbb\x91c ph\xc3\xb2ng\n' >"$WORK/in/bad.txt"
printf '\xef\xbb\xbf  Ti\xc3\xaau \xc4\x91\xe1\xbb\x81\r\n\r\n\r\n\r\nho\xc3\xa0 b\xc3\xacnh\xc2\xa0 \xe2\x80\x8b t\xe1\xbb\x89nh \xc4\x90Ie\xcc\xa3\xcc\x82n Bi\xc3\xaan  \r\n' >"$WORK/in/messy.txt"
printf '\xc2\xa0 \xe2\x80\x8b\n\xe2\x80\x8b \xc2\xa0\n' >"$WORK/in/invisible.txt"
printf ' \n\t\n' >"$WORK/in/blank.txt"
config norm <<'EOF2'
input: {paths: [in]}
stages:
  - {type: clean.normalize, fix_case: true}
outputs: [{type: output.jsonl, path: out.jsonl}]
rejects: rejects.jsonl
EOF2

# Invalid UTF-8 is rejected with the byte, as the host words it; an empty
# and an invisible-only document are rejected as empty.
run_tm 3 run "$WORK/norm.yaml"
check_accounting 4 1 0 3
expect_err "rejected invalid UTF-8: 1"
expect_err "rejected empty document: 1"  # one by the input, one by clean.normalize
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
out = {d["id"]: d for d in map(json.loads, open(w + "/out.jsonl"))}
assert out["messy"]["text"] == "Tiêu đề\n\nhòa bình tỉnh Điện Biên", repr(out["messy"]["text"])
rej = {json.loads(l)["id"]: json.loads(l) for l in open(w + "/rejects.jsonl")}
assert rej["bad"]["reason"] == "invalid UTF-8: at byte 12", rej["bad"]["reason"]
assert rej["bad"]["stage"] == "stages.0", rej["bad"]  # the stage label
assert rej["invisible"]["reason"].startswith("empty document"), rej["invisible"]
PY
# The byte order mark that starts messy.txt is the reader's to take off, so
# the stage never sees it (its own count of them: test_normalize.c).
expect_err "tone-marks-moved: 1"
expect_err "casing-repaired: 1"
expect_err "composed-documents: 1"

# repair: true keeps it, with U+FFFD and a count.
run_tm 3 run "$WORK/norm.yaml" --set stages.0.repair=true
check_accounting 4 2 0 2
expect_err "replacement-characters: 1"
expect_err "repaired-documents: 1"
python3 - "$WORK/out.jsonl" <<'PY'
import json, sys
out = {d["id"]: d for d in map(json.loads, open(sys.argv[1]))}
assert out["bad"]["text"] == "Việt Nam \ufffd quốc phòng", repr(out["bad"]["text"])
PY

# JSON Lines input goes through the same way; new style tone marks on request.
printf '{"id":"j1","text":"Ho\\u00e0 b\\u00ecnh, th\\u1ee7y l\\u1ee3i, T\\u1ec9nh \\u1ee7y\\u00a0"}\n' >"$WORK/in.jsonl"
"$TEXTMILL" run "$WORK/norm.yaml" -i "$WORK/in.jsonl" -o - -q --set stages.0.tone_marks=new >"$WORK/j.jsonl"
python3 - "$WORK/j.jsonl" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).readline())
assert d["text"] == "Hoà bình, thuỷ lợi, Tỉnh uỷ", repr(d["text"])
PY

# Options are checked.
run_tm 2 check "$WORK/norm.yaml" --set stages.0.tone_marks=newest
expect_err "tone_marks"
run_tm 2 run "$WORK/norm.yaml" --set stages.0.max_blank_lines=-1
expect_err "max_blank_lines must be between 0 and 100"
echo ok
