#!/usr/bin/env bash
# Builds and runs bench/gazetteer_bench.c (optimized, outside the CMake
# build): bash bench/gazetteer_bench.sh [names] [text MB]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
lib=$root/plugins/lua/lib
# shellcheck disable=SC2046
kit=$root/core/kit
cc -O2 -std=gnu11 -I"$lib" -I"$root/core/include" "$root/bench/gazetteer_bench.c" "$lib/gazetteer.c" "$lib/textops.c" \
  "$kit/vn_tone.c" "$kit/buf.c" "$kit/utf8.c" "$kit/alloc.c" \
  $(pkg-config --cflags --libs libutf8proc) -lpthread -lm -o "$out/gazetteer_bench"
"$out/gazetteer_bench" "$@"
