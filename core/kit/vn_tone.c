/* vn_tone.c -- new-style tone placement (hoà) folded to the old (hòa);
 * see textmill/kit_vn_tone.h. */
#include <stdint.h>
#include <string.h>

#include "textmill/kit.h"
#include "textmill/kit_vn_tone.h"

const int32_t kit_vn_toned[KIT_VN_VOWELS][2][5] = {
	{{0xF2, 0xF3, 0x1ECF, 0xF5, 0x1ECD}, {0xD2, 0xD3, 0x1ECE, 0xD5, 0x1ECC}},
	{{0xF9, 0xFA, 0x1EE7, 0x169, 0x1EE5}, {0xD9, 0xDA, 0x1EE6, 0x168, 0x1EE4}},
	{{0xE0, 0xE1, 0x1EA3, 0xE3, 0x1EA1}, {0xC0, 0xC1, 0x1EA2, 0xC3, 0x1EA0}},
	{{0xE8, 0xE9, 0x1EBB, 0x1EBD, 0x1EB9}, {0xC8, 0xC9, 0x1EBA, 0x1EBC, 0x1EB8}},
	{{0x1EF3, 0xFD, 0x1EF7, 0x1EF9, 0x1EF5}, {0x1EF2, 0xDD, 0x1EF6, 0x1EF8, 0x1EF4}},
};
const char kit_vn_plain[KIT_VN_VOWELS][2] = {{'o', 'O'}, {'u', 'U'}, {'a', 'A'}, {'e', 'E'}, {'y', 'Y'}};

/* The toned a, e or y cp: its vowel, case and tone (1-5), or 0. */
static int second_vowel(int32_t cp, int *v, int *upper)
{
	for (int i = KIT_VN_A; i < KIT_VN_VOWELS; i++)
		for (int u = 0; u < 2; u++)
			for (int t = 0; t < 5; t++)
				if (kit_vn_toned[i][u][t] == cp) {
					*v = i, *upper = u;
					return t + 1;
				}
	return 0;
}

static int is_ascii_letter(unsigned char c) { return (unsigned char)((c | 0x20) - 'a') < 26; }

/* The character that ends right before s[i] (0 at the start), read back
 * over its continuation bytes. */
static int32_t char_before(const unsigned char *s, size_t i)
{
	if (!i)
		return 0;
	if (s[i - 1] < 0x80)
		return s[i - 1];
	size_t k = i - 1;
	while (k > 0 && i - k < 4 && (s[k] & 0xC0) == 0x80)
		k--;
	size_t n;
	int32_t cp = kit_utf8_decode((const char *)s + k, i - k, &n);
	return k + n == i ? cp : -1;
}

/* Does a new-style syllable end with the 'o' or 'u' at s[i] and the
 * letter after it? `before` is the character before s[i] in the original
 * text (0 at the start). If so, the second letter's code point and length. */
static int candidate(const unsigned char *s, size_t len, size_t i, int32_t before, int32_t *cp2, size_t *n2,
		     int *tone, int *v2, int *upper2)
{
	int first = (s[i] | 0x20) == 'o' ? KIT_VN_O : KIT_VN_U;
	if (i + 1 >= len || s[i + 1] < 0x80)
		return 0;
	if (!kit_vn_opens_nucleus(before, first))
		return 0;
	*cp2 = kit_utf8_decode((const char *)s + i + 1, len - i - 1, n2);
	size_t end = i + 1 + *n2, n;
	/* a closed syllable (hoàng, đoàn: the most of them) before the table */
	if (*cp2 < 0 || (end < len && is_ascii_letter(s[end])))
		return 0;
	if (!(*tone = second_vowel(*cp2, v2, upper2)) || (first == KIT_VN_O) != (*v2 == KIT_VN_A || *v2 == KIT_VN_E))
		return 0;
	if (end == len || s[end] < 0x80)
		return 1;
	return s[end] >= 0x80 && kit_vn_wide_punct(kit_utf8_decode((const char *)s + end, len - end, &n)); /* Hoà… */
}

/* Whether the eight bytes at p may hold an o or u (either case) followed
 * by a byte outside ASCII (p[8] is read too): bytes equal to o or u are
 * found a word at a time (the zero-byte test flags every byte that is
 * zero, and at worst one more above it; the caller looks again). */
