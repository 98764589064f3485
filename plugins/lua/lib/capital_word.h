/* capital_word.h -- the test behind textmill.capital_word_before, for C
 * callers and the tests (capital_word.c). */
#ifndef TM_LUA_CAPITAL_WORD_H
#define TM_LUA_CAPITAL_WORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether (?<!\S)\p{Lu}[^\s,.;:!?()]* $ (UTF, UCP) matches in the bytes
 * from..to (0-based, to exclusive) of text[0..len), as textmill.regex's
 * test_in searches a window: 1 or 0; -1 on invalid UTF-8 among the
 * characters read, the byte where it was read in *bad. */
int tml_capital_word_before(const char *text, size_t len, size_t from, size_t to, size_t *bad);

/* textmill.capital_word_before(text, pos, reach): the same on the reach
 * bytes before byte pos (1-based), as test_in(text, pos - reach, pos - 1)
 * would cut them. */
int tml_capital_word_before_pos(const char *text, size_t len, int64_t pos, int64_t reach, size_t *bad);

#endif
