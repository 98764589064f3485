/* paths.c -- two writers of one file are a config error: the second
 * rename would silently replace the first file (an output over the
 * rejects file lost every written document). */
#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Append one component to a resolved folder, "." and ".." applied. */
static void append_component(buf *b, const char *c, size_t n)
{
	if (n == 0 || (n == 1 && c[0] == '.'))
		return;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		char *slash = strrchr(b->p, '/');
		b->len = slash && slash != b->p ? (size_t)(slash - b->p) : 1;
		b->p[b->len] = 0;
		return;
	}
	if (b->len > 1)
		buf_putc(b, '/');
	buf_put(b, c, n);
}

/* realpath of the longest part of dir that exists, the rest as written. */
static void resolve_dir(const char *dir, buf *out)
{
	char *head = xstrdup(dir);
	size_t cut = strlen(head);
	char real[PATH_MAX];
	for (;;) {
		char keep = head[cut];
		head[cut] = 0;
		int ok = realpath(*head ? head : *dir == '/' ? "/" : ".", real) != NULL;
		head[cut] = keep;
		if (ok || cut == 0)
			break;
		while (cut > 0 && head[cut - 1] == '/') /* drop the last component */
			cut--;
		while (cut > 0 && head[cut - 1] != '/')
			cut--;
	}
	if (cut == 0 && !realpath(*dir == '/' ? "/" : ".", real))
		snprintf(real, sizeof real, "."); /* the working folder is gone */
	buf_puts(out, real);
	for (const char *p = head + cut; *p;) {
		size_t n = strcspn(p, "/");
		append_component(out, p, n);
		p += n + (p[n] == '/');
	}
	free(head);
}

void target_resolve(const char *path, target *t)
{
	memset(t, 0, sizeof *t);
	struct stat st;
	if (!strcmp(path, "-")) {
		t->name = xstrdup("-");
		return;
	}
	if (stat(path, &st) == 0) {
		t->exists = 1, t->dev = st.st_dev, t->ino = st.st_ino;
		t->shared = S_ISCHR(st.st_mode);
	}
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *dir = xstrndup(path, (size_t)(base - path));
	buf name = {0};
	resolve_dir(dir, &name);
	append_component(&name, base, strlen(base));
	free(dir);
	t->name = name.p;
}

int target_same(const target *a, const target *b)
{
	if (a->shared || b->shared)
		return 0;
	if (!strcmp(a->name, b->name))
		return 1;
	return a->exists && b->exists && a->dev == b->dev && a->ino == b->ino;
}

void target_free(target *t)
{
	free(t->name);
	t->name = NULL;
}

/* ---- the config check --------------------------------------------------- */

typedef struct writer_of {
	char *who; /* "outputs.1 (output.jsonl, path at FILE:LINE:COL)" */
	target t;
} writer_of;

typedef struct writers {
	writer_of *v;
	size_t n;
} writers;

static void add(writers *w, const char *path, char *who)
{
	w->v = xrealloc(w->v, (w->n + 1) * sizeof *w->v);
	w->v[w->n].who = who;
	target_resolve(path, &w->v[w->n].t);
	w->n++;
}

/* Nonzero if word is one of the space-separated words of list. */
static int listed(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && !memcmp(p, word, n))
			return 1;
		p += len + (p[len] == ' ');
	}
	return 0;
}

/* A stage's options that name files it writes: those it lists in
 * `writes`, and an output's `path`. */
static void add_stage(writers *w, const stage_conf *sc)
{
	const tm_options *o = sc->opts;
	int output = sc->entry->type.flags & TM_STAGE_OUTPUT;
	for (size_t k = 0; k < o->n; k++) {
		const tm_option *d = &o->decl[k];
		int written = d->type == TM_OPT_PATH &&
			      ((output && !strcmp(d->name, "path")) || listed(sc->entry->type.writes, d->name));
		if (!written || !o->v[k].str)
			continue;
		add(w, o->v[k].str,
		    xasprintf("%s (%s, %s at %s)", sc->label, sc->entry->type.name, d->name,
			      tm_node_where(o->v[k].node)));
	}
}

int check_written_paths(const pipeline_conf *pc, const char *summary_json, buf *err)
{
	writers w = {0};
	for (size_t i = 0; i < pc->n_stages; i++)
		add_stage(&w, &pc->stages[i]);
	for (size_t i = 0; i < pc->n_outputs; i++)
		add_stage(&w, &pc->outputs[i]);
	if (pc->rejects)
		add(&w, pc->rejects, xasprintf("the rejects file (%s)", tm_opt_where(pc->top, "rejects")));
	if (summary_json)
		add(&w, summary_json, xstrdup("--summary-json"));
	int rc = 0;
	for (size_t i = 0; i < w.n && !rc; i++)
		for (size_t j = i + 1; j < w.n && !rc; j++)
			if (target_same(&w.v[i].t, &w.v[j].t)) {
				buf_printf(err, "%s would be written twice, by %s and by %s; give each its own file",
					   strcmp(w.v[j].t.name, "-") ? w.v[j].t.name : "standard output", w.v[i].who,
					   w.v[j].who);
				rc = -1;
			}
	for (size_t i = 0; i < w.n; i++) {
		free(w.v[i].who);
		target_free(&w.v[i].t);
	}
	free(w.v);
	return rc;
}
