/* stream.c -- plain, gzip and zstd files as one stream of bytes.
 *
 * zstd is read with libzstd's streaming decoder, a block of the file at a
 * time; a file that ends inside a frame is an error, never a short read,
 * so a truncated download cannot pass for a shorter corpus. */
#include "stream.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <textmill/kit.h>

struct in_stream {
	const char *name;
	gzFile gz;        /* plain or gzip */
	FILE *file;       /* zstd: the compressed bytes */
	ZSTD_DCtx *zstd;  /* and the decoder */
	ZSTD_inBuffer in; /* what is left of the block read last */
	char *block;      /* ZSTD_DStreamInSize() bytes */
	size_t block_size;
	int at_end;    /* the file has no more compressed bytes */
	int mid_frame; /* the decoder wants more of a frame */
};

const char *stream_name(const char *path) { return strcmp(path, "-") ? path : "stdin"; }

static in_stream *open_zstd(in_stream *s, const char *path, char *err, size_t errlen)
{
	s->file = fopen(path, "rb");
	if (!s->file) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	s->zstd = ZSTD_createDCtx();
	s->block_size = ZSTD_DStreamInSize();
	s->block = kit_malloc(s->block_size);
	if (!s->zstd || !s->block) {
		snprintf(err, errlen, "%s", KIT_OOM);
		return NULL;
	}
	return s;
}

in_stream *stream_open(const char *path, char *err, size_t errlen)
{
	in_stream *s = kit_calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "%s", KIT_OOM);
		return NULL;
	}
	s->name = stream_name(path);
	if (strcmp(path, "-") && kit_has_suffix(path, ".zst")) {
		if (open_zstd(s, path, err, errlen))
			return s;
		stream_close(s);
		return NULL;
	}
	s->gz = !strcmp(path, "-") ? gzdopen(dup(STDIN_FILENO), "rb") : gzopen(path, "rb");
	if (!s->gz) {
		snprintf(err, errlen, "cannot open %s: %s", s->name, strerror(errno));
		stream_close(s);
		return NULL;
	}
	gzbuffer(s->gz, 1 << 17);
	return s;
}

static long read_gz(in_stream *s, char *dst, size_t n, char *err, size_t errlen)
{
	if (n > INT_MAX)
		n = INT_MAX; /* gzread answers in an int */
	int got = gzread(s->gz, dst, (unsigned)n);
	int code;
	const char *msg = gzerror(s->gz, &code);
	if (got < 0) {
		snprintf(err, errlen, "cannot read %s: %s", s->name, code == Z_ERRNO ? strerror(errno) : msg);
		return -1;
	}
	/* zlib reports a gzip stream cut short only here, at the end. */
	if (got == 0 && code != Z_OK && code != Z_STREAM_END) {
		snprintf(err, errlen, "cannot read %s (a damaged or truncated gzip file?)",
			 msg); /* zlib names the file */
		return -1;
	}
	return got;
}

static long read_zstd(in_stream *s, char *dst, size_t n, char *err, size_t errlen)
{
	ZSTD_outBuffer out = {dst, n, 0};
	for (;;) {
		if (s->in.pos == s->in.size && !s->at_end) {
			size_t got = fread(s->block, 1, s->block_size, s->file);
			if (got == 0 && ferror(s->file)) {
				snprintf(err, errlen, "cannot read %s: %s", s->name, strerror(errno));
				return -1;
			}
			s->at_end = got == 0;
			s->in = (ZSTD_inBuffer){s->block, got, 0};
		}
		/* With no input left it still flushes what the decoder holds. */
		size_t in_before = s->in.pos;
		size_t left = ZSTD_decompressStream(s->zstd, &out, &s->in);
		if (ZSTD_isError(left)) {
			snprintf(err, errlen, "cannot read %s: %s (a damaged zstd file?)", s->name,
				 ZSTD_getErrorName(left));
			return -1;
		}
		/* Past a frame's end, a call with nothing to do asks for the next
		 * frame's header; only a call that did something tells. */
		if (s->in.pos != in_before || out.pos)
			s->mid_frame = left != 0;
		if (out.pos)
			return (long)out.pos;
		if (s->at_end && s->in.pos == s->in.size) {
			if (s->mid_frame) {
				snprintf(err, errlen,
					 "cannot read %s: the file ends inside a zstd frame (truncated?)", s->name);
				return -1;
			}
			return 0;
		}
	}
}

long stream_read(in_stream *s, char *dst, size_t n, char *err, size_t errlen)
{
	if (n > LONG_MAX)
		n = LONG_MAX;
	return s->gz ? read_gz(s, dst, n, err, errlen) : read_zstd(s, dst, n, err, errlen);
}

void stream_close(in_stream *s)
{
	if (!s)
		return;
	if (s->gz)
		gzclose(s->gz);
	if (s->file)
		fclose(s->file);
	ZSTD_freeDCtx(s->zstd);
	free(s->block);
	free(s);
}
