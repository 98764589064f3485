#!/usr/bin/env bash
# What given C functions of the stage cost with all they call, and how
# often they are called: callgrind runs the lua stage over every tenth
# cleaned dev article, and for each name on the command line this prints
# its calls, its instructions with its callees' and the instructions a
# call, then the callees that cost it most. Where lua_cache.sh ranks
# functions by their own instructions, this follows one piece of work
# through what it calls: what an entity costs on its way through Lua
# tables (docs/performance-rounds.md, twenty-fourth round). Not part of
# ctest.
#
#   bash bench/lua_calls.sh FUNCTION...
#   bash bench/lua_calls.sh push_cand_table doc_add_entities read_head add_entity_head
#   bash bench/lua_calls.sh add_entity_head'>'encode_object     (one caller's calls, no callees)
#   TEXTMILL=build-x/textmill SCRIPT=other/pack.lua TOP=8 bash bench/lua_calls.sh emit
#
# A name stands for the function and for the copies the compiler made of
# it (encode_object.constprop.0, gaz_new.lto_priv.0), and a function
# the compiler put inside its caller is not called at all. Its cost is
# summed over the calls from other functions: a call to itself is
# counted in the call that entered it, but one back through another
# function counts again. The calls are read from callgrind_annotate's
# calling tree (bench/callgrind_tree.py, as lua_parts.sh reads them). The
# seed of Lua's hashes is fixed, as in lua_ipb.sh. Needs valgrind and a C
# compiler.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || { echo "usage: bash bench/lua_calls.sh FUNCTION[>CALLEE]..." >&2; exit 2; }
. "$root/bench/lua_counted.sh"

counted_setup lua_calls
stage_config run tenth.jsonl "$script"
total=$(counted_tree "$work/run.yaml" run)

echo "the lua stage over $(wc -l <"$work/tenth.jsonl") cleaned dev articles (start-up included)"
python3 - "$root/bench" "$work/run.tree" "$total" "${TOP:-5}" "$@" <<'PY'
import collections, re, sys
sys.path.insert(0, sys.argv[1])
from callgrind_tree import edges

tree, total, top, asked = edges(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]

def base(name):
    """The function of a copy the compiler made (.constprop.0) or of a
    deeper level of a recursion callgrind told apart ('2)."""
    return re.sub(r"'\d+$", "", name).split(".", 1)[0]

print("in all: %.1f M instructions" % (total / 1e6))
print("%10s %9s %7s %11s  %s" % ("calls", "instr M", "share", "a call", "function (its callees that cost most)"))
for want in asked:
    caller, _, target = want.rpartition(">")
    ins = [v for (f, c), v in tree.items() if base(c) == target and base(f) != target and (not caller or base(f) == caller)]
    cost, n = sum(v[0] for v in ins), sum(v[1] for v in ins)
    if not n:
        print("%10s %9s %7s %11s  %s: no call in this run (none made, or compiled into its callers)"
              % ("-", "-", "-", "-", want))
        continue
    print("%10d %9.2f %6.1f%% %11.0f  %s" % (n, cost / 1e6, 100 * cost / max(total, 1), cost / n, want))
    if caller:
        continue  # callgrind keeps a function's callees, not those of its calls from one caller
    out = collections.Counter()
    for (f, c), v in tree.items():
        if base(f) == target and base(c) != target:
            out[base(c)] += v[0]
    for c, v in out.most_common(top):
        print("%10s %9.2f %7s %11.0f    %s" % ("", v / 1e6, "", v / n, c))
PY
