/* textops.c -- UTF-8 text helpers (see textops.h).
 *
 * Folding works cluster by cluster: a cluster is a character and the
 * characters after it that may change it under normalization (combining
 * marks, and the few characters of combining class 0 that compose with the
 * character before them). A cluster of one code point below CACHE_LIMIT
 * -- all of Vietnamese, Latin, Greek, Cyrillic, general punctuation and the
 * currency signs -- is folded by a table lookup; anything else goes through
 * utf8proc. The tables are made by the same slow path, so both agree. */
#include "textops.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "byte_words.h"

/* Code points below this have their folds cached (per fold mode). */
#define CACHE_LIMIT 0x2100
/* Longest cached fold, in bytes; longer ones take the slow path. */
#define CACHE_MAX 7
#define NOT_CACHED 0xFF

typedef struct {
	uint8_t len; /* bytes in b, or NOT_CACHED */
	char b[CACHE_MAX];
} fold_entry;

/* One table per combination of TEXTOPS_FOLD_CASE and TEXTOPS_FOLD_MARKS. */
static fold_entry fold_tab[4][CACHE_LIMIT];
/* Bit set: the code point joins the cluster of the character before it. */
static uint8_t joins_tab[CACHE_LIMIT / 8];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

/* ---- UTF-8 ---- */

/* Inlined into the loops that decode (folding, counting). */
static inline __attribute__((always_inline)) size_t decode(const char *str, size_t len, size_t i, int32_t *cp);

size_t textops_utf8_decode(const char *str, size_t len, size_t i, int32_t *cp) { return decode(str, len, i, cp); }

static inline __attribute__((always_inline)) size_t decode(const char *str, size_t len, size_t i, int32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[i], c1, c2, c3;
	size_t left = len - i;

	if (c < 0x80) {
		*cp = (int32_t)c;
		return 1;
	}
	if (c < 0xC2) /* continuation byte, or an overlong 2-byte lead */
		return 0;
	if (c < 0xE0) {
		if (left < 2 || (s[i + 1] & 0xC0) != 0x80)
			return 0;
		*cp = (int32_t)(((c & 0x1F) << 6) | (s[i + 1] & 0x3F));
		return 2;
	}
	if (c < 0xF0) {
		if (left < 3)
			return 0;
		c1 = s[i + 1];
		c2 = s[i + 2];
		if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0))
			return 0; /* overlong, or a surrogate */
		*cp = (int32_t)(((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F));
		return 3;
	}
	if (c < 0xF5) {
		if (left < 4)
			return 0;
		c1 = s[i + 1];
		c2 = s[i + 2];
		c3 = s[i + 3];
		if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80 || (c3 & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90))
			return 0; /* overlong, or above U+10FFFF */
		*cp = (int32_t)(((c & 0x07) << 18) | ((c1 & 0x3F) << 12) | ((c2 & 0x3F) << 6) | (c3 & 0x3F));
		return 4;
	}
	return 0;
}

int32_t textops_utf8_prev_at(const char *str, size_t i, size_t *start)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t j;
	int32_t cp = -1;

	*start = 0;
	if (i == 0)
		return -1;
	j = i - 1;
	while (j > 0 && i - j < 4 && (s[j] & 0xC0) == 0x80)
		j--;
	*start = j;
	if (decode(str, i, j, &cp) != i - j)
		return -1;
	return cp;
}

int32_t textops_utf8_prev(const char *s, size_t i)
{
	size_t start;
	return textops_utf8_prev_at(s, i, &start);
}

bool textops_whole_chars(const char *s, size_t len, size_t *from, size_t *to)
{
	const unsigned char *u = (const unsigned char *)s;
	if (*to > len)
		*to = len;
	if (*from > *to)
		return false;
	while (*from < *to && (u[*from] & 0xC0) == 0x80)
		++*from;
	while (*to > *from && *to < len && (u[*to] & 0xC0) == 0x80)
		--*to;
	return true;
}

/* Skips ASCII eight bytes at a time; returns the offset of the first
 * non-ASCII byte at or after i (or len). */
