/* lines.c -- the `files` and `stdin` readers: JSON Lines and text files,
 * plain, gzip or zstd. A record is parsed straight out of the read buffer,
 * without copying its line; a record longer than max_document_bytes is
 * passed over without being held, and rejected with its first bytes. */
#include <stdlib.h>
#include <string.h>

#include "stages.h"
#include "stream.h"

#define CHUNK (1 << 20)
#define HEAD_BYTES 1024    /* of a record too large to read, kept for the rejects file */
#define BOM "\xEF\xBB\xBF" /* a UTF-8 byte order mark, which some editors write */

typedef struct lines_file {
	const lines_settings *set;
	in_stream *s;
	const char *path;
	int text; /* a .txt file: one document */
	char *chunk;
	size_t len, pos, cap;
	int eof, done;
	unsigned long long line;
	unsigned long long offset; /* of the next line in the file */
	unsigned long long from, to;
	size_t max_doc;
	kit_buf head;                 /* the start of a record too large to read */
	unsigned long long too_large; /* and its size */
	char err[512];
} lines_file;

/* The instance is the file it reads, one at a time: its buffer serves
 * file after file, so a corpus of many small files allocates it once. */
int lines_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	const lines_settings *set = tm_opt_settings(opts);
	if (!*set->id_key || !*set->text_key)
		return tm_fail(ctx, "%s: %s must name a key, not be empty",
			       tm_opt_where(opts, *set->id_key ? "text_key" : "id_key"),
			       *set->id_key ? "text_key" : "id_key");
	lines_file *f = kit_calloc(1, sizeof *f);
	if (!f || !(f->chunk = kit_malloc(CHUNK + 1))) {
		free(f);
		return tm_fail(ctx, "%s", KIT_OOM);
	}
	*state = f;
	f->set = set;
	f->cap = CHUNK;
	return TM_OK;
}

void lines_destroy(void *state)
{
	lines_file *f = state;
	if (!f)
		return;
	stream_close(f->s);
	free(f->chunk);
	kit_buf_free(&f->head);
	free(f);
}

static int is_text(const char *path)
{
	return kit_has_suffix(path, ".txt") || kit_has_suffix(path, ".txt.gz") || kit_has_suffix(path, ".txt.zst");
}

void lines_close(void *file)
{
	lines_file *f = file;
	stream_close(f->s);
	f->s = NULL;
	if (f->cap > CHUNK) { /* a long record before: give its room back */
		char *smaller = kit_realloc(f->chunk, CHUNK + 1);
		if (smaller)
			f->chunk = smaller, f->cap = CHUNK;
	}
}

int lines_open(tm_ctx *ctx, void *state, tm_input *in, void **file)
{
	lines_file *f = state;
	*file = f;
	f->path = tm_input_path(in);
	f->text = is_text(f->path);
	f->max_doc = tm_input_max_bytes(in);
	tm_input_range(in, &f->from, &f->to);
	f->len = f->pos = 0;
	f->eof = f->done = 0;
	f->line = f->offset = 0;
	if (!(f->s = stream_open(f->path, f->err, sizeof f->err)))
		return tm_fail(ctx, "%s", f->err);
	return TM_OK;
}

/* Append what the file has, as far as the chunk has room. The chunk grows
 * only while it is full, and to max_doc and a line end at most: a longer
 * record is passed over, never held. */
static int fill(tm_ctx *ctx, lines_file *f)
{
	if (f->len == f->cap) {
		size_t most = f->max_doc + 2;
		size_t cap = f->cap < most && 2 * f->cap > most ? most : 2 * f->cap;
		char *grown = kit_realloc(f->chunk, cap + 1);
		if (!grown)
			return tm_fail(ctx, "%s", KIT_OOM);
		f->chunk = grown, f->cap = cap;
	}
	long n = stream_read(f->s, f->chunk + f->len, f->cap - f->len, f->err, sizeof f->err);
	if (n < 0) {
		if (f->line)
			return tm_fail(ctx, "%s, after line %llu", f->err, f->line);
		return tm_fail(ctx, "%s", f->err);
	}
	f->eof = n == 0;
	f->len += (size_t)n;
	return TM_OK;
}

/* Read on to the end of the line (or of the file) without keeping it,
 * adding its bytes to *size; 1 if a newline ended it, 0 if the file did. */
static int skip_line(tm_ctx *ctx, lines_file *f, unsigned long long *size)
{
	for (;;) {
		char *start = f->chunk + f->pos;
		char *nl = memchr(start, '\n', f->len - f->pos);
		if (nl) {
			*size += (size_t)(nl - start);
			f->pos = (size_t)(nl - f->chunk) + 1;
			return 1;
		}
		*size += f->len - f->pos;
		f->len = f->pos = 0;
		if (f->eof)
			return 0;
		if (fill(ctx, f))
			return TM_ERROR;
	}
}

/* Keep the first bytes of a record too large to read, whole characters. */
static void keep_head(lines_file *f, const char *s, size_t len)
{
	size_t n = len < HEAD_BYTES ? len : HEAD_BYTES;
	size_t ok = kit_utf8_valid_prefix(s, n);
	if (n - ok < 4)
		n = ok;
	kit_buf_clear(&f->head);
	kit_buf_put(&f->head, s, n);
}

