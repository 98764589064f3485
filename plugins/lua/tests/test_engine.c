/* test_engine.c -- textmill.engine, the rule pack's matcher in C: the scan
 * and its lookups, what a rule sees of a match, context conditions, the
 * built-in shapes, overlap resolution, and the errors a rule writer gets. */
#include <check.h>
#include <stdlib.h>

#include "lua_test.h"
#include "tml_core.h"

/* Helpers: `show(list)` lists "start-stop:type=value" of candidate tables;
 * `R(t)` fills the fields rules.lua's compile() would. */
static const char *PRELUDE =
	"function show(list)\n"
	"  local t = {}\n"
	"  for i, c in ipairs(list) do\n"
	"    t[i] = c.start .. '-' .. c.stop .. ':' .. tostring(c.type) .. '=' .. tostring(c.value)\n"
	"  end\n"
	"  return table.concat(t, ' ')\n"
	"end\n"
	"function eq(a, b) if a ~= b then error(('expected %q, got %q'):format(b, a), 2) end end\n"
	"re = textmill.regex\n"
	"lex = textmill.gazetteer({ {'Điện Biên', type='PROVINCE'}, {'Bộ Quốc phòng', type='ORG'},\n"
	"  {'Quốc phòng', type='TOPIC'}, {'ông', type='HONORIFIC', value='ông', gender='m'},\n"
	"  {'Hòa Bình', type='PROVINCE'} }, { overlaps = true })\n"
	"function engine(rules, extra)\n"
	"  local spec = { rules = rules, lexicon = lex,\n"
	"    tokens = { { type = 'NUMBER', regex = re('[0-9]+(?:/[0-9]+)*') } },\n"
	"    retype = { { from = 'NUMBER', regex = re('\\\\G(?:[0-9]{1,2}/[0-9]{1,2})\\\\z'), to = 'NUM_DM' } } }\n"
	"  for k, v in pairs(extra or {}) do spec[k] = v end\n"
	"  return textmill.engine(spec)\n"
	"end\n"
	/* n of the pieces, picked by a fixed sequence from seed, joined by spaces */
	"function mixed(seed, n, pieces)\n"
	"  local parts = {}\n"
	"  for i = 1, n do\n"
	"    seed = (seed * 1103515245 + 12345) % 2147483648\n"
	"    parts[i] = pieces[seed % #pieces + 1]\n"
	"  end\n"
	"  return table.concat(parts, ' ')\n"
	"end\n";

static lua_State *engine_lua(void)
{
	lua_State *L = new_lua();
	lua_getglobal(L, "textmill");
	tml_regex_register(L);
	tml_engine_register(L);
	lua_pop(L, 1);
	run_lua(L, PRELUDE);
	return L;
}

START_TEST(scan_and_lookups)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local e = engine({})\n"
		"e:begin('Họp ở Bộ Quốc phòng ngày 14/12, tại Điện Biên 20 người.')\n"
		"local all = e:scanned()\n"
		/* text order, the longer first; numbers retyped by shape */
		"local t = {}\n"
		"for i, m in ipairs(all) do t[i] = m.text .. '/' .. m.type end\n"
		"eq(table.concat(t, ' '), 'Bộ Quốc phòng/ORG Quốc phòng/TOPIC 14/12/NUM_DM Điện Biên/PROVINCE "
		"20/NUMBER')\n"
		"local ORG, P = { ORG = true }, { PROVINCE = true }\n"
		"eq(e:starting(all[1].start, ORG).value, 'Bộ Quốc phòng')\n"
		"eq(e:starting(all[1].start, P), nil)\n"
		"eq(e:ending(all[1].stop, { TOPIC = true }).text, 'Quốc phòng')\n"
		"eq(e:first_start(1, 200, P), all[4].start)\n"
		"eq(e:first_start(1, all[4].start - 1, P), nil)\n"
		"eq(#e:scanned(P), 1)\n"
		/* a match with spaces between, before or after a position */
		"local TOPIC = { TOPIC = true }\n"
		"eq(e:just_before(all[2].stop + 6, TOPIC), nil)                 -- inside 'ngày'\n"
		"eq(e:just_before(all[2].stop + 2, TOPIC).text, 'Quốc phòng')\n"
		"eq(e:just_before(all[2].stop + 1, TOPIC), nil)                -- no space\n"
		"eq(e:just_after(all[1].start - 1, ORG), nil)                  -- no space\n"
		"eq(e:just_after(all[1].start - 2, ORG).text, 'Bộ Quốc phòng')\n"
		"eq(e:just_after(all[1].start - 2, P), nil)\n"
		"eq(e:just_before(1, TOPIC), nil); eq(e:just_after(10000, TOPIC), nil)\n"
		/* a longer match that holds a span: Quốc phòng inside Bộ Quốc phòng */
		"local ORG_TOPIC = { ORG = true, TOPIC = true }\n"
		"eq(e:covering(all[2].start, all[2].stop, ORG).text, 'Bộ Quốc phòng')\n"
		"eq(e:covering(all[2].start, all[2].stop, TOPIC), nil)                -- only as long\n"
		"eq(e:covering(all[2].start, all[2].stop, ORG, 4), nil)               -- starts 5 bytes before\n"
		"eq(e:covering(all[2].start, all[2].stop, ORG, 5).text, 'Bộ Quốc phòng')\n"
		"eq(e:covering(all[1].start, all[1].stop, ORG_TOPIC), nil)\n"
		"eq(e:covering(all[2].start + 1, all[2].stop - 1, ORG_TOPIC).text, 'Bộ Quốc phòng')  -- the first\n"
		"eq(e:covering(0, 3, ORG), nil); eq(e:covering(5, 4, ORG), nil)\n"
		/* covering_span: the same match's start and stop */
		"local function span(s, t, k, r)\n"
		"  local m, a, b = e:covering(s, t, k, r), e:covering_span(s, t, k, r)\n"
		"  eq(a, m and m.start); eq(b, m and m.stop)\n"
		"end\n"
		"span(all[2].start, all[2].stop, ORG); span(all[2].start, all[2].stop, TOPIC)\n"
		"span(all[2].start, all[2].stop, ORG, 4); span(all[2].start, all[2].stop, ORG, 5)\n"
		"span(all[2].start + 1, all[2].stop - 1, ORG_TOPIC); span(0, 3, ORG)\n"
		"eq(select('#', e:covering_span(5, 4, ORG)), 1)\n"
		/* each_scanned: scanned's matches, field by field, no table */
		"local function each(kinds)\n"
		"  local got = {}\n"
		"  for s, t, v, a, c, ty in e:each_scanned(kinds) do got[#got + 1] = { s, t, v, a, c, ty } end\n"
		"  local want = e:scanned(kinds)\n"
		"  eq(#got, #want)\n"
		"  for i, m in ipairs(want) do\n"
		"    local g = got[i]\n"
		"    eq(g[1], m.start); eq(g[2], m.stop); eq(g[3], m.value); eq(g[4], m.attrs); eq(g[5], m.cased)\n"
		"    eq(g[6], m.type)\n"
		"  end\n"
		"end\n"
		"each(); each(ORG); each(P); each({ NUMBER = true, NUM_DM = true }); each({ LAW = true })\n"
		/* kinds sets are known by identity: many at once, fresh ones too */
		"for i = 1, 200 do\n"
		"  local k = i % 2 == 0 and { ORG = true } or { PROVINCE = true }\n"
		"  eq(e:starting(all[1].start, k) ~= nil, i % 2 == 0)\n"
		"  if i % 50 == 0 then collectgarbage() end\n"
		"end\n"
		/* a lexicon match says whether it is capitalised like its key */
		"local step = e:each_scanned()\n"
		"e:begin('hòa bình và Hòa Bình')\n"
		"local ok, err = pcall(step)\n"
		"assert(not ok and err:find('began another document', 1, true), tostring(err))\n"
		"local p = e:scanned(P)\n"
		"eq(#p, 2); eq(p[1].cased, false); eq(p[2].cased, true)\n"
		"each(P)\n");
	lua_close(L);
}
END_TEST

