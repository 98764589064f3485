/* textops.h -- UTF-8 text helpers for the `textmill` Lua module:
 * normalization, Vietnamese-aware case mapping, folding for keys and
 * matching (with a map back to the original bytes), character counts and
 * word characters. Built on utf8proc.
 *
 * Conventions, for every function below that takes a string:
 *   - The input is (s, len): any bytes, NUL bytes allowed, not necessarily
 *     NUL-terminated.
 *   - Results are malloc'd and NUL-terminated (the terminator is not counted
 *     in *out_len); the caller frees them with free(). On failure *out is
 *     set to NULL.
 *   - The return value is TEXTOPS_OK (0) on success, TEXTOPS_EUTF8 (-1)
 *     when the input is not valid UTF-8, or TEXTOPS_ENOMEM (-2) when memory
 *     ran out. On TEXTOPS_EUTF8 the byte offset (0-based) of the first byte
 *     of the first ill-formed sequence is stored in *err_off when err_off
 *     is not NULL.
 *   - Valid UTF-8 is strict: no overlong forms, no surrogates (U+D800 to
 *     U+DFFF), nothing above U+10FFFF.
 *
 * Thread safety: every function is safe to call from several threads at
 * once (the folding tables are built once, under pthread_once); a
 * textops_buf belongs to one thread at a time. */
#ifndef TM_TEXTOPS_H
#define TM_TEXTOPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "textmill/kit.h"

enum {
	TEXTOPS_OK = 0,
	TEXTOPS_EUTF8 = -1,   /* invalid UTF-8; see err_off */
	TEXTOPS_ENOMEM = -2,  /* out of memory */
	TEXTOPS_ENOROOM = -3, /* the result does not fit the room given (textops_lower_into) */
};

typedef enum { TEXTOPS_NFC, TEXTOPS_NFD, TEXTOPS_NFKC, TEXTOPS_NFKD } textops_form;

/* "NFC", "NFD", "NFKC" or "NFKD" (exactly, upper case) -> *form; returns
 * 0, or -1 for any other name. */
int textops_form_parse(const char *name, textops_form *form);

/* Unicode normalization to the given form. */
int textops_normalize(const char *s, size_t len, textops_form form, char **out, size_t *out_len, size_t *err_off);

/* Lower / upper case (Unicode simple case mappings: Đ<->đ, Ư<->ư, Ơ<->ơ,
 * Ệ<->ệ, Ỹ<->ỹ, ...), output in NFC whatever the input's form. */
int textops_lower(const char *s, size_t len, char **out, size_t *out_len, size_t *err_off);
int textops_upper(const char *s, size_t len, char **out, size_t *out_len, size_t *err_off);

/* Folding, for keys and matching: case folded (Unicode full case folding,
 * so also ß -> ss), marks removed (Vietnamese tones, circumflex, breve,
 * horn, ...: ả -> a, ư -> u, ơ -> o), letters with a stroke mapped to
 * their base letter (đ Đ -> d, and also Ð ð (often typed for Đ), ø Ø,
 * ł Ł), output in NFC. Canonically equivalent inputs (precomposed or
 * decomposed) fold to the same bytes.
 *
 * When offsets is not NULL, *offsets receives a malloc'd array of
 * *out_len + 1 entries: offsets[i] is the byte offset in s where the
 * source of output byte i starts, and offsets[*out_len] == len. The source
 * of an output byte is the cluster it comes from: a character with the
 * combining marks that follow it (so a match [a, b) in the folded text is
 * the span [offsets[a], offsets[b]) of s, marks included). Output bytes of
 * one cluster share an offset: a folded span that starts or ends between
 * two such bytes (offsets[a] == offsets[a - 1]) does not map to whole
 * characters. */
int textops_fold(const char *s, size_t len, char **out, size_t *out_len, size_t **offsets, size_t *err_off);

/* The general fold: any combination of these flags (0 gives NFC). */
enum {
	TEXTOPS_FOLD_CASE = 1,  /* case folding */
	TEXTOPS_FOLD_MARKS = 2, /* remove marks, strokes (see textops_fold) */
};

