#!/usr/bin/env bash
# The articles of ../shared/corpus/dev/ (beside the checkout) after the
# cleaning stages of config/default.yaml (its stages before the lua one,
# with their options, dedup left out), as JSON Lines in OUT: the text the
# entity pack reads in the main job. The benches of the pack start here.
#
#   bash bench/clean_dev.sh OUT
#   TEXTMILL=build-x/textmill bash bench/clean_dev.sh OUT
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
textmill=${TEXTMILL:-$root/build/textmill}
out=${1:?usage: bash bench/clean_dev.sh OUT}
dev=$root/../shared/corpus/dev
ls "$dev"/*.jsonl >/dev/null 2>&1 || { echo "clean_dev: $dev is not there: no real articles" >&2; exit 1; }
cfg=$(mktemp)
trap 'rm -f "$cfg"' EXIT
{
  echo "input: {type: files, paths: [$(ls "$dev"/*.jsonl | grep -v '\.truth\.' | paste -sd, | sed 's/,/, /g')]}"
  echo "stages:"
  sed -n '/^stages:/,/^outputs:/p' "$root/config/default.yaml" | sed '1d;$d' |
    sed "s#rules: boilerplate#rules: $root/config/boilerplate#" |
    awk '/- type: lua/{skip=1; next} /- type:/{skip=0} !skip'
  echo "outputs: [{type: output.jsonl, path: $out}]"
} | grep -v 'dedup\.' >"$cfg"
"$textmill" run "$cfg" -q || { echo "clean_dev: the cleaning run failed" >&2; exit 1; }
