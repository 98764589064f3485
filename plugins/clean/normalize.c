/* normalize.c -- clean.normalize's text pipeline, on buffers.
 *
 *   bytes --(legacy decode)--> UTF-8 --(pass A)--> --(NFC, if needed)-->
 *         --(word pass, if needed)--> normalized text
 *
 * Pass A is the hot loop: one walk over the bytes that checks UTF-8,
 * drops invisible characters, turns odd spaces into ' ', folds CRLF,
 * collapses runs of spaces and blank lines and trims lines. Printable
 * ASCII, spaces and Vietnamese letters take fast paths that neither
 * decode nor allocate. It also notes whether NFC or the word pass have
 * anything to do, so that most texts take this single pass. The buffers
 * belong to the instance and are reused from document to document. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "nfc.h"
#include "words.h"

enum { KIND_TEXT, KIND_SPACE, KIND_NEWLINE, KIND_PARAGRAPH, KIND_DROP };

/* What pass A does with a character outside printable ASCII. */
static int kind_of(int32_t cp, int invisibles)
{
	if (cp == '\n' || cp == 0x85 || cp == 0x2028)
		return KIND_NEWLINE;
	if (cp == 0x2029)
		return KIND_PARAGRAPH;
	if (cp == ' ' || cp == '\t')
		return KIND_SPACE;
	if (!invisibles)
		return KIND_TEXT;
	if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
	    cp == 0x3000 || cp == '\v' || cp == '\f')
		return KIND_SPACE;
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0xFEFF)
		return KIND_DROP;
	return KIND_TEXT;
}

/* Pass A also watches for the only patterns the word pass can act on, so
 * that the word pass runs only for documents that have one:
 *   - a word starting with two capitals and going on in small letters
 *     (ĐIện): the class of each character (other, capital, small) is
 *     shifted into a history, two bits each, and the last four compared
 *     with "other, capital, capital, small"; acronyms (UBND, QP-AN,
 *     TTXVN) do not match;
 *   - for tone_marks: old, a toned a/e/y right after a plain o/u (hoà).
 * A shift register rather than a state table keeps the dependency from
 * byte to byte down to one instruction in the ASCII loop. */
enum { LC_OTHER = 0, LC_UPPER = 1, LC_LOWER = 2 };
#define CASE_PATTERN ((LC_OTHER << 6) | (LC_UPPER << 4) | (LC_UPPER << 2) | LC_LOWER)

static unsigned char ascii_class[128];

/* Per entry of cl_vn_index: its letter class, and whether it is a toned
 * a, e or y (half of a tone candidate). */
enum { VF_UPPER = 1, VF_TONED_AEY = 2 };
static unsigned char vowel_flags[1 + 12 * 12];

static void init_tables(void)
{
	for (int c = 'A'; c <= 'Z'; c++)
		ascii_class[c] = LC_UPPER;
	for (int c = 'a'; c <= 'z'; c++)
		ascii_class[c] = LC_LOWER;
	for (int i = 0; i < 12 * 12; i++) {
		int base = i / 12, tone = i % 12 / 2;
		vowel_flags[1 + i] = (unsigned char)((i % 2 ? VF_UPPER : 0) |
						     (tone && (base == CL_V_A || base == CL_V_E || base == CL_V_Y)
							      ? VF_TONED_AEY
							      : 0));
	}
}

/* Letter class of a Latin code point outside ASCII, near enough for a
 * trigger (the word pass checks exactly). */
