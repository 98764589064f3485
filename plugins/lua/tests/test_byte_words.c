/* test_byte_words.c -- the tests on eight bytes at a time (byte_words.h)
 * flag exactly the bytes a test of each byte alone does, whatever the
 * bytes beside them: every byte value at every place, among neighbours
 * that would carry or borrow into it if a test let them. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "byte_words.h"
#include "lua_test.h"

/* The flags a byte-by-byte test gives the eight bytes at b. */
static uint64_t by_bytes(const unsigned char *b, int (*holds)(unsigned char))
{
	unsigned char out[8];
	for (int k = 0; k < 8; k++)
		out[k] = holds(b[k]) ? 0x80 : 0;
	return word_at(out);
}

static int digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int capital(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int space(unsigned char c) { return c == ' '; }
static int low(unsigned char c) { return c == 0x01; }
static int top(unsigned char c) { return c == 0x7F; }

START_TEST(every_byte_at_every_place)
{
	/* neighbours: the bytes next to a range's bounds, and those whose
	 * carries and borrows a loose test lets through (0x00, 0x80, 0xFF) */
	static const unsigned char around[] = {0x00, 0x01, 0x1F, 0x20, 0x21, '/',  '0',  '9',  ':',
					       '@',  'A',  'Z',  '[',  0x7F, 0x80, 0xBF, 0xC0, 0xFF};
	const size_t na = sizeof around;
	unsigned seed = 7;
	for (int place = 0; place < 8; place++) {
		for (unsigned v = 0; v < 256; v++) {
			for (int round = 0; round < 40; round++) {
				unsigned char b[8];
				for (int k = 0; k < 8; k++) {
					seed = seed * 1103515245u + 12345u;
					b[k] = around[(seed >> 16) % na];
				}
				b[place] = (unsigned char)v;
				uint64_t w = word_at(b);
				ck_assert_uint_eq(word_bytes_between(w, '0', '9'), by_bytes(b, digit));
				ck_assert_uint_eq(word_bytes_between(w, 'A', 'Z'), by_bytes(b, capital));
				ck_assert_uint_eq(word_bytes_between(w, 0x01, 0x01), by_bytes(b, low));
				ck_assert_uint_eq(word_bytes_between(w, 0x7F, 0x7F), by_bytes(b, top));
				ck_assert_uint_eq(word_bytes_equal(w, ' '), by_bytes(b, space));
				uint64_t d = by_bytes(b, space);
				if (d) { /* the first flagged place in memory */
					size_t first = 0;
					while (b[first] != ' ')
						first++;
					ck_assert_uint_eq(word_first(d), first);
				}
			}
		}
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("byte_words");
	TCase *tc = tcase_create("byte_words");
	tcase_add_test(tc, every_byte_at_every_place);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return run_suite(suite()); }
