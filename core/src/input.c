/* input.c -- reads records without copying lines: a record is parsed
 * straight out of the read buffer. zlib reads plain files transparently,
 * so one code path serves both plain and gzip input. */
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (1 << 20)

typedef enum { KIND_TXT, KIND_JSONL } file_kind;

typedef struct in_file {
	char *path;
	file_kind kind;
	int gz;
	unsigned long long start, size;  /* place in the concatenated input */
	unsigned long long from, to;     /* byte range of it this shard reads */
} in_file;

struct input {
	in_file *files;
	size_t n_files, cap_files, next_file;
	unsigned long long total_bytes;
	gzFile gz;
	const in_file *cur;
	size_t line;
	unsigned long long offset;  /* of the next line in the current file */
	char *chunk;
	size_t len, pos, cap;
	int eof;
};

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static int kind_of(const char *path, file_kind *kind)
{
	if (has_suffix(path, ".txt") || has_suffix(path, ".txt.gz"))
		return *kind = KIND_TXT, 0;
	if (has_suffix(path, ".jsonl") || has_suffix(path, ".jsonl.gz"))
		return *kind = KIND_JSONL, 0;
	return -1;
}

static void add_file(input *in, const char *path, file_kind kind)
{
	if (in->n_files == in->cap_files) {
		in->cap_files = in->cap_files ? in->cap_files * 2 : 16;
		in->files = xrealloc(in->files, in->cap_files * sizeof *in->files);
	}
	in_file *f = &in->files[in->n_files++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->kind = kind;
	f->gz = has_suffix(path, ".gz");
	struct stat st;
	if (strcmp(path, "-") && stat(path, &st) == 0)
		f->size = (unsigned long long)st.st_size;
	f->start = in->total_bytes;
	f->to = ULLONG_MAX;  /* all of it, unless a shard cuts it */
	in->total_bytes += f->size;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every readable file under dir, in name order, recursively. */
static int add_dir(input *in, const char *dir, buf *err)
{
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
	qsort(names, n, sizeof *names, cmp_name);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		file_kind kind;
		if (!rc && stat(names[i], &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = add_dir(in, names[i], err);
			else if (kind_of(names[i], &kind) == 0)
				add_file(in, names[i], kind);
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
		add_file(in, "-", KIND_JSONL);
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
			if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
				rc = add_dir(in, p, err);
			else if (kind_of(p, &kind) == 0)
				add_file(in, p, kind);
		}
		globfree(&g);
		return rc;
	}
	if (stat(path, &st)) {
		buf_printf(err, "%s: input %s: %s", where, path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return add_dir(in, path, err);
	if (kind_of(path, &kind)) {
		buf_printf(err, "%s: input %s: unknown kind of file (textmill reads .txt, .jsonl, "
			   ".txt.gz and .jsonl.gz)", where, path);
		return -1;
	}
	add_file(in, path, kind);
	return 0;
}

/* Keep this shard's part of the input. The files, in order, are seen as one
 * stream of bytes cut into `count` equal ranges; a record belongs to the
 * range holding its first byte. A text file or a gzip file is one unit
 * (its first byte decides); a plain JSON Lines file can be cut between
 * lines. So the shards, concatenated in order, are the whole input. */
static int shard(input *in, unsigned index, unsigned count, buf *err)
{
	unsigned long long lo = in->total_bytes * index / count, hi = in->total_bytes * (index + 1) / count;
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
	if (pc->input_stdin) {
		if (pc->shard_count > 1) {
			buf_puts(err, "--shard cannot split standard input; give files");
			input_close(in);
			return NULL;
		}
		add_file(in, "-", KIND_JSONL);
		return in;
	}
	const char *where = tm_opt_where(pc->input, "paths");
	size_t n = tm_opt_list_len(pc->input, "paths");
	for (size_t i = 0; i < n; i++) {
		/* Relative paths are relative to the config file, like all its paths. */
		const char *p = tm_opt_list_item(pc->input, "paths", i);
		char *full = p[0] == '/' || !strcmp(p, "-") || !strcmp(pc->dir, ".")
				     ? xstrdup(p) : xasprintf("%s/%s", pc->dir, p);
		int rc = add_path(in, full, where, err);
		free(full);
		if (rc) {
			input_close(in);
			return NULL;
		}
	}
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
	in->line = 0;
	in->offset = 0;
	in->len = in->pos = 0;
	in->eof = 0;
	return 1;
}

static const char *cur_name(const input *in)
{
	return strcmp(in->cur->path, "-") ? in->cur->path : "stdin";
}

/* Append up to `room` bytes from the file to the chunk. */
static int fill(input *in, buf *err)
{
	if (in->len == in->cap) {
		in->cap *= 2;
		in->chunk = xrealloc(in->chunk, in->cap + 1);
	}
	int n = gzread(in->gz, in->chunk + in->len, (unsigned)(in->cap - in->len));
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
			buf_printf(err, "cannot read %s (a damaged or truncated gzip file?)", msg);  /* zlib names the file */
			return -1;
		}
		in->eof = 1;
	}
	in->len += (size_t)n;
	return 0;
}

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
	if (has_suffix(base, ".gz"))
		n -= 3;
	if (n >= 4 && !memcmp(base + n - 4, ".txt", 4))
		n -= 4;
	else if (n >= 6 && !memcmp(base + n - 6, ".jsonl", 6))
		n -= 6;
	doc_set_id(doc, base, n);
}

static int read_text_file(input *in, tm_doc *doc, buf *err)
{
	while (!in->eof)
		if (fill(in, err))
			return -1;
	doc_set_source(doc, cur_name(in), 0);
	base_id(doc, in->cur->path);
	buf_put(&doc->text, in->chunk, in->len);
	doc->bytes = in->len;
	doc->unchecked = 1;  /* a stage that takes bytes may still convert it */
	if (blank(in->chunk, in->len))
		tm_doc_reject(doc, "empty document");
	in->len = in->pos = 0;
	return 1;
}

/* The next line of the current JSON Lines file, without its newline. */
static int next_line(input *in, const char **line, size_t *len, buf *err)
{
	for (;;) {
		char *start = in->chunk + in->pos;
		char *nl = memchr(start, '\n', in->len - in->pos);
		if (nl || (in->eof && in->pos < in->len)) {
			size_t n = nl ? (size_t)(nl - start) : in->len - in->pos;
			in->pos += n + (nl != NULL);
			in->line++;
			unsigned long long at = in->offset;
			in->offset += n + (nl != NULL);
			if (at < in->cur->from)
				continue;  /* before this shard's part: count the line, skip it */
			if (at >= in->cur->to) {
				in->eof = 1, in->pos = in->len;  /* past it: this file is done */
				return 0;
			}
			if (n && start[n - 1] == '\r')
				n--;
			*line = start, *len = n;
			return 1;
		}
		if (in->eof)
			return 0;
		if (in->pos) {  /* keep the partial line, drop what was consumed */
			memmove(in->chunk, in->chunk + in->pos, in->len - in->pos);
			in->len -= in->pos;
			in->pos = 0;
		}
		if (fill(in, err))
			return -1;
	}
}

int input_next(input *in, tm_doc *doc, buf *raw, buf *err)
{
	for (;;) {
		if (!in->gz || (in->cur->kind == KIND_TXT && in->eof)) {
			int r = open_next(in, err);
			if (r <= 0)
				return r;
		}
		doc_reset(doc);
		if (in->cur->kind == KIND_TXT)
			return read_text_file(in, doc, err);
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
		if (blank(line, len))
			continue;
		doc_set_source(doc, cur_name(in), in->line);
		doc->bytes = len + 1;
		buf_clear(raw);
		buf why_msg = {0};
		if (doc_from_json(doc, line, len, &why_msg)) {
			buf_put(raw, line, len);
			tm_doc_reject(doc, why_msg.p);
		} else if (blank(doc->text.p, doc->text.len)) {
			tm_doc_reject(doc, "empty document");
		}
		buf_free(&why_msg);
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
	free(in->chunk);
	free(in);
}
