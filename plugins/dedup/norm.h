/* norm.h -- text normalisation for comparing documents.
 *
 * Each code point is mapped to a class and to its normalised spelling:
 * canonical decomposition (so NFC and NFD spellings of "ệ" agree), then
 * optionally case folding and diacritics folding (combining marks removed,
 * đ/Đ to d). Code points below DD_TABLE_CPS (all Latin, Vietnamese and
 * general punctuation) come from a table built once per stage; the rest
 * are computed on the fly, without allocating. */
#ifndef DD_NORM_H
#define DD_NORM_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

enum {
	DD_CASE_FOLD = 1u << 0,
	DD_DIACRITICS_FOLD = 1u << 1,
	DD_PUNCT_REMOVE = 1u << 2, /* punctuation and symbols act as spaces */
	DD_WS_COLLAPSE = 1u << 3,  /* runs of spaces become one, ends trimmed */
	DD_WS_REMOVE = 1u << 4     /* spaces are dropped altogether */
};

typedef enum dd_class {
	DD_IGNORE = 0, /* format characters (soft hyphen, zero-width space) */
	DD_WORD,       /* letters and digits */
	DD_MARK,       /* combining marks: part of the word before them */
	DD_SPACE,
	DD_PUNCT, /* punctuation and symbols */
	DD_OTHER  /* control characters, unassigned code points, bad bytes */
} dd_class;

#define DD_TABLE_CPS 0x3000

typedef struct dd_cp {
	uint8_t cls;  /* dd_class */
	uint8_t len;  /* bytes in out */
	char out[14]; /* the normalised spelling (spaces: the original) */
} dd_cp;

typedef struct dd_norm {
	unsigned flags;
	dd_cp *table; /* DD_TABLE_CPS entries */
	/* For an ASCII byte that is a word's letter or digit of one byte and
	 * opens no pair of vowels (not o or u): the byte its entry spells, else
	 * 0. The token loop takes those, most of a text, without the entry. */
	unsigned char word_byte[128];
	/* The same for o and u (and O, U), taken only where the next byte
	 * cannot open a character of a pair (below 0xC3). */
	unsigned char vowel_byte[128];
	/* For each code point of the table, 1 when it is a word's letter or
	 * mark: the token loop reads a character of two or three bytes
	 * straight into it, without the general decoder. */
	unsigned char *word_cp; /* DD_TABLE_CPS entries */
} dd_norm;

/* 0 on success, -1 when out of memory. */
int dd_norm_init(dd_norm *n, unsigned flags);
void dd_norm_free(dd_norm *n);

/* The code point at s (len > 0 bytes left): its entry, and in *adv the
 * bytes it takes. tmp holds entries that are not in the table. */
const dd_cp *dd_norm_next(const dd_norm *n, const unsigned char *s, size_t len, size_t *adv, dd_cp *tmp);

/* The 128-bit hash of text[0, len) after normalisation (dedup.exact,
 * dedup.paragraph). *chars receives the normalised length in code points
 * (may be NULL). */
dd_digest dd_norm_hash(const dd_norm *n, const char *text, size_t len, uint64_t seed, size_t *chars);

/* Tokens for shingling: words (runs of letters, digits and marks) or
 * single characters (with one space token between words). Each token is
 * given as a 64-bit hash of its normalised spelling. */
typedef struct dd_tokens {
	const dd_norm *n;
	const unsigned char *p, *end;
	int chars;         /* nonzero: character tokens */
	int pending_space; /* char mode: a space token is due */
	int started;
} dd_tokens;

void dd_tokens_init(dd_tokens *t, const dd_norm *n, const char *text, size_t len, int chars);
/* 1 and the token's hash in *h, or 0 at the end. */
int dd_tokens_next(dd_tokens *t, uint64_t *h);
/* Up to max tokens into out[]; fewer only when the text ends. One call for
 * many tokens, for the signature's loop. */
size_t dd_tokens_fill(dd_tokens *t, uint64_t *out, size_t max);

#endif
