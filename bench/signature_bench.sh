#!/usr/bin/env bash
# dedup.minhash's signatures alone on the real articles, and the toolkit's
# UTF-8 check (core/kit/utf8.c) on the same lines, built optimized outside
# the CMake build:
#
#   bash bench/signature_bench.sh [TREE...]     (default: this tree)
#
# Each TREE is a source tree of textmill (e.g. main, unpacked with git
# archive) whose plugins/dedup and core/kit/utf8.c are built with this
# harness; with several, their runs alternate (A B A B), $RUNS rounds each
# (default 5).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus_dir=$here/../../shared/corpus/dev
[ -d "$corpus_dir" ] || { echo "signature_bench.sh: no articles in ../shared/corpus/dev" >&2; exit 1; }
trees=("$@"); [ ${#trees[@]} -gt 0 ] || trees=("$here/..")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in "$corpus_dir"/*.jsonl; do
  case $f in *.truth.jsonl) ;; *) cat "$f" >>"$out/corpus.jsonl" ;; esac
done
i=0
for tree in "${trees[@]}"; do
  dd=$tree/plugins/dedup
  # shellcheck disable=SC2046
  cc -O3 -std=gnu11 -I"$dd" -I"$tree/core/include" "$here/signature_bench.c" "$dd/minhash.c" "$dd/norm.c" \
    "$tree/core/kit/utf8.c" \
    $(pkg-config --cflags --libs libutf8proc) -lm -o "$out/bench$i"
  i=$((i + 1))
done
for _ in 1 2 3; do
  for ((k = 0; k < i; k++)); do
    printf '%s: ' "${trees[$k]}"
    "$out/bench$k" "$out/corpus.jsonl" "${RUNS:-5}"
  done
done
