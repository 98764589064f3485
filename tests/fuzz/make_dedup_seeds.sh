#!/usr/bin/env bash
# Make the seed corpus of fuzz_dedup from files the dedup stages really
# write: run textmill over a few short documents (written for this), then
# cut each index and signature file into the harness's input format
#   [kind][count: u32][n][n parameters: u64][body]
# (see fuzz_dedup.c). Usage: make_dedup_seeds.sh TEXTMILL [OUT_DIR]
set -euo pipefail
textmill=${1:?usage: make_dedup_seeds.sh TEXTMILL [OUT_DIR]}
out=${2:-$(cd "$(dirname "$0")" && pwd)/corpus/dedup}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/in.jsonl" <<'EOF'
{"id":"a1","text":"Sáng nay, bộ đội biên phòng tuần tra dọc sông.\n\nTin: Thông tấn xã","meta":{"published":"2024-03-02"}}
{"id":"a2","text":"Sáng nay, bộ đội biên phòng tuần tra dọc sông.\n\nTin: Thông tấn xã","meta":{"published":"2024-03-03"}}
{"id":"b1","text":"Chiều qua, dân quân xã giúp dân gặt lúa trên cánh đồng ven đồi.\n\nTin: Thông tấn xã"}
{"id":"b2","text":"Chiều qua, dân quân xã giúp dân gặt lúa trên cánh đồng ven đồi lúc trời mưa.\n\nTin: Thông tấn xã"}
{"id":"","text":"Một dòng không có mã."}
EOF
cat >"$work/run.yaml" <<'EOF'
input: {paths: [in.jsonl]}
workers: 1
stages:
  - {type: dedup.paragraph, index: para.idx, min_docs: 2}
  - {type: dedup.exact, index: exact.idx, action: mark}
  - {type: dedup.minhash, index: mh.idx, signatures: mh.sig, perms: 16, shingle_size: 2, threshold: 0.5, action: mark}
outputs:
  - {type: output.jsonl, path: out.jsonl}
EOF
cat >"$work/lines.yaml" <<'EOF'
input: {paths: [in.jsonl]}
workers: 1
stages:
  - {type: dedup.paragraph, unit: line, index: lines.idx, min_docs: 2}
outputs:
  - {type: output.jsonl, path: out2.jsonl}
EOF
"$textmill" run "$work/run.yaml" -q
"$textmill" run "$work/lines.yaml" -q

mkdir -p "$out"
python3 - "$work" "$out" <<'EOF'
import struct, sys, os
work, out = sys.argv[1], sys.argv[2]
kinds = {1: 0, 2: 1, 3: 2, 4: 3}  # file kind -> harness kind byte
for name in ["exact.idx", "mh.idx", "mh.sig", "para.idx", "lines.idx"]:
    data = open(os.path.join(work, name), "rb").read()
    kind, params_len = struct.unpack_from("<I", data, 12)[0], struct.unpack_from("<I", data, 20)[0]
    params = data[24:24 + params_len]
    count, body_len = struct.unpack_from("<QQ", data, len(data) - 24)
    body = data[24 + params_len:24 + params_len + body_len]
    seed = bytes([kinds[kind]]) + struct.pack("<I", count) + bytes([params_len // 8]) + params + body
    open(os.path.join(out, "seed_" + name.replace(".", "_")), "wb").write(seed)
    # The same file whole, for the raw mode (kind | 0x80): header and trailer fuzzed too.
    open(os.path.join(out, "raw_" + name.replace(".", "_")), "wb").write(bytes([kinds[kind] | 0x80]) + data[:-8])
EOF
ls "$out"
