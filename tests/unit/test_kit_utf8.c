/* test_kit_utf8.c -- the toolkit's UTF-8 checks, decoder and encoder. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "textmill/kit.h"

static size_t prefix(const char *s) { return kit_utf8_valid_prefix(s, strlen(s)); }

START_TEST(valid_prefixes)
{
	ck_assert_uint_eq(prefix("plain ascii, longer than eight bytes"), 36);
	ck_assert(kit_utf8_valid("Vi\xE1\xBB\x87t Nam \xF0\x9F\x98\x80", 16));
	ck_assert_uint_eq(prefix("ab\xC0\xAF"), 2);          /* overlong '/' */
	ck_assert_uint_eq(prefix("ab\xE0\x80\xAF"), 2);      /* overlong, three bytes */
	ck_assert_uint_eq(prefix("ab\xED\xA0\x80"), 2);      /* a surrogate */
	ck_assert_uint_eq(prefix("ab\xF4\x90\x80\x80"), 2);  /* past U+10FFFF */
	ck_assert_uint_eq(prefix("abcdefghij\xE1\xBB"), 10); /* cut short after a fast run */
	ck_assert_uint_eq(prefix("\x80"), 0);
	ck_assert_uint_eq(prefix("\xFF"), 0);
}
END_TEST

/* The rules of Unicode's table 3-7 written out byte by byte, as plainly as
 * possible: the answer the fast validator must give everywhere. */
static size_t reference_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i], lo = 0x80, hi = 0xBF;
		size_t tail;
		if (c <= 0x7F)
			tail = 0;
		else if (c >= 0xC2 && c <= 0xDF)
			tail = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			tail = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
		else if (c >= 0xF0 && c <= 0xF4)
			tail = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		else
			return i;
		if (n - i <= tail)
			return i;
		for (size_t k = 1; k <= tail; k++) {
			unsigned char d = s[i + k];
			if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF))
				return i;
		}
		i += tail + 1;
	}
	return i;
}

/* SEQ alone, and in Vietnamese text at byte AT of a buffer, so that it
 * meets the 16-byte blocks of the fast path at every phase the caller asks
 * for; the text after it is ASCII, which ends any sequence left open. */
static void check_in_text(const unsigned char *seq, size_t n, size_t at)
{
	static const char text[] = "Vi\xE1\xBB\x87t Nam \xC4\x91\xC3\xA3 c\xC3\xB3 m\xE1\xBB\x99t ng\xC3\xA0y";
	unsigned char b[96];
	memcpy(b, text, at);
	memcpy(b + at, seq, n);
	memset(b + at + n, 'x', 40);
	size_t len = at + n + 40;
	size_t want = reference_prefix(b, len), got = kit_utf8_valid_prefix((const char *)b, len);
	if (got != want)
		ck_abort_msg("%zu bytes %02X %02X %02X %02X at %zu: valid prefix %zu, expected %zu", n, seq[0],
			     n > 1 ? seq[1] : 0, n > 2 ? seq[2] : 0, n > 3 ? seq[3] : 0, at, got, want);
}

static void check_alone(const unsigned char *seq, size_t n)
{
	size_t want = reference_prefix(seq, n), got = kit_utf8_valid_prefix((const char *)seq, n);
	if (got != want)
		ck_abort_msg("%zu bytes %02X %02X %02X %02X alone: valid prefix %zu, expected %zu", n, seq[0],
			     n > 1 ? seq[1] : 0, n > 2 ? seq[2] : 0, n > 3 ? seq[3] : 0, got, want);
}

/* "abc" is 3 bytes; the text above breaks its characters at 2, 5, 7 and so
 * on: the offsets put SEQ across the first block boundary (16) or inside. */
START_TEST(every_short_sequence)
{
	unsigned char s[4];
	for (unsigned a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		check_alone(s, 1);
		for (size_t at = 0; at <= 17; at++)
			check_in_text(s, 1, at);
		for (unsigned b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			check_alone(s, 2);
			check_in_text(s, 2, 15);
			check_in_text(s, 2, 17);
			/* three bytes: the leads of three-byte forms and past them;
			 * after any other lead the third byte meets the two-byte
			 * cases again, one byte later */
			for (unsigned c = 0; a >= 0xE0 && c < 256; c++) {
				s[2] = (unsigned char)c;
				check_alone(s, 3);
				check_in_text(s, 3, 14);
			}
		}
	}
}
END_TEST

/* The leads of four-byte forms with every second byte, and for the third
 * and fourth the bytes at the edges of every range the rules name. */
