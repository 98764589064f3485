/* step_spec.h -- the spec table of a C step of the module (a cutter, a
 * test made once and asked of thousands of names): its fields checked,
 * and its sets of words read once into C, looked up there without making
 * a Lua string (step_spec.c). */
#ifndef TML_STEP_SPEC_H
#define TML_STEP_SPEC_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tml_word_set tml_word_set;

/* Push a word set of the string keys of the table at idx whose value is
 * neither nil nor false (a userdata, its memory counted to the state's);
 * raises "who: out of memory". Later changes to the table are not seen. */
tml_word_set *tml_word_set_push(lua_State *L, int idx, const char *who);

/* Is p[0, n) in the set? */
bool tml_word_set_has(const tml_word_set *w, const char *p, size_t n);

/* The space characters of Lua's %s in the C locale: the words of a name
 * are split at them. */
static inline bool tml_ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* The byte at Lua position i (1-based) of t[0, len), or -1 where
 * string.byte gives nothing (i < 1 or past the end). */
static inline int tml_byte_at(const char *t, size_t len, int64_t i)
{
	return i >= 1 && (uint64_t)i <= len ? (unsigned char)t[i - 1] : -1;
}

/* Does known(ctx, word, its length) say yes of a word of p[0, n), split
 * at ASCII spaces? */
bool tml_any_word(const char *p, size_t n, bool (*known)(void *ctx, const char *w, size_t len), void *ctx);

/* Is a word of p[0, n), split at ASCII spaces, in the set? */
bool tml_word_set_any(const tml_word_set *w, const char *p, size_t n);

/* Push the field name of the spec table at index 1, or raise "who:
 * spec.name must be a ..." unless it is of type (LUA_TUSERDATA: a
 * textmill.regex); with as_set, a word set of the table in its place. */
void tml_spec_field(lua_State *L, const char *who, const char *name, int type, bool as_set);

#endif
