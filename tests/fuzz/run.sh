#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang and run each for a while.
#
#   tests/fuzz/run.sh [-t SECONDS] [-b BUILD_DIR] [--pending] [HARNESS...]
#
# -t   seconds per harness (default 60)
# -b   build directory (default build-fuzz), configured with
#      CC=clang -DTEXTMILL_FUZZ=ON -DTEXTMILL_TESTS=OFF if it is not yet
# --pending  only replay tests/fuzz/pending/ (inputs that crash until a
#      fix lands) and say which still fail
# HARNESS    json config dedup lua_module stages (default: all)
#
# Each harness grows its own corpus in BUILD_DIR/fuzz/corpus/NAME, seeded
# from tests/fuzz/corpus/NAME and regressions/NAME, and writes what it
# finds to BUILD_DIR/fuzz/findings/NAME/ (crash-*, leak-*, timeout-*,
# oom-*), its log to BUILD_DIR/fuzz/logs/NAME.log. Extra libFuzzer flags
# come from $FUZZ_FLAGS (e.g. FUZZ_FLAGS="-fork=1 -ignore_crashes=1").
# The exit status is 1 if any harness found anything.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
here=$src/tests/fuzz
seconds=60
build=$src/build-fuzz
pending=0
harnesses=()
while [ $# -gt 0 ]; do
  case $1 in
    -t) seconds=$2; shift 2 ;;
    -b) build=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    --pending) pending=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) harnesses+=("$1"); shift ;;
  esac
done
[ ${#harnesses[@]} -gt 0 ] || harnesses=(json config dedup lua_module stages)

if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=${CC:-clang} cmake -S "$src" -B "$build" -DTEXTMILL_FUZZ=ON -DTEXTMILL_TESTS=OFF >/dev/null
fi
targets=()
for h in "${harnesses[@]}"; do targets+=(--target "fuzz_$h"); done
cmake --build "$build" -j"$(nproc)" "${targets[@]}" >/dev/null

# LeakSanitizer needs ptrace-like access that some containers deny: check
# that it works before relying on it, as .ci/run does.
leaks=1
probe=$(mktemp -d)
printf '#include <stdlib.h>\nint main(void){void *p=malloc(7);p=0;return 0;}\n' >"$probe/leak.c"
if clang -fsanitize=address -g "$probe/leak.c" -o "$probe/leak" 2>/dev/null &&
   ASAN_OPTIONS=detect_leaks=1 "$probe/leak" 2>&1 | grep -q "LeakSanitizer has encountered a fatal error"; then
  echo "note: LeakSanitizer cannot run here; fuzzing without leak checks"
  leaks=0
fi
rm -rf "$probe"
export ASAN_OPTIONS=detect_leaks=$leaks:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TM_SOURCE_DIR=$src

if [ $pending = 1 ]; then
  status=0
  export TMPDIR=$build/fuzz/tmp/pending  # what crashed cannot clean up
  mkdir -p "$TMPDIR"
  for h in "${harnesses[@]}"; do
    for f in "$here/pending/$h"/*; do
      [ -f "$f" ] || continue
      if "$build/fuzz/fuzz_$h" -runs=0 "$f" >/dev/null 2>&1; then
        echo "passes now: pending/$h/$(basename "$f") (move it to regressions/$h/)"
      else
        echo "still fails: pending/$h/$(basename "$f")"
        status=1
      fi
    done
  done
  rm -rf "$TMPDIR"
  exit $status
fi

status=0
printf '%-11s %7s %10s %7s %7s %7s  %s\n' harness seconds execs cov ft corpus result
for h in "${harnesses[@]}"; do
  corpus=$build/fuzz/corpus/$h findings=$build/fuzz/findings/$h log=$build/fuzz/logs/$h.log
  mkdir -p "$corpus" "$findings" "$(dirname "$log")"
  seeds=("$here/corpus/$h")
  [ -d "$here/regressions/$h" ] && seeds+=("$here/regressions/$h")
  dict=()
  [ -f "$here/dict/$h.dict" ] && dict=(-dict="$here/dict/$h.dict")
  rc=0 started=$SECONDS
  # The harness's scratch files: libFuzzer ends with _exit, so the harness
  # cannot remove them itself.
  scratch=$build/fuzz/tmp/$h
  rm -rf "$scratch" && mkdir -p "$scratch"
  # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
  TMPDIR=$scratch "$build/fuzz/fuzz_$h" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$findings/" "${dict[@]}" ${FUZZ_FLAGS:-} \
    "$corpus" "${seeds[@]}" >"$log" 2>&1 || rc=$?
  took=$((SECONDS - started))
  rm -rf "$scratch"
  last=$(grep -aE '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
  [ -n "$execs" ] || execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  size=$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$last")
  found=$(find "$findings" -type f | wc -l)
  result=ok
  if [ $rc -ne 0 ] || [ "$found" -gt 0 ]; then
    result="FOUND ($found in ${findings#"$src"/}; log ${log#"$src"/})"
    status=1
  fi
  printf '%-11s %7s %10s %7s %7s %7s  %s\n' "$h" "$took" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${size:-?}" "$result"
  if [ $rc -ne 0 ]; then
    grep -aE 'ERROR: |SUMMARY: |runtime error' "$log" | head -3 | sed 's/^/    /' || true
    grep -aA1 '==fuzz oracle==' "$log" | head -2 | cut -c1-200 | sed 's/^/    /' || true
  fi
done
exit $status
