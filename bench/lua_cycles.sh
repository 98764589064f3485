#!/usr/bin/env bash
# Where the entity pack's time goes by the clock rather than by
# instructions: the lua stage alone over the cleaned dev articles (one
# worker), sampled by `perf record` (the CPU clock) RUNS times; prints the
# median share of the samples of each library and of the TOP functions.
# Instruction counts (lua_ipb.sh, lua_calls.sh) do not see what waits on
# memory: the lexicon's search was 5 % of the pack's instructions and 13 %
# of its time (docs/performance-rounds.md, twenty-seventh round). The
# start (building the pack, about a tenth of a run this short) is in the
# samples. Not part of ctest; needs perf.
#
#   bash bench/lua_cycles.sh [RUNS] [TOP]      (default 5 runs, 25 functions)
#   TEXTMILL=build-x/textmill bash bench/lua_cycles.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
top=${2:-25}
command -v perf >/dev/null || { echo "lua_cycles: perf is not installed" >&2; exit 1; }
. "$root/bench/lua_counted.sh"
counted_articles lua_cycles
stage_config cycles cleaned.jsonl "$script"
for ((i = 1; i <= runs; i++)); do
  perf record -q -F 4999 -o "$work/run$i.data" -- "$textmill" run "$work/cycles.yaml" -q >/dev/null 2>"$work/perf.err" ||
    { cat "$work/perf.err" >&2; exit 1; }
  perf report -i "$work/run$i.data" --no-children --sort dso,sym --stdio 2>/dev/null >"$work/run$i.txt"
done
python3 - "$work" "$runs" "$top" <<'PY'
import collections, re, statistics, sys
work, runs, top = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
line = re.compile(r"^\s+([0-9.]+)%\s+(\[JIT\] tid \d+|\S+)\s+\[[.k]\]\s+(.+?)\s*$")
by_sym, by_dso = collections.defaultdict(list), collections.defaultdict(list)
for i in range(1, runs + 1):
    sym, dso = collections.Counter(), collections.Counter()
    for l in open(f"{work}/run{i}.txt"):
        m = line.match(l)
        if m:
            share, lib, name = float(m.group(1)), m.group(2), m.group(3)
            lib = "PCRE2's JIT code" if lib.startswith("[JIT]") else re.sub(r"\.so[.0-9]*$", "", lib)
            name = re.sub(r"\.(constprop|part|lto_priv|isra)\.\d+", "", name)
            if name.startswith("0x"):
                name = "(no symbol)"
            sym[(lib, name)] += share
            dso[lib] += share
    for k in set(by_sym) | set(sym):
        by_sym[k].append(sym.get(k, 0.0))
    for k in set(by_dso) | set(dso):
        by_dso[k].append(dso.get(k, 0.0))
med = lambda xs: statistics.median(xs + [0.0] * (runs - len(xs)))
print(f"the lua stage over the cleaned dev articles, one worker: median share of the samples of {runs} runs")
print(f"{'library':28} {'share':>7}")
for lib, xs in sorted(by_dso.items(), key=lambda kv: -med(kv[1]))[:12]:
    print(f"{lib:28} {med(xs):6.1f}%")
print(f"\n{'library':22} {'function':40} {'share':>7} {'spread':>13}")
for (lib, name), xs in sorted(by_sym.items(), key=lambda kv: -med(kv[1]))[:top]:
    full = xs + [0.0] * (runs - len(xs))
    print(f"{lib:22} {name[:40]:40} {med(xs):6.1f}% {min(full):5.1f} - {max(full):4.1f}")
PY
