/* test_before.c -- textmill.thing_before and textmill.list_before, by
 * cases and against the same tests written in Lua (what names.lua ran
 * before) on generated text. */
#include <check.h>
#include <stdlib.h>

#include "lua_test.h"
#include "tml_core.h"

/* THING, STREET: tests of a small spec; ENGINE(text): an engine begun on
 * text whose lexicon knows two places; same(text): every position of
 * text gives the answers of the Lua tests, and the counts of yes. */
static const char *PRELUDE =
	"local function set(words) local t = {}; for w in words:gmatch('%S+') do t[w] = true end; return t end\n"
	"LEX = textmill.gazetteer({ {'Hà Nội', type='PROVINCE'}, {'Nhật Bản', type='PLACE'} })\n"
	"function ENGINE(text)\n"
	"  local e = textmill.engine({ rules = {}, lexicon = LEX })\n"
	"  e:begin(text)\n"
	"  return e\n"
	"end\n"
	"local WORDS, HEADS, PLACES = set('đường phố trường'), set('bay ty'), { PLACE = true, PROVINCE = true }\n"
	"local HEAD = textmill.regex([[(?i)(?:sân bay|công ty|số\\s+\\d[\\d/\\p{L}]*)\\s+$]])\n"
	"THING = textmill.thing_before({ words = WORDS, heads = HEADS, head = HEAD, reach = 24, unless = PLACES })\n"
	"local ENDS = set('đường phố như')\n"
	"local START = textmill.regex([[(?i:đường|phố)(?: như)?:?\\s+(?:\\p{Lu}|$)]])\n"
	"local LIST = textmill.regex([[(?i:đường|phố)(?: như)?:?\\s+(?:\\p{Lu}[\\p{L}\\p{M}]*(?: \\p{Lu}[\\p{L}\\p{M}]*)*\\s*,\\s*)*$]])\n"
	"STREET = textmill.list_before({ ends = ENDS, start = START, list = LIST })\n"
	"local function thing_lua(E, text, pos)\n"
	"  local w = E:word_before(pos)\n"
	"  local b = w:byte(1)\n"
	"  return (WORDS[w] or ((HEADS[w] or (b ~= nil and b >= 48 and b <= 57)) and HEAD:test_in(text, pos - 24, pos - 1)))\n"
	"    and not E:just_before_start(pos, PLACES) and true or false\n"
	"end\n"
	"local function street_lua(text, pos)\n"
	"  local w = textmill.word_before(text, pos)\n"
	"  if #w < 36 and not ENDS[w] and textmill.small_word(w) then return false end\n"
	"  return START:test_in(text, pos - 160, pos - 1) and LIST:test_in(text, pos - 160, pos - 1)\n"
	"end\n"
	"function same(text)\n"
	"  local E = ENGINE(text)\n"
	"  local cx = { engine = E, text = text }\n"
	"  local things, streets = 0, 0\n"
	"  for pos = 0, #text + 2 do\n"
	"    local c = text:byte(pos)\n"
	"    if c and c >= 128 and c < 192 then goto inside end   -- (a position inside a character: none)\n"
	"    local a, b = THING(cx, pos), thing_lua(E, text, pos)\n"
	"    if a ~= b then error(('%q at %d: thing_before %s, in Lua %s'):format(text, pos, a, b), 2) end\n"
	"    local x, y = STREET(cx, pos), street_lua(text, pos)\n"
	"    if x ~= y then error(('%q at %d: list_before %s, in Lua %s'):format(text, pos, x, y), 2) end\n"
	"    things, streets = things + (a and 1 or 0), streets + (x and 1 or 0)\n"
	"    ::inside::\n"
	"  end\n"
	"  return things, streets\n"
	"end\n"
	"function eq(a, b) if a ~= b then error(('expected %q, got %q'):format(b, a), 2) end end\n";

static lua_State *before_lua(void)
{
	lua_State *L = new_lua();
	lua_getglobal(L, "textmill");
	tml_regex_register(L);
	tml_runs_register(L);
	tml_engine_register(L);
	tml_before_register(L);
	lua_pop(L, 1);
	run_lua(L, PRELUDE);
	return L;
}