static size_t skip_ascii(const unsigned char *s, size_t len, size_t i)
{
	while (i + 8 <= len) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			break;
		i += 8;
	}
	while (i < len && s[i] < 0x80)
		i++;
	return i;
}

int textops_utf8_validate(const char *str, size_t len, size_t *err_off)
{
	size_t valid = kit_utf8_valid_prefix(str, len);
	if (valid == len)
		return TEXTOPS_OK;
	if (err_off)
		*err_off = valid;
	return TEXTOPS_EUTF8;
}

ptrdiff_t textops_utf8_len(const char *str, size_t len, size_t *err_off)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n = 0;

	while (i < len) {
		size_t j = skip_ascii(s, len, i), k;
		int32_t cp;
		n += j - i;
		i = j;
		if (i >= len)
			break;
		k = decode(str, len, i, &cp);
		if (!k) {
			if (err_off)
				*err_off = i;
			return -1;
		}
		i += k;
		n++;
	}
	return (ptrdiff_t)n;
}

static size_t encode(int32_t cp, char *out) { return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out); }

/* ---- word characters ---- */

void textops_word_before(const char *s, size_t len, int64_t pos, size_t *b, size_t *e)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t end = pos < 1 ? 0 : (uint64_t)pos - 1 < len ? (size_t)pos - 1 : len;
	while (end > 0 && (u[end - 1] == ' ' || u[end - 1] == ','))
		end--;
	size_t start = end;
	while (start > 0 && (uint64_t)pos - start < 40 && textops_word_byte(u[start - 1]))
		start--;
	while (start < end && (u[start] & 0xC0) == 0x80) /* the cap may stop inside a character */
		start++;
	*b = start, *e = end;
}

/* s[0, len) lowered into out (room for len bytes) as textops_lower would,
 * when every character is one lower_tab has: the length; else -1 (invalid
 * UTF-8 too). */
static ptrdiff_t lower_fast(const char *s, size_t len, char *out);

ptrdiff_t textops_lower_into(const char *s, size_t len, char *out, size_t cap)
{
	if (len <= cap) {
		ptrdiff_t n = lower_fast(s, len, out);
		if (n >= 0)
			return n;
	}
	char *low = NULL;
	size_t low_len = 0, off = 0;
	int rc = textops_lower(s, len, &low, &low_len, &off);
	if (rc == TEXTOPS_OK && low_len > cap)
		rc = TEXTOPS_ENOROOM;
	if (rc == TEXTOPS_OK)
		memcpy(out, low, low_len);
	free(low);
	return rc == TEXTOPS_OK ? (ptrdiff_t)low_len : rc;
}

ptrdiff_t textops_word_before_lower(const char *s, size_t len, int64_t pos, char *out, size_t cap)
{
	size_t b, e;
	textops_word_before(s, len, pos, &b, &e);
	ptrdiff_t n = textops_lower_into(s + b, e - b, out, cap);
	return n < 0 ? -1 : n;
}

bool textops_is_word_char(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	if (cp > 0x10FFFF)
		return false;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: return true;
	default: return false;
	}
}

/* ---- normalization and case ---- */

int textops_form_parse(const char *name, textops_form *form)
{
	static const char *const names[] = {"NFC", "NFD", "NFKC", "NFKD"};
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, names[i])) {
			*form = (textops_form)i;
			return 0;
		}
	return -1;
}

/* Validates, then runs utf8proc_map_custom: the shared body of normalize,
 * lower and upper. */
static int map_string(const char *s, size_t len, utf8proc_option_t opts, utf8proc_custom_func fn, char **out,
		      size_t *out_len, size_t *err_off)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n;

	*out = NULL;
	if (textops_utf8_validate(s, len, err_off))
		return TEXTOPS_EUTF8;
	if (len == 0) {
		*out = calloc(1, 1);
		if (!*out)
			return TEXTOPS_ENOMEM;
		if (out_len)
			*out_len = 0;
		return TEXTOPS_OK;
	}
	n = utf8proc_map_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &dst, opts, fn, NULL);
	if (n < 0)
		return TEXTOPS_ENOMEM; /* the input was checked: only memory can fail */
	*out = (char *)dst;
	if (out_len)
		*out_len = (size_t)n;
	return TEXTOPS_OK;
}

