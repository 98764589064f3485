/* test_find_in.c -- textmill.find_in against re:exec_in, the method whose
 * answer it gives without tables: the same start, stop and captures (false
 * for a group that took no part) for every window of generated texts and
 * of the document's text, patterns with named, optional and nested groups,
 * windows that cut a character or run past the text. */
#include <check.h>

#include "lua_test.h"

static tml_state doc_state;

/* A state with textmill.regex and textmill.find_in, and doc_text a string
 * the stage would have checked (matched with PCRE2_NO_UTF_CHECK). */
static lua_State *find_lua(const char *doc_text)
{
	lua_State *L = new_lua();
	lua_getglobal(L, "textmill");
	tml_regex_register(L);
	tml_find_in_register(L);
	lua_pop(L, 1);
	set_doc_text(L, &doc_state, doc_text);
	return L;
}

/* agree(re, s, from, to): find_in's answer is exec_in's, group by group. */
static const char AGREE[] =
	"function agree(re, s, from, to)\n"
	"  local where = string.format('%q [%d, %d]', s, from, to)\n"
	"  local ok, x = pcall(re.exec_in, re, s, from, to)\n"
	"  local r = table.pack(pcall(textmill.find_in, re, s, from, to))\n"
	"  if not ok then\n" /* an error (a window inside a character of a text not checked): the same */
	"    assert(not r[1] and r[2] == x, 'exec_in raised ' .. x .. ', find_in ' .. tostring(r[2]) .. ': ' .. where)\n"
	"    return false\n"
	"  end\n"
	"  assert(r[1], 'find_in raised ' .. tostring(r[2]) .. ': ' .. where)\n"
	"  table.remove(r, 1); r.n = r.n - 1\n"
	"  if not x then\n"
	"    assert(r.n == 1 and r[1] == nil, 'a match where exec_in finds none: ' .. where)\n"
	"    return false\n"
	"  end\n"
	"  assert(r[1] == x.start and r[2] == x.stop, 'span ' .. tostring(r[1]) .. '..' .. tostring(r[2])\n"
	"         .. ', exec_in ' .. x.start .. '..' .. x.stop .. ': ' .. where)\n"
	"  local groups = 0\n"
	"  while x.starts[groups + 1] ~= nil or x[groups + 1] == false do groups = groups + 1 end\n"
	"  assert(r.n == 2 + groups, 'results ' .. r.n .. ' for ' .. groups .. ' groups: ' .. where)\n"
	"  for g = 1, groups do\n"
	"    assert(r[2 + g] == x[g], 'group ' .. g .. ' ' .. tostring(r[2 + g]) .. ', exec_in '\n"
	"           .. tostring(x[g]) .. ': ' .. where)\n"
	"  end\n"
	"  return true\n"
	"end\n";

static const char PATTERNS[] =
	"PATTERNS = {\n"
	"  [[(?:(?<wd>[Tt]hứ (?:[Hh]ai|[Bb]a)),? +)?(?:(?<from>[Tt]ừ )?(?<part>(?:[Ss]áng|[Cc]hiều)(?: nay)?)"
	"(?: ngày)?|(?<from2>[Tt]ừ )?(?<day>[Nn]gày)) *(?<paren>\\( *)?\\z]],\n"
	"  [[(?<![\\p{L}])(?:(?:[Đđ]ầu|[Cc]uối) +)?[Nn]ăm +\\z]],\n"
	"  [[(?<![\\p{L}])[Qq]uý ([IV]{1,3})/\\z]],\n"
	"  [[((a)|(b))(c)?]],\n"
	"  [[\\G\\S+ ]],\n"
	"  [[x*]],\n"
	"  [[(đ)(ư)?]],\n"
	"}\n";

START_TEST(agrees_with_exec_in)
{
	lua_State *L = find_lua("Chiều nay ngày (12 Từ ngày 3 Thứ Hai, ngày 5, cuối năm 2024 Quý II/2025 abc đư");
	run_lua(L, AGREE);
	run_lua(L, PATTERNS);
	/* every window of the document's text (checked) and of a copy (not),
	 * from before its start to past its end */
	run_lua(L, "local copy = doc_text .. ''\n"
		   "local found = 0\n"
		   "for _, p in ipairs(PATTERNS) do\n"
		   "  local re = textmill.regex(p)\n"
		   "  for _, s in ipairs{doc_text, copy} do\n"
		   "    for from = -1, #s + 2 do\n"
		   "      for to = from - 2, #s + 2 do\n"
		   "        if agree(re, s, from, to) then found = found + 1 end\n"
		   "      end\n"
		   "    end\n"
		   "  end\n"
		   "end\n"
		   "assert(found > 10000, 'too few matches to compare: ' .. found)");
	lua_close(L);
}
END_TEST

START_TEST(random_texts)
{
	lua_State *L = find_lua("");
	run_lua(L, AGREE);
	run_lua(L, PATTERNS);
	run_lua(L,
		"local pieces = { 'ngày', 'Ngày', 'Từ ', 'từ ', 'Sáng', 'chiều', ' nay', ' ', '  ', '(', ', ',\n"
		"                 'Thứ Hai', 'năm', 'Cuối', 'Quý ', 'II', 'IV', '/', 'a', 'b', 'c', 'x', 'đ', 'ư', '7' }\n"
		"math.randomseed(15)\n"
		"for _ = 1, 3000 do\n"
		"  local t = {}\n"
		"  for i = 1, math.random(0, 8) do t[i] = pieces[math.random(#pieces)] end\n"
		"  local s = table.concat(t)\n"
		"  for _, p in ipairs(PATTERNS) do\n"
		"    local re = textmill.regex(p)\n"
		"    agree(re, s, math.random(-2, #s + 1), math.random(0, #s + 2))\n"
		"    agree(re, s, 1, #s)\n"
		"  end\n"
		"end");
	lua_close(L);
}
END_TEST

START_TEST(bad_arguments)
{
	lua_State *L = find_lua("");
	run_lua(L, "local ok, err = pcall(textmill.find_in, 'x', 'abc', 1, 3)\n"
		   "assert(not ok and err:find('regex', 1, true), err)\n"
		   "ok, err = pcall(textmill.find_in, textmill.regex('x'), 'abc', 'one', 3)\n"
		   "assert(not ok and err:find('number', 1, true), err)\n"
		   "ok, err = pcall(textmill.find_in, textmill.regex('x'), 'a\\xff', 1, 2)\n"
		   "assert(not ok and err:find('UTF', 1, true), err)");
	lua_close(L);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("find_in");
	TCase *tc = tcase_create("find_in");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, agrees_with_exec_in);
	tcase_add_test(tc, random_texts);
	tcase_add_test(tc, bad_arguments);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
