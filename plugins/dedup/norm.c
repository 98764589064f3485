/* norm.c -- per-code-point normalisation tables and the two consumers of
 * normalised text: a whole-text hash and a token stream. */
#include "norm.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static size_t put_utf8(char *out, int32_t cp)
{
	utf8proc_uint8_t tmp[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, tmp);
	memcpy(out, tmp, (size_t)n);
	return (size_t)n;
}

static dd_class class_of(int32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\v' || cp == '\f' || cp == '\r' || cp == 0x85)
		return DD_SPACE;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO: return DD_WORD;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME: return DD_MARK;
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP: return DD_SPACE;
	case UTF8PROC_CATEGORY_PC:
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO:
	case UTF8PROC_CATEGORY_SM:
	case UTF8PROC_CATEGORY_SC:
	case UTF8PROC_CATEGORY_SK:
	case UTF8PROC_CATEGORY_SO: return DD_PUNCT;
	case UTF8PROC_CATEGORY_CF: return DD_IGNORE;
	default: return DD_OTHER;
	}
}

static void compute(int32_t cp, unsigned flags, dd_cp *e)
{
	e->cls = (uint8_t)class_of(cp);
	e->len = 0;
	if (e->cls == DD_IGNORE)
		return;
	if (e->cls == DD_SPACE || e->cls == DD_OTHER || !utf8proc_codepoint_valid(cp)) {
		e->len = (uint8_t)put_utf8(e->out, cp);
		return;
	}
	if ((flags & DD_DIACRITICS_FOLD) && (cp == 0x0110 || cp == 0x0111))
		cp = cp == 0x0110 ? 'D' : 'd'; /* đ has no decomposition */
	utf8proc_option_t opt = UTF8PROC_DECOMPOSE;
	if (flags & DD_CASE_FOLD)
		opt |= UTF8PROC_CASEFOLD;
	if (flags & DD_DIACRITICS_FOLD)
		opt |= UTF8PROC_STRIPMARK;
	utf8proc_int32_t parts[8];
	int boundclass = UTF8PROC_BOUNDCLASS_START;
	utf8proc_ssize_t n = utf8proc_decompose_char(cp, parts, 8, opt, &boundclass);
	if (n < 0 || n > 8) { /* cannot happen for valid code points; keep it as it is */
		e->len = (uint8_t)put_utf8(e->out, cp);
		return;
	}
	size_t len = 0;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		char tmp[4];
		size_t k = put_utf8(tmp, parts[i]);
		if (len + k > sizeof e->out) {
			e->len = (uint8_t)put_utf8(e->out, cp);
			return;
		}
		memcpy(e->out + len, tmp, k);
		len += k;
	}
	e->len = (uint8_t)len;
}

int dd_norm_init(dd_norm *n, unsigned flags)
{
	n->flags = flags;
	n->table = malloc(DD_TABLE_CPS * sizeof *n->table);
	n->word_cp = malloc(DD_TABLE_CPS);
	if (!n->table || !n->word_cp) {
		dd_norm_free(n);
		return -1;
	}
	for (int32_t cp = 0; cp < DD_TABLE_CPS; cp++) {
		dd_cp *e = &n->table[cp];
		compute(cp, flags, e);
		/* A toned o or u outside ASCII may open a pair too (hòa), but
		 * tone_pair spells such a pair as its two entries one after the
		 * other: the token's bytes are the same without it. */
		n->word_cp[cp] = e->cls == DD_WORD || e->cls == DD_MARK;
	}
	for (int c = 0; c < 128; c++) {
		const dd_cp *e = &n->table[c];
		int vowel = (c | 0x20) == 'o' || (c | 0x20) == 'u'; /* see norm_at */
		int letter = e->cls == DD_WORD && e->len == 1;
		n->word_byte[c] = letter && !vowel ? (unsigned char)e->out[0] : 0;
		n->vowel_byte[c] = letter && vowel ? (unsigned char)e->out[0] : 0;
	}
	return 0;
}

void dd_norm_free(dd_norm *n)
{
	free(n->table);
	free(n->word_cp);
	n->table = NULL;
	n->word_cp = NULL;
}

static inline const dd_cp *plain_next(const dd_norm *n, const unsigned char *s, size_t len, size_t *adv, dd_cp *tmp);

static int is_tone_mark(const char *m)
{
	return (unsigned char)m[0] == 0xCC &&
	       ((unsigned char)m[1] == 0x80 || (unsigned char)m[1] == 0x81 || (unsigned char)m[1] == 0x83 ||
		(unsigned char)m[1] == 0x89 || (unsigned char)m[1] == 0xA3);
}

/* Does the word end at s (len bytes left)? */
static int word_ends(const dd_norm *n, const unsigned char *s, size_t len)
{
	size_t k;
	dd_cp t;
	if (!len)
		return 1;
	const dd_cp *e = plain_next(n, s, len, &k, &t);
	return e->cls != DD_WORD && e->cls != DD_MARK;
}

