/* nfc.c -- Unicode NFC through utf8proc, run only when it can matter.
 *
 * Nearly all scraped Vietnamese text is already NFC, and composing every
 * document would cost more than the rest of clean.normalize together. So
 * the first pass asks, for each character outside ASCII, whether it could
 * change under NFC (a combining mark, a singleton like U+212B, a Hangul
 * jamo, anything NFC would rewrite on its own); only then is the whole
 * text composed. The answer per character is cached per instance. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "nfc.h"

static int compute(int32_t cp)
{
	const utf8proc_property_t *p = utf8proc_get_property(cp);
	if (p->combining_class || p->comp_exclusion)
		return 1;
	if (p->category == UTF8PROC_CATEGORY_MN || p->category == UTF8PROC_CATEGORY_MC ||
	    p->category == UTF8PROC_CATEGORY_ME)
		return 1;
	if (cp >= 0x1100 && cp <= 0x11FF)
		return 1; /* conjoining jamo compose with what precedes them */
	char in[4];
	size_t n = kit_utf8_encode(in, cp);
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)n, &out,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	int changed = m < 0 || (size_t)m != n || memcmp(out, in, n) != 0;
	free(out);
	return changed;
}

int cl_nfc_sensitive(uint8_t *cache, int32_t cp)
{
	if (cp < 0x300)
		return 0;
	if (cp >= 0x10000 || !cache)
		return compute(cp);
	if (!cache[cp])
		cache[cp] = (uint8_t)(1 + compute(cp));
	return cache[cp] == 2;
}

int cl_nfc(const char *s, size_t len, cl_buf *out)
{
	utf8proc_uint8_t *res = NULL;
	utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &res,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (m < 0) {
		free(res);
		return -1;
	}
	cl_buf_clear(out);
	int rc = cl_buf_put(out, res, (size_t)m);
	free(res);
	return rc;
}
