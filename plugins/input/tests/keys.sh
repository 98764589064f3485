# JSON Lines whose id and text live under other keys: text_key and id_key,
# in the config and with --set; the record's own "id" or "text" is then a
# field like any other, and a record without the text key is rejected.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
printf '%s\n' \
  '{"doc_id":7,"content":"Hà Nội đón mùa thu.","id":"x-1","title":"Thu"}' \
  '{"doc_id":"b","content":"Đà Nẵng nắng đẹp."}' \
  '{"doc_id":"c","text":"no content here"}' \
  '{"content":"không có id"}' >"$WORK/in.jsonl"
config keys <<EOF2
input: {paths: [in.jsonl], text_key: content, id_key: doc_id}
outputs: [{type: output.jsonl, path: out.jsonl}]
rejects: rejects.jsonl
EOF2
run_tm 3 run "$WORK/keys.yaml"
check_accounting 4 3 0 1
expect_err 'in.jsonl:3 (id c) at input: malformed record: no "content"'
python3 - "$WORK" <<'PY'
import json, sys
out = [json.loads(l) for l in open(sys.argv[1] + "/out.jsonl")]
assert [d["id"] for d in out] == ["7", "b", "in:4"], out
assert out[0]["text"] == "Hà Nội đón mùa thu.", out[0]
assert out[0]["meta"] == {"id": "x-1", "title": "Thu"}, out[0]
rej = [json.loads(l) for l in open(sys.argv[1] + "/rejects.jsonl")]
assert rej[0]["raw"] == '{"doc_id":"c","text":"no content here"}', rej
PY
# The same with --set on a config that has neither.
config plain <<EOF2
input: {paths: [in.jsonl]}
outputs: [{type: output.jsonl, path: out2.jsonl}]
EOF2
run_tm 3 run "$WORK/plain.yaml" --set input.text_key=content --set input.id_key=doc_id
check_accounting 4 3 0 1
cmp -s "$WORK/out.jsonl" "$WORK/out2.jsonl" || fail "--set read differently from the config"
run_tm 0 check "$WORK/plain.yaml" --set input.text_key=content
expect_out "text_key = content    # --set input.text_key"
# Without them, every record lacks "text" or is read as usual.
run_tm 3 run "$WORK/plain.yaml" --rejects "$WORK/r.jsonl" -q
# A typo is named, with what was meant.
run_tm 2 check "$WORK/plain.yaml" --set input.txt_key=content
expect_err "unknown option 'txt_key'; did you mean 'text_key'?"
run_tm 2 check "$WORK/plain.yaml" --set input.id_key=
expect_err "id_key"
echo ok
