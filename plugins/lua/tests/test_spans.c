/* test_spans.c -- textmill.resolve, textmill.sort_spans, textmill.spans_off,
 * textmill.span_index, textmill.is_upper and textmill.word_before. */
#include <check.h>
#include <stdlib.h>

#include "lua_test.h"
#include "sort_keys.h"

/* A helper for the cases: the kept spans as "start-stop" joined by spaces. */
static const char *PRELUDE =
	"function show(list)\n"
	"  local t = {}\n"
	"  for i, c in ipairs(list) do t[i] = c.start .. '-' .. c.stop .. (c.tag or '') end\n"
	"  return table.concat(t, ' ')\n"
	"end\n"
	"function eq(a, b) if a ~= b then error(('expected %q, got %q'):format(b, a), 2) end end\n";

static lua_State *spans_lua(void)
{
	lua_State *L = new_lua();
	run_lua(L, PRELUDE);
	return L;
}

START_TEST(resolve_ranks)
{
	lua_State *L = spans_lua();
	/* the longer wins an overlap; a higher priority beats length */
	run_lua(L, "eq(show(textmill.resolve{ {start=1, stop=4}, {start=3, stop=10}, {start=12, stop=13} }),"
		   "   '3-10 12-13')");
	run_lua(L, "eq(show(textmill.resolve{ {start=1, stop=4, priority=1}, {start=3, stop=10} }), '1-4')");
	/* equal rank: the earlier start, then the lower order */
	run_lua(L, "eq(show(textmill.resolve{ {start=5, stop=8}, {start=2, stop=5} }), '2-5')");
	run_lua(L,
		"eq(show(textmill.resolve{ {start=1, stop=3, order=2, tag='b'}, {start=1, stop=3, order=1, tag='a'} }),"
		"   '1-3a')");
	/* touching spans (stop == next start) overlap: positions are inclusive */
	run_lua(L, "eq(show(textmill.resolve{ {start=1, stop=3}, {start=3, stop=4} }), '1-3')");
	run_lua(L, "eq(show(textmill.resolve{ {start=1, stop=3}, {start=4, stop=4} }), '1-3 4-4')");
	run_lua(L, "eq(show(textmill.resolve{}), '')");
	lua_close(L);
}
END_TEST

START_TEST(resolve_layers)
{
	lua_State *L = spans_lua();
	/* spans in different layers do not compete; the result is in text
	 * order, the longer first at one start */
	run_lua(L, "eq(show(textmill.resolve{ {start=1, stop=20, layer='TITLE'}, {start=5, stop=9, layer='ORG'},"
		   "   {start=6, stop=12, layer='ORG'}, {start=1, stop=3} }), '1-20 1-3 6-12')");
	/* the same table objects come back */
	run_lua(L, "local a = {start=1, stop=2}; eq(textmill.resolve{a}[1], a)");
	/* many spans: each kept one is checked against its neighbours only */
	run_lua(L, "local c = {}\n"
		   "for i = 1, 3000 do c[i] = {start = i * 2, stop = i * 2 + 2} end\n"
		   "local k = textmill.resolve(c)\n"
		   "eq(#k, 1500); eq(k[1].start, 2); eq(k[1500].start, 5998)");
	lua_close(L);
}
END_TEST

START_TEST(resolve_errors)
{
	lua_State *L = spans_lua();
	run_lua(L, "local ok, err = pcall(textmill.resolve, { {start=1, stop=2}, {start=1} })\n"
		   "eq(ok, false); assert(err:find('span 2: stop must be an integer', 1, true), err)");
	run_lua(L, "local ok, err = pcall(textmill.resolve, { 5 })\n"
		   "eq(ok, false); assert(err:find('span 1 is not a table', 1, true), err)");
	run_lua(L, "local ok, err = pcall(textmill.resolve, { {start=1, stop=2, priority='high'} })\n"
		   "eq(ok, false); assert(err:find('priority must be a number', 1, true), err)");
	lua_close(L);
}
END_TEST

