/*
 * clean.h -- the insides of the clean plugin (clean.normalize,
 * clean.boilerplate), shared by its files, its tests and the extract
 * plugin's metadata reader (extract.metadata), which works on the same
 * lines and words.
 *
 * Everything here works on plain buffers and knows nothing of the host,
 * so the unit tests in tests/ link these files directly. The *_stage.c
 * files are the only ones that call tm_ functions.
 * Internal names start with cl_. docs/cleaning.md explains the design.
 */
#ifndef CLEAN_H
#define CLEAN_H

#include <stddef.h>
#include <stdint.h>

#include "textmill/kit.h"

/* ---- growable byte buffer: the toolkit's ------------------------------ */

/* The passes chain appends with ||: these return -1 once the buffer has
 * run out of memory (its flag is sticky, see textmill/kit.h). */
typedef kit_buf cl_buf;

static inline int cl_buf_reserve(cl_buf *b, size_t extra) { return kit_buf_reserve(b, extra); }
static inline int cl_buf_put(cl_buf *b, const void *p, size_t n) { return kit_buf_put(b, p, n), -b->failed; }
static inline int cl_buf_puts(cl_buf *b, const char *s) { return kit_buf_puts(b, s), -b->failed; }
static inline int cl_buf_putc(cl_buf *b, char c) { return kit_buf_putc(b, c), -b->failed; }
/* Append one code point as UTF-8. */
static inline int cl_buf_putcp(cl_buf *b, int32_t cp) { return kit_buf_put_cp(b, cp), -b->failed; }
static inline void cl_buf_free(cl_buf *b) { kit_buf_free(b); }
/* Keep the buffer, forget its contents (and a failure). */
static inline void cl_buf_clear(cl_buf *b) { kit_buf_clear(b); }

/* ---- UTF-8 --------------------------------------------------- */

/* Decode one code point of valid UTF-8 at s (n bytes left, n >= 1);
 * *used gets its length. Only for text already known to be valid. */
static inline int32_t cl_utf8_get(const char *s, size_t n, size_t *used)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80 || n < 2) {
		*used = 1;
		return u[0];
	}
	if (u[0] < 0xE0) {
		*used = 2;
		return (int32_t)((u[0] & 0x1F) << 6 | (u[1] & 0x3F));
	}
	if (u[0] < 0xF0 || n < 4) {
		*used = 3;
		return n < 3 ? 0xFFFD : (int32_t)((u[0] & 0x0F) << 12 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F));
	}
	*used = 4;
	return (int32_t)((u[0] & 0x07) << 18 | (u[1] & 0x3F) << 12 | (u[2] & 0x3F) << 6 | (u[3] & 0x3F));
}

/* Checking, decoding with errors and encoding: kit_utf8_* (textmill/kit.h). */
/* The code point before offset `at` (at > 0) and its start in *start. */
static inline int32_t cl_utf8_prev(const char *s, size_t at, size_t *start)
{
	size_t i = at - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80 && at - i < 4)
		i--;
	size_t used;
	*start = i;
	return cl_utf8_get(s + i, at - i, &used);
}

/* ---- Vietnamese letters (vietnamese.c) ---------------------------------- */

enum { CL_TONE_NONE = 0, CL_TONE_GRAVE, CL_TONE_ACUTE, CL_TONE_HOOK, CL_TONE_TILDE, CL_TONE_DOT };

/* The twelve vowel bases: a ă â e ê i o ô ơ u ư y. */
enum {
	CL_V_A = 0,
	CL_V_A_BREVE,
	CL_V_A_CIRC,
	CL_V_E,
	CL_V_E_CIRC,
	CL_V_I,
	CL_V_O,
	CL_V_O_CIRC,
	CL_V_O_HORN,
	CL_V_U,
	CL_V_U_HORN,
	CL_V_Y,
	CL_V_COUNT
};

typedef struct cl_vowel {
	signed char base;  /* CL_V_*, or -1: not a Vietnamese vowel */
	signed char tone;  /* CL_TONE_* */
	signed char upper; /* 1 for a capital */
} cl_vowel;

