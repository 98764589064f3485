/* sigtool.c -- dd_sigtool, a small driver for the merge library:
 *
 *   dd_sigtool info FILE                      kind, count and parameters of a dedup file
 *   dd_sigtool merge OUT IN...                merge shards' signature files by order key
 *   dd_sigtool replay FILE [threshold [keep]] decisions for merged records, one line each:
 *                                             "ID<TAB>kept" or "ID<TAB>duplicate-of:ID"
 *
 * It exists for the tests and as the seed of a later `textmill dedup`
 * command; the work is done by sigfile.c and mhindex.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigfile.h"

static int merge(const char *out_path, const char *const *in, size_t n)
{
	FILE *f = fopen(out_path, "wb");
	if (!f) {
		perror(out_path);
		return 1;
	}
	dd_out o = {.write = dd_stdio_write, .ud = f};
	char err[600];
	int rc = mh_sig_merge(in, n, &o, err, sizeof err);
	if (fclose(f) || rc) {
		fprintf(stderr, "dd_sigtool: merge: %s\n", rc ? err : "write error");
		remove(out_path);
		return 1;
	}
	return 0;
}

static void emit(void *ud, const mh_doc *d, const mh_verdict *v, const mh_index *ix)
{
	(void)ud;
	if (!v->duplicate) {
		printf("%.*s\tkept\n", (int)d->id_len, d->id);
		return;
	}
	size_t n;
	const char *of = mh_entry_id(ix, v->of, &n);
	printf("%.*s\tduplicate-of:%.*s\n", (int)d->id_len, d->id, (int)n, of);
}

static int replay(const char *path, double threshold, const char *keep)
{
	mh_sigreader r;
	char err[600];
	if (mh_sig_open(&r, path, err, sizeof err)) {
		fprintf(stderr, "dd_sigtool: %s\n", err);
		return 1;
	}
	uint32_t perms = r.p.perms, bands, rows;
	mh_sig_close(&r);
	mh_choose_bands(perms, threshold, &bands, &rows);
	mh_index ix;
	mh_policy pol = {threshold, 1, MH_KEEP_FIRST, 0};
	if (keep && !strcmp(keep, "longest"))
		pol.keep = MH_KEEP_LONGEST;
	else if (keep && !strcmp(keep, "newest"))
		pol.keep = MH_KEEP_NEWEST;
	if (mh_index_init(&ix, perms, bands, rows)) {
		fprintf(stderr, "dd_sigtool: out of memory\n");
		return 1;
	}
	int rc = mh_sig_replay(path, &pol, &ix, emit, NULL, err, sizeof err);
	mh_index_free(&ix);
	if (rc) {
		fprintf(stderr, "dd_sigtool: %s\n", err);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "info"))
		return dd_print_info(argv[2], "dd_sigtool");
	if (argc >= 4 && !strcmp(argv[1], "merge"))
		return merge(argv[2], (const char *const *)argv + 3, (size_t)argc - 3);
	if (argc >= 3 && argc <= 5 && !strcmp(argv[1], "replay"))
		return replay(argv[2], argc > 3 ? atof(argv[3]) : 0.8, argc > 4 ? argv[4] : NULL);
	fprintf(stderr, "usage: dd_sigtool info FILE | merge OUT IN... | replay FILE [threshold [keep]]\n");
	return 2;
}