static size_t bom_length(const char *s, size_t len) { return len >= 3 && !memcmp(s, BOM, 3) ? 3 : 0; }

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* A record over max_document_bytes: rejected with its size and its first
 * bytes. It was never held whole. */
static int reject_too_large(tm_ctx *ctx, lines_file *f, tm_input *in, tm_doc *doc)
{
	if (kit_buf_failed(&f->head))
		return tm_fail(ctx, "%s", KIT_OOM);
	char why[128];
	snprintf(why, sizeof why, "too large: %llu bytes, over max_document_bytes (%zu)", f->too_large, f->max_doc);
	tm_input_reject(in, doc, why, f->head.p, f->head.len);
	return 1;
}

static int next_text(tm_ctx *ctx, lines_file *f, tm_input *in, tm_doc *doc)
{
	while (!f->eof && f->len <= f->max_doc)
		if (fill(ctx, f))
			return TM_ERROR;
	f->done = 1;
	if (f->len > f->max_doc) {
		keep_head(f, f->chunk, f->len);
		f->too_large = f->len;
		while (!f->eof) { /* count the rest, keep none of it */
			f->len = 0;
			if (fill(ctx, f))
				return TM_ERROR;
			f->too_large += f->len;
		}
		tm_input_place(in, doc, 0, f->too_large);
		return reject_too_large(ctx, f, in, doc);
	}
	tm_input_place(in, doc, 0, f->len);
	size_t bom = bom_length(f->chunk, f->len);
	/* A stage that takes bytes may still convert it: the host checks the
	 * text is UTF-8 once none is ahead. */
	tm_doc_set_text(doc, f->chunk + bom, f->len - bom);
	if (blank(f->chunk + bom, f->len - bom))
		tm_doc_reject(doc, "empty document");
	return 1;
}

/* The next line of the file, without its line end: 1; or 2 for a line
 * longer than max_doc, passed over without being held (its size in
 * f->too_large, its start in f->head); 0 at the end, TM_ERROR. */
static int next_line(tm_ctx *ctx, lines_file *f, const char **line, size_t *len)
{
	for (;;) {
		char *start = f->chunk + f->pos;
		size_t avail = f->len - f->pos;
		char *nl = memchr(start, '\n', avail);
		int whole = nl || (f->eof && avail);
		if (!whole && avail <= f->max_doc + 1) {
			if (f->eof)
				return 0;
			if (f->pos) { /* keep the partial line, drop what was consumed */
				memmove(f->chunk, start, avail);
				f->len = avail;
				f->pos = 0;
			}
			if (fill(ctx, f))
				return TM_ERROR;
			continue;
		}
		unsigned long long at = f->offset, size = 0;
		int ended = nl != NULL;
		if (whole) {
			size = nl ? (size_t)(nl - start) : avail;
			f->pos += size + ended;
		} else {
			keep_head(f, start, avail);
			if ((ended = skip_line(ctx, f, &size)) < 0)
				return TM_ERROR;
		}
		f->line++;
		f->offset += size + ended;
		if (at < f->from)
			continue; /* before this shard's part: count the line, skip it */
		if (at >= f->to)
			return 0; /* past it: this file is done */
		size_t n = (size_t)size;
		if (whole && n && start[n - 1] == '\r')
			n--;
		if (!whole || n > f->max_doc) {
			if (whole)
				keep_head(f, start, n);
			f->too_large = n;
			return 2;
		}
		size_t bom = at == 0 ? bom_length(start, n) : 0;
		*line = start + bom, *len = n - bom;
		return 1;
	}
}

int lines_next(tm_ctx *ctx, void *file, tm_input *in, tm_doc *doc)
{
	lines_file *f = file;
	if (f->done)
		return 0;
	if (f->text)
		return next_text(ctx, f, in, doc);
	const char *id_key = f->set->id_key, *text_key = f->set->text_key;
	for (;;) {
		const char *line;
		size_t len;
		int r = next_line(ctx, f, &line, &len);
		if (r <= 0) {
			f->done = 1;
			return r;
		}
		if (r == 1 && blank(line, len))
			continue;
		if (r == 2) {
			/* Named by the id its start holds, if it holds one. */
			tm_input_place(in, doc, f->line, f->too_large);
			tm_input_json(in, doc, f->head.p, f->head.len, id_key, text_key);
			return reject_too_large(ctx, f, in, doc);
		}
		tm_input_place(in, doc, f->line, len + 1);
		if (tm_input_json(in, doc, line, len, id_key, text_key) == TM_OK) {
			size_t n;
			const char *text = tm_doc_text(doc, &n);
			if (blank(text, n))
				tm_doc_reject(doc, "empty document");
		}
		return 1;
	}
}

const tm_option lines_options[] = {
	{.name = "id_key",
	 .type = TM_OPT_STRING,
	 .default_value = "id",
	 .help = "the key of a JSON Lines record's id (a string or a number)",
	 TM_FIELD(lines_settings, id_key)},
	{.name = "text_key",
	 .type = TM_OPT_STRING,
	 .default_value = "text",
	 .help = "the key of a JSON Lines record's text",
	 TM_FIELD(lines_settings, text_key)},
	{0},
};
