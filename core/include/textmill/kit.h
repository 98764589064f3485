/* kit.h -- the textmill toolkit: the small pieces every part of textmill
 * needs (a byte buffer, UTF-8, JSON, a hash map, files that appear whole,
 * string helpers), written once for the host, the plugins and the tools.
 *
 * It is a static library (libtextmill-kit.a, pkg-config textmill-kit)
 * built with hidden visibility: each program or plugin that links it gets
 * its own private copy, so it adds nothing to textmill's plugin ABI and a
 * plugin still links nothing from the host. Names start with kit_ (tm_
 * belongs to the host's exported functions).
 *
 * Running out of memory -- the one rule:
 *   Toolkit functions never abort or exit. A function that allocates
 *   reports failure by its return value (-1 or NULL), and a kit_buf keeps
 *   a sticky flag instead: once an append fails, b->failed is set and
 *   stays set, the contents are no longer to be trusted, and the whole
 *   chain of appends is checked once at its end (kit_buf_failed). The caller turns it into its own error value with
 *   the message KIT_OOM ("out of memory"): a stage returns TM_ERROR with
 *   it, which rejects the document or stops the run as the stage contract
 *   says; a tool prints it and exits with an error status.
 *
 * Thread safety: no function keeps global state except kit_set_realloc
 * (tests only); distinct objects may be used from distinct threads. */
#ifndef TEXTMILL_KIT_H
#define TEXTMILL_KIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define KIT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define KIT_PRINTF(f, a)
#endif

#define KIT_OOM "out of memory"

/* ---- allocation ----------------------------------------------------------- */

/* Every allocation of the toolkit goes through kit_realloc (realloc by
 * default). kit_set_realloc replaces it, for tests that make memory run
 * out; NULL restores realloc. Not thread-safe: set it before anything runs. */
void kit_set_realloc(void *(*fn)(void *ptr, size_t size));
void *kit_realloc(void *ptr, size_t size);
static inline void *kit_malloc(size_t size) { return kit_realloc(NULL, size ? size : 1); }
void *kit_calloc(size_t n, size_t size); /* NULL also when n * size overflows */
/* A NUL-terminated copy of the n bytes at s; NULL when out of memory. */
char *kit_strndup(const char *s, size_t n);

/* ---- kit_buf: a growable byte buffer --------------------------------------- */

/* Zero-initialise it ({0}). p is NULL until the first append and always
 * NUL-terminated after it; len excludes the NUL. */
typedef struct kit_buf {
	char *p;
	size_t len, cap;
	int failed; /* an append ran out of memory; sticky until cleared */
} kit_buf;

/* Room for extra more bytes (and the NUL): 0, or -1 with b->failed set. */
int kit_buf_reserve(kit_buf *b, size_t extra);
void kit_buf_put(kit_buf *b, const void *data, size_t len);
void kit_buf_puts(kit_buf *b, const char *s);
void kit_buf_printf(kit_buf *b, const char *fmt, ...) KIT_PRINTF(2, 3);
void kit_buf_vprintf(kit_buf *b, const char *fmt, va_list ap);
/* The decimal digits of v, as "%llu" would write them, without printf. */
void kit_buf_put_uint(kit_buf *b, uint64_t v);
/* The decimal digits of v at the end of out[0, 20); returns how many. */
size_t kit_uint_digits(char out[20], uint64_t v);
/* The UTF-8 of code point cp (U+FFFD for a surrogate or past U+10FFFF). */
void kit_buf_put_cp(kit_buf *b, int32_t cp);
void kit_buf_free(kit_buf *b);

static inline void kit_buf_putc(kit_buf *b, char c)
{
	if (b->len + 2 > b->cap && kit_buf_reserve(b, 1))
		return;
	b->p[b->len++] = c;
	b->p[b->len] = 0;
}

/* Empty it, keeping the memory, and forget an earlier failure. */
static inline void kit_buf_clear(kit_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->p)
		b->p[0] = 0;
}

static inline int kit_buf_failed(const kit_buf *b) { return b->failed; }
/* The contents as a C string: "" while empty. */
static inline const char *kit_buf_str(const kit_buf *b) { return b->p ? b->p : ""; }

/* ---- UTF-8 (Unicode table 3-7: no overlong forms, surrogates or code
 * points past U+10FFFF) ------------------------------------------------------ */

/* Length of the valid UTF-8 prefix of s: len when all of it is valid. */
size_t kit_utf8_valid_prefix(const char *s, size_t len);
static inline int kit_utf8_valid(const char *s, size_t len) { return kit_utf8_valid_prefix(s, len) == len; }
/* The character at s (n > 0 bytes left): its code point, with its length
 * in *used; -1 with *used the bytes that belong to the bad sequence (at
 * least 1: the lead byte and the continuation bytes that fitted). */
int32_t kit_utf8_decode(const char *s, size_t n, size_t *used);
/* Characters (code points) of valid UTF-8: its bytes less the
 * continuation bytes (10xxxxxx), counted eight bytes at a time. */
