"""The calls between functions in `callgrind_annotate --inclusive=yes
--tree=calling --threshold=100` output, for the entity pack's bench scripts
(lua_parts.sh, lua_calls.sh).

    edges(path) -> {(caller, callee): [instructions, calls]}

Each call's instructions are the callee's with all it calls. Names lose
the file before them and the object after them: callgrind_annotate lists a
function once per file its lines come from (lua_json.c:encode_object and
???:encode_object), and those are one function."""
import collections
import re

# "  41,874,859 ( 5.94%)  *  ???:push_cand_table [lib.so]"     a function
# "  18,089,770 ( 2.57%)  >   ???:lua_rawset (89,796x) [lib.so]"  a call it makes
LINE = re.compile(r"\s*([\d,]+) \([^)]*\)\s+([*>])\s+(\S+?)(?: \(([\d,]+)x\))?(?: \[.*\])?\s*$")


def function_name(field):
    """The function of "file:function" (the file may hold a colon)."""
    return field.rsplit(":", 1)[-1]


def edges(path):
    out = collections.defaultdict(lambda: [0, 0])
    caller = None
    for line in open(path, encoding="utf-8"):
        m = LINE.match(line)
        if not m:
            continue
        name = function_name(m.group(3))
        if m.group(2) == "*":
            caller = name
        elif caller is not None:
            e = out[(caller, name)]
            e[0] += int(m.group(1).replace(",", ""))
            e[1] += int(m.group(4).replace(",", ""))
    return out