/* One entry for the two letters first (o or u, plain, entry e1) and
 * second (a, e after o; y after u; entry e2), one of them with a tone
 * mark, when they end a word: spelt first, mark, second, which is how
 * the old style has it. So hoà and hòa, thuỷ and thủy give the same bytes
 * and the same tokens. */
static const dd_cp *tone_pair(const dd_cp *e1, const dd_cp *e2, size_t adv, size_t *out_adv, dd_cp *tmp)
{
	const dd_cp *toned = e1->len == 3 ? e1 : e2, *plain = e1->len == 3 ? e2 : e1;
	if (toned->len != 3 || plain->len != 1 || !is_tone_mark(toned->out + 1))
		return NULL;
	char first = (char)(e1->out[0] | 0x20), second = (char)(e2->out[0] | 0x20);
	if (first == 'o' ? second != 'a' && second != 'e' : first != 'u' || second != 'y')
		return NULL;
	tmp->cls = DD_WORD;
	tmp->len = 4;
	tmp->out[0] = e1->out[0];
	memcpy(tmp->out + 1, toned->out + 1, 2);
	tmp->out[3] = e2->out[0];
	*out_adv = adv;
	return tmp;
}

/* The o or u at s[0] (plain in ASCII, or toned and k bytes long, entry
 * e1) with the letter after it, when the two end a word; else NULL. */
static const dd_cp *vowel_pair(const dd_norm *n, const unsigned char *s, size_t len, size_t k, const dd_cp *e1,
			       size_t *adv, dd_cp *tmp)
{
	size_t n2;
	dd_cp t2;
	if (k >= len || (n->flags & DD_DIACRITICS_FOLD))
		return NULL;
	const dd_cp *e2 = plain_next(n, s + k, len - k, &n2, &t2);
	if (e2 == &t2 || !word_ends(n, s + k + n2, len - k - n2))
		return NULL;
	return tone_pair(e1, e2, k + n2, adv, tmp);
}

/* The entry of the code point at s, without looking at its neighbours;
 * inlined into the token and hash loops, as it runs once per code point
 * of every document. */
static inline const dd_cp *plain_next(const dd_norm *n, const unsigned char *s, size_t len, size_t *adv, dd_cp *tmp)
{
	unsigned c = s[0];
	if (c < 0x80) {
		*adv = 1;
		return &n->table[c];
	}
	size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
	int32_t cp = need == 4 ? (int32_t)(c & 0x07) : need == 3 ? (int32_t)(c & 0x0F) : (int32_t)(c & 0x1F);
	int ok = need && need <= len;
	for (size_t i = 1; ok && i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			ok = 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if (!ok) { /* not UTF-8: one opaque byte */
		*adv = 1;
		tmp->cls = DD_OTHER;
		tmp->len = 1;
		tmp->out[0] = (char)c;
		return tmp;
	}
	*adv = need;
	if (cp < DD_TABLE_CPS)
		return &n->table[cp];
	compute(cp, n->flags, tmp);
	return tmp;
}

/* The entry at s, joined with the next letter when the two are a toned
 * pair that tone_pair() spells one way. */
static inline const dd_cp *norm_at(const dd_norm *n, const unsigned char *s, size_t len, size_t *adv, dd_cp *tmp)
{
	const dd_cp *e = plain_next(n, s, len, adv, tmp), *pair;
	if (e == tmp || e->cls != DD_WORD || *adv >= len)
		return e;
	/* a plain o or u before a letter outside ASCII (hoà), or a toned one
	 * before one in ASCII (hòa): a pair tone_pair() may join */
	char first = (char)(e->out[0] | 0x20);
	if ((first == 'o' || first == 'u') && (s[0] < 0x80 ? s[1] >= 0xC3 : e->len == 3 && s[*adv] < 0x80) &&
	    (pair = vowel_pair(n, s, len, *adv, e, adv, tmp)))
		return pair;
	return e;
}

const dd_cp *dd_norm_next(const dd_norm *n, const unsigned char *s, size_t len, size_t *adv, dd_cp *tmp)
{
	return norm_at(n, s, len, adv, tmp);
}

dd_digest dd_norm_hash(const dd_norm *n, const char *text, size_t len, uint64_t seed, size_t *chars)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	unsigned flags = n->flags;
	int keep_ws = !(flags & (DD_WS_COLLAPSE | DD_WS_REMOVE));
	int pending = 0, started = 0;
	size_t count = 0;
	dd_h128 h;
	dd_h128_init(&h, seed);
	while (p < end) {
		size_t adv;
		dd_cp tmp;
		const dd_cp *e = norm_at(n, p, (size_t)(end - p), &adv, &tmp);
		p += adv;
		int cls = e->cls;
		if (cls == DD_PUNCT && (flags & DD_PUNCT_REMOVE)) {
			if (keep_ws)
				continue;
			cls = DD_SPACE;
		}
		if (cls == DD_SPACE) {
			if (keep_ws) {
				dd_h128_bytes(&h, e->out, e->len);
				count++;
			} else if (flags & DD_WS_COLLAPSE) {
				pending = started;
			}
			continue;
		}
		if (!e->len)
			continue;
		if (pending) {
			dd_h128_byte(&h, ' ');
			count++;
			pending = 0;
		}
		dd_h128_bytes(&h, e->out, e->len);
		count++;
		started = 1;
	}
	if (chars)
		*chars = count;
	return dd_h128_final(&h);
}

