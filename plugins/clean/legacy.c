/* legacy.c -- Windows-1258 and TCVN3 (ABC), the 8-bit encodings older
 * Vietnamese files come in, decoded to UTF-8 and told apart.
 *
 * Both keep ASCII in the lower half. Windows-1258 is Latin-1 with a few
 * Vietnamese base letters and five combining tone marks in the upper half,
 * so its text is decomposed and needs NFC afterwards. TCVN3 (TCVN 5712,
 * the "ABC" fonts) has every toned lower-case vowel precomposed; its
 * capitals were drawn with separate fonts over the same codes, but the
 * full TCVN 5712 table also places capitals at 0x80-0x9F and a few other
 * bytes, which are decoded here too. The five capitals TCVN 5712 puts
 * among the C0 control codes are left alone: controls stay controls. */
#include <string.h>

#include "clean.h"

#define NONE 0xFFFD

/* Windows-1258, 0x80-0x9F. */
static const uint16_t cp1258_80[32] = {
	0x20AC, NONE,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, NONE,
	0x2039, 0x0152, NONE,   NONE,   NONE,   NONE,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, NONE,   0x203A, 0x0153, NONE,   NONE,   0x0178,
};

/* Windows-1258, 0xA0-0xFF: Latin-1 except these bytes. */
static const struct {
	unsigned char byte;
	uint16_t cp;
} cp1258_diff[] = {
	{0xC3, 0x0102}, {0xCC, 0x0300}, {0xD0, 0x0110}, {0xD2, 0x0309}, {0xD5, 0x01A0},
	{0xDD, 0x01AF}, {0xDE, 0x0303}, {0xE3, 0x0103}, {0xEC, 0x0301}, {0xF0, 0x0111},
	{0xF2, 0x0323}, {0xF5, 0x01A1}, {0xFD, 0x01B0}, {0xFE, 0x20AB},
};

/* TCVN 5712, 0x80-0xFF. */
static const uint16_t tcvn_80[128] = {
	/* 0x80 */ 0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,
	/* 0x88 */ 0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,
	/* 0x90 */ 0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,
	/* 0x98 */ 0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,
	/* 0xA0 */ 0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,
	/* 0xA8 */ 0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
	/* 0xB0 */ 0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,
	/* 0xB8 */ 0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,
	/* 0xC0 */ 0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,
	/* 0xC8 */ 0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,
	/* 0xD0 */ 0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,
	/* 0xD8 */ 0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
	/* 0xE0 */ 0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,
	/* 0xE8 */ 0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
	/* 0xF0 */ 0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,
	/* 0xF8 */ 0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,
};

int32_t cl_legacy_cp(cl_encoding enc, unsigned char c)
{
	if (c < 0x80)
		return c;
	if (enc == CL_ENC_TCVN3)
		return tcvn_80[c - 0x80];
	if (enc != CL_ENC_CP1258)
		return NONE;
	if (c < 0xA0)
		return cp1258_80[c - 0x80];
	for (size_t i = 0; i < sizeof cp1258_diff / sizeof cp1258_diff[0]; i++)
		if (cp1258_diff[i].byte == c)
			return cp1258_diff[i].cp;
	return c;
}

int cl_legacy_decode(cl_encoding enc, const char *s, size_t n, cl_buf *out, long *unmapped)
{
	int32_t map[128];
	for (int c = 0; c < 128; c++)
		map[c] = cl_legacy_cp(enc, (unsigned char)(0x80 + c));
	if (cl_buf_reserve(out, n * 3))
		return -1;
	char *o = out->p + out->len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			*o++ = (char)c;
			continue;
		}
		int32_t cp = map[c - 0x80];
		*unmapped += cp == NONE;
		o += kit_utf8_encode(o, cp);
	}
	out->len = (size_t)(o - out->p);
	out->p[out->len] = 0;
	return 0;
}

static int is_tone_mark(int32_t cp)
{
	return cp == 0x300 || cp == 0x301 || cp == 0x303 || cp == 0x309 || cp == 0x323;
}

/* Scores one word of decoded text: +1 if it is well-formed Vietnamese
 * with a letter outside ASCII, -1 if it cannot be, 0 if plain ASCII. */
typedef struct word_score {
	int letters, nonascii, tones, vowels_before_mark, bad, upper_after_lower, lower;
	int32_t prev;
} word_score;

static int finish_word(word_score *w)
{
	int score = 0;
	if (w->letters && w->nonascii)
		score = (w->bad || w->tones > 1 || w->upper_after_lower) ? -1 : 1;
	memset(w, 0, sizeof *w);
	return score;
}

static void add_char(word_score *w, int32_t cp)
{
	if (is_tone_mark(cp)) {
		w->nonascii = 1;
		w->tones++;
		if (cl_vn_vowel(w->prev).base < 0)
			w->bad = 1; /* a tone mark belongs on a vowel */
	} else {
		cl_vowel v = cl_vn_vowel(cp);
		if (cp >= 0x80)
			w->nonascii = 1;
		if (!cl_vn_is_letter(cp))
			w->bad = 1;
		if (v.base >= 0 && v.tone)
			w->tones++;
		if (cl_is_upper(cp) && w->lower)
			w->upper_after_lower = 1;
		if (cl_is_lower(cp))
			w->lower = 1;
		w->letters++;
	}
	w->prev = cp;
}

static long score_as(cl_encoding enc, const char *s, size_t n)
{
	word_score w;
	memset(&w, 0, sizeof w);
	long score = 0;
	for (size_t i = 0; i < n; i++) {
		int32_t cp = cl_legacy_cp(enc, (unsigned char)s[i]);
		if (cl_is_wordchar(cp) || is_tone_mark(cp))
			add_char(&w, cp);
		else
			score += finish_word(&w);
	}
	return score + finish_word(&w);
}

cl_encoding cl_legacy_guess(const char *s, size_t n)
{
	return score_as(CL_ENC_TCVN3, s, n) > score_as(CL_ENC_CP1258, s, n) ? CL_ENC_TCVN3 : CL_ENC_CP1258;
}

int cl_mostly_utf8(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t good = 0, broken = 0;
	for (size_t i = 0; i < n;) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t k;
		if (kit_utf8_decode((const char *)u + i, n - i, &k) >= 0)
			good++;
		else
			broken++;
		i += k;
	}
	return good > 0 && good >= broken;
}

const char *cl_encoding_name(cl_encoding enc)
{
	switch (enc) {
	case CL_ENC_UTF8: return "utf-8";
	case CL_ENC_CP1258: return "cp1258";
	case CL_ENC_TCVN3: return "tcvn3";
	default: return "auto";
	}
}
