/* test_foreign.c -- textmill.foreign_names: the foreign names of a text,
 * by cases, and against the same step written in Lua (what names.lua ran
 * before) on generated text. */
#include <check.h>
#include <stdlib.h>

#include "lua_test.h"
#include "tml_core.h"

/* SPEC: names.lua's spec, with shorter word lists; reference(text,
 * place_before): the step in Lua; FIND: textmill.foreign_names(SPEC);
 * found(text): FIND's runs as "start-stop" joined by spaces, checked to be
 * the reference's; PLACE: a place_before that takes "Đức " right before a
 * run for a place. */
static const char *PRELUDE =
	"local function set(words) local t = {}; for w in words:gmatch('%S+') do t[w] = true end; return t end\n"
	"SPEC = {\n"
	"  run = textmill.regex([[\\G\\p{Lu}(?<![\\p{L}\\p{M}\\-]\\p{Lu})[a-z'\\-]+(?: \\p{Lu}[a-zA-Z'\\-]+){1,2}"
	"(?![\\p{L}\\p{M}\\-])]]),\n"
	"  not_after = textmill.regex([[\\G\\s*(?:[0-9]|\\p{Lu}[\\p{Lu}0-9]+\\b|\\p{Lu}[\\p{Ll}\\p{M}]+ )]]),\n"
	"  sentence_before = textmill.regex([[(?:^|[.!?:;…\"“”\\n-])\\s*$]]),\n"
	"  plain_first = set('Theo Sau Ford The'),\n"
	"  thing_before = set('xe đội tàu câu lạc bộ'),\n"
	"  thing_words = set('City FC Group'),\n"
	"  product_before = set('xe chiếc mẫu'),\n"
	"}\n"
	"FIND = textmill.foreign_names(SPEC)\n"
	"function PLACE(text) return function(s) return text:sub(s - 7, s - 1) == 'Đức ' end end\n"
	"local find, sub, byte = string.find, string.sub, string.byte\n"
	"local function word_before(text, s) return textmill.lower(textmill.word_before(text, s)) end\n"
	"local function word_byte(b)\n"
	"  return b ~= nil and (b >= 128 or b == 45 or (b >= 48 and b <= 57) or (b >= 65 and b <= 90) or (b >= 97 and b <= "
	"122))\n"
	"end\n"
	"local function a_product(text, word)\n"
	"  local init = 1\n"
	"  while true do\n"
	"    local s, e = find(text, word, init, true)\n"
	"    if not s then return false end\n"
	"    if not word_byte(byte(text, e + 1)) and SPEC.product_before[word_before(text, s)] then return true end\n"
	"    init = e + 1\n"
	"  end\n"
	"end\n"
	"local function alone_at(text, s, e)\n"
	"  return byte(text, s - 1) ~= 45 and byte(text, e + 1) ~= 45\n"
	"    and not textmill.capital_word_before(text, s) and not SPEC.sentence_before:test_in(text, s - 8, s - 1)\n"
	"    and not SPEC.not_after:test_in(text, e + 1, e + 24)\n"
	"end\n"
	"local function alone_elsewhere(text, word, s0, e0)\n"
	"  local f = find(text, word, 1, true)\n"
	"  if not (f and f + #word <= s0) and not find(text, word, e0 + 1, true) then return false end\n"
	"  local starts, stops = textmill.occurrences(text, { word })\n"
	"  for i = 1, #starts do\n"
	"    local s, e = starts[i], stops[i]\n"
	"    if (e < s0 or s > e0) and alone_at(text, s, e) then return true end\n"
	"  end\n"
	"  return false\n"
	"end\n"
	"local function thing_word(name)\n"
	"  if find(name, \"'s%f[^%w]\") then return true end\n"
	"  for w in name:gmatch('[^%s]+') do if SPEC.thing_words[w] then return true end end\n"
	"  return false\n"
	"end\n"
	"function reference(text, place_before)\n"
	"  local got = {}\n"
	"  local starts, stops = textmill.capital_runs(text, SPEC.run)\n"
	"  for i = 1, #starts do\n"
	"    local s, e = starts[i], stops[i]\n"
	"    local space = find(text, ' ', s, true)\n"
	"    local first = sub(text, s, space - 1)\n"
	"    local space2 = find(text, ' ', space + 1, true)\n"
	"    if space2 and space2 < e then space = space2 end\n"
	"    local last = sub(text, space + 1, e)\n"
	"    if #last >= 3 and find(last, '%l') and not (byte(text, s) == 0xC4 and byte(text, s + 1) == 0x90)\n"
	"        and not SPEC.plain_first[first]\n"
	"        and (not textmill.capital_word_before(text, s) or (place_before and place_before(s)))\n"
	"        and not SPEC.thing_before[word_before(text, s)] and not SPEC.not_after:test_in(text, e + 1, e + 24)\n"
	"        and alone_elsewhere(text, last, s, e) and not thing_word(sub(text, s, e))\n"
	"        and not a_product(text, last) then\n"
	"      got[#got + 1] = s .. '-' .. e\n"
	"    end\n"
	"  end\n"
	"  return table.concat(got, ' ')\n"
	"end\n"
	"function found(text, place_before)\n"
	"  local starts, stops = FIND(text, place_before)\n"
	"  assert(#starts == #stops)\n"
	"  local got = {}\n"
	"  for i = 1, #starts do got[i] = starts[i] .. '-' .. stops[i] end\n"
	"  got = table.concat(got, ' ')\n"
	"  local want = reference(text, place_before)\n"
	"  if got ~= want then error(('text %q: foreign_names %q, the Lua step %q'):format(text, got, want), 2) end\n"
	"  return got\n"
	"end\n"
	"function eq(a, b) if a ~= b then error(('expected %q, got %q'):format(b, a), 2) end end\n";

