/* config.c -- from a YAML file and command-line overrides to a checked
 * pipeline: every stage found, every option of the declared type. */
#include "config.h"
#include "input.h"
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* The top-level keys: what `check` accepts, "did you mean" suggests, and
 * the defaults. OPT_NODE keys are checked by their own code below. */
typedef struct top_settings {
	long long workers;
	int on_error; /* ON_ERROR_* */
	const char *rejects;
	long long max_document_bytes;
} top_settings;

enum { ON_ERROR_SKIP, ON_ERROR_FAIL };

static const tm_option top_options[] = {
	{.name = "input", .type = OPT_NODE, .help = "where documents come from"},
	{.name = "stages", .type = OPT_NODE, .help = "the stages, in order"},
	{.name = "outputs", .type = OPT_NODE, .help = "the outputs"},
	{.name = "workers",
	 .type = TM_OPT_INT,
	 .help = "threads for parallel stages",
	 .min = 1,
	 .max = 1024,
	 TM_FIELD(top_settings, workers)},
	{.name = "plugin_path", .type = OPT_NODE, .help = "more plugins: files or folders"},
	{.name = "on_error",
	 .type = TM_OPT_ENUM,
	 .default_value = "skip",
	 .choices = "skip|fail",
	 .help = "what a rejected document does to the run",
	 TM_FIELD(top_settings, on_error)},
	{.name = "rejects",
	 .type = TM_OPT_PATH,
	 .help = "JSON Lines file for rejected documents",
	 TM_FIELD(top_settings, rejects)},
	{.name = "max_document_bytes",
	 .type = TM_OPT_INT,
	 .default_value = STRINGIFY(DEFAULT_MAX_DOCUMENT_BYTES),
	 .help = "a larger input document is rejected unread",
	 .min = 1,
	 .max = (double)MAX_MAX_DOCUMENT_BYTES,
	 TM_FIELD(top_settings, max_document_bytes)},
	{0},
};

static tm_node *scalar_node(tree *t, const char *value, const char *source)
{
	tm_node *n = node_new(t, TM_NODE_SCALAR, tree_file(t, source), 0, 0);
	n->scalar = xstrdup(value);
	return n;
}

/* --set a.b.2.c=VALUE: walk (and make) the path, then put the parsed value. */
static int apply_set(pipeline_conf *pc, const char *assignment, buf *err)
{
	const char *eq = strchr(assignment, '=');
	if (!eq || eq == assignment) {
		buf_printf(err, "--set %s: expected KEY=VALUE, e.g. --set workers=2", assignment);
		return -1;
	}
	char *key = xstrndup(assignment, (size_t)(eq - assignment));
	char *source = xasprintf("--set %s", key);
	tm_node *value = yaml_load(&pc->t, eq + 1, strlen(eq + 1), source, err);
	int rc = -1;
	if (!value)
		goto out;
	node_unplace(value); /* "--set KEY" says where; a line 1 would not */
	tm_node *at = pc->root;
	char *save = NULL;
	char *part = strtok_r(key, ".", &save);
	while (part) {
		char *next = strtok_r(NULL, ".", &save);
		if (at->kind == TM_NODE_LIST) {
			char *end;
			unsigned long i = strtoul(part, &end, 10);
			if (*end || !*part || i >= at->n) {
				buf_printf(err, "%s: '%s' is a list of %zu; '%s' is not an index into it", source,
					   tm_node_where(at), at->n, part);
				goto out;
			}
			if (!next)
				at->items[i] = value;
			else
				at = at->items[i];
		} else if (at->kind == TM_NODE_MAP) {
			tm_node *child = (tm_node *)tm_node_get(at, part);
			if (!next) {
				node_put(at, part, value);
			} else {
				if (!child) {
					child = node_new(&pc->t, TM_NODE_MAP, tree_file(&pc->t, source), 0, 0);
					node_put(at, part, child);
				}
				at = child;
			}
		} else {
			buf_printf(err, "%s: cannot set '%s' inside the scalar at %s", source, part,
				   tm_node_where(at));
			goto out;
		}
		part = next;
	}
	rc = 0;
out:
	free(source);
	free(key);
	return rc;
}

