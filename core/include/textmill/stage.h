/*
 * stage.h -- stage types, their options, and what the host offers them.
 *
 * A stage type is a table: a name, a one-line summary, the options it
 * accepts, some flags, and four callbacks. The host validates the user's
 * config against the options table, so create() only ever sees values of
 * the declared types. Plugins include <textmill/textmill.h>; this header
 * also compiles on its own.
 *
 * Life of a stage in a run:
 *   create()   once per instance, with the validated options;
 *   process()  once per document, in input order for serial stages;
 *              TM_ERROR rejects that document with the message as its
 *              reason (and stops the run under `on_error: fail`); for an
 *              output, TM_ERROR stops the run;
 *   finish()   once per instance at the end of a successful stream;
 *              TM_ERROR from create() or finish() stops the run; files
 *              committed with tm_file_commit() are not in place yet;
 *   commit()   optional, once per instance, after every stage's finish()
 *              succeeded and every file of the run was written: make the
 *              stage's work permanent (a database's COMMIT); then the
 *              host renames the files into place; TM_ERROR stops there;
 *   destroy()  always, last, also after a failure (then without finish()
 *              or commit()), and also when create() failed: with whatever
 *              create() had stored in *state by then (NULL if nothing).
 * A TM_STAGE_PARALLEL stage gets one instance per worker thread; each
 * instance is only ever called from one thread at a time. A serial stage
 * with prepare() has the per-document part of its work done on the workers
 * (say, a MinHash signature) and the ordered part in process() (the index).
 */
#ifndef TEXTMILL_STAGE_H
#define TEXTMILL_STAGE_H

#include <stdarg.h>
#include <stddef.h>

#include "textmill/abi.h"
#include "textmill/document.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tm_ctx tm_ctx;         /* the host's handle for one stage instance */
typedef struct tm_options tm_options; /* validated options of one stage */
typedef struct tm_node tm_node;       /* a node of the config (for map options) */

typedef enum tm_opt_type {
	TM_OPT_STRING = 1,
	TM_OPT_PATH, /* a string, resolved relative to the config file */
	TM_OPT_INT,
	TM_OPT_FLOAT,
	TM_OPT_BOOL,
	TM_OPT_ENUM, /* a string from `choices`, e.g. "new|old|keep" */
	TM_OPT_LIST, /* a list of strings (a single string is a list of one) */
	TM_OPT_MAP   /* any mapping, read with the tm_node functions */
} tm_opt_type;

typedef struct tm_option {
	const char *name;
	tm_opt_type type;
	const char *default_value; /* as written in YAML; NULL: no default */
	const char *help;          /* one line */
	const char *choices;       /* TM_OPT_ENUM only: "a|b|c" */
	int required;              /* nonzero: the user must set it */
	/* ---- settings struct (zero in plugins built before it existed) ---- */
	/* Where the host stores the checked value in the stage's settings
	 * struct (see tm_stage_type.settings_size); set both with TM_FIELD.
	 * size 0: the option fills no field. The member's type by option:
	 *   STRING, PATH   const char *      (NULL when unset; PATH resolved)
	 *   INT            a signed integer type (int, long long ...); a value
	 *                  the type cannot hold is refused (an unsigned type
	 *                  is taken as the signed type of its size)
	 *   FLOAT          double or float
	 *   BOOL           int (or any integer type): 1 or 0
	 *   ENUM           any integer type: the index of the value in choices
	 *   LIST           tm_strings, or const char *const * (NULL-terminated);
	 *                  unset: NULL items, while [] is an empty list
	 *   MAP            const char *: the mapping as JSON, typed as the host
	 *                  types YAML scalars (see tm_opt_json)
	 * An unset option (neither given nor defaulted) leaves its member 0. */
	size_t offset;
	size_t size;
	/* INT and FLOAT: the value must be in [min, max]; both 0: no bounds
	 * beyond those of the member's type. TM_NO_MAX: no upper bound. */
	double min, max;
} tm_option;

