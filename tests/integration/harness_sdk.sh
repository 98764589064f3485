# The harness as a plugin author gets it: install textmill, build the
# example plugin and its unit test out of the tree with pkg-config
# textmill-harness, and run the test with ctest. No textmill program runs.
. "$(dirname "$0")/lib.bash"
command -v cmake >/dev/null && command -v pkg-config >/dev/null || { echo "skipped: needs cmake and pkg-config"; exit 77; }
PREFIX=$WORK/prefix
cmake --install "$TM_BUILD_DIR" --prefix "$PREFIX" >/dev/null
export PKG_CONFIG_PATH=$(dirname "$(find "$PREFIX" -name textmill-harness.pc)")
[ "$(pkg-config --modversion textmill-harness)" = "$(pkg-config --modversion textmill)" ] \
  || fail "textmill-harness.pc is missing or of another version"
# A sanitizer build installs an instrumented harness: the test program
# links the sanitizers too, as a plugin author's sanitizer build would.
san=()
if ldd "$TEXTMILL" | grep libasan >/dev/null; then  # not -q: with pipefail, ldd would die of SIGPIPE
  san=(-DCMAKE_C_FLAGS=-fsanitize=address,undefined -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined)
fi
cmake -S "$TM_SOURCE_DIR/plugins/examples/textstats" -B "$WORK/ts" "${san[@]}" >/dev/null
cmake --build "$WORK/ts" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "the example and its test did not build"; }
[ -x "$WORK/ts/test_textstats" ] || fail "the harness test was not built (textmill-harness not found?)"
ctest --test-dir "$WORK/ts" --output-on-failure >"$WORK/ctest.log" 2>&1 || { cat "$WORK/ctest.log" >&2; fail "the example's unit test failed"; }
grep -q "100% tests passed" "$WORK/ctest.log" || fail "ctest ran no test"
# The test fails when the stage misbehaves: a plugin that is not textstats.
"$WORK/ts/test_textstats" "$TM_BUILD_DIR/plugins/filter.so" >"$WORK/err" 2>&1 && fail "the test passed with the wrong plugin"
expect_err "unknown stage type 'example.textstats'"
echo ok
