/* ids.c -- filter.ids: drop (or mark) the documents a list names, such as
 * the near-duplicates the merge step of a sharded run found (see
 * docs/distributed.md). Part of the filter plugin (filter.so), with
 * filter.length. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <textmill/kit.h>
#include <textmill/textmill.h>

#include "stages.h"

/* A list file has one line per document: ID<TAB>REASON[<TAB>JSON[<TAB>LINE]].
 * In ID and REASON a backslash escapes a backslash, a tab (\t), a newline
 * (\n) or a carriage return (\r); JSON runs to the next tab or the end of
 * the line. With match: id a line names every document with that id; with
 * match: line it names the record on line LINE of the input file (and ID
 * must be that record's id), so lists stay exact when ids repeat.
 *
 * The list is read once per process and shared by the instances on every
 * worker (it is never changed after loading), so the stage runs in
 * parallel with one copy in memory. */

typedef struct ids_entry {
	const char *id, *reason, *json; /* into the file buffer, NUL-terminated */
	size_t json_len;
	uint64_t line;
} ids_entry;

typedef struct ids_list {
	char *key; /* path, match mode, identity of the file */
	int refs;
	char *data; /* the whole file, fields cut in place */
	ids_entry *e;
	size_t n;
	kit_strmap ids; /* match: id -- id -> entry */
	kit_map lines;  /* match: line -- line -> entry */
	struct ids_list *next;
} ids_list;

static pthread_mutex_t ids_lock = PTHREAD_MUTEX_INITIALIZER;
static ids_list *ids_lists;

/* Undo the escapes of a field in place. */
static int ids_unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		p++;
		switch (*p) {
		case '\\': *o++ = '\\'; break;
		case 't': *o++ = '\t'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		default: return -1;
		}
	}
	*o = 0;
	return 0;
}

static const ids_entry *ids_find(const ids_list *l, int by_line, const char *id, uint64_t line)
{
	const uint64_t *at = by_line ? kit_map_get(&l->lines, line) : kit_strmap_get(&l->ids, id, strlen(id));
	return at ? &l->e[*at] : NULL;
}

static void ids_list_free(ids_list *l)
{
	if (!l)
		return;
	free(l->key);
	free(l->data);
	free(l->e);
	kit_strmap_free(&l->ids);
	kit_map_free(&l->lines);
	free(l);
}

/* Parse the file into l; -1 with a message in ctx. */
static int ids_parse(tm_ctx *ctx, ids_list *l, const char *path, size_t size, int by_line)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return tm_fail(ctx, "cannot open the list %s: %s", path, strerror(errno));
	l->data = kit_malloc(size + 1);
	if (!l->data) {
		fclose(f);
		return tm_fail(ctx, "out of memory reading %s", path);
	}
	size_t got = fread(l->data, 1, size, f);
	fclose(f);
	if (got != size)
		return tm_fail(ctx, "cannot read %s (it changed while being read?)", path);
	l->data[size] = 0;
	if (memchr(l->data, 0, size))
		return tm_fail(ctx, "%s is not a list of ids: it holds a NUL byte", path);
	size_t lines = 0;
	for (size_t i = 0; i < size; i++)
		lines += l->data[i] == '\n';
	l->e = kit_calloc(lines + 1, sizeof *l->e);
	if (!l->e)
		return tm_fail(ctx, "out of memory reading %s", path);
	char *p = l->data;
	for (size_t no = 1; *p; no++) {
		char *end = strchr(p, '\n');
		if (end)
			*end = 0;
		if (end > p && end[-1] == '\r')
			end[-1] = 0;
		char *line = p;
		p = end ? end + 1 : p + strlen(p);
		if (!*line)
			continue;
		char *field[4] = {line, NULL, NULL, NULL};
		int n = 1;
		for (char *t = line; n < 4 && (t = strchr(t, '\t')); n++) {
			*t++ = 0;
			field[n] = t;
		}
		if (n < 2 || (field[3] && strchr(field[3], '\t')))
			return tm_fail(ctx, "%s:%zu: expected ID<TAB>REASON[<TAB>JSON[<TAB>LINE]]", path, no);
		if (ids_unescape(field[0]) || ids_unescape(field[1]))
			return tm_fail(ctx, "%s:%zu: a backslash must be followed by \\\\, t, n or r", path, no);
		ids_entry *e = &l->e[l->n];
		e->id = field[0];
		e->reason = *field[1] ? field[1] : "listed";
		e->json = field[2] && *field[2] ? field[2] : NULL;
		e->json_len = e->json ? strlen(e->json) : 0;
		e->line = 0;
		if (by_line) {
			char *stop;
			errno = 0;
			unsigned long long v = field[3] ? strtoull(field[3], &stop, 10) : 0;
			if (!field[3] || errno || *stop || !v)
				return tm_fail(ctx,
					       "%s:%zu: match: line needs a line number (from 1) in the fourth field",
					       path, no);
			e->line = v;
		}
		int added;
		uint64_t *at = by_line ? kit_map_put(&l->lines, e->line, &added)
				       : kit_strmap_put(&l->ids, e->id, strlen(e->id), &added);
		if (!at)
			return tm_fail(ctx, "out of memory reading %s", path);
		if (!added) {
			if (by_line)
				return tm_fail(ctx, "%s:%zu: line %llu is listed twice", path, no,
					       (unsigned long long)e->line);
			continue; /* by id: the first line wins */
		}
		*at = l->n++;
	}
	return TM_OK;
}

