# -j 1, 2 and 3 give byte-identical outputs, indexes, signature files and
# reports for all three dedup stages.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
python3 "$TM_SOURCE_DIR/bench/dedup_gen.py" --docs 3000 --dup-rate 0.3 --out "$WORK/in.jsonl"
config par <<EOF2
input: {paths: [in.jsonl]}
stages:
  - {type: dedup.exact, index: exact.idx}
  - {type: dedup.minhash, action: mark, keep: longest, index: mh.idx, signatures: mh.sig}
  - {type: dedup.minhash, threshold: 0.5, shingle: char, shingle_size: 7, perms: 64}
  - {type: dedup.paragraph, unit: line, min_docs: 50, report: para.report, index: para.idx}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
files="out.jsonl exact.idx mh.idx mh.sig para.report para.idx"
for j in 1 2 3; do
  rm -f "$WORK"/*.idx
  run_tm 0 run "$WORK/par.yaml" -j $j
  check_accounting 3000 '*' '*' 0
  for f in $files; do mv "$WORK/$f" "$WORK/$f.$j"; done
  sed 's/ ([0-9.]* s.*//; s/ *[0-9.]*$//' "$WORK/err" >"$WORK/summary.$j"
done
for j in 2 3; do
  for f in $files; do cmp "$WORK/$f.1" "$WORK/$f.$j" || fail "-j $j: $f differs from -j 1"; done
  diff "$WORK/summary.1" "$WORK/summary.$j" || fail "-j $j summary differs"
done
grep -q "duplicate-of" "$WORK/summary.1" || fail "nothing was deduplicated"
grep -q 'superseded' "$WORK/summary.1" || fail "keep: longest never superseded"
echo ok
