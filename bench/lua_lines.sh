#!/usr/bin/env bash
# The Lua lines of the entity pack that run most often: a line hook counts
# them over every tenth cleaned dev article. Where a round of work on the
# pack's own Lua looks first (docs/performance-rounds.md, fourteenth round).
# A count says how often a line ran, not what it cost: a line that calls C
# (a regex, a lookup, ipairs' step) costs many times one that compares two
# numbers; bench/lua_ipb.sh counts the instructions. Not part of ctest.
#
#   bash bench/lua_lines.sh [TOP]                  (default 40)
#   TEXTMILL=build-x/textmill bash bench/lua_lines.sh 20
#
# The pack runs unchanged, as a trusted script (the line hook needs the
# debug library), from a copy of scripts/entities/ beside a small entry
# script that loads it and sets the hook for each document (the stage
# clears hooks between documents). Prints per line: runs per article, the
# share of all lines run, file:line and the line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
top=${1:-40}
. "$root/bench/lua_counted.sh"
counted_articles lua_lines
pack_copy
cat >"$work/pack/counted.lua" <<'LUA'
-- Runs defence_vi.lua (beside this file) and counts the lines each
-- document runs; finish() writes "file:line count" to options.counts_to.
local here = debug.getinfo(1, "S").source:match("^@(.*/)")
dofile(here .. "defence_vi.lua")
local pack_init, pack_process, pack_finish = init, process, finish
local counts, getinfo, sethook = {}, debug.getinfo, debug.sethook
local out

local function count(_, line)
  local k = getinfo(2, "S").source .. ":" .. line
  counts[k] = (counts[k] or 0) + 1
end

function init(options)
  out = options.counts_to
  options.counts_to = nil
  return pack_init(options)
end

function process(doc)
  sethook(count, "l")
  pack_process(doc)
  sethook()
end

function finish()
  if pack_finish then pack_finish() end
  local f = assert(io.open(out, "w"))
  for k, n in pairs(counts) do f:write(k, "\t", n, "\n") end
  f:close()
end
LUA

pack_config "$work/run.yaml" counted.lua "counts_to: $work/counts.tsv" "$work/out.jsonl"
"$textmill" run "$work/run.yaml" -q

python3 - "$work/counts.tsv" "$work/tenth.jsonl" "$top" <<'PY'
import sys
counts_file, docs_file, top = sys.argv[1], sys.argv[2], int(sys.argv[3])
docs = sum(1 for _ in open(docs_file, encoding="utf-8"))
rows = []
for line in open(counts_file, encoding="utf-8"):
    key, n = line.rstrip("\n").rsplit("\t", 1)
    path, at = key.rsplit(":", 1)
    if not path.endswith("/counted.lua"):   # the entry script's own lines
        rows.append((int(n), path.lstrip("@"), int(at)))
total = sum(n for n, _, _ in rows)
sources = {}
print(f"Lua lines run over {docs} cleaned dev articles: {total:,} ({total / docs:,.0f} an article)")
by_file = {}
for n, path, _ in rows:
    name = path.rsplit("/", 1)[-1]
    by_file[name] = by_file.get(name, 0) + n
print("by file: " + ", ".join(f"{name} {100 * n / total:.0f}%"
                              for name, n in sorted(by_file.items(), key=lambda kv: -kv[1])))
print(f"{'an article':>10} {'share':>6}  line")
for n, path, at in sorted(rows, reverse=True)[:top]:
    if path not in sources:
        sources[path] = open(path, encoding="utf-8").read().split("\n")
    text = sources[path][at - 1].strip()
    name = path.rsplit("/", 1)[-1]
    print(f"{n / docs:10.1f} {100 * n / total:5.1f}%  {name}:{at}  {text[:90]}")
PY