START_TEST(four_byte_sequences)
{
	static const unsigned char edge[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0,
					     0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
	unsigned char s[4];
	for (unsigned a = 0xF0; a <= 0xF5; a++) /* the four-byte leads, and the first that is never one */
		for (unsigned b = 0; b < 256; b++)
			for (size_t c = 0; c < sizeof edge; c++)
				for (size_t d = 0; d < sizeof edge; d++) {
					s[0] = (unsigned char)a, s[1] = (unsigned char)b, s[2] = edge[c],
					s[3] = edge[d];
					check_alone(s, 4);
					check_in_text(s, 4, 13);
					check_in_text(s, 4, 15);
				}
}
END_TEST

static uint64_t next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Texts made of ASCII runs, Vietnamese letters, emoji and now and then a
 * stray byte or a character cut short, of every length to 300. */
START_TEST(random_texts)
{
	static const char *const piece[] = {"a",
					    " ",
					    "Nam ",
					    "\xC4\x91",
					    "\xC3\xA0",
					    "\xE1\xBB\x87",
					    "\xE1\xBA\xA1",
					    "\xF0\x9F\x98\x80",
					    "<p>the quick brown fox</p>"};
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	unsigned char b[320];
	for (int round = 0; round < 50000; round++) {
		size_t len = 0, want_len = next_random(&x) % 300;
		while (len < want_len) {
			uint64_t r = next_random(&x);
			if (r % 64 == 0) {
				b[len++] = (unsigned char)(r >> 8); /* any byte at all */
			} else {
				const char *s = piece[(r >> 8) % (sizeof piece / sizeof *piece)];
				size_t n = strlen(s);
				if (r % 61 == 0 && n > 1)
					n--; /* cut short */
				if (len + n > sizeof b)
					break;
				memcpy(b + len, s, n);
				len += n;
			}
		}
		/* Check's assertions cost a system call each: test first. */
		size_t want = reference_prefix(b, len), got = kit_utf8_valid_prefix((const char *)b, len);
		if (got != want)
			ck_abort_msg("random text %d (%zu bytes): valid prefix %zu, expected %zu", round, len, got,
				     want);
	}
}
END_TEST

START_TEST(decode_one)
{
	size_t used;
	ck_assert_int_eq(kit_utf8_decode("A", 1, &used), 'A');
	ck_assert_uint_eq(used, 1);
	ck_assert_int_eq(kit_utf8_decode("\xC4\x91", 2, &used), 0x111); /* đ */
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(kit_utf8_decode("\xE1\xBB\x87", 3, &used), 0x1EC7);
	ck_assert_uint_eq(used, 3);
	ck_assert_int_eq(kit_utf8_decode("\xF0\x9F\x98\x80", 4, &used), 0x1F600);
	ck_assert_uint_eq(used, 4);
	/* A bad sequence: its lead and the continuation bytes that fitted. */
	ck_assert_int_eq(kit_utf8_decode("\xE1\xBB"
					 "A",
					 3, &used),
			 -1);
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(kit_utf8_decode("\xE1\xBB", 2, &used), -1); /* cut off */
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(kit_utf8_decode("\xED\xA0\x80", 3, &used), -1); /* surrogate */
	ck_assert_uint_eq(used, 1);
	ck_assert_int_eq(kit_utf8_decode("\xBF", 1, &used), -1);
	ck_assert_uint_eq(used, 1);
}
END_TEST

START_TEST(encode_round_trip)
{
	const int32_t cps[] = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF};
	for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
		char s[4];
		size_t n = kit_utf8_encode(s, cps[i]), used;
		ck_assert(kit_utf8_valid(s, n));
		ck_assert_int_eq(kit_utf8_decode(s, n, &used), cps[i]);
		ck_assert_uint_eq(used, n);
	}
	char s[4];
	ck_assert_uint_eq(kit_utf8_encode(s, 0x110000), 3);
	ck_assert(!memcmp(s, "\xEF\xBF\xBD", 3));
	ck_assert_uint_eq(kit_utf8_encode(s, -5), 3);
	ck_assert_uint_eq(kit_utf8_encode(s, 0xDC00), 3);
	ck_assert(!memcmp(s, "\xEF\xBF\xBD", 3));
}
END_TEST

/* kit_utf8_count against a count of the bytes that are not 10xxxxxx, one
 * at a time: every length across the blocks of 8 and of 31 * 8 bytes, at
 * every alignment, on random bytes where every byte value appears. */
START_TEST(count_characters)
{
	static char buf[600];
	uint64_t seed = 0x9E3779B97F4A7C15ULL;
	for (size_t i = 0; i < sizeof buf; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		buf[i] = (char)(seed >> 56);
	}
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; off + len <= sizeof buf; len++) {
			size_t want = 0;
			for (size_t i = off; i < off + len; i++)
				want += ((unsigned char)buf[i] & 0xC0) != 0x80;
			ck_assert_uint_eq(kit_utf8_count(buf + off, len), want);
		}
	memset(buf, 0x80, sizeof buf); /* all continuation: the most a word's sum holds */
	ck_assert_uint_eq(kit_utf8_count(buf, sizeof buf), 0);
	ck_assert_uint_eq(kit_utf8_count("Điện Biên", strlen("Điện Biên")), 9);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("kit_utf8");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, valid_prefixes);
	tcase_add_test(tc, decode_one);
	tcase_add_test(tc, encode_round_trip);
	tcase_add_test(tc, count_characters);
	suite_add_tcase(s, tc);
	/* millions of small checks: minutes under the sanitizers on a busy machine */
	TCase *many = tcase_create("exhaustive");
	tcase_set_timeout(many, 300);
	tcase_add_test(many, every_short_sequence);
	tcase_add_test(many, four_byte_sequences);
	tcase_add_test(many, random_texts);
	suite_add_tcase(s, many);
	return s;
}

TM_CHECK_MAIN(make_suite)
