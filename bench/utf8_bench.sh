#!/usr/bin/env bash
# The toolkit's UTF-8 check (kit_utf8_valid_prefix) alone on the real
# articles, built optimized outside the CMake build:
#
#   bash bench/utf8_bench.sh [TREE...]     (default: this tree)
#
# Each TREE is a source tree of textmill (e.g. main, unpacked with git
# archive) whose core/kit/utf8.c is built with this harness; with several,
# their runs alternate (A B A B), $RUNS rounds each (default 5).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus_dir=$here/../../shared/corpus/dev
[ -d "$corpus_dir" ] || { echo "utf8_bench.sh: no articles in ../shared/corpus/dev" >&2; exit 1; }
trees=("$@"); [ ${#trees[@]} -gt 0 ] || trees=("$here/..")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in "$corpus_dir"/*.jsonl; do
  case $f in *.truth.jsonl) ;; *) cat "$f" >>"$out/corpus.jsonl" ;; esac
done
i=0
for tree in "${trees[@]}"; do
  cc -O2 -std=gnu11 -I"$tree/core/include" "$here/utf8_bench.c" "$tree/core/kit/utf8.c" -o "$out/bench$i"
  i=$((i + 1))
done
for _ in 1 2 3; do
  for ((k = 0; k < i; k++)); do
    printf '%s: ' "${trees[$k]}"
    "$out/bench$k" "$out/corpus.jsonl" "${RUNS:-5}"
  done
done
