/* test_describe.c -- textmill.title_chains, by cases and against the
 * step written in Lua (persons.lua's describe before) on generated
 * lists of titles and persons. */
#include <check.h>
#include <stdlib.h>

#include "lua_test.h"
#include "tml_core.h"

/* DESCRIBE: the step; describe_lua: the Lua one; copy(list): a deep copy;
 * show(persons): their attrs as one string; eq(a, b). */
static const char *PRELUDE =
	"DESCRIBE = textmill.title_chains({ rank_kind = 'rank' })\n"
	"local byte, sub = string.byte, string.sub\n"
	"local function skip_spaces(text, pos)\n"
	"  local b = byte(text, pos)\n"
	"  while b == 32 or (b and b >= 9 and b <= 13) do pos = pos + 1; b = byte(text, pos) end\n"
	"  return pos, b\n"
	"end\n"
	"local function after_sep(text, pos)\n"
	"  local b\n"
	"  pos, b = skip_spaces(text, pos)\n"
	"  if b == 44 or b == 45 then pos = pos + 1\n"
	"  elseif b == 0xE2 then\n"
	"    local c2, c3 = byte(text, pos + 1, pos + 2)\n"
	"    if c2 ~= 0x80 or (c3 ~= 0x93 and c3 ~= 0x94) then return nil end\n"
	"    pos = pos + 3\n"
	"  else return nil end\n"
	"  return (skip_spaces(text, pos))\n"
	"end\n"
	"local NONE = {}\n"
	"function describe_lua(title_list, persons, text)\n"
	"  local t_by_stop, t_by_start, last_start = {}, {}, 0\n"
	"  for i = 1, #title_list do\n"
	"    local t = title_list[i]\n"
	"    t_by_stop[t.stop] = t; t_by_start[t.start] = t\n"
	"    if t.start > last_start then last_start = t.start end\n"
	"  end\n"
	"  local first = {}\n"
	"  for i = 1, #persons do\n"
	"    local p = persons[i]\n"
	"    local a = p.attrs or {}\n"
	"    p.attrs = a\n"
	"    local titles = NONE\n"
	"    local t = t_by_stop[p.start - 2]\n"
	"    if t and byte(text, p.start - 1) ~= 32 then t = nil end\n"
	"    if t then titles = {} end\n"
	"    while t do\n"
	"      if t.attrs.kind == 'rank' then a.rank = a.rank or t.value\n"
	"      else table.insert(titles, 1, t) end\n"
	"      local gap = sub(text, t.start - 2, t.start - 1)\n"
	"      t = (gap == ', ' and t_by_stop[t.start - 3]) or (byte(text, t.start - 1) == 32 and t_by_stop[t.start - 2]) or nil\n"
	"      if t and t.attrs.kind == 'rank' and a.rank then t = nil end\n"
	"    end\n"
	"    local pos = p.stop + 1\n"
	"    while pos < last_start do\n"
	"      local at = after_sep(text, pos)\n"
	"      t = at and t_by_start[at]\n"
	"      if not t then break end\n"
	"      if titles == NONE then titles = {} end\n"
	"      titles[#titles + 1] = t\n"
	"      pos = t.stop + 1\n"
	"    end\n"
	"    if #titles > 0 then\n"
	"      a.titles = {}\n"
	"      for i, x in ipairs(titles) do a.titles[i] = sub(text, x.start, x.stop) end\n"
	"      for _, x in ipairs(titles) do\n"
	"        if x.attrs.org then a.org = x.attrs.org; break end\n"
	"      end\n"
	"    end\n"
	"    local f = first[p.value]\n"
	"    if not f then first[p.value] = p\n"
	"    elseif not a.titles and f.attrs.titles then\n"
	"      a.titles, a.org = f.attrs.titles, f.attrs.org\n"
	"      a.rank = a.rank or f.attrs.rank\n"
	"    end\n"
	"  end\n"
	"end\n"
	"function copy(x)\n"
	"  if type(x) ~= 'table' then return x end\n"
	"  local y = {}\n"
	"  for k, v in pairs(x) do y[k] = copy(v) end\n"
	"  return y\n"
	"end\n"
	"function show(persons)\n"
	"  local out = {}\n"
	"  for i, p in ipairs(persons) do\n"
	"    local a, keys = p.attrs, {}\n"
	"    for k in pairs(a) do keys[#keys + 1] = k end\n"
	"    table.sort(keys)\n"
	"    local s = {}\n"
	"    for _, k in ipairs(keys) do\n"
	"      local v = a[k]\n"
	"      s[#s + 1] = k .. '=' .. (type(v) == 'table' and table.concat(v, '|') or tostring(v))\n"
	"    end\n"
	"    out[i] = p.value .. '{' .. table.concat(s, ' ') .. '}'\n"
	"  end\n"
	"  return table.concat(out, '; ')\n"
	"end\n"
	"function eq(a, b) if a ~= b then error(('expected %q, got %q'):format(b, a), 2) end end\n"
	/* spans of the first occurrence of each piece in text */
	"function span(text, piece, from)\n"
	"  local s, e = text:find(piece, from or 1, true)\n"
	"  return s, e\n"
	"end\n";

