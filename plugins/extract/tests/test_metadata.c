/* test_metadata.c -- fields read from made-up articles of several layouts. */
#include <stdio.h>

#include <string.h>

#include "check_main.h"
#include "clean.h"
#include "metadata.h"

static cl_metax x;
static cl_meta m;
static char body[4096];

/* (Re)start the extractor looking for these fields only. */
static void init_fields(unsigned fields)
{
	char err[256];
	cl_meta_opts o = {.fields = fields,
			  .remove = 1,
			  .caption_min_words = 10,
			  .caption_max_chars = 400,
			  .title_max_chars = 250};
	cl_metax_free(&x);
	ck_assert_msg(cl_metax_init(&x, &o, err, sizeof err) == 0, "%s", err);
}

static void setup(void)
{
	init_fields(CL_F_ALL);
	memset(&m, 0, sizeof m);
}

static void teardown(void)
{
	cl_metax_free(&x);
	cl_meta_free(&m);
}

static void extract_known(const char *text, const char *known)
{
	ck_assert_int_eq(cl_meta_extract(&x, text, strlen(text), known, &m), 0);
	ck_assert_uint_lt(m.len, sizeof body);
	memcpy(body, m.text, m.len);
	body[m.len] = 0;
}

static void extract(const char *text) { extract_known(text, NULL); }

