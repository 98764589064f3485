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

# Broken ids crashed the run (a NULL id). Each kind is rejected with its
# FILE:LINE and reason, and every good record around them is written: an
# id cut short, invalid UTF-8, a bad escape, a lone surrogate, a raw tab;
# a NUL in an id, a key or an entity type (x\u0000a and x\u0000b were both
# "x"); a byte order mark before the first record; a last line cut inside
# its id.
python3 - "$WORK/ids.jsonl" <<'PY'
import sys
good = lambda i: b'{"id":"good%d","text":"Qu\xc3\xa2n khu %d"}\n' % (i, i)
bad = [b'{"id":"', b'{"id":"a\xff","text":"t"}', b'{"id":"a\\q","text":"t"}',
       b'{"id":"\\ud800","text":"t"}', b'{"id":"a\tb","text":"t"}',
       b'{"id":"x\\u0000a","text":"t"}', b'{"id":"x\\u0000b","text":"t"}',
       b'{"id":"k","text":"t","meta":{"a\\u0000b":1}}',
       b'{"id":"e","text":"t","entities":[{"type":"L\\u0000X","start":0,"end":1}]}']
data = b"\xef\xbb\xbf" + good(0)
for i, line in enumerate(bad):
    data += line + b"\n" + good(i + 1)
open(sys.argv[1], "wb").write(data + b'{"id":"cu')
PY
config ids <<EOF2
input: {paths: [ids.jsonl]}
stages: []
outputs: [{type: output.jsonl, path: ids-out.jsonl}]
rejects: ids-rejects.jsonl
EOF2
run_tm 3 run "$WORK/ids.yaml"
check_accounting 20 10 0 10
expect_err "ids.jsonl:2 (id ids:2) at input: malformed JSON: unterminated string at column 8"
expect_err "ids.jsonl:4 (id ids:4) at input: invalid UTF-8: at byte 9"
expect_err "ids.jsonl:6 (id ids:6) at input: malformed JSON: invalid escape in a string at column 9"
expect_err "ids.jsonl:8 (id ids:8) at input: malformed JSON: high surrogate without its low surrogate"
expect_err "ids.jsonl:10 (id ids:10) at input: malformed JSON: control character in a string"
expect_err "ids.jsonl:12 (id ids:12) at input: malformed record: \"id\" holds a NUL character (\\u0000) at column 7"
expect_err "ids.jsonl:14 (id ids:14) at input: malformed record: \"id\" holds a NUL character"
expect_err "ids.jsonl:16 (id k) at input: malformed record: a key holds a NUL character (\\u0000) at column 30"
expect_err "ids.jsonl:18 (id e) at input: bad entity: entity 0 \"type\" holds a NUL character (\\u0000)"
expect_err "ids.jsonl:20 (id ids:20) at input: malformed JSON: unterminated string at column 10"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
out = [json.loads(l) for l in open(w + "/ids-out.jsonl")]
assert [d["id"] for d in out] == ["good%d" % i for i in range(10)], out
rej = [json.loads(l) for l in open(w + "/ids-rejects.jsonl")]
assert [r["source"].rsplit(":", 1)[-1] for r in rej] == [str(n) for n in range(2, 21, 2)], rej
assert all(r["stage"] == "input" and r["reason"] and ("raw" in r or "raw_base64" in r) for r in rej), rej
PY

# The same on real articles, damaged in the test: every untouched record
# comes through whole, every damaged one is rejected by its line.
DEV=$TM_SOURCE_DIR/../shared/corpus/dev/dantri.jsonl
if [ -r "$DEV" ]; then
  python3 - "$DEV" "$WORK/real.jsonl" "$WORK/real-want.jsonl" <<'PY'
import json, sys
src, damaged, want = sys.argv[1:]
lines = open(src, "rb").read().split(b"\n")[:40]
kept, out = [], []
for i, line in enumerate(lines):
    if i == 0:
        out.append(b"\xef\xbb\xbf" + line)                          # a byte order mark first
    elif i % 8 == 3:
        out.append(line[:line.index(b'"id"') + 9])                  # cut inside the id
    elif i % 8 == 5:
        out.append(line.replace(b'"id": "', b'"id": "\xc3', 1))     # a broken character in the id
    elif i % 8 == 7:
        out.append(line.replace(b'"id": "', b'"id": "\\u0000', 1))  # a NUL in the id
    else:
        out.append(line)
    if out[-1].lstrip(b"\xef\xbb\xbf") == line:
        kept.append(json.loads(line))
data = b"\n".join(out) + b"\n" + lines[1][:len(lines[1]) // 2]  # a last line cut short
open(damaged, "wb").write(data)
open(want, "w").write("".join(json.dumps([r["id"], r["text"]]) + "\n" for r in kept))
PY
  run_tm 3 run "$WORK/ids.yaml" -i "$WORK/real.jsonl" -o "$WORK/real-out.jsonl"
  check_accounting 41 25 0 16
  expect_err "real.jsonl:4 (id real:4) at input: malformed JSON: unterminated string"
  expect_err "real.jsonl:6 (id real:6) at input: invalid UTF-8"
  expect_err "real.jsonl:8 (id real:8) at input: malformed record: \"id\" holds a NUL character"
  expect_err "real.jsonl:41 ("
  python3 - "$WORK/real-out.jsonl" "$WORK/real-want.jsonl" <<'PY'
import json, sys
got = [[d["id"], d["text"]] for d in map(json.loads, open(sys.argv[1]))]
want = [json.loads(l) for l in open(sys.argv[2])]
assert len(got) == 25 and got == want, "the untouched real records did not all come through as they were"
PY
else
  echo "skipped the real-article part: $DEV is absent"
fi

# A missing input names the config line.
config missing <<EOF2
input:
  paths: [nowhere/*.jsonl]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 1 run "$WORK/missing.yaml"
expect_err "missing.yaml:2:10: no files match"
echo ok
