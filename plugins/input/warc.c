/* warc.c -- the `warc` reader: web crawls in WARC 1.0/1.1 (.warc, or
 * .warc.gz with one gzip member per record, or .warc.zst). A response
 * record becomes a document: the text of its HTML page (or its payload as
 * it is), its WARC-Record-ID as the id, its target URI, date and content
 * type as fields. Other records (warcinfo, request, metadata) are not
 * documents and are passed over. A record that cannot be read is
 * rejected with its line and what is wrong, and reading goes on at the
 * next record, so one bad record costs one record. */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "stages.h"
#include "stream.h"

#define BLOCK (1 << 17)
#define MAX_HEADER_LINE 8192 /* a longer line is no WARC header */
#define HEAD_BYTES 1024      /* of a record that cannot be read, kept for the rejects file */

enum { TEXT_HTML, TEXT_PAYLOAD };

typedef struct warc_file {
	const warc_settings *set;
	in_stream *s;
	char *block; /* read buffer */
	size_t len, pos;
	int eof;
	unsigned long long line; /* lines of the file read so far */
	size_t max_doc;
	kit_buf header; /* the record's WARC header lines */
	kit_buf body;   /* its block */
	kit_buf text;
	int pending;                   /* f->header holds the next record's version line */
	unsigned long long pending_at; /* and its line */
	char err[512];
} warc_file;

int warc_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	(void)ctx;
	*state = (void *)tm_opt_settings(opts);
	return TM_OK;
}

int warc_sniff(const unsigned char *head, size_t len) { return len >= 7 && !memcmp(head, "WARC/1.", 7); }

void warc_close(void *file)
{
	warc_file *f = file;
	if (!f)
		return;
	stream_close(f->s);
	free(f->block);
	kit_buf_free(&f->header);
	kit_buf_free(&f->body);
	kit_buf_free(&f->text);
	free(f);
}

int warc_open(tm_ctx *ctx, void *state, tm_input *in, void **file)
{
	warc_file *f = kit_calloc(1, sizeof *f);
	if (!f || !(f->block = kit_malloc(BLOCK))) {
		free(f);
		return tm_fail(ctx, "%s", KIT_OOM);
	}
	*file = f;
	f->set = state;
	f->max_doc = tm_input_max_bytes(in);
	if (!(f->s = stream_open(tm_input_path(in), f->err, sizeof f->err)))
		return tm_fail(ctx, "%s", f->err);
	return TM_OK;
}

static int fill(tm_ctx *ctx, warc_file *f)
{
	if (f->pos == f->len) {
		f->pos = f->len = 0;
	} else if (f->pos) {
		memmove(f->block, f->block + f->pos, f->len - f->pos);
		f->len -= f->pos, f->pos = 0;
	}
	long n = stream_read(f->s, f->block + f->len, BLOCK - f->len, f->err, sizeof f->err);
	if (n < 0)
		return tm_fail(ctx, "%s, after line %llu", f->err, f->line);
	f->eof = n == 0;
	f->len += (size_t)n;
	return TM_OK;
}

/* The next line, without its line end, appended to out (cut at
 * MAX_HEADER_LINE): 1; 0 at the end of the file; TM_ERROR. */
static int read_line(tm_ctx *ctx, warc_file *f, kit_buf *out)
{
	int any = 0;
	for (;;) {
		char *start = f->block + f->pos;
		char *nl = memchr(start, '\n', f->len - f->pos);
		size_t n = nl ? (size_t)(nl - start) : f->len - f->pos;
		if (out->len < MAX_HEADER_LINE)
			kit_buf_put(out, start, n < MAX_HEADER_LINE - out->len ? n : MAX_HEADER_LINE - out->len);
		any |= n > 0;
		f->pos += n + (nl != NULL);
		if (nl) {
			f->line++;
			if (out->len && out->p[out->len - 1] == '\r')
				out->p[--out->len] = 0;
			return 1;
		}
		if (f->eof || fill(ctx, f))
			return f->eof ? any : TM_ERROR;
	}
}

/* Read n bytes of block into out, keeping at most `keep` of them (the rest
 * is read and counted, never held); the bytes read, short at the end of
 * the file; TM_ERROR. */
static long long read_block(tm_ctx *ctx, warc_file *f, unsigned long long n, size_t keep, kit_buf *out)
{
	unsigned long long done = 0;
	while (done < n) {
		if (f->pos == f->len && (f->eof || fill(ctx, f) || f->len == 0))
			return f->eof ? (long long)done : TM_ERROR;
		size_t take = f->len - f->pos;
		if (take > n - done)
			take = (size_t)(n - done);
		const char *p = f->block + f->pos;
		if (out->len < keep)
			kit_buf_put(out, p, take < keep - out->len ? take : keep - out->len);
		for (const char *q = p; (q = memchr(q, '\n', (size_t)(p + take - q))); q++)
			f->line++;
		f->pos += take;
		done += take;
	}
	return (long long)done;
}

