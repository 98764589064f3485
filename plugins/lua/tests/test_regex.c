/* test_regex.c -- textmill.regex on positions: an init inside a UTF-8
 * character is an error, never a match started mid-character (with the
 * document's text, PCRE2 skips its own check and the JIT crashed). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lua_test.h"
#include "tml_core.h"
#include "tml_match.h"

static const char *PRELUDE =
	"function eq(a, b) if a ~= b then error(('expected %q, got %q'):format(tostring(b), tostring(a)), 2) end end\n"
	"function fails(what, f, ...)\n"
	"  local ok, err = pcall(f, ...)\n"
	"  if ok then error(what .. ': no error', 2) end\n"
	"  if not err:find('inside a UTF-8 character', 1, true) then error(what .. ': ' .. err, 2) end\n"
	"end\n"
	"-- gmatch of pattern p on doc_text (a scan that may skip starts) against PCRE2's\n"
	"-- own search on a copy; the number of matches\n"
	"function scan_as_pcre2(p)\n"
	"  local re, copy = textmill.regex(p), (doc_text .. ' '):sub(1, -2)\n"
	"  local want, at = {}, 1\n"
	"  while true do\n"
	"    local s, e = re:find(copy, at)\n"
	"    if not s then break end\n"
	"    want[#want + 1] = s .. '-' .. e; at = e + 1\n"
	"  end\n"
	"  local got = {}\n"
	"  for s, e in re:gmatch(doc_text) do got[#got + 1] = s .. '-' .. e end\n"
	"  eq(table.concat(got, ' '), table.concat(want, ' '))\n"
	"  return #want\n"
	"end\n";

static tml_state doc_state;

/* A state whose global doc_text is a string the stage would have checked
 * (matched with PCRE2_NO_UTF_CHECK), as the Lua stage sets it up. */
static lua_State *regex_lua(const char *doc_text)
{
	lua_State *L = new_lua();
	lua_getglobal(L, "textmill");
	tml_regex_register(L);
	lua_pop(L, 1);
	set_doc_text(L, &doc_state, doc_text);
	run_lua(L, PRELUDE);
	return L;
}

START_TEST(init_inside_character)
{
	lua_State *L = regex_lua("â");
	/* each method, on the document's text and on another string */
	run_lua(L, "local r = textmill.regex('\\\\b')\n"
		   "for _, s in ipairs{doc_text, 'â'} do\n"
		   "  for _, m in ipairs{'find', 'match', 'exec', 'test', 'gmatch'} do\n"
		   "    fails(m, r[m], r, s, 2)\n"
		   "    fails(m .. ' from the end', r[m], r, s, -1)\n"
		   "  end\n"
		   "end");
	/* the message names the position and the pattern */
	run_lua(L, "local ok, err = pcall(textmill.regex('x').find, textmill.regex('x'), doc_text, 2)\n"
		   "assert(err:find('regex x: init 2 is inside a UTF-8 character', 1, true), err)");
	/* boundaries, the end and beyond it are fine */
	run_lua(L, "local r = textmill.regex('\\\\b')\n"
		   "eq(r:find(doc_text, 1), 1); eq(r:find(doc_text, 3), 3); eq(r:find(doc_text, 4), nil)\n"
		   "eq(r:find(doc_text, -2), 1); eq(r:test(doc_text, 99), false)");
	lua_close(L);
}
END_TEST

START_TEST(empty_matches_step_whole_characters)
{
	lua_State *L = regex_lua("Đà Nẵng");
	run_lua(L, "local starts = {}\n"
		   "for s, e in textmill.regex('\\\\s*'):gmatch(doc_text) do\n"
		   "  starts[#starts + 1] = s\n"
		   "  assert(s > #doc_text or (doc_text:byte(s) & 0xC0) ~= 0x80, 'start inside a character: ' .. s)\n"
		   "end\n"
		   "eq(table.concat(starts, ' '), '1 3 5 6 7 10 11 12')\n"
		   "eq((textmill.regex('\\\\b'):gsub(doc_text, '|')), '|Đà| |Nẵng|')");
	lua_close(L);
}
END_TEST

/* test_in and exec_in read a window of the text in place: `$` is its
 * end, \G its start, lookbehind sees the text before it, and a window cut
 * inside a character keeps whole characters only. */
