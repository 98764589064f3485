/* options.c -- one table per stage type validates its config, fills its
 * values and prints its help, as Fluent Bit's config_map does. */
#include "host.h"

#include <stdlib.h>
#include <string.h>

const char *opt_type_name(const tm_option *o)
{
	switch (o->type) {
	case TM_OPT_STRING: return "string";
	case TM_OPT_PATH: return "path";
	case TM_OPT_INT: return "integer";
	case TM_OPT_FLOAT: return "number";
	case TM_OPT_BOOL: return "boolean";
	case TM_OPT_ENUM: return "enum";
	case TM_OPT_LIST: return "list of strings";
	case TM_OPT_MAP: return "mapping";
	}
	return "?";
}

static int choice_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && !memcmp(p, v, n))
			return 1;
		p += len + (bar != NULL);
	}
	return 0;
}

static char *resolve_path(const char *base_dir, const char *p)
{
	if (p[0] == '/' || !strcmp(p, "-") || !base_dir || !*base_dir || !strcmp(base_dir, "."))
		return xstrdup(p);
	return xasprintf("%s/%s", base_dir, p);
}

/* Convert one node to the option's type; on error explains with its place. */
static int convert(const tm_option *o, const tm_node *n, opt_value *v, const char *base_dir,
		   tree *keep, buf *err)
{
	const char *where = tm_node_where(n);
	if (o->type == TM_OPT_MAP) {
		if (n->kind != TM_NODE_MAP)
			goto wrong_type;
		return 0;
	}
	if (o->type == TM_OPT_LIST) {
		const tm_node *one = n;
		size_t count = n->kind == TM_NODE_LIST ? n->n : 1;
		v->list = xcalloc(count, sizeof *v->list);
		v->list_len = count;
		for (size_t i = 0; i < count; i++) {
			one = n->kind == TM_NODE_LIST ? n->items[i] : n;
			if (one->kind != TM_NODE_SCALAR) {
				buf_printf(err, "%s: option '%s' expects a list of strings; item %zu is %s",
					   tm_node_where(one), o->name, i, node_kind_name(one));
				return -1;
			}
			v->list[i] = one->scalar;
		}
		return 0;
	}
	if (n->kind != TM_NODE_SCALAR)
		goto wrong_type;
	switch (o->type) {
	case TM_OPT_STRING:
		v->str = n->scalar;
		return 0;
	case TM_OPT_PATH: {
		/* Kept in a node of the defaults tree so it is freed with the options. */
		tm_node *p = node_new(keep, TM_NODE_SCALAR, n->file, n->line, n->col);
		p->scalar = resolve_path(base_dir, n->scalar);
		v->str = p->scalar;
		return 0;
	}
	case TM_OPT_ENUM:
		if (!choice_ok(o->choices ? o->choices : "", n->scalar)) {
			buf_printf(err, "%s: option '%s' is one of %s, not \"%s\"", where, o->name,
				   o->choices ? o->choices : "(none)", n->scalar);
			return -1;
		}
		v->str = n->scalar;
		return 0;
	case TM_OPT_INT:
		if (scalar_int(n, &v->i))
			goto wrong_type;
		v->f = (double)v->i;
		return 0;
	case TM_OPT_FLOAT:
		if (scalar_float(n, &v->f))
			goto wrong_type;
		return 0;
	case TM_OPT_BOOL:
		if (scalar_bool(n, &v->b))
			goto wrong_type;
		return 0;
	default:
		break;
	}
wrong_type:
	if (n->kind == TM_NODE_SCALAR)
		buf_printf(err, "%s: option '%s' expects %s %s, not \"%s\"", where, o->name,
			   o->type == TM_OPT_INT ? "an" : "a", opt_type_name(o), n->scalar);
	else
		buf_printf(err, "%s: option '%s' expects %s %s, not %s", where, o->name,
			   o->type == TM_OPT_INT ? "an" : "a", opt_type_name(o), node_kind_name(n));
	return -1;
}

static int skipped(const char *key, const char *const *skip)
{
	for (; skip && *skip; skip++)
		if (!strcmp(key, *skip))
			return 1;
	return 0;
}

