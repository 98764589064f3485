/* test_corrupt.c -- dedup files whose length fields lie. Each file is
 * crafted byte by byte with a correct CRC, so the reader gets past the
 * checksum to the check under test; each must fail with a message that
 * names the file and the byte (and record) at fault, and never read or
 * allocate by a length it has not checked against what the file holds. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "exindex.h"
#include "mhindex.h"
#include "sigfile.h"

#include "dd_test.h"

static char shm[64]; /* for the 4 GiB sparse file, when there is shared memory */

/* ---- crafting ------------------------------------------------------------ */

typedef struct bytes {
	unsigned char p[4096];
	size_t n;
} bytes;

static void put(bytes *b, const void *data, size_t n)
{
	ck_assert_uint_le(b->n + n, sizeof b->p);
	memcpy(b->p + b->n, data, n);
	b->n += n;
}

static void put32(bytes *b, uint32_t v)
{
	unsigned char x[4];
	for (int i = 0; i < 4; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	put(b, x, 4);
}

static void put64(bytes *b, uint64_t v)
{
	put32(b, (uint32_t)v);
	put32(b, (uint32_t)(v >> 32));
}

#define PERMS 8
#define SIG_RECORD (24 + PERMS * 4)

/* Header and parameter block; params_len is written as given, whatever
 * the number of parameters. */
static void header(bytes *b, uint32_t kind, uint32_t params_len, const uint64_t *params, uint32_t n_params)
{
	b->n = 0;
	put(b, "TMDEDUP\n", 8);
	put32(b, DD_FILE_VERSION);
	put32(b, kind);
	put32(b, DD_HASH_VERSION);
	put32(b, params_len);
	for (uint32_t i = 0; i < n_params; i++)
		put64(b, params[i]);
}

static void sig_header(bytes *b)
{
	uint64_t params[5] = {PERMS, 5, 0, 5, MH_DEFAULT_SEED};
	header(b, DD_KIND_SIGNATURES, 40, params, 5);
}

/* A signature record whose id length field says id_len; id is what follows. */
static void sig_record(bytes *b, uint64_t order, uint32_t id_len, const char *id)
{
	put64(b, order);
	put64(b, (uint64_t)MH_NO_DATE);
	put32(b, 100);
	put32(b, id_len);
	for (int i = 0; i < PERMS; i++)
		put32(b, (uint32_t)(order * 31 + (uint64_t)i));
	put(b, id, strlen(id));
}

/* The trailer after b (whose body starts at body_start), with the record
 * count and body length fields as given, and the CRC of it all. */
static void seal(bytes *b, size_t body_start, uint64_t count, uint64_t body_len)
{
	if (body_len == UINT64_MAX - 1) /* the true length */
		body_len = b->n - body_start;
	put(b, "TMDDEND\n", 8);
	put64(b, count);
	put64(b, body_len);
	put32(b, (uint32_t)crc32(0, b->p, (uInt)b->n));
	put32(b, 0);
}

#define TRUE_LEN (UINT64_MAX - 1)

static const char *write_bytes(const char *name, const bytes *b)
{
	const char *path = tmp(name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b->p, 1, b->n, f), b->n);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* The message must name the file and hold every one of the words. */
static void expect(const char *err, const char *path, const char *want1, const char *want2)
{
	ck_assert_msg(strstr(err, path), "no file name in: %s", err);
	ck_assert_msg(strstr(err, want1), "'%s' not in: %s", want1, err);
	ck_assert_msg(!want2 || strstr(err, want2), "'%s' not in: %s", want2, err);
}

/* Read a signature file to its end; the error of the first failure. */
static int read_sigs(const char *path, char *err, size_t errlen)
{
	mh_sigreader r;
	if (mh_sig_open(&r, path, err, errlen))
		return -1;
	int got;
	while ((got = mh_sig_next(&r, err, errlen)) > 0)
		;
	mh_sig_close(&r);
	return got;
}

/* ---- the container ------------------------------------------------------- */

START_TEST(container_lengths)
{
	bytes b;
	dd_in in;
	/* a parameter block longer than any kind has */
	header(&b, DD_KIND_SIGNATURES, 0xFFFFFFF8u, NULL, 0);
	seal(&b, b.n, 0, TRUE_LEN);
	const char *path = write_bytes("params.sig", &b);
	ck_assert_int_eq(dd_in_open(&in, path, DD_KIND_SIGNATURES), -1);
	expect(in.err, path, "bad parameter block length 4294967288", NULL);
	/* one that claims more parameters than the file has */
	header(&b, DD_KIND_SIGNATURES, 128, NULL, 0);
	seal(&b, b.n, 0, 0);
	path = write_bytes("params2.sig", &b);
	ck_assert_int_eq(dd_in_open(&in, path, DD_KIND_SIGNATURES), -1);
	expect(in.err, path, "but its trailer describes", NULL);
	/* body lengths that overrun the file, or wrap the sum of the parts */
	uint64_t lies[] = {UINT64_MAX, UINT64_MAX - 63, 1u << 20};
	for (size_t i = 0; i < sizeof lies / sizeof *lies; i++) {
		sig_header(&b);
		seal(&b, b.n, 0, lies[i]);
		path = write_bytes("body.sig", &b);
		ck_assert_int_eq(dd_in_open(&in, path, DD_KIND_SIGNATURES), -1);
		expect(in.err, path, "truncated or corrupt", "but its trailer describes");
	}
}
END_TEST

/* ---- signature records --------------------------------------------------- */

START_TEST(signature_lengths)
{
	bytes b;
	char err[2048];
	/* the report's case: an id length of 0xFFFFFFFF (record 1, at byte 24 + 40 + 57) */
	sig_header(&b);
	size_t body = b.n;
	sig_record(&b, 0, 1, "a");
	sig_record(&b, 1, 0xFFFFFFFFu, "bcd");
	seal(&b, body, 2, TRUE_LEN);
	const char *path = write_bytes("idlen.sig", &b);
	ck_assert_int_eq(read_sigs(path, err, sizeof err), -1);
	expect(err, path, "is corrupt at byte 121 (record 1)",
	       "id length 4294967295 is above the limit of 65536 bytes");
	/* above the limit, with the bytes there */
	sig_header(&b);
	sig_record(&b, 0, DD_MAX_ID + 1, "");
	memset(b.p + b.n, 'x', 1000);
	b.n += 1000;
	seal(&b, 64, 1, TRUE_LEN);
	path = write_bytes("idlen2.sig", &b);
	ck_assert_int_eq(read_sigs(path, err, sizeof err), -1);
	expect(err, path, "at byte 64 (record 0)", "id length 65537 is above the limit");
	/* within the limit, past the end */
	sig_header(&b);
	sig_record(&b, 0, 100, "short");
	seal(&b, 64, 1, TRUE_LEN);
	path = write_bytes("idlen3.sig", &b);
	ck_assert_int_eq(read_sigs(path, err, sizeof err), -1);
	expect(err, path, "at byte 64 (record 0)", "id length 100 runs past the end of its body (5 bytes left)");
	/* record counts: impossible, more than the body holds, one record
	 * more than there is (the second record is long enough to hide it
	 * from the count check), one less */
	const char *long_id = "0123456789012345678901234567890123456789012345678901234567890123456789";
	uint64_t counts[] = {UINT64_MAX, 1ull << 62, 4, 3, 1};
	const char *want[] = {
		"at byte 259: its trailer counts 18446744073709551615 records of at least 56 bytes",
		"its trailer counts 4611686018427387904 records",
		"its trailer counts 4 records of at least 56 bytes, more than its body of 187 bytes holds",
		"at byte 251: 8 more bytes are needed, but only 0 are left in its body",
		"at byte 125: 126 bytes after its last record"};
	for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
		sig_header(&b);
		sig_record(&b, 0, 5, "first");
		sig_record(&b, 1, (uint32_t)strlen(long_id), long_id);
		seal(&b, 64, counts[i], TRUE_LEN);
		path = write_bytes("count.sig", &b);
		ck_assert_int_eq(read_sigs(path, err, sizeof err), -1);
		expect(err, path, want[i], NULL);
	}
	/* perms: the length of every signature */
	uint64_t perms[] = {0, MH_MAX_PERMS + 1, 1ull << 32 | PERMS};
	for (size_t i = 0; i < sizeof perms / sizeof *perms; i++) {
		uint64_t params[5] = {perms[i], 5, 0, 5, MH_DEFAULT_SEED};
		header(&b, DD_KIND_SIGNATURES, 40, params, 5);
		seal(&b, 64, 0, TRUE_LEN);
		path = write_bytes("perms.sig", &b);
		ck_assert_int_eq(read_sigs(path, err, sizeof err), -1);
		expect(err, path, "bad signature parameters", NULL);
	}
}
END_TEST