static int maybe_site(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t w, next;
	memcpy(&w, p, 8);
	memcpy(&next, p + 1, 8);
	uint64_t before_high = next & highs; /* bit 7 of byte k: byte k + 1 is outside ASCII */
	if (!before_high)
		return 0;
	uint64_t x = w | (ones * 0x20), o = x ^ (ones * 'o'), u = x ^ (ones * 'u');
	uint64_t is_o = (o - ones) & ~o & highs, is_u = (u - ones) & ~u & highs;
	return ((is_o | is_u) & before_high) != 0;
}

/* The first p >= i where an o or u is followed by a byte outside ASCII
 * (the only places a syllable can be rewritten), or len. Blocks of eight
 * bytes without one are stepped over whole. */
static size_t next_site(const unsigned char *s, size_t len, size_t i)
{
	while (i + 1 < len) {
		while (i + 9 <= len && !maybe_site(s + i))
			i += 8;
		size_t end = i + 8 < len - 1 ? i + 8 : len - 1;
		for (; i < end; i++)
			if (s[i + 1] >= 0x80 && ((s[i] | 0x20) == 'o' || (s[i] | 0x20) == 'u'))
				return i;
	}
	return len;
}

/* Moves s[r..r+n) (and its offsets) down to w, when something before got
 * shorter. */
static void move_down(unsigned char *s, size_t *offsets, size_t w, size_t r, size_t n)
{
	if (w == r || !n)
		return;
	memmove(s + w, s + r, n);
	if (offsets)
		memmove(offsets + w, offsets + r, n * sizeof *offsets);
}

size_t kit_vn_tone_first_change(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	int32_t cp2;
	size_t n2;
	int tone, v2, upper2;
	for (size_t p = next_site(s, len, 0); p < len; p = next_site(s, len, p + 1))
		if (candidate(s, len, p, char_before(s, p), &cp2, &n2, &tone, &v2, &upper2))
			return p;
	return len;
}

int kit_vn_tone_changes_at(const char *str, size_t len, size_t p)
{
	const unsigned char *s = (const unsigned char *)str;
	int32_t cp2;
	size_t n2;
	int tone, v2, upper2;
	if (p >= len || ((s[p] | 0x20) != 'o' && (s[p] | 0x20) != 'u'))
		return 0;
	return candidate(s, len, p, char_before(s, p), &cp2, &n2, &tone, &v2, &upper2);
}

size_t kit_vn_tone_old(char *str, size_t len, size_t *offsets)
{
	unsigned char *s = (unsigned char *)str;
	size_t r = 0, w = 0;
	/* Text between the sites is moved in blocks, not byte by byte: most
	 * text has no site, and most rewrites keep the length. */
	while (r < len) {
		size_t p = next_site(s, len, r);
		move_down(s, offsets, w, r, p - r);
		w += p - r;
		r = p;
		if (r >= len)
			break;
		/* The character before r is the one that ends the output so far:
		 * the text between sites is moved as it is, and a rewrite ends in
		 * a plain a, e or y (a vowel, as the toned one it replaced). */
		unsigned char c = s[r];
		int32_t before = char_before(s, w);
		int32_t cp2;
		size_t n2;
		int tone, v2, upper2;
		if (!candidate(s, len, r, before, &cp2, &n2, &tone, &v2, &upper2)) {
			move_down(s, offsets, w, r, 1);
			r++, w++;
			continue;
		}
		int first = (c | 0x20) == 'o' ? KIT_VN_O : KIT_VN_U, upper1 = c < 'a';
		char one[4];
		size_t n1 = kit_utf8_encode(one, kit_vn_toned[first][upper1][tone - 1]);
		size_t off1 = offsets ? offsets[r] : 0, off2 = offsets ? offsets[r + 1] : 0;
		memcpy(s + w, one, n1);
		s[w + n1] = (unsigned char)kit_vn_plain[v2][upper2];
		if (offsets) {
			for (size_t k = 0; k < n1; k++)
				offsets[w + k] = off1;
			offsets[w + n1] = off2;
		}
		w += n1 + 1;
		r += 1 + n2;
	}
	if (offsets)
		offsets[w] = offsets[len];
	return w;
}