START_TEST(rules_see_a_view)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local seen = {}\n"
		"local e = engine({\n"
		/* an `on` rule with an anchored regex: captures by number and name, the trigger */
		"  { type = 'PERSON', name = 'p', on = { 'HONORIFIC' }, anchored = re('\\\\G (?<name>\\\\p{Lu}\\\\p{Ll}+)'),\n"
		"    group = 'name', value = function(m, doc, cx)\n"
		"      seen.text, seen.n1, seen.name, seen.trig = m.text, m[1], m.name, m.trigger.value\n"
		"      seen.gender, seen.s = m.trigger.attrs.gender, m.starts.name\n"
		"      seen.doc, seen.cx, seen.m = doc, cx, m\n"
		"      return m.text, { honorific = m.trigger.value }\n"
		"    end },\n"
		"})\n"
		"e:begin('Gặp ông Liêm hôm qua')\n"
		"local got = e:find('DOC', 'CX')\n"
		"eq(show(got), '12-16:PERSON=Liêm')\n"
		"eq(got[1].rule, 'p'); eq(got[1].attrs.honorific, 'ông')\n"
		"eq(seen.text, 'Liêm'); eq(seen.n1, 'Liêm'); eq(seen.name, 'Liêm'); eq(seen.trig, 'ông')\n"
		"eq(seen.gender, 'm'); eq(seen.s, 12); eq(seen.doc, 'DOC'); eq(seen.cx, 'CX')\n"
		/* the view is valid only during the call */
		"local ok, err = pcall(function() return seen.m.text end)\n"
		"assert(not ok and err:find('valid only during'), err)\n"
		/* a dictionary match says whether it has its entry's capitals, as a scanned table does */
		"local c = {}\n"
		"local e2 = engine({ { type = 'L', on = { 'PROVINCE' }, value = function(m) c[#c + 1] = m.cased end } })\n"
		"e2:begin('hòa bình ở Hòa Bình'); e2:find()\n"
		"eq(c[1], false); eq(c[2], true)\n");
	lua_close(L);
}
END_TEST

/* args: what value() is handed after (m, doc, cx), read in C, must be
 * what the view's fields give in the same call, for every kind of rule:
 * the span, the text, captures by name and number (one that took no
 * part: nil), the trigger's fields, a dictionary match's. */
START_TEST(value_args_as_fields)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local n = 0\n"
		"local function same(m, got, names)\n"
		"  for i, k in ipairs(names) do\n"
		"    local want\n"
		"    if type(k) == 'number' then want = m[k]\n"
		"    elseif k:find('^trigger%.') then want = m.trigger[k:sub(9)]\n"
		"    else want = m[k] end\n"
		"    eq(got[i], want); n = n + 1\n"
		"  end\n"
		"end\n"
		"local RA = { 'start', 'stop', 'text', 'name', 'title', 2, 'trigger.text', 'trigger.value' }\n"
		"local HA = { 'start', 'stop', 'text', 'key', 'value', 'attrs', 'type', 'cased' }\n"
		"local GA = { 'start', 'text', 'type', 'value' }\n"
		"local TA = { 'trigger.attrs', 'trigger.start', 'trigger.stop', 'trigger.type', 'trigger.cased', "
		"'trigger.key' }\n"
		"local g = textmill.gazetteer({ {'LLVT', type='ABBR', value='lực lượng vũ trang'} }, "
		"{ case = 'sensitive' })\n"
		"local e = engine({\n"
		"  { type = 'PERSON', name = 'p', on = { 'HONORIFIC' },\n"
		"    anchored = re('\\\\G (?<title>Đại tá )?(?<name>\\\\p{Lu}\\\\p{Ll}+)( Văn)?'), args = RA,\n"
		"    value = function(m, doc, cx, ...) same(m, { ... }, RA); eq(select('#', ...), #RA); return m.text end },\n"
		"  { type = 'T2', name = 't', on = { 'HONORIFIC' }, anchored = re('\\\\G '), args = TA,\n"
		"    value = function(m, doc, cx, ...) same(m, { ... }, TA); eq(({ ... })[1].gender, 'm'); return 1 end },\n"
		"  { type = 'PROV', name = 'h', on = { 'PROVINCE' }, args = HA,\n"
		"    value = function(m, doc, cx, ...) same(m, { ... }, HA); return 2 end },\n"
		"  { name = 'g', gazetteer = g, args = GA,\n"
		"    value = function(m, doc, cx, ...) same(m, { ... }, GA); return 3 end },\n"
		"  { type = 'RX', name = 'r', regex = re('([0-9]+) (người)'), args = { 1, 2, 'stop' },\n"
		"    value = function(m, doc, cx, a, b, c) eq(doc, 'DOC'); eq(cx, 'CX'); same(m, { a, b, c }, { 1, 2, 'stop' })\n"
		"      return a end },\n"
		"})\n"
		"e:begin('Gặp ông Liêm và ông Đại tá Lò Văn ở hòa bình, Hòa Bình, LLVT 20 người')\n"
		"local got = e:find('DOC', 'CX')\n"
		"eq(n, 2 * #RA + 2 * #TA + 2 * #HA + #GA + 3)\n"
		/* (T2's candidates lose to the longer PERSON ones) */
		"eq(show(got), '7-16:PERSON=ông Liêm 22-45:PERSON=ông Đại tá Lò Văn 51-60:PROV=2 63-72:PROV=2 "
		"75-78:ABBR=3 80-90:RX=20')\n");
	/* what args may name, by the rule's kind */
	run_lua(L,
		"local function fails(rules, what)\n"
		"  local ok, err = pcall(engine, rules)\n"
		"  assert(not ok and err:find(what, 1, true), tostring(err))\n"
		"end\n"
		"local f = function() end\n"
		"fails({ { type = 'X', regex = re('a(b)'), args = { 'nope' }, value = f } }, 'no capture named nope')\n"
		"fails({ { type = 'X', regex = re('a(b)'), args = { 2 }, value = f } }, 'args: no capture 2')\n"
		"fails({ { type = 'X', on = { 'NUMBER' }, args = { 1 }, value = f } }, 'args: no capture 1')\n"
		"fails({ { type = 'X', on = { 'NUMBER' }, args = { 'unit' }, value = f } }, 'a match has no field unit')\n"
		"fails({ { type = 'X', on = { 'NUMBER' }, args = { 'trigger.start' }, value = f } }, 'has a trigger')\n"
		"fails({ { type = 'X', regex = re('a'), args = { 'trigger.start' }, value = f } }, 'has a trigger')\n"
		"fails({ { type = 'X', on = { 'NUMBER' }, anchored = re('a'), args = { 'trigger.x' }, value = f } },\n"
		"  'a match has no field x')\n"
		"fails({ { type = 'X', on = { 'NUMBER' }, args = { 'start' } } }, 'args without value()')\n"
		"fails({ { type = 'X', on = { 'NUMBER' }, args = 'start', value = f } }, 'table expected')\n"
		"fails({ { type = 'X', on = { 'NUMBER' }, args = { 'start', {} }, value = f } },\n"
		"  \"rule 1: args: a field's name or a capture's number, not table\")\n"
		"fails({ { type = 'X', on = { 'NUMBER' }, args = { true }, value = f } }, 'number, not boolean')\n"
		"fails({ { type = 'X', on = { 'NUMBER' }, args = { 'start', 'start', 'start', 'start', 'start', 'start',\n"
		"  'start', 'start', 'start' }, value = f } }, 'at most 8')\n");
	lua_close(L);
}
END_TEST

/* A rule with args returns its span as value()'s third and fourth
 * results; nil keeps the match's (as value() may have set it). */