static tml_state doc_state;

static lua_State *foreign_lua(void)
{
	lua_State *L = new_lua();
	lua_getglobal(L, "textmill");
	tml_regex_register(L);
	tml_runs_register(L);
	tml_foreign_register(L);
	tml_capital_word_register(L);
	lua_pop(L, 1);
	run_lua(L, PRELUDE);
	return L;
}

START_TEST(names_kept)
{
	lua_State *L = foreign_lua();
	/* the surname written alone elsewhere: before or after the run, three
	 * words, a second run of the same name */
	run_lua(L, "eq(found('Joel Matip ghi bàn, rồi Matip chuyền.'), '1-10')");
	run_lua(L, "eq(found('ông Matip nói: Joel Matip đá chính'), '18-27')");
	run_lua(L, "eq(found('Donald Trump ở đây. Ông nói, Trump và Donald Trump'), '1-12 46-57')");
	/* written nowhere alone, or alone only inside the run */
	run_lua(L, "eq(found('Joel Matip ghi bàn'), '')");
	run_lua(L, "eq(found('Joel Matip ghi bàn, Matipa'), '')");
	lua_close(L);
}
END_TEST

START_TEST(names_left)
{
	lua_State *L = foreign_lua();
	/* elsewhere only joined by a hyphen, after a capitalised word, at a
	 * sentence start, before a number */
	run_lua(L, "eq(found('Joel Matip ghi bàn, Matip-x'), '')");
	run_lua(L, "eq(found('Joel Matip ghi bàn, Ông Matip'), '')");
	run_lua(L, "eq(found('Joel Matip ghi bàn. Matip'), '')");
	run_lua(L, "eq(found('Joel Matip ghi bàn, Matip 2'), '')");
	/* a last word of two bytes or in capitals; Đ; a first word of the
	 * plain list; a capitalised word before it (a place before it keeps
	 * it); a thing's word before it; a number after it */
	run_lua(L, "eq(found('Joel Ma và Ma'), '')");
	run_lua(L, "eq(found('Joel MATIP và MATIP'), '')");
	run_lua(L, "eq(found('Đi Matip và Matip'), '')");
	run_lua(L, "eq(found('Theo Matip và Matip'), '')");
	run_lua(L, "eq(found('tỷ phú Hàn Joel Matip và Matip'), '')");
	run_lua(L, "eq(found('tỷ phú Đức Joel Matip và Matip', PLACE('tỷ phú Đức Joel Matip và Matip')), '18-27')");
	run_lua(L, "eq(found('Đội Joel Matip và Matip'), '')");
	run_lua(L, "eq(found('Joel Matip 2017 và Matip'), '')");
	/* a thing's word or a possessive in the run; a product's name */
	run_lua(L, "eq(found('Joel City và City'), '')");
	run_lua(L, "eq(found(\"Giant's Causeway và Causeway\"), '')");
	run_lua(L, "eq(found('Joel Matip và Matip, xe Matip'), '')");
	run_lua(L, "eq(found('Joel Matip và Matip, xe Matipx'), '1-10')");
	lua_close(L);
}
END_TEST

