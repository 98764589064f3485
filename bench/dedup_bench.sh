#!/usr/bin/env bash
# dedup.minhash throughput and memory at several corpus sizes.
#
#   bench/dedup_bench.sh [BUILD_DIR] [SIZES...]     (default: build 10000 100000 1000000)
#
# For each size, generates small articles with bench/dedup_gen.py (cached
# in $DEDUP_BENCH_DIR, default $TMPDIR/textmill-dedup-bench), then runs
# dedup.minhash with two workers, best of $RUNS runs (default 3), printing
# wall seconds, documents per second and peak resident memory (from
# /usr/bin/time). The output goes to /dev/null-like scratch, so the figures
# are the pipeline (read, dedup, write JSON Lines). A second line per size
# adds `index:` (save at the end) to show its cost.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}; shift || true
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
dir=${DEDUP_BENCH_DIR:-${TMPDIR:-/tmp}/textmill-dedup-bench}
runs=${RUNS:-3}
mkdir -p "$dir"
printf '%-9s %-8s %9s %12s %10s %10s\n' docs mode seconds docs/s peak_MiB dropped
for n in "${sizes[@]}"; do
  corpus=$dir/corpus-$n.jsonl
  [ -s "$corpus" ] || python3 "$here/dedup_gen.py" --docs "$n" --out "$corpus"
  for mode in plain index; do
    cat >"$dir/bench.yaml" <<EOF2
input: {paths: [corpus-$n.jsonl]}
workers: 2
stages:
  - type: dedup.minhash
$( [ $mode = index ] && echo "    index: bench.idx" )
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
    best=""
    for ((r = 0; r < runs; r++)); do
      rm -f "$dir/bench.idx"
      /usr/bin/time -f '%e %M' -o "$dir/time" "$build/textmill" run "$dir/bench.yaml" 2>"$dir/err"
      read -r secs kb <"$dir/time"
      if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs bestkb=$kb; fi
    done
    dropped=$(sed -n 's/.* \([0-9]*\) dropped.*/\1/p' "$dir/err" | head -1)
    awk -v n="$n" -v m="$mode" -v s="$best" -v kb="$bestkb" -v d="$dropped" \
      'BEGIN{printf "%-9d %-8s %9.2f %12.0f %10.0f %10s\n", n, m, s, n / s, kb / 1024, d}'
  done
done
