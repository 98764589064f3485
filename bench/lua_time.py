#!/usr/bin/env python3
"""The samples of `perf script` (call graphs) of lua stage runs, by part.

    bench/lua_time.py RUN.txt...        (written by bench/lua_time.sh)

Each sample goes to one part by the functions on its stack, from the
root: the start (the pack built), the reader, the writer, the lexicon
searched ahead (the stage's prepare()), and within process() the scan
(engine:begin), the rules (the engine's find: its own C work, the rules'
value() functions, and the C functions those call), the adding of the
entities, and the rest (the post steps, the context, the phases' runner).
The rules' value() and the rest are split into Lua (no C function Lua
called below that point: the interpreter, tables, strings, the collector
and the stage's allocator, the string library) and C (a function of the module or the host that
Lua called). Samples whose stack could not be walked (PCRE2's JIT code
has no unwinding tables) are a part of their own. Prints the median
share of each part over the runs.
"""
import collections, re, statistics, sys

FRAME = re.compile(r"^\s+[0-9a-f]+\s+(.*?)(?:\+0x[0-9a-f]+)?\s+\((.*)\)\s*$")


def samples(path):
    """Each sample's frames, leaf first, as (function, library) with the
    library of an inlined function taken from the frame that holds it."""
    cur = None
    for line in open(path, errors="replace"):
        if line and not line[0].isspace():
            if cur:
                yield resolve(cur)
            cur = []
        elif cur is not None:
            m = FRAME.match(line)
            if m:
                cur.append([m.group(1), m.group(2)])
    if cur:
        yield resolve(cur)


def resolve(frames):
    for i in range(len(frames) - 1, -1, -1):
        if frames[i][1] == "inlined":
            frames[i][1] = frames[i + 1][1] if i + 1 < len(frames) else "?"
    return [(f, lib.rsplit("/", 1)[-1]) for f, lib in frames]


# The stage's allocator, which Lua calls for its tables and strings: Lua's
# own work, not a C function a script called.
ALLOCATOR = {"budget_alloc", "tml_alloc_realloc", "tml_alloc_slow"}


def lua_lib(lib): return lib.startswith("liblua")
def system(lib): return lib.startswith(("libc.", "libm.", "ld-linux", "[kernel", "[vdso"))


def lua_or_c(frames, below):
    """Below frame `below` (toward the leaf): did Lua call a C function
    (of the module, the host, PCRE2) on the way to the leaf?"""
    in_lua = False
    for i in range(below - 1, -1, -1):
        name, lib = frames[i]
        if lua_lib(lib) or name in ALLOCATOR:
            in_lua = True
        elif in_lua and not system(lib):
            return "C"
    return "Lua"


def part(frames):
    names = [f for f, _ in frames]
    at = {n: i for i, n in reversed(list(enumerate(names)))}  # the outermost frame of each name
    def outer(*ns):
        found = [at[n] for n in ns if n in at]
        return max(found) if found else None
    if not frames or all(f == "[unknown]" for f, _ in frames):
        return "no stack (PCRE2's JIT code)"
    if outer("build_state", "lstage_create", "create_stage") is not None:
        return "start: the pack built"
    if "reader_main" in at:
        return "reading the input (reader thread)"
    if "writer_main" in at:
        return "writing the output (writer thread)"
    if outer("lstage_prepare", "prepare_slice") is not None:
        return "the lexicon searched ahead (prepare)"
    if "lstage_process" not in at:
        return "other (the host, the kernel)"
    if "engine_begin" in at:
        return "process: the scan (begin)"
    if "find_run" in at:
        if "call_rule" in at:
            return "process: the rules' value(): " + lua_or_c(frames, at["call_rule"])
        return "process: the rules: the engine in C"
    if "doc_add_entities" in at:
        return "process: adding the entities"
    return "process: post steps and the rest: " + lua_or_c(frames, at["lstage_process"])


def main():
    runs = sys.argv[1:]
    shares = collections.defaultdict(list)
    for path in runs:
        count = collections.Counter(part(f) for f in samples(path))
        total = sum(count.values())
        for k in set(shares) | set(count):
            shares[k].append(100.0 * count.get(k, 0) / total)
    med = lambda xs: statistics.median(xs + [0.0] * (len(runs) - len(xs)))
    print(f"the lua stage over the cleaned dev articles, one worker: median share of the samples of {len(runs)} runs")
    for k, xs in sorted(shares.items(), key=lambda kv: -med(kv[1])):
        print(f"  {med(xs):5.1f}%  {k}")
    lua = sum(med(xs) for k, xs in shares.items() if k.endswith(": Lua"))
    print(f"  the interpreter's own work (the two Lua parts): {lua:.1f}%")


if __name__ == "__main__":
    main()
