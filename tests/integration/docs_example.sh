# docs/writing-plugins.md walks through plugins/examples/textstats: every C
# block of its walkthrough must be in the file the suite builds, and the
# messages it shows must be the ones the plugin gives.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR
python3 - "$SRC/docs/writing-plugins.md" "$SRC/plugins/examples/textstats/textstats.c" <<'PY'
import re, sys
doc, code = open(sys.argv[1]).read(), open(sys.argv[2]).read()
walk = doc[doc.index("## The example"):doc.index("## Rules of the game")]
blocks = re.findall(r"```c\n(.*?)```", walk, re.S)
assert len(blocks) >= 4, len(blocks)
for b in blocks:
    assert b in code, "docs/writing-plugins.md shows code that textstats.c lacks:\n" + b
PY

# The messages of the walkthrough, with the example's config.
sed -e "s|../../build-textstats/textstats.so|$TM_BUILD_DIR/examples/textstats.so|" \
    -e "s|../../corpus/sample|$SRC/corpus/sample|" -e "s|../../out/|$WORK/|" \
    "$SRC/docs/examples/textstats.yaml" >"$WORK/textstats.yaml"
run_tm 0 run "$WORK/textstats.yaml" -q
[ -s "$WORK/textstats.jsonl" ] || fail "the example wrote nothing"
run_tm 1 run "$WORK/textstats.yaml" --set 'stages.0.field=""'
expect_err "textstats.yaml:8:5): cannot start: --set stages.0.field: field must not be empty"
run_tm 2 run "$WORK/textstats.yaml" --set stages.0.min_words=-1
expect_err "textmill: --set stages.0.min_words: min_words must be at least 0, not -1"
# ... and the two of its path and list options
(cd "$WORK" && run_tm 1 run "$WORK/textstats.yaml" --set stages.0.stopwords=missing.txt)
expect_err "cannot start: --set stages.0.stopwords: cannot read $WORK/missing.txt: No such file or directory"
run_tm 1 run "$WORK/textstats.yaml" --set 'stages.0.counts=[words, pages]'
expect_err "cannot start: --set stages.0.counts: no count called 'pages' (chars, words, sentences, paragraphs)"
printf 'và\ncủa\n' >"$WORK/stop.txt"
run_tm 0 run "$WORK/textstats.yaml" -q --set stages.0.stopwords="$WORK/stop.txt" --set 'stages.0.counts=[words]'
python3 - "$WORK/textstats.jsonl" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
assert docs and all(list(d["meta"]["stats"]) == ["words"] for d in docs), docs[0]["meta"]["stats"]
PY
echo ok