/* Reusable output buffers of textops_fold_into: zero-initialize
 * (textops_buf b = {0};), reuse for any number of calls, then
 * textops_buf_free(). Growth is amortized: folding a text allocates only
 * when it is longer than any text folded before with the same buffer. */
typedef struct textops_buf {
	kit_buf out;     /* the folded text (out.p, out.len), NUL-terminated */
	size_t *offsets; /* out.len + 1 entries when asked for, else untouched */
	size_t offcap;
	int32_t *cps; /* scratch code points for rare long clusters */
	size_t cpcap;
	/* Every character folded to one character of the same length: byte i
	 * of out is byte i of the text, and the offsets, had they been asked
	 * for, would map each byte to the start of its character. */
	bool aligned;
} textops_buf;

int textops_fold_into(textops_buf *b, const char *s, size_t len, unsigned flags, bool want_offsets, size_t *err_off);

/* The fold of the one character s[0..n) standing alone, when it is one
 * character of the same length and joins no character before it (not a
 * combining mark): its bytes in out, true. Text made of such characters
 * only folds byte for byte (textops_buf.aligned), each to this. False for
 * any other character, or when s[0..n) is not one valid character. */
bool textops_fold_alone(const char *s, size_t n, unsigned flags, char out[4]);
void textops_buf_free(textops_buf *b);

/* Checks that s is valid UTF-8: TEXTOPS_OK or TEXTOPS_EUTF8 (*err_off). */
int textops_utf8_validate(const char *s, size_t len, size_t *err_off);

/* Number of characters (code points), or -1 when s is not valid UTF-8
 * (then *err_off as above). */
ptrdiff_t textops_utf8_len(const char *s, size_t len, size_t *err_off);

/* Decodes the character starting at s[i] (i < len): returns its length in
 * bytes and stores the code point in *cp, or returns 0 when the bytes at i
 * are not a valid UTF-8 sequence. */
size_t textops_utf8_decode(const char *s, size_t len, size_t i, int32_t *cp);
/* The length of the character a lead byte opens (1 for ASCII, 0 for a
 * continuation byte). */
static inline size_t textops_utf8_length(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xC0 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* The code point of the character that ends right before s[i] (i > 0), in
 * valid UTF-8; -1 when i == 0 or the bytes before i are not valid. */
int32_t textops_utf8_prev(const char *s, size_t i);
/* The same, with where that character starts in *start (where its lead
 * byte was looked for when -1; 0 when i == 0). */
int32_t textops_utf8_prev_at(const char *s, size_t i, size_t *start);

/* Narrows [*from, *to) of s[0..len) to whole characters (a window cut at
 * any byte, as textmill.regex's *_in methods take one); false when it is
 * out of range (from past to, once to is cut to len). */
bool textops_whole_chars(const char *s, size_t len, size_t *from, size_t *to);

/* Letters (L*), marks (M*) and decimal digits (Nd), by Unicode category. */
bool textops_is_word_char(int32_t cp);

/* What the rule packs take for a byte of a word, without decoding: an
 * ASCII letter or digit, or any byte of a character of several bytes. */
static inline bool textops_word_byte(unsigned char b)
{
	return b >= 0x80 || (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
}

/* The word before byte pos (1-based) of s[0..len), as textmill.word_before
 * gives it: back over spaces and commas, then over at most 39 bytes of
 * word bytes counted from pos, starting at a character boundary. Its bytes
 * are s[*b, *e); empty (*b == *e) when there is none. */
void textops_word_before(const char *s, size_t len, int64_t pos, size_t *b, size_t *e);

/* s[0, len) in lower case, as textops_lower gives it, into out[0, cap):
 * its length, or TEXTOPS_EUTF8, TEXTOPS_ENOMEM or TEXTOPS_ENOROOM. A word
 * of ASCII and Latin letters (Vietnamese) is lowered a character at a
 * time, with no utf8proc map and no malloc. */
ptrdiff_t textops_lower_into(const char *s, size_t len, char *out, size_t cap);

/* That word in lower case, as textops_lower gives it (the rule engine's
 * e:word_before), into out[0, cap): its length, or -1 when it cannot be
 * lowered (invalid UTF-8, out of memory) or does not fit. */
ptrdiff_t textops_word_before_lower(const char *s, size_t len, int64_t pos, char *out, size_t cap);

#endif
