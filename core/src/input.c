/* input.c -- reads records without copying lines: a record is parsed
 * straight out of the read buffer. zlib reads plain files transparently,
 * so one code path serves both plain and gzip input. */
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (1 << 20)
#define HEAD_BYTES 1024    /* of a document too large to read, kept for the rejects file */
#define BOM "\xEF\xBB\xBF" /* a UTF-8 byte order mark, which some editors write */

typedef enum { KIND_TXT, KIND_JSONL } file_kind;

typedef struct in_file {
	char *path;
	file_kind kind;
	int gz;
	unsigned long long start, size; /* place in the concatenated input */
	unsigned long long from, to;    /* byte range of it this shard reads */
} in_file;

/* A file or directory already taken, by device and inode: each file is
 * read once however many paths lead to it. */
/* What the seen table is keyed by: a file's identity. */
typedef struct file_id {
	dev_t dev;
	ino_t ino;
} file_id;

/* The directories being walked, innermost first: a link back to one of
 * them is a loop. */
typedef struct dir_chain {
	dev_t dev;
	ino_t ino;
	const char *path;
	const struct dir_chain *up;
} dir_chain;

struct input {
	in_file *files;
	size_t n_files, cap_files, next_file;
	unsigned long long total_bytes;
	kit_strmap seen; /* file_id -> the first path it was found by */
	tm_ctx log;      /* warnings, as "textmill: input: ..." */
	unsigned warnings;
	unsigned skipped; /* files of a kind textmill does not read */
	gzFile gz;
	const in_file *cur;
	size_t line;
	unsigned long long offset; /* of the next line in the current file */
	char *chunk;
	size_t len, pos, cap;
	int eof;
	unsigned long long limit, given; /* --limit, and the records given so far */
	size_t max_doc;                  /* max_document_bytes */
	buf head;                        /* the start of a document too large to read */
	unsigned long long too_large;    /* and its size */
};

static int kind_of(const char *path, file_kind *kind)
{
	if (kit_has_suffix(path, ".txt") || kit_has_suffix(path, ".txt.gz"))
		return *kind = KIND_TXT, 0;
	if (kit_has_suffix(path, ".jsonl") || kit_has_suffix(path, ".jsonl.gz"))
		return *kind = KIND_JSONL, 0;
	return -1;
}

#define MAX_WARNINGS 20

static void warn(input *in, const char *fmt, ...) TM_PRINTF(2, 3);
static void warn(input *in, const char *fmt, ...)
{
	if (++in->warnings > MAX_WARNINGS + 1)
		return;
	if (in->warnings > MAX_WARNINGS) {
		tm_log(&in->log, "warning: more inputs reached twice or through loops are not shown");
		return;
	}
	buf msg = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	tm_log(&in->log, "warning: %s", msg.p);
	buf_free(&msg);
}

/* A file in a folder or a glob that textmill does not read (.jsonl.zst)
 * is named, so an input that reads nothing says why; the first few. */
static void skip_unknown(input *in, const char *path)
{
	if (++in->skipped <= MAX_WARNINGS)
		tm_log(&in->log,
		       "warning: %s: unknown kind of file, skipped (textmill reads .txt, .jsonl, .txt.gz and .jsonl.gz)",
		       path);
}

/* The path by which this file or directory was first taken, or NULL when
 * it is new (it is then marked as taken, by `path`). */
static const char *seen_before(input *in, const struct stat *st, const char *path)
{
	file_id id;
	memset(&id, 0, sizeof id); /* the padding is part of the key */
	id.dev = st->st_dev, id.ino = st->st_ino;
	int added;
	uint64_t *first = kit_strmap_put(&in->seen, &id, sizeof id, &added);
	if (!first)
		buf_out_of_memory();
	if (!added)
		return (const char *)(uintptr_t)*first;
	*first = (uintptr_t)xstrdup(path);
	return NULL;
}

static void forget_seen(input *in)
{
	size_t at = 0, len;
	const char *key;
	uint64_t path;
	while (kit_strmap_next(&in->seen, &at, &key, &len, &path))
		free((char *)(uintptr_t)path);
	kit_strmap_free(&in->seen);
}

/* st is the file's stat, or NULL when there is none (stdin, or a path
 * that cannot be read, which fails when it is opened). */