/* -i replaces the input; -o replaces the outputs with one chosen by extension. */
static void apply_inputs(pipeline_conf *pc, const overrides *ov)
{
	tm_node *in = node_new(&pc->t, TM_NODE_MAP, tree_file(&pc->t, "-i"), 0, 0);
	if (ov->n_inputs == 1 && !strcmp(ov->inputs[0], "-")) {
		node_put(in, "type", scalar_node(&pc->t, "stdin", "-i"));
	} else {
		tm_node *paths = node_new(&pc->t, TM_NODE_LIST, tree_file(&pc->t, "-i"), 0, 0);
		for (size_t i = 0; i < ov->n_inputs; i++) {
			char *p = path_absolute(ov->inputs[i]);
			node_append(paths, scalar_node(&pc->t, p, "-i"));
			free(p);
		}
		node_put(in, "type", scalar_node(&pc->t, "files", "-i"));
		node_put(in, "paths", paths);
	}
	node_put(pc->root, "input", in);
}

static int apply_output(pipeline_conf *pc, const char *path, buf *err)
{
	const stage_entry *best = NULL;
	size_t best_len = 0;
	const char *want = !strcmp(path, "-") ? ".jsonl" : path;
	for (size_t i = 0; i < pc->reg.n; i++) {
		const tm_stage_type *t = &pc->reg.e[i].type;
		if (!(t->flags & TM_STAGE_OUTPUT) || !t->extensions)
			continue;
		char *exts = xstrdup(t->extensions), *save = NULL;
		for (char *x = strtok_r(exts, " ", &save); x; x = strtok_r(NULL, " ", &save))
			if (kit_has_suffix(want, x) && strlen(x) > best_len)
				best = &pc->reg.e[i], best_len = strlen(x);
		free(exts);
	}
	if (!best) {
		buf_printf(err, "-o %s: no output stage writes files like this; known endings:", path);
		for (size_t i = 0; i < pc->reg.n; i++)
			if (pc->reg.e[i].type.flags & TM_STAGE_OUTPUT && pc->reg.e[i].type.extensions)
				buf_printf(err, " %s (%s)", pc->reg.e[i].type.extensions, pc->reg.e[i].type.name);
		return -1;
	}
	tm_node *out = node_new(&pc->t, TM_NODE_MAP, tree_file(&pc->t, "-o"), 0, 0);
	char *abs = path_absolute(path);
	node_put(out, "type", scalar_node(&pc->t, best->type.name, "-o"));
	node_put(out, "path", scalar_node(&pc->t, abs, "-o"));
	free(abs);
	tm_node *list = node_new(&pc->t, TM_NODE_LIST, tree_file(&pc->t, "-o"), 0, 0);
	node_append(list, out);
	node_put(pc->root, "outputs", list);
	return 0;
}

static void add_plugin_dir(pipeline_conf *pc, const char *dir)
{
	pc->plugin_path = xrealloc(pc->plugin_path, (pc->n_plugin_path + 1) * sizeof *pc->plugin_path);
	pc->plugin_path[pc->n_plugin_path++] = xstrdup(dir);
}