START_TEST(sort_spans_order)
{
	lua_State *L = spans_lua();
	run_lua(L,
		"local l = { {start=9, stop=9, type='B'}, {start=1, stop=2, type='X'}, {start=1, stop=5, type='Y'},"
		"   {start=1, stop=2, type='A', tag='1'}, {start=1, stop=2, type='A', tag='2'} }\n"
		"eq(textmill.sort_spans(l), l)\n"
		"eq(show(l), '1-5 1-21 1-22 1-2 9-9')\n"
		"eq(l[4].type, 'X')");
	/* many spans, far apart (the keys differ in several bytes), with ties
	 * of span and of span and type; and positions beyond 32 bits, sorted
	 * the same way by the general path */
	run_lua(L,
		"for _, far in ipairs({ 0, 2^40 }) do\n"
		"  local l, types = {}, { 'C', 'A', 'B' }\n"
		"  for i = 1, 3000 do\n"
		"    local s = far + (i * 7919) % 100003\n"
		"    l[i] = { start = s, stop = s + i % 3, type = types[i % 3 + 1], n = i }\n"
		"    l[3000 + i] = { start = s, stop = s + i % 3, type = types[(i + 1) % 3 + 1], n = 3000 + i }\n"
		"    l[6000 + i] = { start = s, stop = s + i % 3, type = types[i % 3 + 1], n = 6000 + i }\n"
		"  end\n"
		"  textmill.sort_spans(l)\n"
		"  for i = 2, #l do\n"
		"    local a, b = l[i - 1], l[i]\n"
		"    local ok = a.start < b.start or (a.start == b.start and (a.stop > b.stop or (a.stop == b.stop\n"
		"      and (a.type < b.type or (a.type == b.type and a.n < b.n)))))\n"
		"    if not ok then error(('out of order at %d: %d %d'):format(i, a.n, b.n)) end\n"
		"  end\n"
		"end\n");
	lua_close(L);
}
END_TEST

/* spans_off against the plain test (a list's span is kept when no span
 * of the others shares a byte with it) on lists at random: the others in
 * any order, overlapping, touching, nested and of one byte, some covering
 * nothing (stop before start); and the same tables come back, in order. */
START_TEST(spans_off_random)
{
	lua_State *L = spans_lua();
	run_lua(L, "eq(show(textmill.spans_off({ {start=1, stop=3}, {start=4, stop=6}, {start=7, stop=9},"
		   "   {start=10, stop=10} }, { {start=6, stop=7}, {start=3, stop=2} })), '1-3 10-10')");
	run_lua(L, "local a = {start=1, stop=2}; eq(textmill.spans_off({a}, {})[1], a)");
	run_lua(L, "eq(show(textmill.spans_off({}, { {start=1, stop=9} })), '')");
	run_lua(L,
		"local seed = 7\n"
		"local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end\n"
		"for round = 1, 400 do\n"
		"  local list, others = {}, {}\n"
		"  for i = 1, rnd(30) do local s = rnd(120) + 1; list[i] = { start = s, stop = s + rnd(6), n = i } end\n"
		"  for i = 1, rnd(12) do local s = rnd(120) + 1; others[i] = { start = s, stop = s + rnd(8) - 1 } end\n"
		"  local want = {}\n"
		"  for _, l in ipairs(list) do\n"
		"    local hit = false\n"
		"    for _, o in ipairs(others) do\n"
		"      if o.start <= o.stop and o.start <= l.stop and l.start <= o.stop then hit = true end\n"
		"    end\n"
		"    if not hit then want[#want + 1] = l end\n"
		"  end\n"
		"  local got = textmill.spans_off(list, others)\n"
		"  eq(#got, #want)\n"
		"  for i = 1, #want do eq(got[i], want[i]) end\n"
		"end\n");
	run_lua(L, "local ok, err = pcall(textmill.spans_off, { {start=1, stop=2} }, { {start=1} })\n"
		   "eq(ok, false); assert(err:find('span 1: stop must be an integer', 1, true), err)");
	run_lua(L, "local ok, err = pcall(textmill.spans_off, { {start=1, stop=2}, 5 }, {})\n"
		   "eq(ok, false); assert(err:find('span 2 is not a table', 1, true), err)");
	lua_close(L);
}
END_TEST

/* span_index's three questions against the plain answers over the whole
 * list, for every position and pair of positions of lists at random: in
 * order and not, with equal starts (the last in list order is the one
 * starting), nested and long spans, some whose stop is before their start. */