/* In a designated initializer of a tm_option: the member of the settings
 * struct the option fills, e.g. TM_FIELD(my_settings, min_words). */
#define TM_FIELD(type, member) .offset = offsetof(type, member), .size = sizeof(((type *)0)->member)
#define TM_NO_MAX 9007199254740992.0 /* 2^53: "at least min" */

/* A LIST option's value in a settings struct: n strings, then NULL. */
typedef struct tm_strings {
	const char *const *item;
	size_t n;
} tm_strings;

/* Flags of a stage type. The loader refuses a stage type with a bit it does
 * not know (one from a newer textmill) instead of ignoring what it asks. */
enum {
	TM_STAGE_PARALLEL = 1u << 0,    /* process() may run on several workers */
	TM_STAGE_OUTPUT = 1u << 1,      /* an output: listed under `outputs:` */
	TM_STAGE_TAKES_BYTES = 1u << 2, /* accepts text that is not valid UTF-8
					   (and must leave it valid) */
	TM_STAGE_GLOBAL = 1u << 3,      /* decides over the whole corpus even in a
					   sharded run: has merge() (see below) */
	TM_STAGE_INPUT = 1u << 4        /* an input reader: turns files into
					   documents, with open(), next() and close() */
};

typedef struct tm_input tm_input; /* the host's handle for the file a reader reads */

typedef struct tm_stage_type {
	const char *name;         /* "clean.normalize"; dotted family.name */
	const char *summary;      /* one line for `textmill plugins` */
	const tm_option *options; /* array ended by an entry with name NULL */
	unsigned flags;           /* TM_STAGE_* */
	const char *extensions;   /* outputs: file endings for `-o`, e.g. ".jsonl .jsonl.gz" */
	int (*create)(tm_ctx *ctx, const tm_options *opts, void **state);
	int (*process)(tm_ctx *ctx, void *state, tm_doc *doc);
	int (*finish)(tm_ctx *ctx, void *state); /* may be NULL */
	void (*destroy)(void *state);            /* may be NULL */
	/* Optional, for serial stages whose per-document work can be split: called
	 * on the worker threads for each document of a batch before process()
	 * sees them in input order. It may read the state but not change it; it
	 * hands its result to process() with tm_doc_stash(). A parallel stage
	 * may have it too: it gets the first instance's state, for every
	 * document of the batch before any instance's process() (a search
	 * whose tables then stay in the cache from one document to the next). */
	int (*prepare)(tm_ctx *ctx, const void *state, tm_doc *doc);
	/* Optional: the second phase of the run's commit (see above). Keep it
	 * short and unlikely to fail: whatever could fail belongs in finish(),
	 * since a commit that fails after another one succeeded leaves that
	 * other one done. */
	int (*commit)(tm_ctx *ctx, void *state);
	/* The TM_OPT_PATH options naming files the stage writes (an index, a
	 * report), separated by spaces, e.g. "index signatures": two writers
	 * of one file are a config error. An output's `path` always counts. */
	const char *writes;

	/* ---- Sharded runs: a global phase (docs/writing-plugins.md) ----
	 * A stage whose decision about a document depends on the documents
	 * before it (deduplication) would see only its own shard in a sharded
	 * run. With TM_STAGE_GLOBAL (serial stages only) and merge(), it
	 * decides over the whole corpus in three phases, and tm_global_mode()
	 * tells it which one it is in:
	 *   collect  each shard: pass every document unchanged and write, to
	 *            files in tm_global_dir(), what the merge needs;
	 *   merge    one call, no documents: read the files of all shards, and
	 *            write to tm_global_dir() each shard's decisions;
	 *   apply    each shard, over the documents that reached the stage in
	 *            collect, in the same order: carry out the shard's
	 *            decisions (drop, mark, rewrite) as one run would have.
	 * merge() gets a context and the stage's options, but no instance.
	 * With several such stages, each gets its three phases in turn. */
	int (*merge)(tm_ctx *ctx, const tm_options *opts);

	/* ---- settings struct (zero in plugins built before it existed) ---- */
	/* sizeof the struct the options fill (see tm_option.offset); 0: the
	 * stage reads its options by name only. The host checks every option
	 * and fills a zeroed struct before create(), which gets it with
	 * tm_opt_settings(). */
	size_t settings_size;

	/* ---- Input readers (TM_STAGE_INPUT; zero in plugins built before) ----
	 * A reader turns the bytes of a file into documents. It takes the files
	 * whose names end in one of its `extensions` (".warc .warc.gz"; the
	 * longest ending of any reader wins) and, for a name no reader claims,
	 * those whose first bytes sniff() accepts. Its options are given under
	 * `input:`. create() and destroy() are as for a stage; process() is
	 * never called and may be NULL. For each file the host calls open(),
	 * then next() until it returns 0, then close(); one file at a time, on
	 * the host's reader thread. */
	/* Nonzero if a file starting with head[0, len) is one the reader reads
	 * (len is at most 512, less for a shorter file). May be NULL. */
	int (*sniff)(const unsigned char *head, size_t len);
	/* Open the file tm_input_path(in) names into *file: TM_OK, or TM_ERROR
	 * (tm_fail naming the file), which stops the run. */
	int (*open)(tm_ctx *ctx, void *state, tm_input *in, void **file);
	/* Fill doc (empty) with the file's next record: 1; 0 at its end; or
	 * TM_ERROR (tm_fail naming the file) for an error that stops the run,
	 * such as a read error. A record that cannot be read is still given,
	 * rejected with tm_input_reject(), so nothing is lost silently. */
	int (*next)(tm_ctx *ctx, void *file, tm_input *in, tm_doc *doc);
	void (*close)(void *file); /* may be NULL; also after a failed next() */
	/* The endings of the files it can start reading at any byte a shard
	 * of a sharded run begins at (".jsonl": at the next line); every
	 * other file is read whole, by the shard holding its first byte. */
	const char *splits;
} tm_stage_type;

