/* host.h -- the host's own modules: config tree, options, stage contexts,
 * the plugin registry. Nothing here is visible to plugins. */
#ifndef TM_HOST_H
#define TM_HOST_H

#include "util.h"

/* ---- config tree (tree.c, yaml.c) ------------------------------------ */

struct tm_node {
	tm_node_kind kind;
	char *scalar;
	int plain;
	char **keys; /* map keys, parallel to items */
	tm_node **items;
	size_t n, cap;
	const char *file;         /* owned by the tree */
	unsigned line, col;       /* 1-based */
	char *where;              /* "FILE:LINE:COL", made on demand */
	size_t weight;            /* nodes reachable, counting aliases */
	const char *anchor_where; /* set on alias uses */
	int command_line;         /* from --set: a relative path is the current directory's */
	struct tm_node *next_alloc;
};

typedef struct tree {
	tm_node *all; /* every node, for freeing */
	char **files; /* source names */
	size_t n_files;
} tree;

TM_INTERNAL tm_node *node_new(tree *t, tm_node_kind kind, const char *file, unsigned line, unsigned col);
TM_INTERNAL void node_append(tm_node *list, tm_node *item);
TM_INTERNAL void node_put(tm_node *map, const char *key, tm_node *value); /* add or replace */
TM_INTERNAL const char *tree_file(tree *t, const char *name);
/* Forget line and column in a subtree whose source is not a file. */
TM_INTERNAL void node_unplace(tm_node *n);
TM_INTERNAL void tree_free(tree *t);

/* Parse YAML text into one node; NULL with "FILE:LINE:COL: message" in err.
 * ${VAR} and ${VAR:-default} in scalars are expanded from the environment. */
TM_INTERNAL tm_node *yaml_load(tree *t, const char *text, size_t len, const char *file, buf *err);
TM_INTERNAL tm_node *yaml_load_file(tree *t, const char *path, buf *err);
/* Print a node as one line of flow YAML. */
TM_INTERNAL void node_print_flow(const tm_node *n, buf *out);

/* A node as JSON: plain scalars that read as numbers, booleans or null keep
 * that meaning, everything else is a string. */
TM_INTERNAL void node_to_json(const tm_node *n, buf *out);

/* Scalar conversions shared by options and the top-level config. */
TM_INTERNAL int scalar_int(const tm_node *n, long long *out);
TM_INTERNAL int scalar_float(const tm_node *n, double *out);
TM_INTERNAL int scalar_bool(const tm_node *n, int *out);
TM_INTERNAL const char *node_kind_name(const tm_node *n);

/* ---- options (options.c) --------------------------------------------- */

/* The host's own tables only: a key whose value its own code checks (the
 * top-level `stages:`); the options table only names and documents it. */
#define OPT_NODE ((tm_opt_type)100)

typedef struct opt_value {
	const tm_node *node; /* the user's value or the default's; NULL if unset */
	int is_default;
	const char *str; /* STRING, PATH (resolved), ENUM */
	long long i;     /* INT; ENUM: the index of the value in choices */
	double f;
	int b;
	const char **list; /* LIST: list_len items, then NULL */
	size_t list_len;
	char *json; /* MAP, as JSON */
} opt_value;

struct tm_options {
	const tm_option *decl; /* host-layout copies, ended by name NULL */
	size_t n;
	opt_value *v;
	tree defaults;              /* nodes made from default_value texts */
	void *settings;             /* the filled settings struct, or NULL */
	_Atomic(char *) undeclared; /* the first name read that decl lacks */
};

/* Check `map` (a stage's config) against the declared options; keys listed
 * in `skip` (such as "type") are the host's. With settings_size, also
 * fill a settings struct of that size. NULL with a message on error. */
TM_INTERNAL tm_options *options_bind(const tm_option *decl, size_t settings_size, const tm_node *map,
				     const char *const *skip, const char *base_dir, buf *err);
TM_INTERNAL void options_free(tm_options *o);
TM_INTERNAL const char *opt_type_name(const tm_option *o);
/* p relative to the current directory made absolute ("-" stays "-"). */
TM_INTERNAL char *path_absolute(const char *p);
/* The value of a declared option (NULL for another name, which is not
 * recorded as a misread: the host asks, not the stage). */
TM_INTERNAL const opt_value *options_value(const tm_options *o, const char *name);
/* Say which name a stage read that its table lacks, if it did; -1 then. */
TM_INTERNAL int options_check_reads(const tm_options *o, buf *err);
/* The first key of `map` (a mapping) that decl lacks: "unknown option
 * 'x'; did you mean 'y'?" or the list of names, noun being "option" or
 * "key"; -1 then. */
TM_INTERNAL int options_check_keys(const tm_option *decl, const tm_node *map, const char *noun, buf *err);
/* Check the settings fields of a plugin's option table against its
 * struct; "option NAME: what is wrong" in err. */
TM_INTERNAL int options_check_table(const tm_option *decl, size_t settings_size, buf *err);

/* ---- stage contexts (ctx.c) ------------------------------------------ */

typedef struct counter {
	char *name;
	long long value;
	unsigned long long first; /* the ctx's order when it was first counted */
} counter;

struct tm_ctx {
	const char *stage; /* type name */
	const char *label; /* e.g. "stages.2" */
	unsigned worker, workers;
	int quiet;
	const char *doc_id; /* while processing a document */
	/* Where the run stands for this ctx's counts: 0 at create(), a
	 * document's place in the input while it is processed (pipeline.c),
	 * CTX_ORDER_END at finish(). Counters are reported in this order, so
	 * the summary does not depend on which worker counted first. */
	unsigned long long order;
	buf error;
	counter *counters;
	size_t n_counters;
	struct run *run;                  /* the run the stage belongs to */
	struct publish *publish;          /* the run's files, put in place at its end; NULL: at once */
	int rank;                         /* the order of its files among them (publish.h) */
	const struct global_role *global; /* a sharded run's global phase (global.h), or NULL */
};

#define CTX_ORDER_END (~0ULL)

TM_INTERNAL void ctx_init(tm_ctx *ctx, const char *stage, const char *label, unsigned worker, unsigned workers,
			  int quiet);
TM_INTERNAL void ctx_free(tm_ctx *ctx);

/* ---- plugin registry (loader.c) -------------------------------------- */

typedef struct stage_entry {
	tm_stage_type type; /* host-layout copy */
	tm_option *options; /* host-layout copies */
	const char *file;   /* the plugin it came from */
} stage_entry;

typedef struct registry {
	stage_entry *e;
	size_t n, cap;
	void **handles;
	size_t n_handles;
	char **files;
	size_t n_files;
} registry;

/* Load one plugin file, or every *.so in a directory. */
TM_INTERNAL int registry_load(registry *r, const char *path, buf *err);
TM_INTERNAL const stage_entry *registry_find(const registry *r, const char *name);
TM_INTERNAL const char *registry_suggest(const registry *r, const char *name, unsigned want_flags);
TM_INTERNAL void registry_free(registry *r);
/* The directory of the plugins built with textmill. */
TM_INTERNAL const char *builtin_plugin_dir(void);

/* ---- output files (file.c) --------------------------------------------- */

/* Whether a write to standard output found it closed (`run -o - | head`):
 * the reader wants no more, so the run ends quietly instead of failing. */
TM_INTERNAL int file_stdout_closed(void);

#endif