/* Build the tables once (thread-safe); 0 on success, else -1 and
 * cl_vn_init_error() says why. */
int cl_vn_init(void);
const char *cl_vn_init_error(void);
#define CL_VN_LIMIT 0x1F00               /* every Vietnamese letter lies below this */
extern uint8_t cl_vn_index[CL_VN_LIMIT]; /* 1 + base*12 + tone*2 + upper, or 0 */
static inline cl_vowel cl_vn_vowel(int32_t cp)
{
	cl_vowel v = {-1, 0, 0};
	if (cp < 0 || cp >= CL_VN_LIMIT || !cl_vn_index[cp])
		return v;
	int i = cl_vn_index[cp] - 1;
	v.base = (signed char)(i / 12);
	v.tone = (signed char)(i % 12 / 2);
	v.upper = (signed char)(i % 2);
	return v;
}
int32_t cl_vn_compose(int base, int tone, int upper);
/* Nonzero for the letters of the Vietnamese alphabet (any case, any tone,
 * plus f j w z for loanwords) and nothing else. */
int cl_vn_is_letter(int32_t cp);
/* Nonzero for any letter or combining mark (Unicode L* or M*). */
int cl_is_wordchar(int32_t cp);
int cl_is_upper(int32_t cp);
int cl_is_lower(int32_t cp);
int32_t cl_to_lower(int32_t cp);
int32_t cl_to_upper(int32_t cp);

/* ---- Vietnamese syllables (syllable.c) ---------------------------------- */

/* Nonzero if the m letters of w make one well-formed Vietnamese syllable
 * (onset, nucleus, coda, at most one tone mark, a tone a closed syllable
 * can take), in either case. */
int cl_vn_syllable(const int32_t *w, int m);

/* How much of a text reads as Vietnamese, word by word. */
typedef struct cl_vn_evidence {
	long words;     /* runs of letters */
	long marked;    /* of which with a letter outside ASCII */
	long syllables; /* of which well-formed syllables */
} cl_vn_evidence;

/* Add the words of valid UTF-8 s[0..n) to ev. */
void cl_vn_evidence_add(cl_vn_evidence *ev, const char *s, size_t n);
/* Nonzero when ev is what Vietnamese prose looks like. */
int cl_vn_evidence_reads(const cl_vn_evidence *ev);

/* ---- legacy 8-bit encodings (legacy.c) ----------------------------------- */

typedef enum cl_encoding { CL_ENC_AUTO = 0, CL_ENC_UTF8, CL_ENC_CP1258, CL_ENC_TCVN3 } cl_encoding;

/* The Unicode code point of byte c in a legacy encoding (0xFFFD: none). */
int32_t cl_legacy_cp(cl_encoding enc, unsigned char c);
/* Append s decoded from enc as UTF-8 to out (still to be put in NFC:
 * Windows-1258 writes tone marks as combining characters). Counts bytes
 * that have no character in *unmapped. -1 when out of memory. */
int cl_legacy_decode(cl_encoding enc, const char *s, size_t n, cl_buf *out, long *unmapped);
/* Guess which legacy encoding s is in: CL_ENC_CP1258 or CL_ENC_TCVN3, by
 * how many of its words decode to well-formed Vietnamese in each. */
cl_encoding cl_legacy_guess(const char *s, size_t n);
/* For text that is not valid UTF-8: nonzero if it still looks like UTF-8
 * with a few broken bytes (at least as many well-formed multi-byte
 * sequences as ill-formed ones), rather than a legacy 8-bit encoding. */
int cl_mostly_utf8(const char *s, size_t n);
const char *cl_encoding_name(cl_encoding enc);

/* ---- normalization (normalize.c) ----------------------------------------- */

typedef enum cl_tone_style { CL_TONES_KEEP = 0, CL_TONES_OLD, CL_TONES_NEW } cl_tone_style;

