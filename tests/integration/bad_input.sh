# Bad records are rejected with their place and reason, and nothing is lost.
. "$(dirname "$0")/lib.bash"

printf '%s\n' \
  '{"id":"ok1","text":"Bộ Quốc phòng tổ chức hội nghị."}' \
  '{"id":"broken","text":"no closing brace"' \
  '{"id":"notext","meta":{}}' \
  '{"id":"empty","text":"   "}' \
  '' \
  '{"id":"ok2","text":"Quân khu 5","meta":{"source":"x"},"extra":[1,2]}' >"$WORK/in.jsonl"
printf '{"id":"latin1","text":"caf\xe9"}\r\n{"id":"crlf","text":"dòng CRLF"}' >>"$WORK/in.jsonl"
printf 'Th\xe1nh ph\xf4\n' >"$WORK/legacy.txt"

config bad <<EOF2
input: {paths: [in.jsonl, legacy.txt]}
stages: []
outputs: [{type: output.jsonl, path: out.jsonl}]
rejects: rejects.jsonl
EOF2
run_tm 3 run "$WORK/bad.yaml"
check_accounting 8 3 0 5
expect_err "in.jsonl:2 (id broken) at input: malformed JSON"
expect_err "in.jsonl:3"
expect_err 'no "text"'
expect_err "in.jsonl:4 (id empty) at input: empty document"
expect_err "in.jsonl:7 (id latin1) at input: invalid UTF-8: at byte 27"
expect_err "legacy.txt (id legacy) at input: invalid UTF-8: at byte 3"
python3 - "$WORK" <<'PY'
import base64, json, sys
w = sys.argv[1]
out = [json.loads(l) for l in open(w + "/out.jsonl")]
assert [d["id"] for d in out] == ["ok1", "ok2", "crlf"], out
assert out[1]["meta"] == {"source": "x", "extra": [1, 2]}, out[1]
assert out[2]["text"] == "dòng CRLF"
rej = [json.loads(l) for l in open(w + "/rejects.jsonl")]
assert [r["source"].rsplit("/", 1)[-1] for r in rej] == \
    ["in.jsonl:2", "in.jsonl:3", "in.jsonl:4", "in.jsonl:7", "legacy.txt"], rej
assert rej[0]["raw"].startswith('{"id":"broken"'), rej[0]
assert base64.b64decode(rej[4]["raw_base64"]) == b"Th\xe1nh ph\xf4\n", rej[4]
assert all(r["reason"] and r["stage"] == "input" for r in rej)
PY

# on_error: fail stops at the first reject and commits nothing.
rm -f "$WORK/out.jsonl"
run_tm 1 run "$WORK/bad.yaml" --set on_error=fail
expect_err "in.jsonl:2: malformed JSON"
expect_err "on_error is fail"
[ ! -e "$WORK/out.jsonl" ] || fail "a failed run left an output file"
ls "$WORK" | grep -q tmp- && fail "a failed run left a temporary file"

# A damaged gzip file is an I/O error on the reader thread: the run stops,
# names the file, and commits nothing.
python3 -c 'import gzip,sys; d=gzip.compress(("{\"id\":\"x\",\"text\":\"%s\"}\n" % ("Quân khu 5 " * 50)).encode() * 2000); sys.stdout.buffer.write(d[:len(d)//2])' >"$WORK/cut.jsonl.gz"
rm -f "$WORK/out.jsonl"
run_tm 1 run "$WORK/bad.yaml" -i "$WORK/cut.jsonl.gz"
expect_err "cut.jsonl.gz"
expect_err "no output was committed"
[ ! -e "$WORK/out.jsonl" ] || fail "a run stopped by a read error left its output"

# A missing input names the config line.
config missing <<EOF2
input:
  paths: [nowhere/*.jsonl]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 1 run "$WORK/missing.yaml"
expect_err "missing.yaml:2:10: no files match"
echo ok
