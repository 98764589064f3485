/* input.c -- from the configured paths to documents: globs and folders
 * expanded into a sorted list of files, a reader chosen for each file (by
 * its name's ending, else by its first bytes), a shard's part of them, and
 * the records the readers give, counted against --limit. The readers are
 * plugins (TM_STAGE_INPUT); tm_input is what they see of a file. */
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SNIFF_BYTES 512 /* of a file no reader claims by name, shown to sniff() */

typedef struct in_reader {
	const stage_conf *conf;
	tm_ctx ctx;
	void *state;
	int created;
} in_reader;

typedef struct in_file {
	char *path;
	in_reader *reader;
	size_t ending;                  /* length of the name's ending the reader took it by */
	unsigned long long start, size; /* place in the concatenated input */
	unsigned long long from, to;    /* byte range of it this shard reads */
} in_file;

/* What the seen table is keyed by: a file's identity. Each file is read
 * once however many paths lead to it. */
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

/* A reader's view of the file it reads and of the record it gives. */
struct tm_input {
	const in_file *file;
	const char *name; /* for sources: "stdin" for "-" */
	size_t max_doc;
	buf *raw; /* the record's bytes, for the rejects file */
	unsigned long long line;
	int placed;
};

struct input {
	in_reader *readers; /* the configured type first */
	size_t n_readers;
	buf endings; /* every reader's, for messages */
	in_file *files;
	size_t n_files, cap_files, next_file;
	unsigned long long total_bytes;
	kit_strmap seen; /* file_id -> the first path it was found by */
	tm_ctx log;      /* warnings, as "textmill: input: ..." */
	unsigned warnings;
	unsigned skipped; /* files of a kind no reader reads */
	const in_file *cur;
	void *file; /* the current file, as its reader opened it */
	tm_input io;
	unsigned long long limit, given; /* --limit, and the records given so far */
	size_t max_doc;                  /* max_document_bytes */
	int may_wait;                    /* stdin, a pipe or a device among the files */
};

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

/* A file in a folder or a glob that no reader takes (a .parquet) is
 * named, so an input that reads nothing says why; the first few. */
static void skip_unknown(input *in, const char *path)
{
	if (++in->skipped <= MAX_WARNINGS)
		tm_log(&in->log, "warning: %s: unknown kind of file, skipped (textmill reads %s)", path,
		       in->endings.p);
}

static int ends_in(const char *path, const char *endings, size_t *len)
{
	int found = 0;
	for (const char *e = endings; e && *e;) {
		size_t n = strcspn(e, " ");
		if (n && strlen(path) > n && !memcmp(path + strlen(path) - n, e, n) && n > *len)
			*len = n, found = 1;
		e += n + (e[n] == ' ');
	}
	return found;
}

/* The reader of a file: the one with the longest ending of its name (the
 * configured type first, so it wins a tie); else the first whose sniff()
 * takes the file's first bytes; NULL if none does. */