int textops_normalize(const char *s, size_t len, textops_form form, char **out, size_t *out_len, size_t *err_off)
{
	utf8proc_option_t opts = UTF8PROC_STABLE;
	switch (form) {
	case TEXTOPS_NFC: opts |= UTF8PROC_COMPOSE; break;
	case TEXTOPS_NFD: opts |= UTF8PROC_DECOMPOSE; break;
	case TEXTOPS_NFKC: opts |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT; break;
	case TEXTOPS_NFKD: opts |= UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT; break;
	}
	return map_string(s, len, opts, NULL, out, out_len, err_off);
}

static utf8proc_int32_t to_lower(utf8proc_int32_t cp, void *data)
{
	(void)data;
	return utf8proc_tolower(cp);
}

static utf8proc_int32_t to_upper(utf8proc_int32_t cp, void *data)
{
	(void)data;
	return utf8proc_toupper(cp);
}

/* The lower case of each character below LOWER_LIMIT that lower_fast may
 * write alone, or LOWER_SLOW: ASCII, and the letters of Latin-1 (from
 * U+00C0), Latin Extended-A and -B and Latin Extended Additional (the
 * letters of Vietnamese) whose lower case is one of them and no longer in
 * UTF-8. None of these composes with a neighbour (test_textops checks every
 * pair against utf8proc's map), so a word of them lowers character by
 * character to what textops_lower's decomposition and composition give,
 * without either or their malloc (about 2,500 instructions a word). */
#define LOWER_LIMIT 0x1F00
#define LOWER_SLOW 0xFFFF
static uint16_t lower_tab[LOWER_LIMIT];
static pthread_once_t lower_once = PTHREAD_ONCE_INIT;

static bool lower_block(int32_t cp)
{
	return cp < 0x80 || (cp >= 0xC0 && cp < 0x250) || (cp >= 0x1E00 && cp < 0x1F00);
}

static void build_lower(void)
{
	for (int32_t cp = 0; cp < LOWER_LIMIT; cp++) {
		int32_t low = utf8proc_tolower(cp);
		char a[4], b[4];
		bool fast = lower_block(cp) && lower_block(low) && utf8proc_category(cp) != UTF8PROC_CATEGORY_CN &&
			    encode(low, b) <= encode(cp, a);
		lower_tab[cp] = fast ? (uint16_t)low : LOWER_SLOW;
	}
}

static ptrdiff_t lower_fast(const char *s, size_t len, char *out)
{
	pthread_once(&lower_once, build_lower);
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80) { /* most of a word's characters: no decoding, no encoding */
			out[o++] = (char)lower_tab[b];
			i++;
			continue;
		}
		int32_t cp;
		size_t n = decode(s, len, i, &cp);
		if (!n || cp >= LOWER_LIMIT || lower_tab[cp] == LOWER_SLOW)
			return -1;
		o += encode(lower_tab[cp], out + o);
		i += n;
	}
	return (ptrdiff_t)o;
}

int textops_lower(const char *s, size_t len, char **out, size_t *out_len, size_t *err_off)
{
	char *fast = len ? malloc(len + 1) : NULL;
	ptrdiff_t n = fast ? lower_fast(s, len, fast) : -1;
	if (n >= 0) {
		fast[n] = 0;
		*out = fast;
		if (out_len)
			*out_len = (size_t)n;
		return TEXTOPS_OK;
	}
	free(fast);
	return map_string(s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE, to_lower, out, out_len, err_off);
}

int textops_upper(const char *s, size_t len, char **out, size_t *out_len, size_t *err_off)
{
	return map_string(s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE, to_upper, out, out_len, err_off);
}

/* ---- folding ---- */

/* Letters with a stroke have no decomposition, so removing marks leaves
 * them alone: map them to their base letter ourselves. */