static void unknown_option(const tm_option *decl, size_t n, const tm_node *map, size_t i, buf *err)
{
	const char **names = xcalloc(n + 1, sizeof *names);
	for (size_t k = 0; k < n; k++)
		names[k] = decl[k].name;
	const char *hint = closest_word(map->keys[i], names, n);
	buf_printf(err, "%s: unknown option '%s'", tm_node_where(map->items[i]), map->keys[i]);
	if (hint)
		buf_printf(err, "; did you mean '%s'?", hint);
	else if (n) {
		buf_puts(err, " (options:");
		for (size_t k = 0; k < n; k++)
			buf_printf(err, " %s", names[k]);
		buf_puts(err, ")");
	} else {
		buf_puts(err, " (this stage takes no options)");
	}
	free(names);
}

tm_options *options_bind(const tm_option *decl, const tm_node *map, const char *const *skip,
			 const char *base_dir, buf *err)
{
	tm_options *o = xcalloc(1, sizeof *o);
	o->decl = decl;
	while (decl && decl[o->n].name)
		o->n++;
	o->v = xcalloc(o->n + 1, sizeof *o->v);

	for (size_t i = 0; map && i < map->n; i++) {
		if (skipped(map->keys[i], skip))
			continue;
		size_t k = 0;
		while (k < o->n && strcmp(decl[k].name, map->keys[i]))
			k++;
		if (k == o->n) {
			unknown_option(decl, o->n, map, i, err);
			goto fail;
		}
		if (convert(&decl[k], map->items[i], &o->v[k], base_dir, &o->defaults, err))
			goto fail;
		o->v[k].node = map->items[i];
	}
	for (size_t k = 0; k < o->n; k++) {
		if (o->v[k].node)
			continue;
		if (decl[k].required) {
			buf_printf(err, "%s: option '%s' is required (%s)", map ? tm_node_where(map) : "config",
				   decl[k].name, decl[k].help ? decl[k].help : opt_type_name(&decl[k]));
			goto fail;
		}
		if (!decl[k].default_value)
			continue;
		/* A scalar default is taken as written; lists and maps are YAML. */
		char *src = xasprintf("default of option '%s'", decl[k].name);
		tm_node *d;
		if (decl[k].type == TM_OPT_LIST || decl[k].type == TM_OPT_MAP) {
			d = yaml_load(&o->defaults, decl[k].default_value, strlen(decl[k].default_value), src, err);
		} else {
			d = node_new(&o->defaults, TM_NODE_SCALAR, tree_file(&o->defaults, src), 0, 0);
			d->scalar = xstrdup(decl[k].default_value);
			d->plain = 1;
		}
		free(src);
		if (!d || convert(&decl[k], d, &o->v[k], base_dir, &o->defaults, err)) {
			buf_printf(err, " (the plugin's default for '%s' is invalid)", decl[k].name);
			goto fail;
		}
		o->v[k].node = d;
		o->v[k].is_default = 1;
	}
	return o;
fail:
	options_free(o);
	return NULL;
}

void options_free(tm_options *o)
{
	if (!o)
		return;
	for (size_t k = 0; k < o->n; k++)
		free(o->v[k].list);
	free(o->v);
	tree_free(&o->defaults);
	free(o);
}

/* ---- public accessors ------------------------------------------------- */

static const opt_value *find(const tm_options *o, const char *name)
{
	for (size_t k = 0; o && k < o->n; k++)
		if (!strcmp(o->decl[k].name, name))
			return o->v[k].node ? &o->v[k] : NULL;
	return NULL;
}

int tm_opt_isset(const tm_options *o, const char *name) { return find(o, name) != NULL; }

const char *tm_opt_string(const tm_options *o, const char *name)
{
	const opt_value *v = find(o, name);
	return v ? v->str : NULL;
}

long long tm_opt_int(const tm_options *o, const char *name)
{
	const opt_value *v = find(o, name);
	return v ? v->i : 0;
}

double tm_opt_float(const tm_options *o, const char *name)
{
	const opt_value *v = find(o, name);
	return v ? v->f : 0.0;
}

int tm_opt_bool(const tm_options *o, const char *name)
{
	const opt_value *v = find(o, name);
	return v ? v->b : 0;
}

size_t tm_opt_list_len(const tm_options *o, const char *name)
{
	const opt_value *v = find(o, name);
	return v ? v->list_len : 0;
}

const char *tm_opt_list_item(const tm_options *o, const char *name, size_t i)
{
	const opt_value *v = find(o, name);
	return v && i < v->list_len ? v->list[i] : NULL;
}

const tm_node *tm_opt_node(const tm_options *o, const char *name)
{
	const opt_value *v = find(o, name);
	return v ? v->node : NULL;
}

const char *tm_opt_where(const tm_options *o, const char *name)
{
	const opt_value *v = find(o, name);
	return v ? tm_node_where(v->node) : "config";
}