static const char *str(const cl_buf *b)
{
	static char s[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(s[k], sizeof s[k], "%.*s", (int)b->len, b->p ? b->p : "");
	return s[k];
}

static const char *published(void)
{
	static char iso[40];
	if (!m.published.y)
		return "";
	cl_format_date(&m.published, "+07:00", 0, iso, sizeof iso);
	return iso;
}

/* The lead's date: a guess, never the publication date. */
static const char *guessed(void)
{
	static char iso[40];
	if (!m.guessed.y)
		return "";
	cl_format_date(&m.guessed, "+07:00", 0, iso, sizeof iso);
	return iso;
}

#define LEAD "Sáng 18/1, Bộ Chỉ huy Quân sự tỉnh tổ chức hội nghị tổng kết công tác quốc phòng năm 2023."
#define PARA "Năm 2024, lực lượng vũ trang tỉnh tiếp tục huấn luyện sát thực tế, sẵn sàng chiến đấu cao."

START_TEST(header_with_portal_date)
{
	extract("Thứ Hai, 15/01/2024\n\nĐại hội thi đua quyết thắng của lực lượng vũ trang tỉnh\n\n"
		"16/01/2024 10:12\n\n" LEAD "\n\n" PARA "\n\nMinh Thư");
	ck_assert_str_eq(str(&m.title), "Đại hội thi đua quyết thắng của lực lượng vũ trang tỉnh");
	ck_assert_str_eq(published(), "2024-01-16T10:12:00+07:00");
	ck_assert_str_eq(str(&m.author), "Minh Thư");
	ck_assert_str_eq(body, LEAD "\n\n" PARA);
}
END_TEST

START_TEST(portal_today_is_not_the_article_date)
{
	/* As seed 004: the header's date is the day the page was fetched. */
	extract("23/4/2023 | English | 中文\n\nTổng kết công tác quốc phòng năm 2023; triển khai nhiệm vụ năm 2024\n\n" LEAD
		" Hội nghị triển khai nhiệm vụ năm 2024.\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Tổng kết công tác quốc phòng năm 2023; triển khai nhiệm vụ năm 2024");
	ck_assert_str_eq(published(), "");
	ck_assert_str_eq(guessed(), "2024-01-18");
	ck_assert(!m.guess_year_told);
	ck_assert_str_eq(body, LEAD " Hội nghị triển khai nhiệm vụ năm 2024.\n\n" PARA);
}
END_TEST

START_TEST(headlines_that_end_like_a_sentence)
{
	extract("Dân quân biên giới sẽ huấn luyện ra sao?\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Dân quân biên giới sẽ huấn luyện ra sao?");
	ck_assert_str_eq(body, LEAD "\n\n" PARA);
	extract("Diễn tập phòng thủ: Quá đạt!\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Diễn tập phòng thủ: Quá đạt!");
	/* Below a headline, a question is the lead. */
	extract("Tiêu đề của bài báo ngắn\n\nDân quân biên giới sẽ huấn luyện ra sao?\n\n" LEAD);
	ck_assert_str_eq(str(&m.title), "Tiêu đề của bài báo ngắn");
	ck_assert_str_eq(body, "Dân quân biên giới sẽ huấn luyện ra sao?\n\n" LEAD);
	/* Alone, it is the text. */
	extract("Dân quân biên giới sẽ huấn luyện ra sao?");
	ck_assert_str_eq(str(&m.title), "");
}
END_TEST

START_TEST(a_caption_is_no_title)
{
	/* Pages without a headline that open with a photo and its credit. */
	extract("Dân quân xã biên giới luyện tập bắn súng (Ảnh: TTXVN)\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "");
	extract("Dân quân xã biên giới luyện tập bắn súng ngày 14/4. Ảnh: Duy Thành\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "");
	extract("Dân quân xã biên giới luyện tập bắn súng (Nguồn video: QPVN)\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "");
	/* Below the photo's credit the body has begun: a short line there is
	 * a section's heading, not the page's headline. */
	extract("Dân quân xã biên giới luyện tập bắn súng (Ảnh: TTXVN)\n\nMột năm huấn luyện vượt khó\n\n" LEAD
		"\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "");
	ck_assert_str_eq(body, "Một năm huấn luyện vượt khó\n\n" LEAD "\n\n" PARA);
	/* A headline above the photo still is one. */
	extract("Tiêu đề của bài báo ngắn\n\nDân quân xã biên giới luyện tập bắn súng (Ảnh: TTXVN)\n\n" LEAD);
	ck_assert_str_eq(str(&m.title), "Tiêu đề của bài báo ngắn");
	/* Where someone stands in the picture, or the picture's source at
	 * the end, only a caption says. */
	extract("Đại tá Nguyễn Văn An (giữa) kiểm tra công tác huấn luyện\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "");
	extract("Đại tá Nguyễn Văn An (thứ hai từ trái sang) kiểm tra huấn luyện\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "");
	extract("Tàu khu trục của hải quân Đức trên biển. (Nguồn: Pinterest)\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "");
	ck_assert_uint_eq(m.n_captions, 1);
	/* Brackets that say something else are part of a headline. */
	extract("Tỉnh phát hành trái phiếu (phải trả trước hạn) cho dự án\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Tỉnh phát hành trái phiếu (phải trả trước hạn) cho dự án");
}
END_TEST

/* A paragraph longer than a lead (LEAD_MAX_CHARS). */
#define LONG LEAD " " PARA " " LEAD
#define HEADING "Hướng tới năm huấn luyện mới"

START_TEST(a_section_heading_is_no_title)
{
	/* A page that lost its headline opens at its first section: a short
	 * line, with more headings between the paragraphs below. */
	extract("Một năm vượt khó\n\n" LEAD "\n\n" PARA "\n\n" HEADING "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "");
	ck_assert_str_eq(body, "Một năm vượt khó\n\n" LEAD "\n\n" PARA "\n\n" HEADING "\n\n" PARA);
	/* Nor on a page that kept its header, with a dateline. */
	extract("Một năm vượt khó\n\n16/01/2024 10:12\n\n" LEAD "\n\n" PARA "\n\n" HEADING "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Một năm vượt khó");
	/* Without headings below, a short line is the headline. */
	extract("Một năm vượt khó\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Một năm vượt khó");
	/* Up to ten words, a line over a paragraph longer than a lead is a
	 * heading; over a lead that sums the story up, the headline. */
	extract("Lực lượng vũ trang tỉnh bước vào mùa huấn luyện\n\n" LONG "\n\n" HEADING "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "");
	extract("Lực lượng vũ trang tỉnh bước vào mùa huấn luyện\n\n" LEAD "\n\n" HEADING "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Lực lượng vũ trang tỉnh bước vào mùa huấn luyện");
	/* A longer line is the headline whatever follows. */
	extract("Lực lượng vũ trang tỉnh bước vào mùa huấn luyện mới với nhiều đổi mới\n\n" LONG "\n\n" HEADING
		"\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Lực lượng vũ trang tỉnh bước vào mùa huấn luyện mới với nhiều đổi mới");
}
END_TEST

START_TEST(a_caption_over_a_heading_is_no_title)
{
	/* A page that lost its headline and its lead opens with the caption
	 * of its first photo, right over the first section's heading. */
	const char *caption = "Các chiến sĩ mới được hướng dẫn gấp chăn màn trong ngày đầu tiên tại đơn vị";
	char page[2048];
	snprintf(page, sizeof page, "%s\n\nNgày đầu ở doanh trại\n\n" LEAD "\n\n" PARA "\n\n" HEADING "\n\n" PARA,
		 caption);
	extract(page);
	ck_assert_str_eq(str(&m.title), "");
	ck_assert_str_eq(str(&m.title_guess), "");
	ck_assert_uint_eq(m.n_captions, 1);
	ck_assert_str_eq(body, "Ngày đầu ở doanh trại\n\n" LEAD "\n\n" PARA "\n\n" HEADING "\n\n" PARA);
	/* Over its lead, the same line is the headline. */
	snprintf(page, sizeof page, "%s\n\n" LEAD "\n\nNgày đầu ở doanh trại\n\n" PARA "\n\n" HEADING "\n\n" PARA,
		 caption);
	extract(page);
	ck_assert_str_eq(str(&m.title), caption);
	/* A roundup's headline over its first numbered item, and a series'
	 * headline, shorter than a caption, over its part's heading. */
	extract("Những điểm cắm trại đẹp nhất gần Hà Nội cho kỳ nghỉ dài ngày\n\n1. Đồi chè trên cao nguyên\n\n" LEAD
		"\n\n2. Thung lũng hoa\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Những điểm cắm trại đẹp nhất gần Hà Nội cho kỳ nghỉ dài ngày");
	extract("Giữ bình yên nơi biên cương (kỳ 2)\n\nBài 2: Người lính biên phòng\n\n" LEAD "\n\n" HEADING
		"\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Giữ bình yên nơi biên cương (kỳ 2)");
	/* A page that kept its header, with a dateline, kept its headline. */
	snprintf(page, sizeof page,
		 "%s\n\n16/01/2024 10:12\n\nNgày đầu ở doanh trại\n\n" LEAD "\n\n" PARA "\n\n" HEADING "\n\n" PARA,
		 caption);
	extract(page);
	ck_assert_str_eq(str(&m.title), caption);
	/* The heading must have prose under it: not a second short line,
	 * not the end of the page. */
	snprintf(page, sizeof page,
		 "%s\n\nNgày đầu ở doanh trại\n\nTuần đầu tiên\n\n" LEAD "\n\n" PARA "\n\n" HEADING "\n\n" PARA,
		 caption);
	extract(page);
	ck_assert_str_eq(str(&m.title), caption);
	snprintf(page, sizeof page, "%s\n\nNgày đầu ở doanh trại", caption);
	extract(page);
	ck_assert_str_eq(str(&m.title), caption);
}
END_TEST

/* Longer than any lead (LEAD_LONGEST_CHARS). */
#define LONGER LONG " " PARA

START_TEST(a_line_over_a_long_paragraph_is_no_title)
{
	/* On a page whose body runs to several paragraphs, a headline is
	 * followed by a lead, not by a paragraph longer than any lead: such a
	 * line is a caption or a heading of a page that lost its headline,
	 * however long, and it stays in the document. */
	const char *line = "Lực lượng vũ trang tỉnh bước vào mùa huấn luyện mới với nhiều đổi mới";
	char page[2048];
	snprintf(page, sizeof page, "%s\n\n" LONGER "\n\n" PARA "\n\n" LEAD "\n\n" PARA, line);
	extract(page);
	ck_assert_str_eq(str(&m.title), "");
	ck_assert_uint_eq(m.n_captions, 1); /* ten words or more, not a sentence */
	/* Over a lead, it is the headline. */
	snprintf(page, sizeof page, "%s\n\n" LEAD "\n\n" LONGER "\n\n" PARA "\n\n" PARA, line);
	extract(page);
	ck_assert_str_eq(str(&m.title), line);
	/* Portals that put the body on one line follow the headline with a
	 * lead of any length. */
	snprintf(page, sizeof page, "%s\n\n" LONGER "\n\n" LONGER " " LONGER, line);
	extract(page);
	ck_assert_str_eq(str(&m.title), line);
}
END_TEST

/* Items of a roundup: a heading, one or two paragraphs, the next. */
#define ITEM_A "Chú chó tự mở cổng cho cả đàn"
#define ITEM_B "Cậu bé vùng cao cõng em qua suối"
#define ITEM_C "Nghệ sĩ đường phố biểu diễn giữa trời mưa"
#define ITEM_D "Bà cụ tám mươi tuổi vẫn chèo đò"
#define ITEMS \
	ITEM_B "\n\n" PARA "\n\n" ITEM_C "\n\n" PARA "\n\n" LEAD "\n\n" ITEM_D "\n\n" PARA "\n\n" ITEM_A "\n\n" PARA

START_TEST(doubtful_headlines_are_guesses)
{
	/* A page that starts at the first item of a roundup: its heading is
	 * only a guess, kept apart from the title and left in the text. */
	const char *page = ITEM_A "\n\n" LEAD "\n\n" ITEMS;
	extract(page);
	ck_assert_str_eq(str(&m.title), "");
	ck_assert_str_eq(str(&m.title_guess), ITEM_A);
	ck_assert_str_eq(m.title_doubt, "the first of a series of headings");
	ck_assert_str_eq(body, page);
	/* A headline has a lead of its own before the first item. */
	extract("Những khoảnh khắc ấn tượng nhất tuần qua trên mạng xã hội\n\n" LEAD "\n\n" PARA "\n\n" PARA
		"\n\n" ITEMS);
	ck_assert_str_eq(str(&m.title), "Những khoảnh khắc ấn tượng nhất tuần qua trên mạng xã hội");
	ck_assert_str_eq(str(&m.title_guess), "");
	ck_assert_ptr_null(m.title_doubt);
	/* Nor on a page that kept its header, with a dateline. */
	extract(ITEM_A "\n\n16/01/2024 10:12\n\n" LEAD "\n\n" ITEMS);
	ck_assert_str_eq(str(&m.title), ITEM_A);

	/* A pull quote: the line is a part of a quotation in the paragraph
	 * under it. */
	page = "Tôi chưa từng nghĩ sẽ rời xa sân khấu\n\nNghệ sĩ Minh An: \"Dù nhiều lúc mệt mỏi, tôi chưa "
	       "từng nghĩ sẽ rời xa sân khấu.\"\n\n" PARA;
	extract(page);
	ck_assert_str_eq(str(&m.title), "");
	ck_assert_str_eq(str(&m.title_guess), "Tôi chưa từng nghĩ sẽ rời xa sân khấu");
	ck_assert_str_eq(m.title_doubt, "a quotation from the paragraph under it");
	ck_assert_str_eq(body, page);
	/* A lead that quotes the whole headline, or says it without quotation
	 * marks, leaves it the headline. */
	extract("Người con ưu tú của quê hương\n\nBài viết “Người con ưu tú của quê hương” của đồng chí Bí thư "
		"được nhiều bạn đọc quan tâm.\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Người con ưu tú của quê hương");
	extract("Lực lượng vũ trang tỉnh bước vào mùa huấn luyện\n\nHôm nay, lực lượng vũ trang tỉnh bước vào "
		"mùa huấn luyện với nhiều đổi mới.\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Lực lượng vũ trang tỉnh bước vào mùa huấn luyện");
	/* Without the title field, no guess either. */
	init_fields(CL_F_ALL & ~CL_F_TITLE);
	extract(ITEM_A "\n\n" LEAD "\n\n" ITEMS);
	ck_assert_str_eq(str(&m.title_guess), "");
}
END_TEST

START_TEST(doubts_need_their_evidence)
{
	/* Three items are not yet a series: the line is the title. */
	extract(ITEM_A "\n\n" LEAD "\n\n" ITEM_B "\n\n" PARA "\n\n" ITEM_C "\n\n" PARA "\n\n" ITEM_D "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), ITEM_A);
	ck_assert_str_eq(str(&m.title_guess), "");

	/* Curly quotation marks, and a quotation that opens with the line
	 * but goes on: pull quotes. */
	extract("Tôi chưa từng nghĩ sẽ rời xa sân khấu\n\nNghệ sĩ Minh An nói: “Dù nhiều lúc mệt mỏi, tôi chưa "
		"từng nghĩ sẽ rời xa sân khấu”.\n\n" PARA);
	ck_assert_str_eq(str(&m.title_guess), "Tôi chưa từng nghĩ sẽ rời xa sân khấu");
	ck_assert_str_eq(m.title_doubt, "a quotation from the paragraph under it");
	extract("Tôi chưa từng nghĩ sẽ rời xa sân khấu\n\n“Tôi chưa từng nghĩ sẽ rời xa sân khấu, dù nhiều lúc "
		"mệt mỏi”, nghệ sĩ Minh An nói.\n\n" PARA);
	ck_assert_str_eq(str(&m.title_guess), "Tôi chưa từng nghĩ sẽ rời xa sân khấu");
	/* The line after a quotation that was closed, or in a straight quote
	 * that opens it whole: the headline. */
	extract("Tôi chưa từng nghĩ sẽ rời xa sân khấu\n\nAnh nói \"cảm ơn\" rồi kể: tôi chưa từng nghĩ sẽ rời xa "
		"sân khấu.\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Tôi chưa từng nghĩ sẽ rời xa sân khấu");
	ck_assert_ptr_null(m.title_doubt);
	extract("Người con ưu tú của quê hương\n\nBài viết \" Người con ưu tú của quê hương \" được nhiều bạn "
		"đọc quan tâm.\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Người con ưu tú của quê hương");
	ck_assert_ptr_null(m.title_doubt);
}
END_TEST

START_TEST(parts_of_a_body_are_no_title)
{
	/* A page that starts at a numbered item of a list, or at an
	 * interviewer's question, has lost its headline. */
	extract("1. Đồi chè trên cao nguyên\n\n" LEAD "\n\n2. Thung lũng hoa\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "");
	extract("PV: Xin ông cho biết dân quân sẽ huấn luyện ra sao?\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "");
	ck_assert_str_eq(body, "PV: Xin ông cho biết dân quân sẽ huấn luyện ra sao?\n\n" LEAD "\n\n" PARA);
	/* A headline may start with a number, without the item's dot. */
	extract("5 điểm cắm trại gần Hà Nội cho ngày nghỉ\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "5 điểm cắm trại gần Hà Nội cho ngày nghỉ");
}
END_TEST

START_TEST(bylines)
{
	extract("Tiêu đề của bài báo ngắn\n\n" LEAD "\n\nTin, ảnh: Mai Khôi");
	ck_assert_str_eq(str(&m.author), "Mai Khôi");
	extract(LEAD "\n\nCTV Hiền Lương");
	ck_assert_str_eq(str(&m.author), "Hiền Lương");
	extract(LEAD "\n\nVĂN PHÚC");
	ck_assert_str_eq(str(&m.author), "Văn Phúc");
	extract(LEAD "\n\nHoàng Long (TTXVN)");
	ck_assert_str_eq(str(&m.author), "Hoàng Long");
	ck_assert_str_eq(str(&m.source), "TTXVN");
	extract(LEAD "\n\nBài và ảnh: Ngọc Anh - Văn Hùng");
	ck_assert_str_eq(str(&m.author), "Ngọc Anh - Văn Hùng");
	extract(LEAD "\n\nNgọc Diệp\n\nTheo Báo Quân khu 7");
	ck_assert_str_eq(str(&m.source), "Báo Quân khu 7");
	ck_assert_str_eq(body, LEAD);
	/* a headline with a "Clip:" label is no byline */
	extract("Clip: Dân quân xã biên giới luyện tập bắn súng\n\n" LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "Clip: Dân quân xã biên giới luyện tập bắn súng");
	ck_assert_str_eq(str(&m.author), "");
	extract(LEAD "\n\nVideo: 'Cao thủ' bắn súng... một mình");
	ck_assert_str_eq(str(&m.author), "");
	extract(LEAD "\n\nVideo: H.Long - T.Hà (TTXVN)");
	ck_assert_str_eq(str(&m.author), "H.Long - T.Hà (TTXVN)");
	/* glued to the end of the last paragraph, with or without a source */
	extract(LEAD "\n\n" PARA " " PARA " Quỳnh An");
	ck_assert_str_eq(str(&m.author), "Quỳnh An");
	ck_assert_str_eq(body, LEAD "\n\n" PARA " " PARA);
	/* in capitals too, but not an acronym */
	extract(LEAD "\n\n" PARA " " PARA " HẠ VÂN");
	ck_assert_str_eq(str(&m.author), "Hạ Vân");
	ck_assert_str_eq(body, LEAD "\n\n" PARA " " PARA);
	extract(LEAD " " PARA " T.PHƯƠNG");
	ck_assert_str_eq(str(&m.author), "T.Phương");
	extract(LEAD " " PARA " UBND TP");
	ck_assert_str_eq(str(&m.author), "");
	ck_assert_str_eq(body, LEAD " " PARA " UBND TP");
	extract(LEAD " " PARA " Tuấn VĩTheo Báo Quân khu 7");
	ck_assert_str_eq(str(&m.author), "Tuấn Vĩ");
	ck_assert_str_eq(str(&m.source), "Báo Quân khu 7");
	ck_assert_str_eq(body, LEAD " " PARA);
	extract(LEAD " " PARA " Theo VNE");
	ck_assert_str_eq(str(&m.author), "");
	ck_assert_str_eq(str(&m.source), "VNE");
	extract(LEAD " " PARA " Theo Minh Khang/Baobienphong.vn");
	ck_assert_str_eq(str(&m.author), "");
	ck_assert_str_eq(str(&m.source), "Minh Khang/Baobienphong.vn");
	ck_assert_str_eq(body, LEAD " " PARA);
	/* an initial and a name, the initial followed by a space */
	extract(LEAD " " PARA " N. Hạnh");
	ck_assert_str_eq(str(&m.author), "N. Hạnh");
	ck_assert_str_eq(body, LEAD " " PARA);
	extract(LEAD " " PARA "\xc2\xa0"
		     "Ch. Toàn");
	ck_assert_str_eq(str(&m.author), "Ch. Toàn");
	extract(LEAD " " PARA " K. LÂM");
	ck_assert_str_eq(str(&m.author), "K. Lâm");
	/* the paper after a slash, a web address too */
	extract(LEAD " " PARA " Minh Khang/Báo Biên phòng");
	ck_assert_str_eq(str(&m.author), "Minh Khang");
	ck_assert_str_eq(str(&m.source), "Báo Biên phòng");
	ck_assert_str_eq(body, LEAD " " PARA);
	extract(LEAD " " PARA " Hải Yến / QPVN.VN");
	ck_assert_str_eq(str(&m.author), "Hải Yến");
	ck_assert_str_eq(str(&m.source), "QPVN.VN");
	extract(LEAD " " PARA " Hải Yến/ Theo Báo Biên phòng");
	ck_assert_str_eq(str(&m.source), "Báo Biên phòng");
	/* with a note in brackets: the source, or how it was written */
	extract(LEAD " " PARA " Quỳnh An (TTXVN)");
	ck_assert_str_eq(str(&m.author), "Quỳnh An");
	ck_assert_str_eq(str(&m.source), "TTXVN");
	ck_assert_str_eq(body, LEAD " " PARA);
	extract(LEAD " " PARA " Mai Khôi (Theo Reuters, AFP)");
	ck_assert_str_eq(str(&m.author), "Mai Khôi");
	ck_assert_str_eq(str(&m.source), "Reuters, AFP");
	extract(LEAD " " PARA " Hải Yến (Nguồn: Zing.vn)");
	ck_assert_str_eq(str(&m.source), "Zing.vn");
	extract(LEAD " " PARA " Tuấn Vĩ (lược dịch)");
	ck_assert_str_eq(str(&m.author), "Tuấn Vĩ");
	ck_assert_str_eq(str(&m.source), "");
	ck_assert_str_eq(body, LEAD " " PARA);
	extract(LEAD " " PARA " Tuấn Vĩ (TH)");
	ck_assert_str_eq(str(&m.author), "Tuấn Vĩ");
	ck_assert_str_eq(str(&m.source), "");
	extract(LEAD " " PARA " Đ.T (tổng hợp)");
	ck_assert_str_eq(str(&m.author), "Đ.T");
	ck_assert_str_eq(body, LEAD " " PARA);
	extract(LEAD " " PARA " H.M(TTXVN)");
	ck_assert_str_eq(str(&m.author), "H.M");
	ck_assert_str_eq(str(&m.source), "TTXVN");
	extract(LEAD " " PARA " Mai Khôi (tổng hợp theo báo Quân đội, Biên phòng)");
	ck_assert_str_eq(str(&m.author), "Mai Khôi");
	ck_assert_str_eq(str(&m.source), "");
	ck_assert_str_eq(body, LEAD " " PARA);
	extract(LEAD " " PARA " Mai Khôi (Theo Báo Quân khu 7 và Báo Biên phòng)");
	ck_assert_str_eq(str(&m.source), "Báo Quân khu 7 và Báo Biên phòng");
	/* but not initials alone, nor a role with a note */
	extract(LEAD " " PARA " Đ.T");
	ck_assert_str_eq(str(&m.author), "");
	extract(LEAD " " PARA " PV (TTXVN)");
	ck_assert_str_eq(str(&m.author), "");
	/* nor a number in brackets */
	extract(LEAD " " PARA " Nguyễn Văn An (SN 1980)");
	ck_assert_str_eq(str(&m.author), "");
	/* names joined by dashes, a dash left after the name, a dash or a
	 * comma before "Theo" */
	extract(LEAD " " PARA " Quỳnh An - Tuấn Vĩ");
	ck_assert_str_eq(str(&m.author), "Quỳnh An - Tuấn Vĩ");
	ck_assert_str_eq(body, LEAD " " PARA);
	extract(LEAD " " PARA " H.Long – T.Hà – Mai Khôi (TTXVN)");
	ck_assert_str_eq(str(&m.author), "H.Long – T.Hà – Mai Khôi");
	ck_assert_str_eq(str(&m.source), "TTXVN");
	extract(LEAD " " PARA " Quỳnh An - ");
	ck_assert_str_eq(str(&m.author), "Quỳnh An");
	ck_assert_str_eq(body, LEAD " " PARA);
	extract(LEAD " " PARA " Quỳnh An - Theo Báo Quân khu 7");
	ck_assert_str_eq(str(&m.author), "Quỳnh An");
	ck_assert_str_eq(str(&m.source), "Báo Quân khu 7");
	extract(LEAD " " PARA " Quỳnh An, Theo Báo Quân khu 7");
	ck_assert_str_eq(str(&m.author), "Quỳnh An");
	ck_assert_str_eq(str(&m.source), "Báo Quân khu 7");
	/* but not a list of names, nor a dash in a sentence */
	extract(LEAD " " PARA " Quỳnh An, Tuấn Vĩ");
	ck_assert_str_eq(str(&m.author), "");
	extract(LEAD " " PARA " Tuyến Hà Nội - Hải Phòng thông xe");
	ck_assert_str_eq(str(&m.author), "");
	/* after a label, a role or a title, which are no part of the name */
	extract(LEAD " " PARA " Tin, ảnh: Quỳnh An (TTXVN)");
	ck_assert_str_eq(str(&m.author), "Quỳnh An");
	ck_assert_str_eq(str(&m.source), "TTXVN");
	ck_assert_str_eq(body, LEAD " " PARA);
	extract(LEAD " " PARA " Bài và ảnh: HẠ VÂN");
	ck_assert_str_eq(str(&m.author), "Hạ Vân");
	extract(LEAD " " PARA " Tin-ảnh: Quỳnh An - Tuấn Vĩ");
	ck_assert_str_eq(str(&m.author), "Quỳnh An - Tuấn Vĩ");
	extract(LEAD " " PARA " CTV Mai Khôi/VOV.VN");
	ck_assert_str_eq(str(&m.author), "Mai Khôi");
	ck_assert_str_eq(str(&m.source), "VOV.VN");
	ck_assert_str_eq(body, LEAD " " PARA);
	extract(LEAD " " PARA " TS Nguyễn Văn An");
	ck_assert_str_eq(str(&m.author), "Nguyễn Văn An");
	extract(LEAD " " PARA " BS. Nguyễn Văn An");
	ck_assert_str_eq(str(&m.author), "Nguyễn Văn An");
	ck_assert_str_eq(body, LEAD " " PARA);
	/* but a photo's credit alone names no author */
	extract(LEAD " " PARA " Ảnh: Quỳnh An");
	ck_assert_str_eq(str(&m.author), "");
	/* printed twice: taken once, and both copies cut */
	extract(LEAD " Đơn vị đã làm tốt./. Minh Khang/VOV.VN Minh Khang/VOV.VN");
	ck_assert_str_eq(str(&m.author), "Minh Khang");
	ck_assert_str_eq(str(&m.source), "VOV.VN");
	ck_assert_str_eq(body, LEAD " Đơn vị đã làm tốt./.");
	extract(LEAD " " PARA " Quỳnh An Quỳnh An ");
	ck_assert_str_eq(str(&m.author), "Quỳnh An");
	ck_assert_str_eq(body, LEAD " " PARA);
	extract(LEAD " " PARA " Quỳnh An - Tuấn VĩQuỳnh An - Tuấn Vĩ");
	ck_assert_str_eq(str(&m.author), "Quỳnh An - Tuấn Vĩ");
	/* but a name whose syllables repeat is one name */
	extract(LEAD " " PARA " Thanh Thanh");
	ck_assert_str_eq(str(&m.author), "Thanh Thanh");
	/* after a full stop behind a closing quote, three dots, or "./." */
	extract(LEAD " Ông nói: “Đơn vị sẽ làm tốt”. Quỳnh An");
	ck_assert_str_eq(str(&m.author), "Quỳnh An");
	ck_assert_str_eq(body, LEAD " Ông nói: “Đơn vị sẽ làm tốt”.");
	extract(LEAD " Đơn vị đã làm tốt... Quỳnh An");
	ck_assert_str_eq(str(&m.author), "Quỳnh An");
	ck_assert_str_eq(body, LEAD " Đơn vị đã làm tốt...");
	extract(LEAD " Đơn vị đã làm tốt./. Minh Khang/VOV.VN");
	ck_assert_str_eq(str(&m.author), "Minh Khang");
	ck_assert_str_eq(str(&m.source), "VOV.VN");
	ck_assert_str_eq(body, LEAD " Đơn vị đã làm tốt./.");
	extract(LEAD " Ông nói: “Đơn vị sẽ làm tốt”./. Minh Khang/VOV.VN");
	ck_assert_str_eq(str(&m.author), "Minh Khang");
	/* after a percentage or an acronym of three capitals */
	extract(LEAD " Tỷ lệ đạt 100%. Quỳnh An");
	ck_assert_str_eq(str(&m.author), "Quỳnh An");
	extract(LEAD " Ông nói với CNN. Quỳnh An (TTXVN)");
	ck_assert_str_eq(str(&m.author), "Quỳnh An");
	ck_assert_str_eq(body, LEAD " Ông nói với CNN.");
	/* but not after an abbreviation's dot */
	extract(LEAD " Đoàn đã đến TP. Hồ Chí Minh");
	ck_assert_str_eq(str(&m.author), "");
	extract(LEAD " Đoàn đã đến TX. Sơn Tây");
	ck_assert_str_eq(str(&m.author), "");
	/* but not a sentence going on after the slash, nor an initial in one */
	extract(LEAD " " PARA " Minh Khang/Báo Biên phòng. Hôm nay");
	ck_assert_str_eq(str(&m.author), "");
	extract(LEAD " " PARA " Đoàn đi thăm ông N. Hạnh");
	ck_assert_str_eq(str(&m.author), "");
	extract(LEAD "\n\nT.ThủyTheo NW");
	ck_assert_str_eq(str(&m.author), "T.Thủy");
	ck_assert_str_eq(str(&m.source), "NW");
	ck_assert_str_eq(body, LEAD);
	/* a source of several capitalised names is no part of the author */
	extract(LEAD "\n\nMinh PhươngTheo Business Insider, Business Today");
	ck_assert_str_eq(str(&m.author), "Minh Phương");
	ck_assert_str_eq(str(&m.source), "Business Insider, Business Today");
	ck_assert_str_eq(body, LEAD);
	/* but not a numbered item, nor a sentence that ends on a name */
	extract(LEAD "\n\n5. Hồ Vân Trì, Đông Anh");
	ck_assert_str_eq(str(&m.author), "");
	extract(LEAD " " PARA " Đoàn công tác thăm Quân khu 7.");
	ck_assert_str_eq(str(&m.author), "");
	/* chrome shaped like a name is not an author */
	extract(LEAD "\n\nBack To Top");
	ck_assert_str_eq(str(&m.author), "");
	ck_assert_str_eq(body, LEAD "\n\nBack To Top");
	/* a name inside the body is not a byline */
	extract(LEAD "\n\nNguyễn Văn An\n\n" PARA);
	ck_assert_str_eq(str(&m.author), "");
}
END_TEST

START_TEST(sources_on_the_lead)
{
	extract("(kontumtv.vn) – " LEAD);
	ck_assert_str_eq(str(&m.source), "kontumtv.vn");
	ck_assert_str_eq(body, LEAD);
	extract("ĐBP - " LEAD);
	ck_assert_str_eq(str(&m.source), "ĐBP");
	extract("(Cổng TTĐT Thanh Hóa) – " LEAD);
	ck_assert_str_eq(str(&m.source), "Cổng TTĐT Thanh Hóa");
	extract("QP-AN cho " LEAD);
	ck_assert_str_eq(str(&m.source), "");
	extract("UBND tỉnh - đơn vị chủ trì - " LEAD);
	ck_assert_str_eq(str(&m.source), "");
}
END_TEST

START_TEST(views)
{
	extract("Tiêu đề bài báo về quốc phòng\n\n10:05 - Thứ Năm, 07/03/2024 Lượt xem: 3157\n\n" LEAD);
	ck_assert_int_eq(m.views, 3157);
	extract(LEAD "\n\nTin, ảnh: Thanh Hà\n\n1,864");
	ck_assert_int_eq(m.views, 1864);
	ck_assert_str_eq(body, LEAD);
	extract(LEAD "\n\nHôm nay: 1202");
	ck_assert_int_eq(m.views, -1);
	/* Twenty digits are no view count (and overflowed a long long). */
	extract("Tiêu đề bài báo về quốc phòng\n\n10:05 - Thứ Năm, 07/03/2024 Lượt xem: 99999999999999999999\n\n" LEAD);
	ck_assert_int_eq(m.views, -1);
	extract(LEAD "\n\nLượt xem: 98.765.432.109.876.543.210");
	ck_assert_int_eq(m.views, -1);
	extract(LEAD "\n\n1.000.000");
	ck_assert_int_eq(m.views, 1000000);
}
END_TEST

START_TEST(captions)
{
	const char *cap = "Đồng chí Nguyễn Minh Hùng, Phó Chủ tịch UBND tỉnh dự hội nghị tại điểm cầu tỉnh";
	char page[1024];
	snprintf(page, sizeof page, "%s\n\n%s\n\nKết quả nổi bật\n\n%s\n\nQuang cảnh hội nghị. (Ảnh: TTXVN)\n\n%s",
		 LEAD, cap, PARA, PARA);
	extract(page);
	ck_assert_uint_eq(m.n_captions, 2);
	ck_assert_str_eq(body, LEAD "\n\nKết quả nổi bật\n\n" PARA "\n\n" PARA);
	/* A photo story, every paragraph a photo's caption: they are its text. */
	snprintf(page, sizeof page, "%s (Ảnh: TTXVN).\n\n%s (Ảnh: QĐND).\n\nMinh Anh", cap, cap);
	extract(page);
	ck_assert_uint_eq(m.n_captions, 0);
	ck_assert_str_eq(str(&m.author), "Minh Anh");
	snprintf(page, sizeof page, "%s (Ảnh: TTXVN).\n\n%s (Ảnh: QĐND).", cap, cap);
	ck_assert_str_eq(body, page);
}
END_TEST

START_TEST(known_title_is_taken_out)
{
	extract_known("Tây Ninh phổ biến Luật Phòng thủ dân sự\n\n" LEAD, "Tây Ninh phổ biến luật phòng thủ dân sự");
	ck_assert_str_eq(body, LEAD);
	ck_assert_str_eq(str(&m.title), "");
	extract_known("Một dòng khác hẳn tiêu đề đã có\n\n" LEAD, "Tây Ninh phổ biến Luật Phòng thủ dân sự");
	ck_assert_str_eq(body, "Một dòng khác hẳn tiêu đề đã có\n\n" LEAD);
}
END_TEST

START_TEST(only_some_fields)
{
	init_fields(CL_F_TITLE);
	extract("Tiêu đề của bài báo ngắn\n\n03/12/2021 14:57\n\nĐBP - " LEAD "\n\nTin, ảnh: Mai Khôi");
	ck_assert_str_eq(str(&m.title), "Tiêu đề của bài báo ngắn");
	ck_assert_str_eq(str(&m.author), "");
	ck_assert_str_eq(published(), "");
	ck_assert_str_eq(body, "03/12/2021 14:57\n\nĐBP - " LEAD "\n\nTin, ảnh: Mai Khôi");
}
END_TEST

START_TEST(nothing_to_find)
{
	extract(LEAD "\n\n" PARA);
	ck_assert_str_eq(str(&m.title), "");
	/* The lead's day is the event's, so only a guess; the year from "năm 2023", "năm 2024". */
	ck_assert_str_eq(published(), "");
	ck_assert_str_eq(guessed(), "2024-01-18");
	ck_assert_uint_eq(m.guess_line, 0);
	extract("Ngày 2/12/2021, " LEAD);
	ck_assert_str_eq(published(), "");
	ck_assert_str_eq(guessed(), "2021-12-02");
	ck_assert(m.guess_year_told);
	ck_assert_int_eq(m.changed, 0);
	extract("");
	ck_assert_int_eq(m.changed, 0);
}
END_TEST

static unsigned next_random(unsigned *seed) { return (*seed = *seed * 1103515245u + 12345u) >> 16; }

#define PICK(seed, list) (list)[next_random(seed) % (sizeof(list) / sizeof *(list))]

static void put(char *s, size_t *n, const char *p)
{
	memcpy(s + *n, p, strlen(p));
	*n += strlen(p);
}

/* A glued byline is searched for only near the paragraph's end: on
 * made-up endings of names, initials, capitals, sources, sentence ends,
 * digits and odd spaces, the search finds what one from the start finds. */
START_TEST(glued_byline_search_starts_late)
{
	static const char *const pieces[] = {
		"Thủy",      "thành",       "phố",      "HẠ",   "VÂN",    "UBND",
		"T.",        "T.PHƯƠNG",    "H.Long",   "Theo", "Nguồn",  ":",
		"Koreaboo",  "VnExpress",   "(TTXVN)",  "a",    "2021",   "3",
		". ",        "! ",          "? ",       "…",    "\"",     "”",
		")",         ", ",          " ",        "  ",   "\t",     "\xc2\xa0",
		"-",         ".",           "Đà",       "Nẵng", "nhé",    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		"N.",        "Ch.",         "Đ.",       "/",    "VOV.VN", "./.",
		"...",       "”.",          "\".",      "”...", "(",      "(tổng hợp)",
		"(T/h)",     "(Theo",       "(Nguồn:",  " - ",  "–",      ", Theo",
		"Tin, ảnh:", "Bài và ảnh:", "Tin-ảnh:", "CTV",  "TS",     "BS.",
		"PGS.TS",    "ThS.",        "CNN.",     "TP.",  "100%."};
	static const char *const ends[] = {".", "!", "?", "…", ".”", ").", "”.", "...", "./.", "”./.", "CNN.", "5%."};
	static const char *const spaces[] = {" ", "\t", "\xc2\xa0", "  "};
	static const char *const names[] = {"",
					    "Thủy ",
					    "HẠ VÂN ",
					    "T.PHƯƠNG ",
					    "H.Long ",
					    "Mai Khôi",
					    "N. Huyền",
					    "Ch. Tuấn",
					    "H. NGUYÊN",
					    "Đ. Phú ",
					    "Ằă. Thái ",
					    "Mai Khôi - T.Hà",
					    "Mai Khôi – HẠ VÂN – N. Huyền ",
					    "Mai Khôi -",
					    "Mai Khôi, ",
					    "Đ.T",
					    "H.M",
					    "Tin, ảnh: Mai Khôi",
					    "Bài - ảnh: HẠ VÂN ",
					    "CTV Mai Khôi",
					    "BS. Mai Khôi ",
					    "ThS. N. Huyền"};
	static const char *const labels[] = {"",    " Theo ", " Nguồn: ", "Theo ",  "Nguồn ",   "/",
					     " / ", "/ ",     " (",       "(Theo ", " (Nguồn: "};
	static const char *const source[] = {"a", "đ", "ứ", " ", "1", ",", "-", "X"}; /* a character each */
	static const char *const domain[] = {"", "", ".VN", ".vn", ".", "/x", ")", ")", ").", "X)"};
	unsigned seed = 12345, matched = 0;
	char s[4096];
	for (int round = 0; round < 20000; round++) {
		size_t n = 0;
		for (unsigned i = 1 + next_random(&seed) % 40; i > 0; i--) {
			put(s, &n, PICK(&seed, pieces));
			if (next_random(&seed) % 3) /* mostly a space between words, as in text */
				put(s, &n, " ");
		}
		if (round % 2) { /* an ending shaped like a glued byline, a source of 2 to 45 characters */
			put(s, &n, "thành phố");
			put(s, &n, PICK(&seed, ends));
			put(s, &n, PICK(&seed, spaces));
			put(s, &n, PICK(&seed, names));
			put(s, &n, PICK(&seed, labels));
			for (unsigned c = 2 + next_random(&seed) % 44; c > 0; c--)
				put(s, &n, PICK(&seed, source));
			put(s, &n, PICK(&seed, domain));
			for (unsigned c = next_random(&seed) % 4; c > 0; c--)
				put(s, &n, PICK(&seed, spaces));
		}
		int same = cl_meta_glued_same(&x, s, n);
		ck_assert_msg(same >= 1, "glued byline search differs (%d) on \"%.*s\"", same, (int)n, s);
		matched += same == 2;
	}
	ck_assert_uint_gt(matched, 2000); /* many end in a byline or a source */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("metadata");
	TCase *tc = tcase_create("metadata");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, header_with_portal_date);
	tcase_add_test(tc, portal_today_is_not_the_article_date);
	tcase_add_test(tc, headlines_that_end_like_a_sentence);
	tcase_add_test(tc, a_caption_is_no_title);
	tcase_add_test(tc, a_section_heading_is_no_title);
	tcase_add_test(tc, a_line_over_a_long_paragraph_is_no_title);
	tcase_add_test(tc, a_caption_over_a_heading_is_no_title);
	tcase_add_test(tc, parts_of_a_body_are_no_title);
	tcase_add_test(tc, doubtful_headlines_are_guesses);
	tcase_add_test(tc, doubts_need_their_evidence);
	tcase_add_test(tc, glued_byline_search_starts_late);
	tcase_add_test(tc, bylines);
	tcase_add_test(tc, sources_on_the_lead);
	tcase_add_test(tc, views);
	tcase_add_test(tc, captions);
	tcase_add_test(tc, known_title_is_taken_out);
	tcase_add_test(tc, only_some_fields);
	tcase_add_test(tc, nothing_to_find);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(suite)