size_t kit_utf8_count(const char *s, size_t len);
/* Write code point cp to out (4 bytes of room); returns the bytes
 * written. A surrogate or a value past U+10FFFF is written as U+FFFD. */
size_t kit_utf8_encode(char *out, int32_t cp);

/* ---- JSON ------------------------------------------------------------------
 * Strict RFC 8259: strings must be UTF-8, escapes complete (a surrogate
 * pair or nothing), no trailing commas, nesting at most KIT_JSON_MAX_DEPTH. */

#define KIT_JSON_MAX_DEPTH 256

/* A read position and the first error found. */
typedef struct kit_json_cursor {
	const char *p, *start, *end;
	const char *error;    /* a static message, NULL while all is well */
	const char *error_at; /* where it was found */
	int utf8_checked;     /* the caller knows the whole text is UTF-8 */
} kit_json_cursor;

static inline kit_json_cursor kit_json_at(const char *s, size_t len)
{
	kit_json_cursor c = {s, s, s + len, NULL, NULL, 0};
	return c;
}

/* Eight-byte words with a byte that needs escaping in a JSON string (a
 * control character, '"' or '\\') have a nonzero result. */
static inline uint64_t kit_json_special_bytes(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
	uint64_t zero_quote = (quote - ones) & ~quote & highs;
	uint64_t zero_slash = (slash - ones) & ~slash & highs;
	uint64_t control = (w - ones * 0x20) & ~w & highs;
	return zero_quote | zero_slash | control;
}

/* How many bytes at the start of s[0, len) go into a JSON string as they
 * are (no control character, '"' or '\\'): eight at a time, then one. */
