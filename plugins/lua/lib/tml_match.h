/* tml_match.h -- the inside of textmill.regex and textmill.gazetteer
 * objects, for C code of the module that matches with them directly
 * (the rule engine, lua_engine.c) instead of through their Lua methods. */
#ifndef TML_MATCH_H
#define TML_MATCH_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>

#include "gazetteer.h"
#include "tml_core.h"

typedef struct tml_regex {
	pcre2_code *code;
	pcre2_match_data *md; /* the last match's captures */
	uint32_t groups;
	char *pattern;
	tml_state *ts;
	size_t counted;                /* the pattern text and JIT code, counted to ts */
	bool start_usable;             /* may long scans skip to where a match can start (regex_start.c) */
	bool end_anchored;             /* the pattern ends in $, \z or \Z: yes-or-no tests run backward */
	bool jit_direct;               /* JIT code, and no (*NOTEMPTY...) at its start: regex_start.c's match() */
	struct tml_regex_start *start; /* what was learned of which characters can */
} tml_regex;

/* The regex at idx, or a Lua error. */
tml_regex *tml_regex_check(lua_State *L, int idx);
/* The regex at idx, or NULL when the value there is none. */
tml_regex *tml_regex_test(lua_State *L, int idx);

/* Match re on s[0..len) at or after off (a character boundary) with the
 * PCRE2 options opts; 1 on a match (captures in re->md), 0 on none, a Lua
 * error on a matching error (naming the pattern). */
int tml_regex_exec(lua_State *L, tml_regex *re, const char *s, size_t len, size_t off, uint32_t opts);

/* The same on the bytes [from, to) of s alone, read in place: the match
 * starts at or after from and ends by to, where `$` matches; lookbehind
 * may see the text before from. A window cut inside a character is
 * narrowed to whole characters. */
int tml_regex_in(lua_State *L, tml_regex *re, const char *s, size_t len, size_t from, size_t to, uint32_t opts);

/* Whether re matches in the bytes [from, to) of s as tml_regex_in has it:
 * 1 or 0 (re->md then holds some match, not always the first). */
int tml_regex_test_in(lua_State *L, tml_regex *re, const char *s, size_t len, size_t from, size_t to, uint32_t opts);

/* regex_start.c. Whether scans of the compiled pattern may skip to where
 * a match can start: PCRE2 knows no first byte for it, and nothing in it
 * looks at the text before a match in a way a test of one character
 * could miss. */
bool tml_regex_start_usable(const pcre2_code *code, const char *pattern);

/* pcre2_match of re on s[0..len) at or after off with the options opts,
 * its return code; where re is usable so, opts hold PCRE2_NO_UTF_CHECK and
 * the subject is long, by skipping characters that cannot start a match,
 * learning them as they come. */
int tml_regex_start_match(tml_regex *re, const char *s, size_t len, size_t off, uint32_t opts);

/* Whether a match of re is found in s[0..len) at or after off, as
 * pcre2_match's return code; a short subject of a pattern that is usable
 * so and ends at the subject's end is searched from its end backward, and
 * the match found is then the one that starts last. */
int tml_regex_start_test_back(tml_regex *re, const char *s, size_t len, size_t off, uint32_t opts);

/* Whether the pattern's text ends in $, \z or \Z (unescaped). */
bool tml_regex_end_anchored(const char *pattern);

/* Free what tml_regex_start_skip learned. */
void tml_regex_start_free(tml_regex *re);

/* The number of the capture called name, or -1. */
int tml_regex_group(const tml_regex *re, const char *name);

/* A gazetteer object: the automaton, its search scratch and mode. Its
 * entries' keys, types, values and attrs are the userdata's user values
 * TML_GAZ_KEYS .. TML_GAZ_ATTRS, Lua arrays indexed by payload (1..n). */
typedef struct tml_gazetteer {
	gazetteer *g;
	gazetteer_scratch sc;
	int mode;
	tml_state *ts;
	size_t counted; /* C memory counted to ts: the automaton and the scratch */
} tml_gazetteer;

enum { TML_GAZ_KEYS = 1, TML_GAZ_TYPES, TML_GAZ_VALUES, TML_GAZ_ATTRS };

/* The gazetteer at idx, or a Lua error. */
tml_gazetteer *tml_gazetteer_check(lua_State *L, int idx);

/* Search g over text[from..len) into its scratch (g->sc.m[0..n)), counting
 * the scratch's growth to the state; a Lua error ("who: ...") on invalid
 * UTF-8 or out of memory. */
void tml_gazetteer_search(lua_State *L, tml_gazetteer *g, const char *who, const char *text, size_t len, size_t from);

/* The matches of a gazetteer in a document's text, found ahead of its Lua
 * work (tml_state's ahead), with what says which gazetteers they stand
 * for: those built the same way (gazetteer_fingerprint) searching in the
 * same mode. */
typedef struct tml_ahead {
	uint64_t print;
	int mode;
	size_t n;
	gazetteer_match m[]; /* as gazetteer_search gives them */
} tml_ahead;

/* g's matches in text[0..len), or NULL when the search fails (invalid
 * UTF-8, out of memory: the document's own search then says so). Needs no
 * Lua state: another thread may run it while g's state is idle. */
tml_ahead *tml_ahead_find(const tml_gazetteer *g, const char *text, size_t len);

/* The matches found ahead that stand for g's in text[0..len), or NULL:
 * text is not the document's or they were found by another gazetteer. */
const tml_ahead *tml_gazetteer_ahead(const tml_gazetteer *g, const char *text, size_t len);

#endif
