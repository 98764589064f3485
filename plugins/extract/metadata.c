/* metadata.c -- reading an article's metadata from its text.
 *
 * The text is read as lines, with the body between the first and the
 * last prose line (lines.c). Around the body sit the lines that carry
 * metadata, and each is recognised by its shape:
 *
 *   dateline   a full date with at most a time, a weekday, a label and a
 *              view count beside it (dates.c). Above the title, without a
 *              time or label, or beside language links, it is the portal's
 *              "today", not the article's date.
 *   title      a headline-shaped line before the body: the nearest one
 *              above the dateline, else the first after the portal header.
 *   byline     "Tin, ảnh: Mai Khôi", "CTV Hiền Lương", "Theo Báo X", or a
 *              bare name as the very last line ("La Nhung", "VĂN PHÚC").
 *   source     a prefix on the lead: "(kontumtv.vn) –", "ĐBP - ".
 *   views      "Lượt xem: 4824" on a dateline or alone, or a bare number
 *              after the body.
 *   captions   lines in the body that do not end like a sentence and are
 *              long enough to describe a photo, or carry "(Ảnh: …)".
 *
 * Only a dateline is evidence of publication. A date the lead opens with
 * ("Sáng 18/1", its year from the years the article speaks of: dates.c)
 * is the day of the event, which news mostly reports the same day but
 * features and retrospectives do not: it is kept apart as a guess. */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metadata.h"

enum {
	RE_BYLINE,
	RE_ROLE,
	RE_THEO,
	RE_NAME,
	RE_NAMES,
	RE_GLUED,
	RE_GLUED_THEO,
	RE_NAME_THEO,
	RE_SRC_PAREN,
	RE_SRC_AGENCY,
	RE_CREDIT,
	RE_VIEWS,
	RE_NUMBER,
	RE_PART,
	RE_PHOTO_MARK
};

/* The end of a sentence in running text, not of an abbreviation or a
 * numbered item ("5. Hồ Vân Trì"): also a full stop after a closing
 * quote ("… trở lại”."), three dots ("…tốt hơn..."), the "./." that
 * some papers end an article with, and a full stop after a percentage
 * or an acronym of three capitals or more ("… với CNN."), but not two
 * ("TP. Hồ Chí Minh", "TS. Lê Minh"). The first look at one character
 * rules out most places fast. */
#define SENTENCE_END                                                                                                      \
	"(?<=[.!?…\"”])"                                                                                              \
	"(?<=[\\p{Ll}\\d)][.!?…]|[\\p{Ll}\\d)][.!?…][\"”]|[\\p{Ll}\\d)][\"”][.!?…]|[\\p{Ll}\\d)\"”]\\.\\.\\." \
	"|[\\p{Ll}\\d)\"”]\\./\\.|\\d%\\.|\\p{Lu}{3}\\.|\\p{Lu}{3}\\./\\.)"

/* A syllable in capitals ("VÂN"), which has a vowel: not an acronym
 * ("UBND", "TP"). */
#define CAPS_SYLLABLE \
	"(?=\\p{Lu}*[AEIOUYĂÂÊÔƠƯÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ])\\p{Lu}{2,}\\b"

/* Two to four capitalised words, or an initial and a name ("T.Thủy",
 * "N. Huyền", "Ch. Tuấn"), not "Theo"; or written in capitals ("HẠ VÂN",
 * "T.PHƯƠNG", "H. NGUYÊN"). */
#define ONE_NAME                                                                                        \
	"(?:\\p{Lu}\\p{Ll}*(?:\\s+(?!Theo\\s)\\p{Lu}\\p{Ll}*){1,3}|\\p{Lu}\\p{Ll}?\\. ?\\p{Lu}\\p{Ll}+" \
	"|" CAPS_SYLLABLE "(?:\\s+" CAPS_SYLLABLE "){1,3}|\\p{Lu}\\. ?" CAPS_SYLLABLE ")"
#define GLUED_NAME "(" ONE_NAME ")"
/* Up to three such names joined by dashes ("Minh Anh - Văn Hùng",
 * "H.Long - T.Hà - Mai Khôi"). */
#define GLUED_NAMES "(" ONE_NAME "(?:\\s*[-–]\\s*(?!Theo\\s|Nguồn\\s)" ONE_NAME "){0,2})"
/* Initials alone ("Đ.T", "H.M"), which may as well be a role or an
 * agency's, count only with a note in brackets after them. */
#define GLUED_INITIALS "(\\p{Lu}\\p{Ll}?(?:\\.\\p{Lu}\\p{Ll}?)+)"

/* What may stand before a glued byline, and is no part of the author: a
 * label ("Tin, ảnh:", "Bài và ảnh:", "Tin-ảnh:"), a reporter's role
 * ("CTV") or a writer's title ("TS", "BS.", "PGS.TS", "Luật sư"). A dot
 * only after a title of two letters, which glued_tail() reads as an
 * initial's. */
#define GLUED_LABEL "(?:(?:Tin|Bài)(?:, ?ảnh|\\s*(?:và|-|–|/)\\s*ảnh)?\\s*:\\s*)?"
#define GLUED_TITLE "(?:(?:CTV|BTV|PV|ThS|Luật sư|(?:PGS|GS)(?:[.-]TS)?|(?:TS|BS)\\.?)\\s+)?"

/* What follows a glued byline's names, a source or a note in brackets,
 * is at most GLUED_TAIL_MAX characters: glued_tail() counts on it. */
#define GLUED_TAIL_MAX 48
/* The source glued after a byline ("Theo Koreaboo", "Theo Lê Phương/
 * VnExpress.net"), a dot only inside a name. */
#define GLUED_SOURCE_MAX 40
#define STRINGIFY(x) #x
#define STR(x) STRINGIFY(x)
#define GLUED_SOURCE "((?:[^.!?]|\\.(?=\\S)){2," STR(GLUED_SOURCE_MAX) "}?)"
/* The paper after a slash ("Phi Long/VOV.VN", "Trần Minh/Báo Tin Tức",
 * "Hạ Vi/ Theo Báo X"): a dot only inside a name, never before a space. */
#define SLASH_SOURCE "([^\\s/.!?](?:[^/.!?]|\\.(?=\\S)){0,38}?)"
/* A note in brackets after the byline, at most GLUED_TAIL_MAX
 * characters with them: the source the story was taken from ("(Theo
 * Reuters)", "(Nguồn: CNN)"), an agency written with two capitals or
 * more ("(TTXVN)", "(VnExpress)"), or how it was written ("(tổng hợp)",
 * "(lược dịch)", "(T/h)", "(tổng hợp theo báo X, Y)"), which names no
 * source; words only, no digits. */
