/* lines.c -- a document as lines, and what each line looks like.
 *
 * Both clean.boilerplate and extract.metadata read a document as lines
 * (a paragraph is a line; an empty line separates blocks) and ask the same
 * questions of each: how many words, does it end like a sentence, is it a
 * body paragraph ("prose": six words or more ending like a sentence, or
 * twenty-five words or more). Sharing the answers keeps the two stages'
 * idea of where the article starts and ends the same. */
#define _GNU_SOURCE /* memmem */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"

#define PROSE_MIN_WORDS 6
#define PROSE_LONG_WORDS 25

static int is_closing(int32_t cp)
{
	return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x201D || cp == 0x2019 || cp == 0xBB;
}

static int is_terminal(int32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == ':' || cp == ';';
}

/* How the word counter sees a byte, as bits: part of a word (an ASCII
 * letter or digit, or the lead byte of a letter in U+00C0-U+02FF or
 * U+1E00-U+1FFF), a letter, a space, the start of a character, and a
 * lead byte that must be decoded to tell. */
enum { B_WORD = 1, B_LETTER = 2, B_SPACE = 4, B_CHAR = 8, B_DECODE = 16 };
static unsigned char byte_bits[256];

static void init_bits(void)
{
	for (int c = 0; c < 256; c++) {
		unsigned char k = 0;
		if (c < 0x80 || c >= 0xC0)
			k |= B_CHAR;
		if (c == ' ' || c == '\t')
			k |= B_SPACE;
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			k |= B_WORD | B_LETTER;
		else if (c >= '0' && c <= '9')
			k |= B_WORD;
		else if ((c >= 0xC3 && c <= 0xCB) || c == 0xE1)
			k |= B_WORD | B_LETTER;
		else if (c >= 0xC0)
			k |= B_DECODE;
		byte_bits[c] = k;
	}
}

/* What the counter carries from byte to byte. */
typedef struct {
	size_t words, chars;
	unsigned letters, counted; /* counted: the token so far has a word byte */
} tally;

/* Bytes i .. end of the line s[0..len), one at a time. */
static void count_bytes(const char *s, size_t len, size_t i, size_t end, tally *t)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t words = t->words, chars = t->chars;
	unsigned letters = t->letters, counted = t->counted;
	for (; i < end; i++) {
		unsigned k = byte_bits[u[i]];
		if (k & B_DECODE) {
			size_t used;
			if (cl_is_wordchar(cl_utf8_get(s + i, len - i, &used)))
				k |= B_WORD | B_LETTER;
		}
		chars += k >> 3 & 1;
		letters |= k & B_LETTER;
		unsigned word = k & B_WORD;
		words += word & ~counted;
		counted = (counted | word) & ~(k >> 2);
	}
	t->words = words, t->chars = chars, t->letters = letters, t->counted = counted;
}

#ifdef __SSE2__
#include <emmintrin.h>

static const unsigned char bits_in[256] = {
#define B2(n) n, n + 1, n + 1, n + 2
#define B4(n) B2(n), B2(n + 1), B2(n + 1), B2(n + 2)
#define B6(n) B4(n), B4(n + 1), B4(n + 1), B4(n + 2)
	B6(0), B6(1), B6(1), B6(2)};

static unsigned bits16(unsigned m) { return bits_in[m & 0xFF] + bits_in[m >> 8]; }

/* Sixteen bytes at u as masks, a bit a byte: 0 when one of them is the
 * first byte of a character whose class needs decoding (count_bytes
 * takes the block). A byte is of a word (ASCII letters and digits, the
 * first bytes of U+00C0-U+02FF and U+1E00-U+1FFF), a space, or neither:
 * a word starts at a word byte whose nearest word or space byte before
 * it is a space. Adding the space bits, each moved up one, to the bits
 * of neither kind carries each through the bytes of neither kind after
 * it and sets the first word or space byte past them: those word bytes
 * start words. */
static int count_block(const unsigned char *u, tally *t)
{
	const __m128i v = _mm_loadu_si128((const __m128i *)u);
#define SET(c) _mm_set1_epi8((char)(c))
	/* (signed compares: the bytes from 0x80 up are below 0) */
	const __m128i high = _mm_cmplt_epi8(v, _mm_setzero_si128());
	unsigned lead = (unsigned)_mm_movemask_epi8(_mm_and_si128(high, _mm_cmpgt_epi8(v, SET(0xBF))));
	unsigned vn = (unsigned)_mm_movemask_epi8(
		_mm_or_si128(_mm_and_si128(_mm_cmpgt_epi8(v, SET(0xC2)), _mm_cmplt_epi8(v, SET(0xCC))),
			     _mm_cmpeq_epi8(v, SET(0xE1))));
	if (lead & ~vn)
		return 0;
	const __m128i folded = _mm_or_si128(v, SET(0x20));
	unsigned letter = vn | (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(folded, SET('a' - 1)),
									 _mm_cmplt_epi8(folded, SET('z' + 1))));
	unsigned digit = (unsigned)_mm_movemask_epi8(
		_mm_and_si128(_mm_cmpgt_epi8(v, SET('0' - 1)), _mm_cmplt_epi8(v, SET('9' + 1))));
	unsigned space = (unsigned)_mm_movemask_epi8(
		_mm_or_si128(_mm_cmpeq_epi8(v, SET(' ')), _mm_cmpeq_epi8(v, SET('\t'))));
	unsigned tail = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, SET(0xC0))); /* 0x80-0xBF */