static lua_State *describe_lua(void)
{
	lua_State *L = new_lua();
	lua_getglobal(L, "textmill");
	tml_describe_register(L);
	lua_pop(L, 1);
	run_lua(L, PRELUDE);
	return L;
}

START_TEST(examples)
{
	lua_State *L = describe_lua();
	run_lua(L,
		/* a rank and titles before; titles after, by a comma and a dash;
		 * a later mention takes the first's; org from the first title
		 * that has one */
		"local t = 'Đại tá Chủ tịch UBND tỉnh Lê Thành Đô, Phó Bí thư Tỉnh ủy – Trưởng ban. Sau đó Lê Thành Đô nói.'\n"
		"local function title(piece, attrs, value)\n"
		"  local s, e = span(t, piece)\n"
		"  return { start = s, stop = e, value = value or piece, attrs = attrs }\n"
		"end\n"
		"local titles = { title('Đại tá', { kind = 'rank' }), title('Chủ tịch UBND tỉnh', { org = 'UBND tỉnh' }),\n"
		"  title('Phó Bí thư Tỉnh ủy', { org = 'Tỉnh ủy' }), title('Trưởng ban', {}) }\n"
		"local s1, e1 = span(t, 'Lê Thành Đô')\n"
		"local s2, e2 = span(t, 'Lê Thành Đô', e1)\n"
		"local persons = { { start = s1, stop = e1, value = 'Lê Thành Đô' },\n"
		"  { start = s2, stop = e2, value = 'Lê Thành Đô', attrs = {} } }\n"
		"DESCRIBE(titles, persons, t)\n"
		"eq(show(persons), 'Lê Thành Đô{org=UBND tỉnh rank=Đại tá titles=Chủ tịch UBND tỉnh|Phó Bí thư Tỉnh ủy|Trưởng ban}; '\n"
		"  .. 'Lê Thành Đô{org=UBND tỉnh rank=Đại tá titles=Chủ tịch UBND tỉnh|Phó Bí thư Tỉnh ủy|Trưởng ban}')\n"
		"assert(persons[2].attrs.titles == persons[1].attrs.titles, 'the first one\\'s list')\n"
		/* no title: attrs made, nothing set; a rank the person has stays */
		"local p = { { start = 1, stop = 2, value = 'x' }, { start = 4, stop = 5, value = 'y', attrs = { rank = 'Tướng' } } }\n"
		"DESCRIBE({}, p, 'ab cd')\n"
		"eq(show(p), 'x{}; y{rank=Tướng}')\n"
		"t = 'Đại tá Lê'\n"
		"local rs, re = span(t, 'Đại tá')\n"
		"local ls, le = span(t, 'Lê')\n"
		"p = { { start = ls, stop = le, value = 'y', attrs = { rank = 'Tướng' } } }\n"
		"DESCRIBE({ { start = rs, stop = re, value = 'Đại tá', attrs = { kind = 'rank' } } }, p, t)\n"
		"eq(show(p), 'y{rank=Tướng}')");
	lua_close(L);
}
END_TEST

START_TEST(same_as_lua)
{
	/* generated texts of words and separators, titles over some of their
	 * words (two may end or start at one byte), persons over others, some
	 * with attrs already: the same attrs as the step in Lua */
	lua_State *L = describe_lua();
	run_lua(L,
		"local words = { 'Đại tá', 'Chủ tịch', 'UBND', 'Lê Văn A', 'Trần B', 'Bí thư', 'ông', 'và', 'x', 'Tướng' }\n"
		"local seps = { ' ', ', ', ' – ', ' - ', ',', ' , ', '—', '  ', '. ', ' — ', '\\t-\\n', ' –x' }\n"
		"local values = { 'A', 'B', 'C' }\n"
		"local seed = 7\n"
		"local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end\n"
		"local described, inherited = 0, 0\n"
		"for round = 1, 2000 do\n"
		"  local parts, spans, pos = {}, {}, 1\n"
		"  for i = 1, 3 + rnd(10) do\n"
		"    local w = words[rnd(#words)]\n"
		"    spans[#spans + 1] = { pos, pos + #w - 1 }\n"
		"    parts[#parts + 1] = w; pos = pos + #w\n"
		"    local s = seps[rnd(#seps)]\n"
		"    parts[#parts + 1] = s; pos = pos + #s\n"
		"  end\n"
		"  local text = table.concat(parts)\n"
		"  local titles, persons = {}, {}\n"
		"  for _, sp in ipairs(spans) do\n"
		"    local r = rnd(6)\n"
		"    if r <= 2 then\n"
		"      local a = ({ { kind = 'rank' }, { org = 'O' .. rnd(3) }, {}, { kind = 'title' } })[rnd(4)]\n"
		"      titles[#titles + 1] = { start = sp[1], stop = sp[2], value = 'v' .. rnd(3), attrs = a }\n"
		"      if rnd(5) == 1 then   -- another title ending or starting there\n"
		"        local s = rnd(2) == 1 and sp[1] or math.min(sp[2], sp[1] + rnd(3))\n"
		"        titles[#titles + 1] = { start = s, stop = sp[2], value = 'w', attrs = { kind = rnd(2) == 1 and 'rank' or nil, org = 'P' } }\n"
		"      end\n"
		"    elseif r <= 4 then\n"
		"      local a = ({ nil, {}, { rank = 'R' }, { titles = { 'pre' } }, { org = 'Q' } })[rnd(5)]\n"
		"      persons[#persons + 1] = { start = sp[1], stop = sp[2], value = values[rnd(#values)], attrs = a }\n"
		"    end\n"
		"  end\n"
		"  local p1, p2 = copy(persons), copy(persons)\n"
		"  DESCRIBE(titles, p1, text)\n"
		"  describe_lua(copy(titles), p2, text)\n"
		"  local a, b = show(p1), show(p2)\n"
		"  if a ~= b then error(('%q: %s, in Lua %s'):format(text, a, b)) end\n"
		"  for i, p in ipairs(p1) do\n"
		"    if p.attrs.titles and not (persons[i].attrs or {}).titles then described = described + 1 end\n"
		"  end\n"
		"end\n"
		"assert(described > 500, described)");
	lua_close(L);
}
END_TEST

