#!/usr/bin/env bash
# What an entity costs as a Lua table, and as a view of a record kept in
# C, in instructions (bench/entity_cost.c says what each way does): each
# way is run under callgrind N and 2N times and the difference divided by
# N, so the state's start and the list's making drop out; Lua's hash seed
# is fixed (entity_cost.c's time(), setarch -R), so a count repeats. Not part of
# ctest. Needs valgrind, a C compiler and Lua 5.4's headers.
#
#   bash bench/entity_cost.sh [N]      (default 200000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-200000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# shellcheck disable=SC2046
cc -O2 -std=gnu11 "$root/bench/entity_cost.c" $(pkg-config --cflags --libs lua5.4) -o "$out/entity_cost"

count() {
  env -i PATH=/usr/bin:/bin setarch "$(uname -m)" -R \
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$out/entity_cost" "$1" "$2" >/dev/null 2>"$out/err" ||
    { cat "$out/err" >&2; exit 1; }
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/err"
}

printf '%-10s %12s\n' way "an entity"
for way in make_c make_lua read_c read_lua read_view; do
  one=$(count "$way" "$n")
  two=$(count "$way" $((2 * n)))
  printf '%-10s %12d\n' "$way" $(((two - one) / n))
done