#define TAG_CHAR "(?:[^().!?]|\\.(?=\\S))"
#define GLUED_TAG_THEO "\\s*\\(\\s?(?:[Tt]heo|[Nn]guồn\\s?:?)\\s(" TAG_CHAR "{2,36}?)\\s?\\)"
#define GLUED_TAG_AGENCY "\\s*\\((?=[\\p{L}.]{3,20}\\))(\\p{Lu}[\\p{L}.]*?\\p{Lu}[\\p{L}.]*)\\)"
#define GLUED_TAG_NOTE "\\s*\\((?:[^().!?\\d]|\\.(?=\\S)){1,45}\\)"

static const struct {
	const char *pattern;
	int caseless;
} patterns[] = {
	/* "Tin, ảnh: Mai Khôi": the label (1) and the name (2) */
	[RE_BYLINE] = {"^((?:tin|bài|ảnh|video|clip|đồ hoạ|đồ họa)"
		       "(?:\\s*(?:,|và|-|–|/|&|\\+)\\s*(?:tin|bài|ảnh|video|clip))*"
		       "|nhóm\\s+(?:pv|phóng viên)|phóng viên|tác giả|người viết|thực hiện)"
		       "\\s*:\\s*(\\S.{0,80}?)\\s*\\.?$",
		       1},
	[RE_ROLE] = {"^(?:ctv|pv|btv|phóng viên|cộng tác viên|nhóm pv)\\.?\\s+(\\p{L}[^\\d:]{1,60}?)\\s*\\.?$", 1},
	[RE_THEO] = {"^\\(?\\s*(?:theo|nguồn)\\s*:?\\s+([^()]{2,80}?)\\s*\\)?\\s*\\.?$", 1},
	/* "Minh Anh", "Ngọc Anh - Văn Hùng", "Hoàng Long (TTXVN)": names (1), agency (2) */
	[RE_NAME] = {"^(\\p{Lu}\\p{L}*(?:\\s+\\p{Lu}\\p{L}*){1,4}"
		     "(?:\\s*[-–,]\\s*\\p{Lu}\\p{L}*(?:\\s+\\p{Lu}\\p{L}*){1,4})*)"
		     "(?:\\s*\\(([^()]{2,40})\\))?\\s*\\.?$",
		     0},
	/* What a label credits: names, initials and agencies, all capitalised
	 * ("Mai Khôi", "H.Long - T.Hà (TTXVN)"), not a headline ("Clip: Bàn
	 * chải thông minh…") */
	[RE_NAMES] = {"^[\\p{Lu}(]\\S*(?:\\s+(?:[\\p{Lu}(]\\S*|và|[-–&/,]))*$", 0},
	/* "… tỉnh Thanh Hóa. Quỳnh An", "… nhập ngũ? Tuấn VĩTheo Koreaboo",
	 * "… diễn tập. Phi Long/VOV.VN", "… ngày 14/4. Quỳnh An (TTXVN)",
	 * "… đơn vị. Minh Anh - Văn Hùng", "… đơn vị. Minh Anh -", "… đơn
	 * vị. Tin, ảnh: Mai Khôi", "… đơn vị. Đ.T (tổng hợp)": a byline (1)
	 * glued to the end of the last paragraph, perhaps with its source (2)
	 * glued on too, or the dash that stood before it */
	[RE_GLUED] = {SENTENCE_END
		      "\\s+" GLUED_LABEL GLUED_TITLE "(?!Theo\\s|Nguồn\\s)(?|" GLUED_NAMES
		      "(?|(?:\\s*[-–]\\s*|, ?|\\s*)Theo\\s+" GLUED_SOURCE "|\\s*/\\s*(?:Theo\\s+)?" SLASH_SOURCE
		      "|" GLUED_TAG_THEO "|" GLUED_TAG_AGENCY "|" GLUED_TAG_NOTE "|\\s+[-–])?"
		      "|" GLUED_INITIALS "(?|" GLUED_TAG_THEO "|" GLUED_TAG_AGENCY "|" GLUED_TAG_NOTE "))\\s*$",
		      0},
	/* "T.ThủyTheo NW": a byline line with its source glued on */
	[RE_NAME_THEO] = {"^" GLUED_NAME "\\s*Theo\\s+([^.!?]{2,40}?)\\s*$", 0},
	[RE_GLUED_THEO] = {SENTENCE_END "\\s+(?:Theo|Nguồn:?)\\s+" GLUED_SOURCE "\\s*$", 0},
	[RE_SRC_PAREN] = {"^\\(\\s*([^()]{2,60}?)\\s*\\)\\s*[-–—]\\s*", 0},
	[RE_SRC_AGENCY] = {"^(\\p{Lu}{2,8})\\s*[-–—]\\s+(?=\\p{Lu})", 0},
	/* "(Ảnh: TTXVN)" or "… ngày 14/4. Ảnh: Duy Thành" at the end, "Ảnh: …" at the start */
	[RE_CREDIT] = {"(?:\\(\\s*(?:ảnh|nguồn ảnh|ảnh minh họa|ảnh minh hoạ)\\b[^()]*\\)\\s*\\.?$"
		       "|\\(\\s*(?:nguồn\\s+)?(?:video|clip)\\s*:[^()]*\\)\\s*\\.?$"
		       "|[.!?]\\s+(?:ảnh|nguồn ảnh)\\s*:\\s*[^.:]{2,40}$"
		       "|^(?:ảnh|ảnh minh họa|ảnh minh hoạ)\\s*[:.])",
		       1},
	[RE_VIEWS] = {"^(?:lượt xem|lượt đọc|số lượt xem|lượt truy cập|views?)\\s*:?\\s*(\\d[\\d.,]*)$", 1},
	[RE_NUMBER] = {"^(?:\\d{1,3}(?:[.,]\\d{3})+|\\d{1,9})$", 0},
	/* A part of a body, never its headline: a numbered item ("1. Gỏi
	 * cuốn") or an interviewer's turn ("PV: Xin ông cho biết …?") */
	[RE_PART] = {"^(?:\\d{1,2}[.)]\\s|(?:pv|p\\.v|phóng viên|hỏi)\\s*:)", 1},
	/* What only a photo's caption carries: where a person stands in the
	 * picture ("Rashford (trái)", "(thứ hai từ trái sang)") or the
	 * picture's source at the end ("(Nguồn: Pinterest)"). A body
	 * paragraph may end citing a source, so captions are not found by it. */
	[RE_PHOTO_MARK] =
		{"\\((?:ảnh,\\s*)?(?:(?:thứ\\s+\\S+\\s+)?(?:từ|bên|bìa|góc|ở|đứng|ngồi|ngoài cùng,?(?:\\s+bên)?)\\s+)?"
		 "(?:trái|phải|giữa)(?:\\s+(?:sang|qua)(?:\\s+(?:trái|phải))?)?(?:,\\s*hàng\\s+\\S+)?\\)"
		 "|\\(\\s*nguồn\\s*:[^()]*\\)\\s*\\.?$",
		 1},
};

