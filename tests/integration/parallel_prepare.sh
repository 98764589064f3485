# A parallel stage's prepare() (stage.h): called with the first instance's
# state for every document of each batch, its note handed to whichever
# instance's process() takes the document, with one worker or three.
. "$(dirname "$0")/lib.bash"

python3 - "$WORK/in.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as out:
    for i in range(700):  # three batches
        out.write(json.dumps({"id": f"d{i}", "text": "word " * (1 + i % 40)}) + "\n")
PY
for j in 1 3; do
  config ahead <<EOF2
plugin_path: [$TM_BUILD_DIR/test-plugins/counting.so]
input: {paths: [in.jsonl]}
workers: $j
stages: [{type: test.counting_ahead}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
  run_tm 0 run "$WORK/ahead.yaml" --summary-json "$WORK/s.json"
  python3 - "$WORK/s.json" "$j" <<'PY'
import json, sys
counters = next(s for s in json.load(open(sys.argv[1]))["stages"] if s["type"] == "test.counting_ahead")["counters"]
assert counters == {"prepared with the first state": 700}, (sys.argv[2], counters)
PY
done
