/* words.c -- the word-level repairs of clean.normalize: look-alike
 * letters inside Latin words, broken capitals (ĐIện), and where the tone
 * mark sits in oa, oe and uy.
 *
 * Tone placement: Vietnamese writes the tone of an open syllable ending in
 * "oa", "oe" or "uy" either on the first vowel (the older, still most
 * common style: hòa, khỏe, thủy) or on the second (the newer one: hoà,
 * khoẻ, thuỷ). Only those three endings differ, and only when nothing
 * follows them: with a final consonant both styles agree (hoàng, khuyến),
 * and after "q" the u belongs to the consonant (quý). */
#include <pthread.h>
#include <string.h>

#include "words.h"

#define WORD_MAX 64

static int is_ascii_letter(unsigned char c) { return (unsigned char)((c | 0x20) - 'a') < 26; }

static int is_latin(int32_t cp)
{
	return (cp < 0x80 && is_ascii_letter((unsigned char)cp)) ||
	       (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

static int is_greek_or_cyrillic(int32_t cp) { return cp >= 0x370 && cp <= 0x52F; }

/* Cyrillic and Greek letters drawn like a Latin one. */
static int32_t latin_twin(int32_t cp)
{
	static const struct {
		uint16_t from;
		char to;
	} twins[] = {
		{0x0405, 'S'}, {0x0406, 'I'}, {0x0408, 'J'}, {0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'},
		{0x041A, 'K'}, {0x041C, 'M'}, {0x041D, 'H'}, {0x041E, 'O'}, {0x0420, 'P'}, {0x0421, 'C'},
		{0x0422, 'T'}, {0x0423, 'Y'}, {0x0425, 'X'}, {0x0430, 'a'}, {0x0435, 'e'}, {0x043E, 'o'},
		{0x0440, 'p'}, {0x0441, 'c'}, {0x0443, 'y'}, {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'},
		{0x0458, 'j'}, {0x04BB, 'h'}, {0x04C0, 'I'}, {0x0501, 'd'}, {0x051A, 'Q'}, {0x051B, 'q'},
		{0x051C, 'W'}, {0x051D, 'w'}, {0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'}, {0x0396, 'Z'},
		{0x0397, 'H'}, {0x0399, 'I'}, {0x039A, 'K'}, {0x039C, 'M'}, {0x039D, 'N'}, {0x039F, 'O'},
		{0x03A1, 'P'}, {0x03A4, 'T'}, {0x03A5, 'Y'}, {0x03A7, 'X'}, {0x03B1, 'a'}, {0x03B9, 'i'},
		{0x03BA, 'k'}, {0x03BD, 'v'}, {0x03BF, 'o'}, {0x03C1, 'p'}, {0x03C5, 'u'},
	};
	for (size_t i = 0; i < sizeof twins / sizeof twins[0]; i++)
		if (twins[i].from == cp)
			return twins[i].to;
	return 0;
}

static int fix_lookalikes(int32_t *w, int m, int *recompose)
{
	int latin = 0, foreign = 0;
	for (int i = 0; i < m; i++) {
		if (is_latin(w[i]))
			latin = 1;
		else if (is_greek_or_cyrillic(w[i])) {
			if (!latin_twin(w[i]))
				return 0; /* a real Greek or Cyrillic word */
			foreign = 1;
		}
	}
	if (!latin || !foreign)
		return 0;
	for (int i = 0; i < m; i++)
		if (is_greek_or_cyrillic(w[i])) {
			w[i] = latin_twin(w[i]);
			if (i + 1 < m && !cl_vn_is_letter(w[i + 1]) && !is_latin(w[i + 1]))
				*recompose = 1; /* a combining mark now follows a Latin letter */
		}
	return 1;
}

/* Ð and ð (eth) stand for Đ and đ in Vietnamese typed with old fonts or
 * read by OCR, and are themselves in Icelandic and Faroese (Sigurður).
 * They become Đ đ in a word that is then a Vietnamese syllable, or in an
 * abbreviation without vowels (HÐND). Returns how many changed. */
static int fix_eth(int32_t *w, int m)
{
	int32_t t[WORD_MAX];
	int eths = 0, vowels = 0;
	for (int i = 0; i < m; i++) {
		t[i] = w[i];
		if (w[i] == 0xD0 || w[i] == 0xF0)
			t[i] = w[i] == 0xD0 ? 0x110 : 0x111, eths++;
		vowels |= cl_vn_vowel(w[i]).base >= 0;
	}
	if (!eths || (vowels && !cl_vn_syllable(t, m)))
		return 0;
	memcpy(w, t, (size_t)m * sizeof *w);
	return eths;
}

/* ĐIện, QUảng, KHông: two capitals and then only small letters, in a
 * word that is a Vietnamese syllable once repaired. Brand and company
 * names are written so on purpose (TCty, VMware, APink, IPhone, VSmart)
 * and are not syllables; a foreign word typed so (MIlan) is left too. */
static int fix_case(int32_t *w, int m)
{
	if (m < 4 || !cl_is_upper(w[0]) || !cl_is_upper(w[1]))
		return 0;
	for (int i = 2; i < m; i++)
		if (!cl_is_lower(w[i]))
			return 0;
	int32_t second = w[1];
	w[1] = cl_to_lower(second);
	if (cl_vn_syllable(w, m))
		return 1;
	w[1] = second;
	return 0;
}

static int fix_tone(int32_t *w, int m, cl_tone_style style)
{
	if (m < 2)
		return 0;
	cl_vowel v1 = cl_vn_vowel(w[m - 2]), v2 = cl_vn_vowel(w[m - 1]);
	int pair = (v1.base == CL_V_O && (v2.base == CL_V_A || v2.base == CL_V_E)) ||
		   (v1.base == CL_V_U && v2.base == CL_V_Y);
	if (!pair)
		return 0;
	if (m > 2) {
		int32_t before = w[m - 3];
		if (cl_vn_vowel(before).base >= 0)
			return 0;
		if (v1.base == CL_V_U && (before == 'q' || before == 'Q'))
			return 0;
	}
	if (style == CL_TONES_NEW && v1.tone && !v2.tone) {
		w[m - 1] = cl_vn_compose(v2.base, v1.tone, v2.upper);
		w[m - 2] = cl_vn_compose(v1.base, CL_TONE_NONE, v1.upper);
		return 1;
	}
	if (style == CL_TONES_OLD && !v1.tone && v2.tone) {
		w[m - 2] = cl_vn_compose(v1.base, v2.tone, v1.upper);
		w[m - 1] = cl_vn_compose(v2.base, CL_TONE_NONE, v2.upper);
		return 1;
	}
	return 0;
}

static int fix_word(const cl_norm_opts *o, int32_t *w, int m, int ascii, int confusables, cl_norm_stats *st,
		    int *recompose)
{
	int changed = 0;
	if (!ascii && (confusables & CL_CONFUSE_SCRIPT) && o->lookalikes && fix_lookalikes(w, m, recompose)) {
		st->lookalikes++;
		changed = 1;
	}
	int eths;
	if (!ascii && (confusables & CL_CONFUSE_ETH) && o->lookalikes && (eths = fix_eth(w, m))) {
		st->lookalikes += eths;
		changed = 1;
	}
	if (o->fix_case && fix_case(w, m)) {
		st->cases++;
		changed = 1;
	}
	if (!ascii && o->tones != CL_TONES_KEEP && fix_tone(w, m, o->tones)) {
		st->tones++;
		changed = 1;
	}
	return changed;
}

static int vn_upper(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	cl_vowel v = cl_vn_vowel(cp);
	if (v.base >= 0)
		return v.upper;
	return cp == 0x110 || cl_is_upper(cp);
}

static int is_o_or_u(unsigned char c) { return c == 'o' || c == 'O' || c == 'u' || c == 'U'; }
static int is_a_e_y(unsigned char c) { return c == 'a' || c == 'A' || c == 'e' || c == 'E' || c == 'y' || c == 'Y'; }

/* Could fix_word change the word s[0..n)? Tests on a few bytes at its
 * ends, so that the many words that need nothing are never decoded. */
static int worth_a_look(const cl_norm_opts *o, const unsigned char *s, size_t n, int ascii, int confusables)
{
	if (!ascii && (confusables & CL_CONFUSE_SCRIPT) && o->lookalikes)
		return 1;
	if (!ascii && (confusables & CL_CONFUSE_ETH) && o->lookalikes)
		for (size_t i = 0; i + 1 < n; i++)
			if (s[i] == 0xC3 && (s[i + 1] == 0x90 || s[i + 1] == 0xB0))
				return 1;
	if (o->fix_case && n >= 4 && (s[0] >= 'A' && s[0] <= 'Z' ? s[1] >= 'A' && s[1] <= 'Z' : s[0] >= 0x80)) {
		size_t k, k2;
		if (vn_upper(cl_utf8_get((const char *)s, n, &k)) &&
		    vn_upper(cl_utf8_get((const char *)s + k, n - k, &k2)))
			return 1;
	}
	if (ascii || o->tones == CL_TONES_KEEP || n < 3)
		return 0;
	unsigned char last = s[n - 1];
	if (o->tones == CL_TONES_NEW) {
		/* a toned o/u (two or three bytes) just before a final a, e or y */
		if (!is_a_e_y(last) || s[n - 2] < 0x80)
			return 0;
		size_t at;
		return cl_vn_vowel(cl_utf8_prev((const char *)s, n - 1, &at)).tone != 0;
	}
	/* a final toned a, e or y just after a plain o or u */
	if (last < 0x80)
		return 0;
	size_t at;
	cl_vowel v = cl_vn_vowel(cl_utf8_prev((const char *)s, n, &at));
	return v.tone && at > 0 && is_o_or_u(s[at - 1]);
}

/* How the word scanner sees a byte. */
enum { B_SEP, B_LETTER, B_CONT, B_LATIN, B_OTHER };
static unsigned char byte_class[256];

static void init_classes(void)
{
	for (int c = 0; c < 256; c++) {
		unsigned char k = B_SEP;
		if (c < 0x80)
			k = is_ascii_letter((unsigned char)c) ? B_LETTER : B_SEP;
		else if (c < 0xC0)
			k = B_CONT;
		else if ((c >= 0xC3 && c <= 0xCB) || c == 0xE1)
			k = B_LATIN; /* U+00C0-U+02FF, U+1000-U+1FFF: letters, near enough */
		else if (c == 0xC2 || c == 0xE2 || c == 0xE3)
			k = B_SEP; /* U+0080-U+00BF, U+2000-U+3FFF: spaces, punctuation, symbols */
		else
			k = B_OTHER;
		byte_class[c] = k;
	}
}

int cl_words_pass(const cl_norm_opts *o, const char *s, size_t len, cl_buf *out, int confusables, cl_norm_stats *st,
		  int *recompose, int *changed)
{
	const unsigned char *u = (const unsigned char *)s;
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	size_t i = 0, copied = 0;
	pthread_once(&once, init_classes);
	*changed = 0;
	cl_buf_clear(out);
	while (i < len) {
		unsigned char k = byte_class[u[i]];
		if (k == B_SEP || k == B_CONT) {
			i++;
			continue;
		}
		size_t start = i;
		int ascii = 1;
		while (i < len) {
			k = byte_class[u[i]];
			if (k == B_LETTER) {
				i++;
			} else if (k == B_CONT || k == B_LATIN) {
				ascii = 0;
				i++;
			} else if (k == B_OTHER) {
				size_t used;
				if (!cl_is_wordchar(cl_utf8_get(s + i, len - i, &used)))
					break;
				ascii = 0;
				i += used;
			} else {
				break;
			}
		}
		if (i == start) { /* a character outside ASCII that is not a letter */
			i++;
			continue;
		}
		if (!worth_a_look(o, u + start, i - start, ascii, confusables))
			continue;
		int32_t w[WORD_MAX];
		int m = 0;
		size_t used;
		for (size_t j = start; j < i; j += used, m++) {
			int32_t cp = cl_utf8_get(s + j, i - j, &used);
			if (m < WORD_MAX)
				w[m] = cp;
		}
		if (m > WORD_MAX || !fix_word(o, w, m, ascii, confusables, st, recompose))
			continue;
		/* Copy what came before unchanged, then the new word. */
		if (cl_buf_reserve(out, (start - copied) + (size_t)m * 4))
			return -1;
		memcpy(out->p + out->len, s + copied, start - copied);
		out->len += start - copied;
		for (int j = 0; j < m; j++)
			out->len += kit_utf8_encode(out->p + out->len, w[j]);
		copied = i;
		*changed = 1;
	}
	if (*changed && cl_buf_put(out, s + copied, len - copied))
		return -1;
	return 0;
}
