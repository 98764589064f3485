/* test_lines.c -- a line's words, characters and letters, counted sixteen
 * bytes at a time, against the same counted a byte at a time (the loop
 * lines.c had before, kept here as the reference). */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "clean.h"

/* The reference: each byte by its class, a character decoded where its
 * first byte does not tell. */
static void reference(const char *s, size_t len, size_t *words, size_t *chars, int *letters)
{
	const unsigned char *u = (const unsigned char *)s;
	int counted = 0;
	*words = *chars = 0;
	*letters = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned c = u[i];
		int word = 0, letter = 0, space = c == ' ' || c == '\t';
		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			word = letter = 1;
		else if (c >= '0' && c <= '9')
			word = 1;
		else if ((c >= 0xC3 && c <= 0xCB) || c == 0xE1)
			word = letter = 1;
		else if (c >= 0xC0) {
			size_t used;
			word = letter = cl_is_wordchar(cl_utf8_get(s + i, len - i, &used)) != 0;
		}
		*chars += c < 0x80 || c >= 0xC0;
		*letters |= letter;
		if (word && !counted)
			++*words;
		if (word)
			counted = 1;
		if (space)
			counted = 0;
	}
}

static void check_line(const char *s, size_t len)
{
	cl_line l;
	size_t words, chars;
	int letters;
	reference(s, len, &words, &chars, &letters);
	cl_line_classify(&l, s, len);
	ck_assert_msg(l.words == (int)words && l.chars == chars && l.letters == letters,
		      "'%.*s': words %d chars %zu letters %d, expected %zu %zu %d", (int)len, s, l.words, l.chars,
		      l.letters, words, chars, letters);
}

/* Lines whose blocks of sixteen bytes begin and end anywhere: words that
 * run over a block's edge, spaces and tabs at one, punctuation inside a
 * word (U.S.A counts once), characters that need decoding (quotes, a
 * dash, combining marks, Greek) that send a block to the byte loop. */
START_TEST(blocks_against_bytes)
{
	static const char *const pieces[] = {
		"a",        "Z",        "7", " ",  "  ", "\t",  ".",    ",",      "-", "(", ")",
		"U.S.A",    "ệ",        "Đ", "ư",  "ở",  "ứng", "Quân", "“",      "”", "–", "…",
		"\xcc\x81", "\xc2\xa0", "α", "中", "'",  "\"",  "x9",   "Hà Nội", "ỹ", "©",
	};
	size_t np = sizeof pieces / sizeof *pieces;
	char line[512];
	srand(15);
	for (int round = 0; round < 20000; round++) {
		size_t len = 0, want = (size_t)(rand() % 120);
		while (len < want) {
			const char *p = pieces[rand() % np];
			size_t n = strlen(p);
			if (len + n >= sizeof line)
				break;
			memcpy(line + len, p, n);
			len += n;
		}
		check_line(line, len);
	}
}
END_TEST

START_TEST(by_hand)
{
	static const char *const lines[] = {
		"",
		"Ông Nguyễn Văn An, Bộ trưởng Bộ Quốc phòng, đã tới thăm các đơn vị.",
		"                                   a",
		"a                                   ",
		"...............................,,,,,",
		"U.S.A-U.K.....................x",
		"\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\tword",
		"0123456789012345 6789012345678901",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		check_line(lines[i], strlen(lines[i]));
	cl_line l;
	const char *s = "Ông Nguyễn Văn An, Bộ trưởng Bộ Quốc phòng, đã tới thăm các đơn vị.";
	cl_line_classify(&l, s, strlen(s));
	ck_assert_int_eq(l.words, 15);
	ck_assert_int_eq(l.terminal, 1);
	ck_assert_int_eq(l.prose, 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lines");
	TCase *tc = tcase_create("classify");
	tcase_add_test(tc, blocks_against_bytes);
	tcase_add_test(tc, by_hand);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(suite)
