# `run -o - | head`: a closed stdout ends the run quietly, with status 0,
# and the other files of the run (cut short) are not committed.
. "$(dirname "$0")/lib.bash"
python3 - "$WORK/in.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(20000):
        f.write(json.dumps({"id": f"d{i}", "text": "Hà Giang tổ chức diễn tập khu vực phòng thủ. " * 4}) + "\n")
PY
config job <<EOF2
input: {paths: [in.jsonl]}
stages: [{type: filter.length, min_chars: 1}]
outputs: [{type: output.jsonl, path: all.jsonl}]
rejects: rejects.jsonl
EOF2
{ "$TEXTMILL" run "$WORK/job.yaml" -o - -j 2 2>"$WORK/err"; echo $? >"$WORK/rc"; } | head -n 1 >"$WORK/first"
[ "$(cat "$WORK/rc")" = 0 ] || { cat "$WORK/err" >&2; fail "run -o - | head exited $(cat "$WORK/rc"), expected 0"; }
[ ! -s "$WORK/err" ] || { cat "$WORK/err" >&2; fail "run -o - | head printed on stderr"; }
grep -q '"id":"d0"' "$WORK/first" || fail "head did not get the first document"
[ ! -e "$WORK/rejects.jsonl" ] || fail "a run cut short committed its rejects file"
# Read to the end, the same run writes every document.
run_tm 0 run "$WORK/job.yaml" -o - -q
[ "$(wc -l <"$WORK/out")" = 20000 ] || fail "a whole run wrote $(wc -l <"$WORK/out") lines"
echo ok