START_TEST(value_args_return_the_span)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local e = engine({\n"
		"  { type = 'DATE', name = 'd', on = { 'NUM_DM' }, args = { 'start', 'stop' },\n"
		"    value = function(m, _, _, s, t) return 'day', nil, s - 5, t + 7 end },\n"
		"  { type = 'QTY', name = 'q', on = { 'NUMBER' }, args = { 'text' }, value = function(m, _, _, s)\n"
		"      if s == '7' then return false, nil, 1, 1 end\n"
		"      if s == '3' then m.start = m.start - 3; return 3, nil, nil, m.stop + 2 end\n"
		"      return tonumber(s), nil, nil, nil end },\n"
		"})\n"
		"e:begin('Ngày 14/12 năm nay có 20 và 7 người, ba 3 chó')\n"
		"eq(show(e:find()), '2-18:DATE=day 26-27:QTY=20 45-50:QTY=3')\n"
		"local function fails(r, what)\n"
		"  local bad = engine({ { type = 'X', name = 'bad', on = { 'NUMBER' }, args = {}, value = r } })\n"
		"  bad:begin('số 5')\n"
		"  local ok, err = pcall(bad.find, bad)\n"
		"  assert(not ok and err:find(what, 1, true), err)\n"
		"end\n"
		"fails(function() return 1, nil, 0 end, \"rule bad: value()'s start (its result 3) is no position\")\n"
		"fails(function() return 1, nil, 'x' end, \"value()'s start (its result 3)\")\n"
		"fails(function() return 1, nil, 1.5 end, \"value()'s start (its result 3)\")\n"
		"fails(function() return 1, nil, nil, 7 end, \"value()'s stop (its result 4)\")\n"
		"fails(function() return 1, nil, 4, 3 end, 'left the match at 4..3, empty or outside')\n"
		/* the text's end, and a start right after it, are positions */
		"fails(function() return 1, nil, 7, 6 end, 'left the match at 7..6')\n"
		"local ok = engine({ { type = 'X', name = 'ok', on = { 'NUMBER' }, args = {},\n"
		"  value = function() return 1, nil, 1, 6 end } })\n"
		"ok:begin('số 5'); eq(show(ok:find()), '1-6:X=1')\n");
	lua_close(L);
}
END_TEST

/* Each candidate's value and attrs, kept while find runs in a table
 * made the size the last document needed: documents of many candidates
 * and of few in turn, past the size it is made for at most. */