int cl_metax_init(cl_metax *x, const cl_meta_opts *o, char *err, size_t errlen)
{
	memset(x, 0, sizeof *x);
	x->o = *o;
	if (cl_vn_init())
		return snprintf(err, errlen, "%s", cl_vn_init_error()), -1;
	_Static_assert(sizeof patterns / sizeof *patterns == sizeof x->re / sizeof *x->re, "one slot per pattern");
	for (size_t i = 0; i < sizeof patterns / sizeof *patterns; i++) {
		int code;
		PCRE2_SIZE at;
		uint32_t flags = PCRE2_UTF | PCRE2_UCP | (patterns[i].caseless ? PCRE2_CASELESS : 0);
		x->re[i] = pcre2_compile((PCRE2_SPTR)patterns[i].pattern, PCRE2_ZERO_TERMINATED, flags, &code, &at,
					 NULL);
		if (!x->re[i]) {
			PCRE2_UCHAR msg[128];
			pcre2_get_error_message(code, msg, sizeof msg);
			snprintf(err, errlen, "internal pattern %zu: %s at %zu", i, (char *)msg, (size_t)at);
			return -1;
		}
		pcre2_jit_compile(x->re[i], PCRE2_JIT_COMPLETE);
	}
	x->md = pcre2_match_data_create(8, NULL);
	if (!x->md)
		return snprintf(err, errlen, "out of memory"), -1;
	return 0;
}

void cl_metax_free(cl_metax *x)
{
	for (size_t i = 0; i < sizeof x->re / sizeof *x->re; i++)
		if (x->re[i])
			pcre2_code_free(x->re[i]);
	if (x->md)
		pcre2_match_data_free(x->md);
	cl_lines_free(&x->lines);
	free(x->ml);
	cl_buf_free(&x->out);
	cl_buf_free(&x->fold);
	cl_buf_free(&x->fold2);
	memset(x, 0, sizeof *x);
}

void cl_meta_free(cl_meta *m)
{
	cl_buf_free(&m->title);
	cl_buf_free(&m->title_guess);
	cl_buf_free(&m->author);
	cl_buf_free(&m->source);
	free(m->captions);
	memset(m, 0, sizeof *m);
}

/* ---- helpers ----------------------------------------------------------- */

/* Match pattern i on s; the span of group g (when g > 0) in gs, ge. */
/* Group g of the last match, if it took part (pcre2_match leaves the
 * groups it did not reach unset). */
static int last_group(cl_metax *x, int g, size_t *gs, size_t *ge)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
	if (ov[2 * g] == PCRE2_UNSET)
		return 0;
	*gs = ov[2 * g], *ge = ov[2 * g + 1];
	return 1;
}

static int match_from(cl_metax *x, int i, const char *s, size_t n, size_t from, int g, size_t *gs, size_t *ge)
{
	int rc = pcre2_match(x->re[i], (PCRE2_SPTR)s, n, from, PCRE2_NO_UTF_CHECK, x->md, NULL);
	return rc >= 0 && (g == 0 || (g < rc && last_group(x, g, gs, ge)));
}

static int match(cl_metax *x, int i, const char *s, size_t n, int g, size_t *gs, size_t *ge)
{
	return match_from(x, i, s, n, 0, g, gs, ge);
}

static int ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Whether the dot s[i - 1] may end an initial ("N. Huyền", "Ch. Tuấn",
 * "Đ. Phú"): one or two letters after anything else (a space of any
 * kind) or the start. Saying yes too often only makes the search start
 * earlier. */
static int initial_dot(const char *s, size_t i)
{
	size_t at = i - 1;
	for (int letters = 0; letters < 3; letters++) {
		if (!at)
			return letters > 0;
		if (!cl_is_wordchar(cl_utf8_prev(s, at, &at)))
			return letters > 0;
	}
	return 0;
}

/* Whether the comma s[i - 1] may be in a glued byline: in a label ("Tin,
 * ảnh:") or before "Theo", a space at most between. Other commas stop
 * the search, which then starts nearer the end. */
static int byline_comma(const char *s, size_t i, size_t n)
{
	if (s[i - 1] != ',')
		return 0;
	i += i < n && s[i] == ' ';
	return (n - i >= 4 && !memcmp(s + i, "Theo", 4)) || (n - i >= 5 && !memcmp(s + i, "ảnh", 5));
}

/* Where a match of RE_GLUED or RE_GLUED_THEO can start, at the earliest.
 * Read from the end, one is spaces, a source or a note in brackets of at
 * most GLUED_TAIL_MAX characters other than ! ? and a full stop before
 * a space, then only letters, spaces, "Nguồn:"'s colon, the slash before
 * a paper, the dash between names, the comma before "Theo" or in a
 * label (byline_comma()), and dots that are not before a space
 * ("T.Thủy", "VOV.VN") or end an initial ("N. Huyền"), back to the end
 * of a sentence. So the search can start
 * after the last character that cannot be in there (a full stop before a
 * space, a digit, a bracket) instead of trying every position of a long
 * paragraph. Any non-ASCII character counts as a letter or a space: the
 * bound stays safe, and the match found is the same. */
static size_t glued_tail(const char *s, size_t n)
{
	size_t i = n;
	while (i && (ascii_space(s[i - 1]) || (unsigned char)s[i - 1] >= 0x80))
		i--;
	for (int k = 0; k < GLUED_TAIL_MAX && i && s[i - 1] != '!' && s[i - 1] != '?' &&
			(s[i - 1] != '.' || (i < n && !ascii_space(s[i])));
	     k++)
		do
			i--;
		while (i && ((unsigned char)s[i] & 0xC0) == 0x80);
	for (; i; i--) {
		unsigned char c = (unsigned char)s[i - 1];
		int letter = c >= 0x80 || (unsigned)((c | 0x20) - 'a') < 26u;
		int dot = c == '.' && i < n && (!ascii_space(s[i]) || initial_dot(s, i));
		if (!letter && !dot && c != ':' && c != '/' && c != '-' && !byline_comma(s, i, n) &&
		    !ascii_space((char)c))
			break;
	}
	return i;
}

