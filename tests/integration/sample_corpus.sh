# The main job over the bundled sample corpus, and a round trip of its output.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR

# The main job as shipped: every document accounted for, all outputs there.
# (Its outputs go to the scratch folder, by their place in the list.)
sets=()
n_out=$("$TEXTMILL" check "$SRC/config/default.yaml" | sed -n 's/^outputs: //p')
for ((k = 0; k < n_out; k++)); do sets+=(--set "outputs.$k.path=$WORK/main.$k"); done
run_tm 0 run "$SRC/config/default.yaml" "${sets[@]}" --set "rejects=$WORK/rejects.jsonl"
check_accounting 14 '*' '*' 0
for ((k = 0; k < n_out; k++)); do [ -s "$WORK/main.$k" ] || fail "the main job did not write output $k"; done
[ "$(jsonl_count "$WORK/main.0")" -ge 10 ] || fail "the main job wrote too few documents"

# The rest of this test reads the corpus through a filter only, so texts
# come out exactly as they went in.
config plain <<EOF2
input: {paths: [$SRC/corpus/sample]}
stages: [{type: filter.length, min_chars: 200}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 0 run "$WORK/plain.yaml" -o "$WORK/a.jsonl"
check_accounting 14 '*' '*' 0
n=$(jsonl_count "$WORK/a.jsonl")
[ "$n" -ge 10 ] || fail "expected most sample articles written, got $n"
# Each .txt article became a document named after its file.
python3 - "$WORK/a.jsonl" "$SRC/corpus/sample" <<'PY'
import json, os, sys
docs = {d["id"]: d for d in map(json.loads, open(sys.argv[1]))}
for name in os.listdir(sys.argv[2]):
    if name.endswith(".txt"):
        stem = name[:-4]
        text = open(os.path.join(sys.argv[2], name), encoding="utf-8").read()
        if stem in docs:
            assert docs[stem]["text"] == text, stem
            assert set(docs[stem]) == {"id", "text", "meta", "entities"}, docs[stem].keys()
PY

# The output of one run is valid input to the next, unchanged.
run_tm 0 run "$WORK/plain.yaml" -i "$WORK/a.jsonl" -o "$WORK/b.jsonl"
cmp "$WORK/a.jsonl" "$WORK/b.jsonl" || fail "round trip changed the documents"

# Gzip input reads the same.
gzip -c "$WORK/a.jsonl" >"$WORK/a.jsonl.gz"
run_tm 0 run "$WORK/plain.yaml" -i "$WORK/a.jsonl.gz" -o "$WORK/c.jsonl"
cmp "$WORK/a.jsonl" "$WORK/c.jsonl" || fail "gzip input differs"

# stdin in, stdout out.
"$TEXTMILL" run "$WORK/plain.yaml" -i - -o - -q <"$WORK/a.jsonl" >"$WORK/d.jsonl"
cmp "$WORK/a.jsonl" "$WORK/d.jsonl" || fail "stdin to stdout differs"

# --set reaches a stage option: a high minimum drops everything as too-short.
run_tm 0 run "$WORK/plain.yaml" -o "$WORK/e.jsonl" --set stages.0.min_chars=100000
check_accounting 14 0 14 0
expect_err "dropped too-short: 14"
echo ok