static int32_t unstroke(int32_t cp)
{
	switch (cp) {
	case 0x0110: return 'D'; /* Đ */
	case 0x0111: return 'd'; /* đ */
	case 0x00D0: return 'D'; /* Ð (eth, often typed for Đ) */
	case 0x00F0: return 'd'; /* ð */
	case 0x00D8: return 'O'; /* Ø */
	case 0x00F8: return 'o'; /* ø */
	case 0x0141: return 'L'; /* Ł */
	case 0x0142: return 'l'; /* ł */
	default: return cp;
	}
}

static utf8proc_int32_t unstroke_fn(utf8proc_int32_t cp, void *data)
{
	(void)data;
	return unstroke(cp);
}

/* Does cp join the cluster of the character before it? Combining marks
 * (combining class > 0), characters of class 0 that compose canonically
 * with the character before them (Indic length marks and vowel signs,
 * Hangul medial vowels and final consonants), and the Tibetan vowel signs
 * whose decomposition starts with a combining mark. */
static bool joins_slow(int32_t cp)
{
	if (utf8proc_get_property(cp)->combining_class)
		return true;
	if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2))
		return true;
	switch (cp) {
	case 0x09BE:
	case 0x09D7:
	case 0x0B3E:
	case 0x0B56:
	case 0x0B57:
	case 0x0BBE:
	case 0x0BD7:
	case 0x0C56:
	case 0x0CC2:
	case 0x0CD5:
	case 0x0CD6:
	case 0x0D3E:
	case 0x0D57:
	case 0x0DCF:
	case 0x0DDF:
	case 0x0F73:
	case 0x0F75:
	case 0x0F81:
	case 0x102E:
	case 0x1B35:
	case 0x110BA:
	case 0x11127:
	case 0x1133E:
	case 0x11357:
	case 0x114B0:
	case 0x114BA:
	case 0x114BD:
	case 0x115AF:
	case 0x11930: return true;
	default: return false;
	}
}

static inline bool joins(int32_t cp)
{
	if (cp < CACHE_LIMIT)
		return joins_tab[cp >> 3] >> (cp & 7) & 1;
	return joins_slow(cp);
}

static int reserve_cps(textops_buf *b, size_t n)
{
	if (n > b->cpcap) {
		size_t cap = b->cpcap ? b->cpcap : 64;
		int32_t *p;
		while (cap < n)
			cap *= 2;
		p = realloc(b->cps, cap * sizeof *p);
		if (!p)
			return TEXTOPS_ENOMEM;
		b->cps = p;
		b->cpcap = cap;
	}
	return TEXTOPS_OK;
}

/* Folds one cluster s[0..n) (valid UTF-8) through utf8proc into code
 * points: *cps (b->cps, or the caller's stack buffer when it is enough)
 * and *ncps. */
static int fold_cluster(textops_buf *b, const char *s, size_t n, unsigned flags, int32_t *stack, size_t stack_n,
			int32_t **cps, size_t *ncps)
{
	utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_DECOMPOSE;
	int32_t *buf = stack;
	size_t cap = stack_n;
	utf8proc_ssize_t k;

	if (flags & TEXTOPS_FOLD_CASE)
		opts |= UTF8PROC_CASEFOLD;
	if (flags & TEXTOPS_FOLD_MARKS)
		opts |= UTF8PROC_STRIPMARK;
	for (;;) {
		k = utf8proc_decompose_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, buf,
					      (utf8proc_ssize_t)cap, opts,
					      (flags & TEXTOPS_FOLD_MARKS) ? unstroke_fn : NULL, NULL);
		if (k < 0)
			return TEXTOPS_ENOMEM;
		if ((size_t)k <= cap)
			break;
		if (reserve_cps(b, (size_t)k))
			return TEXTOPS_ENOMEM;
		buf = b->cps;
		cap = b->cpcap;
	}
	/* A stroked letter can also come out of a decomposition (Ǿ -> Ø + ́). */
	if (flags & TEXTOPS_FOLD_MARKS)
		for (utf8proc_ssize_t i = 0; i < k; i++)
			buf[i] = unstroke(buf[i]);
	k = utf8proc_normalize_utf32(buf, k, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (k < 0)
		return TEXTOPS_ENOMEM;
	*cps = buf;
	*ncps = (size_t)k;
	return TEXTOPS_OK;
}

