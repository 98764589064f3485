/* loader.c -- finds plugins, checks their ABI, and keeps a registry of the
 * stage types they provide. */
#include "host.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *builtin_plugin_dir(void)
{
	static char dir[PATH_MAX + 64];
	if (*dir)
		return dir;
	/* Relative to the executable, so a build tree and an installed tree
	 * both find their own plugins: <bin>/plugins, then <bin>/../lib/... */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		struct stat st;
		snprintf(dir, sizeof dir, "%s/plugins", exe);
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			return dir;
		snprintf(dir, sizeof dir, "%s/../%s", exe, TEXTMILL_REL_PLUGIN_DIR);
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			return dir;
	}
	snprintf(dir, sizeof dir, "%s", TEXTMILL_PLUGIN_DIR);
	return dir;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* Copy a plugin's tables into the host's layout: fields the plugin's
 * headers did not have yet stay zero. */
static void copy_stage(stage_entry *e, const tm_plugin *p, size_t i, const char *file)
{
	const char *src = (const char *)p->stages + i * p->stage_type_size;
	size_t n = p->stage_type_size < sizeof e->type ? p->stage_type_size : sizeof e->type;
	memset(&e->type, 0, sizeof e->type);
	memcpy(&e->type, src, n);
	size_t count = 0;
	const char *opts = (const char *)e->type.options;
	while (opts && ((const tm_option *)(opts + count * p->option_size))->name)
		count++;
	e->options = xcalloc(count + 1, sizeof *e->options);
	size_t m = p->option_size < sizeof *e->options ? p->option_size : sizeof *e->options;
	for (size_t k = 0; k < count; k++)
		memcpy(&e->options[k], opts + k * p->option_size, m);
	e->type.options = e->options;
	e->file = file;
}

static int load_file(registry *r, const char *path, buf *err)
{
	for (size_t i = 0; i < r->n_files; i++)
		if (!strcmp(r->files[i], path))
			return 0;  /* the same file named twice on the path */
	/* dlopen searches the library path for a bare name; a plugin path
	 * entry always means a file. */
	char *local = strchr(path, '/') ? NULL : xasprintf("./%s", path);
	void *h = dlopen(local ? local : path, RTLD_NOW | RTLD_LOCAL);
	free(local);
	if (!h) {
		buf_printf(err, "plugin %s: cannot load it: %s", path, dlerror());
		return -1;
	}
	for (size_t i = 0; i < r->n_handles; i++)
		if (r->handles[i] == h) {
			dlclose(h);  /* the same file by another name: loaded already */
			return 0;
		}
	const tm_plugin *p = dlsym(h, TM_PLUGIN_SYMBOL);
	if (!p) {
		buf_printf(err, "plugin %s: not a textmill plugin: it does not export the symbol '%s'",
			   path, TM_PLUGIN_SYMBOL);
		dlclose(h);
		return -1;
	}
	if (p->abi_version != TM_ABI_VERSION) {
		buf_printf(err, "plugin %s: built for textmill plugin ABI %d, but this textmill has ABI %d; "
			   "rebuild the plugin against the installed headers",
			   path, p->abi_version, TM_ABI_VERSION);
		dlclose(h);
		return -1;
	}
	if (!p->stages || p->stage_type_size < offsetof(tm_stage_type, destroy) ||
	    p->option_size < offsetof(tm_option, choices)) {
		buf_printf(err, "plugin %s: its stage table is malformed", path);
		dlclose(h);
		return -1;
	}
	char *file = xstrdup(path);
	size_t base = r->n;
	for (size_t i = 0; i < p->n_stages; i++) {
		stage_entry e;
		copy_stage(&e, p, i, file);
		const char *bad = !e.type.name || !*e.type.name ? "has no name"
				  : !e.type.create || !e.type.process ? "lacks create or process"
				  : NULL;
		const stage_entry *dup = bad ? NULL : registry_find(r, e.type.name);
		if (bad || dup) {
			if (bad)
				buf_printf(err, "plugin %s: stage type %zu %s", path, i, bad);
			else
				buf_printf(err, "stage type '%s' is provided by two plugins: %s and %s",
					   e.type.name, dup->file, path);
			free(e.options);
			while (r->n > base)
				free(r->e[--r->n].options);
			free(file);
			dlclose(h);
			return -1;
		}
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 16;
			r->e = xrealloc(r->e, r->cap * sizeof *r->e);
		}
		r->e[r->n++] = e;
	}
	r->handles = xrealloc(r->handles, (r->n_handles + 1) * sizeof *r->handles);
	r->handles[r->n_handles++] = h;
	r->files = xrealloc(r->files, (r->n_files + 1) * sizeof *r->files);
	r->files[r->n_files++] = file;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int registry_load(registry *r, const char *path, buf *err)
{
	struct stat st;
	if (stat(path, &st)) {
		buf_printf(err, "plugin path %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(r, path, err);
	DIR *d = opendir(path);
	if (!d) {
		buf_printf(err, "plugin path %s: %s", path, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (has_suffix(de->d_name, ".so")) {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xasprintf("%s/%s", path, de->d_name);
		}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);  /* the same order on every machine */
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (!rc && load_file(r, names[i], err))
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

const stage_entry *registry_find(const registry *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->e[i].type.name, name))
			return &r->e[i];
	return NULL;
}

const char *registry_suggest(const registry *r, const char *name, unsigned want_flags)
{
	const char **names = xcalloc(r->n + 1, sizeof *names);
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		if ((r->e[i].type.flags & TM_STAGE_OUTPUT) == want_flags)
			names[n++] = r->e[i].type.name;
	const char *hint = closest_word(name, names, n);
	free(names);
	return hint;
}

void registry_free(registry *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->e[i].options);
	for (size_t i = 0; i < r->n_handles; i++)
		dlclose(r->handles[i]);
	for (size_t i = 0; i < r->n_files; i++)
		free(r->files[i]);
	free(r->e);
	free(r->handles);
	free(r->files);
	memset(r, 0, sizeof *r);
}
