/* lua_regex.c -- textmill.regex: PCRE2 patterns for Lua, compiled once
 * and JIT-compiled, matching UTF-8 with Unicode classes. Positions follow
 * Lua: 1-based, stop inclusive. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tml_core.h"
#include "textops.h"
#include "tml_match.h"
#include "tone_pattern.h"

#define REGEX_MT "textmill.regex"

typedef tml_regex regex;

/* PCRE2 allocates through these, so compiled code and match data (and
 * the frames of a match without JIT) count against the state's memory.
 * Each block starts with its size: PCRE2's free does not pass it. */
#define BLOCK_HEADER sizeof(max_align_t)

static void *counted_malloc(PCRE2_SIZE size, void *data)
{
	size_t total = size + BLOCK_HEADER;
	if (total < size || tml_take(data, total))
		return NULL;
	size_t *p = malloc(total);
	if (!p) {
		tml_give(data, total);
		return NULL;
	}
	*p = total;
	return (char *)p + BLOCK_HEADER;
}

static void counted_free(void *ptr, void *data)
{
	if (!ptr)
		return;
	size_t *p = (size_t *)((char *)ptr - BLOCK_HEADER);
	tml_give(data, *p);
	free(p);
}

static regex *check_regex(lua_State *L, int idx)
{
	regex *re = tml_checkudata(L, idx, REGEX_MT);
	if (!re->code) /* reached again from a finalizer (trusted scripts) */
		luaL_error(L, "textmill.regex: used after being collected");
	return re;
}

tml_regex *tml_regex_check(lua_State *L, int idx) { return check_regex(L, idx); }

tml_regex *tml_regex_test(lua_State *L, int idx)
{
	regex *re = luaL_testudata(L, idx, REGEX_MT);
	if (re && !re->code)
		luaL_error(L, "textmill.regex: used after being collected");
	return re;
}

/* The PCRE2 options of flags; *as_written is set by 't'. */
static uint32_t parse_flags(lua_State *L, const char *flags, bool *as_written)
{
	/* No \C: it matches one byte even in UTF mode, so a match could
	 * start or end inside a character. */
	uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C;
	*as_written = false;
	for (const char *f = flags; *f; f++) {
		switch (*f) {
		case 'i': opts |= PCRE2_CASELESS; break;
		case 'm': opts |= PCRE2_MULTILINE; break;
		case 's': opts |= PCRE2_DOTALL; break;
		case 'x': opts |= PCRE2_EXTENDED; break;
		case 't': *as_written = true; break;
		case 'u': break; /* always on */
		default: luaL_error(L, "textmill.regex: unknown flag '%c' in \"%s\" (flags: i m s x t)", *f, flags);
		}
	}
	return opts;
}

/* The pattern PCRE2 compiles: pat with its oa, oe and uy pairs written in
 * both tone placements (tone_pattern.h), so that a rule finds hòa and hoà
 * whatever clean.normalize's tone_marks left in the text, pushed on the
 * stack (a string), whose bytes *len counts; pat itself when nothing is
 * rewritten or with the flag 't'. */
static const char *both_placements(lua_State *L, const char *pat, size_t *len, uint32_t opts, bool as_written)
{
	char *both = NULL;
	size_t both_len = 0;
	if (!as_written && tone_pattern_both(pat, *len, opts & PCRE2_EXTENDED, &both, &both_len))
		luaL_error(L, "textmill.regex: not enough memory for \"%s\"", pat);
	if (!both)
		return pat;
	lua_pushlstring(L, both, both_len);
	free(both);
	*len = both_len;
	return lua_tostring(L, -1);
}

