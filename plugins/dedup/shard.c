/* shard.c -- the dedup stages' files in a sharded run: paths in the stage's
 * folder, and the lists of decisions from the merge to phase 3. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shard.h"

char *dd_shard_path(const tm_ctx *ctx, const char *name, unsigned shard, const char *ext)
{
	char *p = NULL;
	if (asprintf(&p, "%s/%s-%05u.%s", tm_global_dir(ctx), name, shard, ext) < 0)
		return NULL;
	return p;
}

int dd_shard_refuse(tm_ctx *ctx, const tm_options *opts, const char *option, const char *why)
{
	if (tm_global_mode(ctx) == TM_GLOBAL_OFF || !tm_opt_string(opts, option))
		return TM_OK;
	return tm_fail(ctx, "%s: %s: is not available in a sharded run: %s", tm_opt_where(opts, option), option, why);
}

/* ---- reading ------------------------------------------------------------------ */

/* Undo the escapes of one field in place; its new length. */
static size_t unescape(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < n) {
			c = s[++i];
			c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
		}
		s[o++] = c;
	}
	s[o] = 0;
	return o;
}

/* The next entry into l->field (l->at 0 at the end of the file). */
static int next(dd_list *l, tm_ctx *ctx)
{
	errno = 0;
	ssize_t n = getline(&l->line, &l->cap, l->f);
	if (n < 0) {
		if (ferror(l->f))
			return tm_fail(ctx, "cannot read %s: %s", l->path, strerror(errno));
		l->at = 0;
		return TM_OK;
	}
	l->lineno++;
	if (n && l->line[n - 1] == '\n')
		l->line[--n] = 0;
	char *f[4], *p = l->line;
	int k = 0;
	for (; k < 4 && p; k++) {
		f[k] = p;
		p = strchr(p, '\t');
		if (p)
			*p++ = 0;
	}
	char *end = NULL;
	unsigned long long at = k == 4 && !p ? strtoull(f[3], &end, 10) : 0;
	if (!end || *end || !*f[3] || at <= l->at)
		return tm_fail(ctx,
			       "%s:%llu: not an entry of a sharded run's list (ID, WHAT, DATA and a line number "
			       "above the previous one, separated by tabs)",
			       l->path, (unsigned long long)l->lineno);
	l->at = at;
	for (int i = 0; i < 3; i++) {
		l->field[i] = f[i];
		l->len[i] = i < 2 ? unescape(f[i], strlen(f[i])) : strlen(f[i]);
	}
	return TM_OK;
}

int dd_list_open(dd_list *l, tm_ctx *ctx, const char *name)
{
	unsigned shard = tm_global_shard(ctx, NULL);
	memset(l, 0, sizeof *l);
	l->path = dd_shard_path(ctx, name, shard, "tsv");
	if (!l->path)
		return tm_fail(ctx, "out of memory");
	l->f = fopen(l->path, "r");
	if (!l->f)
		return tm_fail(ctx, "cannot open %s, the merge's decisions for shard %u: %s", l->path, shard,
			       strerror(errno));
	return next(l, ctx);
}

int dd_list_at(dd_list *l, tm_ctx *ctx, uint64_t line, const tm_doc *doc)
{
	if (l->used && next(l, ctx))
		return TM_ERROR;
	l->used = 0;
	if (!l->at || l->at > line)
		return 0;
	if (l->at < line)
		return tm_fail(ctx, "%s:%llu: the list is out of order", l->path, (unsigned long long)l->lineno);
	const char *id = tm_doc_id(doc);
	if (strlen(id) != l->len[0] || memcmp(id, l->field[0], l->len[0]))
		return tm_fail(
			ctx,
			"%s:%llu: the merge decided on document %.200s at line %llu of this shard, but the "
			"document there is %.200s; the shard's phase-1 files and the merge do not belong together",
			l->path, (unsigned long long)l->lineno, l->field[0], (unsigned long long)line, id);
	l->used = 1;
	return 1;
}

