# Shared helpers for the integration tests (sourced, not run).
set -euo pipefail
: "${TEXTMILL:?run through ctest}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# The real articles beside the checkout, never copied into the project.
DEV_DIR=$TM_SOURCE_DIR/../shared/corpus/dev

# need_dev [FILE]: DEV is the real articles (DEV_DIR); without them, or
# without FILE among them, the test skips with a message.
need_dev() {
  DEV=$DEV_DIR
  if [ ! -e "$DEV/${1:-}" ]; then
    echo "SKIP: the real articles (../shared/corpus/dev beside the checkout${1:+, $1}) are absent"
    exit 77
  fi
}

# sample_and_dev FILE LINES: INPUTS, the bundled sample and, when the real
# articles are beside the checkout, the first LINES of FILE among them
# (else a note says the sample runs alone).
sample_and_dev() {
  INPUTS="$TM_SOURCE_DIR/corpus/sample"
  local dev=$DEV_DIR/$1
  if [ -e "$dev" ]; then
    head -"$2" "$dev" >"$WORK/dev.jsonl"
    INPUTS="$INPUTS, $WORK/dev.jsonl"
  else
    echo "note: the real articles (../shared/corpus/dev beside the checkout) are absent: the sample alone"
  fi
}

# run_tm EXPECTED_STATUS ARGS...: runs textmill, keeps stderr in $WORK/err.
run_tm() {
  local want=$1; shift
  local got=0
  "$TEXTMILL" "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
  if [ "$got" != "$want" ]; then
    cat "$WORK/err" >&2
    fail "textmill $* exited $got, expected $want"
  fi
}

expect_err() { grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; fail "stderr lacks: $1"; }; }
expect_out() { grep -qF -- "$1" "$WORK/out" || { cat "$WORK/out" >&2; fail "stdout lacks: $1"; }; }

# The summary's first line must add up: read = written + dropped + rejected.
check_accounting() {
  python3 - "$WORK/err" "$@" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"(\d+) documents read: (\d+) written, (\d+) dropped, (\d+) rejected", text)
assert m, "no summary line in:\n" + text
read, written, dropped, rejected = map(int, m.groups())
assert read == written + dropped + rejected, m.group(0)
want = sys.argv[2:]
for name, value in zip(["read", "written", "dropped", "rejected"], want):
    got = {"read": read, "written": written, "dropped": dropped, "rejected": rejected}[name]
    assert value == "*" or got == int(value), f"{name}: {got} != {value}"
PY
}

# Count records in a JSON Lines file, checking that every line parses.
jsonl_count() {
  python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l) is not None))' "$1"
}

# A config in $WORK/NAME.yaml from stdin.
config() { cat >"$WORK/$1.yaml"; }
