# Install textmill, build the example plugin out of the tree against the
# installed headers with pkg-config, load it with plugin_path: and check it.
. "$(dirname "$0")/lib.bash"
command -v cmake >/dev/null && command -v pkg-config >/dev/null || { echo "skipped: needs cmake and pkg-config"; exit 77; }
SRC=$TM_SOURCE_DIR
PREFIX=$WORK/prefix

cmake --install "$TM_BUILD_DIR" --prefix "$PREFIX" >/dev/null
export PKG_CONFIG_PATH=$(dirname "$(find "$PREFIX" -name textmill.pc)")
[ "$(pkg-config --modversion textmill)" = "$("$PREFIX/bin/textmill" --version | awk '{print $2}')" ] \
  || fail "pkg-config version differs from the binary's"
cmake -S "$SRC/plugins/examples/textstats" -B "$WORK/ts" >/dev/null
cmake --build "$WORK/ts" >/dev/null
[ -f "$WORK/ts/textstats.so" ] || fail "example plugin not built"

config stats <<EOF2
plugin_path: [ts/textstats.so]
input: {paths: [$SRC/corpus/sample/more.jsonl]}
stages:
  - type: example.textstats
    field: counts
    min_words: 200
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
TEXTMILL=$PREFIX/bin/textmill
run_tm 0 plugins --plugin-path "$WORK/ts/textstats.so"
expect_out "example.textstats"; expect_out "output.jsonl"
run_tm 0 run "$WORK/stats.yaml"
check_accounting 4 '*' '*' 0
expect_err "words: "
python3 - "$WORK/out.jsonl" "$SRC/corpus/sample/more.jsonl" <<'PY'
import json, sys
src = {d["id"]: d["text"] for d in map(json.loads, open(sys.argv[2]))}
out = list(map(json.loads, open(sys.argv[1])))
assert out, "nothing written"
for d in out:
    c = d["meta"]["counts"]
    text = src[d["id"]]
    assert c["chars"] == len(text), (c, len(text))
    assert c["words"] == len(text.split()), (c["words"], len(text.split()))
    assert c["words"] >= 200
    assert c["paragraphs"] == len([p for p in text.split("\n\n") if p.strip()]), c
PY
echo ok
