/* kit_vn_tone.h -- one spelling for the two tone placements of Vietnamese.
 *
 * An open syllable ending in oa, oe or uy carries its tone on the first
 * vowel in the older style (hòa, khỏe, thủy) and on the second in the
 * newer one (hoà, khoẻ, thuỷ). Sources mix both, and so do names (Thúy,
 * Thuý); matchers that compare text (gazetteers, dedup) fold to the old
 * style with this so that either spelling finds the other. */
#ifndef TEXTMILL_KIT_VN_TONE_H
#define TEXTMILL_KIT_VN_TONE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The vowels whose letters carry a moving tone, their toned code points
 * by [vowel][case][tone - 1] (lower case first; grave, acute, hook above,
 * tilde, dot below) and their plain letters by [vowel][case]. */
enum { KIT_VN_O, KIT_VN_U, KIT_VN_A, KIT_VN_E, KIT_VN_Y, KIT_VN_VOWELS };
extern const int32_t kit_vn_toned[KIT_VN_VOWELS][2][5];
extern const char kit_vn_plain[KIT_VN_VOWELS][2];

/* Punctuation outside ASCII that news text puts right against a word:
 * Latin-1's (no-break space, «, ») and the general punctuation block
 * (“ ” … – —). Any other character outside ASCII counts as a letter. */
static inline int kit_vn_wide_punct(int32_t cp) { return (cp >= 0x80 && cp < 0xC0) || (cp >= 0x2000 && cp < 0x2070); }

/* May the o or u `first` (KIT_VN_O or KIT_VN_U) after the character
 * `before` (0: none, -1: an invalid byte) begin a syllable's nucleus? Not
 * after a vowel (ươi, oóa: every letter outside ASCII but đ is one), nor u
 * after q (quý: the u belongs to the consonant); after đ or punctuation
 * (“Uỷ) it does. The fold, the regex rewrite and tone_keys agree on it. */
static inline int kit_vn_opens_nucleus(int32_t before, int first)
{
	if (before < 0x80)
		return before >= 0 && !(before && strchr("aeiouyAEIOUY", (int)before)) &&
		       !(first == KIT_VN_U && (before | 0x20) == 'q');
	return before == 0x110 || before == 0x111 || kit_vn_wide_punct(before);
}

/* Rewrite the new-style syllables of the UTF-8 text s[0..len) (NFC) in the
 * old style, in place; returns the new length (never longer: õ takes two
 * bytes, ẽ three). When offsets is not NULL, it has len + 1 entries, one
 * per byte, and moves with the bytes: each rewritten letter takes the
 * offset of the letter it came from, and the entry after the last byte is
 * kept. Anything that is not an open oa, oe or uy syllable (hoàng, quý,
 * ngoài) is left as it is. */
size_t kit_vn_tone_old(char *s, size_t len, size_t *offsets);

/* Where kit_vn_tone_old would first rewrite s[0..len): the offset of the
 * syllable's o or u, or len when it would leave the text as it is. */
size_t kit_vn_tone_first_change(const char *s, size_t len);

/* Whether kit_vn_tone_old would rewrite the syllable whose o or u is
 * s[p] (p < len): one place of kit_vn_tone_first_change's search, for a
 * caller that walks the text itself. */
int kit_vn_tone_changes_at(const char *s, size_t len, size_t p);

#endif