START_TEST(examples)
{
	lua_State *L = before_lua();
	run_lua(L,
		/* a word before, a head of two words, a number (an address), a
		 * word in capitals lowered; a place right before says no */
		"local t = 'đường Nguyễn Huệ, sân bay Tân Sơn Nhất, số 187 Nguyễn Chí Thanh, Trường Lê Quý Đôn'\n"
		"local cx = { engine = ENGINE(t) }\n"
		"for _, name in ipairs({ 'Nguyễn Huệ', 'Tân Sơn Nhất', 'Nguyễn Chí Thanh', 'Lê Quý Đôn' }) do\n"
		"  assert(THING(cx, t:find(name, 1, true)), name)\n"
		"end\n"
		"assert(not THING(cx, 1))\n"
		"t = 'số 05 Lê'\n"
		"cx = { engine = ENGINE(t) }\n"
		"assert(THING(cx, t:find('Lê', 1, true)), 'số 05')\n"
		"t = 'đường Nhật Bản Tomomi Inada, ông Lê Văn'\n"
		"cx = { engine = ENGINE(t) }\n"
		"assert(not THING(cx, t:find('Tomomi', 1, true)))\n"
		"assert(not THING(cx, t:find('Lê', 1, true)))\n"
		/* a list of streets; a name after a word in small letters is in none */
		"t = 'các tuyến phố như: Bà Triệu, Hoàng Quốc Việt và ông Lê Văn'\n"
		"cx = { engine = ENGINE(t) }\n"
		"assert(STREET(cx, t:find('Hoàng', 1, true)))\n"
		"assert(not STREET(cx, t:find('Lê', 1, true)))\n"
		"local a, b = same(t)\n"
		"assert(b >= 2, b)\n"
		/* positions at the ends of the integers: no overflow (UBSan) */
		"for _, pos in ipairs({ math.mininteger, -1, math.maxinteger }) do\n"
		"  assert(not THING(cx, pos) and not STREET(cx, pos), pos)\n"
		"end");
	lua_close(L);
}
END_TEST

START_TEST(same_as_lua)
{
	/* generated text of street and place words, heads, numbers, names and
	 * small words: at every position the answers of the tests in Lua */
	lua_State *L = before_lua();
	run_lua(L,
		"local w = { 'đường', 'Đường', 'phố', 'PHỐ', 'trường', 'sân', 'bay', 'công', 'ty', 'số', '187', '5a', '05', 'Hà Nội',\n"
		"  'Nhật Bản', 'Nguyễn', 'Huệ', 'Bà', 'Triệu', 'như', 'ông', 'và', 'của', ':', ',', 'x', 'Ông', 'A' }\n"
		"local sep = { ' ', ' ', ' ', ', ', ': ', '  ', '' }\n"
		"local seed = 5\n"
		"local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end\n"
		"local things, streets = 0, 0\n"
		"for round = 1, 300 do\n"
		"  local t = {}\n"
		"  for i = 1, 16 do t[#t + 1] = w[rnd(#w)]; t[#t + 1] = sep[rnd(#sep)] end\n"
		"  local a, b = same(table.concat(t))\n"
		"  things, streets = things + a, streets + b\n"
		"end\n"
		"assert(things > 300 and streets > 100, things .. ' ' .. streets)");
	lua_close(L);
}
END_TEST

START_TEST(errors)
{
	lua_State *L = before_lua();
	run_lua(L,
		"local ok, err = pcall(textmill.thing_before, { words = {}, heads = {}, head = 'x', unless = {} })\n"
		"eq(ok, false); assert(err:find('spec.head must be a textmill.regex', 1, true), err)");
	run_lua(L, "local ok, err = pcall(textmill.list_before, { ends = {}, start = textmill.regex('a'),\n"
		   "  list = textmill.regex('b'), reach = -1 })\n"
		   "eq(ok, false); assert(err:find('spec.reach must be a whole number', 1, true), err)");
	run_lua(L, "local ok, err = pcall(textmill.list_before, { start = textmill.regex('a') })\n"
		   "eq(ok, false); assert(err:find('spec.ends must be a table', 1, true), err)");
	/* no document begun, no engine */
	run_lua(L, "local e = textmill.engine({ rules = {}, lexicon = LEX })\n"
		   "local ok, err = pcall(THING, { engine = e }, 1)\n"
		   "eq(ok, false); assert(err:find('no document', 1, true), err)\n"
		   "assert(not pcall(STREET, {}, 1))");
	/* a regex whose __gc a script ran: refused as a spec's field */
	run_lua(L, "local re = textmill.regex('a')\n"
		   "getmetatable(re).__gc(re)\n"
		   "local ok, err = pcall(textmill.list_before, { ends = {}, start = re, list = re })\n"
		   "eq(ok, false); assert(err:find('used after being collected', 1, true), err)\n"
		   "ok, err = pcall(re.test, re, 'a')\n"
		   "eq(ok, false); assert(err:find('used after being collected', 1, true), err)");
	lua_close(L);
}
END_TEST

static int refuse(void *owner, size_t bytes)
{
	(void)owner, (void)bytes;
	return -1;
}

START_TEST(out_of_memory)
{
	/* a word set that does not fit the state's budget is an error of the
	 * step being made; an empty one takes nothing */
	lua_State *L = before_lua();
	run_lua(L, "A, B = textmill.regex('a'), textmill.regex('b')");
	static tml_state poor = {.take = refuse};
	*(tml_state **)lua_getextraspace(L) = &poor;
	run_lua(L, "local ok, err = pcall(textmill.list_before, { ends = { a = true }, start = A, list = B })\n"
		   "eq(ok, false); assert(err:find('textmill.list_before: out of memory', 1, true), err)\n"
		   "assert(pcall(textmill.list_before, { ends = {}, start = A, list = B }))");
	*(tml_state **)lua_getextraspace(L) = NULL;
	lua_close(L);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("before");
	TCase *tc = tcase_create("before");
	tcase_add_test(tc, examples);
	tcase_add_test(tc, same_as_lua);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, out_of_memory);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
