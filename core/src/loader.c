/* loader.c -- finds plugins, checks their ABI, and keeps a registry of the
 * stage types they provide. */
#include "host.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
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

/* Every TM_STAGE_* flag this host acts on: a new flag goes here too, or
 * stages that set it are refused. */
#define KNOWN_FLAGS (TM_STAGE_PARALLEL | TM_STAGE_OUTPUT | TM_STAGE_TAKES_BYTES | TM_STAGE_GLOBAL | TM_STAGE_INPUT)

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

/* Nonzero for the user's own group, as Debian's user private groups
 * make: the user's primary group, named after the user, with no members
 * listed. Its write bit lets nobody else in. */
static int private_group(gid_t gid)
{
	if (gid != getegid())
		return 0;
	const struct passwd *pw = getpwuid(geteuid());
	char *user = pw ? xstrdup(pw->pw_name) : NULL;
	const struct group *gr = getgrgid(gid);
	int own = user && gr && !strcmp(user, gr->gr_name) && (!gr->gr_mem || !gr->gr_mem[0]);
	free(user);
	return own;
}

/* One step of a plugin's real path: nobody but root and the user may be
 * able to change it. A sticky folder (/tmp) may be writable by all: no
 * one can replace an entry there that is not theirs, and the next step
 * must be root's or the user's. */
static int check_step(const char *plugin, const char *step, buf *err)
{
	struct stat st;
	if (lstat(step, &st))
		return 0; /* loading it says what is wrong */
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		const struct passwd *pw = getpwuid(st.st_uid);
		buf_printf(err,
			   "plugin %s: not loaded: %s belongs to %s%s(uid %u), who could replace the plugin; "
			   "load plugins only from folders that only you or root can change",
			   plugin, step, pw ? pw->pw_name : "", pw ? " " : "", (unsigned)st.st_uid);
		return -1;
	}
	int sticky = S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX);
	int others = !sticky && (st.st_mode & S_IWOTH);
	int group = !sticky && (st.st_mode & S_IWGRP) && !private_group(st.st_gid);
	if (others || group) {
		buf_printf(err,
			   "plugin %s: not loaded: %s is writable by %s (mode %04o), who could replace the "
			   "plugin; fix it with: chmod %s-w %s",
			   plugin, step,
			   others && group ? "its group and everyone"
			   : others        ? "everyone"
					   : "its group",
			   (unsigned)(st.st_mode & 07777),
			   others && group ? "go"
			   : others        ? "o"
					   : "g",
			   step);
		return -1;
	}
	return 0;
}

/* As ssh's StrictModes: a plugin runs with the user's rights, so the
 * file and every folder above it, followed to its real path, must be
 * safe from other users. *real gets that path, which is what is then
 * loaded, so a link changed after the check changes nothing. */
static int check_safe(const char *path, char **real, buf *err)
{
	*real = realpath(path, NULL);
	if (!*real)
		return 0;
	int rc = check_step(path, "/", err);
	for (char *p = *real + 1; !rc && *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		rc = check_step(path, *real, err);
		*p = '/';
	}
	return rc ? rc : check_step(path, *real, err);
}

static int load_file(registry *r, const char *path, buf *err)
{
	for (size_t i = 0; i < r->n_files; i++)
		if (!strcmp(r->files[i], path))
			return 0; /* the same file named twice on the path */
	char *real;
	if (check_safe(path, &real, err)) {
		free(real);
		return -1;
	}
	/* dlopen searches the library path for a bare name; a plugin path
	 * entry always means a file. */
	char *local = real || strchr(path, '/') ? NULL : xasprintf("./%s", path);
	void *h = dlopen(real ? real : local ? local : path, RTLD_NOW | RTLD_LOCAL);
	free(local);
	free(real);
	if (!h) {
		buf_printf(err, "plugin %s: cannot load it: %s", path, dlerror());
		return -1;
	}
	for (size_t i = 0; i < r->n_handles; i++)
		if (r->handles[i] == h) {
			dlclose(h); /* the same file by another name: loaded already */
			return 0;
		}
	const tm_plugin *p = dlsym(h, TM_PLUGIN_SYMBOL);
	if (!p) {
		buf_printf(err, "plugin %s: not a textmill plugin: it does not export the symbol '%s'", path,
			   TM_PLUGIN_SYMBOL);
		dlclose(h);
		return -1;
	}
	if (p->abi_version != TM_ABI_VERSION) {
		buf_printf(err,
			   "plugin %s: built for textmill plugin ABI %d, but this textmill has ABI %d; "
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
		const char *bad =
			!e.type.name || !*e.type.name ? "has no name"
			: (e.type.flags & TM_STAGE_INPUT) && (!e.type.create || !e.type.open || !e.type.next)
				? "is TM_STAGE_INPUT without create, open or next"
			: (e.type.flags & TM_STAGE_INPUT) && (e.type.flags & ~(unsigned)TM_STAGE_INPUT)
				? "is TM_STAGE_INPUT, which goes with no other flag"
			: !(e.type.flags & TM_STAGE_INPUT) && (!e.type.create || !e.type.process)
				? "lacks create or process"
			: (e.type.flags & TM_STAGE_GLOBAL) && !e.type.merge ? "is TM_STAGE_GLOBAL without merge()"
			: (e.type.flags & TM_STAGE_GLOBAL) && (e.type.flags & (TM_STAGE_PARALLEL | TM_STAGE_OUTPUT))
				? "is TM_STAGE_GLOBAL, which only a serial stage can be"
				: NULL;
		buf table = {0};
		if (!bad && options_check_table(e.options, e.type.settings_size, &table))
			bad = table.p;
		/* A bit from a newer textmill asks for something this one would
		 * not do: ignored, a stage could run in a way it cannot bear. */
		unsigned unknown = bad ? 0 : e.type.flags & ~(unsigned)KNOWN_FLAGS;
		const stage_entry *dup = bad || unknown ? NULL : registry_find(r, e.type.name);
		if (bad || unknown || dup) {
			if (bad && bad == table.p)
				buf_printf(err, "plugin %s: stage type %s: %s", path, e.type.name, bad);
			else if (bad)
				buf_printf(err, "plugin %s: stage type %zu %s", path, i, bad);
			else if (unknown)
				buf_printf(err,
					   "plugin %s: stage type '%s' sets flags this textmill does not know "
					   "(0x%x); it needs a newer textmill",
					   path, e.type.name, unknown);
			else
				buf_printf(err, "stage type '%s' is provided by two plugins: %s and %s", e.type.name,
					   dup->file, path);
			buf_free(&table);
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
	log_debug("plugin %s: %zu stage type%s", file, p->n_stages, p->n_stages == 1 ? "" : "s");
	return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

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
		if (kit_has_suffix(de->d_name, ".so")) {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xasprintf("%s/%s", path, de->d_name);
		}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str); /* the same order on every machine */
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
		if ((r->e[i].type.flags & (TM_STAGE_OUTPUT | TM_STAGE_INPUT)) == want_flags)
			names[n++] = r->e[i].type.name;
	const char *hint = kit_closest_word(name, names, n);
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
