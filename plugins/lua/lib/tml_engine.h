/* tml_engine.h -- what the module's C steps (lua_names.c) ask of a rule
 * engine's document, as its lookups cx:first_start and cx:upper_at answer
 * Lua (lua_engine.c). */
#ifndef TML_ENGINE_H
#define TML_ENGINE_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct engine tml_engine;

/* The engine of the context at idx (a table whose field `engine` is one,
 * as the packs' cx, or the engine itself), which has begun a document;
 * pushes it, its stack slot in *ei. A Lua error otherwise. */
tml_engine *tml_engine_of(lua_State *L, int idx, int *ei);

/* Where (1-based) the first scanned match of a kind of the set at kinds
 * (a table of type names, nil: all) starts within [from, to] (1-based,
 * inclusive), or 0: cx:first_start(from, to, kinds). */
size_t tml_engine_first_start(lua_State *L, tml_engine *e, int ei, int kinds, int64_t from, int64_t to);

/* Does a scanned match of a kind of the set at kinds end before byte pos
 * (1-based), one or more spaces between? cx:just_before_start(pos,
 * kinds) ~= nil. */
bool tml_engine_just_before(lua_State *L, tml_engine *e, int ei, int kinds, int64_t pos);

/* The engine's document: its text, len bytes. */
const char *tml_engine_text(const tml_engine *e, size_t *len);

/* Does a capital letter start at byte pos (1-based)? cx:upper_at(pos). */
bool tml_engine_upper_at(const tml_engine *e, int64_t pos);

#endif