START_TEST(span_index_random)
{
	lua_State *L = spans_lua();
	run_lua(L, "local a, b = {start=3, stop=5}, {start=3, stop=4}\n"
		   "local ix = textmill.span_index({ {start=1, stop=2}, a, b })\n"
		   "eq(ix:starting(3), b); eq(ix:starting(4), nil)\n"
		   "eq(ix:overlaps(5, 9), true); eq(ix:overlaps(6, 9), false)\n"
		   "eq(ix:ends_at(4, 5), true); eq(ix:ends_at(2, 5), false)\n"
		   "eq(textmill.span_index({}):overlaps(1, 1), false)");
	run_lua(L, "local seed = 5\n"
		   "local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end\n"
		   "for round = 1, 300 do\n"
		   "  local list = {}\n"
		   "  for i = 1, rnd(14) do\n"
		   "    local s = rnd(40) + 1\n"
		   "    list[i] = { start = s, stop = s + rnd(round % 3 == 0 and 20 or 5) - 1 }\n"
		   "  end\n"
		   "  if round % 2 == 0 then table.sort(list, function(a, b) return a.start < b.start end) end\n"
		   "  local ix = textmill.span_index(list)\n"
		   "  for s = 0, 45 do\n"
		   "    local want\n"
		   "    for _, x in ipairs(list) do if x.start == s then want = x end end\n"
		   "    eq(ix:starting(s), want)\n"
		   "    for e = s - 1, 46 do\n"
		   "      local over, ends = false, false\n"
		   "      for _, x in ipairs(list) do\n"
		   "        if x.start <= e and x.stop >= s then over = true end\n"
		   "        if x.stop == e and x.start <= s then ends = true end\n"
		   "      end\n"
		   "      eq(ix:overlaps(s, e), over); eq(ix:ends_at(s, e), ends)\n"
		   "    end\n"
		   "  end\n"
		   "end\n");
	run_lua(L, "local ok, err = pcall(textmill.span_index, { {start=1, stop=2}, {stop=3} })\n"
		   "eq(ok, false); assert(err:find('span 2: start must be an integer', 1, true), err)");
	lua_close(L);
}
END_TEST

/* span_cover against a walk of the list, as spans are appended one by one
 * (nested, touching, some empty), after the list shrinks, and for spans
 * changed in place, which a cover does not follow. */
START_TEST(span_cover_random)
{
	lua_State *L = spans_lua();
	run_lua(L, "local list = { {start=5, stop=9} }\n"
		   "local covers = textmill.span_cover(list)\n"
		   "eq(covers(9, 12), true); eq(covers(10, 12), false); eq(covers(1, 4), false)\n"
		   "eq(covers(9, 8), false)\n"
		   "list[2] = {start=10, stop=10}; eq(covers(10, 12), true)\n"
		   "list[1].stop = 20; eq(covers(15, 15), false)\n"
		   "eq(textmill.span_cover({})(1, 1), false)");
	run_lua(L, "local seed = 7\n"
		   "local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end\n"
		   "for round = 1, 60 do\n"
		   "  local list = {}\n"
		   "  local covers = textmill.span_cover(list)\n"
		   "  for i = 1, 40 + rnd(60) do\n"
		   "    local s = rnd(200) + 1\n"
		   "    list[#list + 1] = { start = s, stop = s + rnd(round % 3 == 0 and 30 or 6) - 1 }\n"
		   "    if i % 25 == 0 then for _ = 1, 5 do table.remove(list) end end\n"
		   "    for _ = 1, 4 do\n"
		   "      local a = rnd(210)\n"
		   "      local b = a + rnd(8) - 1\n"
		   "      local want = false\n"
		   "      for _, x in ipairs(list) do\n"
		   "        if x.start <= x.stop and x.start <= b and x.stop >= a and a <= b then want = true end\n"
		   "      end\n"
		   "      eq(covers(a, b), want)\n"
		   "    end\n"
		   "  end\n"
		   "end\n");
	run_lua(L, "local lo, hi = math.mininteger, math.maxinteger\n"
		   "local covers = textmill.span_cover({ {start=hi - 1, stop=hi}, {start=lo, stop=lo} })\n"
		   "eq(covers(hi, hi), true); eq(covers(lo, lo + 5), true); eq(covers(0, 9), false)");
	run_lua(L, "local ok, err = pcall(textmill.span_cover({ {start=1, stop=2}, {stop=3} }), 1, 1)\n"
		   "eq(ok, false); assert(err:find('span 2: start must be an integer', 1, true), err)\n"
		   "ok, err = pcall(textmill.span_cover({ 5 }), 1, 1)\n"
		   "eq(ok, false); assert(err:find('span 1 is not a table', 1, true), err)\n"
		   "ok, err = pcall(textmill.span_cover, 5)\n"
		   "eq(ok, false); assert(err:find('table expected', 1, true), err)");
	lua_close(L);
}
END_TEST

/* Spans at the ends of the integers: a span of every position, and
 * spans touching at the largest, answer as any other. */