static int regex_new(lua_State *L)
{
	size_t len;
	const char *pat = luaL_checklstring(L, 1, &len);
	bool as_written;
	uint32_t opts = parse_flags(L, luaL_optstring(L, 2, ""), &as_written);
	pat = both_placements(L, pat, &len, opts, as_written);
	regex *re = lua_newuserdatauv(L, sizeof *re, 0);
	memset(re, 0, sizeof *re);
	luaL_setmetatable(L, REGEX_MT);
	re->ts = tml_get_state(L);
	int err = PCRE2_ERROR_HEAP_FAILED;
	PCRE2_SIZE off = 0;
	pcre2_general_context *gc = pcre2_general_context_create(counted_malloc, counted_free, re->ts);
	pcre2_compile_context *cc = gc ? pcre2_compile_context_create(gc) : NULL;
	if (cc)
		re->code = pcre2_compile((PCRE2_SPTR)pat, len, opts, &err, &off, cc);
	if (re->code) {
		size_t jit = 0; /* without JIT it still works, slower */
		if (pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0)
			pcre2_pattern_info(re->code, PCRE2_INFO_JITSIZE, &jit);
		/* JIT code is not allocated through gc: count it, and the
		 * pattern's copy, here. */
		/* (*NOTEMPTY) sets options pcre2_match adds at each call, and
		 * pcre2_jit_match does not: such a pattern goes the usual way */
		re->jit_direct = jit > 0 && !strstr(pat, "(*NOTEMPTY");
		if (tml_take(re->ts, jit + len + 1) == 0) {
			re->counted = jit + len + 1;
			re->md = pcre2_match_data_create_from_pattern(re->code, gc);
			re->pattern = re->md ? strdup(pat) : NULL;
		}
	}
	pcre2_compile_context_free(cc);
	pcre2_general_context_free(gc);
	if (!re->code && err != PCRE2_ERROR_HEAP_FAILED) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		return luaL_error(L, "textmill.regex: bad pattern \"%s\" at offset %d: %s", pat, (int)off,
				  (const char *)msg);
	}
	if (!re->pattern)
		return luaL_error(L,
				  "textmill.regex: not enough memory for \"%s\" (compiled patterns count "
				  "against the script's memory budget)",
				  pat);
	pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &re->groups);
	re->start_usable = tml_regex_start_usable(re->code, re->pattern);
	re->end_anchored = tml_regex_end_anchored(re->pattern);
	return 1;
}

static int regex_gc(lua_State *L)
{
	regex *re = tml_checkudata(L, 1, REGEX_MT);
	tml_regex_start_free(re);
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re->pattern);
	tml_give(re->ts, re->counted);
	re->md = NULL, re->code = NULL, re->pattern = NULL, re->counted = 0;
	return 0;
}

static int regex_tostring(lua_State *L)
{
	regex *re = tml_checkudata(L, 1, REGEX_MT);
	lua_pushfstring(L, "regex(%s)", re->pattern ? re->pattern : "?");
	return 1;
}

/* Lua's init convention: 1-based, negative counts from the end. An init
 * inside a character is an error: PCRE2 would start matching there (and,
 * without its UTF-8 check, may read past the text). */
static size_t start_offset(lua_State *L, regex *re, int idx, const char *s, size_t len)
{
	lua_Integer init = luaL_optinteger(L, idx, 1);
	if (init < 0)
		init = (lua_Integer)len + init + 1;
	if (init < 1)
		init = 1;
	size_t off = (size_t)init - 1;
	if (off < len && ((unsigned char)s[off] & 0xC0) == 0x80)
		luaL_error(L, "regex %s: init %I is inside a UTF-8 character (positions count bytes)", re->pattern,
			   init);
	return off;
}

/* Skip PCRE2's UTF-8 check for the document text, which the host checked. */
static uint32_t check_option(lua_State *L, const char *s, size_t len)
{
	return tml_checked_text(tml_get_state(L), s, len) ? PCRE2_NO_UTF_CHECK : 0;
}

/* A matching error (not "no match") raised, naming the pattern. */
static int regex_error(lua_State *L, const regex *re, int rc)
{
	PCRE2_UCHAR msg[256];
	pcre2_get_error_message(rc, msg, sizeof msg);
	return luaL_error(L, "regex %s: %s", re->pattern, (const char *)msg);
}

/* Match at or after off; 1 on a match, 0 on none, raises on errors. */
int tml_regex_exec(lua_State *L, regex *re, const char *s, size_t len, size_t off, uint32_t opts)
{
	if (off > len)
		return 0;
	int rc = tml_regex_start_match(re, s, len, off, opts);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return regex_error(L, re, rc);
	return 1;
}

/* Push captures 1..n (the whole match when there are none); returns count. */
static int push_captures(lua_State *L, regex *re, const char *s, int whole_if_none)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
	if (re->groups == 0) {
		if (!whole_if_none)
			return 0;
		lua_pushlstring(L, s + ov[0], ov[1] - ov[0]);
		return 1;
	}
	luaL_checkstack(L, (int)re->groups, "too many captures");
	for (uint32_t i = 1; i <= re->groups; i++) {
		if (ov[2 * i] == PCRE2_UNSET)
			lua_pushboolean(L, 0); /* an optional group that did not take part */
		else
			lua_pushlstring(L, s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
	}
	return (int)re->groups;
}