START_TEST(errors)
{
	lua_State *L = describe_lua();
	run_lua(L, "local ok, err = pcall(textmill.title_chains, {})\n"
		   "eq(ok, false); assert(err:find('spec.rank_kind must be a string', 1, true), err)");
	run_lua(L, "local ok, err = pcall(DESCRIBE, { { start = 3, stop = 2, attrs = {} } }, {}, 'abc')\n"
		   "eq(ok, false); assert(err:find('titles[1] spans 3..2', 1, true), err)");
	run_lua(L,
		"local ok, err = pcall(DESCRIBE, { { start = 1, stop = 2, attrs = {} } }, { { start = 'x', stop = 2 } }, "
		"'abc')\n"
		"eq(ok, false); assert(err:find('persons[1].start must be a whole number', 1, true), err)");
	run_lua(L,
		"local ok, err = pcall(DESCRIBE, { { start = 1, stop = 2 } }, { { start = 4, stop = 4, value = 'v' } }, "
		"'ab c')\n"
		"eq(ok, false); assert(err:find('titles[1].attrs must be a table', 1, true), err)");
	run_lua(L, "local ok, err = pcall(DESCRIBE, {}, { { start = 1, stop = 1 } }, 'a')\n"
		   "eq(ok, false); assert(err:find('index is nil', 1, true), err)");
	run_lua(L, "assert(not pcall(DESCRIBE, {}, { 5 }, 'a')); assert(not pcall(DESCRIBE, {}, {}, nil))");
	run_lua(L, "local ok, err = pcall(DESCRIBE, {}, { { start = 1, stop = 1, value = 'a', attrs = 'x' } }, 'a')\n"
		   "eq(ok, false); assert(err:find('persons[1].attrs must be a table', 1, true), err)\n"
		   "ok, err = pcall(DESCRIBE, { 'x' }, {}, 'a')\n"
		   "eq(ok, false); assert(err:find('titles[1] must be a table', 1, true), err)");
	lua_close(L);
}
END_TEST

/* An allocator that refuses any block larger than refuse_over bytes. */
static size_t refuse_over = (size_t)-1;

static void *limited(void *ud, void *ptr, size_t osize, size_t nsize)
{
	(void)ud, (void)osize;
	if (nsize == 0) {
		free(ptr);
		return NULL;
	}
	return nsize > refuse_over ? NULL : realloc(ptr, nsize);
}

START_TEST(out_of_memory)
{
	/* the titles' tables do not fit: a Lua error, not a crash, and the
	 * state goes on */
	lua_State *L = lua_newstate(limited, NULL);
	ck_assert_ptr_nonnull(L);
	*(void **)lua_getextraspace(L) = NULL;
	luaL_openlibs(L);
	lua_newtable(L);
	tml_describe_register(L);
	lua_setglobal(L, "textmill");
	run_lua(L, "D = textmill.title_chains({ rank_kind = 'rank' })\n"
		   "T = {}\n"
		   "for i = 1, 2000 do T[i] = { start = 3 * i + 1, stop = 3 * i + 1, value = 'x', attrs = {} } end\n"
		   "TEXT = 'P' .. string.rep(', x', 2000)\n");
	refuse_over = 16384;
	run_lua(L, "local ok, err = pcall(D, T, { { start = 1, stop = 1, value = 'p' } }, TEXT)\n"
		   "assert(not ok and tostring(err):find('not enough memory', 1, true), tostring(err))");
	refuse_over = (size_t)-1;
	run_lua(L, "local p = { { start = 1, stop = 1, value = 'p' } }\n"
		   "D(T, p, TEXT)\n"
		   "assert(p[1].attrs.titles[2000] == 'x' and #p[1].attrs.titles == 2000, #p[1].attrs.titles)");
	lua_close(L);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("describe");
	TCase *tc = tcase_create("describe");
	tcase_add_test(tc, examples);
	tcase_add_test(tc, same_as_lua);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, out_of_memory);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
