/* utf8.c -- checking, reading and writing UTF-8 by the rules of Unicode
 * (table 3-7): no overlong forms, no surrogates, nothing past U+10FFFF. */
#include "textmill/kit.h"

/* One character at a time, with the exact place where the text stops being
 * UTF-8: the short texts, the tail of a long one, and the block where the
 * automaton below saw an error. */
static size_t valid_prefix_exact(const unsigned char *s, const unsigned char *end)
{
	const unsigned char *p = s;
	while (p < end) {
		/* ASCII eight bytes at a time: most of the markup and spaces. */
		while (end - p >= 8) {
			uint64_t w;
			memcpy(&w, p, 8);
			if (w & 0x8080808080808080ULL)
				break;
			p += 8;
		}
		if (p >= end)
			break;
		unsigned c = *p;
		if (c < 0x80) {
			p++;
		} else if (c >= 0xC2 && c <= 0xDF) { /* U+0080..U+07FF: most Vietnamese vowels */
			if (end - p < 2 || (p[1] & 0xC0) != 0x80)
				break;
			p += 2;
		} else if (c >= 0xE0 && c <= 0xEF) { /* U+0800..U+FFFF: the tone-marked letters */
			if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
				break;
			if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)) /* overlong, surrogate */
				break;
			p += 3;
		} else if (c >= 0xF0 && c <= 0xF4) {
			if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
				break;
			if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F)) /* overlong, past U+10FFFF */
				break;
			p += 4;
		} else {
			break;
		}
	}
	return (size_t)(p - s);
}

/*
 * A shift automaton for long texts. Vietnamese breaks ASCII runs every few
 * bytes, so a test per character mispredicts; here every byte is the same
 * two instructions and no branch. Each state is a bit offset (a multiple of
 * 6), and utf8_next[byte] holds, at the offset of every state, the offset
 * of the state that byte leads to: state = utf8_next[byte] >> state. Only
 * the shift depends on the previous byte; the table loads run ahead.
 * BAD is 0, so a byte that leads nowhere (a zero field) stays there.
 */
enum {
	BAD = 0,
	ANY = 6,       /* between characters */
	TAIL1 = 12,    /* one continuation byte to go */
	TAIL2 = 18,    /* two */
	TAIL3 = 24,    /* three */
	AFTER_E0 = 30, /* A0..BF next, else the form is overlong */
	AFTER_ED = 36, /* 80..9F next, else a surrogate */
	AFTER_F0 = 42, /* 90..BF next, else overlong */
	AFTER_F4 = 48, /* 80..8F next, else past U+10FFFF */
};

#define GO(from, to) ((uint64_t)(to) << (from))
#define ASCII GO(ANY, ANY)
#define LEAD(to) GO(ANY, to)
/* A continuation byte moves every tail on; the first byte after E0, ED, F0
 * and F4 is allowed only in its range (80..8F, 90..9F or A0..BF). */
#define CONT(e0, ed, f0, f4)                                                                          \
	(GO(TAIL1, ANY) | GO(TAIL2, TAIL1) | GO(TAIL3, TAIL2) | GO(AFTER_E0, e0) | GO(AFTER_ED, ed) | \
	 GO(AFTER_F0, f0) | GO(AFTER_F4, f4))
#define C80 CONT(BAD, TAIL1, BAD, TAIL2)
#define C90 CONT(BAD, TAIL1, TAIL2, BAD)
#define CA0 CONT(TAIL1, BAD, TAIL2, BAD)
#define X2(r) r, r
#define X4(r) X2(r), X2(r)
#define X8(r) X4(r), X4(r)
#define X16(r) X8(r), X8(r)
#define X32(r) X16(r), X16(r)
#define X64(r) X32(r), X32(r)

/* clang-format off: one range of bytes a line */
static const uint64_t utf8_next[256] = {
	X64(ASCII),       X64(ASCII),                                        /* 00..7F */
	X16(C80),         X16(C90),        X32(CA0),                         /* 80..BF: continuation bytes */
	X2(BAD),                                                             /* C0..C1: always overlong */
	X16(LEAD(TAIL1)), X8(LEAD(TAIL1)), X4(LEAD(TAIL1)), X2(LEAD(TAIL1)), /* C2..DF */
	LEAD(AFTER_E0),   X8(LEAD(TAIL2)), X4(LEAD(TAIL2)),                  /* E0, E1..EC */
	LEAD(AFTER_ED),   X2(LEAD(TAIL2)),                                   /* ED, EE..EF */
	LEAD(AFTER_F0),   X2(LEAD(TAIL3)), LEAD(TAIL3),                      /* F0, F1..F3 */
	LEAD(AFTER_F4),   X8(BAD),         X2(BAD),         BAD,             /* F4, F5..FF: never */
};
/* clang-format on */

#define STEP(state, byte) ((state) = utf8_next[byte] >> ((state)&63))

size_t kit_utf8_valid_prefix(const char *s, size_t len)
{
	const unsigned char *begin = (const unsigned char *)s, *p = begin, *end = p + len;
	const unsigned char *mark = p; /* all before it is UTF-8, and a character starts there */
	uint64_t state = ANY;
	while (end - p >= 16) {
		uint64_t a, b;
		memcpy(&a, p, 8);
		memcpy(&b, p + 8, 8);
		if (!((a | b) & 0x8080808080808080ULL) && (state & 63) == ANY) {
			p += 16;
			mark = p;
			continue;
		}
		for (int i = 0; i < 16; i++)
			STEP(state, p[i]);
		p += 16;
		if ((state & 63) == ANY)
			mark = p;
		else if ((state & 63) == BAD)
			break;
	}
	if ((state & 63) != BAD) {
		while (p < end)
			STEP(state, *p++);
		if ((state & 63) == ANY)
			return len;
	}
	return (size_t)(mark - begin) + valid_prefix_exact(mark, end);
}

int32_t kit_utf8_decode(const char *str, size_t n, size_t *used)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];
	if (c < 0x80) {
		*used = 1;
		return c;
	}
	size_t need;
	int32_t cp;
	unsigned char lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1, cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2, cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3, cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		*used = 1;
		return -1;
	}
	size_t i = 1;
	for (; i <= need && i < n; i++) {
		unsigned char d = s[i];
		if (i == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF))
			break;
		cp = cp << 6 | (d & 0x3F);
	}
	*used = i;
	return i == need + 1 ? cp : -1;
}

size_t kit_utf8_encode(char *out, int32_t cp)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t kit_utf8_count(const char *s, size_t len)
{
	/* A continuation byte has its top bit set and the next one clear. Each
	 * byte of acc counts up to 31 words, so that their sum, taken by the
	 * multiplication into the top byte, stays below 256. */
	const uint64_t high = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
	size_t i = 0, cont = 0;
	while (len - i >= 8) {
		uint64_t acc = 0;
		for (int k = 0; k < 31 && len - i >= 8; k++, i += 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			acc += (w & ~(w << 1) & high) >> 7;
		}
		cont += (size_t)((acc * ones) >> 56);
	}
	for (; i < len; i++)
		cont += ((unsigned char)s[i] & 0xC0) == 0x80;
	return len - cont;
}