static void build_tables(void)
{
	textops_buf scratch = {0};

	for (int32_t cp = 0; cp < CACHE_LIMIT; cp++)
		if (joins_slow(cp))
			joins_tab[cp >> 3] |= (uint8_t)(1u << (cp & 7));
	for (unsigned flags = 0; flags < 4; flags++) {
		for (int32_t cp = 0; cp < CACHE_LIMIT; cp++) {
			fold_entry *e = &fold_tab[flags][cp];
			char src[4], dst[4 * 16];
			int32_t stack[16], *cps;
			size_t n, ncps, len = 0;

			e->len = NOT_CACHED;
			if (cp >= 0xD800 && cp <= 0xDFFF)
				continue;
			n = encode(cp, src);
			if (fold_cluster(&scratch, src, n, flags, stack, 16, &cps, &ncps) || ncps > 16)
				continue;
			for (size_t i = 0; i < ncps; i++)
				len += encode(cps[i], dst + len);
			if (len <= CACHE_MAX) {
				e->len = (uint8_t)len;
				memcpy(e->b, dst, len);
			}
		}
	}
	textops_buf_free(&scratch);
}

/* Room for `more` output bytes (and offsets) after the first `used`. */
static int reserve_out(textops_buf *b, size_t used, size_t more, bool want_off)
{
	size_t need = used + more + 1; /* + the terminator / the final offset */
	b->out.len = used;
	if (kit_buf_reserve(&b->out, more))
		return TEXTOPS_ENOMEM;
	if (want_off && need > b->offcap) {
		size_t cap = b->offcap ? b->offcap : 64;
		size_t *p;
		while (cap < need)
			cap *= 2;
		p = realloc(b->offsets, cap * sizeof *p);
		if (!p)
			return TEXTOPS_ENOMEM;
		b->offsets = p;
		b->offcap = cap;
	}
	return TEXTOPS_OK;
}

/* The character at s[i] when it is ASCII or a 2- or 3-byte character
 * below CACHE_LIMIT (valid: the lead and continuation bytes are checked,
 * and no 3-byte form below U+0800): its length, else 0. */
static inline size_t decode_cached(const unsigned char *s, size_t len, size_t i, int32_t *cp)
{
	unsigned c = s[i];
	if (c < 0x80) {
		*cp = (int32_t)c;
		return 1;
	}
	if (c >= 0xC2 && c < 0xE0 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
		*cp = (int32_t)((c & 0x1F) << 6 | (s[i + 1] & 0x3Fu));
		return 2;
	}
	if (c >= 0xE0 && c < 0xF0 && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
		*cp = (int32_t)((c & 0x0F) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu));
		return *cp >= 0x800 && *cp < CACHE_LIMIT ? 3 : 0;
	}
	return 0;
}

/* How many of the eight bytes w holds (in memory order) are ASCII before
 * the first that is not. */
static inline size_t ascii_prefix(uint64_t w)
{
	uint64_t high = w & WORD_HIGH;
	return high ? word_first(high) : 8;
}

/* Folds s[i..len) into out while each character is plain: ASCII, or a
 * cached character that folds to one character of its own length, and
 * not followed by a character that joins it. Such text (nearly all of a
 * cleaned article) needs none of the general loop's look-ahead, cluster
 * and length bookkeeping; out gets exactly as many bytes as are read.
 * Returns where it stopped: the general loop goes on from there. */
