#!/usr/bin/env bash
# Instructions per byte of the lua stage (the entity pack), counted by
# callgrind: the figure the rounds of docs/performance-rounds.md compare, steadier than
# seconds on a shared machine. Not part of ctest: a run takes minutes.
#
#   bash bench/lua_ipb.sh [SEEDS]                 (default 1)
#   TEXTMILL=build-x/textmill SCRIPT=other/pack.lua bash bench/lua_ipb.sh 3
#   FAMILIES="dates, quantities" bash bench/lua_ipb.sh   (those families alone)
#
# Input: every tenth article of ../shared/corpus/dev/ (beside the checkout)
# after the cleaning stages of config/default.yaml, made afresh each call.
# Figure: callgrind's count of a run with the stage alone, less the same run
# with no stage (reading and writing), less the same two over the first of
# those articles alone (start-up: building the pack), over the difference
# of their bytes of text. Lua seeds its string hashes from the clock and an
# address: the runs fix both (a time() that returns a constant, preloaded;
# setarch -R; an empty environment), so that a count repeats exactly. One
# seed is one layout of Lua's hash tables, and two versions of the pack can
# differ by a few tenths of a percent on one seed alone: SEEDS runs with
# other clocks, and their median, are the figure to compare.
# Needs valgrind and a C compiler.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seeds=${1:-1}
. "$root/bench/lua_counted.sh"
counted_setup lua_ipb

stage_config tenth_lua tenth.jsonl "$script"
stage_config tenth_none tenth.jsonl
stage_config one_lua one.jsonl "$script"
stage_config one_none one.jsonl

# count NAME [CLOCK]: the instructions of a run of NAME.yaml
count() { counted_run "$work/$1.yaml" "$work/cg.out" "${2:-}"; }
text_bytes() { python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1])))' "$1"; }

bytes=$(($(text_bytes "$work/tenth.jsonl") - $(text_bytes "$work/one.jsonl")))
tenth_none=$(count tenth_none)
one_none=$(count one_none)
echo "lua stage over $(wc -l <"$work/tenth.jsonl") cleaned dev articles less the first, $bytes bytes of text${FAMILIES+, families: [$FAMILIES]}"
figures=()
for ((i = 0; i < seeds; i++)); do
  clock=$((1700000000 + 86400 * i))
  tenth=$(count tenth_lua "$clock")
  one=$(count one_lua "$clock")
  figures+=("$(python3 -c 'import sys
t, tn, o, on, b = map(int, sys.argv[1:])
print("%.1f" % (((t - tn) - (o - on)) / b))' "$tenth" "$tenth_none" "$one" "$one_none" "$bytes")")
  echo "seed $((i + 1)): instructions per byte ${figures[-1]}   the stage $(((tenth - tenth_none) / 1000000)) M over the tenth, $(((one - one_none) / 1000000)) M over one article"
done
printf '%s\n' "${figures[@]}" | sort -n | awk '{v[NR] = $1} END {printf "median of %d seeds: %.1f instructions per byte (%.1f to %.1f)\n", NR, v[int((NR + 1) / 2)], v[1], v[NR]}'