typedef struct cl_norm_opts {
	cl_encoding encoding;
	int repair; /* invalid UTF-8 becomes U+FFFD instead of an error */
	int nfc;
	cl_tone_style tones;
	int lookalikes; /* Ð -> Đ, Cyrillic/Greek look-alikes in Latin words */
	int invisibles; /* zero-width, bidi and control characters go; odd spaces become ' ' */
	int whitespace; /* collapse runs of spaces, trim lines, at most max_blank blank lines */
	int max_blank;
	int fix_case; /* ĐIện -> Điện */
} cl_norm_opts;

typedef struct cl_norm_stats {
	cl_encoding converted; /* CL_ENC_CP1258/TCVN3 when the text was converted */
	size_t bad_offset;     /* first invalid byte, when cl_normalize returns CL_NORM_INVALID */
	long replaced;         /* U+FFFD written for invalid bytes or unmapped legacy bytes */
	long invisibles;       /* characters removed */
	long spaces;           /* odd spaces turned into ' ' */
	long lookalikes;       /* letters replaced */
	long tones;            /* syllables whose tone mark moved */
	long cases;            /* words whose casing was repaired */
	long controls;         /* control characters met (binary content has many) */
	cl_vn_evidence reads;  /* of a converted text: how Vietnamese it reads */
	int composed;          /* NFC changed something, or had to be run */
	int bom;               /* a byte order mark was removed */
	int utf16;             /* CL_NORM_UNREADABLE: a UTF-16 byte order mark */
} cl_norm_stats;

/* CL_NORM_BINARY: too many control characters to be text.
 * CL_NORM_UNREADABLE: not UTF-8, and neither legacy reading is Vietnamese. */
enum { CL_NORM_OK = 0, CL_NORM_INVALID = 1, CL_NORM_BINARY = 2, CL_NORM_UNREADABLE = 3, CL_NORM_NOMEM = -1 };

/* Per-instance state: reusable buffers and a cache of which characters
 * need NFC. Never shared between threads. */
typedef struct cl_normalizer {
	cl_norm_opts o;
	cl_buf a, b, legacy;
	uint8_t *nfc_cache; /* 64 Ki entries: 0 unknown, 1 stable, 2 needs NFC */
} cl_normalizer;

int cl_normalizer_init(cl_normalizer *n, const cl_norm_opts *o);
void cl_normalizer_free(cl_normalizer *n);
/* Normalize s; on CL_NORM_OK *out points into n (valid until the next
 * call) and *out_len is its length. */
int cl_normalize(cl_normalizer *n, const char *s, size_t len, const char **out, size_t *out_len, cl_norm_stats *st);

/* ---- lines and words (lines.c) ------------------------------------------ */

typedef struct cl_line {
	size_t start, len; /* in the text, without the newline */
	size_t chars;      /* characters (code points) */
	int words;         /* tokens with at least one letter or digit */
	int letters;       /* nonzero if any letter */
	int terminal;      /* ends like a sentence: . ! ? … : ; (before closing quotes) */
	int prose;         /* looks like a body paragraph */
	int blank_before;  /* an empty line separates it from the previous kept line */
} cl_line;

typedef struct cl_lines {
	cl_line *v;
	size_t n, cap;
} cl_lines;

/* Split text into its non-empty lines (trimmed of spaces) and classify
 * them. Returns -1 when out of memory. */
int cl_lines_split(cl_lines *ls, const char *text, size_t len);
void cl_lines_free(cl_lines *ls);
/* Classify one line of text: words, letters, terminal, prose. */
void cl_line_classify(cl_line *l, const char *s, size_t len);
/* Index of the first / last prose line, or ls->n when there is none. */
size_t cl_lines_first_prose(const cl_lines *ls);
size_t cl_lines_last_prose(const cl_lines *ls);
/* Lower-case s with runs of spaces made one, into out (cleared first). */
int cl_fold(const char *s, size_t len, cl_buf *out);
uint64_t cl_hash(const void *p, size_t n, uint64_t seed);
/* Nonzero when needle occurs in hay starting and ending at word edges. */
int cl_contains_words(const char *hay, size_t hn, const char *needle, size_t nn);

#endif