/* An id length of 0xFFFFFFFF in a file large enough to hold it: id_len + 1
 * wrapped to 0 in 32 bits, and 4 GiB were read into a 2-byte buffer. The
 * file is sparse (4 GiB of zeros), its CRC made with crc32_combine; in
 * shared memory when there is some, where reading holes costs no disk
 * cache (1 s, not 10). */
START_TEST(signature_id_length_wraps)
{
	bytes b;
	sig_header(&b);
	sig_record(&b, 0, 1, "a");
	sig_record(&b, 1, 0xFFFFFFFFu, "");
	const uint64_t pad = 1ull << 32;
	char path[320];
	snprintf(shm, sizeof shm, "/dev/shm/dd_corrupt_XXXXXX");
	int in_shm = mkdtemp(shm) != NULL;
	if (!in_shm)
		shm[0] = 0;
	snprintf(path, sizeof path, "%s/huge.sig", in_shm ? shm : tmpdir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, b.p, b.n), (ssize_t)b.n);
	struct stat st;
	if (ftruncate(fd, (off_t)(b.n + pad)) || fstat(fd, &st) || (uint64_t)st.st_blocks * 512 > (1u << 20)) {
		fprintf(stderr, "test_corrupt: skipped the 4 GiB case: no sparse file in %s\n", tmpdir);
		close(fd);
		unlink(path);
		return;
	}
	uLong crc = crc32(0, b.p, (uInt)b.n);
	static const unsigned char zeros[1 << 16];
	uLong zcrc = crc32(0, zeros, sizeof zeros);
	for (uint64_t done = 0; done < pad; done += sizeof zeros)
		crc = crc32_combine(crc, zcrc, sizeof zeros);
	bytes t = {.n = 0};
	put(&t, "TMDDEND\n", 8);
	put64(&t, 2);
	put64(&t, b.n - 64 + pad);
	crc = crc32(crc, t.p, (uInt)t.n);
	put32(&t, (uint32_t)crc);
	put32(&t, 0);
	ck_assert_int_eq(pwrite(fd, t.p, t.n, (off_t)(b.n + pad)), (ssize_t)t.n);
	ck_assert_int_eq(close(fd), 0);
	char err[2048];
	ck_assert_int_eq(read_sigs(path, err, sizeof err), -1);
	expect(err, path, "at byte 121 (record 1)", "id length 4294967295 is above the limit of 65536 bytes");
	unlink(path);
}
END_TEST

