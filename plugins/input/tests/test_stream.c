/* test_stream.c -- plain, gzip and zstd files as one stream (stream.c):
 * the same bytes whatever the compression and however small the reads,
 * and a damaged or cut file an error, never a short read. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <textmill/kit.h>

#include "check_main.h"
#include "stream.h"

static char dir[200];
static kit_buf data;

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/textmill-stream-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	kit_buf_clear(&data);
	for (int i = 0; i < 20000; i++)
		kit_buf_printf(&data, "{\"id\":\"%d\",\"text\":\"Dòng số %d của tệp.\"}\n", i, i);
}

static void teardown(void)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *path_of(const char *name)
{
	static char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

static void put(const char *name, const void *bytes, size_t len)
{
	FILE *f = fopen(path_of(name), "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	fclose(f);
}

/* A zstd file of `frames` frames holding data between them. */
static void put_zstd(const char *name, int frames, size_t cut)
{
	kit_buf z = {0};
	size_t step = data.len / (size_t)frames + 1;
	for (size_t at = 0; at < data.len; at += step) {
		size_t n = at + step > data.len ? data.len - at : step;
		size_t cap = ZSTD_compressBound(n);
		ck_assert_int_eq(kit_buf_reserve(&z, cap), 0);
		size_t got = ZSTD_compress(z.p + z.len, cap, data.p + at, n, 3);
		ck_assert(!ZSTD_isError(got));
		z.len += got;
	}
	put(name, z.p, cut ? cut : z.len);
	kit_buf_free(&z);
}

/* Read the whole file `chunk` bytes at a time: 0 and the bytes in *got, or
 * -1 with the message in err. */
static int read_all(const char *name, size_t chunk, kit_buf *got, char *err, size_t errlen)
{
	in_stream *s = stream_open(path_of(name), err, errlen);
	if (!s)
		return -1;
	char *block = malloc(chunk);
	long n;
	while ((n = stream_read(s, block, chunk, err, errlen)) > 0)
		kit_buf_put(got, block, (size_t)n);
	free(block);
	stream_close(s);
	return n < 0 ? -1 : 0;
}

static void ck_reads_data(const char *name)
{
	static const size_t chunks[] = {1, 7, 4096, 1 << 20};
	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		kit_buf got = {0};
		char err[256] = "";
		ck_assert_msg(read_all(name, chunks[i], &got, err, sizeof err) == 0, "%s", err);
		ck_assert_uint_eq(got.len, data.len);
		ck_assert(!memcmp(got.p, data.p, data.len));
		kit_buf_free(&got);
	}
}

START_TEST(test_plain_gzip_zstd)
{
	put("a.jsonl", data.p, data.len);
	ck_reads_data("a.jsonl");
	gzFile gz = gzopen(path_of("a.jsonl.gz"), "wb");
	ck_assert_int_eq(gzwrite(gz, data.p, (unsigned)data.len), (int)data.len);
	gzclose(gz);
	ck_reads_data("a.jsonl.gz");
	put_zstd("one.jsonl.zst", 1, 0);
	ck_reads_data("one.jsonl.zst");
	put_zstd("many.jsonl.zst", 9, 0); /* as zstd -T or a concatenation writes them */
	ck_reads_data("many.jsonl.zst");
}
END_TEST

START_TEST(test_zstd_cut_or_damaged)
{
	char err[256];
	kit_buf got = {0};
	put_zstd("whole.zst", 3, 0);
	FILE *f = fopen(path_of("whole.zst"), "rb");
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fclose(f);
	/* Cut anywhere, even between frames' bytes of a header: an error. */
	const long cuts[] = {1, 4, 5, size / 3, size / 2, size - 1};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		put_zstd("cut.zst", 3, (size_t)cuts[i]);
		kit_buf_clear(&got);
		ck_assert_int_eq(read_all("cut.zst", 4096, &got, err, sizeof err), -1);
		ck_assert_ptr_nonnull(strstr(err, "cut.zst: "));
		ck_assert_uint_lt(got.len, data.len);
	}
	put("bad.zst", "{\"id\":1}\n", 9);
	ck_assert_int_eq(read_all("bad.zst", 4096, &got, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "bad.zst: Unknown frame descriptor (a damaged zstd file?)"));
	put("empty.zst", "", 0);
	kit_buf_clear(&got);
	ck_assert_int_eq(read_all("empty.zst", 4096, &got, err, sizeof err), 0);
	ck_assert_uint_eq(got.len, 0);
	ck_assert_int_eq(read_all("none.zst", 4096, &got, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot open"));
	kit_buf_free(&got);
}
END_TEST

static Suite *stream_suite(void)
{
	Suite *s = suite_create("stream");
	TCase *tc = tcase_create("read");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_plain_gzip_zstd);
	tcase_add_test(tc, test_zstd_cut_or_damaged);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(stream_suite)