/* The built-in directory, then $TEXTMILL_PLUGIN_PATH, then the config's. */
static int load_plugins(pipeline_conf *pc, int builtins_optional, buf *err)
{
	struct stat st;
	if (!builtins_optional || stat(builtin_plugin_dir(), &st) == 0)
		add_plugin_dir(pc, builtin_plugin_dir());
	const char *env = getenv("TEXTMILL_PLUGIN_PATH");
	if (env && *env) {
		char *copy = xstrdup(env), *save = NULL;
		for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save))
			add_plugin_dir(pc, p);
		free(copy);
	}
	const tm_node *pp = tm_node_get(pc->root, "plugin_path");
	if (pp) {
		size_t n = pp->kind == TM_NODE_LIST ? pp->n : 1;
		for (size_t i = 0; i < n; i++) {
			const tm_node *item = pp->kind == TM_NODE_LIST ? pp->items[i] : pp;
			if (item->kind != TM_NODE_SCALAR) {
				buf_printf(err, "%s: plugin_path expects a list of paths", tm_node_where(item));
				return -1;
			}
			char *p = item->scalar[0] == '/' || !strcmp(pc->dir, ".")
					  ? xstrdup(item->scalar)
					  : xasprintf("%s/%s", pc->dir, item->scalar);
			add_plugin_dir(pc, p);
			free(p);
		}
	}
	for (size_t i = 0; i < pc->n_plugin_path; i++) {
		buf e = {0};
		if (registry_load(&pc->reg, pc->plugin_path[i], &e)) {
			/* Name the config line when the entry came from plugin_path:. */
			buf_puts(err, e.p);
			buf_free(&e);
			return -1;
		}
		buf_free(&e);
	}
	return 0;
}

int config_plugins(registry *reg, const char *const *extra, size_t n_extra, buf *err)
{
	pipeline_conf pc = {0};
	pc.dir = xstrdup(".");
	pc.root = node_new(&pc.t, TM_NODE_MAP, tree_file(&pc.t, "plugins"), 0, 0);
	tm_node *list = node_new(&pc.t, TM_NODE_LIST, tree_file(&pc.t, "plugins"), 0, 0);
	for (size_t i = 0; i < n_extra; i++)
		node_append(list, scalar_node(&pc.t, extra[i], "plugins"));
	if (n_extra)
		node_put(pc.root, "plugin_path", list);
	int rc = load_plugins(&pc, 0, err);
	*reg = pc.reg;
	memset(&pc.reg, 0, sizeof pc.reg);
	config_free(&pc);
	return rc;
}

static int bind_stage_list(pipeline_conf *pc, const char *key, int outputs, stage_conf **out, size_t *n_out, buf *err)
{
	static const char *const skip[] = {"type", NULL};
	const tm_node *list = tm_node_get(pc->root, key);
	if (!list)
		return 0;
	if (list->kind != TM_NODE_LIST) {
		buf_printf(err, "%s: '%s' expects a list of stages, not %s", tm_node_where(list), key,
			   node_kind_name(list));
		return -1;
	}
	*out = xcalloc(list->n + 1, sizeof **out);
	for (size_t i = 0; i < list->n; i++) {
		const tm_node *s = list->items[i];
		stage_conf *sc = &(*out)[(*n_out)++];
		sc->label = xasprintf("%s.%zu", key, i);
		sc->node = s;
		if (s->kind == TM_NODE_SCALAR) {
			buf_printf(err, "%s: write a stage as a mapping: '- type: %s'", tm_node_where(s), s->scalar);
			return -1;
		}
		const tm_node *type = tm_node_get(s, "type");
		if (s->kind != TM_NODE_MAP || !type || type->kind != TM_NODE_SCALAR) {
			buf_printf(err, "%s: each entry of '%s' needs 'type: NAME'", tm_node_where(s), key);
			return -1;
		}
		sc->entry = registry_find(&pc->reg, type->scalar);
		if (!sc->entry) {
			const char *hint = registry_suggest(&pc->reg, type->scalar, outputs ? TM_STAGE_OUTPUT : 0);
			buf_printf(err, "%s: unknown stage type '%s'", tm_node_where(type), type->scalar);
			if (hint)
				buf_printf(err, "; did you mean '%s'?", hint);
			else
				buf_puts(err, " (see `textmill plugins`)");
			return -1;
		}
		if (sc->entry->type.flags & TM_STAGE_INPUT) {
			buf_printf(err, "%s: '%s' is an input reader, so it belongs under 'input: type:'",
				   tm_node_where(type), type->scalar);
			return -1;
		}
		int is_output = (sc->entry->type.flags & TM_STAGE_OUTPUT) != 0;
		if (is_output != outputs) {
			buf_printf(err, "%s: '%s' is %s, so it belongs under '%s:'", tm_node_where(type),
				   type->scalar, is_output ? "an output" : "a processing stage",
				   is_output ? "outputs" : "stages");
			return -1;
		}
		sc->opts = options_bind(sc->entry->options, sc->entry->type.settings_size, s, skip, pc->dir, err);
		if (!sc->opts)
			return -1;
	}
	return 0;
}

