# bench/lua_time.py, which lua_time.sh takes its figures from, puts each
# sample of `perf script` in one part of the lua stage by the functions on
# its stack: the rules' engine, their value() functions (the interpreter
# or the C they call), adding, the post steps (the same split), the
# lexicon searched ahead, the reader, the writer, the start, a stack that
# could not be walked. Inlined frames take their library from the frame
# that holds them; the stage's allocator under Lua is Lua's work. (The
# bench script needs perf; this needs neither it nor a run.)
. "$(dirname "$0")/lib.bash"
L=/usr/lib/liblua5.4.so.0.0.0 M=/b/plugins/lua.so C=/usr/lib/libc.so.6 T=/b/textmill
cat >"$WORK/samples" <<TXT
textmill 10 the engine's own C: a table made for a candidate
	1 lua_rawset+0x1 ($L)
	2 push_cand_table+0x2 ($M)
	3 push_by_type (inlined)
	3 find_run+0x3 ($M)
	4 [unknown] ($L)
	5 lstage_process (inlined)
	5 run_batch+0x5 ($T)

textmill 10 a value() function's Lua, through the library's string functions
	1 __memchr_evex+0x1 ($C)
	2 [unknown] ($L)
	3 lua_callk+0x3 ($L)
	4 call_rule (inlined)
	4 emit+0x4 ($M)
	5 find_run+0x5 ($M)
	6 [unknown] ($L)
	7 lstage_process (inlined)
	7 run_batch+0x7 ($T)

textmill 10 a C step a value() function called
	1 __memcmp_evex_movbe+0x1 ($C)
	2 l_cut+0x2 ($M)
	3 [unknown] ($L)
	4 call_rule (inlined)
	4 emit+0x4 ($M)
	5 find_run+0x5 ($M)
	6 [unknown] ($L)
	7 lstage_process (inlined)
	7 run_batch+0x7 ($T)

textmill 10 a post step's table, allocated
	1 _int_malloc+0x1 ($C)
	2 tml_alloc_slow (inlined)
	2 budget_alloc+0x2 ($M)
	3 [unknown] ($L)
	4 lua_pcallk+0x4 ($L)
	5 lstage_process (inlined)
	5 run_batch+0x5 ($T)

textmill 10 a string Lua copies (the C library's copy inlined in the frame that holds it)
	1 __memmove_avx_unaligned_erms (inlined)
	1 __memcpy_avx_unaligned+0x1 ($C)
	2 [unknown] ($L)
	3 lua_pcallk+0x3 ($L)
	4 lstage_process (inlined)
	4 run_batch+0x4 ($T)

textmill 10 a C step of a post step
	1 gazetteer_search+0x1 ($M)
	2 l_find+0x2 ($M)
	3 [unknown] ($L)
	4 lua_pcallk+0x4 ($L)
	5 lstage_process (inlined)
	5 run_batch+0x5 ($T)

textmill 10 the lexicon searched ahead
	1 gazetteer_search+0x1 ($M)
	2 tml_ahead_find (inlined)
	2 lstage_prepare (inlined)
	2 prepare_one (inlined)
	2 prepare_slice+0x2 ($T)

textmill 10 the scan
	1 next_digit+0x1 ($M)
	2 engine_begin (inlined)
	3 [unknown] ($L)
	4 lstage_process (inlined)
	4 run_batch+0x4 ($T)

textmill 10 adding
	1 encode_object+0x1 ($M)
	2 doc_add_entities+0x2 ($M)
	3 [unknown] ($L)
	4 lstage_process (inlined)
	4 run_batch+0x4 ($T)

textmill 11 the reader
	1 kit_json_read_string+0x1 ($T)
	2 reader_main+0x2 ($T)

textmill 12 the writer
	1 sqlite3VdbeExec+0x1 (/usr/lib/libsqlite3.so.0)
	2 writer_main+0x2 ($T)

textmill 10 the start
	1 [unknown] ($L)
	2 build_state+0x2 ($M)

textmill 10 JIT code
	7f0000001000 [unknown] ([unknown])
TXT
python3 - "$TM_SOURCE_DIR/bench" "$WORK/samples" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from lua_time import part, samples
got = [part(f) for f in samples(sys.argv[2])]
want = [
    "process: the rules: the engine in C",
    "process: the rules' value(): Lua",
    "process: the rules' value(): C",
    "process: post steps and the rest: Lua",
    "process: post steps and the rest: Lua",
    "process: post steps and the rest: C",
    "the lexicon searched ahead (prepare)",
    "process: the scan (begin)",
    "process: adding the entities",
    "reading the input (reader thread)",
    "writing the output (writer thread)",
    "start: the pack built",
    "no stack (PCRE2's JIT code)",
]
assert got == want, "\n".join(f"{g!r:45} want {w!r}" for g, w in zip(got, want)) + f"\n{len(got)} samples"
print(f"{len(got)} samples, each in its part")
PY
