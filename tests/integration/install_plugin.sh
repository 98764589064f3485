# Install textmill, build the example plugin out of the tree against the
# installed headers with pkg-config, load it with plugin_path: and check it;
# then a plugin that uses the toolkit (textmill-kit), linked the same way.
. "$(dirname "$0")/lib.bash"
command -v cmake >/dev/null && command -v pkg-config >/dev/null || { echo "skipped: needs cmake and pkg-config"; exit 77; }
SRC=$TM_SOURCE_DIR
PREFIX=$WORK/prefix

cmake --install "$TM_BUILD_DIR" --prefix "$PREFIX" >/dev/null
export PKG_CONFIG_PATH=$(dirname "$(find "$PREFIX" -name textmill.pc)")
[ "$(pkg-config --modversion textmill)" = "$("$PREFIX/bin/textmill" --version | awk '{print $2}')" ] \
  || fail "pkg-config version differs from the binary's"
# A sanitizer build installs an instrumented harness, which the example's
# unit test links: build it with the sanitizers too.
san=()
if ldd "$TEXTMILL" | grep libasan >/dev/null; then  # not -q: with pipefail, ldd would die of SIGPIPE
  san=(-DCMAKE_C_FLAGS=-fsanitize=address,undefined -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined)
fi
cmake -S "$SRC/plugins/examples/textstats" -B "$WORK/ts" "${san[@]}" >/dev/null
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

# The toolkit: a static library with hidden symbols, so the plugin carries
# its own copy and exports nothing but its entry point.
command -v cc >/dev/null || { echo "skipped: the toolkit part needs cc"; exit 77; }
[ "$(pkg-config --modversion textmill-kit)" = "$(pkg-config --modversion textmill)" ] \
  || fail "textmill-kit.pc is missing or of another version"
cat > "$WORK/kitdemo.c" <<'EOF2'
#include <textmill/kit.h>
#include <textmill/textmill.h>

static int create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	(void)ctx, (void)opts;
	*state = NULL;
	return TM_OK;
}

/* meta.first_line: the text's first line, as a JSON string. */
static int first_line(tm_ctx *ctx, void *state, tm_doc *doc)
{
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	const char *nl = memchr(text, '\n', len);
	kit_buf json = {0};
	kit_json_put_string(&json, text, nl ? (size_t)(nl - text) : len);
	int rc = kit_buf_failed(&json) ? tm_fail(ctx, "%s", KIT_OOM)
				       : tm_doc_set_meta_json(doc, "first_line", json.p, json.len);
	kit_buf_free(&json);
	return rc;
}

static const tm_option no_options[] = {{NULL, 0, NULL, NULL, NULL, 0}};
static const tm_stage_type stages[] = {{
	.name = "kitdemo.first_line",
	.summary = "the first line into meta, with the toolkit's JSON escaper",
	.options = no_options,
	.create = create,
	.process = first_line,
}};
TM_PLUGIN(stages);
EOF2
cc -std=c11 -shared -fPIC -fvisibility=hidden -o "$WORK/kitdemo.so" "$WORK/kitdemo.c" \
  $(pkg-config --cflags --libs textmill-kit) || fail "a plugin using the toolkit does not build"
if command -v nm >/dev/null; then
  nm -D --defined-only "$WORK/kitdemo.so" | grep -q ' kit_' && fail "the plugin exports toolkit functions"
fi
config kit <<EOF2
plugin_path: [kitdemo.so]
input: {paths: [$SRC/corpus/sample/more.jsonl]}
stages: [{type: kitdemo.first_line}]
outputs: [{type: output.jsonl, path: kit.jsonl}]
EOF2
run_tm 0 run "$WORK/kit.yaml"
python3 - "$WORK/kit.jsonl" "$SRC/corpus/sample/more.jsonl" <<'PY'
import json, sys
src = {d["id"]: d["text"] for d in map(json.loads, open(sys.argv[2]))}
out = list(map(json.loads, open(sys.argv[1])))
assert len(out) == len(src), (len(out), len(src))
for d in out:
    assert d["meta"]["first_line"] == src[d["id"]].split("\n")[0], d["meta"]
PY
echo ok
