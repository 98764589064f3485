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
# function counts again. The seed of Lua's hashes is fixed, as in
# lua_ipb.sh. Needs valgrind and a C compiler.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
script=$(realpath "${SCRIPT:-$root/scripts/entities/defence_vi.lua}")
[ $# -gt 0 ] || { echo "usage: bash bench/lua_calls.sh FUNCTION[>CALLEE]..." >&2; exit 2; }
. "$root/bench/lua_counted.sh"

counted_setup lua_calls
stage_config run tenth.jsonl "$script"
counted_run "$work/run.yaml" "$work/calls.out" >/dev/null

echo "the lua stage over $(wc -l <"$work/tenth.jsonl") cleaned dev articles (start-up included)"
python3 - "$work/calls.out" "${TOP:-5}" "$@" <<'PY'
import collections, re, sys

path, top, asked = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
names, edge, calls = {}, collections.Counter(), collections.Counter()
total, fn, callee, pending = 0, None, None, None

def named(field):
    # callgrind writes "(id) name" once, then "(id)"
    m = re.match(r"\((\d+)\)(?: (.*))?$", field)
    if not m:
        return field
    if m.group(2):
        names[m.group(1)] = m.group(2)
    return names.get(m.group(1), field)

for line in open(path):
    if line.startswith("fn="):
        fn = named(line[3:].strip())
    elif line.startswith("cfn="):
        callee = named(line[4:].strip())
    elif line.startswith("calls="):
        pending = int(line[6:].split()[0])
    elif line.startswith(("summary:", "totals:")):
        total = int(line.split()[1])
    elif pending is not None and line[:1] in "0123456789+-*":
        cost = int(line.split()[-1])
        edge[(fn, callee)] += cost
        calls[(fn, callee)] += pending
        pending = None

def base(name):
    return name.split(".", 1)[0]

print("in all: %.1f M instructions" % (total / 1e6))
print("%10s %9s %7s %11s  %s" % ("calls", "instr M", "share", "a call", "function (its callees that cost most)"))
for want in asked:
    caller, _, target = want.rpartition(">")
    ins = [k for k in edge if base(k[1]) == target and base(k[0]) != target and (not caller or base(k[0]) == caller)]
    n, cost = sum(calls[k] for k in ins), sum(edge[k] for k in ins)
    if not n:
        print("%10s %9s %7s %11s  %s: no call in this run (none made, or compiled into its callers)"
              % ("-", "-", "-", "-", want))
        continue
    print("%10d %9.2f %6.1f%% %11.0f  %s" % (n, cost / 1e6, 100 * cost / max(total, 1), cost / n, want))
    if caller:
        continue  # callgrind keeps a function's callees, not those of its calls from one caller
    out = collections.Counter()
    for (f, c), v in edge.items():
        if base(f) == target and base(c) != target:
            out[base(c)] += v
    for c, v in out.most_common(top):
        print("%10s %9.2f %7s %11.0f    %s" % ("", v / 1e6, "", v / n, c))
PY
