/* byte_words.h -- text eight bytes at a time, for the scans that step
 * over what they need not read byte by byte (the engine's digits, the
 * foreign names' capital runs, the fold's ASCII). A test flags the high
 * bit of each byte of a 64-bit word it holds for, exactly for every byte
 * value: no carry or borrow crosses from one byte to the next. */
#ifndef TM_LUA_BYTE_WORDS_H
#define TM_LUA_BYTE_WORDS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WORD_ONES 0x0101010101010101ull
#define WORD_HIGH 0x8080808080808080ull

/* The eight bytes at p, as they lie in memory. */
static inline uint64_t word_at(const void *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/* 0x80 in each byte of w from lo to hi (1 <= lo <= hi <= 0x7F), else 0:
 * below hi + 1 and above lo - 1 in its low seven bits, and ASCII. */
static inline uint64_t word_bytes_between(uint64_t w, unsigned lo, unsigned hi)
{
	uint64_t low7 = w & ~WORD_HIGH;
	return ((127 + hi + 1) * WORD_ONES - low7) & ~w & (low7 + (127 - (lo - 1)) * WORD_ONES) & WORD_HIGH;
}

/* 0x80 in each byte of w equal to c, else 0: the bytes that are zero
 * once c is taken out. */
static inline uint64_t word_bytes_equal(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (c * WORD_ONES);
	return ~(((x & ~WORD_HIGH) + ~WORD_HIGH) | x) & WORD_HIGH;
}

/* The place in memory of the first byte flagged in d (not 0). */
static inline size_t word_first(uint64_t d)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(d) >> 3;
#else
	return (size_t)__builtin_clzll(d) >> 3;
#endif
}

#endif
