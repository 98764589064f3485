#!/usr/bin/env bash
# A sharded run on Slurm, measured: the time of each phase and the merge's
# peak memory, against one run of the same pipeline on one machine.
#
#   bench/slurm_bench.sh [BUILD_DIR] [DOCS] [SHARDS]     (default: build 1000000 16)
#
# Needs a Slurm cluster that answers (slurm-local's start.sh makes one) and
# a work folder every node sees: $SLURM_BENCH_DIR (default
# $TMPDIR/textmill-slurm-bench), where the corpus is generated once with
# bench/dedup_gen.py (small news-like articles, 10% near-duplicates).
# Prints: the single run; the sharded run's phases (wall time of each phase,
# from its first task's start to its last task's end, and the tasks' times);
# the merge's own breakdown and peak memory; then the merge alone over the
# signatures of 1/4, 1/2 and all of the shards, and with a smaller sort
# buffer, to show how it scales and that its memory is the buffer's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
docs=${2:-1000000}
shards=${3:-16}
dir=${SLURM_BENCH_DIR:-${TMPDIR:-/tmp}/textmill-slurm-bench}
cpus=${CPUS:-1}
mkdir -p "$dir"
corpus=$dir/corpus-$docs.jsonl
[ -s "$corpus" ] || python3 "$here/dedup_gen.py" --docs "$docs" --out "$corpus"
cat >"$dir/bench.yaml" <<EOF2
input: {paths: [corpus-$docs.jsonl]}
stages:
  - type: dedup.minhash
outputs: [{type: output.jsonl, path: out/bench.jsonl}]
EOF2
num() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, d))" "$@"; }

echo "== one run on this machine ($docs documents, -j 2)"
/usr/bin/time -f '%e %M' -o "$dir/time" "$build/textmill" run "$dir/bench.yaml" -j 2 -q \
  --summary-json "$dir/single.json" -o "$dir/single.jsonl"
read -r secs kb <"$dir/time"
printf 'single run: %.1f s, peak %.0f MB, %s written\n' "$secs" "$((kb / 1024))" "$(num "$dir/single.json" 'documents["written"]')"

echo "== $shards shards on Slurm (--cpus $cpus)"
w=$dir/run-$docs-$shards
rm -rf "$w"
start=$(date +%s.%N)
"$build/textmill" slurm "$dir/bench.yaml" --shards "$shards" -w "$w" --cpus "$cpus" --mem 2G --merge-mem 2G \
  --wait 2>"$dir/slurm.err" || { cat "$dir/slurm.err"; exit 1; }
total=$(awk "BEGIN{print $(date +%s.%N) - $start}")
sed -n '/textmill slurm: done/,$p' "$dir/slurm.err"
printf 'submit to done: %.1f s\n' "$total"
cat "$w"/out/shard-*/bench.jsonl | cmp - "$dir/single.jsonl" && echo "sharded output: identical to the single run"
m=$w/global/stages.0/decide.json   # the dedup.minhash merge's own figures
printf 'merge: %s signatures, %s duplicates; scan %.1f s, pairs %.1f s, decide %.1f s; %s band records, %s candidate pairs (%s distinct); temp %.0f MB; sort buffer %s MB; peak %.0f MB\n' \
  "$(num "$m" documents)" "$(num "$m" duplicates)" "$(num "$m" 'seconds["scan"]')" "$(num "$m" 'seconds["pairs"]')" \
  "$(num "$m" 'seconds["decide"]')" "$(num "$m" band_records)" "$(num "$m" candidate_pairs)" "$(num "$m" unique_pairs)" \
  "$(num "$m" 'temp_bytes/1e6')" "$(num "$m" memory_mb)" "$(num "$m" 'peak_rss_kb/1024')"

echo "== the merge alone: scaling with the number of signatures, and memory with the buffer"
printf '%-10s %-9s %9s %9s %9s %9s %10s\n' signatures buffer_MB scan_s pairs_s decide_s total_s peak_MB
for frac in 4 2 1; do
  for mem in 256 64 16; do
    [ "$frac" = 1 ] || [ "$mem" = 256 ] || continue
    sigs=()
    for ((i = 0; i < shards / frac; i++)); do sigs+=("$w/global/stages.0/shard-$(printf %05d "$i").sig"); done
    /usr/bin/time -f '%e %M' -o "$dir/time" "$build/textmill-dedup" decide -q --memory "$mem" --tmp "$dir" \
      --stats "$dir/m.json" --out "$dir/drop.tsv" "${sigs[@]}"
    read -r secs kb <"$dir/time"
    printf '%-10s %-9s %9.1f %9.1f %9.1f %9.1f %10.0f\n' "$(num "$dir/m.json" documents)" "$mem" \
      "$(num "$dir/m.json" 'seconds["scan"]')" "$(num "$dir/m.json" 'seconds["pairs"]')" \
      "$(num "$dir/m.json" 'seconds["decide"]')" "$secs" "$((kb / 1024))"
  done
done