/* The value of header `name` among the record's lines, or NULL. */
static const char *header_value(const kit_buf *h, const char *name, size_t *len)
{
	size_t n = strlen(name);
	for (const char *line = h->p; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t line_len = end ? (size_t)(end - line) : strlen(line);
		if (line_len > n && line[n] == ':' && !strncasecmp(line, name, n)) {
			const char *v = line + n + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			*len = (size_t)(line + line_len - v);
			while (*len && (v[*len - 1] == ' ' || v[*len - 1] == '\t'))
				(*len)--;
			return v;
		}
		line = end ? end + 1 : NULL;
	}
	return NULL;
}

static int wanted_type(const warc_file *f, const char *type, size_t len)
{
	for (size_t i = 0; i < f->set->types.n; i++)
		if (strlen(f->set->types.item[i]) == len && !strncasecmp(f->set->types.item[i], type, len))
			return 1;
	return 0;
}

/* Keep a header's value as a string field, if it is UTF-8. */
static void keep_field(tm_doc *doc, const kit_buf *h, const char *header, const char *field)
{
	size_t n;
	const char *v = header_value(h, header, &n);
	if (v)
		tm_doc_set_meta_string(doc, field, v, n);
}

/* Reject what was read of a record, keeping its head and the reason. */
static int reject(warc_file *f, tm_input *in, tm_doc *doc, const char *what, const kit_buf *raw)
{
	char why[256];
	snprintf(why, sizeof why, "malformed WARC record: %s", what);
	tm_input_reject(in, doc, why, raw->p, raw->len < HEAD_BYTES ? raw->len : HEAD_BYTES);
	(void)f;
	return 1;
}

/* The payload of an HTTP response: past its status line and headers,
 * with the Content-Type they give (NULL if none). */
static const char *http_payload(const kit_buf *body, size_t *len, const char **type, size_t *type_len)
{
	*type = NULL;
	if (body->len < 5 || memcmp(body->p, "HTTP/", 5)) {
		*len = body->len;
		return body->p ? body->p : "";
	}
	const char *end = NULL;
	for (size_t i = 0; !end && i + 1 < body->len; i++)
		if (body->p[i] == '\n' && (body->p[i + 1] == '\n' ||
					   (body->p[i + 1] == '\r' && i + 2 < body->len && body->p[i + 2] == '\n')))
			end = body->p + i + (body->p[i + 1] == '\r' ? 3 : 2);
	if (!end)
		end = body->p + body->len;
	for (const char *line = body->p; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
		if (n > 13 && !strncasecmp(line, "Content-Type:", 13)) {
			*type = line + 13;
			while (**type == ' ')
				(*type)++;
			*type_len = (size_t)(line + n - *type);
			while (*type_len && ((*type)[*type_len - 1] == '\r' || (*type)[*type_len - 1] == ' '))
				(*type_len)--;
		}
		line = nl ? nl + 1 : end;
	}
	*len = (size_t)(body->p + body->len - end);
	return end;
}

static int is_text_type(const char *t, size_t n)
{
	return (n >= 5 && !strncasecmp(t, "text/", 5)) || memmem(t, n, "html", 4) || memmem(t, n, "xml", 3);
}

/* One record, its version line already in f->header: 1 (a document, kept
 * or rejected), 2 (not a document), TM_ERROR. */
