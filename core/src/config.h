/* config.h -- a pipeline config: YAML plus command-line overrides, checked
 * against the plugins' option tables. */
#ifndef TM_CONFIG_H
#define TM_CONFIG_H

#include "host.h"

typedef struct stage_conf {
	const stage_entry *entry;
	const tm_node *node;
	tm_options *opts;
	char *label;                      /* "stages.2", "outputs.0" */
	const struct global_role *global; /* run --global: its phase of a sharded run, or NULL */
} stage_conf;

/* max_document_bytes: its default, and the most it may be (the reader's
 * buffer holds one document whole). */
#define DEFAULT_MAX_DOCUMENT_BYTES 67108864 /* 64 MiB; a literal, for the option table */
#define MAX_MAX_DOCUMENT_BYTES ((size_t)1 << 30)

typedef struct pipeline_conf {
	tree t;
	tm_node *root;
	char *path, *dir; /* the config file and its directory */
	registry reg;
	int input_stdin;           /* the reader reads standard input */
	tm_options *input;         /* `input:`'s type and paths */
	const stage_entry *reader; /* the reader its type names */
	stage_conf *readers;       /* every input reader, with its options from `input:` */
	size_t n_readers;
	stage_conf *stages, *outputs;
	size_t n_stages, n_outputs;
	unsigned workers;
	int workers_from; /* 0 default, 1 config, 2 command line */
	tm_options *top;  /* workers, on_error, rejects */
	int fail_on_reject;
	const char *rejects; /* resolved path or NULL */
	int rejects_off;     /* NULL because -o was given without --rejects */
	char **plugin_path;
	size_t n_plugin_path;
	unsigned shard_index, shard_count; /* --shard I/N; count 0 or 1: no sharding */
	unsigned long long limit;          /* --limit N: read the first N records; 0: all */
	size_t max_document_bytes;         /* a larger document is rejected unread */
	int quiet;                         /* -q: no warnings */
} pipeline_conf;

typedef struct overrides {
	const char **inputs;
	size_t n_inputs;
	const char *output;
	const char *rejects; /* --rejects PATH; with -o and without it, no rejects file */
	const char **sets;   /* "KEY=VALUE" */
	size_t n_sets;
	unsigned workers;                  /* 0: not given */
	int stages_only;                   /* input and outputs may be missing (try, test) */
	int builtins_optional;             /* the harness: no built-in plugin folder is fine */
	const char *summary_json;          /* run only: --summary-json PATH */
	unsigned shard_index, shard_count; /* --shard I/N */
	unsigned long long limit;          /* --limit N; 0: not given */
	int quiet;                         /* -q */
	const char **globals;              /* run only: --global MODE:STAGE:I/N:DIR (repeatable) */
	size_t n_globals;
} overrides;

/* Load, override and validate; -1 with a message in err. */
TM_INTERNAL int config_load(pipeline_conf *pc, const char *path, const overrides *ov, buf *err);
/* The same from YAML text; `name` stands for the file in messages, and
 * relative paths are resolved against `dir`. */
TM_INTERNAL int config_load_text(pipeline_conf *pc, const char *text, size_t len, const char *name, const char *dir,
				 const overrides *ov, buf *err);
/* Load the plugins on the path alone (for `textmill plugins`). */
TM_INTERNAL int config_plugins(registry *reg, const char *const *extra, size_t n_extra, buf *err);
TM_INTERNAL void config_print(const pipeline_conf *pc, buf *out);
/* The same as one JSON object, one line: what `check --json` prints. */
TM_INTERNAL void config_print_json(const pipeline_conf *pc, buf *out);
TM_INTERNAL void config_free(pipeline_conf *pc);
/* One stage type's options as a table, for `textmill plugins NAME`. */
TM_INTERNAL void print_stage_help(const stage_entry *e, buf *out);
TM_INTERNAL void print_stage_json(const stage_entry *e, buf *out);

#endif