static void add_file(input *in, const char *path, file_kind kind, const struct stat *st)
{
	const char *first = st ? seen_before(in, st, path) : NULL;
	if (first && !strcmp(first, path))
		warn(in, "%s is named more than once; it is read once", path);
	else if (first)
		warn(in, "%s is the same file as %s; it is read once", path, first);
	if (first)
		return;
	if (in->n_files == in->cap_files) {
		in->cap_files = in->cap_files ? in->cap_files * 2 : 16;
		in->files = xrealloc(in->files, in->cap_files * sizeof *in->files);
	}
	in_file *f = &in->files[in->n_files++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->kind = kind;
	f->gz = kit_has_suffix(path, ".gz");
	if (st)
		f->size = (unsigned long long)st->st_size;
	f->start = in->total_bytes;
	f->to = ULLONG_MAX; /* all of it, unless a shard cuts it */
	in->total_bytes += f->size;
}

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every readable file under dir, in name order, recursively; a directory
 * already walked (reached again through a link) is not walked again. */
static int add_dir(input *in, const char *dir, const struct stat *st, const dir_chain *up, buf *err)
{
	const char *first = seen_before(in, st, dir);
	if (first) {
		const dir_chain *a = up;
		while (a && (a->dev != st->st_dev || a->ino != st->st_ino))
			a = a->up;
		if (a)
			warn(in, "%s leads back to %s (a loop of links); not followed", dir, a->path);
		else
			warn(in, "%s is the same directory as %s; it is read once", dir, first);
		return 0;
	}
	dir_chain here = {st->st_dev, st->st_ino, dir, up};
	DIR *d = opendir(dir);
	if (!d) {
		buf_printf(err, "%s: %s", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (n) /* qsort wants an array, even of nothing */
		qsort(names, n, sizeof *names, cmp_name);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		file_kind kind;
		struct stat sub;
		if (!rc && stat(names[i], &sub) == 0) {
			if (S_ISDIR(sub.st_mode))
				rc = add_dir(in, names[i], &sub, &here, err);
			else if (kind_of(names[i], &kind) == 0)
				add_file(in, names[i], kind, &sub);
			else
				skip_unknown(in, names[i]);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static int add_path(input *in, const char *path, const char *where, buf *err)
{
	file_kind kind;
	struct stat st;
	if (!strcmp(path, "-")) {
		add_file(in, "-", KIND_JSONL, NULL);
		return 0;
	}
	if (strpbrk(path, "*?[")) {
		glob_t g;
		int r = glob(path, 0, NULL, &g);
		if (r == GLOB_NOMATCH) {
			buf_printf(err, "%s: no files match '%s'", where, path);
			return -1;
		}
		if (r) {
			buf_printf(err, "%s: cannot expand '%s'", where, path);
			return -1;
		}
		int rc = 0;
		for (size_t i = 0; !rc && i < g.gl_pathc; i++) {
			const char *p = g.gl_pathv[i];
			int found = stat(p, &st) == 0;
			if (found && S_ISDIR(st.st_mode))
				rc = add_dir(in, p, &st, NULL, err);
			else if (kind_of(p, &kind) == 0)
				add_file(in, p, kind, found ? &st : NULL);
			else
				skip_unknown(in, p);
		}
		globfree(&g);
		return rc;
	}
	if (stat(path, &st)) {
		buf_printf(err, "%s: input %s: %s", where, path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return add_dir(in, path, &st, NULL, err);
	if (kind_of(path, &kind)) {
		buf_printf(err,
			   "%s: input %s: unknown kind of file (textmill reads .txt, .jsonl, "
			   ".txt.gz and .jsonl.gz)",
			   where, path);
		return -1;
	}
	add_file(in, path, kind, &st);
	return 0;
}

/* total * k / n, rounded down, without the product overflowing. */
static unsigned long long share(unsigned long long total, unsigned long long k, unsigned n)
{
	return total / n * k + total % n * k / n;
}

/* Keep this shard's part of the input. The files, in order, are seen as one
 * stream of bytes cut into `count` equal ranges; a record belongs to the
 * range holding its first byte. A text file or a gzip file is one unit
 * (its first byte decides); a plain JSON Lines file can be cut between
 * lines. So the shards, concatenated in order, are the whole input. */
static int shard(input *in, unsigned index, unsigned count, buf *err)
{
	unsigned long long lo = share(in->total_bytes, index, count);
	unsigned long long hi = share(in->total_bytes, (unsigned long long)index + 1, count);
	size_t kept = 0;
	for (size_t i = 0; i < in->n_files; i++) {
		in_file *f = &in->files[i];
		if (!strcmp(f->path, "-")) {
			buf_puts(err, "--shard cannot split standard input; give files");
			return -1;
		}
		int whole = f->kind == KIND_TXT || f->gz || f->size == 0;
		unsigned long long end = f->start + f->size;
		if (whole ? (f->start < lo || f->start >= hi) : (end <= lo || f->start >= hi)) {
			free(f->path);
			continue;
		}
		if (!whole) {
			f->from = lo > f->start ? lo - f->start : 0;
			f->to = hi < end ? hi - f->start : f->size;
		}
		in->files[kept++] = *f;
	}
	in->n_files = kept;
	return 0;
}

input *input_open(const pipeline_conf *pc, buf *err)
{
	input *in = xcalloc(1, sizeof *in);
	in->cap = CHUNK;
	in->chunk = xmalloc(in->cap + 1);
	in->max_doc = pc->max_document_bytes;
	in->limit = pc->limit;
	ctx_init(&in->log, "input", "input", 0, 1, pc->quiet);
	if (pc->input_stdin) {
		if (pc->shard_count > 1) {
			buf_puts(err, "--shard cannot split standard input; give files");
			input_close(in);
			return NULL;
		}
		add_file(in, "-", KIND_JSONL, NULL);
		return in;
	}
	const char *where = tm_opt_where(pc->input, "paths");
	size_t n = tm_opt_list_len(pc->input, "paths");
	for (size_t i = 0; i < n; i++) {
		/* Relative paths are relative to the config file, like all its paths. */
		const char *p = tm_opt_list_item(pc->input, "paths", i);
		char *full = p[0] == '/' || !strcmp(p, "-") || !strcmp(pc->dir, ".") ? xstrdup(p)
										     : xasprintf("%s/%s", pc->dir, p);
		int rc = add_path(in, full, where, err);
		free(full);
		if (rc) {
			input_close(in);
			return NULL;
		}
	}
	forget_seen(in);
	if (in->skipped > MAX_WARNINGS)
		tm_log(&in->log, "warning: %u more files of unknown kinds skipped", in->skipped - MAX_WARNINGS);
	if (pc->shard_count > 1 && shard(in, pc->shard_index, pc->shard_count, err)) {
		input_close(in);
		return NULL;
	}
	return in;
}

size_t input_file_count(const input *in) { return in->n_files; }
unsigned long long input_total_bytes(const input *in) { return in->total_bytes; }

static int open_next(input *in, buf *err)
{
	if (in->gz) {
		gzclose(in->gz);
		in->gz = NULL;
	}
	if (in->next_file >= in->n_files)
		return 0;
	in->cur = &in->files[in->next_file++];
	in->gz = !strcmp(in->cur->path, "-") ? gzdopen(dup(STDIN_FILENO), "rb") : gzopen(in->cur->path, "rb");
	if (!in->gz) {
		buf_printf(err, "cannot open %s: %s", !strcmp(in->cur->path, "-") ? "stdin" : in->cur->path,
			   strerror(errno));
		return -1;
	}
	gzbuffer(in->gz, 1 << 17);
	if (in->cap > CHUNK) { /* a long document before: give its room back */
		in->cap = CHUNK;
		in->chunk = xrealloc(in->chunk, in->cap + 1);
	}
	in->line = 0;
	in->offset = 0;
	in->len = in->pos = 0;
	in->eof = 0;
	return 1;
}

static const char *cur_name(const input *in) { return strcmp(in->cur->path, "-") ? in->cur->path : "stdin"; }

/* Append what the file has, as far as the chunk has room. The chunk grows
 * only while it is full, and to max_doc and a line end at most: a longer
 * document is passed over, never held. */
static int fill(input *in, buf *err)
{
	if (in->len == in->cap) {
		/* Double, but to no more than a document of max_doc and its line
		 * end: callers pass a longer one over before the chunk is full. */
		size_t most = in->max_doc + 2;
		in->cap = in->cap < most && 2 * in->cap > most ? most : 2 * in->cap;
		in->chunk = xrealloc(in->chunk, in->cap + 1);
	}
	size_t room = in->cap - in->len;
	if (room > INT_MAX)
		room = INT_MAX; /* gzread answers in an int */
	int n = gzread(in->gz, in->chunk + in->len, (unsigned)room);
	if (n < 0) {
		int code;
		const char *msg = gzerror(in->gz, &code);
		buf_printf(err, "cannot read %s: %s", cur_name(in), code == Z_ERRNO ? strerror(errno) : msg);
		return -1;
	}
	if (n == 0) {
		/* zlib reports a gzip stream cut short only here, at the end. */
		int code;
		const char *msg = gzerror(in->gz, &code);
		if (code != Z_OK && code != Z_STREAM_END) {
			buf_printf(err, "cannot read %s (a damaged or truncated gzip file?)",
				   msg); /* zlib names the file */
			return -1;
		}
		in->eof = 1;
	}
	in->len += (size_t)n;
	return 0;
}

/* Read on to the end of the line (or of the file) without keeping it,
 * adding its bytes to *size; 1 if a newline ended it, 0 if the file did. */
static int skip_line(input *in, unsigned long long *size, buf *err)
{
	for (;;) {
		char *start = in->chunk + in->pos;
		char *nl = memchr(start, '\n', in->len - in->pos);
		if (nl) {
			*size += (size_t)(nl - start);
			in->pos = (size_t)(nl - in->chunk) + 1;
			return 1;
		}
		*size += in->len - in->pos;
		in->len = in->pos = 0;
		if (in->eof)
			return 0;
		if (fill(in, err))
			return -1;
	}
}

/* Keep the first bytes of a document too large to read, whole characters. */
static void keep_head(input *in, const char *s, size_t len)
{
	size_t n = len < HEAD_BYTES ? len : HEAD_BYTES;
	size_t ok = utf8_valid_prefix(s, n);
	if (n - ok < 4)
		n = ok;
	buf_clear(&in->head);
	buf_put(&in->head, s, n);
}

static size_t bom_length(const char *s, size_t len) { return len >= 3 && !memcmp(s, BOM, 3) ? 3 : 0; }

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

static void base_id(tm_doc *doc, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t n = strlen(base);
	if (kit_has_suffix(base, ".gz"))
		n -= 3;
	if (n >= 4 && !memcmp(base + n - 4, ".txt", 4))
		n -= 4;
	else if (n >= 6 && !memcmp(base + n - 6, ".jsonl", 6))
		n -= 6;
	doc_set_id(doc, base, n);
}

/* A document over max_document_bytes: rejected with its size, and its
 * first bytes kept for the rejects file. It was never held whole. */
static void reject_too_large(input *in, tm_doc *doc, buf *raw)
{
	buf_clear(raw);
	buf_put(raw, in->head.p, in->head.len);
	doc->bytes = in->too_large;
	buf_clear(&doc->text);
	buf_clear(&doc->scratch);
	buf_printf(&doc->scratch, "too large: %llu bytes, over max_document_bytes (%zu)", in->too_large, in->max_doc);
	tm_doc_reject(doc, doc->scratch.p);
}

static int read_text_file(input *in, tm_doc *doc, buf *raw, buf *err)
{
	while (!in->eof && in->len <= in->max_doc)
		if (fill(in, err))
			return -1;
	doc_set_source(doc, cur_name(in), 0);
	base_id(doc, in->cur->path);
	if (in->len > in->max_doc) {
		keep_head(in, in->chunk, in->len);
		in->too_large = in->len;
		while (!in->eof) { /* count the rest, keep none of it */
			in->len = 0;
			if (fill(in, err))
				return -1;
			in->too_large += in->len;
		}
		in->len = in->pos = 0;
		reject_too_large(in, doc, raw);
		return 1;
	}
	size_t bom = bom_length(in->chunk, in->len);
	buf_put(&doc->text, in->chunk + bom, in->len - bom);
	doc->bytes = in->len;
	doc->unchecked = 1; /* a stage that takes bytes may still convert it */
	if (blank(doc->text.p, doc->text.len))
		tm_doc_reject(doc, "empty document");
	in->len = in->pos = 0;
	return 1;
}

/* The next line of the current JSON Lines file, without its line end: 1;
 * or 2 for a line longer than max_doc, passed over without being held (its
 * size in in->too_large, its start in in->head); 0 at the end of the file,
 * -1 on an error. */
static int next_line(input *in, const char **line, size_t *len, buf *err)
{
	for (;;) {
		char *start = in->chunk + in->pos;
		size_t avail = in->len - in->pos;
		char *nl = memchr(start, '\n', avail);
		int whole = nl || (in->eof && avail);
		if (!whole && avail <= in->max_doc + 1) {
			if (in->eof)
				return 0;
			if (in->pos) { /* keep the partial line, drop what was consumed */
				memmove(in->chunk, start, avail);
				in->len = avail;
				in->pos = 0;
			}
			if (fill(in, err))
				return -1;
			continue;
		}
		unsigned long long at = in->offset, size = 0;
		int ended = nl != NULL;
		if (whole) {
			size = nl ? (size_t)(nl - start) : avail;
			in->pos += size + ended;
		} else {
			keep_head(in, start, avail);
			if ((ended = skip_line(in, &size, err)) < 0)
				return -1;
		}
		in->line++;
		in->offset += size + ended;
		if (at < in->cur->from)
			continue; /* before this shard's part: count the line, skip it */
		if (at >= in->cur->to) {
			in->eof = 1, in->pos = in->len; /* past it: this file is done */
			return 0;
		}
		size_t n = (size_t)size;
		if (whole && n && start[n - 1] == '\r')
			n--;
		if (!whole || n > in->max_doc) {
			if (whole)
				keep_head(in, start, n);
			in->too_large = n;
			return 2;
		}
		size_t bom = at == 0 ? bom_length(start, n) : 0;
		*line = start + bom, *len = n - bom;
		return 1;
	}
}

/* Name a record too large to read by its id, when its start holds one. */
static void id_from_head(input *in, tm_doc *doc)
{
	buf why = {0};
	doc_from_json(doc, in->head.p, in->head.len, &why); /* fails: it is cut short */
	buf_free(&why);
	doc->n_meta = doc->n_ents = 0;
}

static int read_next(input *in, tm_doc *doc, buf *raw, buf *err);

/* --limit ends the input after its first N records, as if it were shorter:
 * the run finishes and commits as it does at the end of its files. */
int input_next(input *in, tm_doc *doc, buf *raw, buf *err)
{
	if (in->limit && in->given >= in->limit)
		return 0;
	int r = read_next(in, doc, raw, err);
	in->given += r > 0;
	return r;
}

static int read_next(input *in, tm_doc *doc, buf *raw, buf *err)
{
	for (;;) {
		if (!in->gz || (in->cur->kind == KIND_TXT && in->eof)) {
			int r = open_next(in, err);
			if (r <= 0)
				return r;
		}
		doc_reset(doc);
		buf_clear(raw);
		if (in->cur->kind == KIND_TXT)
			return read_text_file(in, doc, raw, err);
		const char *line;
		size_t len;
		int r = next_line(in, &line, &len, err);
		if (r < 0)
			return -1;
		if (r == 0) {
			gzclose(in->gz);
			in->gz = NULL;
			continue;
		}
		if (r == 1 && blank(line, len))
			continue;
		doc_set_source(doc, cur_name(in), in->line);
		if (r == 2) {
			id_from_head(in, doc);
			reject_too_large(in, doc, raw);
		} else {
			doc->bytes = len + 1;
			buf why_msg = {0};
			if (doc_from_json(doc, line, len, &why_msg)) {
				buf_put(raw, line, len);
				tm_doc_reject(doc, why_msg.p);
			} else if (blank(doc->text.p, doc->text.len)) {
				tm_doc_reject(doc, "empty document");
			}
			buf_free(&why_msg);
		}
		if (!*doc->id) {
			/* No id in the record: name it after its place. */
			buf_clear(&doc->scratch);
			base_id(doc, in->cur->path);
			buf_printf(&doc->scratch, "%s:%zu", doc->id, in->line);
			doc->id = arena_strndup(&doc->mem, doc->scratch.p, doc->scratch.len);
		}
		return 1;
	}
}

void input_close(input *in)
{
	if (!in)
		return;
	if (in->gz)
		gzclose(in->gz);
	for (size_t i = 0; i < in->n_files; i++)
		free(in->files[i].path);
	free(in->files);
	forget_seen(in);
	ctx_free(&in->log);
	free(in->chunk);
	buf_free(&in->head);
	free(in);
}