/* ---- indexes ------------------------------------------------------------- */

static int load_mh(const char *path, dd_in *in)
{
	mh_params p = {PERMS, 5, 0, 5, MH_DEFAULT_SEED};
	mh_index ix;
	ck_assert_int_eq(mh_index_init(&ix, PERMS, 2, 4), 0);
	int rc = dd_in_open(in, path, DD_KIND_MINHASH);
	if (!rc)
		rc = mh_index_load(&ix, &p, in);
	dd_in_close(in);
	mh_index_free(&ix);
	return rc;
}

/* A minhash index of n entries; entry k's id length field is lens[k], the
 * ids area holds ids_bytes bytes. */
static void mh_file(bytes *b, uint64_t count, const uint32_t *lens, uint32_t n, size_t ids_bytes)
{
	uint64_t params[5] = {PERMS, 5, 0, 5, MH_DEFAULT_SEED};
	header(b, DD_KIND_MINHASH, 40, params, 5);
	put64(b, n); /* next order */
	for (uint32_t k = 0; k < n; k++) {
		put64(b, k);
		put64(b, (uint64_t)MH_NO_DATE);
		put32(b, 100);
		put32(b, lens[k]);
		put32(b, k); /* its own cluster */
		put32(b, k);
	}
	for (uint32_t k = 0; k < n * PERMS; k++)
		put32(b, k);
	for (size_t k = 0; k < ids_bytes; k++)
		put(b, "i", 1);
	seal(b, 64, count, TRUE_LEN);
}