/* The shared list for path (loading it on first use). */
static ids_list *ids_acquire(tm_ctx *ctx, const char *path, int by_line)
{
	struct stat st;
	if (stat(path, &st))
		return tm_fail(ctx, "cannot open the list %s: %s", path, strerror(errno)), NULL;
	char *key = NULL;
	if (asprintf(&key, "%d %llu %llu %lld %lld.%09ld %s", by_line, (unsigned long long)st.st_dev,
		     (unsigned long long)st.st_ino, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		     st.st_mtim.tv_nsec, path) < 0)
		return tm_fail(ctx, "out of memory"), NULL;
	pthread_mutex_lock(&ids_lock);
	ids_list *l = ids_lists;
	while (l && strcmp(l->key, key))
		l = l->next;
	if (l) {
		l->refs++;
		free(key);
	} else {
		l = kit_calloc(1, sizeof *l);
		if (!l || ids_parse(ctx, l, path, (size_t)st.st_size, by_line)) {
			if (!l)
				tm_fail(ctx, "out of memory");
			ids_list_free(l);
			free(key);
			pthread_mutex_unlock(&ids_lock);
			return NULL;
		}
		l->key = key;
		l->refs = 1;
		l->next = ids_lists;
		ids_lists = l;
		tm_log(ctx, "%s: %zu listed documents", path, l->n);
	}
	pthread_mutex_unlock(&ids_lock);
	return l;
}

static void ids_release(ids_list *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&ids_lock);
	if (--l->refs == 0) {
		ids_list **pp = &ids_lists;
		while (*pp != l)
			pp = &(*pp)->next;
		*pp = l->next;
		ids_list_free(l);
	}
	pthread_mutex_unlock(&ids_lock);
}

typedef struct ids_filter {
	ids_list *list;
	int by_line, mark;
	const char *field, *remove;
	unsigned long long mismatches;
	char first_mismatch[300];
} ids_filter;

int ids_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	ids_filter *f = kit_calloc(1, sizeof *f);
	if (!f)
		return tm_fail(ctx, "out of memory");
	*state = f;
	const ids_settings *set = tm_opt_settings(opts);
	f->by_line = set->by_line;
	f->mark = set->mark;
	f->field = set->mark_field;
	f->remove = set->remove_field;
	if (f->mark && !*f->field)
		return tm_fail(ctx, "%s: mark_field cannot be empty", tm_opt_where(opts, "mark_field"));
	f->list = ids_acquire(ctx, set->list, f->by_line);
	return f->list ? TM_OK : TM_ERROR;
}

/* The record's line in its input file, from its source "FILE:LINE". */
static uint64_t ids_source_line(const tm_doc *doc)
{
	const char *src = tm_doc_source(doc), *colon = src ? strrchr(src, ':') : NULL;
	if (!colon || !colon[1])
		return 0;
	char *end;
	unsigned long long v = strtoull(colon + 1, &end, 10);
	return *end ? 0 : v;
}

int ids_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	ids_filter *f = state;
	if (f->remove && *f->remove)
		tm_doc_remove_meta(doc, f->remove);
	const char *id = tm_doc_id(doc);
	const ids_entry *e;
	if (f->by_line) {
		uint64_t line = ids_source_line(doc);
		if (!line)
			return tm_fail(ctx,
				       "match: line needs documents read from JSON Lines (the source '%s' has no "
				       "line number)",
				       tm_doc_source(doc));
		e = ids_find(f->list, 1, NULL, line);
		if (e && strcmp(e->id, id)) {
			if (!f->mismatches++)
				snprintf(f->first_mismatch, sizeof f->first_mismatch,
					 "line %llu is '%.100s', the list says '%.100s'", (unsigned long long)line,
					 id, e->id);
			return tm_fail(ctx, "the list names line %llu as '%s', but that record is '%s'",
				       (unsigned long long)line, e->id, id);
		}
	} else {
		e = ids_find(f->list, 0, id, 0);
	}
	if (!e)
		return TM_OK;
	if (!f->mark) {
		tm_doc_drop(doc, e->reason);
		return TM_OK;
	}
	tm_count(ctx, "marked", 1);
	if (e->json)
		return tm_doc_set_meta_json(doc, f->field, e->json, e->json_len);
	return tm_doc_set_meta_string(doc, f->field, e->reason, strlen(e->reason));
}

/* A list that does not fit the input is a wrong result, not a few bad
 * documents: fail the run. */
int ids_finish(tm_ctx *ctx, void *state)
{
	ids_filter *f = state;
	if (f->mismatches)
		return tm_fail(ctx,
			       "%llu documents are not where the list says (%s): the list was made for another "
			       "input",
			       f->mismatches, f->first_mismatch);
	return TM_OK;
}

void ids_destroy(void *state)
{
	ids_filter *f = state;
	if (!f)
		return;
	ids_release(f->list);
	free(f);
}

#define FIELD(member) TM_FIELD(ids_settings, member)

const tm_option ids_options[] = {
	{.name = "list",
	 .type = TM_OPT_PATH,
	 .required = 1,
	 FIELD(list),
	 .help = "file of ID<TAB>REASON[<TAB>JSON[<TAB>LINE]] lines (see docs/distributed.md)"},
	{.name = "action",
	 .type = TM_OPT_ENUM,
	 .default_value = "drop",
	 .choices = "drop|mark",
	 FIELD(mark),
	 .help = "drop a listed document with its REASON, or keep it and mark it"},
	{.name = "mark_field",
	 .type = TM_OPT_STRING,
	 .default_value = "dedup",
	 FIELD(mark_field),
	 .help = "meta field that action: mark sets (to JSON, else to REASON)"},
	{.name = "match",
	 .type = TM_OPT_ENUM,
	 .default_value = "id",
	 .choices = "id|line",
	 FIELD(by_line),
	 .help = "find documents by id, or by their line in the input (ids may repeat)"},
	{.name = "remove_field",
	 .type = TM_OPT_STRING,
	 FIELD(remove_field),
	 .help = "meta field removed from every document first"},
	{0},
};
