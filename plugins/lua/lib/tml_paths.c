/* tml_paths.c -- which files a sandboxed script may open.
 *
 * The stage gives each state a list of folders (tml_state.read_roots);
 * a file opens only if its real path -- symlinks and ".." resolved -- lies
 * under one of them. The refusal names the path as the script wrote it
 * and nothing of the file, so an error message cannot carry its content
 * out. Without a list (a trusted script, or the module outside a stage)
 * any path opens. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tml_core.h"

static int under(const char *path, const char *root)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return 1;
	return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static int allowed(const char *real, const char *const *roots)
{
	for (; *roots; roots++)
		if (under(real, *roots))
			return 1;
	return 0;
}

/* Is the nearest existing folder above path (which does not resolve)
 * allowed? Only then may the caller say why it failed: otherwise "no such
 * file" against "refused" would tell which files exist outside. */
static int parent_allowed(const char *path, const char *const *roots)
{
	char dir[PATH_MAX], real[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	for (;;) {
		char *slash = strrchr(dir, '/');
		if (!slash)
			return realpath(".", real) && allowed(real, roots);
		slash[slash == dir] = '\0'; /* "/x" -> "/" */
		if (realpath(dir, real))
			return allowed(real, roots);
		if (slash == dir)
			return 0;
	}
}

void tml_resolve_readable(lua_State *L, const char *who, const char *path, const char *shown, char *real)
{
	tml_state *st = tml_get_state(L);
	const char *const *roots = st ? st->read_roots : NULL;
	if (!realpath(path, real)) {
		int e = errno;
		if (!roots || parent_allowed(path, roots))
			luaL_error(L, "%s: cannot open %s: %s", who, shown, strerror(e));
	} else if (!roots || allowed(real, roots)) {
		return;
	}
	luaL_error(L,
		   "%s: %s is outside the folders a sandboxed script may read (the script's, the config's, "
		   "the rule library's and the project's gazetteers; trusted: true lifts this)",
		   who, shown);
}
