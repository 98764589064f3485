# Documents with the empty id "" through every dedup stage, every index
# and the merge step: decisions as for any other id, and no undefined
# behaviour (run it in the sanitizer build: an index holding only empty
# ids once had a NULL id array, and memcmp(NULL, ..., 0) is undefined).
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
cd "$WORK"  # --set paths are relative to the current directory
DEDUP=$TM_BUILD_DIR/textmill-dedup
# A text file's id is its name without .txt, so each d*/.txt is a
# document with the id "" (a JSON record without an id is named after
# its line instead).
python3 "$TM_SOURCE_DIR/bench/dedup_gen.py" --docs 40 --dup-rate 0.3 --out "$WORK/gen.jsonl"
python3 - "$WORK/gen.jsonl" "$WORK" <<'PY'
import json, os, sys
k = 0
def put(text):
    global k
    os.makedirs(f"{sys.argv[2]}/d{k:03d}")
    open(f"{sys.argv[2]}/d{k:03d}/.txt", "w", encoding="utf-8").write(text)
    k += 1
for line in open(sys.argv[1]):
    d = json.loads(line)
    put(d["text"])
    if d["meta"].get("bench_dup_of") is None:  # and an exact copy of each original
        put(d["text"])
PY
total=$(ls -d "$WORK"/d* | wc -l)
config run <<EOF2
input: {paths: ["d*/.txt"]}
stages:
  - {type: dedup.exact, index: idx/exact.idx}
  - {type: dedup.minhash, index: idx/mh.idx, signatures: all.sig, keep: longest, action: mark}
  - {type: dedup.paragraph, index: idx/para.idx, min_docs: 2}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 0 run "$WORK/run.yaml"
check_accounting "$total" "*" "*" 0
expect_err "dropped duplicate-of:"
grep -q '"duplicate_of":""' "$WORK/out.jsonl" || fail "no document marked a duplicate of the empty id"
mv "$WORK/all.sig" "$WORK/first.sig"
# again, with every index loaded: all exact duplicates of the first run
run_tm 0 run "$WORK/run.yaml"
check_accounting "$total" 0 "$total" 0
# a second pass over the index (it keeps each cluster's best by its id, and
# every id is "": all are kept), and the merge step over the signatures
run_tm 0 run "$WORK/run.yaml" --set 'stages=[{type: dedup.minhash, index: idx/mh.idx, second_pass: true}]'
check_accounting "$total" "$total" 0 0
"$DEDUP" decide -q --out "$WORK/dups.tsv" "$WORK/first.sig" || fail "textmill-dedup decide failed"
grep -q $'^\tduplicate-of:\t' "$WORK/dups.tsv" || fail "no empty-id duplicate in the merge step's list"
echo ok