void dd_tokens_init(dd_tokens *t, const dd_norm *n, const char *text, size_t len, int chars)
{
	t->n = n;
	t->p = (const unsigned char *)text;
	t->end = t->p + len;
	t->chars = chars;
	t->pending_space = 0;
	t->started = 0;
}

static uint64_t fnv_bytes(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = dd_fnv_byte(h, (unsigned char)s[i]);
	return h;
}

/* The word at *pp, hashed into *out; 0 when the text ends first. The
 * cursor is a local, not t->p: a char store (into tmp) may alias any
 * field, and would make the compiler reload it every code point. */
static inline int scan_word(const dd_norm *n, const unsigned char **pp, const unsigned char *end, uint64_t *out)
{
	const unsigned char *p = *pp;
	uint64_t h = DD_FNV_INIT;
	int inword = 0;
	while (p < end) {
		unsigned c = *p;
		if (c < 0x80) {
			unsigned b = n->word_byte[c];
			/* o, u: a pair only before a character of two or three bytes */
			if (!b && n->vowel_byte[c] && (p + 1 == end || p[1] < 0xC3))
				b = n->vowel_byte[c];
			if (b) { /* what norm_at gives it, most of the text */
				h = dd_fnv_byte(h, (unsigned char)b);
				inword = 1;
				p++;
				continue;
			}
		} else if (c >= 0xC0 && c < 0xF0) {
			/* a character of two or three bytes, decoded as plain_next
			 * does; its entry taken here when it is a word's alone */
			size_t k = c < 0xE0 ? 2 : 3;
			if ((size_t)(end - p) >= k && (p[1] & 0xC0) == 0x80 && (k == 2 || (p[2] & 0xC0) == 0x80)) {
				uint32_t cp = k == 2 ? (c & 0x1Fu) << 6 | (p[1] & 0x3Fu)
						     : (c & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
				if (cp < DD_TABLE_CPS && n->word_cp[cp]) {
					const dd_cp *e = &n->table[cp];
					h = e->len == 1 ? dd_fnv_byte(h, (unsigned char)e->out[0])
							: fnv_bytes(h, e->out, e->len);
					inword |= e->len != 0;
					p += k;
					continue;
				}
			}
		}
		size_t adv;
		dd_cp tmp;
		const dd_cp *e = norm_at(n, p, (size_t)(end - p), &adv, &tmp);
		p += adv;
		if (e->cls == DD_WORD || e->cls == DD_MARK) {
			h = e->len == 1 ? dd_fnv_byte(h, (unsigned char)e->out[0]) : fnv_bytes(h, e->out, e->len);
			inword |= e->len != 0;
		} else if (e->cls != DD_IGNORE && inword) {
			break;
		}
	}
	*pp = p;
	*out = dd_fmix64(h);
	return inword;
}

static int next_word(dd_tokens *t, uint64_t *out) { return scan_word(t->n, &t->p, t->end, out); }

/* One code point with the combining marks that follow it. */
static int next_char(dd_tokens *t, uint64_t *out)
{
	uint64_t h = DD_FNV_INIT;
	int have = 0;
	while (t->p < t->end) {
		size_t adv;
		dd_cp tmp;
		const dd_cp *e = norm_at(t->n, t->p, (size_t)(t->end - t->p), &adv, &tmp);
		int cls = e->cls;
		if (cls == DD_PUNCT && (t->n->flags & DD_PUNCT_REMOVE))
			cls = DD_SPACE;
		if (cls == DD_IGNORE || (cls == DD_MARK && !have && !t->started) || (cls != DD_SPACE && !e->len)) {
			t->p += adv;
			continue;
		}
		if (cls == DD_SPACE) {
			if (have)
				break;
			t->pending_space = t->started;
			t->p += adv;
			continue;
		}
		if (cls == DD_MARK) {
			h = fnv_bytes(h, e->out, e->len);
			have = 1;
			t->p += adv;
			continue;
		}
		if (have)
			break; /* this code point starts the next token */
		if (t->pending_space) {
			t->pending_space = 0;
			*out = dd_fmix64(dd_fnv_byte(DD_FNV_INIT, ' '));
			return 1;
		}
		h = fnv_bytes(h, e->out, e->len);
		have = 1;
		t->started = 1;
		t->p += adv;
	}
	*out = dd_fmix64(h);
	return have;
}

int dd_tokens_next(dd_tokens *t, uint64_t *h) { return t->chars ? next_char(t, h) : next_word(t, h); }

size_t dd_tokens_fill(dd_tokens *t, uint64_t *out, size_t max)
{
	size_t got = 0;
	if (t->chars) {
		while (got < max && next_char(t, &out[got]))
			got++;
		return got;
	}
	const unsigned char *p = t->p;
	while (got < max && scan_word(t->n, &p, t->end, &out[got]))
		got++;
	t->p = p;
	return got;
}