static int bind_top(pipeline_conf *pc, const overrides *ov, buf *err)
{
	tm_options *o = pc->top = options_bind(top_options, sizeof(top_settings), pc->root, NULL, pc->dir, err);
	if (!o)
		return -1;
	const top_settings *top = o->settings;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	pc->workers = ncpu > 0 ? (unsigned)ncpu : 1;
	if (top->workers)
		pc->workers = (unsigned)top->workers, pc->workers_from = 1;
	if (ov && ov->workers)
		pc->workers = ov->workers, pc->workers_from = 2;
	pc->max_document_bytes = (size_t)top->max_document_bytes;
	pc->quiet = ov && ov->quiet;
	pc->fail_on_reject = top->on_error == ON_ERROR_FAIL;
	pc->rejects = top->rejects ? tree_file(&pc->t, top->rejects) : NULL;
	/* -o writes only what the command line names: the config's rejects
	 * file (out/rejects.jsonl) is left alone unless --rejects names one. */
	if (ov && ov->output && !ov->rejects && pc->rejects)
		pc->rejects = NULL, pc->rejects_off = 1;
	return 0;
}

static int bind_input(pipeline_conf *pc, buf *err)
{
	const tm_node *in = tm_node_get(pc->root, "input");
	if (!in) {
		buf_printf(err, "%s: no 'input:' (add one, or give files with -i)", pc->path);
		return -1;
	}
	if (in->kind != TM_NODE_MAP) {
		buf_printf(err, "%s: 'input' expects a mapping (type, paths), not %s", tm_node_where(in),
			   node_kind_name(in));
		return -1;
	}
	return input_bind(pc, in, err);
}

/* Everything after parsing: overrides, plugins, and checking each part. */
static int bind(pipeline_conf *pc, const overrides *ov, buf *err)
{
	if (pc->root->kind != TM_NODE_MAP) {
		buf_printf(err, "%s: a config is a mapping with input, stages and outputs; this is %s",
			   tm_node_where(pc->root), node_kind_name(pc->root));
		return -1;
	}
	for (size_t i = 0; ov && i < ov->n_sets; i++)
		if (apply_set(pc, ov->sets[i], err))
			return -1;
	/* Before the plugins load: a typo in plugin_path's key is named as such. */
	if (options_check_keys(top_options, pc->root, "key", err) ||
	    load_plugins(pc, ov && ov->builtins_optional, err))
		return -1;
	if (ov && ov->n_inputs)
		apply_inputs(pc, ov);
	if (ov && ov->output && apply_output(pc, ov->output, err))
		return -1;
	if (ov && ov->rejects) {
		char *abs = path_absolute(ov->rejects);
		node_put(pc->root, "rejects", scalar_node(&pc->t, abs, "--rejects"));
		free(abs);
	}
	int stages_only = ov && ov->stages_only;
	if (bind_top(pc, ov, err))
		return -1;
	if (ov && ov->shard_count > 1)
		pc->shard_index = ov->shard_index, pc->shard_count = ov->shard_count;
	if (ov)
		pc->limit = ov->limit;
	if ((!stages_only || tm_node_get(pc->root, "input")) && bind_input(pc, err))
		return -1;
	if (bind_stage_list(pc, "stages", 0, &pc->stages, &pc->n_stages, err) ||
	    bind_stage_list(pc, "outputs", 1, &pc->outputs, &pc->n_outputs, err))
		return -1;
	if (!pc->n_outputs && !stages_only) {
		buf_printf(err, "%s: no outputs: add 'outputs:' or give one with -o", pc->path);
		return -1;
	}
	return 0;
}