/* The common start of find, match, exec and test: re:method(s [, init]).
 * Returns whether it matched; the subject in *s. */
static int search(lua_State *L, regex **re, const char **s)
{
	size_t len;
	*re = check_regex(L, 1);
	*s = luaL_checklstring(L, 2, &len);
	return tml_regex_exec(L, *re, *s, len, start_offset(L, *re, 3, *s, len), check_option(L, *s, len));
}

/* What find, gmatch and find_in give for a match: its start and stop
 * (Lua positions), then its numbered captures. */
static int push_found(lua_State *L, regex *re, const char *s)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
	lua_pushinteger(L, (lua_Integer)ov[0] + 1);
	lua_pushinteger(L, (lua_Integer)ov[1]);
	return 2 + push_captures(L, re, s, 0);
}

static int regex_find(lua_State *L)
{
	regex *re;
	const char *s;
	if (!search(L, &re, &s)) {
		lua_pushnil(L);
		return 1;
	}
	return push_found(L, re, s);
}

static int regex_match(lua_State *L)
{
	regex *re;
	const char *s;
	if (!search(L, &re, &s)) {
		lua_pushnil(L);
		return 1;
	}
	return push_captures(L, re, s, 1);
}

static int regex_test(lua_State *L)
{
	regex *re;
	const char *s;
	lua_pushboolean(L, search(L, &re, &s));
	return 1;
}

/* A match as a table: start, stop, text, captures by number and by name. */
static void push_match_table(lua_State *L, regex *re, const char *s)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
	lua_createtable(L, (int)re->groups, 3);
	lua_pushinteger(L, (lua_Integer)ov[0] + 1);
	lua_setfield(L, -2, "start");
	lua_pushinteger(L, (lua_Integer)ov[1]);
	lua_setfield(L, -2, "stop");
	lua_pushlstring(L, s + ov[0], ov[1] - ov[0]);
	lua_setfield(L, -2, "text");
	/* starts[g] and stops[g]: where each group matched, in Lua positions. */
	lua_createtable(L, (int)re->groups, 0);
	lua_createtable(L, (int)re->groups, 0);
	for (uint32_t i = 1; i <= re->groups; i++) {
		if (ov[2 * i] == PCRE2_UNSET) {
			lua_pushboolean(L, 0);
		} else {
			lua_pushinteger(L, (lua_Integer)ov[2 * i] + 1);
			lua_rawseti(L, -3, i);
			lua_pushinteger(L, (lua_Integer)ov[2 * i + 1]);
			lua_rawseti(L, -2, i);
			lua_pushlstring(L, s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
		}
		lua_rawseti(L, -4, i);
	}
	lua_setfield(L, -3, "stops");
	lua_setfield(L, -2, "starts");
	uint32_t names, entry;
	PCRE2_SPTR table;
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMECOUNT, &names);
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMETABLE, &table);
	for (uint32_t i = 0; i < names; i++) {
		PCRE2_SPTR e = table + i * entry;
		uint32_t group = (uint32_t)(e[0] << 8 | e[1]);
		const char *name = (const char *)e + 2;
		lua_rawgeti(L, -1, group);
		lua_setfield(L, -2, name);
		static const char *const pos[] = {"starts", "stops"};
		for (int k = 0; k < 2; k++) {
			lua_getfield(L, -1, pos[k]);
			lua_rawgeti(L, -1, group);
			lua_setfield(L, -2, name);
			lua_pop(L, 1);
		}
	}
}

/* What exec and exec_in return: the match's table, or nil. */
static int match_or_nil(lua_State *L, regex *re, const char *s, int matched)
{
	if (matched)
		push_match_table(L, re, s);
	else
		lua_pushnil(L);
	return 1;
}

static int regex_exec(lua_State *L)
{
	regex *re;
	const char *s;
	int matched = search(L, &re, &s);
	return match_or_nil(L, re, s, matched);
}

/* re:test_in(s, from, to) and re:exec_in(s, from, to): the regex on the
 * bytes from..to of s alone (Lua positions, to inclusive), read in place:
 * a rule looks at the text around a match without copying a window out
 * of the document. The match starts at or after from and ends by to, where
 * `$` matches; lookbehind may see the text before from, and `^` is only the
 * start of s (`\G` anchors at from). A window cut inside a character is
 * narrowed to whole characters; an empty one matches only what may be
 * empty. Returns whether it matched (test: any match, else the first);
 * the subject in *s. */
