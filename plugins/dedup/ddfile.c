/* ddfile.c -- writing and verifying the dedup file container. */
#include "ddfile.h"

#include "hash.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

static const char MAGIC[8] = {'T', 'M', 'D', 'E', 'D', 'U', 'P', '\n'};
static const char END_MAGIC[8] = {'T', 'M', 'D', 'D', 'E', 'N', 'D', '\n'};

#define MAX_PARAMS 16

const char *dd_kind_name(uint32_t kind)
{
	switch (kind) {
	case DD_KIND_EXACT: return "dedup.exact index";
	case DD_KIND_MINHASH: return "dedup.minhash index";
	case DD_KIND_SIGNATURES: return "dedup.minhash signature file";
	case DD_KIND_PARAGRAPH: return "dedup.paragraph index";
	case DD_KIND_EXACT_SHARD: return "dedup.exact shard file";
	case DD_KIND_PARAGRAPH_SHARD: return "dedup.paragraph shard file";
	default: return "dedup file of an unknown kind";
	}
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p) { return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32; }

static void raw(dd_out *o, const void *data, size_t len)
{
	if (o->failed || !len)
		return;
	const unsigned char *p = data;
	for (size_t done = 0; done < len;) { /* crc32 takes an unsigned int length */
		size_t n = len - done > (1u << 30) ? (1u << 30) : len - done;
		o->crc = (uint32_t)crc32(o->crc, p + done, (uInt)n);
		done += n;
	}
	if (o->write(o->ud, data, len))
		o->failed = 1;
}

void dd_out_begin(dd_out *o, uint32_t kind, const uint64_t *params, uint32_t n_params)
{
	unsigned char h[DD_HEADER_SIZE];
	o->crc = (uint32_t)crc32(0, NULL, 0);
	o->body = o->count = 0;
	o->failed = 0;
	memcpy(h, MAGIC, 8);
	put32(h + 8, DD_FILE_VERSION);
	put32(h + 12, kind);
	put32(h + 16, DD_HASH_VERSION);
	put32(h + 20, n_params * 8);
	raw(o, h, sizeof h);
	for (uint32_t i = 0; i < n_params; i++) {
		unsigned char b[8];
		put64(b, params[i]);
		raw(o, b, 8);
	}
}

void dd_out_bytes(dd_out *o, const void *data, size_t len)
{
	raw(o, data, len);
	o->body += len;
}

void dd_out_u32(dd_out *o, uint32_t v)
{
	unsigned char b[4];
	put32(b, v);
	dd_out_bytes(o, b, 4);
}

void dd_out_u64(dd_out *o, uint64_t v)
{
	unsigned char b[8];
	put64(b, v);
	dd_out_bytes(o, b, 8);
}

void dd_out_u32s(dd_out *o, const uint32_t *v, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	dd_out_bytes(o, v, n * sizeof *v);
#else
	for (size_t i = 0; i < n; i++)
		dd_out_u32(o, v[i]);
#endif
}

int dd_out_end(dd_out *o)
{
	unsigned char t[DD_TRAILER_SIZE];
	memcpy(t, END_MAGIC, 8);
	put64(t + 8, o->count);
	put64(t + 16, o->body);
	raw(o, t, 24);
	put32(t + 24, o->crc);
	put32(t + 28, 0);
	if (!o->failed && o->write(o->ud, t + 24, 8))
		o->failed = 1;
	return o->failed ? -1 : 0;
}

int dd_stdio_write(void *ud, const void *data, size_t len) { return fwrite(data, 1, len, ud) == len ? 0 : -1; }

static int fail(dd_in *in, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(in->err, sizeof in->err, fmt, ap);
	va_end(ap);
	if (in->f)
		fclose(in->f);
	in->f = NULL;
	return -1;
}

/* The CRC of the first n bytes of the file, read in blocks. */
static int crc_of(FILE *f, uint64_t n, uint32_t *crc)
{
	unsigned char buf[1 << 16];
	uint32_t c = (uint32_t)crc32(0, NULL, 0);
	if (fseeko(f, 0, SEEK_SET))
		return -1;
	while (n) {
		size_t want = n > sizeof buf ? sizeof buf : (size_t)n;
		if (fread(buf, 1, want, f) != want)
			return -1;
		c = (uint32_t)crc32(c, buf, (uInt)want);
		n -= want;
	}
	*crc = c;
	return 0;
}