START_TEST(values_kept_across_documents)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local e = engine({ { type = 'N', name = 'n', on = { 'NUMBER' },\n"
		"  value = function(m) local t = m.text; return tonumber(t), { t = t } end } })\n"
		/* and a rule with args, whose value() returns its span: thousands
		 * of calls, each with its arguments and four results */
		"local a = engine({ { type = 'N', name = 'a', on = { 'NUMBER' }, args = { 'text', 'start', 'stop' },\n"
		"  value = function(_, _, _, t, s, e) return tonumber(t), { t = t }, s, e end } })\n"
		"for _, e in ipairs({ e, a }) do\n"
		"  for _, n in ipairs({ 300, 3, 0, 5000, 1, 300 }) do\n"
		"    local words = {}\n"
		"    for i = 1, n do words[i] = tostring(i * 7) end\n"
		"    e:begin(table.concat(words, ' '))\n"
		"    local got = e:find()\n"
		"    eq(#got, n)\n"
		"    for i, c in ipairs(got) do eq(c.value, i * 7); eq(c.attrs.t, tostring(i * 7)) end\n"
		"  end\n"
		"end\n");
	lua_close(L);
}
END_TEST

START_TEST(value_moves_and_discards)
{
	lua_State *L = engine_lua();
	run_lua(L, "local e = engine({\n"
		   "  { type = 'DATE', name = 'd', on = { 'NUM_DM' }, value = function(m)\n"
		   "      m.start = m.start - 5; return 'day' end },\n"
		   "  { type = 'QTY', name = 'q', on = { 'NUMBER' }, value = function(m)\n"
		   "      if m.text == '7' then return false end; return tonumber(m.text) end },\n"
		   "})\n"
		   "e:begin('Ngày 14/12 có 20 và 7 người')\n"
		   "eq(show(e:find()), '2-11:DATE=day 17-18:QTY=20')\n"
		   /* a rule that moves its match out of the text is an error naming it */
		   "local bad = engine({ { type = 'X', name = 'runaway', on = { 'NUMBER' },\n"
		   "  value = function(m) m.stop = m.start - 1; return 1 end } })\n"
		   "bad:begin('số 5')\n"
		   "local ok, err = pcall(bad.find, bad)\n"
		   "assert(not ok and err:find('rule runaway'), err)\n"
		   "local ok2, err2 = pcall(function() bad:begin('số 5'); return bad:find() end)\n"
		   "assert(not ok2, 'again')\n");
	lua_close(L);
}
END_TEST

START_TEST(conditions_and_shapes)
{
	lua_State *L = engine_lua();
	run_lua(L, "local e = engine({\n"
		   "  { type = 'MONTH', name = 'm', on = { 'NUMBER' }, before = re('tháng\\\\s*$'),\n"
		   "    not_after = re('\\\\G %') },\n"
		   "  { type = 'PROV', name = 'p', on = { 'PROVINCE' }, cased = true },\n"
		   "  { type = 'ORGX', name = 'o', on = { 'ORG' }, shape = 'upper_at_start' },\n"
		   "  { type = 'H', name = 'h', on = { 'HONORIFIC' }, shape = 'capital_after' },\n"
		   "  { type = 'TWO', name = 't', on = { 'NUMBER' }, shape = re('\\\\G[0-9]{2}\\\\z') },\n"
		   "})\n"
		   "e:begin('tháng 3 và tháng 5 % và 8, hòa bình ở Hòa Bình, bộ quốc phòng, ông Ba, ông bà, 42')\n"
		   "local t = {}\n"
		   "for i, c in ipairs(e:find()) do t[i] = c.type end\n"
		   "eq(table.concat(t, ' '), 'MONTH PROV H TWO')\n");
	lua_close(L);
}
END_TEST

START_TEST(entry_filter)
{
	lua_State *L = engine_lua();
	/* the HONORIFIC entry "ông" has gender = "m", "bà" none */
	run_lua(L,
		"local l2 = textmill.gazetteer({ {'ông', type='H', gender='m'}, {'bà', type='H'} })\n"
		"local function types(entry)\n"
		"  local e = engine({ { type = 'X', name = 'x', on = { 'H' }, entry = entry } }, { lexicon = l2 })\n"
		"  e:begin('ông và bà')\n"
		"  local t = {}\n"
		"  for i, c in ipairs(e:find()) do t[i] = c.value end\n"
		"  return table.concat(t, ' ')\n"
		"end\n"
		"eq(types({ gender = true }), 'ông')\n"
		"eq(types({ gender = false }), 'bà')\n"
		"eq(types({ gender = 'm' }), 'ông')\n"
		"eq(types({ gender = 'f' }), '')\n"
		/* a list: one of its values; false in it: the key absent */
		"eq(types({ gender = { 'f', 'm' } }), 'ông')\n"
		"eq(types({ gender = { 'f', false } }), 'bà')\n"
		"eq(types({ gender = { 'm', false } }), 'ông bà')\n"
		"eq(types({ gender = {} }), '')\n"
		"local ok, err = pcall(engine, { { type = 'X', regex = re('a'), entry = {} } })\n"
		"assert(not ok and err:find('entry must be a table, on a rule with `on`'), err)\n");
	lua_close(L);
}
END_TEST

START_TEST(overlaps_by_rank_and_layer)
{
	lua_State *L = engine_lua();
	run_lua(L, "local e = engine({\n"
		   "  { type = 'ORG', name = 'org', on = { 'ORG' } },\n"
		   "  { type = 'TOPIC', name = 'topic', on = { 'TOPIC' }, priority = 1 },\n"
		   "  { type = 'T2', name = 't2', on = { 'TOPIC' }, layer = 'other' },\n"
		   "})\n"
		   "e:begin('Bộ Quốc phòng')\n"
		   /* priority beats length; another layer does not compete */
		   "eq(show(e:find()), '6-18:TOPIC=Quốc phòng 6-18:T2=Quốc phòng')\n"
		   /* all = true: every candidate, unresolved, in text order */
		   "eq(#e:find(nil, nil, true), 3)\n"
		   /* a resolved candidate has what an entity needs; an unresolved one also
		    * its rule's ranks, for rules.resolve */
		   "local function keys(t)\n"
		   "  local k = {}\n"
		   "  for n in pairs(t) do k[#k + 1] = n end\n"
		   "  table.sort(k)\n"
		   "  return table.concat(k, ' ')\n"
		   "end\n"
		   "local kept = e:find()\n"
		   "eq(keys(kept[2]), 'rule start stop type value')\n"
		   "local all = e:find(nil, nil, true)\n"
		   "eq(keys(all[3]), 'layer order priority rule start stop type value')\n"
		   "eq(all[3].layer, 'other'); eq(all[3].order, 3); eq(all[3].priority, 0)\n"
		   "eq(all[2].priority, 1); eq(all[1].order, 1)\n");
	lua_close(L);
}
END_TEST

START_TEST(regex_and_gazetteer_rules)
{
	lua_State *L = engine_lua();
	run_lua(L, "local g = textmill.gazetteer({ {'LLVT', type='ABBR', value='lực lượng vũ trang'} }, "
		   "{ case = 'sensitive' })\n"
		   "local e = engine({\n"
		   "  { name = 'abbr', gazetteer = g },\n"
		   "  { type = 'DEF', name = 'def', regex = re('\\\\((\\\\p{Lu}{2,})\\\\)'), group = 1 },\n"
		   "})\n"
		   "e:begin('LLVT tỉnh (BĐBP) và llvt')\n"
		   "eq(show(e:find()), '1-4:ABBR=lực lượng vũ trang 14-18:DEF=nil')\n");
	lua_close(L);
}
END_TEST

/* A value() that searches the rule's own gazetteer (whose scratch the
 * engine's walk shares) and one that starts another document mid-find. */
START_TEST(value_reenters)
{
	lua_State *L = engine_lua();
	run_lua(L, "local g = textmill.gazetteer({ {'A', type='T'}, {'B', type='T'} }, { case = 'sensitive' })\n"
		   "local e = engine({ { type = 'T', name = 'g', gazetteer = g,\n"
		   "  value = function(m) g:matches('B A'); return m.text end } })\n"
		   "e:begin('A x B')\n"
		   "eq(show(e:find()), '1-1:T=A 5-5:T=B')\n"
		   "local e2\n"
		   "e2 = engine({ { type = 'N', name = 'n', on = { 'NUMBER' },\n"
		   "  value = function() e2:begin('other text') end } })\n"
		   "e2:begin('số 5')\n"
		   "local ok, err = pcall(e2.find, e2)\n"
		   "assert(not ok and err:find('begin called inside find'), err)\n"
		   "e2:begin('không số')\n"
		   "eq(show(e2:find()), '')\n");
	lua_close(L);
}
END_TEST

/* Many candidates, emitted out of text order by rules in turn and
 * overlapping within and across layers: every candidate (all = true) comes
 * in text order, the longer first, and the resolved ones are what
 * textmill.resolve keeps of them (the engine sorts them itself, in runs of
 * eight merged, so a text of a few hundred is what takes every merge). */
START_TEST(many_candidates_in_order)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local e = engine({\n"
		"  { type = 'ORG', name = 'org', on = { 'ORG' } },\n"
		"  { type = 'TOPIC', name = 'topic', on = { 'TOPIC' }, priority = 1 },\n"
		"  { type = 'T2', name = 't2', on = { 'TOPIC' }, layer = 'other' },\n"
		"  { type = 'PROVINCE', name = 'province', on = { 'PROVINCE' }, layer = 'other' },\n"
		"  { type = 'PERSON', name = 'person', on = { 'HONORIFIC' }, regex = re(' \\\\p{Lu}\\\\S*(?: \\\\p{Lu}\\\\S*)?') },\n"
		"  { type = 'N', name = 'n', on = { 'NUMBER', 'NUM_DM' } },\n"
		"})\n"
		"local pieces = { 'Bộ Quốc phòng', 'Quốc phòng', 'ông Điện Biên', 'Hòa Bình', '12/5', 'ông Ba', 'và' }\n"
		"e:begin(mixed(3, 400, pieces))\n"
		"local all = e:find(nil, nil, true)\n"
		"assert(#all > 300, #all)\n"
		"for i = 2, #all do\n"
		"  local a, b = all[i - 1], all[i]\n"
		"  assert(a.start < b.start or (a.start == b.start and a.stop >= b.stop),\n"
		"    ('out of order at %d: %d-%d, %d-%d'):format(i, a.start, a.stop, b.start, b.stop))\n"
		"end\n"
		"local kept = e:find()\n"
		"assert(#kept > 200, #kept)\n"
		"eq(show(kept), show(textmill.resolve(all)))\n");
	lua_close(L);
}
END_TEST

/* find_by_type gives what find gives, grouped by type: each type's list
 * in the order find has them, the same fields, each candidate a table of
 * its own; no candidate, no key; and it may not run inside find. */
START_TEST(find_by_type_groups_find)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local e = engine({\n"
		"  { type = 'ORG', name = 'org', on = { 'ORG' } },\n"
		"  { type = 'TOPIC', name = 'topic', on = { 'TOPIC' }, priority = 1 },\n"
		"  { type = 'T2', name = 't2', on = { 'TOPIC' }, layer = 'other' },\n"
		"  { type = 'PROVINCE', name = 'province', on = { 'PROVINCE' }, layer = 'other' },\n"
		"  { type = 'N', name = 'n', on = { 'NUMBER', 'NUM_DM' }, value = function() return 'n', { k = 1 } end },\n"
		"})\n"
		"local pieces = { 'Bộ Quốc phòng', 'Quốc phòng', 'Hòa Bình', '12/5', 'và' }\n"
		"e:begin(mixed(5, 300, pieces))\n"
		"local kept, E = e:find(), e:find_by_type()\n"
		"local want, types = {}, 0\n"
		"for _, c in ipairs(kept) do\n"
		"  if not want[c.type] then want[c.type] = {}; types = types + 1 end\n"
		"  table.insert(want[c.type], c)\n"
		"end\n"
		"assert(types >= 4, types)\n"
		"local seen = {}\n"
		"for t, list in pairs(E) do\n"
		"  seen[#seen + 1] = t\n"
		"  eq(show(list), show(want[t]))\n"
		"  for i, c in ipairs(list) do\n"
		"    eq(c.rule, want[t][i].rule); eq(c.value, want[t][i].value)\n"
		"    assert(c ~= want[t][i], 'a table of its own')\n"
		"    if c.attrs then\n"
		"      assert(c.attrs ~= want[t][i].attrs and c.attrs.k == want[t][i].attrs.k, 'attrs of their own')\n"
		"    end\n"
		"  end\n"
		"end\n"
		"eq(#seen, types)\n"
		"e:begin('và và'); assert(next(e:find_by_type()) == nil, 'no candidate, no type')\n"
		/* a rule's attrs are copied whole into each candidate, the table
		 * grown since its last copy too (the copy's size is a hint) */
		"local A = { a = 1 }\n"
		"local g = engine({ { type = 'ORG', name = 'org', on = { 'ORG' }, attrs = A } })\n"
		"g:begin('Bộ Quốc phòng'); local c1 = g:find()[1]\n"
		"A.b, A.c, A.d = 2, 3, 4\n"
		"g:begin('Bộ Quốc phòng'); local c2 = g:find()[1]\n"
		"eq(c1.attrs.b, nil); eq(c2.attrs.a + c2.attrs.b + c2.attrs.c + c2.attrs.d, 10)\n"
		"assert(c2.attrs ~= A, 'a copy')\n"
		/* a candidate with no type (a regex rule without one) has no list */
		"local u = engine({ { name = 'untyped', regex = re('[0-9]+') } })\n"
		"u:begin('số 5'); eq(u:find()[1].type, nil)\n"
		"local oku, erru = pcall(u.find_by_type, u)\n"
		"assert(not oku and erru:find('rule untyped: find_by_type: a candidate with no type', 1, true), erru)\n"
		"local inner = engine({ { type = 'X', name = 'x', on = { 'NUMBER' },\n"
		"  value = function(_, doc) return tostring(#doc.e:find_by_type()) end } })\n"
		"inner:begin('5')\n"
		"local ok, err = pcall(inner.find_by_type, inner, { e = inner })\n"
		"assert(not ok and err:find('find called inside find'), err)\n");
	lua_close(L);
}
END_TEST

START_TEST(compile_errors)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local function fails(rules, what)\n"
		"  local ok, err = pcall(engine, rules)\n"
		"  assert(not ok and err:find(what, 1, true), tostring(err))\n"
		"end\n"
		"fails({ { type = 'X' } }, 'needs on, regex or gazetteer')\n"
		"fails({ { type = 'X', on = { 'NUMBER' }, shape = 'lower' } }, 'unknown shape')\n"
		"fails({ { type = 'X', regex = re('a(b)'), group = 'nope' } }, 'no capture named nope')\n"
		"fails({ { type = 'X', regex = re('a(b)'), group = 3 } }, 'no capture 3')\n"
		"fails({ { type = 'X', on = { 'NUMBER' }, follows = { NOPE = true } } }, 'follows: NOPE is not a type')\n"
		"fails({ { type = 'X', on = { 'NUMBER' }, follows = 'ORG' } }, 'follows must be a set')\n"
		/* lookups before a document */
		"local e = engine({})\n"
		"local ok, err = pcall(e.find, e)\n"
		"assert(not ok and err:find('call begin'), err)\n"
		"for _, f in ipairs({ e.find_by_type, e.each_scanned, e.covering_span }) do\n"
		"  local okf, errf = pcall(f, e, 1, 1)\n"
		"  assert(not okf and errf:find('call begin'), errf)\n"
		"end\n"
		"local ok2, err2 = pcall(e.begin, e, 'a\\255b')\n"
		"assert(not ok2 and err2:find('invalid UTF%-8 at byte 2'), err2)\n");
	lua_close(L);
}
END_TEST