static in_reader *reader_for(input *in, const char *path, size_t *ending)
{
	in_reader *best = NULL;
	*ending = 0;
	for (size_t i = 0; i < in->n_readers; i++)
		if (ends_in(path, in->readers[i].conf->entry->type.extensions, ending))
			best = &in->readers[i];
	if (best)
		return best;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	unsigned char head[SNIFF_BYTES];
	ssize_t n = read(fd, head, sizeof head);
	close(fd);
	for (size_t i = 0; n > 0 && i < in->n_readers; i++) {
		int (*sniff)(const unsigned char *, size_t) = in->readers[i].conf->entry->type.sniff;
		if (sniff && sniff(head, (size_t)n))
			return &in->readers[i];
	}
	return NULL;
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
static void add_file(input *in, const char *path, in_reader *reader, size_t ending, const struct stat *st)
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
	if (!st || !S_ISREG(st->st_mode))
		in->may_wait = 1;
	in_file *f = &in->files[in->n_files++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->reader = reader;
	f->ending = ending;
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
		struct stat sub;
		in_reader *reader;
		size_t ending;
		if (!rc && stat(names[i], &sub) == 0) {
			if (S_ISDIR(sub.st_mode))
				rc = add_dir(in, names[i], &sub, &here, err);
			else if ((reader = reader_for(in, names[i], &ending)))
				add_file(in, names[i], reader, ending, &sub);
			else
				skip_unknown(in, names[i]);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* The reader of standard input: the first that takes no files by name or
 * content (the configured type first). */
static in_reader *stdin_reader(input *in)
{
	for (size_t i = 0; i < in->n_readers; i++) {
		const tm_stage_type *t = &in->readers[i].conf->entry->type;
		if (!t->extensions && !t->sniff)
			return &in->readers[i];
	}
	return NULL;
}

static int add_path(input *in, const char *path, const char *where, buf *err)
{
	struct stat st;
	in_reader *reader;
	size_t ending;
	if (!strcmp(path, "-")) {
		if (!(reader = stdin_reader(in))) {
			buf_printf(err, "%s: no input reader reads standard input", where);
			return -1;
		}
		add_file(in, "-", reader, 0, NULL);
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
			else if ((reader = reader_for(in, p, &ending)))
				add_file(in, p, reader, ending, found ? &st : NULL);
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
	if (!(reader = reader_for(in, path, &ending))) {
		buf_printf(err, "%s: input %s: unknown kind of file (textmill reads %s)", where, path, in->endings.p);
		return -1;
	}
	add_file(in, path, reader, ending, &st);
	return 0;
}

/* total * k / n, rounded down, without the product overflowing. */
static unsigned long long share(unsigned long long total, unsigned long long k, unsigned n)
{
	return total / n * k + total % n * k / n;
}

/* Keep this shard's part of the input. The files, in order, are seen as one
 * stream of bytes cut into `count` equal ranges; a record belongs to the
 * range holding its first byte. A file is one unit (its first byte
 * decides) unless its reader can start inside it (`splits`: a plain JSON
 * Lines file, cut between lines). So the shards, concatenated in order,
 * are the whole input. */
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
		size_t splits = 0;
		int whole = !ends_in(f->path, f->reader->conf->entry->type.splits, &splits) || f->size == 0;
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

/* The readers, the configured type first; each one's instance is made
 * now, so a reader's bad option fails the run before anything is read. */
static int create_readers(input *in, const pipeline_conf *pc, buf *err)
{
	in->readers = xcalloc(pc->n_readers, sizeof *in->readers);
	for (int configured = 1; configured >= 0; configured--)
		for (size_t i = 0; i < pc->n_readers; i++) {
			const stage_conf *c = &pc->readers[i];
			if ((c->entry == pc->reader) != configured)
				continue;
			in_reader *r = &in->readers[in->n_readers++];
			r->conf = c;
			ctx_init(&r->ctx, c->entry->type.name, c->label, 0, 1, pc->quiet);
			r->created = 1; /* destroy() follows a failed create() too */
			if (c->entry->type.create(&r->ctx, c->opts, &r->state) ||
			    options_check_reads(c->opts, &r->ctx.error)) {
				buf_printf(err, "input reader %s: %s", c->entry->type.name,
					   r->ctx.error.p ? r->ctx.error.p : "failed");
				return -1;
			}
			const char *e = c->entry->type.extensions;
			while (e && *e) {
				size_t n = strcspn(e, " ");
				if (n)
					buf_printf(&in->endings, "%s%.*s", in->endings.len ? ", " : "", (int)n, e);
				e += n + (e[n] == ' ');
			}
		}
	return 0;
}

input *input_open(const pipeline_conf *pc, buf *err)
{
	input *in = xcalloc(1, sizeof *in);
	in->max_doc = pc->max_document_bytes;
	in->limit = pc->limit;
	ctx_init(&in->log, "input", "input", 0, 1, pc->quiet);
	if (create_readers(in, pc, err)) {
		input_close(in);
		return NULL;
	}
	if (pc->input_stdin) {
		if (pc->shard_count > 1) {
			buf_puts(err, "--shard cannot split standard input; give files");
			input_close(in);
			return NULL;
		}
		add_file(in, "-", stdin_reader(in), 0, NULL);
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
int input_may_wait(const input *in) { return in->may_wait; }

/* ---- what a reader sees ------------------------------------------------ */

const char *tm_input_path(const tm_input *io) { return io->file->path; }

void tm_input_range(const tm_input *io, unsigned long long *from, unsigned long long *to)
{
	*from = io->file->from;
	*to = io->file->to;
}

size_t tm_input_max_bytes(const tm_input *io) { return io->max_doc; }

void tm_input_place(tm_input *io, tm_doc *doc, unsigned long long line, unsigned long long bytes)
{
	doc_set_source(doc, io->name, (size_t)line);
	doc->bytes = (size_t)bytes;
	io->line = line;
	io->placed = 1;
}

int tm_input_json(tm_input *io, tm_doc *doc, const char *rec, size_t len, const char *id_key, const char *text_key)
{
	buf why = {0};
	int rc = doc_from_json_keys(doc, rec, len, id_key ? id_key : "id", text_key ? text_key : "text", &why);
	if (rc) {
		buf_clear(io->raw);
		buf_put(io->raw, rec, len);
		tm_doc_reject(doc, why.p);
	} else {
		doc->unchecked = 0; /* the scanner checked every string */
	}
	buf_free(&why);
	return rc ? TM_ERROR : TM_OK;
}

/* It replaces what tm_input_json made of a record but its id, so a record
 * too large to read is named by the id its start holds. */
void tm_input_reject(tm_input *io, tm_doc *doc, const char *reason, const void *raw, size_t len)
{
	buf_clear(io->raw);
	buf_put(io->raw, raw, len);
	buf_clear(&doc->text);
	doc->n_meta = doc->n_ents = 0;
	doc->verdict = TM_KEEP;
	tm_doc_reject(doc, reason);
}

/* ---- reading ------------------------------------------------------------ */

static void close_file(input *in)
{
	if (in->file && in->cur->reader->conf->entry->type.close)
		in->cur->reader->conf->entry->type.close(in->file);
	in->file = NULL;
	in->cur = NULL;
}

/* The reader's message, which names the file, or one that does. */
static void reader_error(input *in, const char *what, buf *err)
{
	in_reader *r = in->cur->reader;
	if (r->ctx.error.len)
		buf_puts(err, r->ctx.error.p);
	else
		buf_printf(err, "input reader %s could not %s %s", r->conf->entry->type.name, what, in->io.name);
	buf_clear(&r->ctx.error);
}

static int open_next(input *in, buf *err)
{
	close_file(in);
	if (in->next_file >= in->n_files)
		return 0;
	in->cur = &in->files[in->next_file++];
	in_reader *r = in->cur->reader;
	in->io.file = in->cur;
	in->io.name = strcmp(in->cur->path, "-") ? in->cur->path : "stdin";
	in->io.max_doc = in->max_doc;
	if (r->conf->entry->type.open(&r->ctx, r->state, &in->io, &in->file)) {
		reader_error(in, "open", err);
		close_file(in);
		return -1;
	}
	return 1;
}

/* A record without an id is named after its place: the file's name
 * without the ending its reader took it by, and the line. */
static void id_from_place(input *in, tm_doc *doc)
{
	const char *path = in->cur->path;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t n = strlen(base);
	n -= in->cur->ending <= n ? in->cur->ending : 0;
	buf_clear(&doc->scratch);
	buf_put(&doc->scratch, base, n);
	if (in->io.line)
		buf_printf(&doc->scratch, ":%llu", in->io.line);
	doc->id = arena_strndup(&doc->mem, doc->scratch.p, doc->scratch.len);
}

static int read_next(input *in, tm_doc *doc, buf *raw, buf *err)
{
	for (;;) {
		if (!in->cur) {
			int r = open_next(in, err);
			if (r <= 0)
				return r;
		}
		doc_reset(doc);
		buf_clear(raw);
		in->io.raw = raw;
		in->io.line = 0;
		in->io.placed = 0;
		doc->unchecked = 1; /* unless tm_input_json read it */
		in_reader *r = in->cur->reader;
		int got = r->conf->entry->type.next(&r->ctx, in->file, &in->io, doc);
		if (got < 0) {
			reader_error(in, "read", err);
			close_file(in);
			return -1;
		}
		if (got == 0) {
			close_file(in);
			continue;
		}
		if (!in->io.placed)
			tm_input_place(&in->io, doc, 0, doc->text.len);
		if (!*doc->id)
			id_from_place(in, doc);
		return 1;
	}
}

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

void input_close(input *in)
{
	if (!in)
		return;
	if (in->cur)
		close_file(in);
	for (size_t i = 0; i < in->n_files; i++)
		free(in->files[i].path);
	free(in->files);
	forget_seen(in);
	for (size_t i = 0; i < in->n_readers; i++) {
		in_reader *r = &in->readers[i];
		if (r->created && r->conf->entry->type.destroy)
			r->conf->entry->type.destroy(r->state);
		ctx_free(&r->ctx);
	}
	free(in->readers);
	buf_free(&in->endings);
	ctx_free(&in->log);
	free(in);
}
