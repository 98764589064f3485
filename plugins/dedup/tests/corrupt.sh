# Dedup files whose length fields lie, each with a correct checksum so the
# check under test is reached: the tools of the merge step and the stages
# refuse them with the file, the byte and the record at fault, exit 1, and
# leave no output behind. (test_corrupt.c covers every length field of
# the library's readers; this covers the programs and dedup.paragraph.)
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
: "${DD_SIGTOOL:?run through ctest}"
DEDUP=$TM_BUILD_DIR/textmill-dedup

# craft KIND PARAMS COUNT OUT < BODY-AS-PYTHON: a dedup file with a right CRC.
craft() {
  python3 - "$@" <<'PY'
import struct, sys, zlib
kind, params, count, out, body = int(sys.argv[1]), eval(sys.argv[2]), int(sys.argv[3], 0), sys.argv[4], eval(sys.argv[5])
data = b"TMDEDUP\n" + struct.pack("<IIII", 1, kind, 2, 8 * len(params))  # format 1, hash version 2 (hash.h)
data += b"".join(struct.pack("<Q", p) for p in params) + body
data += b"TMDDEND\n" + struct.pack("<QQ", count, len(body))
open(out, "wb").write(data + struct.pack("<II", zlib.crc32(data), 0))
PY
}
# perms 8, word 5-shingles, case fold and punctuation removed, MH_DEFAULT_SEED
SIGP='[8, 5, 0, 5, 0x7465787464656475]'
rec() {  # a signature record as Python: rec ORDER ID_LEN ID
  echo "struct.pack('<QqII', $1, -2**63, 100, $2) + bytes(32) + b'$3'"
}

# The report's case: record 1 says its id has 0xFFFFFFFF bytes.
craft 3 "$SIGP" 2 "$WORK/bad.sig" "$(rec 0 1 a) + $(rec 1 0xFFFFFFFF bcd)"
craft 3 "$SIGP" 1 "$WORK/good.sig" "$(rec 5 1 z)"
want="$WORK/bad.sig is corrupt at byte 121 (record 1): id length 4294967295 is above the limit of 65536 bytes"
check_tool() {  # check_tool NAME COMMAND...: exit 1 and the message
  local name=$1 got=0; shift
  "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
  [ "$got" = 1 ] || { cat "$WORK/err" >&2; fail "$name exited $got, expected 1"; }
  expect_err "$want"
}
check_tool "textmill-dedup merge" "$DEDUP" merge "$WORK/m.sig" "$WORK/good.sig" "$WORK/bad.sig"
[ -e "$WORK/m.sig" ] && fail "merge left its output"
ls -a "$WORK" | grep -q '\.m\.sig\.tmp' && fail "merge left a temporary file"
check_tool "textmill-dedup decide" "$DEDUP" decide -q --out "$WORK/d.tsv" "$WORK/bad.sig" "$WORK/good.sig"
[ -e "$WORK/d.tsv" ] && fail "decide left its output"
check_tool "dd_sigtool merge" "$DD_SIGTOOL" merge "$WORK/m.sig" "$WORK/bad.sig"
check_tool "dd_sigtool replay" "$DD_SIGTOOL" replay "$WORK/bad.sig"
"$DEDUP" info "$WORK/bad.sig" >"$WORK/out"   # the container is sound: info reads only its header
expect_out "records: 2"

# A record count no body can hold.
craft 3 "$SIGP" 1000000 "$WORK/bad.sig" "$(rec 0 1 a)"
want="$WORK/bad.sig is corrupt at byte 129: its trailer counts 1000000 records of at least 56 bytes, more than its body of 57 bytes holds"
check_tool "textmill-dedup decide (count)" "$DEDUP" decide -q "$WORK/bad.sig"

# The stages: a minhash index whose entry 0 has a huge id, and a paragraph
# index whose count times 12 wraps around to its body length.
printf '{"id":"a","text":"one two three four five six seven"}\n' >"$WORK/in.jsonl"
config mh <<EOF2
input: {paths: [in.jsonl]}
stages: [{type: dedup.minhash, index: bad.idx, perms: 8}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
craft 2 "$SIGP" 1 "$WORK/bad.idx" \
  "struct.pack('<Q', 1) + struct.pack('<QqIIII', 0, -2**63, 9, 0xFFFFFFFF, 0, 0) + bytes(32) + b'a'"
run_tm 1 run "$WORK/mh.yaml"
expect_err "index: $WORK/bad.idx is corrupt at byte 72 (entry 0): id length 4294967295 is above the limit of 65536 bytes"
expect_err "no output was committed"
[ -e "$WORK/out.jsonl" ] && fail "output written over a corrupt index"

config pg <<EOF2
input: {paths: [in.jsonl]}
stages: [{type: dedup.paragraph, index: bad.pidx}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
# 0x1555555555555556 * 12 is 8 modulo 2^64: one 8-byte body "matched" it
craft 4 '[9, 0, 0x7061726167]' 0x1555555555555556 "$WORK/bad.pidx" "struct.pack('<Q', 7)"
run_tm 1 run "$WORK/pg.yaml"
expect_err "index: $WORK/bad.pidx is corrupt at byte 64: its trailer counts 1537228672809129302 paragraphs"
craft 4 '[9, 0, 0x7061726167]' 2 "$WORK/bad.pidx" "struct.pack('<QIQI', 7, 1, 0, 1)"
run_tm 1 run "$WORK/pg.yaml"
expect_err "index: $WORK/bad.pidx is corrupt at byte 60 (entry 1): a paragraph hash of 0"

# So a writer never makes a file its reader refuses: a document with an id
# over the limit is rejected by the stages that keep ids, and the indexes
# they write read back.
python3 - "$WORK/long.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i, n in enumerate([65536, 65537]):
        f.write(json.dumps({"id": "ab"[i] * n, "text": "one two three four five six seven " * (i + 1)}) + "\n")
PY
for stage in dedup.exact dedup.minhash; do
  config long <<EOF2
input: {paths: [long.jsonl]}
stages: [{type: $stage, index: long-$stage.idx}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
  run_tm 3 run "$WORK/long.yaml"
  check_accounting 2 1 0 1
  expect_err "id of 65537 bytes: an index holds ids of at most 65536 bytes"
  run_tm 0 run "$WORK/long.yaml" -i "$WORK/in.jsonl"
done
echo ok