START_TEST(errors_in_value_leave_it_usable)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local e = engine({ { type = 'X', name = 'x', on = { 'NUMBER' },\n"
		"  value = function(m) if m.text == '1' then error('boom') end; return 2 end } })\n"
		"e:begin('1')\n"
		"local ok, err = pcall(e.find, e)\n"
		"assert(not ok and err:find('boom'), err)\n"
		/* the view of the failed call is expired */
		"local kept\n"
		"local k = engine({ { type = 'X', on = { 'NUMBER' }, value = function(m) kept = m; error('x') end } })\n"
		"k:begin('5'); assert(not pcall(k.find, k))\n"
		"local ok2, err2 = pcall(function() return kept.text end)\n"
		"assert(not ok2 and err2:find('valid only during'), err2)\n"
		/* the next document works: nothing stays half done */
		"e:begin('22')\n"
		"eq(show(e:find()), '1-2:X=2')\n"
		/* so with args: an error in value() with its eight arguments on the
		 * stack, and a span it returns that is no position */
		"local A = { 'start', 'stop', 'text', 'type', 'key', 'value', 'attrs', 'cased' }\n"
		"local a = engine({ { type = 'X', name = 'a', on = { 'NUMBER' }, args = A,\n"
		"  value = function(m, _, _, s, t, text)\n"
		"    if text == '1' then error('boom') end\n"
		"    if text == '2' then return 2, nil, 0 end\n"
		"    return tonumber(text), nil, s, t end } })\n"
		"a:begin('1 3'); ok, err = pcall(a.find, a); assert(not ok and err:find('boom'), err)\n"
		"a:begin('2 3'); ok, err = pcall(a.find, a)\n"
		"assert(not ok and err:find(\"rule a: value()'s start\", 1, true), err)\n"
		"a:begin('3 4'); eq(show(a:find()), '1-1:X=3 3-3:X=4')\n");
	lua_close(L);
}
END_TEST

/* follows: a scanned match of the set ends right before the candidate,
 * one or more spaces between; for every kind of rule. */
START_TEST(follows_a_kind)
{
	lua_State *L = engine_lua();
	run_lua(L, "local H = { HONORIFIC = true }\n"
		   "local e = engine({ { type = 'N', on = { 'NUMBER' }, follows = H },\n"
		   "  { type = 'W', regex = re('\\\\b[a-z]+\\\\b'), follows = { NUMBER = true } } })\n"
		   "e:begin('ông 12 và ông  34, ông35 x 56 y')  -- 'ông35': no space; 'và' is no [a-z] word\n"
		   "eq(show(e:find()), '6-7:N=nil 19-20:N=nil 30-30:W=nil 35-35:W=nil')\n");
	lua_close(L);
}
END_TEST

/* A candidate's rule is the rule's name when the engine was made, in
 * find and find_by_type alike; a nameless rule's candidates have none. */
START_TEST(rule_names_as_made)
{
	lua_State *L = engine_lua();
	run_lua(L, "local list = { { type = 'N', name = 'number', on = { 'NUMBER' } },\n"
		   "  { type = 'W', regex = re('\\\\b[a-z]+\\\\b') } }\n"
		   "local e = engine(list)\n"
		   "list[1].name, list[2].name = 'renamed', 'named'\n"
		   "e:begin('ab 12')\n"
		   "local found = e:find()\n"
		   "eq(#found, 2)\n"
		   "eq(found[1].rule, nil); eq(found[2].rule, 'number')\n"
		   "local by = e:find_by_type({}, {})\n"
		   "eq(by.N[1].rule, 'number'); eq(by.W[1].rule, nil)\n");
	lua_close(L);
}
END_TEST

/* needs: a rule of any kind runs only in a document that matches its
 * `needs` somewhere; where it does, the rule finds what it finds without
 * it; a rule kept out sees nothing (its counts stay). */
START_TEST(needs_gates_a_rule)
{
	lua_State *L = engine_lua();
	run_lua(L, "local AGE = re([[\\(\\d+ tuổi\\)]])\n"
		   "local function rules(needs)\n"
		   "  return { { type = 'N', name = 'n', on = { 'NUMBER' }, needs = needs },\n"
		   "    { type = 'I', name = 'i', regex = re([[\\p{Lu}\\.\\p{Lu}\\.]]), needs = needs },\n"
		   "    { type = 'P', name = 'p', gazetteer = textmill.gazetteer({ {'Hà Nội'} }), needs = needs } }\n"
		   "end\n"
		   "local gated, plain = engine(rules(AGE)), engine(rules(nil))\n"
		   "local with, without = 'N.V. (35 tuổi) ở Hà Nội', 'N.V. 35 tuổi ở Hà Nội'\n"
		   "gated:begin(with); plain:begin(with)\n"
		   "eq(show(gated:find()), show(plain:find()))\n"
		   "eq(show(gated:find()), '1-4:I=nil 7-8:N=nil 22-30:P=Hà Nội')\n"
		   "gated:begin(without); plain:begin(without)\n"
		   "eq(show(gated:find()), '')\n"
		   "eq(show(plain:find()), '1-4:I=nil 6-7:N=nil 20-28:P=Hà Nội')\n"
		   "local seen = {}\n"
		   "for _, c in ipairs(gated:counts()) do seen[#seen + 1] = c.rule .. ':' .. c.seen end\n"
		   "eq(table.concat(seen, ' '), 'n:2 i:2 p:2')   -- the first document's two finds only\n"
		   /* asked again for each document: the next one that has it finds again */
		   "gated:begin('(7 tuổi)')\n"
		   "eq(show(gated:find()), '2-2:N=nil')\n"
		   "local ok, err = pcall(engine, { { type = 'X', regex = re('x'), needs = 'x' } })\n"
		   "assert(not ok and err:find('regex'), err)\n");
	lua_close(L);
}
END_TEST

/* defer: a trigger gives way to a longer scanned match of the kinds
 * starting where it does, for the entries the filter takes; a match of
 * another kind, or one no longer, does not count. */
START_TEST(defer_to_a_longer_match)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local l2 = textmill.gazetteer({ {'Ủy ban', type='WORD', defer='1'}, {'Đội', type='WORD'},\n"
		"  {'Ủy ban Kiểm tra', type='BODY'}, {'Đội Kiểm tra', type='BODY'}, {'Ủy ban Nhân dân', type='OTHER'},\n"
		"  {'Ủy ban', type='BODY'} }, { overlaps = true })\n"
		"local text = 'Ủy ban Kiểm tra họp, Ủy ban Nhân dân, Ủy ban và Đội Kiểm tra.'\n"
		"local function words(defer)\n"
		"  local e = engine({ { type = 'X', on = { 'WORD' }, defer = defer } }, { lexicon = l2 })\n"
		"  e:begin(text)\n"
		"  local t = {}\n"
		"  for i, c in ipairs(e:find()) do t[i] = c.value .. '@' .. c.start end\n"
		"  return table.concat(t, ' ')\n"
		"end\n"
		"local function at(s) return s .. '@' .. text:find(s, 1, true) end\n"
		"local nhan, lone = text:find('Ủy ban Nhân', 1, true), text:find('Ủy ban và', 1, true)\n"
		"local ban = text:find('Đội Kiểm', 1, true)\n"
		"eq(words(nil), 'Ủy ban@1 Ủy ban@' .. nhan .. ' Ủy ban@' .. lone .. ' Đội@' .. ban)\n"
		/* only the entries marked defer give way: Đội stays */
		"eq(words({ kinds = { BODY = true }, entry = { defer = true } }),\n"
		"   'Ủy ban@' .. nhan .. ' Ủy ban@' .. lone .. ' Đội@' .. ban)\n"
		/* a set alone: every trigger gives way */
		"eq(words({ BODY = true }), 'Ủy ban@' .. nhan .. ' Ủy ban@' .. lone)\n"
		"eq(words({ OTHER = true }), 'Ủy ban@1 Ủy ban@' .. lone .. ' Đội@' .. ban)\n"
		"eq(words({ kinds = { BODY = true, OTHER = true } }), 'Ủy ban@' .. lone)\n"
		"local function fails(d, what)\n"
		"  local ok, err = pcall(engine, { { type = 'X', on = { 'WORD' }, defer = d } }, { lexicon = l2 })\n"
		"  assert(not ok and err:find(what, 1, true), tostring(err))\n"
		"end\n"
		"fails({ NOPE = true }, 'defer: NOPE is not a type the pack scans')\n"
		"fails({ kinds = { NOPE = true } }, 'defer.kinds: NOPE is not a type')\n"
		"fails('BODY', 'defer must be a set of scanned types')\n"
		"fails({ kinds = { BODY = true }, entry = 'x' }, 'defer.entry must be a table')\n"
		"local ok, err = pcall(engine, { { type = 'X', regex = re('a'), defer = { NUMBER = true } } })\n"
		"assert(not ok and err:find('on a rule with `on`', 1, true), err)\n");
	lua_close(L);
}
END_TEST

/* The text and kinds sets the lookups without tables are checked on. */
#define LOOKUP_SETUP                                                                                                  \
	"local e = engine({})\n"                                                                                      \
	"local text = 'ông Quốc phòng, Bộ Quốc phòng ở Điện Biên ngày 14/12 và Hòa Bình 7 ông'\n" \
	"e:begin(text)\n"                                                                                             \
	"local sets = { { ORG = true }, { TOPIC = true, ORG = true }, { HONORIFIC = true },\n"                        \
	"  { NUMBER = true, NUM_DM = true }, { PROVINCE = true } }\n"

/* starting_stop answers what starting's table holds, stop and an attr,
 * at every position, for several kinds sets, with no table. */
START_TEST(starting_stop_as_starting)
{
	lua_State *L = engine_lua();
	run_lua(L, LOOKUP_SETUP "local found, keyed = 0, 0\n"
				"for _, kinds in ipairs(sets) do\n"
				"  for pos = -1, #text + 2 do\n"
				"    local x = e:starting(pos, kinds)\n"
				"    local stop, gender = e:starting_stop(pos, kinds, 'gender')\n"
				"    eq(stop, x and x.stop)\n"
				"    eq(gender, x and x.attrs and x.attrs.gender)\n"
				"    eq(select('#', e:starting_stop(pos, kinds)), 1)\n"
				"    eq(e:starting_stop(pos, kinds), stop)\n"
				"    if x then found = found + 1 end\n"
				"    if gender then keyed = keyed + 1 end\n"
				"  end\n"
				"end\n"
				"eq(found, 10)\n"
				"eq(keyed, 2)\n"
				/* a table with `engine` as self, as a rule's context */
				"local cx = { engine = e }\n"
				"eq(e.starting_stop(cx, 1, { HONORIFIC = true }, 'value'), 4)\n");
	lua_close(L);
}
END_TEST

/* ending_start and just_before_start answer what ending's and
 * just_before's tables hold, start and an attr, at every position, for
 * several kinds sets, with no table. */
START_TEST(start_lookups_as_tables)
{
	lua_State *L = engine_lua();
	run_lua(L,
		LOOKUP_SETUP "local found, keyed = { ending = 0, just_before = 0 }, { ending = 0, just_before = 0 }\n"
			     "for _, name in ipairs({ 'ending', 'just_before' }) do\n"
			     "  local whole, start_of = e[name], e[name .. '_start']\n"
			     "  for _, kinds in ipairs(sets) do\n"
			     "    for pos = -1, #text + 2 do\n"
			     "      local x = whole(e, pos, kinds)\n"
			     "      local start, gender = start_of(e, pos, kinds, 'gender')\n"
			     "      eq(start, x and x.start)\n"
			     "      eq(gender, x and x.attrs and x.attrs.gender)\n"
			     "      eq(select('#', start_of(e, pos, kinds)), 1)\n"
			     "      eq(start_of(e, pos, kinds), start)\n"
			     "      if x then found[name] = found[name] + 1 end\n"
			     "      if gender then keyed[name] = keyed[name] + 1 end\n"
			     "    end\n"
			     "  end\n"
			     "end\n"
			     "assert(found.ending > 0 and keyed.ending > 0, 'ending found nothing')\n"
			     "assert(found.just_before > 0 and keyed.just_before > 0, 'just_before found nothing')\n"
			     /* a table with `engine` as self, as a rule's context */
			     "local cx = { engine = e }\n"
			     "eq(e.ending_start(cx, 4, { HONORIFIC = true }, 'value'), 1)   -- ông: 4 bytes\n"
			     "eq(e.just_before_start(cx, 6, { HONORIFIC = true }), 1)\n");
	lua_close(L);
}
END_TEST

/* Methods and a view's fields check what they are given: an engine, a
 * view, not each other nor another userdata (a gazetteer, a file). */
START_TEST(wrong_self)
{
	lua_State *L = engine_lua();
	run_lua(L, "local e = engine({ { type = 'X', on = { 'NUMBER' },\n"
		   "  value = function(m) mt = getmetatable(m); view = m; return 1 end } })\n"
		   "local ok, err = pcall(e.starting, {}, 1)\n"
		   "assert(not ok and err:find('textmill.engine expected'), err)\n"
		   "e:begin('5'); e:find()\n"
		   "ok, err = pcall(mt.__index, e, 'text')\n"
		   "assert(not ok and err:find('textmill.match expected'), err)\n"
		   "ok, err = pcall(mt.__newindex, io or {}, 'start', 1)\n"
		   "assert(not ok and err:find('textmill.match expected'), err)\n"
		   "for _, other in ipairs({ textmill.gazetteer({ 'Nam' }), io.stdout, view }) do\n"
		   "  ok, err = pcall(e.starting, other, 1)\n"
		   "  assert(not ok and err:find('textmill.engine expected'), err)\n"
		   "  ok, err = pcall(e.begin, other, '5')\n"
		   "  assert(not ok and err:find('textmill.engine expected'), err)\n"
		   "  ok, err = pcall(e.counts, other)\n"
		   "  assert(not ok and err:find('textmill.engine expected'), err)\n"
		   "  if other ~= view then\n"
		   "    ok, err = pcall(mt.__index, other, 'text')\n"
		   "    assert(not ok and err:find('textmill.match expected'), err)\n"
		   "  end\n"
		   "end\n");
	lua_close(L);
}
END_TEST

/* The scan's order on a long text (offsets past 65,536: more bytes of
 * the sort's keys differ): by start, the longer first, and for one span
 * found twice the order it was scanned in (the lexicon's, then each token
 * regex's in turn); ending() finds each match by its end. */
START_TEST(scan_order_on_a_long_text)
{
	lua_State *L = engine_lua();
	run_lua(L, "local e = engine({}, { tokens = {\n"
		   "  { type = 'NUMBER', regex = re('[0-9]+(?:/[0-9]+)*') },\n"
		   "  { type = 'DIGITS', regex = re('[0-9]+') } } })\n"
		   "local parts = {}\n"
		   "for i = 1, 10000 do parts[i] = (i % 7 == 0) and ('Điện Biên ' .. i .. '/' .. (i % 12 + 1))\n"
		   "  or ('x ' .. (i * 7919 % 100000)) end\n"
		   "local text = table.concat(parts, ' ')\n"
		   "assert(#text > 70000)\n"
		   "e:begin(text)\n"
		   "local all = e:scanned()\n"
		   "local rank = { PROVINCE = 1, NUMBER = 2, NUM_DM = 2, DIGITS = 3 }\n"
		   "for i = 2, #all do\n"
		   "  local a, b = all[i - 1], all[i]\n"
		   "  local ok = a.start < b.start or (a.start == b.start and (a.stop > b.stop or\n"
		   "    (a.stop == b.stop and rank[a.type] <= rank[b.type])))\n"
		   "  if not ok then error(('out of order at %d: %d-%d %s, %d-%d %s'):format(i,\n"
		   "    a.start, a.stop, a.type, b.start, b.stop, b.type)) end\n"
		   "end\n"
		   "local D = { DIGITS = true }\n"
		   "local n = 0\n"
		   "for _, m in ipairs(all) do\n"
		   "  if m.type == 'DIGITS' then\n"
		   "    n = n + 1\n"
		   "    eq(e:ending(m.stop, D).start, m.start)\n"
		   "  end\n"
		   "end\n"
		   "assert(n > 10000, n)\n");
	lua_close(L);
}
END_TEST

/* The token scan skips to the next ASCII digit, eight bytes at a time,
 * for a regex whose matches can only start at one (PCRE2's start bitmap
 * says so): the matches are those of re:gmatch, for such a pattern (the
 * pack's NUMBER, lookbehind and all) and for ones that take the ordinary
 * way (a dot may start, \d of other scripts), on texts with digits at
 * every offset within eight bytes, after letters of one to three bytes,
 * in the last bytes, and none at all. */
START_TEST(token_scan_skips_to_digits)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local pats = { N = '(?<![\\\\p{L}0-9.,])[0-9]+(?:[.,:/\\\\-][0-9]+)*', D = '[0-9]+',\n"
		"  P = '[0-9.]+', U = '\\\\d+' }\n"
		"local tokens = {}\n"
		"for name, p in pairs(pats) do tokens[#tokens + 1] = { type = name, regex = re(p) } end\n"
		"table.sort(tokens, function(a, b) return a.type < b.type end)\n"
		"local e = engine({}, { tokens = tokens })\n"
		"local pieces = { 'a', 'Đ', 'ố', 'ặng ', ' ', '.', ',', '/', '-', '7', '12', '3.5', "
		"'x9', '30', '٣', '\\n', 'ngày ', '€' }\n"
		"math.randomseed(16)\n"
		"local texts = { '', 'no digit in this text at all', '1', 'abcdefgh9', 'abcdefg9', "
		"string.rep('ư', 40) .. '5' }\n"
		"for d = 0, 9 do\n"
		"  for i = 0, 16 do texts[#texts + 1] = string.rep('x', i) .. d .. ' ' .. string.rep('ồ', i) .. d end\n"
		"end\n"
		"for i = 1, 300 do\n"
		"  local t = {}\n"
		"  for j = 1, math.random(1, 60) do t[j] = pieces[math.random(#pieces)] end\n"
		"  texts[#texts + 1] = table.concat(t)\n"
		"end\n"
		"local n = 0\n"
		"for _, text in ipairs(texts) do\n"
		"  e:begin(text)\n"
		"  local got, want = {}, {}\n"
		"  for _, m in ipairs(e:scanned()) do\n"
		"    got[m.type] = (got[m.type] or '') .. m.start .. '-' .. m.stop .. ' '\n"
		"  end\n"
		"  for name, p in pairs(pats) do\n"
		"    for s, t in re(p):gmatch(text) do\n"
		"      want[name] = (want[name] or '') .. s .. '-' .. t .. ' '\n"
		"      n = n + 1\n"
		"    end\n"
		"    eq(got[name] or '', want[name] or '')\n"
		"  end\n"
		"end\n"
		"assert(n > 1000, n)\n");
	lua_close(L);
}
END_TEST