int dd_in_open(dd_in *in, const char *path, uint32_t kind)
{
	memset(in, 0, sizeof *in);
	snprintf(in->path, sizeof in->path, "%s", path);
	in->f = fopen(path, "rb");
	if (!in->f) {
		if (errno == ENOENT)
			return 1;
		return fail(in, "cannot open %s: %s", path, strerror(errno));
	}
	struct stat st;
	if (fstat(fileno(in->f), &st))
		return fail(in, "cannot read %s: %s", path, strerror(errno));
	uint64_t size = (uint64_t)st.st_size;
	unsigned char h[DD_HEADER_SIZE], t[DD_TRAILER_SIZE];
	if (size < 8 || fread(h, 1, 8, in->f) != 8 || memcmp(h, MAGIC, 8))
		return fail(in, "%s is not a textmill dedup file (no TMDEDUP header)", path);
	if (size < DD_HEADER_SIZE + DD_TRAILER_SIZE ||
	    fread(h + 8, 1, DD_HEADER_SIZE - 8, in->f) != DD_HEADER_SIZE - 8)
		return fail(in, "%s is truncated: %llu bytes, too short for a dedup file", path,
			    (unsigned long long)size);
	uint32_t version = get32(h + 8), params_len = get32(h + 20);
	in->kind = get32(h + 12);
	in->hash_version = get32(h + 16);
	if (version != DD_FILE_VERSION)
		return fail(in, "%s has dedup file format version %u; this textmill reads version %u", path, version,
			    DD_FILE_VERSION);
	if (in->kind != kind)
		return fail(in, "%s is a %s, not a %s", path, dd_kind_name(in->kind), dd_kind_name(kind));
	if (in->hash_version != DD_HASH_VERSION)
		return fail(in, "%s was made with hash version %u; this textmill uses version %u", path,
			    in->hash_version, DD_HASH_VERSION);
	if (params_len % 8 || params_len / 8 > MAX_PARAMS)
		return fail(in, "%s is corrupt: bad parameter block length %u", path, params_len);
	if (fseeko(in->f, (off_t)(size - DD_TRAILER_SIZE), SEEK_SET) ||
	    fread(t, 1, DD_TRAILER_SIZE, in->f) != DD_TRAILER_SIZE || memcmp(t, END_MAGIC, 8))
		return fail(in, "%s is truncated or incomplete: its end marker is missing", path);
	in->count = get64(t + 8);
	uint64_t body = get64(t + 16);
	uint64_t expect = DD_HEADER_SIZE + (uint64_t)params_len + body + DD_TRAILER_SIZE;
	if (body > size || expect != size)
		return fail(in, "%s is truncated or corrupt: %llu bytes, but its trailer describes %llu", path,
			    (unsigned long long)size, (unsigned long long)expect);
	uint32_t crc;
	if (crc_of(in->f, size - 8, &crc))
		return fail(in, "cannot read %s: %s", path, strerror(errno));
	if (crc != get32(t + 24))
		return fail(in, "%s is corrupt: checksum mismatch (stored %08x, computed %08x)", path, get32(t + 24),
			    crc);
	if (fseeko(in->f, DD_HEADER_SIZE, SEEK_SET))
		return fail(in, "cannot read %s: %s", path, strerror(errno));
	in->n_params = params_len / 8;
	for (uint32_t i = 0; i < in->n_params; i++) {
		unsigned char b[8];
		if (fread(b, 1, 8, in->f) != 8)
			return fail(in, "cannot read %s", path);
		in->params[i] = get64(b);
	}
	in->body_start = DD_HEADER_SIZE + (uint64_t)params_len;
	in->body_left = body;
	in->body_end = in->body_start + body;
	return 0;
}

uint64_t dd_in_tell(const dd_in *in) { return in->body_end - in->body_left; }

int dd_in_corrupt(dd_in *in, uint64_t at, const char *unit, uint64_t n, const char *fmt, ...)
{
	char msg[512], where[64] = "";
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (unit)
		snprintf(where, sizeof where, " (%s %llu)", unit, (unsigned long long)n);
	snprintf(in->err, sizeof in->err, "%s is corrupt at byte %llu%s: %s", in->path, (unsigned long long)at, where,
		 msg);
	return -1;
}