START_TEST(window_in_place)
{
	lua_State *L = regex_lua("ngày 14 tháng 3 năm 2025");
	run_lua(L,
		"local lead = textmill.regex([[tháng +$]])\n"
		"local at = doc_text:find('3', 1, true)\n"
		"eq(lead:test_in(doc_text, at - 12, at - 1), true)\n"
		"eq(lead:test_in(doc_text, at - 12, at), false)        -- '$' is the window's end\n"
		"local x = lead:exec_in(doc_text, at - 12, at - 1)\n"
		"eq(x.start, doc_text:find('tháng', 1, true)); eq(x.stop, at - 1)\n"
		"-- a start inside 'á' (bytes 12-13 of the text) moves to the next character\n"
		"eq(textmill.regex([[\\G\\S+ ]]):exec_in(doc_text, 13, 20).text, 'ng ')\n"
		"eq(textmill.regex([[(?<=4 )tháng]]):test_in(doc_text, 9, 20), true)  -- lookbehind sees before\n"
		"eq(textmill.regex('^ng'):test_in(doc_text, 1, 5), true)\n"
		"eq(textmill.regex('^th'):test_in(doc_text, 9, 20), false)          -- ^ is the text's start\n"
		"-- an end inside 'á' drops the whole character\n"
		"eq(textmill.regex([[th.$]]):test_in(doc_text, 9, 12), false)\n"
		"eq(textmill.regex([[th$]]):test_in(doc_text, 9, 12), true)\n"
		"eq(textmill.regex('x*'):test_in(doc_text, 5, 4), true); eq(textmill.regex('x'):test_in(doc_text, 30, 40), false)\n"
		"-- another string than the document is checked, and read the same way\n"
		"eq(lead:test_in('3 tháng 3', 3, 9), true)\n"
		"local ok, err = pcall(lead.test_in, lead, 'tháng \\255', 1, 9)\n"
		"eq(ok, false)");
	lua_close(L);
}
END_TEST

/* \C matches one byte even in UTF mode: it would split characters. */
START_TEST(no_single_byte_escape)
{
	lua_State *L = regex_lua("â");
	run_lua(L, "local ok, err = pcall(textmill.regex, 'a\\\\C')\n"
		   "eq(ok, false); assert(err:find('bad pattern', 1, true), err)");
	lua_close(L);
}
END_TEST

/* Scans of a pattern PCRE2 knows no first byte for skip characters that
 * cannot start a match (regex_start.c): the matches are those of PCRE2's
 * own search, on text with every kind of character around them. */
START_TEST(start_skip_finds_the_same_matches)
{
	lua_State *L = regex_lua(
		"Ông Marine Le Pen nói với AFP: Đại tá Nguyễn Văn An gặp Donald Trump ở Đà Nẵng. Ảnh: REUTERS. "
		"Bà Ặng Thị Ễ, ÉMILE Zola-Smith, McDonald Ob'Rien và Ngô Đình Ạ đi xe đến O'Neil Dart → Hạ Long "
		"(中国 Li Wei), 🙂 Kim Jong-un, e\xcc\x81 Éric Cantona; Angela Merkel-Sauer. Joe Biden");
	run_lua(L,
		"assert(#doc_text >= 256, 'shorter subjects are not skipped')\n"
		"for _, p in ipairs{\n"
		"  [[(\\p{Lu}(?<![\\p{L}\\p{M}\\-]\\p{Lu})[a-z'\\-]+(?: \\p{Lu}[a-zA-Z'\\-]+){1,2})(?![\\p{L}\\p{M}\\-])]],\n"
		"  [[\\p{Lu}\\p{Ll}+ \\p{Lu}]], [[(?<![\\p{L}])\\p{Lu}{2,}]], [[\\p{Lu}[a-z]+(?!\\p{L})]],\n"
		"  [[(?i:\\p{Lu}n)]], [[\\p{M}]], [[\\p{Han}+]], [[\\p{So}]]} do\n"
		"  assert(scan_as_pcre2(p) > 0, p)\n"
		"end");
	lua_close(L);
}
END_TEST

/* Where a character may begin a match, the pair it makes with the next
 * one decides too (regex_start.c): on random text of capitals, dots,
 * marks, line breaks and digits, the matches are PCRE2's own, for
 * patterns a pair answers, ones it cannot, and ones with $ (no pairs). */