START_TEST(same_as_lua)
{
	/* generated text of names, their surnames alone, the words that spoil
	 * them and Vietnamese words, joined by spaces or punctuation: the same
	 * runs as the step written in Lua */
	lua_State *L = foreign_lua();
	run_lua(L,
		"local w = { 'Joel', 'Matip', 'Donald', 'Trump', 'Kim', 'Jong-un', 'City', 'Theo', 'Ford', 'Nga', 'Anh',\n"
		"  'xe', 'Xe', 'đội', 'chiếc', 'Ông', 'ông', 'Hà', 'Nội', 'Đi', 'Đức', 'ghi', 'bàn', '2017', 'HLV', \"Giant's\",\n"
		"  'Matip-x', 'Trumpx', 'MATIP', 'Ma', 'câu lạc bộ', 'từ', 'Jean-Pierre', 'O\\'Neil', 'Ác', 'é' }\n"
		"local sep = { ' ', ' ', ' ', ' ', ', ', '. ', ' - ', '\\n', '-', ': ', ' “' }\n"
		"local seed = 7\n"
		"local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end\n"
		"local kept = 0\n"
		"for round = 1, 600 do\n"
		"  local t = {}\n"
		"  for i = 1, 24 do t[#t + 1] = w[rnd(#w)]; t[#t + 1] = sep[rnd(#sep)] end\n"
		"  local text = table.concat(t)\n"
		"  local got = found(text, PLACE(text))\n"
		"  if got ~= '' then kept = kept + 1 end\n"
		"  found(text)\n"
		"end\n"
		"assert(kept > 30, kept)");
	lua_close(L);
}
END_TEST

START_TEST(document_text)
{
	/* the document's text (checked by the host) is not checked again:
	 * the same answer */
	lua_State *L = foreign_lua();
	set_doc_text(L, &doc_state, "bà Angela Merkel nói, Merkel và Joel Matip");
	run_lua(L, "eq(found(doc_text), '5-17')");
	lua_close(L);
}
END_TEST

START_TEST(errors)
{
	lua_State *L = foreign_lua();
	run_lua(L,
		"local ok, err = pcall(FIND, 'Ab \\255Cd')\n"
		"eq(ok, false); assert(err:find('textmill.foreign_names: invalid UTF-8 at byte 4', 1, true), err)");
	run_lua(L, "local spec = setmetatable({ run = textmill.regex('Ab') }, { __index = SPEC })\n"
		   "local ok, err = pcall(textmill.foreign_names, spec)\n"
		   "eq(ok, false); assert(err:find('regex Ab is not anchored', 1, true), err)");
	run_lua(L, "local spec = setmetatable({ not_after = 'x' }, { __index = SPEC })\n"
		   "local ok, err = pcall(textmill.foreign_names, spec)\n"
		   "eq(ok, false); assert(err:find('spec.not_after must be a textmill.regex', 1, true), err)");
	run_lua(L, "local spec = setmetatable({ thing_words = false }, { __index = SPEC })\n"
		   "local ok, err = pcall(textmill.foreign_names, spec)\n"
		   "eq(ok, false); assert(err:find('spec.thing_words must be a table', 1, true), err)");
	run_lua(L, "local ok, err = pcall(FIND, 'Ab Cd', 3)\n"
		   "eq(ok, false)");
	/* an error raised by place_before goes through */
	run_lua(L, "local ok, err = pcall(FIND, 'Đức Joel Matip, Matip', function() error('no') end)\n"
		   "eq(ok, false); assert(err:find('no', 1, true), err)");
	lua_close(L);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("foreign");
	TCase *tc = tcase_create("foreign");
	tcase_add_test(tc, names_kept);
	tcase_add_test(tc, names_left);
	tcase_add_test(tc, same_as_lua);
	tcase_add_test(tc, document_text);
	tcase_add_test(tc, errors);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