static inline size_t kit_json_plain_prefix(const char *s, size_t len)
{
	size_t i = 0;
	for (uint64_t w; len - i >= 8; i += 8)
		if (memcpy(&w, s + i, 8), kit_json_special_bytes(w))
			break;
	while (i < len && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

static inline void kit_json_skip_ws(kit_json_cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* Each returns 0, or -1 with c->error set (the first error stays). */
/* Step over one value (and the spaces before it), checking it. */
int kit_json_skip_value(kit_json_cursor *c);
/* Decode the string at c->p (at its '"'), appending it to out; out NULL
 * only checks it. Running out of memory sets out->failed, not c->error. */
int kit_json_read_string(kit_json_cursor *c, kit_buf *out);
/* Decode the string at c->p into out, which has room for as many bytes
 * as the string takes in the text (decoded text is never longer: step a
 * copy of the cursor over it with kit_json_read_string(&copy, NULL) to
 * learn that); *len gets the decoded length. Allocates nothing. */
int kit_json_decode_string(kit_json_cursor *c, char *out, size_t *len);
/* Step over the number at c->p; *len its length (the text stays where it is). */
int kit_json_skip_number(kit_json_cursor *c, size_t *len);
/* Walking an object or an array by hand (to build values of your own):
 * kit_json_open steps over the '{' or '[' at c->p (object says which) and
 * returns 1 if items follow, 0 if it closed at once; before a member's
 * value, read its name with kit_json_read_string, then kit_json_colon;
 * after each item, kit_json_next returns 1 after a ',', 0 after the
 * closing character. Each skips spaces; -1 with c->error set on error. */
int kit_json_open(kit_json_cursor *c, int object);
int kit_json_colon(kit_json_cursor *c);
int kit_json_next(kit_json_cursor *c, int object);
/* Nonzero if [s, s+len) is exactly one JSON value, spaces around it allowed. */
int kit_json_is_value(const char *s, size_t len);

/* A parsed JSON text as a tree, for code that looks values up. */
typedef enum kit_json_kind {
	KIT_JSON_NULL = 0,
	KIT_JSON_FALSE,
	KIT_JSON_TRUE,
	KIT_JSON_NUMBER,
	KIT_JSON_STRING,
	KIT_JSON_ARRAY,
	KIT_JSON_OBJECT
} kit_json_kind;

typedef struct kit_json kit_json;
struct kit_json {
	kit_json_kind kind;
	const char *str; /* STRING: the decoded bytes (NUL-terminated); NUMBER: as written */
	size_t len;
	double num;      /* NUMBER */
	const char *key; /* a member of an OBJECT: its decoded name */
	size_t key_len;
	kit_json *child; /* ARRAY, OBJECT: the first item or member */
	kit_json *next;  /* the next sibling */
	size_t n;        /* ARRAY, OBJECT: the number of children */
};

/* The tree of one JSON text (spaces around it allowed), all of it in one
 * allocation chain that kit_json_free releases. NULL with *error set to
 * a static message (KIT_OOM when memory ran out) if it is not valid. */
kit_json *kit_json_parse(const char *text, size_t len, const char **error);
void kit_json_free(kit_json *v);
/* The member `key` of an object (the last one of duplicates), or NULL. */
const kit_json *kit_json_get(const kit_json *v, const char *key);
/* Follow a dotted path of member names, "a.b.c". */
const kit_json *kit_json_path(const kit_json *v, const char *path);

/* Append s as a quoted JSON string: '"', '\\' and control characters
 * escaped (\n \r \t \b \f, others \u00XX); other bytes as they are. */
void kit_json_put_string(kit_buf *b, const char *s, size_t len);
/* A number as JSON wants it: integers without a fraction, the shortest
 * of %.15g and %.17g that reads back the same, null for NaN and infinity. */
void kit_json_put_number(kit_buf *b, double v);
/* Append v as compact JSON. */
void kit_json_write(kit_buf *b, const kit_json *v);

/* ---- kit_map: an open-addressing hash map, uint64_t -> uint64_t ----------- */

/* Linear probing, at most half full, every key allowed (0 too); keys are
 * mixed inside, so sequential keys spread as well as hashes do.
 * Zero-initialise it ({0}). */
typedef struct kit_map {
	struct kit_map_slot *slots;
	size_t cap, n;
	int has_zero; /* key 0 is stored beside the slots */
	uint64_t zero_value;
} kit_map;

/* A pointer to the value stored under key, or NULL. It stays valid until
 * the next kit_map_put. */
uint64_t *kit_map_get(const kit_map *m, uint64_t key);
/* A pointer to the value under key, adding key with value 0 if absent
 * (*added 1 then, when added is not NULL); NULL when out of memory. */
uint64_t *kit_map_put(kit_map *m, uint64_t key, int *added);
static inline size_t kit_map_count(const kit_map *m) { return m->n + (size_t)m->has_zero; }
/* Walk the entries in no particular order: start with *at = 0; returns 0
 * after the last. */
int kit_map_next(const kit_map *m, size_t *at, uint64_t *key, uint64_t *value);
void kit_map_free(kit_map *m);

/* A 64-bit hash of n bytes (FNV-1a, finished with a mix), from seed. */
uint64_t kit_hash(const void *data, size_t n, uint64_t seed);

/* A map from byte strings (copied) to uint64_t, on top of kit_map. */
typedef struct kit_strmap {
	kit_map index; /* hash -> entry + 1 of the first entry with it */
	struct kit_strmap_entry *v;
	size_t n, cap;
} kit_strmap;

uint64_t *kit_strmap_get(const kit_strmap *m, const void *key, size_t len);
/* As kit_map_put; the key is copied. */
uint64_t *kit_strmap_put(kit_strmap *m, const void *key, size_t len, int *added);
/* Walk the entries in the order they were added: start with *at = 0;
 * returns 0 after the last. */
int kit_strmap_next(const kit_strmap *m, size_t *at, const char **key, size_t *len, uint64_t *value);
void kit_strmap_free(kit_strmap *m);

/* ---- files ----------------------------------------------------------------- */

/* Make directory path and those leading to it, as `mkdir -p` (mode 0777
 * less the umask). 0, or -1 with errno set. */
int kit_mkdirs(const char *path);
/* Make the directories leading to the file at path. */
int kit_mkdir_parents(const char *path);
/* Append the whole file at path to out. 0, or -1 with errno set (ENOMEM
 * when out ran out of memory); out keeps what was read before an error. */
int kit_read_file(const char *path, kit_buf *out);
/* Write all n bytes to fd, again after EINTR; 0, or -1 with errno set. */
int kit_write_all(int fd, const void *data, size_t n);
/* fsync (where the file supports it) then close; 0, or -1 with errno set. */
int kit_sync_close(int fd);
/* Start writing bytes [from, from + n) of fd to disk (n 0: to the end)
 * and return at once: the sync at the end then waits for less, and the
 * disk works while the CPU does. Linux's sync_file_range; nothing
 * elsewhere, and nothing to report: the sync tells what failed. */
void kit_writeback(int fd, long long from, long long n);

/* A file that appears complete or not at all: written under a temporary
 * name beside path (".NAME.tmp-PID-XXXXXX", with the mode a new file
 * gets), synced and renamed over path by kit_afile_commit. */
typedef struct kit_afile {
	char *path, *tmp;
	int fd; /* -1 while closed (the caller may close it) */
} kit_afile;

/* Create the temporary file (and the directories leading to path): 0, or
 * -1 with "cannot create PATH: why" in err. */
int kit_afile_open(kit_afile *f, const char *path, kit_buf *err);
/* Sync, close and rename into place; 0, or -1 with a message in err (the
 * temporary file is removed then). Frees f's names either way. */
int kit_afile_commit(kit_afile *f, kit_buf *err);
/* Sync and close, keeping the temporary file, for a caller that renames
 * it later (with other files, all at once); 0, or -1 with a message in err
 * (the temporary file is removed and f's names freed then). */
int kit_afile_sync(kit_afile *f, kit_buf *err);
/* Close and remove the temporary file; frees f's names. Harmless twice. */
void kit_afile_abort(kit_afile *f);

/* ---- strings --------------------------------------------------------------- */

static inline int kit_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static inline int kit_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Of n candidates, the one closest to word by edit distance, if it is
 * close enough to be a typo of it (a third of word's length, plus one);
 * else NULL, also when out of memory. For "did you mean". */
const char *kit_closest_word(const char *word, const char *const *candidates, size_t n);

#endif