static size_t fold_plain(const fold_entry *tab, bool fold_case, const unsigned char *s, size_t len, size_t i,
			 char *out)
{
	int32_t cp, cp2 = 0;
	size_t n = i < len ? decode_cached(s, len, i, &cp) : 0;
	while (n) {
		size_t j = i + n, n2 = 0;
		if (n == 1 && j < len && s[j] < 0x80) {
			/* a run of ASCII: each letter but the last is followed by ASCII.
			 * Eight bytes at a time, of which the k followed by ASCII are
			 * kept (out has room: it gets a byte per byte read, and 8 more) */
			for (size_t k = 8; k == 8 && j + 8 <= len; i += k, j += k, out += k) {
				k = ascii_prefix(word_at(s + j));
				uint64_t w = word_at(s + i);
				if (fold_case) /* 0x80 of each capital A..Z -> 0x20, the case bit */
					w |= word_bytes_between(w, 'A', 'Z') >> 2;
				memcpy(out, &w, 8);
			}
			for (; j < len && s[j] < 0x80; i++, j++)
				*out++ = (char)(s[i] + (fold_case && (unsigned)(s[i] - 'A') < 26u ? 32 : 0));
			cp = s[i];
		}
		if (j < len) {
			n2 = decode_cached(s, len, j, &cp2);
			if (!n2 || (cp2 >= 0x80 && joins(cp2)))
				return i;
		}
		if (n == 1) {
			*out++ = (char)(cp + (fold_case && (unsigned)(cp - 'A') < 26u ? 32 : 0));
		} else {
			const fold_entry *e = &tab[cp];
			if (e->len != n || textops_utf8_length((unsigned char)e->b[0]) != n)
				return i;
			out[0] = e->b[0];
			out[1] = e->b[1];
			if (n == 3)
				out[2] = e->b[2];
			out += n;
		}
		i = j, cp = cp2, n = n2;
	}
	return i;
}

int textops_fold_into(textops_buf *b, const char *str, size_t len, unsigned flags, bool want_off, size_t *err_off)
{
	const unsigned char *s = (const unsigned char *)str;
	const fold_entry *tab;
	size_t i = 0, o = 0;
	/* The next code point, when already decoded by the cluster look-ahead. */
	int32_t next_cp = -1;
	size_t next_n = 0;

	pthread_once(&tables_once, build_tables);
	flags &= TEXTOPS_FOLD_CASE | TEXTOPS_FOLD_MARKS;
	tab = fold_tab[flags];
	kit_buf_clear(&b->out); /* and forget an earlier failure */
	b->aligned = true;
	/* Most text folds to at most its own length: one reservation up front,
	 * then a cheap check per character. */
	if (reserve_out(b, 0, len + 16, want_off))
		return TEXTOPS_ENOMEM;

	while (i < len) {
		int32_t cp;
		size_t n, j;
		bool cluster = false;

		if (!want_off) {
			if (o + len - i + CACHE_MAX + 1 > b->out.cap && reserve_out(b, o, len - i + CACHE_MAX, false))
				return TEXTOPS_ENOMEM;
			size_t k = fold_plain(tab, flags & TEXTOPS_FOLD_CASE, s, len, i, b->out.p + o);
			if (k > i) { /* the look-ahead, if any, was of the character at i */
				o += k - i;
				i = k;
				next_n = 0;
				if (i == len)
					break;
			}
		}

		/* A run of ASCII, but for its last character when the character
		 * after the run joins it (a combining mark): ASCII only changes
		 * case. The character after is decoded once, here. */
		if (s[i] < 0x80) {
			size_t run_end = skip_ascii(s, len, i), k, stop = run_end;
			next_n = 0;
			if (run_end < len) {
				size_t n2 = decode(str, len, run_end, &next_cp);
				if (n2 && !joins(next_cp))
					next_n = n2;
				else
					stop = run_end - 1;
			}
			if (stop > i) {
				size_t need = o + stop - i + CACHE_MAX + 1;
				if ((need > b->out.cap || (want_off && need > b->offcap)) &&
				    reserve_out(b, o, stop - i + CACHE_MAX, want_off))
					return TEXTOPS_ENOMEM;
				if (flags & TEXTOPS_FOLD_CASE)
					for (k = i; k < stop; k++)
						b->out.p[o + k - i] = (char)(s[k] +
									     ((unsigned)(s[k] - 'A') < 26u ? 32 : 0));
				else
					memcpy(b->out.p + o, s + i, stop - i);
				if (want_off)
					for (k = i; k < stop; k++)
						b->offsets[o + k - i] = k;
				o += stop - i;
				i = stop;
				continue;
			}
		}
		if (o + CACHE_MAX + 1 > b->out.cap || (want_off && o + CACHE_MAX + 1 > b->offcap))
			if (reserve_out(b, o, CACHE_MAX + 1, want_off))
				return TEXTOPS_ENOMEM;
		if (next_n) {
			cp = next_cp;
			n = next_n;
			next_n = 0;
		} else {
			n = decode(str, len, i, &cp);
			if (!n)
				goto bad_utf8;
		}
		/* Gather the characters that join this one. */
		for (j = i + n; j < len && s[j] >= 0x80;) {
			int32_t cp2;
			size_t n2 = decode(str, len, j, &cp2);
			if (!n2) {
				i = j;
				goto bad_utf8;
			}
			if (!joins(cp2)) {
				next_cp = cp2;
				next_n = n2;
				break;
			}
			j += n2;
			cluster = true;
		}
		if (!cluster && cp < CACHE_LIMIT && tab[cp].len != NOT_CACHED) {
			const fold_entry *e = &tab[cp];
			if (e->len != n || textops_utf8_length((unsigned char)e->b[0]) != n)
				b->aligned = false;
			memcpy(b->out.p + o, e->b, CACHE_MAX);
			if (want_off)
				for (size_t k = 0; k < e->len; k++)
					b->offsets[o + k] = i;
			o += e->len;
		} else {
			int32_t stack[32], *cps;
			size_t ncps, o0 = o;
			if (fold_cluster(b, str + i, j - i, flags, stack, 32, &cps, &ncps))
				return TEXTOPS_ENOMEM;
			if (reserve_out(b, o, 4 * ncps, want_off))
				return TEXTOPS_ENOMEM;
			for (size_t k = 0; k < ncps; k++) {
				size_t m = encode(cps[k], b->out.p + o);
				if (want_off)
					for (size_t q = 0; q < m; q++)
						b->offsets[o + q] = i;
				o += m;
			}
			if (cluster || ncps != 1 || o - o0 != n)
				b->aligned = false;
		}
		i = j;
	}
	b->out.p[o] = 0;
	if (want_off)
		b->offsets[o] = len;
	b->out.len = o;
	return TEXTOPS_OK;

bad_utf8:
	if (err_off)
		*err_off = i;
	b->out.len = 0;
	b->out.p[0] = 0;
	return TEXTOPS_EUTF8;
}