static int set_trimmed(cl_buf *b, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '-'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '.' || s[n - 1] == ',' || s[n - 1] == '-'))
		n--;
	cl_buf_clear(b);
	return cl_buf_put(b, s, n);
}

/* "VĂN PHÚC" -> "Văn Phúc"; names in mixed case stay as written. */
static int set_name(cl_buf *b, const char *s, size_t n)
{
	if (set_trimmed(b, s, n))
		return -1;
	int lower = 0;
	for (size_t i = 0; i < b->len;) {
		size_t k;
		lower |= cl_is_lower(cl_utf8_get(b->p + i, b->len - i, &k));
		i += k;
	}
	if (lower)
		return 0;
	cl_buf t = {0};
	int start = 1;
	for (size_t i = 0; i < b->len;) {
		size_t k;
		int32_t cp = cl_utf8_get(b->p + i, b->len - i, &k);
		i += k;
		int word = cl_is_wordchar(cp);
		if (cl_buf_putcp(&t, word && !start ? cl_to_lower(cp) : cp)) {
			cl_buf_free(&t);
			return -1;
		}
		start = !word;
	}
	cl_buf_clear(b);
	int rc = cl_buf_put(b, t.p, t.len);
	cl_buf_free(&t);
	return rc;
}

/* Chrome that looks like a name ("Back To Top"), should it survive. */
static int chrome_words(cl_metax *x, const char *s, size_t n)
{
	static const char *const words[] = {"back",      "top",     "home",      "login",    "share",
					    "print",     "reply",   "comment",   "email",    "menu",
					    "trang chủ", "liên hệ", "bình luận", "đăng nhập"};
	if (cl_fold(s, n, &x->fold))
		return 1;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (cl_contains_words(x->fold.p, x->fold.len, words[i], strlen(words[i])))
			return 1;
	return 0;
}

#define HEADLINE_MAX_WORDS 30 /* a headline ending like a sentence, at most */

/* "Tin, ảnh: Mai Khôi": the label's span in ls, le and the names' in gs, ge. */
static int labelled_byline(cl_metax *x, const char *s, size_t n, size_t *ls, size_t *le, size_t *gs, size_t *ge)
{
	if (!match(x, RE_BYLINE, s, n, 2, gs, ge))
		return 0;
	match(x, RE_BYLINE, s, n, 1, ls, le);
	size_t a = *gs, b = *ge;
	return match(x, RE_NAMES, s + a, b - a, 0, NULL, NULL);
}

/* A numbered item or an interviewer's question: a part of the body,
 * whatever its shape. */
static int body_part(cl_metax *x, const char *s, size_t n) { return match(x, RE_PART, s, n, 0, NULL, NULL); }

static int title_like(const cl_line *l, size_t max_chars)
{
	if (l->words < 3 || l->words > 60 || l->chars > max_chars || l->prose)
		return 0;
	return 1;
}