/* What a plugin exports under the name "textmill_plugin". */
typedef struct tm_plugin {
	int abi_version;          /* TM_ABI_VERSION the plugin was built with */
	unsigned stage_type_size; /* sizeof(tm_stage_type) it was built with */
	unsigned option_size;     /* sizeof(tm_option) it was built with */
	const tm_stage_type *stages;
	size_t n_stages;
} tm_plugin;

#define TM_PLUGIN_SYMBOL "textmill_plugin"

/* Export the stage types of this plugin: TM_PLUGIN(my_stages); */
#define TM_PLUGIN(stages_array)                                                                             \
	TM_API const tm_plugin textmill_plugin = {TM_ABI_VERSION, sizeof(tm_stage_type), sizeof(tm_option), \
						  stages_array, sizeof(stages_array) / sizeof((stages_array)[0])}

/* ---- Options, as validated by the host ------------------------------- */

/* The stage's settings struct, filled from its options (values set by
 * the user, else the defaults; unset options stay zero). NULL if the stage
 * type declares no settings_size. It and every string, list and JSON text
 * it points to are the host's, read-only, shared by all instances of the
 * stage, and valid until after the last destroy() of the stage. */
TM_API const void *tm_opt_settings(const tm_options *opts);

/* Reading by name. Each reader takes a name the option table declares:
 * reading any other name in create() makes create() fail (even if it
 * returned TM_OK) with a message naming the stage and the name, so a typo
 * cannot read as zero; elsewhere it reads as unset. A read of an option
 * that is unset (neither given nor defaulted), or of another type, returns
 * the value shown after it. Strings live as long as the settings struct. */