START_TEST(start_pairs_find_the_same_matches)
{
	static char text[24000];
	const char *parts[] = {"N", ".", "V", "H", "Đ",        "Ặ", "a",   "ư",     " ",  " ", "\n",
			       "(", ",", "1", "9", "\xcc\x81", "-", "SN ", " tuổi", "Ô.", "x", "中"};
	unsigned seed = 7;
	size_t len = 0;
	while (len < sizeof text - 16) {
		seed = seed * 1103515245u + 12345u;
		const char *w = parts[(seed >> 16) % (sizeof parts / sizeof *parts)];
		memcpy(text + len, w, strlen(w));
		len += strlen(w);
	}
	text[len] = '\0';
	lua_State *L = regex_lua(text);
	run_lua(L,
		"for _, p in ipairs{\n"
		"  [[((?:\\p{Lu}\\.){1,3}\\p{Lu}[\\p{Ll}\\p{M}]+(?![\\p{L}\\p{M}])|\\p{Lu}(?:\\.\\p{Lu}){1,3}\\.?(?![\\p{L}\\p{M}]))"
		"(?= ?[(,] ?(?:\\d{1,3} tuổi|SN \\d{4}))]],\n"
		"  [[\\p{Lu}\\.\\p{Lu}]], [[\\p{Lu}(?!\\.)\\p{Ll}]], [[\\p{Lu}\\p{M}?\\.]], [[\\p{Lu}(?=\\n)]],\n"
		"  [[\\p{Lu}\\s\\p{Lu}]], [[(?<![\\p{L}\\p{M}])\\p{Lu}\\.]], [[\\p{Lu}(?!\\p{M})\\.?\\p{Lu}]],\n"
		"  [[\\p{Lu}(?:$|\\.)]], [[\\p{Lu}(?!$)\\n]], [[\\p{Lu}(?!\\z).]],\n"
		"  [[\\p{Han}\\d]], [[\\p{Lu}\\d]]} do\n"
		"  assert(scan_as_pcre2(p) > 0, p)\n"
		"end");
	lua_close(L);
}
END_TEST

/* More pairs than the table keeps (regex_start.c's PAIRS, filled to three
 * quarters): each capital of four alphabets before each of 32 characters,
 * 3,648 pairs; those met after the table is full go to PCRE2, and the
 * matches stay PCRE2's own. */
static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	out[0] = (char)(0xC0 | cp >> 6);
	out[1] = (char)(0x80 | (cp & 0x3F));
	return 2;
}

START_TEST(start_pairs_beyond_the_table)
{
	static char text[64000];
	const uint32_t capitals[][2] = {{'A', 'Z'}, {0xC0, 0xDE}, {0x391, 0x3A9}, {0x410, 0x42F}};
	const uint32_t after[] = {'.',   '1',   '7',  'a',  'x',  ' ', '-', ',', 0x103, 0x111, 0x110,
				  0x44F, 0x3B1, 0xDF, 0xE0, 0xE9, 'b', 'c', 'd', 'e',   'f',   'g',
				  'h',   'i',   'j',  'k',  'l',  'm', 'n', 'o', 'p',   'q'};
	size_t len = 0;
	for (size_t r = 0; r < sizeof capitals / sizeof *capitals; r++)
		for (uint32_t c = capitals[r][0]; c <= capitals[r][1]; c++)
			for (size_t a = 0; a < sizeof after / sizeof *after; a++) {
				len += put_utf8(text + len, c);
				len += put_utf8(text + len, after[a]);
				text[len++] = ' ';
			}
	ck_assert_uint_lt(len, sizeof text);
	text[len] = '\0';
	lua_State *L = regex_lua(text);
	run_lua(L, "for _, p in ipairs{ [[\\p{Lu}\\.]], [[\\p{Lu}\\d]], [[\\p{Lu}я]], [[\\p{Lu}q ]] } do\n"
		   "  assert(scan_as_pcre2(p) > 0, p)\n"
		   "end");
	lua_close(L);
}
END_TEST

/* A yes-or-no test on a window of a pattern that ends at the window's end
 * runs backward (regex_start.c): its answer is PCRE2's own for every
 * window, whole characters or not, around newlines and marks. */
