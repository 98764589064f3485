# The stages' counters come in the same order on every run and for every
# -j: in the summary on stderr, in --summary-json and in output.sqlite's
# run_stages, whichever worker counted a name first.
. "$(dirname "$0")/lib.bash"

# Several batches of documents of varied lengths and ids.
python3 - "$WORK/in.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as out:
    for i in range(700):
        text = " ".join(f"w{(i * 7 + k) % 97}" for k in range(20 + (i * 53) % 400))
        out.write(json.dumps({"id": f"d{i * 7919 % 10007}", "text": text}) + "\n")
PY
config count <<EOF2
plugin_path: [$TM_BUILD_DIR/test-plugins/counting.so]
input: {paths: [in.jsonl]}
stages:
  - {type: test.counting, us: 50}
  - {type: test.counting_serial, us: 50}
outputs:
  - {type: output.jsonl, path: out.jsonl}
  - {type: output.sqlite, path: out.sqlite, store_text: false}
EOF2

# What must not change: the counter lines of the summary, the counters of
# the JSON summary and of the database, and the output.
keep() {
  sed -n '/^  stage /,$p' "$WORK/err" | grep -v '^  [a-z]' >"$WORK/$1.summary"
  python3 - "$WORK/s.json" "$WORK/out.sqlite" "$WORK/$1" <<'PY'
import json, sqlite3, sys
stages = json.load(open(sys.argv[1]))["stages"]
db = sqlite3.connect(sys.argv[2])
rows = db.execute("SELECT label, counters FROM run_stages ORDER BY position").fetchall()
with open(sys.argv[3] + ".json", "w") as out:
    for s in stages:
        out.write(s["label"] + " " + json.dumps(s["counters"]) + "\n")
    for label, counters in rows:
        out.write(label + " " + str(counters) + "\n")
PY
  mv "$WORK/out.jsonl" "$WORK/$1.jsonl"
  rm -f "$WORK/out.sqlite"
}

for round in a b; do
  for j in 1 2 3; do
    run_tm 0 run "$WORK/count.yaml" -j $j --summary-json "$WORK/s.json"
    check_accounting 700 700 0 0
    keep "$j$round"
  done
done

# The counters are all there, summed over the instances and over prepare().
python3 - "$WORK/1a.json" <<'PY'
import json, sys
lines = dict(l.rstrip("\n").split(" ", 1) for l in open(sys.argv[1]) if l.startswith("stages."))
par, ser = json.loads(lines["stages.0"]), json.loads(lines["stages.1"])
assert par["created"] == 1 and par["finished"] == 1, par
assert sum(v for k, v in par.items() if k.startswith("length-")) == 700, par
assert sum(v for k, v in par.items() if k.startswith("name-")) == 700 * 6, par
assert sum(v for k, v in ser.items() if k.startswith("prepared-length-")) == 700, ser
assert ser["odd"] + ser["even"] == 700, ser
# the order one worker first counts them: create(), the first document...
names = list(par)
assert names[0] == "created" and names[-1] == "finished", names
assert len(names) > 20, names
PY

for run in 1b 2a 2b 3a 3b; do
  for f in summary json jsonl; do
    cmp "$WORK/1a.$f" "$WORK/$run.$f" || {
      diff "$WORK/1a.$f" "$WORK/$run.$f" | head -20 >&2
      fail "run $run (-j ${run%?}): its $f differs from the first run with -j 1"
    }
  done
done