/* entry_attrs: a lexicon entry's attrs made by a function once per entry
 * (not per match, nor per document), merged over the rule's and the
 * entry's; each candidate gets its own copy. A misuse is refused when the
 * engine is built. */
START_TEST(entry_attrs_once_per_entry)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local calls = 0\n"
		"local e = engine({ { type = 'H', on = { 'HONORIFIC' }, attrs = { rule = 'r', gender = 'x' },\n"
		"  entry_attrs = function(a) calls = calls + 1; return { kind = 'hon', g = a.gender } end } })\n"
		"for _, text in ipairs({ 'ông A và ông B', 'ông C' }) do\n"
		"  e:begin(text)\n"
		"  for _, c in ipairs(e:find()) do\n"
		"    eq(c.value, 'ông')\n"
		"    eq(c.attrs.kind .. c.attrs.g .. c.attrs.gender .. c.attrs.rule, 'honmmr')\n"
		"    c.attrs.kind = 'changed'  -- a copy: the next match is not changed\n"
		"  end\n"
		"end\n"
		"eq(calls, 1)\n"
		"local ok, err = pcall(engine, { { type = 'H', on = { 'HONORIFIC' }, entry_attrs = 1 } })\n"
		"assert(not ok and err:find('entry_attrs must be a function'), err)\n"
		"ok, err = pcall(engine, { { type = 'H', on = { 'HONORIFIC' }, entry_attrs = print,\n"
		"  value = function() return 1 end } })\n"
		"assert(not ok and err:find('no value'), err)\n"
		"local bad = engine({ { type = 'H', on = { 'HONORIFIC' }, entry_attrs = function() return 'x' end,\n"
		"  name = 'bad' } })\n"
		"bad:begin('ông A')\n"
		"ok, err = pcall(bad.find, bad)\n"
		"assert(not ok and err:find('rule bad: entry_attrs must return a table or nil, not string', 1, true), err)\n");
	lua_close(L);
}
END_TEST