#undef SET
	unsigned word = letter | digit, events = word | space, neither = ~events & 0xFFFF;
	unsigned reached = neither + (space << 1 | !t->counted);
	t->words += bits16(reached & word);
	t->chars += 16 - bits16(tail);
	t->letters |= letter != 0;
	if (events) /* the last word or space byte says whether a word is open */
		t->counted = word >> (31 - __builtin_clz(events)) & 1;
	return 1;
}
#endif

void cl_line_classify(cl_line *l, const char *s, size_t len)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, init_bits);
	tally t = {0, 0, 0, 0};
	size_t i = 0;
#ifdef __SSE2__
	for (; i + 16 <= len; i += 16)
		if (!count_block((const unsigned char *)s + i, &t))
			count_bytes(s, len, i, i + 16, &t);
#endif
	count_bytes(s, len, i, len, &t);
	size_t words = t.words, chars = t.chars;
	unsigned letters = t.letters;
	l->words = (int)(words > 100000 ? 100000 : words);
	l->letters = letters != 0;
	l->chars = chars;
	/* The last character, looking through closing quotes and brackets:
	 * '…nhiệm vụ."' ends a sentence, "(Ảnh: TTXVN)" and "đánh dấu *" do not. */
	l->terminal = 0;
	size_t end = len;
	while (end > 0) {
		size_t start;
		int32_t cp = cl_utf8_prev(s, end, &start);
		if (cp == ' ' || is_closing(cp)) {
			end = start;
			continue;
		}
		l->terminal = is_terminal(cp);
		break;
	}
	l->prose = (l->words >= PROSE_MIN_WORDS && l->terminal) || l->words >= PROSE_LONG_WORDS;
}

int cl_lines_split(cl_lines *ls, const char *text, size_t len)
{
	ls->n = 0;
	int blank = 0;
	size_t i = 0;
	while (i <= len) {
		const char *nl = i < len ? memchr(text + i, '\n', len - i) : NULL;
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t a = i, b = end;
		while (a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\r'))
			a++;
		while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\r'))
			b--;
		if (a == b) {
			blank = 1;
		} else {
			if (ls->n == ls->cap) {
				size_t cap = ls->cap ? ls->cap * 2 : 64;
				cl_line *v = realloc(ls->v, cap * sizeof *v);
				if (!v)
					return -1;
				ls->v = v, ls->cap = cap;
			}
			cl_line *l = &ls->v[ls->n++];
			l->start = a;
			l->len = b - a;
			l->blank_before = blank && ls->n > 1;
			cl_line_classify(l, text + a, b - a);
			blank = 0;
		}
		if (!nl)
			break;
		i = end + 1;
	}
	return 0;
}

void cl_lines_free(cl_lines *ls)
{
	free(ls->v);
	ls->v = NULL;
	ls->n = ls->cap = 0;
}

size_t cl_lines_first_prose(const cl_lines *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		if (ls->v[i].prose)
			return i;
	return ls->n;
}

size_t cl_lines_last_prose(const cl_lines *ls)
{
	for (size_t i = ls->n; i-- > 0;)
		if (ls->v[i].prose)
			return i;
	return ls->n;
}

static int32_t fold_char(int32_t cp)
{
	cl_vowel v = cl_vn_vowel(cp);
	if (v.base >= 0)
		return v.upper ? cl_vn_compose(v.base, v.tone, 0) : cp;
	if (cp == 0x110)
		return 0x111;
	return cl_to_lower(cp);
}

int cl_fold(const char *s, size_t len, cl_buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	cl_buf_clear(out);
	/* Lower case never takes more than twice the bytes. */
	if (cl_buf_reserve(out, 2 * len + 8))
		return -1;
	char *o = out->p;
	int space = 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = u[i];
		if (c == ' ' || c == '\t') {
			space = 1;
			i++;
			continue;
		}
		if (space && o != out->p)
			*o++ = ' ';
		space = 0;
		if (c < 0x80) {
			*o++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
			continue;
		}
		size_t k;
		int32_t cp = cl_utf8_get(s + i, len - i, &k);
		i += k;
		if (cp == 0xA0) {
			space = 1;
			continue;
		}
		o += kit_utf8_encode(o, fold_char(cp));
	}
	out->len = (size_t)(o - out->p);
	out->p[out->len] = 0;
	return 0;
}

uint64_t cl_hash(const void *p, size_t n, uint64_t seed)
{
	/* FNV-1a, then a final mix so nearby keys spread over the table. */
	const unsigned char *u = p;
	uint64_t h = 0xcbf29ce484222325ull ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= u[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static int word_edge_before(const char *s, size_t at)
{
	if (at == 0)
		return 1;
	size_t start;
	return !cl_is_wordchar(cl_utf8_prev(s, at, &start));
}

static int word_edge_after(const char *s, size_t len, size_t at)
{
	if (at >= len)
		return 1;
	size_t k;
	return !cl_is_wordchar(cl_utf8_get(s + at, len - at, &k));
}

int cl_contains_words(const char *hay, size_t hn, const char *needle, size_t nn)
{
	if (!nn || nn > hn)
		return 0;
	const char *p = hay;
	while ((p = memmem(p, hn - (size_t)(p - hay), needle, nn))) {
		size_t at = (size_t)(p - hay);
		if (word_edge_before(hay, at) && word_edge_after(hay, hn, at + nn))
			return 1;
		p++;
		if ((size_t)(p - hay) + nn > hn)
			break;
	}
	return 0;
}
