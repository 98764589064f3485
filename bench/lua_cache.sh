#!/usr/bin/env bash
# What the entity pack's instruction count does not show: cachegrind runs
# the lua stage over every tenth cleaned dev article with this machine's
# level 1 data cache and its level 2 cache (the last one a core has to
# itself) simulated, and a branch predictor, and prints per function the
# instructions, the data accesses that miss each level and the branches
# mispredicted. A part whose time on the wall clock exceeds its share of
# the instructions (docs/performance-rounds.md, twenty-third round) shows
# here why. Simulated figures, not the processor's counters (which a
# virtual machine may not give): compare two builds with it, as with
# lua_ipb.sh, rather than take one figure for cycles. Not part of ctest.
#
#   bash bench/lua_cache.sh [TOP]                  (default 25)
#   TEXTMILL=build-x/textmill SCRIPT=other/pack.lua bash bench/lua_cache.sh
#
# The caches: getconf's LEVEL1_DCACHE_* and LEVEL2_CACHE_* (cachegrind's
# own guess takes the shared level 3 of the host for the last level);
# D1=SIZE,WAYS,LINE and L2=... override them. Needs valgrind and a C
# compiler.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
top=${1:-25}
. "$root/bench/lua_counted.sh"

# cache LEVEL DEFAULT: SIZE,WAYS,LINE of getconf's LEVEL, or DEFAULT
cache() {
  local size ways line
  size=$(getconf "${1}_SIZE" 2>/dev/null || true)
  ways=$(getconf "${1}_ASSOC" 2>/dev/null || true)
  line=$(getconf "${1}_LINESIZE" 2>/dev/null || true)
  if [[ "$size" =~ ^[1-9][0-9]*$ && "$ways" =~ ^[1-9][0-9]*$ && "$line" =~ ^[1-9][0-9]*$ ]]; then
    echo "$size,$ways,$line"
  else
    echo "$2"
  fi
}
d1=${D1:-$(cache LEVEL1_DCACHE 49152,12,64)}
l2=${L2:-$(cache LEVEL2_CACHE 1048576,8,64)}

counted_setup lua_cache
stage_config run tenth.jsonl "$script"
counted_valgrind "$work/run.yaml" 1700000000 --tool=cachegrind --cache-sim=yes --branch-sim=yes --D1="$d1" --LL="$l2" \
  --cachegrind-out-file="$work/cache.out"

echo "the lua stage over $(wc -l <"$work/tenth.jsonl") cleaned dev articles (start-up included); D1 $d1, L2 $l2 (size, ways, line)"
python3 - "$work/cache.out" "$top" <<'PY'
import collections, sys

path, top = sys.argv[1], int(sys.argv[2])
events, fn, cost = [], None, collections.defaultdict(lambda: [0] * 13)
for line in open(path):
    if line.startswith("events:"):
        events = line.split()[1:]
    elif line.startswith("fn="):
        fn = line[3:].strip()
    elif line[:1].isdigit() and fn:
        row = cost[fn]
        for i, v in enumerate(line.split()[1:]):
            row[i] += int(v)
at = {e: i for i, e in enumerate(events)}
def get(row, e): return row[at[e]]
def misses1(row): return get(row, "D1mr") + get(row, "D1mw")
def misses2(row): return get(row, "DLmr") + get(row, "DLmw")
def wrong(row): return get(row, "Bcm") + get(row, "Bim")
total = [sum(r[i] for r in cost.values()) for i in range(len(events))]
print("in all: %.1f M instructions, %.2f M L1 data misses, %.3f M L2 misses, %.2f M branches mispredicted"
      % (get(total, "Ir") / 1e6, misses1(total) / 1e6, misses2(total) / 1e6, wrong(total) / 1e6))
print("%9s %7s %8s %7s %8s %7s %6s  %s" % ("instr M", "share", "L1 miss", "share", "L2 miss", "mispr.", "share",
                                         "function (mispredicted per 1,000 instructions)"))
for name, row in sorted(cost.items(), key=lambda kv: -get(kv[1], "Ir"))[:top]:
    ir = get(row, "Ir")
    if name == "???":
        name = "(no symbol: Lua's own functions, PCRE2's JIT code)"
    print("%9.1f %6.1f%% %7.0fK %6.1f%% %7.0fK %6.0fK %5.1f%%  %s (%.1f)"
          % (ir / 1e6, 100 * ir / get(total, "Ir"), misses1(row) / 1e3, 100 * misses1(row) / max(misses1(total), 1),
             misses2(row) / 1e3, wrong(row) / 1e3, 100 * wrong(row) / max(wrong(total), 1), name,
             1000 * wrong(row) / max(ir, 1)))
PY
