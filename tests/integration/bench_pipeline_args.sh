# bench/pipeline_bench.py reads the config as `textmill check --json` does,
# once per build and before it makes a corpus: a config the build refuses
# ends it with the check's message, and --families with no lua stage to
# give them to ends it too, where the bench ran the pipeline without them.
. "$(dirname "$0")/lib.bash"
bench=$TM_SOURCE_DIR/bench/pipeline_bench.py

config nolua <<'YAML'
input: {type: stdin}
stages: [{type: filter.length, min_chars: 0}]
outputs: [{type: output.jsonl, path: x.jsonl}]
YAML
if python3 "$bench" --textmill "$TEXTMILL" --config "$WORK/nolua.yaml" --families dates --mb 1 \
  >"$WORK/out" 2>"$WORK/err"; then
  fail "--families with no lua stage ran"
fi
expect_err "--families: $WORK/nolua.yaml has no lua stage"

printf 'stages: [\n' >"$WORK/bad.yaml"
if python3 "$bench" --textmill "$TEXTMILL" --config "$WORK/bad.yaml" --mb 1 >"$WORK/out" 2>"$WORK/err"; then
  fail "an invalid config ran"
fi
expect_err "$WORK/bad.yaml:2:1: did not find expected node content"
# (neither made a corpus: the check comes first)
[ ! -s "$WORK/out" ] || fail "the bench printed before it stopped: $(cat "$WORK/out")"
echo ok