bool textops_fold_alone(const char *s, size_t n, unsigned flags, char out[4])
{
	int32_t cp, stack[32], *cps;
	size_t ncps;
	bool ok;

	pthread_once(&tables_once, build_tables);
	flags &= TEXTOPS_FOLD_CASE | TEXTOPS_FOLD_MARKS;
	if (n == 0 || n > 4 || decode(s, n, 0, &cp) != n || joins(cp))
		return false;
	/* as textops_fold_into folds a character no mark follows */
	if (cp < CACHE_LIMIT && fold_tab[flags][cp].len != NOT_CACHED) {
		const fold_entry *e = &fold_tab[flags][cp];
		if (e->len != n || textops_utf8_length((unsigned char)e->b[0]) != n)
			return false;
		memcpy(out, e->b, n);
		return true;
	}
	textops_buf b = {0}; /* for a fold of more than 32 code points */
	ok = fold_cluster(&b, s, n, flags, stack, 32, &cps, &ncps) == TEXTOPS_OK && ncps == 1 &&
	     encode(cps[0], out) == n;
	textops_buf_free(&b);
	return ok;
}

void textops_buf_free(textops_buf *b)
{
	kit_buf_free(&b->out);
	free(b->offsets);
	free(b->cps);
	memset(b, 0, sizeof *b);
}

int textops_fold(const char *s, size_t len, char **out, size_t *out_len, size_t **offsets, size_t *err_off)
{
	textops_buf b = {0};
	int rc = textops_fold_into(&b, s, len, TEXTOPS_FOLD_CASE | TEXTOPS_FOLD_MARKS, offsets != NULL, err_off);

	*out = NULL;
	if (offsets)
		*offsets = NULL;
	if (rc) {
		textops_buf_free(&b);
		return rc;
	}
	*out = b.out.p;
	if (out_len)
		*out_len = b.out.len;
	if (offsets)
		*offsets = b.offsets;
	free(b.cps);
	return TEXTOPS_OK;
}