START_TEST(minhash_index_lengths)
{
	bytes b;
	dd_in in;
	uint32_t ok[2] = {3, 4}, huge[2] = {3, 0xFFFFFFFFu}, more[2] = {3, 9};
	mh_file(&b, 2, ok, 2, 7);
	const char *path = write_bytes("good.idx", &b);
	ck_assert_msg(load_mh(path, &in) == 0, "%s", in.err);

	mh_file(&b, UINT64_MAX, ok, 2, 7);
	path = write_bytes("count.idx", &b);
	ck_assert_int_eq(load_mh(path, &in), -1);
	expect(in.err, path, "its trailer counts 18446744073709551615 entries, more than the", NULL);
	mh_file(&b, 3, ok, 2, 7);
	path = write_bytes("count2.idx", &b);
	ck_assert_int_eq(load_mh(path, &in), -1);
	expect(in.err, path, "its trailer counts 3 entries of at least 64 bytes, more than its body of 143", NULL);
	mh_file(&b, 2, huge, 2, 7);
	path = write_bytes("idlen.idx", &b);
	ck_assert_int_eq(load_mh(path, &in), -1);
	expect(in.err, path, "at byte 104 (entry 1)", "id length 4294967295 is above the limit");
	mh_file(&b, 2, more, 2, 7);
	path = write_bytes("ids.idx", &b);
	ck_assert_int_eq(load_mh(path, &in), -1);
	expect(in.err, path, "at byte 200: the id lengths of its entries add up to 12 bytes, but 7 are left", NULL);
}
END_TEST

static int load_ex(const char *path, dd_in *in)
{
	ex_index ix;
	ex_index_init(&ix);
	int rc = dd_in_open(in, path, DD_KIND_EXACT);
	if (!rc)
		rc = ex_index_load(&ix, 9, in);
	dd_in_close(in);
	ex_index_free(&ix);
	return rc;
}

static void ex_file(bytes *b, uint64_t count, const uint32_t *lens, uint32_t n, size_t ids_bytes)
{
	uint64_t params[2] = {9, 0x6578616374ULL};
	header(b, DD_KIND_EXACT, 16, params, 2);
	put64(b, n);
	for (uint32_t k = 0; k < n; k++) {
		put64(b, k + 1);
		put64(b, k * 7);
		put64(b, k);
		put32(b, lens[k]);
	}
	for (size_t k = 0; k < ids_bytes; k++)
		put(b, "i", 1);
	seal(b, 40, count, TRUE_LEN);
}

START_TEST(exact_index_lengths)
{
	bytes b;
	dd_in in;
	uint32_t ok[2] = {3, 4}, huge[2] = {0xFFFFFFFFu, 4}, more[2] = {3, 9};
	ex_file(&b, 2, ok, 2, 7);
	const char *path = write_bytes("good.ex", &b);
	ck_assert_msg(load_ex(path, &in) == 0, "%s", in.err);

	ex_file(&b, 1ull << 40, ok, 2, 7);
	path = write_bytes("count.ex", &b);
	ck_assert_int_eq(load_ex(path, &in), -1);
	expect(in.err, path, "its trailer counts 1099511627776 entries, more than the", NULL);
	ex_file(&b, 3, ok, 2, 7);
	path = write_bytes("count2.ex", &b);
	ck_assert_int_eq(load_ex(path, &in), -1);
	expect(in.err, path, "its trailer counts 3 entries of at least 28 bytes, more than its body of 71", NULL);
	ex_file(&b, 2, huge, 2, 7);
	path = write_bytes("idlen.ex", &b);
	ck_assert_int_eq(load_ex(path, &in), -1);
	expect(in.err, path, "at byte 48 (entry 0)", "id length 4294967295 is above the limit");
	ex_file(&b, 2, more, 2, 7);
	path = write_bytes("ids.ex", &b);
	ck_assert_int_eq(load_ex(path, &in), -1);
	expect(in.err, path, "at byte 104: the id lengths of its entries add up to 12 bytes, but 7 are left", NULL);
}
END_TEST

int main(void)
{
	if (dd_test_tmpdir("dd_corrupt"))
		return 1;
	Suite *s = suite_create("dedup-corrupt");
	TCase *tc = tcase_create("lengths");
	tcase_add_test(tc, container_lengths);
	tcase_add_test(tc, signature_lengths);
	tcase_add_test(tc, signature_id_length_wraps);
	tcase_add_test(tc, minhash_index_lengths);
	tcase_add_test(tc, exact_index_lengths);
	suite_add_tcase(s, tc);
	return dd_test_run(s, shm);
}
