/* test_html.c -- a page's text (html.c): what a crawl's pages hold. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "html.h"

static kit_buf out;

static const char *text_of(const char *html)
{
	kit_buf_clear(&out);
	html_text(html, strlen(html), &out);
	ck_assert(!kit_buf_failed(&out));
	return kit_buf_str(&out);
}

START_TEST(test_tags_and_blocks)
{
	ck_assert_str_eq(text_of("<P class=x>Một</P><p>Hai <b>ba</b></p><BR/>bốn<div>năm</div>"),
			 "Một\nHai ba\nbốn\nnăm");
	ck_assert_str_eq(text_of("<h1>Tiêu đề</h1>\n\n   <p>  nhiều   khoảng \t trắng  </p>"),
			 "Tiêu đề\nnhiều khoảng trắng");
	ck_assert_str_eq(text_of(""), "");
	ck_assert_str_eq(text_of("<p></p><br><br>"), "");
	ck_assert_str_eq(text_of("a<span>b</span>c"), "a b c"); /* an inline tag is a space, never glue */
}
END_TEST

START_TEST(test_what_is_not_text)
{
	ck_assert_str_eq(text_of("<script>if (a < b) document.write('<p>x</p>');</script>Tin<style>p{}</style>"),
			 "Tin");
	ck_assert_str_eq(text_of("a<!-- <p>quảng cáo</p> -->b"), "ab");
	ck_assert_str_eq(text_of("a<!-- never closed"), "a");
	ck_assert_str_eq(text_of("<SCRIPT>never closed <p>x</p>"), "");
	ck_assert_str_eq(text_of("<svg><text>logo</text></svg>Bài"), "Bài");
}
END_TEST

START_TEST(test_entities)
{
	ck_assert_str_eq(text_of("Hà Nội &amp; Huế &lt;3&gt; &quot;x&quot; &#39;y&#39;"),
			 "Hà Nội & Huế <3> \"x\" 'y'");
	ck_assert_str_eq(text_of("&#7841;&#x1EA1;&#X1ea1;"), "ạạạ");
	ck_assert_str_eq(text_of("a&nbsp;b&#160;c"), "a b c");
	/* Broken or unknown ones stay as written. */
	ck_assert_str_eq(text_of("AT&T &bogus; &#xZZ; &#0; &#99999999; & ;"),
			 "AT&T &bogus; &#xZZ; &#0; &#99999999; & ;");
	ck_assert_str_eq(text_of("cuối &amp"), "cuối &amp");
}
END_TEST

START_TEST(test_stray_angles)
{
	ck_assert_str_eq(text_of("1 < 2 và 3 > 2"), "1 < 2 và 3 > 2");
	ck_assert_str_eq(text_of("x <b"), "x <b"); /* a tag cut off at the end */
	ck_assert_str_eq(text_of("<"), "<");
}
END_TEST

/* Bytes that are not UTF-8 pass as they are, for the host's check. */
START_TEST(test_bytes_kept) { ck_assert_str_eq(text_of("<p>caf\xe9</p>"), "caf\xe9"); }
END_TEST

static Suite *html_suite(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("text");
	tcase_add_test(tc, test_tags_and_blocks);
	tcase_add_test(tc, test_what_is_not_text);
	tcase_add_test(tc, test_entities);
	tcase_add_test(tc, test_stray_angles);
	tcase_add_test(tc, test_bytes_kept);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(html_suite)
