/* fuzz.h -- what the fuzz harnesses share: the libFuzzer entry points, an
 * oracle that aborts (so libFuzzer and the replay runner both see a
 * finding), a scratch directory, and cutting an input into fields.
 * Header-only (static functions): each harness is one .c file. */
#ifndef TM_FUZZ_H
#define TM_FUZZ_H

#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An oracle that does not hold is a finding: say which and abort, as a
 * sanitizer would. */
#define FUZZ_CHECK(cond, ...)                                              \
	do {                                                               \
		if (!(cond))                                               \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

__attribute__((noreturn, format(printf, 4, 5))) static inline void fuzz_fail(const char *file, int line,
									     const char *cond, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "\n==fuzz oracle== %s:%d: %s\n  ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* What an input did, for a person replaying it: printed when
 * TM_FUZZ_VERBOSE is set (never while fuzzing, where it would cost). */
__attribute__((format(printf, 1, 2))) static inline void fuzz_note(const char *fmt, ...)
{
	static int verbose = -1;
	if (verbose < 0)
		verbose = getenv("TM_FUZZ_VERBOSE") != NULL;
	if (!verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("  ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* TM_FUZZ_SKIP_KNOWN set: skip the inputs that hit a bug already known
 * and being fixed (each guard says which), so that a long run can find
 * the others. CI never sets it; delete a guard once its fix is merged. */
static inline int fuzz_skip_known(void)
{
	static int skip = -1;
	if (skip < 0)
		skip = getenv("TM_FUZZ_SKIP_KNOWN") != NULL;
	return skip;
}

/* A private directory for the files a harness writes (one per process,
 * under $TMPDIR, removed at a normal exit; libFuzzer leaves with _exit, so
 * run.sh gives each harness a TMPDIR of its own and removes that). */
static char fuzz_dir_path[256];

static inline int fuzz_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path) * 0; /* go on whatever happens */
}

static inline void fuzz_dir_remove(void) { nftw(fuzz_dir_path, fuzz_remove_one, 16, FTW_DEPTH | FTW_PHYS); }

static inline const char *fuzz_dir(void)
{
	if (!*fuzz_dir_path) {
		const char *tmp = getenv("TMPDIR");
		snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/textmill-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(fuzz_dir_path)) {
			perror("fuzz: mkdtemp");
			exit(2);
		}
		atexit(fuzz_dir_remove);
	}
	return fuzz_dir_path;
}

/* Write len bytes to name in the harness's directory; returns the path
 * (static storage, valid until the next call). */
static inline const char *fuzz_write(const char *name, const void *data, size_t len)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name);
	FILE *f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f)) {
		perror(path);
		exit(2);
	}
	return path;
}

/* The source tree: $TM_SOURCE_DIR (ctest sets it), else the one the
 * harness was built from. */
static inline const char *fuzz_source_dir(void)
{
	const char *s = getenv("TM_SOURCE_DIR");
#ifdef TM_FUZZ_SOURCE_DIR
	if (!s || !*s)
		s = TM_FUZZ_SOURCE_DIR;
#endif
	if (!s || !*s) {
		fprintf(stderr, "fuzz: set TM_SOURCE_DIR to the textmill source tree\n");
		exit(2);
	}
	return s;
}

/* An input cut into fields at FUZZ_SEP, a byte that never occurs in UTF-8,
 * so a field may still hold any other byte, invalid UTF-8 included. */
#define FUZZ_SEP 0xFF
#define FUZZ_MAX_FIELDS 8

typedef struct fuzz_fields {
	const char *p[FUZZ_MAX_FIELDS];
	size_t len[FUZZ_MAX_FIELDS];
	size_t n;
} fuzz_fields;

/* The last field takes the rest of the input, separators included. */
static inline void fuzz_split(const uint8_t *data, size_t size, size_t max, fuzz_fields *f)
{
	if (max > FUZZ_MAX_FIELDS)
		max = FUZZ_MAX_FIELDS;
	f->n = 0;
	size_t start = 0;
	for (size_t i = 0; i < size && f->n + 1 < max; i++)
		if (data[i] == FUZZ_SEP) {
			f->p[f->n] = (const char *)data + start;
			f->len[f->n++] = i - start;
			start = i + 1;
		}
	f->p[f->n] = (const char *)data + start;
	f->len[f->n++] = size - start;
	while (f->n < max) {
		f->p[f->n] = "";
		f->len[f->n++] = 0;
	}
}

#endif