int config_load(pipeline_conf *pc, const char *path, const overrides *ov, buf *err)
{
	memset(pc, 0, sizeof *pc);
	pc->path = xstrdup(path);
	const char *slash = strrchr(path, '/');
	pc->dir = slash ? xstrndup(path, (size_t)(slash - path) + (slash == path)) : xstrdup(".");
	pc->root = yaml_load_file(&pc->t, path, err);
	return pc->root ? bind(pc, ov, err) : -1;
}

int config_load_text(pipeline_conf *pc, const char *text, size_t len, const char *name, const char *dir,
		     const overrides *ov, buf *err)
{
	memset(pc, 0, sizeof *pc);
	pc->path = xstrdup(name);
	pc->dir = xstrdup(dir);
	pc->root = yaml_load(&pc->t, text, len, name, err);
	return pc->root ? bind(pc, ov, err) : -1;
}

static void free_stages(stage_conf *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		options_free(s[i].opts);
		free(s[i].label);
	}
	free(s);
}

void config_free(pipeline_conf *pc)
{
	free_stages(pc->stages, pc->n_stages);
	free_stages(pc->outputs, pc->n_outputs);
	free_stages(pc->readers, pc->n_readers);
	options_free(pc->input);
	options_free(pc->top);
	registry_free(&pc->reg);
	for (size_t i = 0; i < pc->n_plugin_path; i++)
		free(pc->plugin_path[i]);
	free(pc->plugin_path);
	tree_free(&pc->t);
	free(pc->path);
	free(pc->dir);
	memset(pc, 0, sizeof *pc);
}

/* ---- printing ---------------------------------------------------------- */

static void print_options(const tm_options *o, buf *out, const char *indent)
{
	size_t width = 0;
	for (size_t k = 0; k < o->n; k++)
		if (strlen(o->decl[k].name) > width)
			width = strlen(o->decl[k].name);
	for (size_t k = 0; k < o->n; k++) {
		const opt_value *v = &o->v[k];
		buf_printf(out, "%s%-*s = ", indent, (int)width, o->decl[k].name);
		if (!v->node)
			buf_puts(out, "(unset)");
		else if (o->decl[k].type == TM_OPT_PATH)
			buf_puts(out, v->str);
		else
			node_print_flow(v->node, out);
		buf_printf(out, "    # %s\n",
			   !v->node        ? "no default"
			   : v->is_default ? "default"
					   : tm_node_where(v->node));
	}
}

static void print_stages(const stage_conf *s, size_t n, buf *out)
{
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "  %s  %s    # %s, from %s\n", s[i].label, s[i].entry->type.name,
			   tm_node_where(s[i].node), s[i].entry->file);
		print_options(s[i].opts, out, "      ");
	}
}

void config_print(const pipeline_conf *pc, buf *out)
{
	buf_printf(out, "config: %s\n", pc->path);
	buf_puts(out, "plugin path:\n");
	for (size_t i = 0; i < pc->n_plugin_path; i++)
		buf_printf(out, "  %s\n", pc->plugin_path[i]);
	buf_printf(out, "workers: %u    # %s\n", pc->workers,
		   pc->workers_from == 2   ? "-j"
		   : pc->workers_from == 1 ? tm_opt_where(pc->top, "workers")
					   : "default: one per core");
	if (pc->shard_count > 1)
		buf_printf(out, "shard: %u/%u    # --shard\n", pc->shard_index, pc->shard_count);
	if (pc->limit)
		buf_printf(out, "limit: %llu documents    # --limit\n", pc->limit);
	buf_printf(out, "on_error: %s    # %s\n", pc->fail_on_reject ? "fail" : "skip",
		   options_value(pc->top, "on_error")->is_default ? "default" : tm_opt_where(pc->top, "on_error"));
	buf_printf(out, "rejects: %s    # %s\n", pc->rejects ? pc->rejects : "(not written)",
		   pc->rejects       ? tm_opt_where(pc->top, "rejects")
		   : pc->rejects_off ? "-o without --rejects"
				     : "default");
	buf_printf(out, "max_document_bytes: %zu    # %s\n", pc->max_document_bytes,
		   options_value(pc->top, "max_document_bytes")->is_default
			   ? "default"
			   : tm_opt_where(pc->top, "max_document_bytes"));
	buf_puts(out, "input:\n");
	if (pc->input)
		print_options(pc->input, out, "  ");
	for (size_t i = 0; i < pc->n_readers; i++)
		if (pc->readers[i].opts->n) {
			buf_printf(out, "  reader %s    # from %s\n", pc->readers[i].entry->type.name,
				   pc->readers[i].entry->file);
			print_options(pc->readers[i].opts, out, "      ");
		}
	buf_printf(out, "stages: %zu\n", pc->n_stages);
	print_stages(pc->stages, pc->n_stages, out);
	buf_printf(out, "outputs: %zu\n", pc->n_outputs);
	print_stages(pc->outputs, pc->n_outputs, out);
}

