#!/usr/bin/env bash
# Group what a harness found by cause: replay each file of
# BUILD_DIR/fuzz/findings/NAME (or the files given) and print, per
# distinct first report line and first frame in textmill's code, the
# count and the smallest input.
#
#   tests/fuzz/triage.sh [-b BUILD_DIR] HARNESS [FILE...]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/build-fuzz
if [ "${1:-}" = -b ]; then build=$2; shift 2; fi
h=${1:?usage: triage.sh [-b BUILD_DIR] HARNESS [FILE...]}
shift
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$build/fuzz/findings/$h"/*)
export TM_SOURCE_DIR=$src ASAN_OPTIONS=detect_leaks=1:symbolize=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  out=$("$build/fuzz/fuzz_$h" -runs=1 "$f" 2>&1 || true)
  what=$(grep -m1 -oE 'ERROR: [A-Za-z]+: [a-z-]+|runtime error: [^(]*|==fuzz oracle== .*|ERROR: libFuzzer: [a-z -]+' <<<"$out" ||
         echo "no crash now")
  # the first frame in our sources (not the harness, not a sanitizer)
  frame=$(grep -E '^ *#[0-9]+ ' <<<"$out" | grep -vE 'tests/fuzz/|compiler-rt|libFuzzer|/usr/' | head -1 |
          sed -E 's/.* in ([^ ]+) (.*)/\1 \2/; s#'"$src"'/##' || true)
  [ -n "$frame" ] || frame=$(grep -m1 -oE '[a-z_/]+\.c:[0-9]+' <<<"$out" | sed 's#'"$src"'/##' || echo "?")
  printf '%s\t%s\t%s\t%s\n' "$what" "$frame" "$(stat -c %s "$f")" "$f" >>"$tmp"
done
sort -t$'\t' -k1,2 -k3,3n "$tmp" | awk -F'\t' '
  { key = $1 "\t" $2; if (!(key in n)) { order[++k] = key; smallest[key] = $4; size[key] = $3 } n[key]++ }
  END { for (i = 1; i <= k; i++) { split(order[i], p, "\t");
        printf "%4d x %s\n       at %s\n       smallest: %s (%d bytes)\n", n[order[i]], p[1], p[2], smallest[order[i]], size[order[i]] } }'