TM_API int tm_opt_isset(const tm_options *opts, const char *name);          /* set or defaulted */
TM_API const char *tm_opt_string(const tm_options *opts, const char *name); /* NULL; STRING, PATH, ENUM */
TM_API long long tm_opt_int(const tm_options *opts, const char *name);      /* 0; ENUM: the index */
TM_API double tm_opt_float(const tm_options *opts, const char *name);       /* 0.0; INT reads too */
TM_API int tm_opt_bool(const tm_options *opts, const char *name);           /* 0 */
TM_API size_t tm_opt_list_len(const tm_options *opts, const char *name);    /* 0 */
TM_API const char *tm_opt_list_item(const tm_options *opts, const char *name, size_t i); /* NULL; also past the end */
/* A MAP option's node (NULL if unset). */
TM_API const tm_node *tm_opt_node(const tm_options *opts, const char *name);
/* A MAP option as JSON text (NULL if unset): plain scalars that YAML reads
 * as booleans (true, yes, on ...), numbers or null become those; anything
 * else, and every quoted scalar, a string. */
TM_API const char *tm_opt_json(const tm_options *opts, const char *name);
/* "FILE:LINE:COL" of the option's value, for messages about it; "--set
 * KEY" for a value from the command line, "default of option 'NAME'" for
 * a default, "config" if unset. */
TM_API const char *tm_opt_where(const tm_options *opts, const char *name);

/* ---- Config nodes, for TM_OPT_MAP options ---------------------------- */

typedef enum tm_node_kind { TM_NODE_SCALAR = 1, TM_NODE_LIST, TM_NODE_MAP } tm_node_kind;

TM_API tm_node_kind tm_node_type(const tm_node *node);
TM_API const char *tm_node_scalar(const tm_node *node);             /* NULL unless a scalar */
TM_API size_t tm_node_len(const tm_node *node);                     /* items of a list or map */
TM_API const char *tm_node_key(const tm_node *node, size_t i);      /* map keys */
TM_API const tm_node *tm_node_child(const tm_node *node, size_t i); /* list items, map values */
TM_API const tm_node *tm_node_get(const tm_node *map, const char *key);
/* Nonzero for a plain (unquoted) scalar, which YAML may read as a number,
 * a boolean or null; zero for a quoted one, which is always a string. */
TM_API int tm_node_plain(const tm_node *node);
TM_API const char *tm_node_where(const tm_node *node); /* "FILE:LINE:COL" */

/* ---- The host's services to a stage instance -------------------------- */

/* Record why the call failed and return TM_ERROR. The host prefixes the
 * stage's name and, while a document is being processed, its id. */
TM_API int tm_fail(tm_ctx *ctx, const char *fmt, ...) TM_PRINTF(2, 3);
TM_API int tm_vfail(tm_ctx *ctx, const char *fmt, va_list ap);
/* A line of information on stderr (silenced by --quiet). */
TM_API void tm_log(tm_ctx *ctx, const char *fmt, ...) TM_PRINTF(2, 3);
/* Add to a named counter shown under this stage in the run summary. */
TM_API void tm_count(tm_ctx *ctx, const char *counter, long long delta);
TM_API const char *tm_ctx_stage(const tm_ctx *ctx); /* the stage type's name */
TM_API unsigned tm_ctx_worker(const tm_ctx *ctx);   /* 0 .. workers-1 */
TM_API unsigned tm_ctx_workers(const tm_ctx *ctx);
/* The run so far as a JSON object (the shape `--summary-json` writes):
 * config and its hash, documents read/written/dropped/rejected, and per
 * stage its counts, reasons, counters and time. For outputs that record
 * runs; valid until the next call. "{}" outside a run. */
TM_API const char *tm_run_summary(tm_ctx *ctx);

/* ---- Sharded runs: the global phase of a TM_STAGE_GLOBAL stage ------- */

