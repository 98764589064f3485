#!/usr/bin/env bash
# Where the entity pack's time goes by part, by the clock: the lua stage
# alone over the cleaned dev articles (one worker) under `perf record
# --call-graph dwarf`, RUNS times; each sample is put in one part by the
# functions on its stack (bench/lua_time.py), and the median share of
# each part is printed. Inside the rules and the rest of process(), a
# sample is "Lua" when no C function that Lua called is on its stack
# below that point (the interpreter, its tables, strings, collector and
# allocator, and the string library), else "C". Where lua_cycles.sh ranks functions
# and lua_parts.sh counts a part's instructions, this says how much of a
# part's time is the interpreter's own (docs/performance-rounds.md,
# twenty-eighth round). Not part of ctest; needs perf.
#
#   bash bench/lua_time.sh [RUNS]      (default 3 runs)
#   TEXTMILL=build-x/textmill bash bench/lua_time.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
command -v perf >/dev/null || { echo "lua_time: perf is not installed" >&2; exit 1; }
. "$root/bench/lua_counted.sh"
counted_articles lua_time
stage_config timed cleaned.jsonl "$script"
for ((i = 1; i <= runs; i++)); do
  perf record -q -F 3999 --call-graph dwarf,8192 -o "$work/run$i.data" -- \
    "$textmill" run "$work/timed.yaml" -q >/dev/null 2>"$work/perf.err" || { cat "$work/perf.err" >&2; exit 1; }
  perf script -i "$work/run$i.data" -F comm,tid,ip,sym,dso 2>/dev/null >"$work/run$i.txt"
  rm -f "$work/run$i.data"
done
python3 "$root/bench/lua_time.py" "$work"/run*.txt
