/* tml.h -- the C parts of the `textmill` Lua module, for the Lua stage.
 *
 * Each register function sets its functions into the table on top of the
 * stack (it leaves the stack as it found it):
 *
 *   tml_text_register:
 *     textmill.normalize(s [, form])  form "NFC" (default), "NFD", "NFKC", "NFKD"
 *     textmill.fold(s)                lower case, no diacritics (đ -> d), NFC
 *     textmill.lower(s)               lower case, NFC (Vietnamese: Đ -> đ, Ệ -> ệ)
 *     textmill.upper(s)               upper case, NFC
 *     textmill.len(s)                 number of characters
 *     textmill.is_upper(s, i)         is the character at byte i a capital?
 *
 *   tml_gazetteer_register:
 *     textmill.gazetteer(entries_or_path [, opts]) -> gazetteer
 *     g:matches(s [, init]) -> { {start=, stop=, name=, type=, value=, key=, attrs=}, ... }
 *     g:size(), #g
 *
 *   tml_spans_register:
 *     textmill.resolve(cands) -> kept      overlap resolution of a rule pack
 *     textmill.sort_spans(list) -> list    in place, by start, longer first, type
 *
 *   tml_occurrences_register:
 *     textmill.occurrences(text, names [, opts]) -> starts, stops, which
 *                                          whole-word occurrences in text order
 *
 *   tml_runs_register:
 *     textmill.capital_runs(text, re [, init]) -> starts, stops
 *                                          an anchored regex's matches where two
 *                                          capitalised words start (lua_runs.c)
 *     textmill.small_word(s) -> bool     letters of Vietnamese, none a capital
 *
 *   tml_foreign_register:
 *     textmill.foreign_names(spec) -> find  find(text [, place_before]):
 *                                          foreign names with no title around
 *                                          them, the pack's step (lua_foreign.c)
 *
 *   tml_before_register:
 *     textmill.thing_before(spec) -> test  test(cx, pos): the word before pos
 *                                          makes a thing's name (lua_before.c)
 *     textmill.list_before(spec) -> test   test(cx, pos): a list of streets or
 *                                          places ends right before pos
 *
 *   tml_describe_register:
 *     textmill.title_chains(spec) -> describe  describe(titles, persons, text):
 *                                          the titles and rank written around
 *                                          each person (lua_describe.c)
 *
 *   tml_names_register:
 *     textmill.proper(text, s, e) -> string  text:sub(s, e), each word's first
 *                                          character in upper case (lua_names.c)
 *     textmill.words_in(text, s, e, set [, bytes]) -> bool
 *                                          a word of the span in set, or one of bytes
 *
 *   tml_capital_word_register:
 *     textmill.capital_word_before(text, pos [, reach]) -> bool
 *                                          a capitalised word and a space just
 *                                          before pos (capital_word.c)
 *
 *   tml_find_in_register:
 *     textmill.find_in(re, text, from, to) -> start, stop, captures...
 *                                          re:exec_in's match with no table
 *                                          (lua_regex.c)
 *
 *   tml_tone_register:
 *     textmill.tone_keys(t) -> t           each string key with an open oa, oe
 *                                          or uy syllable added in the other
 *                                          tone placement (lua_tone.c)
 *
 * Those that read characters raise a Lua error on invalid UTF-8, naming
 * the function and the 1-based position of the bad byte ("textmill.fold:
 * invalid UTF-8 at byte 7"). See lua_text.c and lua_gazetteer.c for the
 * details. textmill.word_before and textmill.occurrences read bytes (any
 * byte above 127 is a word's) and take any string; textmill.small_word
 * answers false for one that is not UTF-8. */
#ifndef TM_LUA_TML_H
#define TM_LUA_TML_H

#include <lua.h>

void tml_text_register(lua_State *L);
void tml_gazetteer_register(lua_State *L);
void tml_spans_register(lua_State *L);
void tml_occurrences_register(lua_State *L);
void tml_runs_register(lua_State *L);
void tml_foreign_register(lua_State *L);
void tml_before_register(lua_State *L);
void tml_describe_register(lua_State *L);
void tml_names_register(lua_State *L);
void tml_capital_word_register(lua_State *L);
void tml_find_in_register(lua_State *L);
void tml_tone_register(lua_State *L);
void tml_engine_register(lua_State *L);

#endif