enum {
	TM_GLOBAL_OFF = 0, /* an ordinary run (also every stage without the flag) */
	TM_GLOBAL_COLLECT, /* phase 1, one shard: pass every document, collect */
	TM_GLOBAL_MERGE,   /* phase 2: inside merge() */
	TM_GLOBAL_APPLY    /* phase 3, one shard: apply the merge's decisions */
};

/* The stage's phase: one of TM_GLOBAL_*. */
TM_API int tm_global_mode(const tm_ctx *ctx);
/* This shard (0 in merge) and, in *shards if not NULL, how many there are
 * (1 outside a sharded run). */
TM_API unsigned tm_global_shard(const tm_ctx *ctx, unsigned *shards);
/* The stage's own folder of the sharded run, shared by every shard and the
 * merge (on a filesystem they all see; it exists); the stage names the
 * files in it. NULL outside a sharded run. */
TM_API const char *tm_global_dir(const tm_ctx *ctx);
/* In merge: the memory it should keep within, in bytes (0: not given). */
TM_API size_t tm_global_memory(const tm_ctx *ctx);

/* ---- Input readers: what the host offers inside open() and next() ---- */

/* The file to read: a path, or "-" for standard input. Valid until close(). */
TM_API const char *tm_input_path(const tm_input *in);
/* The part of the file this shard reads, [*from, *to) in bytes (*to is
 * ~0ULL for all of it): a record belongs to the shard whose part holds its
 * first byte. Only a file with an ending of the reader's `splits` is cut;
 * any other is given whole (0, ~0ULL). */
TM_API void tm_input_range(const tm_input *in, unsigned long long *from, unsigned long long *to);
/* max_document_bytes: a larger record is rejected unread (tm_input_reject). */
TM_API size_t tm_input_max_bytes(const tm_input *in);
/* Where the record in doc came from, for its source ("FILE:LINE"; line 0:
 * "FILE") and its id when it has none, and its size in the input, which
 * the progress line counts. */
TM_API void tm_input_place(tm_input *in, tm_doc *doc, unsigned long long line, unsigned long long bytes);
/* Fill doc from one JSON Lines record (the shape output.jsonl writes), its
 * id and text under id_key and text_key (NULL: "id" and "text"): TM_OK; or
 * TM_ERROR with doc rejected (the reason names the column) and the record
 * kept for the rejects file. */
TM_API int tm_input_json(tm_input *in, tm_doc *doc, const char *rec, size_t len, const char *id_key,
			 const char *text_key);
/* Reject the record in doc with `reason`, keeping raw[0, len) (what could
 * be read of it) for the rejects file. */
TM_API void tm_input_reject(tm_input *in, tm_doc *doc, const char *reason, const void *raw, size_t len);

/* ---- Writing files that appear only when complete -------------------- */

typedef struct tm_file tm_file;

/* Open a temporary file beside `path` ("-" is stdout). Nothing appears at
 * `path` until the file is committed. */
TM_API tm_file *tm_file_open(tm_ctx *ctx, const char *path);
/* Buffered write; on any error the message is recorded in ctx. */
TM_API int tm_file_write(tm_file *f, const void *data, size_t len);
/* Flush and sync the file; the handle is freed either way. During a run
 * the file is renamed into place only when the whole run has succeeded,
 * with every other file of the run; outside a run, at once. */
TM_API int tm_file_commit(tm_file *f);
/* Remove the temporary file and free the handle (safe on NULL). */
TM_API void tm_file_abort(tm_file *f);
/* For a file the stage writes by other means (a database library): a new,
 * empty temporary file beside `path`, named as tm_file names its own.
 * The host removes it (and NAME-journal, NAME-wal, NAME-shm beside it)
 * if the run is interrupted or crashes, and a later run removes one that
 * a killed run left. The stage removes it on failure and puts it in place
 * itself, in commit(). Returns the name (free() it); NULL with the message
 * recorded in ctx. */
TM_API char *tm_file_temp(tm_ctx *ctx, const char *path);

#ifdef __cplusplus
}
#endif
#endif
