/* syllable.c -- is a word one well-formed Vietnamese syllable, and does a
 * text read as Vietnamese?
 *
 * clean.normalize asks this of a file it decoded from a legacy encoding:
 * real Windows-1258 or TCVN3 text decodes to syllables, while an
 * executable, a compressed stream or a text in another 8-bit encoding
 * decodes to letters in orders Vietnamese never writes (ĐÂâ, ¼ºÎ, ...).
 *
 * A syllable is an onset, a nucleus of one to three vowels with at most
 * one tone mark, and a coda; a syllable closed by c, ch, p or t takes
 * only the acute or the dot below. */
#include <string.h>

#include "clean.h"

#define SYLLABLE_MAX 8 /* nghiêng has 7 letters */

/* The vowel bases as one ASCII character each, for the table of nuclei:
 * a ă â e ê i o ô ơ u ư y. */
static const char base_code[CL_V_COUNT + 1] = "a12e3io45u6y";

static const char *const onsets[] = {"b",  "c",   "ch", "d", "D",  "g",  "gh", "gi", "h", "k",  "kh", "l", "m", "n",
				     "ng", "ngh", "nh", "p", "ph", "qu", "r",  "s",  "t", "th", "tr", "v", "x"};
static const char *const nuclei[] = {
	"a",  "1",   "2",   "e",   "3",   "i",   "o",   "4",   "5",   "u",   "6",   "y",   "ai",  "ao",
	"au", "ay",  "2u",  "2y",  "eo",  "3u",  "ia",  "i3",  "iu",  "oa",  "o1",  "oe",  "oi",  "oo",
	"4i", "5i",  "5u",  "ua",  "u2",  "u3",  "ui",  "u4",  "u5",  "uy",  "6a",  "6i",  "65",  "6u",
	"y3", "i3u", "oai", "oay", "oeo", "u2y", "u4i", "65i", "65u", "uya", "uy3", "uyu", "y3u",
};
/* k only in the Ede names the country writes every day (Đắk Lắk). */
static const char *const codas[] = {"c", "ch", "k", "m", "n", "ng", "nh", "p", "t"};

static int listed(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}
#define LISTED(s, list) listed(s, list, sizeof list / sizeof list[0])

/* A consonant in lower case (đ as 'D'), or 0 for anything else. */
static char consonant(int32_t cp)
{
	if (cp == 0x110 || cp == 0x111)
		return 'D';
	if (cp >= 0x80 || !cl_vn_is_letter(cp))
		return 0;
	char c = (char)(cp | 0x20);
	return strchr("aeiouy", c) ? 0 : c;
}

int cl_vn_syllable(const int32_t *w, int m)
{
	if (m < 1 || m > SYLLABLE_MAX)
		return 0;
	char onset[SYLLABLE_MAX + 1], nucleus[SYLLABLE_MAX + 1], coda[SYLLABLE_MAX + 1];
	int i = 0, k = 0, tone = CL_TONE_NONE, tones = 0;
	char c;
	while (i < m && (c = consonant(w[i])))
		onset[k++] = c, i++;
	onset[k] = 0;
	/* gi and qu: the i and the u belong to the onset when a vowel follows */
	if (i + 1 < m && ((!strcmp(onset, "g") && cl_vn_vowel(w[i]).base == CL_V_I) ||
			  (!strcmp(onset, "q") && cl_vn_vowel(w[i]).base == CL_V_U))) {
		cl_vowel v = cl_vn_vowel(w[i]), next = cl_vn_vowel(w[i + 1]);
		if (next.base >= 0 && !v.tone)
			onset[k++] = base_code[v.base], onset[k] = 0, i++;
	}
	if (k && !LISTED(onset, onsets))
		return 0;
	for (k = 0; i < m; i++, k++) {
		cl_vowel v = cl_vn_vowel(w[i]);
		if (v.base < 0)
			break;
		nucleus[k] = base_code[v.base];
		if (v.tone)
			tone = v.tone, tones++;
	}
	nucleus[k] = 0;
	if (!k || tones > 1 || !LISTED(nucleus, nuclei))
		return 0;
	for (k = 0; i < m; i++) {
		if (!(c = consonant(w[i])))
			return 0;
		coda[k++] = c;
	}
	coda[k] = 0;
	if (!k)
		return 1;
	if (!LISTED(coda, codas))
		return 0;
	int stop = coda[0] == 'c' || coda[0] == 'k' || coda[0] == 'p' || coda[0] == 't';
	return !stop || tone == CL_TONE_ACUTE || tone == CL_TONE_DOT;
}

void cl_vn_evidence_add(cl_vn_evidence *ev, const char *s, size_t n)
{
	int32_t w[SYLLABLE_MAX + 1];
	int m = 0, marked = 0, vowels = 0;
	for (size_t i = 0; i <= n;) {
		size_t used = 1;
		int32_t cp = i < n ? cl_utf8_get(s + i, n - i, &used) : ' ';
		if (cl_is_wordchar(cp)) {
			if (m <= SYLLABLE_MAX)
				w[m] = cp;
			m++;
			marked |= cp >= 0x80;
			vowels |= cl_vn_vowel(cp).base >= 0;
		} else if (m) {
			ev->words++;
			/* a word without a vowel is an abbreviation (ĐT, HĐND), not a syllable */
			if (marked && vowels) {
				ev->marked++;
				ev->syllables += m <= SYLLABLE_MAX && cl_vn_syllable(w, m);
			}
			m = marked = vowels = 0;
		}
		i += used;
	}
}

int cl_vn_evidence_reads(const cl_vn_evidence *ev)
{
	/* Most words with a letter outside ASCII are syllables (names and
	 * loanwords are the rest), and such words are not rare: in Vietnamese
	 * prose most syllables carry a mark. */
	return ev->syllables > 0 && ev->syllables * 5 >= ev->marked * 4 && ev->syllables * 5 >= ev->words;
}