static int read_record(tm_ctx *ctx, warc_file *f, tm_input *in, tm_doc *doc, unsigned long long at)
{
	int r;
	for (;;) { /* the header lines, to the empty one */
		size_t mark = f->header.len;
		kit_buf_putc(&f->header, '\n');
		if ((r = read_line(ctx, f, &f->header)) < 0)
			return TM_ERROR;
		if (r == 0) {
			tm_input_place(in, doc, at, f->header.len);
			return reject(f, in, doc, "the file ends inside its header", &f->header);
		}
		if (f->header.len == mark + 1) {
			f->header.p[--f->header.len] = 0;
			break;
		}
	}
	size_t n;
	const char *v = header_value(&f->header, "Content-Length", &n);
	char *stop = NULL;
	unsigned long long length = v && n && n < 20 ? strtoull(v, &stop, 10) : 0;
	if (!v || !n || stop != v + n || *v == '-') {
		tm_input_place(in, doc, at, f->header.len);
		return reject(f, in, doc, "no valid Content-Length", &f->header);
	}
	const char *type = header_value(&f->header, "WARC-Type", &n);
	int wanted = type && wanted_type(f, type, n);
	kit_buf_clear(&f->body);
	size_t keep = wanted ? f->max_doc + 1 : HEAD_BYTES;
	long long got = read_block(ctx, f, length, keep, &f->body);
	if (got < 0)
		return TM_ERROR;
	if (kit_buf_failed(&f->body) || kit_buf_failed(&f->header))
		return tm_fail(ctx, "%s", KIT_OOM);
	if ((unsigned long long)got < length) {
		tm_input_place(in, doc, at, f->header.len + (size_t)got);
		char what[128];
		snprintf(what, sizeof what, "the file ends inside its block, after %lld of %llu bytes", got, length);
		return reject(f, in, doc, what, &f->header);
	}
	if (!wanted)
		return 2;
	tm_input_place(in, doc, at, f->header.len + length);
	keep_field(doc, &f->header, "WARC-Record-ID", "warc_record_id");
	keep_field(doc, &f->header, "WARC-Target-URI", "url");
	keep_field(doc, &f->header, "WARC-Date", "warc_date");
	v = header_value(&f->header, "WARC-Record-ID", &n);
	if (v && n > 2 && v[0] == '<' && v[n - 1] == '>')
		v++, n -= 2;
	if (v)
		tm_doc_set_id(doc, v, n);
	if (length > f->max_doc) {
		char why[128];
		snprintf(why, sizeof why, "too large: %llu bytes, over max_document_bytes (%zu)", length, f->max_doc);
		tm_input_reject(in, doc, why, f->body.p, f->body.len < HEAD_BYTES ? f->body.len : HEAD_BYTES);
		return 1;
	}
	size_t payload_len, type_len = 0;
	const char *content_type;
	const char *payload = http_payload(&f->body, &payload_len, &content_type, &type_len);
	if (content_type)
		tm_doc_set_meta_string(doc, "content_type", content_type, type_len);
	kit_buf_clear(&f->text);
	if (f->set->text == TEXT_HTML)
		html_text(payload, payload_len, &f->text);
	else
		kit_buf_put(&f->text, payload, payload_len);
	if (kit_buf_failed(&f->text))
		return tm_fail(ctx, "%s", KIT_OOM);
	tm_doc_set_text(doc, kit_buf_str(&f->text), f->text.len);
	if (content_type && !is_text_type(content_type, type_len)) {
		char why[128];
		snprintf(why, sizeof why, "not text: %.*s", (int)(type_len < 64 ? type_len : 64), content_type);
		tm_doc_drop(doc, why);
	} else if (!f->text.len) {
		tm_doc_reject(doc, "empty document");
	}
	return 1;
}

int warc_next(tm_ctx *ctx, void *file, tm_input *in, tm_doc *doc)
{
	warc_file *f = file;
	for (;;) {
		int r = 1;
		unsigned long long at = f->pending_at;
		if (!f->pending) {
			kit_buf_clear(&f->header);
			if ((r = read_line(ctx, f, &f->header)) <= 0)
				return r;
			at = f->line;
		}
		f->pending = 0;
		if (!f->header.len)
			continue; /* the blank lines that end a record */
		if (strncmp(kit_buf_str(&f->header), "WARC/1.", 7)) {
			/* Not a record's start: reject what is there up to the next
			 * one (a damaged record, or a file that is no WARC). */
			kit_buf raw = {0};
			kit_buf_put(&raw, f->header.p, f->header.len);
			for (;;) {
				kit_buf_clear(&f->header);
				if ((r = read_line(ctx, f, &f->header)) < 0) {
					kit_buf_free(&raw);
					return TM_ERROR;
				}
				if (r == 0)
					break;
				if (!strncmp(kit_buf_str(&f->header), "WARC/1.", 7)) {
					f->pending = 1, f->pending_at = f->line;
					break;
				}
				if (raw.len < HEAD_BYTES) {
					kit_buf_putc(&raw, '\n');
					kit_buf_put(&raw, f->header.p, f->header.len);
				}
			}
			tm_input_place(in, doc, at, raw.len);
			char what[128];
			snprintf(what, sizeof what,
				 "line %llu is not a 'WARC/1.x' version line; skipped to the next record", at);
			reject(f, in, doc, what, &raw);
			kit_buf_free(&raw);
			return 1;
		}
		r = read_record(ctx, f, in, doc, at);
		if (r != 2)
			return r;
	}
}

const tm_option warc_options[] = {
	{.name = "warc_types",
	 .type = TM_OPT_LIST,
	 .default_value = "[response]",
	 .help = "the WARC-Type of the records that are documents (conversion: a WET file's text)",
	 TM_FIELD(warc_settings, types)},
	{.name = "warc_text",
	 .type = TM_OPT_ENUM,
	 .default_value = "html",
	 .choices = "html|payload",
	 .help = "a record's text: its HTML page's text, or its payload as it is",
	 TM_FIELD(warc_settings, text)},
	{0},
};
