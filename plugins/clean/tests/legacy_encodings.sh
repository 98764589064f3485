# Each seed article, encoded here into Windows-1258 and into TCVN3 (ABC),
# must come out of clean.normalize exactly as the UTF-8 seed does. The
# encoders below are written independently of the plugin's tables.
# Characters an encoding cannot hold become '?' (TCVN3 has no capital
# toned vowels: typists used its lower-case codes with a capitals font,
# so those come back in lower case); the UTF-8 side gets the same loss.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
if [ ! -d "$TM_SEEDS" ]; then
  echo "skipped: seed corpus not found beside the checkout (../shared/corpus/seeds)"
  exit 77
fi
python3 - "$TM_SEEDS" "$WORK" <<'PY'
import os, sys, unicodedata
seeds, work = sys.argv[1], sys.argv[2]
TONES = "\u0300\u0301\u0303\u0309\u0323"

def cp1258(text):
    data, same = bytearray(), []
    for ch in text:
        try:
            data += ch.encode("cp1258"); same.append(ch); continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
        marks = "".join(c for c in d if c in TONES)
        try:
            data += (base + marks).encode("cp1258"); same.append(ch)
        except UnicodeEncodeError:
            data += b"?"; same.append("?")
    return bytes(data), "".join(same)

# TCVN3 (VN3) from 0xA1 to 0xFE; '.' marks codes only the full TCVN 5712 uses.
VN3 = ("ĂÂÊÔƠƯĐăâêôơưđ" "." "....." "àảãáạ" "." "ằẳẵắ" "......." "ặầẩẫấậè" "."
       "ẻẽéẹềểễếệìỉ" "..." "ĩíịò" "." "ỏõóọồổỗốộờởỡớợù" "." "ủũúụừửữứựỳỷỹýỵ")
assert len(VN3) == 0xFE - 0xA1 + 1
TCVN = {c: 0xA1 + i for i, c in enumerate(VN3) if c != "."}
TCVN["\u00a0"] = 0xA0

def tcvn3(text):
    data, same = bytearray(), []
    for ch in text:
        if ord(ch) < 0x80:
            data.append(ord(ch)); same.append(ch)
        elif ch in TCVN:
            data.append(TCVN[ch]); same.append(ch)
        elif ch.lower() in TCVN and ch.lower() not in "ăâêôơưđ":
            data.append(TCVN[ch.lower()]); same.append(ch.lower())
        else:
            data.append(ord("?")); same.append("?")
    return bytes(data), "".join(same)

for name in sorted(os.listdir(seeds)):
    if not name.endswith(".txt"):
        continue
    text = open(os.path.join(seeds, name), encoding="utf-8").read()
    for enc, fn in (("cp1258", cp1258), ("tcvn3", tcvn3)):
        data, same = fn(text)
        for d in (enc, enc + "-utf8"):
            os.makedirs(os.path.join(work, d), exist_ok=True)
        open(os.path.join(work, enc, name), "wb").write(data)
        open(os.path.join(work, enc + "-utf8", name), "w", encoding="utf-8").write(same)
        try:
            data.decode("utf-8")
            raise SystemExit(f"{name} in {enc} happens to be valid UTF-8")
        except UnicodeDecodeError:
            pass
PY
config norm <<'EOF2'
input: {paths: [cp1258]}
stages:
  - {type: clean.normalize, fix_case: true}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
n=$(ls "$TM_SEEDS"/*.txt | wc -l)
for enc in cp1258 tcvn3; do
  for how in auto $enc; do
    run_tm 0 run "$WORK/norm.yaml" -i "$WORK/$enc" -o "$WORK/$enc.$how.jsonl" --set stages.0.encoding=$how
    check_accounting "$n" "$n" 0 0
    expect_err "converted-$enc: $n"
  done
  run_tm 0 run "$WORK/norm.yaml" -i "$WORK/$enc-utf8" -o "$WORK/$enc.want.jsonl"
  for how in auto $enc; do
    python3 - "$WORK/$enc.want.jsonl" "$WORK/$enc.$how.jsonl" <<'PY'
import difflib, json, sys
want = {d["id"]: d["text"] for d in map(json.loads, open(sys.argv[1]))}
got = {d["id"]: d["text"] for d in map(json.loads, open(sys.argv[2]))}
assert want.keys() == got.keys(), (want.keys(), got.keys())
for k in want:
    if want[k] != got[k]:
        diff = difflib.unified_diff(want[k].splitlines(), got[k].splitlines(), "utf-8", sys.argv[2], lineterm="")
        sys.exit(f"{k} differs:\n" + "\n".join(diff))
PY
  done
done
# A Windows-1258 file read as TCVN3 on purpose is not what the seed says.
run_tm 0 run "$WORK/norm.yaml" -i "$WORK/cp1258" -o "$WORK/wrong.jsonl" --set stages.0.encoding=tcvn3
if cmp -s "$WORK/wrong.jsonl" "$WORK/cp1258.want.jsonl"; then fail "the encoding option had no effect"; fi
echo ok