int dd_list_end(dd_list *l, tm_ctx *ctx, uint64_t documents)
{
	if (l->used && next(l, ctx))
		return TM_ERROR;
	l->used = 0;
	if (!l->at)
		return TM_OK;
	return tm_fail(ctx,
		       "%s:%llu: names line %llu, but the shard has %llu documents; the shard's phase-1 files "
		       "and the merge do not belong together",
		       l->path, (unsigned long long)l->lineno, (unsigned long long)l->at,
		       (unsigned long long)documents);
}

void dd_list_close(dd_list *l)
{
	if (l->f)
		fclose(l->f);
	free(l->path);
	free(l->line);
	memset(l, 0, sizeof *l);
}

/* ---- the merge ---------------------------------------------------------------- */

int dd_shard_in_open(dd_in *in, tm_ctx *ctx, unsigned shard, const char *ext, uint32_t kind)
{
	char *path = dd_shard_path(ctx, "shard", shard, ext);
	if (!path)
		return tm_fail(ctx, "out of memory");
	int rc = dd_in_open(in, path, kind);
	if (rc > 0)
		tm_fail(ctx, "%s: missing (shard %u has not finished its collect phase)", path, shard);
	else if (rc < 0)
		tm_fail(ctx, "%s", in->err);
	free(path);
	return rc ? TM_ERROR : TM_OK;
}

int dd_shard_in_done(dd_in *in, dd_list_out *out, int rc)
{
	dd_in_close(in);
	if (rc) {
		dd_list_abort(out);
		return TM_ERROR;
	}
	return dd_list_commit(out);
}

/* ---- writing ------------------------------------------------------------------ */

static int grow(dd_list_out *o, size_t more)
{
	if (o->len + more <= o->cap)
		return 0;
	size_t cap = o->cap ? o->cap : 4096;
	while (cap < o->len + more)
		cap *= 2;
	char *b = realloc(o->buf, cap);
	if (!b)
		return -1;
	o->buf = b, o->cap = cap;
	return 0;
}

static void put_escaped(dd_list_out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		const char *e = c == '\\' ? "\\\\" : c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : NULL;
		if (e) {
			memcpy(o->buf + o->len, e, 2);
			o->len += 2;
		} else {
			o->buf[o->len++] = c;
		}
	}
}

int dd_list_create(dd_list_out *o, tm_ctx *ctx, const char *name, unsigned shard)
{
	memset(o, 0, sizeof *o);
	char *path = dd_shard_path(ctx, name, shard, "tsv");
	if (!path)
		return tm_fail(ctx, "out of memory");
	o->f = tm_file_open(ctx, path);
	free(path);
	return o->f ? TM_OK : TM_ERROR;
}

int dd_list_put(dd_list_out *o, tm_ctx *ctx, const char *id, size_t id_len, const char *what, size_t what_len,
		const char *data, size_t data_len, uint64_t line)
{
	o->len = 0;
	if (grow(o, 2 * (id_len + what_len) + data_len + 32))
		return tm_fail(ctx, "out of memory");
	put_escaped(o, id, id_len);
	o->buf[o->len++] = '\t';
	put_escaped(o, what, what_len);
	o->buf[o->len++] = '\t';
	memcpy(o->buf + o->len, data, data_len);
	o->len += data_len;
	o->len += (size_t)snprintf(o->buf + o->len, o->cap - o->len, "\t%llu\n", (unsigned long long)line);
	return tm_file_write(o->f, o->buf, o->len);
}

int dd_list_commit(dd_list_out *o)
{
	tm_file *f = o->f;
	o->f = NULL;
	free(o->buf);
	o->buf = NULL;
	return tm_file_commit(f);
}

void dd_list_abort(dd_list_out *o)
{
	tm_file_abort(o->f);
	free(o->buf);
	memset(o, 0, sizeof *o);
}
