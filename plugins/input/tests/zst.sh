# .jsonl.zst and .txt.zst read as their plain files are, in folders too;
# a truncated or damaged .zst stops the run naming the file and the line
# reached, and commits nothing.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
command -v zstd >/dev/null || { echo "zstd (the command) is not installed"; exit 77; }
mkdir "$WORK/in"
python3 - "$WORK/in" <<'PY'
import json, sys
with open(sys.argv[1] + "/tin.jsonl", "w", encoding="utf-8") as f:
    for i in range(3000):
        f.write(json.dumps({"id": f"t{i}", "text": f"Bản tin số {i}: Hà Nội mưa rào. " * 5}, ensure_ascii=False) + "\n")
open(sys.argv[1] + "/bai.txt", "w", encoding="utf-8").write("Một bài viết ngắn.\n")
PY
zstd -q "$WORK/in/tin.jsonl" "$WORK/in/bai.txt"
config plain <<EOF2
input: {paths: [in/tin.jsonl, in/bai.txt]}
outputs: [{type: output.jsonl, path: plain.jsonl}]
EOF2
config zst <<EOF2
input: {paths: [in/tin.jsonl.zst, in/bai.txt.zst]}
outputs: [{type: output.jsonl, path: zst.jsonl}]
EOF2
run_tm 0 run "$WORK/plain.yaml" -q
run_tm 0 run "$WORK/zst.yaml"
check_accounting 3001 3001 0 0
cmp -s "$WORK/plain.jsonl" "$WORK/zst.jsonl" || fail ".zst read differently from the plain files"
grep -q '"id":"bai"' "$WORK/zst.jsonl" || fail "a .txt.zst is not named after its file without .txt.zst"
# In a folder, .zst files are read, not skipped as of an unknown kind.
rm "$WORK/in/tin.jsonl" "$WORK/in/bai.txt"
run_tm 0 run "$WORK/zst.yaml" -i "$WORK/in" -o "$WORK/dir.jsonl"
check_accounting 3001 3001 0 0
# A sharded run reads a .zst whole, in one shard.
for k in 0 1 2; do
  run_tm 0 run "$WORK/zst.yaml" --shard "$k/3" -o "$WORK/s$k.jsonl" -q
done
[ "$(cat "$WORK"/s0.jsonl "$WORK"/s1.jsonl "$WORK"/s2.jsonl | wc -l)" = 3001 ] || fail "shards lost or doubled records"
# Truncated: the run fails, names the file and how far it got.
size=$(stat -c %s "$WORK/in/tin.jsonl.zst")
head -c $((size / 2)) "$WORK/in/tin.jsonl.zst" >"$WORK/in/cut.jsonl.zst"
run_tm 1 run "$WORK/zst.yaml" -i "$WORK/in/cut.jsonl.zst" -o "$WORK/cut.jsonl"
expect_err "cannot read $WORK/in/cut.jsonl.zst: the file ends inside a zstd frame (truncated?), after line"
[ ! -e "$WORK/cut.jsonl" ] || fail "a truncated input committed an output"
# Not zstd at all.
printf '{"id":"a","text":"not compressed"}\n' >"$WORK/in/fake.jsonl.zst"
run_tm 1 run "$WORK/zst.yaml" -i "$WORK/in/fake.jsonl.zst" -o "$WORK/fake.jsonl"
expect_err "cannot read $WORK/in/fake.jsonl.zst: Unknown frame descriptor (a damaged zstd file?)"
# An empty file is an empty input, as an empty .jsonl is.
: >"$WORK/in/empty.jsonl.zst"
run_tm 4 run "$WORK/zst.yaml" -i "$WORK/in/empty.jsonl.zst" -o "$WORK/empty.jsonl"
echo ok
