# Each input file is read once, by device and inode: a link that loops back
# to a folder being walked is named in a warning and not followed, and a
# file reached by two paths, or named twice, is read once. Before, a folder
# holding `self -> .` read its 3 files 41 times.
. "$(dirname "$0")/lib.bash"

mkdir -p "$WORK/kho/con"
printf '{"id":"a","text":"Quân khu 5"}\n' >"$WORK/kho/a.jsonl"
printf 'Biên phòng' >"$WORK/kho/b.txt"
printf 'Dân quân' >"$WORK/kho/con/c.txt"
ln -s . "$WORK/kho/self"
ln -s .. "$WORK/kho/con/up"
ln -s con "$WORK/kho/z-con"
ln -s a.jsonl "$WORK/kho/z-a.jsonl"
config links <<EOF2
input: {paths: [kho, kho/b.txt, kho/b.txt]}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 0 run "$WORK/links.yaml"
check_accounting 3 3 0 0
expect_err "input: warning: $WORK/kho/self leads back to $WORK/kho (a loop of links); not followed"
expect_err "input: warning: $WORK/kho/con/up leads back to $WORK/kho (a loop of links); not followed"
expect_err "input: warning: $WORK/kho/z-con is the same directory as $WORK/kho/con; it is read once"
expect_err "input: warning: $WORK/kho/z-a.jsonl is the same file as $WORK/kho/a.jsonl; it is read once"
expect_err "input: warning: $WORK/kho/b.txt is named more than once; it is read once"
python3 - "$WORK/out.jsonl" <<'PY'
import json, sys
assert [d["id"] for d in map(json.loads, open(sys.argv[1]))] == ["a", "b", "c"]
PY

# -q keeps the warnings to itself; -i names count the same way.
run_tm 0 run "$WORK/links.yaml" -q -i "$WORK/kho" -i "$WORK/kho/self/self/a.jsonl"
[ ! -s "$WORK/err" ] || fail "-q printed: $(cat "$WORK/err")"
[ "$(jsonl_count "$WORK/out.jsonl")" = 3 ] || fail "not 3 documents"

# Twenty warnings at most.
mkdir "$WORK/many"
printf 'Quân khu' >"$WORK/many/a.txt"
for i in $(seq 1 30); do ln -s a.txt "$WORK/many/l$i.txt"; done
run_tm 0 run "$WORK/links.yaml" -i "$WORK/many"
check_accounting 1 1 0 0
[ "$(grep -c 'input: warning: .* is the same file as' "$WORK/err")" = 20 ] || fail "not 20 warnings"
expect_err "input: warning: more inputs reached twice or through loops are not shown"
echo ok