START_TEST(test_in_backward_same_answer)
{
	lua_State *L = regex_lua(
		"Ông Marine Le Pen nói với AFP: Đại tá Nguyễn Văn An gặp Donald Trump\nở Đà Nẵng. "
		"Ảnh: REUTERS. Bà Ặng Thị Ễ, ÉMILE Zola-Smith, e\xcc\x81 Éric (中国 Li) 🙂 Kim\n");
	run_lua(L,
		"local copy = (doc_text .. ' '):sub(1, -2)  -- not the checked text: PCRE2's own search\n"
		"for _, p in ipairs{\n"
		"  [[(?<!\\S)\\p{Lu}[^\\s,.;:!?()]* $]], [[\\p{Lu}[\\p{L}\\p{M}]* $]],\n"
		"  [[(?<![\\p{L}\\p{M}])\\p{Ll}[\\p{L}\\p{M}]* $]], [[\\p{Lu}\\p{Ll}*$]], [[(?m)\\p{Lu}\\p{Ll}*$]],\n"
		"  [[\\p{Lu}[a-z]*\\z]], [[\\p{Lu}\\S*\\Z]], [[\\p{M}\\S*$]], [[\\p{Han}\\S*$]]} do\n"
		"  local re, yes, no = textmill.regex(p), 0, 0\n"
		"  for from = 1, #doc_text do\n"
		"    for to = from - 1, math.min(#doc_text, from + 70) do\n"
		"      -- (an empty window inside a character is a UTF-8 error on a copy)\n"
		"      local ok, want = pcall(re.test_in, re, copy, from, to)\n"
		"      if ok and re:test_in(doc_text, from, to) ~= want then\n"
		"        error(('%s on %d..%d: expected %s'):format(p, from, to, want))\n"
		"      end\n"
		"      if want then yes = yes + 1 elseif ok then no = no + 1 end\n"
		"    end\n"
		"  end\n"
		"  assert(yes > 0 and no > 0, p)\n"
		"end");
	lua_close(L);
}
END_TEST

/* The document's own text goes straight to the JIT (regex_start.c's
 * match()); a copy of it goes through pcre2_match: the same match and
 * captures at every init, and a (*NOTEMPTY) pattern, whose options only
 * pcre2_match adds, still refuses the empty match. */
START_TEST(jit_direct_as_pcre2_match)
{
	lua_State *L = regex_lua("Ông Le Pen ab, aab Đà Nẵng: 12/3 bba e\xcc\x81 x");
	run_lua(L, "local copy = (doc_text .. ' '):sub(1, -2)\n"
		   "local function show(t)\n"
		   "  if not t then return 'nil' end\n"
		   "  local parts = { t.start, t.stop }\n"
		   "  for i = 1, 3 do parts[#parts + 1] = tostring(t[i]) .. ':' .. tostring(t.starts[i]) end\n"
		   "  return table.concat(parts, ',')\n"
		   "end\n"
		   "local n = 0\n"
		   "for _, p in ipairs{ '(*NOTEMPTY)a*', '(*NOTEMPTY_ATSTART)a*', 'a*', '(a)|(b)(c)?', '(a+)(b)?',\n"
		   "    [[(\\p{Lu})(\\p{Ll}*)(?: (\\p{Lu}))?]], [[([0-9]+)/([0-9]+)]], [[\\G(b*)(a)]] } do\n"
		   "  local re = textmill.regex(p)\n"
		   "  for at = 1, #doc_text + 1 do\n"
		   "    if at > #doc_text or doc_text:byte(at) < 0x80 or doc_text:byte(at) >= 0xC0 then\n"
		   "      local got, want = show(re:exec(doc_text, at)), show(re:exec(copy, at))\n"
		   "      if got ~= want then error(('%s at %d: %s, not %s'):format(p, at, got, want)) end\n"
		   "      if got ~= 'nil' then n = n + 1 end\n"
		   "    end\n"
		   "  end\n"
		   "end\n"
		   "assert(n > 100, n)\n"
		   /* the empty match refused: a* finds aab's a's, not the empty string at 1 */
		   "eq(textmill.regex('(*NOTEMPTY)a*'):find(doc_text), (doc_text:find('a', 1, true)))\n");
	lua_close(L);
}
END_TEST