START_TEST(spans_at_the_extremes)
{
	lua_State *L = spans_lua();
	run_lua(L, "local lo, hi = math.mininteger, math.maxinteger\n"
		   "local ix = textmill.span_index({ {start=lo, stop=hi}, {start=3, stop=4} })\n"
		   "eq(ix:overlaps(5, 5), true); eq(ix:overlaps(lo, lo), true); eq(ix:overlaps(hi, hi), true)\n"
		   "eq(ix:ends_at(5, hi), true); eq(ix:ends_at(2, 4), false); eq(ix:starting(lo).stop, hi)\n"
		   "ix = textmill.span_index({ {start=hi - 1, stop=hi}, {start=lo, stop=lo} })\n"
		   "eq(ix:overlaps(hi, hi), true); eq(ix:overlaps(lo, lo + 5), true); eq(ix:overlaps(0, 9), false)\n"
		   "eq(ix:ends_at(hi, hi), true); eq(ix:ends_at(lo, lo), true)\n"
		   "eq(show(textmill.spans_off({ {start=1, stop=2}, {start=hi, stop=hi} },"
		   "   { {start=hi - 3, stop=hi}, {start=hi - 1, stop=hi} })), '1-2')\n"
		   "eq(#textmill.spans_off({ {start=1, stop=2} }, { {start=lo, stop=hi} }), 0)\n"
		   "eq(#textmill.spans_off({ {start=lo, stop=lo} }, { {start=lo + 1, stop=hi} }), 1)");
	lua_close(L);
}
END_TEST

/* Bad input to spans_off and span_index is an error naming what is wrong,
 * in either list and in an index's questions; and an index keeps its list
 * (ix:starting gives its tables) when nothing else does. */
START_TEST(spans_bad_input)
{
	lua_State *L = spans_lua();
	run_lua(L, "function fails(want, f, ...)\n"
		   "  local ok, err = pcall(f, ...)\n"
		   "  eq(ok, false); assert(err:find(want, 1, true), err)\n"
		   "end");
	run_lua(L, "fails('table expected', textmill.spans_off, 5, {})\n"
		   "fails('table expected', textmill.spans_off, {}, nil)\n"
		   "fails('span 2 is not a table', textmill.spans_off, {}, { {start=1, stop=2}, 'x' })\n"
		   "fails('span 1: start must be an integer', textmill.spans_off, {}, { {start=1.5, stop=2} })");
	run_lua(L, "fails('table expected', textmill.span_index, 'x')\n"
		   "fails('span 1 is not a table', textmill.span_index, { 7 })\n"
		   "local ix = textmill.span_index({ {start=1, stop=2} })\n"
		   "fails('number expected', ix.starting, ix, 'x')\n"
		   "fails('number has no integer representation', ix.overlaps, ix, 1.5, 2)\n"
		   "fails('number expected', ix.ends_at, ix, 1)\n"
		   "fails('textmill.span_index expected', ix.overlaps, {}, 1, 2)");
	run_lua(L, "local ix = textmill.span_index({ {start=4, stop=6, tag='a'} })\n"
		   "collectgarbage(); collectgarbage()\n"
		   "eq(ix:starting(4).tag, 'a')");
	lua_close(L);
}
END_TEST

/* tml_sort_u64 against a stable insertion sort, on keys in order, in two
 * runs (the merge: equal keys in both, the first run's first), in three,
 * reversed and at random, short (insertion) and long (radix, merge). */
START_TEST(sort_u64_shapes)
{
	enum { MAX = 300 };
	uint64_t k[MAX], tk[MAX], want[MAX];
	uint32_t v[MAX], tv[MAX], wantv[MAX];
	unsigned seed = 99;
	for (int shape = 0; shape < 6; shape++) {
		for (size_t n = 0; n <= MAX; n += n < 40 ? 1 : 37) {
			size_t cut = n / 3, cut2 = 2 * n / 3;
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				uint64_t r = (uint64_t)(seed >> 8) << 24 | (seed >> 4) % 7; /* many equal low parts */
				switch (shape) {
				case 0: k[i] = i / 2; break;                               /* in order, with ties */
				case 1: k[i] = i < cut ? 3 * i : 3 * (i - cut) / 2; break; /* two runs, ties across */
				case 2: k[i] = i < cut ? i : i < cut2 ? i - cut : i - cut2; break; /* three runs */
				case 3: k[i] = (uint64_t)(n - i) << 33; break;                     /* reversed */
				default: k[i] = shape == 4 ? r % 5 << 40 | r % 3 : r; break;       /* random, ties */
				}
				v[i] = (uint32_t)i;
			}
			for (size_t i = 0; i < n; i++) { /* the reference: stable insertion */
				size_t j = i;
				for (; j > 0 && want[j - 1] > k[i]; j--)
					want[j] = want[j - 1], wantv[j] = wantv[j - 1];
				want[j] = k[i], wantv[j] = v[i];
			}
			tml_sort_u64(k, v, tk, tv, n);
			for (size_t i = 0; i < n; i++)
				if (k[i] != want[i] || v[i] != wantv[i])
					ck_abort_msg("shape %d, n %zu: place %zu differs", shape, n, i);
		}
	}
}
END_TEST