/* ---- the same, as JSON (check --json) ------------------------------------ */

static void json_str(buf *out, const char *s)
{
	if (s)
		json_put_string(out, s, strlen(s));
	else
		buf_puts(out, "null");
}

/* "from": where the value was set, "default", or null when unset. */
static void json_options(const tm_options *o, buf *out)
{
	buf_putc(out, '[');
	for (size_t k = 0; o && k < o->n; k++) {
		const opt_value *v = &o->v[k];
		buf_puts(out, k ? ",{\"name\":" : "{\"name\":");
		json_str(out, o->decl[k].name);
		buf_puts(out, ",\"value\":");
		if (v->node && o->decl[k].type == TM_OPT_PATH)
			json_str(out, v->str);
		else
			node_to_json(v->node, out);
		buf_puts(out, ",\"from\":");
		json_str(out, !v->node ? NULL : v->is_default ? "default" : tm_node_where(v->node));
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
}

static void json_stages(const stage_conf *s, size_t n, buf *out)
{
	buf_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		buf_puts(out, i ? ",{\"label\":" : "{\"label\":");
		json_str(out, s[i].label);
		buf_puts(out, ",\"type\":");
		json_str(out, s[i].entry->type.name);
		buf_puts(out, ",\"where\":");
		json_str(out, tm_node_where(s[i].node));
		buf_puts(out, ",\"plugin\":");
		json_str(out, s[i].entry->file);
		buf_puts(out, ",\"options\":");
		json_options(s[i].opts, out);
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
}

void config_print_json(const pipeline_conf *pc, buf *out)
{
	buf_puts(out, "{\"ok\":true,\"config\":");
	json_str(out, pc->path);
	buf_puts(out, ",\"plugin_path\":[");
	for (size_t i = 0; i < pc->n_plugin_path; i++) {
		buf_puts(out, i ? "," : "");
		json_str(out, pc->plugin_path[i]);
	}
	buf_printf(out, "],\"workers\":%u", pc->workers);
	if (pc->shard_count > 1)
		buf_printf(out, ",\"shard\":{\"index\":%u,\"count\":%u}", pc->shard_index, pc->shard_count);
	else
		buf_puts(out, ",\"shard\":null");
	if (pc->limit)
		buf_printf(out, ",\"limit\":%llu", pc->limit);
	else
		buf_puts(out, ",\"limit\":null");
	buf_printf(out, ",\"on_error\":\"%s\",\"rejects\":", pc->fail_on_reject ? "fail" : "skip");
	json_str(out, pc->rejects);
	buf_printf(out, ",\"max_document_bytes\":%zu,\"input\":", pc->max_document_bytes);
	if (pc->input_stdin || pc->input) {
		buf_printf(out, "{\"stdin\":%s,\"options\":", pc->input_stdin ? "true" : "false");
		json_options(pc->input, out);
		buf_putc(out, '}');
	} else {
		buf_puts(out, "null");
	}
	buf_puts(out, ",\"stages\":");
	json_stages(pc->stages, pc->n_stages, out);
	buf_puts(out, ",\"outputs\":");
	json_stages(pc->outputs, pc->n_outputs, out);
	buf_puts(out, "}\n");
}

static void put_json_field(buf *out, const char *key, const char *value)
{
	buf_printf(out, ",\"%s\":", key);
	if (value)
		json_put_string(out, value, strlen(value));
	else
		buf_puts(out, "null");
}

/* What print_stage_help says, as one JSON object (plugins --json): for a
 * program that writes configs or checks them before a run. */
void print_stage_json(const stage_entry *e, buf *out)
{
	const tm_stage_type *t = &e->type;
	buf_puts(out, "{\"name\":");
	json_put_string(out, t->name, strlen(t->name));
	put_json_field(out, "summary", t->summary);
	put_json_field(out, "file", e->file);
	put_json_field(out, "kind",
		       t->flags & TM_STAGE_INPUT    ? "input"
		       : t->flags & TM_STAGE_OUTPUT ? "output"
						    : "stage");
	buf_printf(out, ",\"parallel\":%s", t->flags & TM_STAGE_PARALLEL ? "true" : "false");
	put_json_field(out, "extensions", t->extensions);
	buf_puts(out, ",\"options\":[");
	for (const tm_option *o = e->options; o->name; o++) {
		buf_puts(out, o == e->options ? "{\"name\":" : ",{\"name\":");
		json_put_string(out, o->name, strlen(o->name));
		put_json_field(out, "type", opt_type_name(o));
		put_json_field(out, "choices", o->type == TM_OPT_ENUM ? o->choices : NULL);
		buf_printf(out, ",\"required\":%s", o->required ? "true" : "false");
		put_json_field(out, "default", o->default_value);
		if ((o->type == TM_OPT_INT || o->type == TM_OPT_FLOAT) && (o->min != 0 || o->max != 0)) {
			buf_puts(out, ",\"min\":");
			json_put_number(out, o->min);
			buf_puts(out, ",\"max\":");
			if (o->max >= TM_NO_MAX)
				buf_puts(out, "null");
			else
				json_put_number(out, o->max);
		}
		put_json_field(out, "help", o->help);
		buf_puts(out, "}");
	}
	buf_puts(out, "]}");
}

void print_stage_help(const stage_entry *e, buf *out)
{
	const tm_stage_type *t = &e->type;
	buf_printf(out, "%s - %s\n", t->name, t->summary ? t->summary : "");
	buf_printf(out, "  from: %s\n", e->file);
	if (t->flags & TM_STAGE_INPUT) {
		buf_printf(out, "  kind: input reader (input: type: %s, or any file it takes)\n", t->name);
		buf_printf(out, "  reads: %s\n",
			   t->extensions ? t->extensions
			   : t->sniff    ? "files it recognises"
					 : "standard input");
		if (t->sniff && t->extensions)
			buf_puts(out, "         and files of other names it recognises by their first bytes\n");
	} else {
		buf_printf(out, "  kind: %s%s\n", t->flags & TM_STAGE_OUTPUT ? "output" : "stage",
			   t->flags & TM_STAGE_PARALLEL ? ", runs on every worker" : ", serial");
	}
	if (t->extensions && !(t->flags & TM_STAGE_INPUT))
		buf_printf(out, "  -o endings: %s\n", t->extensions);
	buf_puts(out, "options:\n");
	if (!e->options[0].name)
		buf_puts(out, "  (none)\n");
	for (const tm_option *o = e->options; o->name; o++) {
		buf_printf(out, "  %-16s %-16s ", o->name,
			   o->type == TM_OPT_ENUM && o->choices ? o->choices : opt_type_name(o));
		if (o->required)
			buf_puts(out, "required        ");
		else
			buf_printf(out, "default: %-7s ", o->default_value ? o->default_value : "-");
		buf_printf(out, "%s\n", o->help ? o->help : "");
	}
}
