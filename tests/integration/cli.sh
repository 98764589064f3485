# The command line: help, version, plugins, check, usage errors.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR
config plain <<EOF2
input: {paths: [$SRC/corpus/sample]}
stages: [{type: filter.length, min_chars: 200}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2

run_tm 0 --version; expect_out "textmill 0."; expect_out "plugin ABI 1"
run_tm 0 --help; expect_out "commands:"
for c in run check plugins; do run_tm 0 "$c" --help; expect_out "usage: textmill $c"; done
run_tm 2; expect_err "usage: textmill COMMAND"
run_tm 2 rnu x.yaml; expect_err "did you mean 'run'?"
run_tm 2 run; expect_err "missing CONFIG"
run_tm 2 run "$SRC/config/default.yaml" -j zero; expect_err "-j expects a number"

run_tm 0 plugins
expect_out "filter.length"; expect_out "output.jsonl"
# Each stage type is listed under the plugin file it comes from.
python3 - "$WORK/out" <<'PY'
import sys
groups, file = {}, None
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line.endswith(".so:") and not line.startswith(" "):
        file = line[:-1].rsplit("/", 1)[-1]
    elif line.startswith("  "):
        assert file, "a stage type before any plugin file: " + line
        groups.setdefault(file, []).append(line.split()[0])
want = {"filter.so": "filter.length", "output.so": "output.jsonl", "lua.so": "lua", "clean.so": "clean.normalize"}
for f, stage in want.items():
    assert stage in groups.get(f, []), "%s not under %s: %s" % (stage, f, groups)
PY
run_tm 0 plugins filter.length
expect_out "min_chars"; expect_out "integer"; expect_out "default: 1"
run_tm 2 plugins filter.lenght; expect_err "did you mean 'filter.length'?"
run_tm 0 plugins --plugin-path "$TM_BUILD_DIR/test-plugins/faulty.so"; expect_out "test.reject_every"
expect_out "$TM_BUILD_DIR/test-plugins/faulty.so:"
run_tm 2 plugins --plugin-path "$TM_BUILD_DIR/test-plugins/bad_abi.so"
expect_err "ABI 42"; expect_err "this textmill has ABI 1"
TEXTMILL_PLUGIN_PATH="$TM_BUILD_DIR/test-plugins/dup_stage.so" run_tm 2 plugins
expect_err "provided by two plugins"; expect_err "filter.so"; expect_err "dup_stage.so"

# check prints every option, its value and where it came from.
run_tm 0 check "$WORK/plain.yaml" -j 3 --set stages.0.max_chars=5000
expect_out "workers: 3    # -j"
expect_out "min_chars = 200    # "
expect_out "max_chars = 5000    # --set stages.0.max_chars"
expect_out "# default"
expect_out "output.jsonl"

# Config mistakes: FILE:LINE:COL and a suggestion.
config typo <<EOF2
input: {paths: [x.jsonl]}
stages:
  - type: filter.length
    min_char: 3
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 2 check "$WORK/typo.yaml"
expect_err "typo.yaml:4:15: unknown option 'min_char'; did you mean 'min_chars'?"
config wrongtype <<EOF2
input: {paths: [x.jsonl]}
workers: many
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 2 check "$WORK/wrongtype.yaml"
expect_err "wrongtype.yaml:2:10: option 'workers' expects an integer, not \"many\""
printf 'input: {paths: [x]}\n  stages: [\n' >"$WORK/syntax.yaml"
run_tm 2 check "$WORK/syntax.yaml"
expect_err "syntax.yaml:2:"
# A config that cannot be read says why: missing, a folder.
run_tm 2 check "$WORK/none.yaml"
expect_err "none.yaml: No such file or directory"
mkdir "$WORK/folder.yaml"
run_tm 2 check "$WORK/folder.yaml"
expect_err "folder.yaml: Is a directory"
echo ok