START_TEST(is_upper)
{
	lua_State *L = spans_lua();
	run_lua(L, "local s = 'Đà nẵng, HÀ Nội x'\n"
		   "eq(textmill.is_upper(s, 1), true)        -- Đ, two bytes\n"
		   "eq(textmill.is_upper(s, 2), false)       -- inside Đ\n"
		   "eq(textmill.is_upper(s, 3), false)       -- à\n"
		   "eq(textmill.is_upper(s, s:find('nẵng')), false)\n"
		   "eq(textmill.is_upper(s, s:find('HÀ')), true)\n"
		   "eq(textmill.is_upper(s, s:find(',')), false)\n"
		   "eq(textmill.is_upper(s, 0), false)\n"
		   "eq(textmill.is_upper(s, #s + 1), false)\n"
		   "eq(textmill.is_upper('Ệ', 1), true)");
	lua_close(L);
}
END_TEST

START_TEST(word_before)
{
	lua_State *L = spans_lua();
	run_lua(L, "local s = 'Theo khoảng, 30 người; x 7'\n"
		   "eq(textmill.word_before(s, s:find('30')), 'khoảng')   -- back over ', '\n"
		   "eq(textmill.word_before(s, s:find('khoảng')), 'Theo')  -- as written, not lowered\n"
		   "eq(textmill.word_before(s, 1), '')\n"
		   "eq(textmill.word_before(s, s:find('x')), '')           -- '; ' is no word\n"
		   "eq(textmill.word_before(s, #s + 1), '7')\n"
		   /* at most 39 bytes back, from a character boundary */
		   "local long = string.rep('ệ', 20) .. ' 5'\n"
		   "eq(textmill.word_before(long, #long), string.rep('ệ', 12))\n"
		   "eq(textmill.word_before(long, 100), '5')");
	lua_close(L);
}
END_TEST

/* textmill.last_word against the pattern the pack used, s:match("^.* (%S+)$"),
 * on edge cases and on random strings of a few telling bytes. */
START_TEST(last_word)
{
	lua_State *L = spans_lua();
	run_lua(L,
		"local function want(s) return s:match('^.* (%S+)$') end\n"
		"eq(textmill.last_word('Lê Văn Hùng'), 'Hùng')\n"
		"eq(textmill.last_word('Hùng'), nil)       -- one word\n"
		"eq(textmill.last_word('Lê Văn '), nil)    -- ends with a space\n"
		"eq(textmill.last_word(' Văn'), 'Văn')\n"
		"eq(textmill.last_word('Lê Văn\\tHùng'), nil) -- a tab after the last space\n"
		"eq(textmill.last_word('Lê\\tVăn Hùng'), 'Hùng')\n"
		"eq(textmill.last_word(''), nil)\n"
		"local bytes = { ' ', 'a', '\\t', '\\n', '\\r', '\\v', '\\f', '\\8', 'ệ', '.' }\n"
		"math.randomseed(7)\n"
		"for _ = 1, 20000 do\n"
		"  local t = {}\n"
		"  for i = 1, math.random(0, 8) do t[i] = bytes[math.random(#bytes)] end\n"
		"  local s = table.concat(t)\n"
		"  if textmill.last_word(s) ~= want(s) then error(('%q: %s, not %s'):format(s, tostring(textmill.last_word(s)), tostring(want(s)))) end\n"
		"end");
	lua_close(L);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("spans");
	TCase *tc = tcase_create("spans");
	tcase_add_test(tc, resolve_ranks);
	tcase_add_test(tc, resolve_layers);
	tcase_add_test(tc, resolve_errors);
	tcase_add_test(tc, sort_spans_order);
	tcase_add_test(tc, spans_off_random);
	tcase_add_test(tc, span_index_random);
	tcase_add_test(tc, spans_bad_input);
	tcase_add_test(tc, span_cover_random);
	tcase_add_test(tc, spans_at_the_extremes);
	tcase_add_test(tc, sort_u64_shapes);
	tcase_add_test(tc, is_upper);
	tcase_add_test(tc, word_before);
	tcase_add_test(tc, last_word);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