static inline unsigned latin_class(int32_t cp, unsigned char vi)
{
	if (vi)
		return vowel_flags[vi] & VF_UPPER ? LC_UPPER : LC_LOWER;
	if (cp == 0x110 || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
		return LC_UPPER;
	return LC_LOWER;
}

typedef struct pass_a {
	const cl_norm_opts *o;
	char *w, *base;      /* write pointer, start of output */
	int space, newlines; /* pending */
	int need_nfc, confusables, tone_seen, tone_pending;
	uint32_t hist; /* letter classes, two bits each, newest lowest */
	int case_seen;
} pass_a;

static inline void push_class(pass_a *p, unsigned cls)
{
	p->hist = p->hist * 4 + cls;
	p->case_seen |= (p->hist & 0xFF) == CASE_PATTERN;
}

static inline void flush(pass_a *p)
{
	if (p->newlines) {
		if (p->w != p->base) {
			int k = p->newlines > p->o->max_blank + 1 ? p->o->max_blank + 1 : p->newlines;
			for (int i = 0; i < k; i++)
				*p->w++ = '\n';
		}
		p->newlines = 0;
		p->space = 0;
	} else if (p->space) {
		if (p->w != p->base)
			*p->w++ = ' ';
		p->space = 0;
	}
}

/* A letter from U+00C0-U+02FF or U+1E00-U+1EFF was just written (len
 * bytes). A toned a/e/y right after a plain o/u (not after q) is a
 * candidate, which counts if the word ends there: see word_break(). */
static inline __attribute__((always_inline)) void latin_written(pass_a *p, int32_t cp, size_t len)
{
	unsigned char vi = cp < CL_VN_LIMIT ? cl_vn_index[cp] : 0;
	if (p->o->fix_case)
		push_class(p, latin_class(cp, vi));
	p->tone_pending = 0;
	if ((vowel_flags[vi] & VF_TONED_AEY) && p->o->tones == CL_TONES_OLD) {
		char *at = p->w - len;
		char before = at > p->base ? at[-1] : ' ';
		char first = at - 1 > p->base ? at[-2] : ' ';
		if ((before == 'o' || before == 'O' || before == 'u' || before == 'U') && first != 'q' &&
		    first != 'Q')
			p->tone_pending = 1;
	}
}

/* Something that is not a letter was met: a pending candidate counts. */
static inline void word_break(pass_a *p)
{
	if (p->tone_pending)
		p->tone_seen = 1, p->tone_pending = 0;
}

/* Is c, at u[i], one space between two runs of ASCII, which the run
 * writes itself (as the space path and the next run's flush would), where
 * leaving the run cost a mispredicted branch or two a word? */
static inline int space_in_run(unsigned char c, const unsigned char *u, size_t i, size_t len, int whitespace)
{
	return c == ' ' && whitespace && i + 1 < len && u[i + 1] > 0x20 && u[i + 1] < 0x7F;
}

static int run_pass_a(cl_normalizer *n, const char *s, size_t len, int repair, cl_norm_stats *st, pass_a *p)
{
	const cl_norm_opts *o = &n->o;
	const unsigned char *u = (const unsigned char *)s;
	cl_buf *out = &n->a;
	cl_buf_clear(out);
	if (cl_buf_reserve(out, (repair ? len * 3 : len) + 8))
		return CL_NORM_NOMEM;
	memset(p, 0, sizeof *p);
	st->controls = 0;
	p->o = o;
	p->w = p->base = out->p;
	size_t i = 0;
	while (i < len) {
		unsigned char c = u[i];
		if (c > 0x20 && c < 0x7F) {
			if (p->space | p->newlines)
				flush(p);
			if (p->tone_pending && ascii_class[c] == LC_OTHER)
				word_break(p);
			p->tone_pending = 0;
			char *w = p->w;
			int ws = o->whitespace;
			if (o->fix_case) {
				uint32_t h = p->hist;
				int seen = 0;
				for (;;) {
					*w++ = (char)c;
					h = h * 4 + ascii_class[c];
					seen |= (h & 0xFF) == CASE_PATTERN;
					if (++i >= len)
						break;
					c = u[i];
					if (space_in_run(c, u, i, len, ws)) {
						*w++ = ' ';
						h *= 4;
						c = u[++i];
					}
					if (c <= 0x20 || c >= 0x7F)
						break;
				}
				p->hist = h;
				p->case_seen |= seen;
			} else {
				for (;;) {
					*w++ = (char)c;
					if (++i >= len)
						break;
					c = u[i];
					if (space_in_run(c, u, i, len, ws)) {
						*w++ = ' ';
						p->hist *= 4;
						c = u[++i];
					}
					if (c <= 0x20 || c >= 0x7F)
						break;
				}
			}
			p->w = w;
			continue;
		}
		/* Fast paths for what Vietnamese text is made of: spaces, line
		 * ends, and letters from U+00C0-U+02FF and U+1E00-U+1EFF (none of
		 * which NFC touches, or which are invisible or look-alikes, but
		 * for Ð and ð). */
		if (o->whitespace && (c == ' ' || c == '\n')) {
			if (c == ' ')
				p->space = 1;
			else
				p->newlines++, p->space = 0;
			p->hist *= 4;
			word_break(p);
			i++;
			continue;
		}
		if (c >= 0xC3 && c <= 0xCB && i + 1 < len && (u[i + 1] & 0xC0) == 0x80 &&
		    !(c == 0xC3 && (u[i + 1] == 0x90 || u[i + 1] == 0xB0))) {
			if (p->space | p->newlines)
				flush(p);
			p->w[0] = (char)c, p->w[1] = (char)u[i + 1];
			p->w += 2;
			latin_written(p, (c & 0x1F) << 6 | (u[i + 1] & 0x3F), 2);
			i += 2;
			continue;
		}
		if (c == 0xE1 && i + 2 < len && u[i + 1] >= 0xB8 && u[i + 1] <= 0xBB && (u[i + 2] & 0xC0) == 0x80) {
			if (p->space | p->newlines)
				flush(p);
			p->w[0] = (char)c, p->w[1] = (char)u[i + 1], p->w[2] = (char)u[i + 2];
			p->w += 3;
			latin_written(p, 0x1000 | (u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F), 3);
			i += 3;
			continue;
		}
		int32_t cp;
		size_t k = 1;
		int broken = 0;
		if (c < 0x80) {
			cp = c;
		} else {
			cp = kit_utf8_decode(s + i, len - i, &k);
			if (cp < 0) {
				if (!repair) {
					st->bad_offset = i;
					return CL_NORM_INVALID;
				}
				cp = 0xFFFD; /* for the maximal ill-formed part, k bytes */
				broken = 1;
				st->replaced++;
			}
		}
		if (c == '\r') {
			i++;
			if (i < len && u[i] == '\n')
				continue;
			cp = '\n';
			k = 0;
		}
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\v' && cp != '\f') || cp == 0x7F)
			st->controls++;
		int kind = kind_of(cp, o->invisibles);
		if (kind != KIND_DROP && kind != KIND_TEXT) {
			p->hist *= 4;
			word_break(p);
		}
		if (!o->whitespace && kind != KIND_TEXT && kind != KIND_DROP) {
			/* Keep the spacing as it is, but in plain ASCII. */
			if (kind == KIND_SPACE) {
				*p->w++ = cp == '\t' ? '\t' : ' ';
				st->spaces += cp != ' ' && cp != '\t';
			} else {
				*p->w++ = '\n';
				if (kind == KIND_PARAGRAPH)
					*p->w++ = '\n';
			}
			i += k;
			continue;
		}
		switch (kind) {
		case KIND_NEWLINE:
			p->newlines++;
			p->space = 0;
			break;
		case KIND_PARAGRAPH:
			p->newlines += 2;
			p->space = 0;
			break;
		case KIND_SPACE:
			p->space = 1;
			st->spaces += cp != ' ' && cp != '\t';
			break;
		case KIND_DROP: st->invisibles++; break;
		default:
			if (p->space | p->newlines)
				flush(p);
			/* Ð ð (eth) for Đ đ: the word pass decides, word by word */
			if (cp == 0xD0 || cp == 0xF0)
				p->confusables |= CL_CONFUSE_ETH;
			if (cp >= 0x300) {
				if (!p->need_nfc && cl_nfc_sensitive(n->nfc_cache, cp))
					p->need_nfc = 1;
				if (cp >= 0x370 && cp <= 0x52F)
					p->confusables |= CL_CONFUSE_SCRIPT;
			}
			if (broken) {
				p->w += kit_utf8_encode(p->w, cp);
			} else {
				memcpy(p->w, s + i, k);
				p->w += k;
			}
			/* Whatever else it is, let it count as a letter of some case:
			 * the word pass looks again at any word this lets through. */
			if (cp >= 0xC0 && cl_is_wordchar(cp)) {
				latin_written(p, cp, broken ? 3 : (size_t)k);
			} else if (cp < 0x80 && cp > 0x20 && ascii_class[cp] != LC_OTHER) {
				push_class(p, ascii_class[cp]);
				p->tone_pending = 0;
			} else {
				p->hist *= 4;
				word_break(p);
			}
		}
		i += k;
	}
	word_break(p);
	out->len = (size_t)(p->w - out->p);
	out->p[out->len] = 0;
	return CL_NORM_OK;
}

int cl_normalizer_init(cl_normalizer *n, const cl_norm_opts *o)
{
	memset(n, 0, sizeof *n);
	n->o = *o;
	if (n->o.max_blank < 0)
		n->o.max_blank = 0;
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	if (cl_vn_init())
		return -1;
	pthread_once(&once, init_tables);
	n->nfc_cache = calloc(0x10000, 1);
	return n->nfc_cache ? 0 : -1;
}

void cl_normalizer_free(cl_normalizer *n)
{
	cl_buf_free(&n->a);
	cl_buf_free(&n->b);
	cl_buf_free(&n->legacy);
	free(n->nfc_cache);
	n->nfc_cache = NULL;
}

static int decode_legacy(cl_normalizer *n, cl_encoding enc, const char *s, size_t len, cl_norm_stats *st)
{
	cl_buf_clear(&n->legacy);
	if (cl_legacy_decode(enc, s, len, &n->legacy, &st->replaced))
		return CL_NORM_NOMEM;
	st->converted = enc;
	return CL_NORM_OK;
}

/* With repair, nothing is rejected for its bytes: a text that reads as
 * neither UTF-8 nor a legacy encoding is taken as UTF-8 with errors. */
static int repair_as_utf8(cl_normalizer *n, const char *s, size_t len, const char **out, size_t *out_len,
			  cl_norm_stats *st)
{
	cl_encoding asked = n->o.encoding;
	n->o.encoding = CL_ENC_UTF8;
	int rc = cl_normalize(n, s, len, out, out_len, st);
	n->o.encoding = asked;
	return rc;
}

int cl_normalize(cl_normalizer *n, const char *s, size_t len, const char **out, size_t *out_len, cl_norm_stats *st)
{
	const cl_norm_opts *o = &n->o;
	const char *input = s;
	size_t input_len = len;
	memset(st, 0, sizeof *st);
	size_t skipped = 0;
	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
		s += 3, len -= 3, skipped = 3;
		st->bom = 1;
	}
	/* UTF-16 would pass for binary content; say what it is instead. */
	if (o->encoding == CL_ENC_AUTO && !o->repair && len >= 2 &&
	    (!memcmp(s, "\xFF\xFE", 2) || !memcmp(s, "\xFE\xFF", 2))) {
		st->utf16 = 1;
		return CL_NORM_UNREADABLE;
	}
	int rc;
	if (o->encoding == CL_ENC_CP1258 || o->encoding == CL_ENC_TCVN3) {
		if ((rc = decode_legacy(n, o->encoding, s, len, st)))
			return rc;
		s = n->legacy.p, len = n->legacy.len;
	}
	pass_a p;
	rc = run_pass_a(n, s, len, 0, st, &p);
	if (rc == CL_NORM_INVALID) {
		if (o->encoding == CL_ENC_AUTO && !cl_mostly_utf8(s, len)) {
			if ((rc = decode_legacy(n, cl_legacy_guess(s, len), s, len, st)))
				return rc;
			rc = run_pass_a(n, n->legacy.p, n->legacy.len, 0, st, &p);
		} else if (o->repair) {
			rc = run_pass_a(n, s, len, 1, st, &p);
		} else {
			st->bad_offset += skipped;
		}
	}
	if (rc != CL_NORM_OK)
		return rc;
	/* Text has a stray control character now and then; binary content
	 * has one byte in ten or more (the share of 0x00-0x1F in random or
	 * compressed bytes), executables far more. */
	if (!o->repair && st->controls >= 8 && st->controls * 50 > (long)len)
		return CL_NORM_BINARY;

	cl_buf *cur = &n->a, *other = &n->b;
	if (o->nfc && p.need_nfc) {
		size_t before = cur->len;
		if (cl_nfc(cur->p, cur->len, other))
			return CL_NORM_NOMEM;
		st->composed = other->len != before || memcmp(other->p, cur->p, before) != 0;
		cl_buf *t = cur;
		cur = other, other = t;
	}
	/* NFC can join a letter and a tone mark into a new candidate. */
	int composed = cur != &n->a;
	if (o->tones == CL_TONES_NEW || (o->tones == CL_TONES_OLD && (p.tone_seen || composed)) ||
	    (o->fix_case && (p.case_seen || composed)) || (o->lookalikes && p.confusables)) {
		int recompose = 0, changed = 0;
		if (cl_words_pass(o, cur->p, cur->len, other, p.confusables, st, &recompose, &changed))
			return CL_NORM_NOMEM;
		cl_buf *t = cur;
		if (changed)
			cur = other, other = t;
		if (recompose && o->nfc) {
			t = cur;
			if (cl_nfc(cur->p, cur->len, other))
				return CL_NORM_NOMEM;
			cur = other, other = t;
		}
	}
	if (st->converted && o->encoding == CL_ENC_AUTO) {
		cl_vn_evidence_add(&st->reads, cur->p, cur->len);
		if (!cl_vn_evidence_reads(&st->reads))
			return o->repair ? repair_as_utf8(n, input, input_len, out, out_len, st) : CL_NORM_UNREADABLE;
	}
	*out = cur->p ? cur->p : "";
	*out_len = cur->len;
	return CL_NORM_OK;
}