static int search_in(lua_State *L, regex **re, const char **s, bool test)
{
	size_t len;
	*re = check_regex(L, 1);
	*s = luaL_checklstring(L, 2, &len);
	lua_Integer from = luaL_checkinteger(L, 3), to = luaL_checkinteger(L, 4);
	if (from < 1)
		from = 1;
	if (to > (lua_Integer)len)
		to = (lua_Integer)len;
	if (from > to + 1)
		return 0;
	/* A prefix of the checked document, cut at a character, is valid too. */
	uint32_t opts = check_option(L, *s, len);
	if (test)
		return tml_regex_test_in(L, *re, *s, len, (size_t)from - 1, (size_t)to, opts);
	return tml_regex_in(L, *re, *s, len, (size_t)from - 1, (size_t)to, opts);
}

int tml_regex_in(lua_State *L, regex *re, const char *s, size_t len, size_t from, size_t to, uint32_t opts)
{
	return textops_whole_chars(s, len, &from, &to) && tml_regex_exec(L, re, s, to, from, opts);
}

int tml_regex_test_in(lua_State *L, regex *re, const char *s, size_t len, size_t from, size_t to, uint32_t opts)
{
	if (!textops_whole_chars(s, len, &from, &to))
		return 0;
	int rc = tml_regex_start_test_back(re, s, to, from, opts);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return regex_error(L, re, rc);
	return 1;
}

int tml_regex_group(const regex *re, const char *name)
{
	int n = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)name);
	return n > 0 ? n : -1;
}

static int regex_test_in(lua_State *L)
{
	regex *re;
	const char *s;
	lua_pushboolean(L, search_in(L, &re, &s, true));
	return 1;
}

static int regex_exec_in(lua_State *L)
{
	regex *re;
	const char *s;
	int matched = search_in(L, &re, &s, false);
	return match_or_nil(L, re, s, matched);
}

/* textmill.find_in(re, s, from, to): exec_in's search answered as find
 * answers (start, stop, captures, false for a group that took no part),
 * or nil. The date rules ask a lead regex before each number they read and
 * need its start and a capture or two: exec_in's three tables per match
 * (the match, its starts, its stops) cost a few thousand instructions
 * these answers need none of. */
static int regex_find_in(lua_State *L)
{
	regex *re;
	const char *s;
	if (!search_in(L, &re, &s, false)) {
		lua_pushnil(L);
		return 1;
	}
	return push_found(L, re, s);
}

void tml_find_in_register(lua_State *L)
{
	lua_pushcfunction(L, regex_find_in);
	lua_setfield(L, -2, "find_in");
}

/* Where to look after a match: past it, or one character on after an
 * empty match, so the search always advances. */
static size_t next_offset(const char *s, size_t len, const PCRE2_SIZE *ov)
{
	if (ov[1] > ov[0])
		return ov[1];
	size_t p = ov[1] + 1;
	while (p < len && ((unsigned char)s[p] & 0xC0) == 0x80)
		p++;
	return p;
}

static int gmatch_step(lua_State *L)
{
	regex *re = check_regex(L, lua_upvalueindex(1));
	size_t len;
	const char *s = lua_tolstring(L, lua_upvalueindex(2), &len);
	size_t off = (size_t)lua_tointeger(L, lua_upvalueindex(3));
	/* The subject was checked once when the iterator was made. */
	if (!tml_regex_exec(L, re, s, len, off, PCRE2_NO_UTF_CHECK))
		return 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
	lua_pushinteger(L, (lua_Integer)next_offset(s, len, ov));
	lua_replace(L, lua_upvalueindex(3));
	return push_found(L, re, s);
}

static void check_utf8_once(lua_State *L, regex *re, const char *s, size_t len)
{
	size_t valid;
	if (!check_option(L, s, len) && (valid = kit_utf8_valid_prefix(s, len)) != len)
		luaL_error(L, "regex %s: subject is not valid UTF-8 (at byte %d)", re->pattern, (int)valid + 1);
}

