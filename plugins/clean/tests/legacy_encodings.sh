# Each seed article, encoded here into Windows-1258 and into TCVN3 (ABC),
# must come out of clean.normalize exactly as the UTF-8 seed does. The
# encoders (legacy_codec.py) are written independently of the plugin's
# tables; what an encoding cannot hold, the UTF-8 side loses too.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
if [ ! -d "$TM_SEEDS" ]; then
  echo "skipped: seed corpus not found beside the checkout (../shared/corpus/seeds)"
  exit 77
fi
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$TM_SOURCE_DIR/plugins/clean/tests" python3 - "$TM_SEEDS" "$WORK" <<'PY'
import os, sys
from legacy_codec import cp1258, tcvn3
seeds, work = sys.argv[1], sys.argv[2]

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
