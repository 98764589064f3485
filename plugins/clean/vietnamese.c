/* vietnamese.c -- the vowels of Vietnamese (12 bases, 6 tones, 2 cases)
 * as (base, tone, case) and back.
 *
 * The tables are built from Unicode itself: each base vowel is composed
 * with each tone mark by utf8proc, so no code point is typed by hand. */
#include <pthread.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "clean.h"

static const int32_t base_cp[CL_V_COUNT] = {
	0x61, 0x103, 0xE2, 0x65, 0xEA, 0x69, 0x6F, 0xF4, 0x1A1, 0x75, 0x1B0, 0x79,
};
static const int32_t tone_mark[6] = {0, 0x300, 0x301, 0x309, 0x303, 0x323};

static int32_t composed[CL_V_COUNT][6][2];
uint8_t cl_vn_index[CL_VN_LIMIT];
static const char *init_failed; /* why, or NULL */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* NFC of a base letter and a tone mark (a full NFC: ặ is a + dot below +
 * breve once the marks are put in canonical order). */
static int32_t compose2(int32_t a, int32_t b)
{
	char in[8];
	size_t n = kit_utf8_encode(in, a);
	if (!b)
		return a;
	n += kit_utf8_encode(in + n, b);
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)n, &out,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (m == UTF8PROC_ERROR_NOMEM)
		return -2;
	int32_t cp = -1;
	if (m > 0) {
		size_t used;
		cp = cl_utf8_get((const char *)out, (size_t)m, &used);
		if (used != (size_t)m)
			cp = -1;
	}
	free(out);
	return cp;
}

static void build(void)
{
	for (int b = 0; b < CL_V_COUNT; b++)
		for (int t = 0; t < 6; t++)
			for (int u = 0; u < 2; u++) {
				int32_t base = u ? utf8proc_toupper(base_cp[b]) : base_cp[b];
				int32_t cp = compose2(base, tone_mark[t]);
				if (cp < 0 || cp >= CL_VN_LIMIT) {
					init_failed =
						cp == -2 ? "out of memory"
							 : "the Unicode library does not compose Vietnamese letters";
					return;
				}
				composed[b][t][u] = cp;
				cl_vn_index[cp] = (uint8_t)(1 + b * 12 + t * 2 + u);
			}
}

int cl_vn_init(void)
{
	pthread_once(&once, build);
	return init_failed ? -1 : 0;
}

const char *cl_vn_init_error(void) { return init_failed ? init_failed : "no error"; }

int32_t cl_vn_compose(int base, int tone, int upper) { return composed[base][tone][upper ? 1 : 0]; }

int cl_vn_is_letter(int32_t cp)
{
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	if (cp == 0x110 || cp == 0x111)
		return 1;
	return cp < CL_VN_LIMIT && cl_vn_index[cp];
}

int cl_is_wordchar(int32_t cp)
{
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF))
		return 1;
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME);
}

int cl_is_upper(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

int cl_is_lower(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z';
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

int32_t cl_to_lower(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	return utf8proc_tolower(cp);
}

int32_t cl_to_upper(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
	return utf8proc_toupper(cp);
}
