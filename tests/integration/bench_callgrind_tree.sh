# bench/callgrind_tree.py, which lua_parts.sh and lua_calls.sh take their
# figures from, reads callgrind_annotate's calling tree: a function's
# lines and the calls under it, with or without the object in brackets,
# one function written under two files merged, lines of other kinds left
# alone. (The bench scripts need valgrind and minutes; this needs neither.)
. "$(dirname "$0")/lib.bash"
cat >"$WORK/tree" <<'TREE'
--------------------------------------------------------------------------------
Ir                    file:function
--------------------------------------------------------------------------------
705,153,039 (100.0%)  PROGRAM TOTALS

 41,874,859 ( 5.94%)  *  ???:push_cand_table [/x/lua.so]
 18,089,770 ( 2.57%)  >   ???:lua_rawset (89,796x) [/x/liblua.so]
    132,880 ( 0.02%)  >   ???:lua_topointer (6,040x) [/x/liblua.so]

 39,369,347 ( 5.58%)  *  ???:add_entity_head [/x/lua.so]
 20,372,104 ( 2.89%)  >   /src/lib/lua_json.c:encode_object.constprop.0 (12,940x)
  7,886,013 ( 1.12%)  >   /src/core/doc.c:tm_doc_add_entity_written (13,479x) [/x/textmill]

 20,372,104 ( 2.89%)  *  /src/lib/lua_json.c:encode_object.constprop.0

 20,372,104 ( 2.89%)  *  ???:encode_object.constprop.0 [/x/lua.so]
  5,342,883 ( 0.76%)  >   ???:lua_next (41,237x) [/x/liblua.so]
    524,380 ( 0.07%)  >   ???:encode.constprop.0 (546x) [/x/lua.so]
    699,480 ( 0.10%)  >   ./string/../multiarch/memmove-erms.S:__memcpy_avx_unaligned_erms (50,512x) [/x/libc.so]

    100,000 ( 0.01%)  *  ???:0x000000000001ef00'2 [/x/liblua.so]
     60,000 ( 0.01%)  >   ???:push_cand_table (20x) [/x/lua.so]
     40,000 ( 0.01%)  >   ???:push_cand_table (10x) [/x/lua.so]
TREE
python3 - "$TM_SOURCE_DIR/bench" "$WORK/tree" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from callgrind_tree import edges
e = edges(sys.argv[2])
want = {
    ("push_cand_table", "lua_rawset"): [18089770, 89796],
    ("push_cand_table", "lua_topointer"): [132880, 6040],
    ("add_entity_head", "encode_object.constprop.0"): [20372104, 12940],
    ("add_entity_head", "tm_doc_add_entity_written"): [7886013, 13479],
    # the calls under "???:encode_object..." are the function's, whichever
    # file its own line named
    ("encode_object.constprop.0", "lua_next"): [5342883, 41237],
    ("encode_object.constprop.0", "encode.constprop.0"): [524380, 546],
    ("encode_object.constprop.0", "__memcpy_avx_unaligned_erms"): [699480, 50512],
    # two lines of one call are summed; a recursion's level keeps its name
    ("0x000000000001ef00'2", "push_cand_table"): [100000, 30],
}
got = {k: list(v) for k, v in e.items()}
assert got == want, f"edges differ:\n got  {sorted(got.items())}\n want {sorted(want.items())}"
print(f"{len(got)} calls read as callgrind_annotate wrote them")
PY