int dd_in_check_count(dd_in *in, const char *units, uint64_t max, uint64_t fixed, uint64_t each)
{
	uint64_t at = in->body_end + 8; /* the count field of the trailer */
	if (in->count > max)
		return dd_in_corrupt(in, at, NULL, 0, "its trailer counts %llu %s, more than the %llu it can hold",
				     (unsigned long long)in->count, units, (unsigned long long)max);
	if (fixed > in->body_left || in->count > (in->body_left - fixed) / each)
		return dd_in_corrupt(in, at, NULL, 0,
				     "its trailer counts %llu %s of at least %llu bytes, more than its body of %llu "
				     "bytes holds",
				     (unsigned long long)in->count, units, (unsigned long long)each,
				     (unsigned long long)in->body_left);
	return 0;
}

int dd_in_nomem(dd_in *in, uint64_t n, const char *what)
{
	snprintf(in->err, sizeof in->err, "%s: out of memory for %llu %s", in->path, (unsigned long long)n, what);
	return -1;
}

int dd_in_ids(dd_in *in, uint64_t total, char **ids)
{
	*ids = NULL;
	if (total != in->body_left)
		return dd_in_corrupt(in, dd_in_tell(in), NULL, 0,
				     "the id lengths of its entries add up to %llu bytes, but %llu are left",
				     (unsigned long long)total, (unsigned long long)in->body_left);
	if (!(*ids = malloc(total ? total : 1)))
		return dd_in_nomem(in, total, "bytes of ids");
	return dd_in_bytes(in, *ids, total);
}

int dd_in_bytes(dd_in *in, void *data, size_t len)
{
	if (len > in->body_left)
		return dd_in_corrupt(in, dd_in_tell(in), NULL, 0,
				     "%zu more bytes are needed, but only %llu are left in its body", len,
				     (unsigned long long)in->body_left);
	if (len && fread(data, 1, len, in->f) != len) {
		snprintf(in->err, sizeof in->err, "cannot read %s at byte %llu: %s", in->path,
			 (unsigned long long)dd_in_tell(in),
			 ferror(in->f) ? strerror(errno) : "the file got shorter");
		return -1;
	}
	in->body_left -= len;
	return 0;
}

int dd_in_u32(dd_in *in, uint32_t *v)
{
	unsigned char b[4];
	if (dd_in_bytes(in, b, 4))
		return -1;
	*v = get32(b);
	return 0;
}

int dd_in_u64(dd_in *in, uint64_t *v)
{
	unsigned char b[8];
	if (dd_in_bytes(in, b, 8))
		return -1;
	*v = get64(b);
	return 0;
}

int dd_in_u32s(dd_in *in, uint32_t *v, size_t n)
{
	if (dd_in_bytes(in, v, n * sizeof *v))
		return -1;
#if !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
	for (size_t i = 0; i < n; i++)
		v[i] = get32((const unsigned char *)&v[i]);
#endif
	return 0;
}

void dd_in_close(dd_in *in)
{
	if (in->f)
		fclose(in->f);
	in->f = NULL;
}

int dd_print_info(const char *path, const char *prog)
{
	static const uint32_t kinds[] = {DD_KIND_EXACT,     DD_KIND_MINHASH,     DD_KIND_SIGNATURES,
					 DD_KIND_PARAGRAPH, DD_KIND_EXACT_SHARD, DD_KIND_PARAGRAPH_SHARD};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		dd_in in;
		int rc = dd_in_open(&in, path, kinds[k]);
		if (rc > 0) {
			fprintf(stderr, "%s: %s: no such file\n", prog, path);
			return 1;
		}
		if (rc < 0 && strstr(in.err, " is a") && strstr(in.err, ", not a ")) {
			dd_in_close(&in);
			continue; /* another kind: try the next */
		}
		if (rc < 0) {
			fprintf(stderr, "%s: %s\n", prog, in.err);
			dd_in_close(&in);
			return 1;
		}
		printf("kind: %s\nrecords: %llu\nparameters:", dd_kind_name(in.kind), (unsigned long long)in.count);
		for (uint32_t i = 0; i < in.n_params; i++)
			printf(" %llu", (unsigned long long)in.params[i]);
		printf("\n");
		dd_in_close(&in);
		return 0;
	}
	fprintf(stderr, "%s: %s: unknown kind of dedup file\n", prog, path);
	return 1;
}