/* reach: how many bytes a rule's conditions read on their side; a phrase
 * further back is not seen. Out of 1..80 is refused. */
START_TEST(reach_of_conditions)
{
	lua_State *L = engine_lua();
	run_lua(L, "local function rule(reach) return { type = 'N', on = { 'NUMBER' }, reach = reach,\n"
		   "  before = re('(?:ngày)\\\\s*$'), not_after = re('\\\\G\\\\s*(?:km)') } end\n"
		   "local text = 'ngày        15 và ngày 16 km'\n"
		   "local e = engine({ rule() })\n"
		   "e:begin(text)\n"
		   "eq(show(e:find()), '14-15:N=nil')\n"
		   "e = engine({ rule(8) })\n"
		   "e:begin(text)\n"
		   "eq(show(e:find()), '')  -- ngày ends 8 spaces before 15: out of reach\n"
		   "local ok, err = pcall(engine, { { type = 'N', on = { 'NUMBER' }, reach = 81 } })\n"
		   "assert(not ok and err:find('reach must be a number of bytes from 1 to 80'), err)\n");
	lua_close(L);
}
END_TEST

/* e:word_before and e:upper_at answer as textmill.lower(textmill.word_before)
 * and textmill.is_upper do, at every position, also once the engine's
 * store of lowered words has filled and started again. */
/* e:lookups(): each lookup method bound to e answers as e's own method,
 * for a self that is any table (with no `engine`, or another's). */
START_TEST(lookups_bound)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local e, other = engine({}), engine({})\n"
		"local text = 'ông ở Điện Biên và Hòa Bình, Bộ Quốc phòng'\n"
		"e:begin(text); other:begin('Hòa Bình')\n"
		"local b = e:lookups()\n"
		"local names = { 'scanned', 'each_scanned', 'starting', 'starting_stop', 'ending', 'ending_start',\n"
		"  'just_before', 'just_before_start', 'just_after', 'covering', 'covering_span', 'first_start',\n"
		"  'upper_at', 'word_before' }\n"
		"local n = 0\n"
		"for _ in pairs(b) do n = n + 1 end\n"
		"eq(n, #names)\n"
		"local K = { PROVINCE = true, ORG = true, TOPIC = true }\n"
		"for _, self in ipairs({ {}, { engine = other } }) do\n"
		"  eq(show(b.scanned(self, K)), show(e:scanned(K)))\n"
		"  for pos = 1, #text + 1 do\n"
		"    if ((text:byte(pos) or 0) & 0xC0) ~= 0x80 then\n"
		"      eq(b.starting_stop(self, pos, K), e:starting_stop(pos, K))\n"
		"      eq(b.ending_start(self, pos, K), e:ending_start(pos, K))\n"
		"      eq(b.just_before_start(self, pos, K), e:just_before_start(pos, K))\n"
		"      eq(b.first_start(self, pos, #text, K), e:first_start(pos, #text, K))\n"
		"      eq(b.covering_span(self, pos, pos, K), e:covering_span(pos, pos, K))\n"
		"      eq(b.upper_at(self, pos), e:upper_at(pos))\n"
		"      eq(b.word_before(self, pos), e:word_before(pos))\n"
		"    end\n"
		"  end\n"
		"end\n"
		/* lookups of something that is no engine */
		"local ok, err = pcall(e.lookups, {})\n"
		"assert(not ok and err:find('textmill.engine expected', 1, true), err)\n");
	lua_close(L);
}
END_TEST

