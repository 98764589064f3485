/* capital_runs.h -- the scan behind textmill.capital_runs and the test
 * behind textmill.small_word (lua_runs.c), for the module's C steps. */
#ifndef TM_LUA_CAPITAL_RUNS_H
#define TM_LUA_CAPITAL_RUNS_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

#include "tml_match.h"

/* Raise "who: ..." unless re is anchored (\G) and s[0..len) valid UTF-8
 * (the document's text, which the host checked, is not read again). */
void tml_capital_runs_check(lua_State *L, const char *who, tml_regex *re, const char *s, size_t len);

/* The next run from *at on (a character boundary): a match of re at a
 * place where two capitalised words start, as textmill.capital_runs gives
 * them. 1 with the match in [*s, *e) and *at where the next is sought, 0
 * when none is left. A matching error is a Lua error. */
int tml_capital_run_next(lua_State *L, tml_regex *re, const char *text, size_t len, size_t *at, size_t *s, size_t *e);

/* Is s[0, len) one or more small letters: a-z, or letters of the blocks
 * whose capitals the scan tells apart (Latin-1, Latin Extended-A, ơ, ư,
 * Latin Extended Additional) that are not capitals? textmill.small_word. */
bool tml_small_word(const char *s, size_t len);

#endif
