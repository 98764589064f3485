#!/usr/bin/env bash
# A sharded run of the dev corpus (../shared/corpus/dev) against one run of
# the same pipeline: the three dedup stages between cleaning and the output,
# so the sharded run has seven phases. Prints both wall times and whether
# the outputs are byte for byte the same (cmp of the shards' outputs,
# concatenated in shard order, with the single run's file).
#
#   bench/slurm_dev.sh [BUILD_DIR] [SHARDS]      (default: build 4)
#
# With a Slurm cluster that answers (slurm-local's start.sh), the shards run
# on it (textmill slurm --wait); without one, run-local.sh runs the same job
# scripts here, PARALLEL=2.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
shards=${2:-4}
dev=$here/../../shared/corpus/dev
[ -d "$dev" ] || { echo "no dev corpus at $dev" >&2; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/dev.yaml" <<EOF2
input: {paths: [$(cd "$dev" && pwd)/baomoi_defence.jsonl, $(cd "$dev" && pwd)/baomoi_other.jsonl, $(cd "$dev" && pwd)/dantri.jsonl]}
stages:
  - {type: clean.normalize}
  - {type: extract.metadata}
  - {type: filter.length, min_chars: 200}
  - {type: dedup.exact}
  - {type: dedup.paragraph, min_docs: 3}
  - {type: dedup.minhash}
outputs: [{type: output.jsonl, path: out/dev.jsonl}]
EOF2
start=$(date +%s.%N)
"$build/textmill" run "$dir/dev.yaml" -j 2 -o "$dir/single.jsonl" 2>"$dir/single.err"
single=$(awk "BEGIN{print $(date +%s.%N) - $start}")
grep 'documents read' "$dir/single.err"
start=$(date +%s.%N)
if [ -n "${SLURM_CONF:-}" ] && timeout 10 sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
  how="on Slurm"
  "$build/textmill" slurm "$dir/dev.yaml" --shards "$shards" -w "$dir/w" --cpus 1 --mem 1G --wait 2>"$dir/slurm.err" ||
    { cat "$dir/slurm.err"; exit 1; }
  sed -n '/textmill slurm: done/,$p' "$dir/slurm.err"
else
  how="here, run-local.sh"
  "$build/textmill" slurm "$dir/dev.yaml" --shards "$shards" -w "$dir/w" --dry-run 2>/dev/null
  PARALLEL=2 bash "$dir/w/jobs/run-local.sh" >/dev/null
fi
sharded=$(awk "BEGIN{print $(date +%s.%N) - $start}")
printf 'one run: %.1f s; %s shards %s: %.1f s\n' "$single" "$shards" "$how" "$sharded"
if cat "$dir"/w/out/shard-*/dev.jsonl | cmp -s - "$dir/single.jsonl"; then
  echo "outputs: identical ($(wc -l <"$dir/single.jsonl") documents, $(wc -c <"$dir/single.jsonl") bytes)"
else
  echo "outputs: DIFFERENT"; exit 1
fi