START_TEST(word_before_and_upper_at)
{
	lua_State *L = engine_lua();
	run_lua(L, "local e = engine({})\n"
		   "local function same(text)\n"
		   "  e:begin(text)\n"
		   "  for pos = -1, #text + 2 do\n"
		   "    eq(e:upper_at(pos), textmill.is_upper(text, pos))\n"
		   "    if ((text:byte(pos) or 0) & 0xC0) ~= 0x80 then  -- at a character\n"
		   "      local w = textmill.word_before(text, pos)\n"
		   "      eq(e:word_before(pos), w == '' and '' or textmill.lower(w))\n"
		   "      eq(e.word_before({ engine = e }, pos), e:word_before(pos))\n"
		   "    end\n"
		   "  end\n"
		   "end\n"
		   "same('Ở huyện Mường Chà, ĐIỆN BIÊN , 42 người và QUÂN KHU 2,,  ')\n"
		   "same(string.rep('Đ', 30) .. ' x')\n"
		   "same(' ,Ab')\n"
		   "local words = {}\n"
		   "for i = 1, 50200 do words[i] = 'Ư' .. i end\n"
		   "local text = table.concat(words, ' ')\n"
		   "e:begin(text)\n"
		   "local pos = 1\n"
		   "for i = 1, #words do\n"
		   "  pos = pos + #words[i] + 1\n"
		   "  eq(e:word_before(pos), 'ư' .. i)\n"
		   "end\n"
		   "-- a position inside a character cuts it: an error, as textmill.lower's\n"
		   "e:begin('Đà')\n"
		   "local ok, err = pcall(e.word_before, e, 2)\n"
		   "assert(not ok and err:find('word_before: cannot lower', 1, true), err)\n"
		   "assert(not pcall(textmill.lower, textmill.word_before('Đà', 2)))\n"
		   "-- a context table with no engine, or something else, is refused\n"
		   "for _, self in ipairs { {}, { engine = 1 }, 'x' } do\n"
		   "  ok, err = pcall(e.word_before, self, 1)\n"
		   "  assert(not ok and err:find('textmill.engine expected', 1, true), err)\n"
		   "end\n");
	lua_close(L);
}
END_TEST

/* e:counts(): per rule, the matches it was tried at, those that passed its
 * C tests, those value() refused and the candidates resolution kept,
 * added up over documents; an unresolved find keeps none. */
START_TEST(counts_per_rule)
{
	lua_State *L = engine_lua();
	run_lua(L,
		"local e = engine({\n"
		"  { type = 'EVEN', name = 'even', on = { 'NUMBER' }, shape = re('\\\\G[0-9]*[02468]\\\\z'),\n"
		"    value = function(m) local n = tonumber(m.text); if n > 100 then return false end; return n end },\n"
		"  { type = 'NUM', name = 'num', on = { 'NUMBER' }, anchored = re('\\\\G people') },\n"
		"  { type = 'PAIR', name = 'pair', regex = re('[0-9]+ [0-9]+') },\n"
		"  { type = 'P', gazetteer = textmill.gazetteer({ {'Ha Noi'} }) },\n"
		"})\n"
		"local function counts()\n"
		"  local t = {}\n"
		"  for i, c in ipairs(e:counts()) do\n"
		"    t[i] = ('%s:%d/%d/%d/%d'):format(tostring(c.rule), c.seen, c.passed, c.refused, c.kept)\n"
		"  end\n"
		"  return table.concat(t, ' ')\n"
		"end\n"
		"eq(counts(), 'even:0/0/0/0 num:0/0/0/0 pair:0/0/0/0 nil:0/0/0/0')\n"
		/* four numbers: 2, 4 and 200 pass the shape, 200 is refused; NUM
		 * is 4 people, longer than PAIR and EVEN 4, which it overlaps */
		"e:begin('in Ha Noi 2 4 people, 200 and 7')\n"
		"eq(show(e:find()), '4-9:P=Ha Noi 11-11:EVEN=2 13-20:NUM=nil')\n"
		"eq(counts(), 'even:4/3/1/1 num:4/1/0/1 pair:1/1/0/0 nil:1/1/0/1')\n"
		/* added up over documents */
		"e:begin('8')\n"
		"eq(show(e:find()), '1-1:EVEN=8')\n"
		"eq(counts(), 'even:5/4/1/2 num:5/1/0/1 pair:1/1/0/0 nil:1/1/0/1')\n"
		/* every candidate, unresolved: tried and passed, none kept */
		"eq(#e:find(nil, nil, true), 1)\n"
		"eq(counts(), 'even:6/5/1/2 num:6/1/0/1 pair:1/1/0/0 nil:1/1/0/1')\n"
		/* a value() that raises: the match it was called for passed, and
		 * was neither refused nor kept; the engine counts on after it */
		"local bad = engine({ { type = 'X', name = 'x', on = { 'NUMBER' },\n"
		"  value = function(m) if m.text == '13' then error('no 13') end; return 1 end } })\n"
		"bad:begin('12 13')\n"
		"local ok, err = pcall(bad.find, bad)\n"
		"assert(not ok and err:find('no 13'), err)\n"
		"local c = bad:counts()[1]\n"
		"eq(c.seen .. '/' .. c.passed .. '/' .. c.refused .. '/' .. c.kept, '2/2/0/0')\n"
		"bad:begin('12'); eq(#bad:find(), 1)\n"
		"c = bad:counts()[1]\n"
		"eq(c.seen .. '/' .. c.passed .. '/' .. c.refused .. '/' .. c.kept, '3/3/0/1')\n"
		/* counts read from inside a value(): what is counted so far */
		"local inner\n"
		"local me\n"
		"me = engine({ { type = 'Y', name = 'y', on = { 'NUMBER' },\n"
		"  value = function() inner = me:counts()[1].passed; return 1 end } })\n"
		"me:begin('1 2'); me:find(); eq(inner, 2)\n");
	lua_close(L);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("engine");
	tcase_add_test(tc, scan_and_lookups);
	tcase_add_test(tc, rules_see_a_view);
	tcase_add_test(tc, value_moves_and_discards);
	tcase_add_test(tc, value_args_as_fields);
	tcase_add_test(tc, value_args_return_the_span);
	tcase_add_test(tc, values_kept_across_documents);
	tcase_add_test(tc, conditions_and_shapes);
	tcase_add_test(tc, entry_filter);
	tcase_add_test(tc, overlaps_by_rank_and_layer);
	tcase_add_test(tc, many_candidates_in_order);
	tcase_add_test(tc, regex_and_gazetteer_rules);
	tcase_add_test(tc, value_reenters);
	tcase_add_test(tc, find_by_type_groups_find);
	tcase_add_test(tc, compile_errors);
	tcase_add_test(tc, errors_in_value_leave_it_usable);
	tcase_add_test(tc, wrong_self);
	tcase_add_test(tc, follows_a_kind);
	tcase_add_test(tc, rule_names_as_made);
	tcase_add_test(tc, needs_gates_a_rule);
	tcase_add_test(tc, defer_to_a_longer_match);
	tcase_add_test(tc, starting_stop_as_starting);
	tcase_add_test(tc, start_lookups_as_tables);
	tcase_add_test(tc, scan_order_on_a_long_text);
	tcase_add_test(tc, token_scan_skips_to_digits);
	tcase_add_test(tc, entry_attrs_once_per_entry);
	tcase_add_test(tc, reach_of_conditions);
	tcase_add_test(tc, word_before_and_upper_at);
	tcase_add_test(tc, lookups_bound);
	tcase_add_test(tc, counts_per_rule);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
