# The real articles of ../shared/corpus/dev must all pass clean.normalize,
# as UTF-8 and encoded here into Windows-1258 and TCVN3: the evidence that
# keeps binary files and unknown encodings out must not turn away real
# Vietnamese text. The encoded text must come out as the UTF-8 text does.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
need_dev dantri.jsonl
config norm <<'EOF2'
input: {paths: [in]}
stages:
  - {type: clean.normalize, fix_case: true}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
set -- "$DEV/baomoi_defence.jsonl" "$DEV/baomoi_other.jsonl" "$DEV/dantri.jsonl"
n=$(cat "$@" | wc -l)
run_tm 0 run "$WORK/norm.yaml" -i "$1" -i "$2" -i "$3" -o "$WORK/utf8.jsonl"
check_accounting "$n" "$n" 0 0
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$TM_SOURCE_DIR/plugins/clean/tests" python3 - "$WORK" "$@" <<'PY'
import json, os, sys
from legacy_codec import ENCODERS
work = sys.argv[1]
for enc, fn in ENCODERS.items():
    for d in (enc, enc + "-utf8"):
        os.makedirs(os.path.join(work, d))
    for path in sys.argv[2:]:
        for line in open(path, encoding="utf-8"):
            doc = json.loads(line)
            data, same = fn(doc["text"])
            open(os.path.join(work, enc, doc["id"] + ".txt"), "wb").write(data)
            open(os.path.join(work, enc + "-utf8", doc["id"] + ".txt"), "w", encoding="utf-8").write(same)
PY
for enc in cp1258 tcvn3; do
  run_tm 0 run "$WORK/norm.yaml" -i "$WORK/$enc" -o "$WORK/$enc.jsonl"
  check_accounting "$n" "$n" 0 0
  expect_err "converted-$enc: $n"
  run_tm 0 run "$WORK/norm.yaml" -i "$WORK/$enc-utf8" -o "$WORK/$enc.want.jsonl"
  python3 - "$WORK/$enc.want.jsonl" "$WORK/$enc.jsonl" <<'PY'
import json, sys
want = {d["id"]: d["text"] for d in map(json.loads, open(sys.argv[1]))}
got = {d["id"]: d["text"] for d in map(json.loads, open(sys.argv[2]))}
assert want.keys() == got.keys()
bad = [k for k in want if want[k] != got[k]]
assert not bad, f"{len(bad)} documents differ from their UTF-8 text, e.g. {bad[:3]}"
PY
done
echo ok