size_t cl_meta_head(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* The last character of s[0..n), looking through closing quotes and
 * brackets, or 0. */
static int32_t last_char(const char *s, size_t n)
{
	while (n > 0) {
		size_t at;
		int32_t cp = cl_utf8_prev(s, n, &at);
		if (cp != ' ' && cp != '"' && cp != '\'' && cp != 0x201D && cp != 0x2019 && cp != 0xBB)
			return cp;
		n = at;
	}
	return 0;
}

/* Headlines may end like a sentence ("… sẽ ra sao?", "Quá tệ!", "…"),
 * which makes them prose to lines.c; a lead that short is rare. */
static int sentence_headline(const cl_line *l, const char *s, size_t max_chars)
{
	if (l->words < 3 || l->words > HEADLINE_MAX_WORDS || l->chars > max_chars)
		return 0;
	int32_t c = last_char(s, l->len);
	return c == '?' || c == '!' || c == 0x2026;
}

/* Pages that lost their headline open at whatever came under it: the
 * first section's heading ("Một năm vượt khó", "Gỏi tôm sống") or the
 * first photo's caption. A headline is followed by its lead, which sums
 * the story up in a sentence or two; a section's heading by an ordinary
 * paragraph, and by more headings further down. On the dev articles a
 * line of at most HEADING_SHORT_WORDS words over a body with headings,
 * or of at most HEADING_MAX_WORDS over a first paragraph longer than
 * LEAD_MAX_CHARS, was never a page's headline (docs/cleaning.md). */
#define HEADING_SHORT_WORDS 6
#define HEADING_MAX_WORDS 10
#define LEAD_MAX_CHARS 200

/* A line alone between two body paragraphs that does not end like a
 * sentence: a section's heading, or a caption. */
static int is_heading(const cl_lines *ls, size_t j)
{
	const cl_line *l = &ls->v[j];
	return j > 0 && j + 1 < ls->n && !l->prose && !l->terminal && l->words >= 2 && ls->v[j - 1].prose &&
	       ls->v[j + 1].prose;
}

static int body_has_headings(const cl_lines *ls, size_t first, size_t last)
{
	if (first == ls->n)
		return 0;
	for (size_t j = first + 1; j < last; j++)
		if (is_heading(ls, j))
			return 1;
	return 0;
}

/* Line i, above the body, is a section's heading and not the headline. */
static int section_heading(const cl_lines *ls, size_t i, int headings)
{
	const cl_line *l = &ls->v[i];
	if (!headings || l->words > HEADING_MAX_WORDS)
		return 0;
	if (l->words <= HEADING_SHORT_WORDS)
		return 1;
	const cl_line *next = i + 1 < ls->n ? &ls->v[i + 1] : NULL;
	return next && next->prose && next->chars > LEAD_MAX_CHARS;
}

/* A caption's shape: caption_min_words words or more, not ending like a
 * sentence, no longer than caption_max_chars. */
static int caption_shaped(const cl_metax *x, const cl_line *l)
{
	return !l->terminal && l->words >= x->o.caption_min_words && l->chars <= x->o.caption_max_chars;
}

/* A page that lost its headline may open with the caption of the photo
 * at the top of its body, right over the first section's heading. A
 * headline is followed by its lead, never at once by a heading, except a
 * roundup's over its first numbered item ("1. …") and a series' over its
 * part's heading ("Bài 2: …"), and such a series' headline is shorter
 * than a caption. So a line with a caption's shape (caption_shaped)
 * right over a section's heading that is not a numbered item, with prose
 * under the heading, is that caption. On the dev articles it held for one page without a
 * headline and for none of the 2,121 headlines (docs/cleaning.md). */
static int caption_over_heading(cl_metax *x, const char *text, size_t i, int headings)
{
	const cl_lines *ls = &x->lines;
	const cl_line *l = &ls->v[i];
	if (i + 2 >= ls->n || !caption_shaped(x, l))
		return 0;
	const cl_line *h = &ls->v[i + 1];
	return !h->prose && ls->v[i + 2].prose && section_heading(ls, i + 1, headings) &&
	       !body_part(x, text + h->start, h->len);
}

/* A headline's lead sums the story up in a sentence or two; a line over
 * a longer paragraph, on a page whose body runs to several paragraphs,
 * is a section's heading or a caption of a page that lost its headline.
 * (Portals that put the whole body on one line do not split it, and
 * their leads may be longer.) On the dev articles no headline's lead on
 * such a page was longer than 243 characters (docs/cleaning.md). */
#define LEAD_LONGEST_CHARS 300
#define BODY_MIN_PARAGRAPHS 4

static int over_long_paragraph(const cl_lines *ls, size_t i)
{
	if (i + 1 >= ls->n || !ls->v[i + 1].prose || ls->v[i + 1].chars <= LEAD_LONGEST_CHARS)
		return 0;
	size_t paragraphs = 0;
	for (size_t j = i + 1; j < ls->n && paragraphs < BODY_MIN_PARAGRAPHS; j++)
		paragraphs += ls->v[j].prose;
	return paragraphs >= BODY_MIN_PARAGRAPHS;
}

static int ends_with_char(const char *s, size_t n, char c) { return n && s[n - 1] == c; }

/* Doubts about a headline-shaped line: evidence that it may be an
 * item's heading or a pull quote of a page that lost its headline, but
 * measured on few pages: such a line is a guess (title_guess), not the
 * title, and stays in the text.
 *
 * A series of items (a roundup of clips): headings every one or two
 * paragraphs, from right under the line on. A headline over such a
 * series would have a lead of its own before the first item. */
#define ITEMS_MIN 4
#define ITEM_MAX_PARAGRAPHS 2

static int first_of_items(const cl_lines *ls, size_t i, size_t last)
{
	size_t items = 0, prev = i;
	for (size_t j = i + 1; j < last; j++) {
		if (!is_heading(ls, j))
			continue;
		if (j - prev - 1 > ITEM_MAX_PARAGRAPHS)
			return 0;
		items++, prev = j;
	}
	return items >= ITEMS_MIN;
}

static int closes_quote(int32_t cp) { return cp == '"' || cp == 0x201D; }

/* The offset right after the opening mark of the quotation still open at
 * offset at of s[0..n), or SIZE_MAX when none is. A straight mark opens
 * and closes in turn. */
static size_t quotation_open_at(const char *s, size_t n, size_t at)
{
	size_t opened = SIZE_MAX;
	for (size_t k = 0; k < at;) {
		size_t used;
		int32_t cp = cl_utf8_get(s + k, n - k, &used);
		k += used;
		if (cp == '"' ? opened == SIZE_MAX : cp == 0x201C)
			opened = k;
		else if (closes_quote(cp))
			opened = SIZE_MAX;
	}
	return opened;
}

/* Line i said again inside a quotation of the paragraph under it, as a
 * part of it ('Nghệ sĩ Minh An: "Dù nhiều lúc mệt mỏi, <line>."'): a pull quote. A headline
 * that quotes someone writes the quotation marks itself, and a lead that
 * names the headline's subject in quotation marks quotes all of it. */
static int pull_quote(cl_metax *x, const char *text, size_t i)
{
	const cl_lines *ls = &x->lines;
	if (i + 1 >= ls->n || !ls->v[i + 1].prose)
		return 0;
	const cl_line *l = &ls->v[i], *p = &ls->v[i + 1];
	if (cl_fold(text + l->start, l->len, &x->fold2) || cl_fold(text + p->start, p->len, &x->fold))
		return 0;
	/* A title's candidate never ends in '.', nor a fold in a space. */
	size_t n = x->fold2.len;
	const char *at = n ? memmem(x->fold.p, x->fold.len, x->fold2.p, n) : NULL;
	if (!at)
		return 0;
	/* Inside quotation marks, not right after the opening one nor right
	 * before the closing one. */
	size_t from = (size_t)(at - x->fold.p), to = from + n;
	size_t opened = quotation_open_at(x->fold.p, x->fold.len, from);
	if (opened == SIZE_MAX)
		return 0;
	while (to < x->fold.len && (x->fold.p[to] == ' ' || x->fold.p[to] == '.'))
		to++;
	size_t used;
	int whole = opened == from || opened + 1 == from;
	whole &= to == x->fold.len || closes_quote(cl_utf8_get(x->fold.p + to, x->fold.len - to, &used));
	return !whole;
}

/* Why line i, the headline-shaped line found on a page without a
 * dateline, is only a guess, or NULL. */
static const char *title_doubt(cl_metax *x, const char *text, size_t i, size_t last)
{
	if (first_of_items(&x->lines, i, last))
		return "the first of a series of headings";
	if (pull_quote(x, text, i))
		return "a quotation from the paragraph under it";
	return NULL;
}

/* ---- the steps ------------------------------------------------------- */

static void classify(cl_metax *x, const char *text, size_t first, size_t last)
{
	size_t n = x->lines.n;
	for (size_t i = 0; i < n; i++) {
		const cl_line *l = &x->lines.v[i];
		cl_mline *m = &x->ml[i];
		memset(m, 0, sizeof *m);
		int outside = first == n || i < first || i > last;
		if (!outside || l->prose)
			continue;
		m->is_date = cl_parse_dateline(text + l->start, l->len, &m->dl);
	}
}

/* When the first prose line is a headline ending like a sentence, with
 * no headline-shaped line above it and prose below, the body starts
 * after it. Returns the body's first line. */
static size_t sentence_headline_first(cl_metax *x, const char *text, size_t first, size_t last)
{
	size_t n = x->lines.n;
	x->headline = n;
	if (first == n || first == last)
		return first;
	const cl_line *l = &x->lines.v[first];
	if (!sentence_headline(l, text + l->start, x->o.title_max_chars) || body_part(x, text + l->start, l->len))
		return first;
	for (size_t i = 0; i < first; i++)
		if (!x->ml[i].is_date && title_like(&x->lines.v[i], x->o.title_max_chars))
			return first;
	size_t next = first + 1;
	while (next < last && !x->lines.v[next].prose)
		next++;
	x->headline = first;
	return next;
}

/* The title's line, or lines.n; *doubt says why it is only a guess. */
static size_t find_title(cl_metax *x, const char *text, size_t first, size_t last, const char *known,
			 const char **doubt)
{
	size_t n = x->lines.n, zone = first == n ? n : first;
	*doubt = NULL;
	if (known) {
		if (cl_fold(known, strlen(known), &x->fold2))
			return n;
		for (size_t i = 0; i < zone; i++) {
			const cl_line *l = &x->lines.v[i];
			if (!cl_fold(text + l->start, l->len, &x->fold) && x->fold.len == x->fold2.len &&
			    !memcmp(x->fold.p, x->fold2.p, x->fold.len))
				return i;
		}
		return n;
	}
	/* The publication dateline, if the header has one. */
	size_t pub = n, header = n;
	for (size_t i = 0; i < zone; i++) {
		const cl_mline *m = &x->ml[i];
		if (!m->is_date)
			continue;
		if (!m->dl.language_links && (m->dl.date.has_time || m->dl.labelled)) {
			if (pub == n)
				pub = i;
		} else {
			header = i;
		}
	}
	int cand[256];
	size_t ls, le, gs, ge;
	size_t nc = 0;
	/* A page with a dateline kept its header, and its headline with it. */
	int headings = pub == n && header == n && body_has_headings(&x->lines, first, last);
	for (size_t i = 0; i < zone && nc < 256; i++) {
		const cl_line *l = &x->lines.v[i];
		const char *s = text + l->start;
		/* A headline comes before the article's photos: below a photo's
		 * credit the body has begun, and a short line there is a
		 * caption or a section's heading. */
		if (match(x, RE_CREDIT, s, l->len, 0, NULL, NULL))
			break;
		if (x->ml[i].is_date || (!title_like(l, x->o.title_max_chars) && i != x->headline) ||
		    ends_with_char(s, l->len, '.') || ends_with_char(s, l->len, ',') || body_part(x, s, l->len) ||
		    labelled_byline(x, s, l->len, &ls, &le, &gs, &ge) ||
		    match(x, RE_ROLE, s, l->len, 0, NULL, NULL) ||
		    match(x, RE_PHOTO_MARK, s, l->len, 0, NULL, NULL) || section_heading(&x->lines, i, headings) ||
		    over_long_paragraph(&x->lines, i) || caption_over_heading(x, text, i, headings))
			continue;
		cand[nc++] = (int)i;
	}
	if (!nc)
		return n;
	if (pub != n) {
		for (size_t k = nc; k-- > 0;)
			if ((size_t)cand[k] < pub)
				return (size_t)cand[k];
		return (size_t)cand[0];
	}
	size_t title = (size_t)cand[nc - 1];
	for (size_t k = 0; k < nc; k++)
		if (header == n || (size_t)cand[k] > header) {
			title = (size_t)cand[k];
			break;
		}
	if (header == n && first != n)
		*doubt = title_doubt(x, text, title, last);
	return title;
}

static void find_dates(cl_metax *x, size_t title, size_t first, cl_meta *m)
{
	size_t n = x->lines.n;
	size_t pub = n;
	/* A dateline with a time or a label, before the body, then after it. */
	for (int pass = 0; pass < 3 && pub == n; pass++)
		for (size_t i = 0; i < n && pub == n; i++) {
			cl_mline *ml = &x->ml[i];
			int before = first == n || i < first;
			if (!ml->is_date || ml->dl.language_links)
				continue;
			int strong = ml->dl.date.has_time || ml->dl.labelled;
			if (pass == 0 && before && strong)
				pub = i;
			/* A bare date below the title is the article's; above it, the portal's. */
			else if (pass == 1 && before && (title == n || i > title))
				pub = i;
			else if (pass == 2 && !before && strong)
				pub = i;
		}
	for (size_t i = 0; i < n; i++) {
		cl_mline *ml = &x->ml[i];
		if (!ml->is_date)
			continue;
		ml->kind = i == pub ? K_DATE : K_TODAY;
		if (ml->dl.views >= 0 && m->views < 0)
			m->views = ml->dl.views;
	}
	if (pub != n)
		m->published = x->ml[pub].dl.date;
}

static void find_intext_date(cl_metax *x, const char *text, size_t len, size_t first, cl_meta *m)
{
	size_t n = x->lines.n;
	cl_date today = {0};
	for (size_t i = 0; i < n; i++)
		if (x->ml[i].kind == K_TODAY && !today.y)
			today = x->ml[i].dl.date;
	for (size_t i = first; i < n && i < first + 2; i++) {
		const cl_line *l = &x->lines.v[i];
		cl_date d;
		/* The date of the event opens the lead: its first 300 bytes will do. */
		size_t head = cl_meta_head(text + l->start, l->len, 300);
		if (!cl_intext_date(text + l->start, head, &d))
			continue;
		int told = d.y != 0;
		if (!d.y) {
			cl_years ys;
			cl_years_collect(text, len, &ys);
			d.y = cl_infer_year(&ys, d.mo, d.d, &today);
		}
		if (d.y && cl_date_valid(d.y, d.mo, d.d)) {
			m->guessed = d;
			m->guess_line = i;
			m->guess_year_told = told;
		}
		return;
	}
}

int cl_meta_glued_same(cl_metax *x, const char *s, size_t n)
{
	static const int res[] = {RE_GLUED, RE_GLUED_THEO};
	int any = 0;
	for (size_t r = 0; r < sizeof res / sizeof *res; r++) {
		PCRE2_SIZE whole[16];
		int rc = pcre2_match(x->re[res[r]], (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, x->md, NULL);
		if (rc < PCRE2_ERROR_NOMATCH || rc > 8)
			return -1;
		if (rc > 0)
			memcpy(whole, pcre2_get_ovector_pointer(x->md), 2 * (size_t)rc * sizeof *whole);
		int tail = pcre2_match(x->re[res[r]], (PCRE2_SPTR)s, n, glued_tail(s, n), PCRE2_NO_UTF_CHECK, x->md,
				       NULL);
		if (tail < PCRE2_ERROR_NOMATCH)
			return -1;
		if (tail != rc ||
		    (rc > 0 && memcmp(whole, pcre2_get_ovector_pointer(x->md), 2 * (size_t)rc * sizeof *whole)))
			return 0;
		any |= rc > 0;
	}
	return 1 + any;
}

#define REPEAT_MAX 60 /* bytes of a byline printed twice, at most */

/* A glued byline printed twice ("… ./. Minh Khang/VOV.VN Minh
 * Khang/VOV.VN"): the length of s without the second copy. A copy has
 * two words at least, and starts after a space: a name whose syllables
 * repeat ("Thanh Thanh") is no copy. Else n. */
static size_t without_repeat(cl_metax *x, const char *s, size_t n)
{
	size_t e = n;
	while (e && ascii_space(s[e - 1]))
		e--;
	for (size_t k = 3; k <= REPEAT_MAX && 2 * k + 1 < e; k++) {
		size_t at = e - k, gap = ascii_space(s[at - 1]), first = at - gap - k;
		if (((unsigned char)s[at] & 0xC0) == 0x80 || ascii_space(s[at]) || !ascii_space(s[first - 1]) ||
		    !memchr(s + at, ' ', k) || memcmp(s + first, s + at, k))
			continue;
		if (match_from(x, RE_GLUED, s, at, glued_tail(s, at), 0, NULL, NULL))
			return at;
	}
	return n;
}

/* A byline or source glued to the end of the last paragraph: found,
 * and cut off the paragraph. */
static int find_glued_byline(cl_metax *x, const char *text, size_t last, cl_meta *m)
{
	const cl_line *l = &x->lines.v[last];
	const char *s = text + l->start;
	size_t n = without_repeat(x, s, l->len);
	size_t gs, ge, as = 0, ae = 0, from = glued_tail(s, n);
	if (match_from(x, RE_GLUED, s, n, from, 1, &gs, &ge) && !chrome_words(x, s + gs, ge - gs)) {
		if (set_name(&m->author, s + gs, ge - gs))
			return -1;
		last_group(x, 2, &as, &ae); /* the source, of the same match */
	} else if (!match_from(x, RE_GLUED_THEO, s, n, from, 1, &as, &ae)) {
		return 0;
	}
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
	x->ml[last].cut = l->len - ov[0];
	if (ae > as && !m->source.len && set_trimmed(&m->source, s + as, ae - as))
		return -1;
	return 0;
}

static int find_bylines(cl_metax *x, const char *text, size_t first, size_t last, cl_meta *m)
{
	size_t n = x->lines.n;
	int author_rank = 0; /* 3: labelled, 2: role, 1: photo credit or bare name */
	/* Trailing lines first, then the header. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			const cl_line *l = &x->lines.v[i];
			cl_mline *ml = &x->ml[i];
			int after = first != n && i > last, before = first == n || i < first;
			if (ml->kind != K_BODY || (pass == 0 ? !after : !before) || l->prose)
				continue;
			const char *s = text + l->start;
			size_t gs = 0, ge = 0, ls = 0, le = 0; /* (set when labelled_byline matches) */
			if (labelled_byline(x, s, l->len, &ls, &le, &gs, &ge)) {
				int photo_only = cl_fold(s + ls, le - ls, &x->fold) == 0 && !strcmp(x->fold.p, "ảnh");
				int rank = photo_only ? 1 : 3;
				ml->kind = K_BYLINE;
				if (rank > author_rank && (m->author.len == 0 || rank > author_rank)) {
					if (set_name(&m->author, s + gs, ge - gs))
						return -1;
					author_rank = rank;
				}
			} else if (match(x, RE_ROLE, s, l->len, 1, &gs, &ge) && !chrome_words(x, s, l->len)) {
				ml->kind = K_BYLINE;
				if (author_rank < 2) {
					if (set_name(&m->author, s + gs, ge - gs))
						return -1;
					author_rank = 2;
				}
			} else if (match(x, RE_THEO, s, l->len, 1, &gs, &ge)) {
				ml->kind = K_SOURCE;
				if (!m->source.len && set_trimmed(&m->source, s + gs, ge - gs))
					return -1;
			} else if (match(x, RE_VIEWS, s, l->len, 1, &gs, &ge) ||
				   (after && match(x, RE_NUMBER, s, l->len, 0, NULL, NULL))) {
				if (!match(x, RE_VIEWS, s, l->len, 1, &gs, &ge))
					gs = 0, ge = l->len; /* a bare number after the body */
				ml->kind = K_VIEWS;
				if (m->views < 0)
					m->views = cl_parse_count(s + gs, ge - gs);
			}
		}
	/* A bare name as the very last line. */
	size_t lastline = n;
	for (size_t i = n; i-- > 0;)
		if (x->ml[i].kind == K_BODY || x->ml[i].kind == K_NAME) {
			lastline = i;
			break;
		}
	if (lastline != n && first != n && lastline > last) {
		const cl_line *l = &x->lines.v[lastline];
		const char *s = text + l->start;
		size_t gs, ge, as, ae;
		/* A glued "Theo" first: "Minh PhươngTheo Business Insider, Business
		 * Today" also reads as a list of capitalised names. */
		int re = match(x, RE_NAME_THEO, s, l->len, 1, &gs, &ge) ? RE_NAME_THEO : RE_NAME;
		if ((re == RE_NAME_THEO || match(x, re, s, l->len, 1, &gs, &ge)) && !chrome_words(x, s, l->len)) {
			x->ml[lastline].kind = K_BYLINE;
			if (!author_rank && set_name(&m->author, s + gs, ge - gs))
				return -1;
			if (match(x, re, s, l->len, 2, &as, &ae) && !m->source.len &&
			    set_trimmed(&m->source, s + as, ae - as))
				return -1;
		}
	}
	if (!author_rank && !m->author.len && last != n && x->ml[last].kind == K_BODY)
		return find_glued_byline(x, text, last, m);
	return 0;
}

static int find_source_prefix(cl_metax *x, const char *text, size_t first, cl_meta *m)
{
	if (first == x->lines.n)
		return 0;
	const cl_line *l = &x->lines.v[first];
	const char *s = text + l->start;
	size_t gs, ge;
	if (!match(x, RE_SRC_PAREN, s, l->len, 1, &gs, &ge) && !match(x, RE_SRC_AGENCY, s, l->len, 1, &gs, &ge))
		return 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
	x->ml[first].skip = ov[1];
	/* The lead's own prefix outranks a "Theo …" line. */
	return set_trimmed(&m->source, s + gs, ge - gs);
}

static int find_captions(cl_metax *x, const char *text, size_t title, size_t first, size_t last, cl_meta *m)
{
	size_t n = x->lines.n;
	if (first == n)
		return 0;
	size_t from = 0;
	for (size_t i = 0; i < first; i++)
		if (x->ml[i].kind != K_BODY)
			from = i + 1;
	if (title != n && title + 1 > from)
		from = title + 1;
	for (size_t i = from; i <= last; i++) {
		const cl_line *l = &x->lines.v[i];
		cl_mline *ml = &x->ml[i];
		if (ml->kind != K_BODY || ml->skip || ml->cut)
			continue;
		const char *s = text + l->start;
		if (l->chars > x->o.caption_max_chars)
			continue;
		int shape = caption_shaped(x, l);
		int credit = !shape && match(x, RE_CREDIT, s, l->len, 0, NULL, NULL);
		if (!credit && !shape)
			continue;
		ml->kind = K_CAPTION;
		if (m->n_captions == m->cap_captions) {
			size_t cap = m->cap_captions ? m->cap_captions * 2 : 8;
			size_t *v = realloc(m->captions, cap * sizeof *v);
			if (!v)
				return -1;
			m->captions = v, m->cap_captions = cap;
		}
		m->captions[m->n_captions++] = i;
	}
	/* A photo story: when every paragraph is a caption, the captions are
	 * the article's text, and taking them out would leave nothing. */
	for (size_t i = from; i <= last; i++)
		if (x->ml[i].kind == K_BODY)
			return 0;
	for (size_t k = 0; k < m->n_captions; k++)
		x->ml[m->captions[k]].kind = K_BODY;
	m->n_captions = 0;
	return 0;
}

static int rebuild(cl_metax *x, const char *text, size_t len, cl_meta *m)
{
	cl_buf *o = &x->out;
	cl_buf_clear(o);
	int any = 0, blank = 0;
	for (size_t i = 0; i < x->lines.n; i++) {
		const cl_line *l = &x->lines.v[i];
		const cl_mline *ml = &x->ml[i];
		blank |= l->blank_before;
		if (ml->kind != K_BODY)
			continue;
		size_t skip = ml->skip < l->len ? ml->skip : 0;
		size_t keep = l->len - skip > ml->cut ? l->len - skip - ml->cut : l->len - skip;
		if (any && cl_buf_put(o, "\n\n", blank ? 2 : 1))
			return -1;
		if (cl_buf_put(o, text + l->start + skip, keep))
			return -1;
		any = 1, blank = 0;
	}
	m->text = o->p ? o->p : "";
	m->len = o->len;
	m->changed = m->len != len || memcmp(m->text, text, len) != 0;
	return 0;
}

int cl_meta_extract(cl_metax *x, const char *text, size_t len, const char *known_title, cl_meta *m)
{
	cl_buf_clear(&m->title);
	cl_buf_clear(&m->title_guess);
	m->title_doubt = NULL;
	cl_buf_clear(&m->author);
	cl_buf_clear(&m->source);
	memset(&m->published, 0, sizeof m->published);
	memset(&m->guessed, 0, sizeof m->guessed);
	m->views = -1;
	m->n_captions = 0;
	if (cl_lines_split(&x->lines, text, len))
		return -1;
	size_t n = x->lines.n;
	if (x->cap_ml < n) {
		cl_mline *v = realloc(x->ml, n * sizeof *v);
		if (!v)
			return -1;
		x->ml = v, x->cap_ml = n;
	}
	size_t first = cl_lines_first_prose(&x->lines), last = cl_lines_last_prose(&x->lines);
	classify(x, text, first, last);
	first = sentence_headline_first(x, text, first, last);
	unsigned f = x->o.fields;

	const char *doubt;
	size_t title = find_title(x, text, first, last, known_title, &doubt);
	if (title != n && doubt) {
		/* A guess stays in the text, where it may be a caption. */
		const cl_line *l = &x->lines.v[title];
		if ((f & CL_F_TITLE) && set_trimmed(&m->title_guess, text + l->start, l->len))
			return -1;
		m->title_doubt = doubt;
		title = n;
	}
	if (title != n) {
		x->ml[title].kind = K_TITLE;
		if (!known_title && (f & CL_F_TITLE)) {
			const cl_line *l = &x->lines.v[title];
			if (set_trimmed(&m->title, text + l->start, l->len))
				return -1;
		}
	}
	find_dates(x, title, first, m);
	if (!m->published.y && first != n)
		find_intext_date(x, text, len, first, m);
	if (find_bylines(x, text, first, last, m) || find_source_prefix(x, text, first, m))
		return -1;
	if ((f & CL_F_CAPTIONS) && find_captions(x, text, title, first, last, m))
		return -1;
	/* Fields not asked for leave their lines in place. */
	for (size_t i = 0; i < n; i++) {
		int k = x->ml[i].kind;
		if ((k == K_TITLE && !(f & CL_F_TITLE) && !known_title) ||
		    ((k == K_DATE || k == K_TODAY) && !(f & CL_F_PUBLISHED)) ||
		    (k == K_BYLINE && !(f & CL_F_AUTHOR)) || (k == K_SOURCE && !(f & CL_F_SOURCE)) ||
		    (k == K_VIEWS && !(f & CL_F_VIEWS)))
			x->ml[i].kind = K_BODY;
		if (!(f & CL_F_SOURCE))
			x->ml[i].skip = 0;
		if (!(f & CL_F_AUTHOR) && !(f & CL_F_SOURCE))
			x->ml[i].cut = 0;
	}
	if (!(f & CL_F_TITLE)) {
		cl_buf_clear(&m->title);
		cl_buf_clear(&m->title_guess);
		m->title_doubt = NULL;
	}
	if (!(f & CL_F_PUBLISHED)) {
		memset(&m->published, 0, sizeof m->published);
		memset(&m->guessed, 0, sizeof m->guessed);
	}
	if (!(f & CL_F_AUTHOR))
		cl_buf_clear(&m->author);
	if (!(f & CL_F_SOURCE))
		cl_buf_clear(&m->source);
	if (!(f & CL_F_VIEWS))
		m->views = -1;
	if (!x->o.remove) {
		m->text = text, m->len = len, m->changed = 0;
		return 0;
	}
	return rebuild(x, text, len, m);
}