static int regex_gmatch(lua_State *L)
{
	regex *re = check_regex(L, 1);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	check_utf8_once(L, re, s, len);
	size_t off = start_offset(L, re, 3, s, len);
	lua_settop(L, 2);
	lua_pushinteger(L, (lua_Integer)off);
	lua_pushcclosure(L, gmatch_step, 3);
	return 1;
}

/* Append the replacement for the match [ms, me) of s. */
static void add_replacement(lua_State *L, luaL_Buffer *b, regex *re, const char *s, size_t ms, size_t me,
			    int repl_idx)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
	int t = lua_type(L, repl_idx);
	if (t == LUA_TSTRING || t == LUA_TNUMBER) {
		size_t rl;
		const char *r = lua_tolstring(L, repl_idx, &rl);
		for (size_t i = 0; i < rl; i++) {
			if (r[i] != '%' || i + 1 >= rl) {
				luaL_addchar(b, r[i]);
				continue;
			}
			char c = r[++i];
			if (c == '%') {
				luaL_addchar(b, '%');
			} else if (c >= '0' && c <= '9') {
				uint32_t g = (uint32_t)(c - '0');
				if (g > re->groups)
					luaL_error(L, "regex %s: replacement refers to %%%c but there are %d groups",
						   re->pattern, c, (int)re->groups);
				if (ov[2 * g] != PCRE2_UNSET)
					luaL_addlstring(b, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
			} else {
				luaL_error(L, "regex %s: invalid use of '%%' in replacement", re->pattern);
			}
		}
		return;
	}
	/* A function is called with the captures, a table indexed with the
	 * first capture (or the whole match); false or nil keeps the text.
	 * The captures are copied out first: the callee may use this regex. */
	if (t == LUA_TFUNCTION) {
		lua_pushvalue(L, repl_idx);
		int n = push_captures(L, re, s, 1);
		lua_call(L, n, 1);
	} else {
		uint32_t g = re->groups ? 1 : 0;
		if (ov[2 * g] == PCRE2_UNSET)
			lua_pushboolean(L, 0);
		else
			lua_pushlstring(L, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
		lua_gettable(L, repl_idx);
	}
	if (!lua_toboolean(L, -1)) {
		lua_pop(L, 1);
		luaL_addlstring(b, s + ms, me - ms);
	} else if (!lua_isstring(L, -1)) {
		luaL_error(L, "regex %s: replacement value is a %s", re->pattern, luaL_typename(L, -1));
	} else {
		luaL_addvalue(b);
	}
}

static int regex_gsub(lua_State *L)
{
	regex *re = check_regex(L, 1);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	int t = lua_type(L, 3);
	luaL_argexpected(L, t == LUA_TSTRING || t == LUA_TNUMBER || t == LUA_TTABLE || t == LUA_TFUNCTION, 3,
			 "string/function/table");
	lua_Integer max = luaL_optinteger(L, 4, -1);
	check_utf8_once(L, re, s, len);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	size_t off = 0, copied = 0;
	lua_Integer n = 0;
	while ((max < 0 || n < max) && tml_regex_exec(L, re, s, len, off, PCRE2_NO_UTF_CHECK)) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
		PCRE2_SIZE m[2] = {ov[0], ov[1]};
		luaL_addlstring(&b, s + copied, m[0] - copied);
		add_replacement(L, &b, re, s, m[0], m[1], 3);
		copied = m[1];
		off = next_offset(s, len, m);
		if (m[1] == m[0] && m[1] < len) { /* keep the character an empty match stepped over */
			luaL_addlstring(&b, s + m[1], off - m[1]);
			copied = off;
		}
		n++;
	}
	if (copied < len)
		luaL_addlstring(&b, s + copied, len - copied);
	luaL_pushresult(&b);
	lua_pushinteger(L, n);
	return 2;
}

void tml_regex_register(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"find", regex_find},       {"match", regex_match},     {"gmatch", regex_gmatch},
		{"gsub", regex_gsub},       {"exec", regex_exec},       {"test", regex_test},
		{"exec_in", regex_exec_in}, {"test_in", regex_test_in}, {NULL, NULL},
	};
	if (luaL_newmetatable(L, REGEX_MT)) {
		luaL_newlib(L, methods);
		lua_setfield(L, -2, "__index");
		lua_pushcfunction(L, regex_gc);
		lua_setfield(L, -2, "__gc");
		lua_pushcfunction(L, regex_tostring);
		lua_setfield(L, -2, "__tostring");
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, regex_new);
	lua_setfield(L, -2, "regex");
}