/* Only patterns whose matches the one-character test cannot misjudge. */
START_TEST(start_skip_only_where_sound)
{
	static const struct {
		const char *pattern;
		bool usable;
	} cases[] = {
		{"\\p{Lu}[a-z]+(?: \\p{Lu}[a-z]+)+", true},
		{"(\\p{Lu}(?<![\\p{L}\\p{M}\\-]\\p{Lu})[a-z]+)(?![\\p{L}])", true},
		{"(?i:\\p{Lu}[a-z])", true},
		{"x\\p{Lu}", false},        /* PCRE2 knows the first byte */
		{"[0-9]+\\p{Lu}", false},   /* and a start set */
		{"\\p{Lu}*", false},        /* may match empty: anywhere */
		{"\\b\\p{Lu}[a-z]", false}, /* the text before decides */
		{"\\B\\p{Lu}[a-z]", false},
		{"(?<=\\s)\\p{Lu}[a-z]", false},
		{"^\\p{Lu}[a-z]", false},
		{"\\p{Lu}[a-z]$", true}, /* at the lone character's end: partial */
		{"\\p{Lu}[a-z]\\z", true},
		{"(?m)\\p{Lu}$\\n?[a-z]\\Z", true},
		{"\\G\\p{Lu}[a-z]", false},
		{"(\\p{Lu})[a-z]\\1", false},
		{"(?!(?<!a)b)\\p{Lu}[a-z]", false}, /* a lookbehind inside a negative assertion */
		{"\\p{Lu}(?<!a(?=b))[a-z]", false}, /* an assertion inside a lookbehind */
		{"(?x)\\p{Lu} # [a-z] (", false},
		{"\\p{Lu}[a-z](*SKIP)x", false},
		{"[\\p{Lu}\\]^$][a-z]", true}, /* ^ and $ inside a class are characters */
		{"[[:upper:]\\p{Lu}][a-z]", true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int err;
		PCRE2_SIZE at;
		pcre2_code *code = pcre2_compile((PCRE2_SPTR)cases[i].pattern, PCRE2_ZERO_TERMINATED,
						 PCRE2_UTF | PCRE2_UCP, &err, &at, NULL);
		ck_assert_msg(code != NULL, "%s does not compile", cases[i].pattern);
		ck_assert_msg(tml_regex_start_usable(code, cases[i].pattern) == cases[i].usable, "%s: expected %s",
			      cases[i].pattern, cases[i].usable ? "usable" : "not usable");
		pcre2_code_free(code);
	}
}
END_TEST

/* A budget like the stage's: what the module's C objects hold. */
static size_t counted, counted_limit;

static int take(void *owner, size_t bytes)
{
	(void)owner;
	if (bytes > counted_limit - counted)
		return -1;
	counted += bytes;
	return 0;
}

static void give(void *owner, size_t bytes)
{
	(void)owner;
	ck_assert_uint_ge(counted, bytes);
	counted -= bytes;
}

START_TEST(c_memory_is_counted)
{
	counted = 0;
	counted_limit = (size_t)-1;
	doc_state.take = take;
	doc_state.give = give;
	lua_State *L = regex_lua("x");
	run_lua(L, "kept = {}\n"
		   "for i = 1, 100 do kept[i] = textmill.regex([[(a|b)+\\d{2,5}\\p{Lu}]] .. i) end\n"
		   "g = textmill.gazetteer({'Hà Nội', 'Huế', 'Đà Nẵng'})\n"
		   "assert(#g:matches('Huế và Hà Nội') == 2)");
	size_t with_all = counted;
	ck_assert_uint_gt(with_all, 100 * 1000); /* compiled code, match data, JIT code */
	/* collected: given back */
	run_lua(L, "kept = nil; collectgarbage()");
	ck_assert_uint_lt(counted, with_all / 10);
	/* over the budget: an error, and nothing kept counted */
	counted_limit = counted + 20000;
	run_lua(L, "local ok, err = pcall(function() local t = {}\n"
		   "  for i = 1, 100 do t[i] = textmill.regex([[(a|b)+\\d{2,5}\\p{Lu}]] .. i) end end)\n"
		   "assert(not ok and err:find('not enough memory', 1, true), err)\n"
		   "local names = {}; for i = 1, 2000 do names[i] = 'tên ' .. i end\n"
		   "ok, err = pcall(textmill.gazetteer, names)\n"
		   "assert(not ok and err:find('gazetteers count against', 1, true), err)\n"
		   "collectgarbage()");
	counted_limit = (size_t)-1;
	lua_close(L);
	ck_assert_uint_eq(counted, 0);
	doc_state.take = NULL;
	doc_state.give = NULL;
}
END_TEST

/* What a long scan learns (the table, the anchored copy) is counted too,
 * and given back with the regex. */
START_TEST(start_skip_memory_is_counted)
{
	counted = 0;
	counted_limit = (size_t)-1;
	doc_state.take = take;
	doc_state.give = give;
	char text[1024] = "";
	for (int i = 0; i < 50; i++)
		strcat(text, "Đà Nẵng Zoe ");
	lua_State *L = regex_lua(text);
	run_lua(L, "re = textmill.regex([[\\p{Lu}[a-z]+]])");
	size_t compiled = counted;
	run_lua(L, "local n = 0; for _ in re:gmatch(doc_text) do n = n + 1 end; assert(n > 40, n)");
	ck_assert_uint_gt(counted, compiled + 0x2000); /* the table of characters learnt */
	run_lua(L, "re = nil; collectgarbage()");
	ck_assert_uint_lt(counted, compiled);
	lua_close(L);
	ck_assert_uint_eq(counted, 0);
	doc_state.take = NULL;
	doc_state.give = NULL;
}
END_TEST

/* A method's self is checked against its type's metatable, remembered in
 * the state's tml_state after the first check (tml_checkudata): still
 * refused after that when it is another userdata, one with a metatable
 * of its own, or a table; and checked as before with no tml_state. */
START_TEST(self_checked_after_remembered)
{
	for (int with_state = 1; with_state >= 0; with_state--) {
		lua_State *L = regex_lua("abc");
		if (!with_state)
			*(tml_state **)lua_getextraspace(L) = NULL;
		lua_newuserdatauv(L, 8, 0);
		lua_newtable(L);
		lua_setmetatable(L, -2);
		lua_setglobal(L, "odd");
		run_lua(L, "local r = textmill.regex('b')\n"
			   "for round = 1, 3 do\n"
			   "  assert(r:test('abc') and r.test(r, 'abc'))\n"
			   "  for _, self in ipairs({ textmill.gazetteer({ 'a' }), odd, {}, io.stdout }) do\n"
			   "    local ok, err = pcall(r.test, self, 'abc')\n"
			   "    assert(not ok and err:find('textmill.regex expected', 1, true), tostring(err))\n"
			   "  end\n"
			   "end");
		if (with_state) {
			ck_assert_ptr_nonnull(doc_state.udata[0].tname);
			ck_assert_ptr_nonnull(doc_state.udata[0].mt);
		}
		lua_close(L);
	}
}
END_TEST

/* tml_checkudata with more kinds of userdata than it remembers: each is
 * still accepted as its own kind and refused as any other, the kinds it
 * has no room for checked as luaL_checkudata checks them. */
static const char *const KINDS[TML_UDATA_TYPES + 3] = {"k0", "k1", "k2",  "k3",  "k4",  "k5",  "k6", "k7",
						       "k8", "k9", "k10", "k11", "k12", "k13", "k14"};
#define NKINDS ((int)(sizeof KINDS / sizeof *KINDS))

static int check_kind(lua_State *L)
{
	tml_checkudata(L, 1, KINDS[lua_tointeger(L, 2)]);
	return 0;
}

START_TEST(more_kinds_than_remembered)
{
	lua_State *L = regex_lua("abc");
	for (int k = 0; k < NKINDS; k++) {
		lua_newuserdatauv(L, 8, 0);
		luaL_newmetatable(L, KINDS[k]);
		lua_setmetatable(L, -2);
	}
	int first = lua_gettop(L) - NKINDS + 1;
	for (int round = 0; round < 2; round++)
		for (int u = 0; u < NKINDS; u++)
			for (int k = 0; k < NKINDS; k++) {
				lua_pushcfunction(L, check_kind);
				lua_pushvalue(L, first + u);
				lua_pushinteger(L, k);
				int rc = lua_pcall(L, 2, 0, 0);
				if (k == u)
					ck_assert_msg(rc == LUA_OK, "kind %d refused as itself", k);
				else
					ck_assert_msg(rc != LUA_OK && strstr(lua_tostring(L, -1), KINDS[k]),
						      "kind %d taken as %d", u, k);
				lua_settop(L, first + NKINDS - 1);
			}
	ck_assert_ptr_nonnull(doc_state.udata[TML_UDATA_TYPES - 1].tname); /* full */
	lua_close(L);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("regex");
	TCase *tc = tcase_create("regex");
	tcase_add_test(tc, init_inside_character);
	tcase_add_test(tc, empty_matches_step_whole_characters);
	tcase_add_test(tc, window_in_place);
	tcase_add_test(tc, no_single_byte_escape);
	tcase_add_test(tc, c_memory_is_counted);
	tcase_add_test(tc, start_skip_finds_the_same_matches);
	tcase_add_test(tc, start_pairs_find_the_same_matches);
	tcase_add_test(tc, start_pairs_beyond_the_table);
	tcase_add_test(tc, start_skip_only_where_sound);
	tcase_add_test(tc, test_in_backward_same_answer);
	tcase_add_test(tc, jit_direct_as_pcre2_match);
	tcase_add_test(tc, start_skip_memory_is_counted);
	tcase_add_test(tc, self_checked_after_remembered);
	tcase_add_test(tc, more_kinds_than_remembered);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
