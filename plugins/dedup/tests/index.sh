# Indexes across runs: a second crawl is deduplicated against the first;
# damaged, truncated and foreign index files are clear errors that leave
# no output; second_pass keeps each cluster's best document.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
cd "$WORK"  # --set paths are relative to the current directory
python3 "$TM_SOURCE_DIR/bench/dedup_gen.py" --docs 2000 --dup-rate 0.25 --out "$WORK/all.jsonl"
head -n 1000 "$WORK/all.jsonl" >"$WORK/day1.jsonl"
tail -n 1000 "$WORK/all.jsonl" >"$WORK/day2.jsonl"
config day <<EOF2
input: {paths: [day1.jsonl]}
stages:
  - {type: dedup.exact, index: idx/exact.idx}
  - {type: dedup.minhash, index: idx/mh.idx}
  - {type: dedup.paragraph, index: idx/para.idx, min_docs: 100}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
# The whole corpus in one run, for reference.
run_tm 0 run "$WORK/day.yaml" --set 'input.paths=[all.jsonl]' --set stages.0.index=one/e.idx \
  --set stages.1.index=one/m.idx --set stages.2.index=one/p.idx
cp "$WORK/out.jsonl" "$WORK/one.jsonl"
# Day 1 starts the indexes, day 2 continues them.
run_tm 0 run "$WORK/day.yaml"
expect_err "index"
expect_err "does not exist yet; starting a new one"
cp "$WORK/out.jsonl" "$WORK/two.jsonl"
run_tm 0 run "$WORK/day.yaml" --set 'input.paths=[day2.jsonl]'
expect_err "documents"   # "index …: N documents"
cat "$WORK/out.jsonl" >>"$WORK/two.jsonl"
cmp "$WORK/one.jsonl" "$WORK/two.jsonl" || fail "two days with an index differ from one run"
for f in exact.idx mh.idx para.idx; do
  cmp "$WORK/idx/$f" "$WORK/one/${f%%.idx}.idx" 2>/dev/null || true
done
# Day 2 again: every document was seen (exact duplicates of themselves).
run_tm 0 run "$WORK/day.yaml" --set 'input.paths=[day2.jsonl]' --set stages.0.index_update=false
check_accounting 1000 0 1000 0

damage() {  # damage NAME PYTHON-EXPR-ON-bytes-b
  python3 - "$WORK/idx/mh.idx" "$WORK/bad/$1" "$2" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b = eval(sys.argv[3])
open(sys.argv[2], "wb").write(bytes(b))
PY
}
mkdir -p "$WORK/bad"
damage truncated 'b[:len(b) // 2]'
damage short 'b[:-1]'
damage flipped 'b[:len(b) // 3] + bytes([b[len(b) // 3] ^ 1]) + b[len(b) // 3 + 1:]'
damage empty 'b""'
printf 'id\ttext\n' >"$WORK/bad/foreign"
cp "$WORK/idx/exact.idx" "$WORK/bad/exact"
rm -f "$WORK/out.jsonl"
for case in truncated:"truncated or incomplete" short:"truncated or incomplete" flipped:"checksum mismatch" \
            empty:"is not a textmill dedup file" foreign:"is not a textmill dedup file" \
            exact:"is a dedup.exact index, not a dedup.minhash index"; do
  name=${case%%:*} want=${case#*:}
  cp "$WORK/bad/$name" "$WORK/bad/try.idx"
  run_tm 1 run "$WORK/day.yaml" --set stages.1.index=bad/try.idx
  expect_err "$want"
  expect_err "no output was committed"
  [ -e "$WORK/out.jsonl" ] && fail "$name: output written"
  cmp -s "$WORK/bad/$name" "$WORK/bad/try.idx" || fail "$name: the damaged index was overwritten"
done
# Other signature settings cannot share an index.
run_tm 1 run "$WORK/day.yaml" --set stages.1.shingle_size=4
expect_err "was made with shingle_size 5, but this stage uses 4"
# A read-only index must exist.
run_tm 1 run "$WORK/day.yaml" --set stages.1.index=idx/none.idx --set stages.1.index_update=false
expect_err "does not exist"

# Two passes with keep: longest keep exactly the longest of each cluster.
config pass <<EOF2
input: {paths: [all.jsonl]}
stages: [{type: dedup.minhash, keep: longest, index: pass.idx}]
outputs: [{type: output.jsonl, path: pass.jsonl}]
EOF2
run_tm 0 run "$WORK/pass.yaml"
single=$(jsonl_count "$WORK/pass.jsonl")
run_tm 0 run "$WORK/pass.yaml" --set stages.0.second_pass=true
expect_err "duplicate-of"
second=$(jsonl_count "$WORK/pass.jsonl")
[ "$second" -lt "$single" ] || fail "second pass kept $second, single pass $single"
# what the second pass kept has no near-duplicates left in it
config again <<EOF2
input: {paths: [pass.jsonl]}
stages: [{type: dedup.minhash}]
outputs: [{type: output.jsonl, path: again.jsonl}]
EOF2
run_tm 0 run "$WORK/again.yaml"
check_accounting "$second" "$second" 0 0
# and each document a cluster keeps is at least as long as every other member
run_tm 0 run "$WORK/pass.yaml" --set stages.0.second_pass=true --set stages.0.action=mark \
  --set outputs.0.path=marked.jsonl
python3 - "$WORK/marked.jsonl" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
length = {r["id"]: len(r["text"]) for r in recs}
marked = [(r["id"], r["meta"]["dedup"]["duplicate_of"]) for r in recs if "dedup" in r.get("meta", {})]
assert marked, "nothing marked"
for doc, best in marked:
    assert length[best] >= length[doc], (doc, best, length[doc], length[best])
PY
echo ok
