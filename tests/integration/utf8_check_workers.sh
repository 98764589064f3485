#!/usr/bin/env bash
# Texts read as raw bytes are checked for UTF-8 on the workers: every
# worker count rejects the same files with the same byte offsets, and
# writes the same output.
source "$(dirname "$0")/lib.bash"
mkdir "$WORK/in"
python3 - "$WORK/in" <<'PY'
import os, sys
d = sys.argv[1]
for i in range(300):
    text = ("Hà Nội, ngày %d: tin quốc phòng. " % i * (1 + i % 7)).encode()
    if i % 9 == 4:  # a stray Latin-1 byte after the first few words
        cut = len(("Hà Nội, ngày %d: tin" % i).encode())
        text = text[:cut] + b"\xe9" + text[cut:]
    open(os.path.join(d, "doc%03d.txt" % i), "wb").write(text)
PY
for j in 1 2 3; do
  config "j$j" <<EOF2
input: {paths: [in]}
workers: $j
stages:
  - type: filter.length
    min_chars: 1
outputs: [{type: output.jsonl, path: out$j.jsonl}]
rejects: rejects$j.jsonl
EOF2
  run_tm 3 run "$WORK/j$j.yaml"
  check_accounting 300 267 0 33
done
expect_err "doc004.txt (id doc004) at input: invalid UTF-8: at byte 24"
cmp "$WORK/out1.jsonl" "$WORK/out2.jsonl" || fail "-j 2 wrote other output than -j 1"
cmp "$WORK/out1.jsonl" "$WORK/out3.jsonl" || fail "-j 3 wrote other output than -j 1"
cmp "$WORK/rejects1.jsonl" "$WORK/rejects2.jsonl" || fail "-j 2 rejected otherwise than -j 1"
cmp "$WORK/rejects1.jsonl" "$WORK/rejects3.jsonl" || fail "-j 3 rejected otherwise than -j 1"
echo ok
