/* options.c -- one table per stage type validates its config, fills its
 * values and prints its help, as Fluent Bit's config_map does. */
#include "host.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

char *path_absolute(const char *p)
{
	char cwd[4096];
	if (p[0] == '/' || !strcmp(p, "-") || !getcwd(cwd, sizeof cwd))
		return xstrdup(p);
	return xasprintf("%s/%s", cwd, p);
}

/* A path in the config is relative to the config's folder, so a job runs
 * the same from anywhere; one typed on the command line (--set) is
 * relative to where it was typed, as -i and -o are. */
static char *resolve_path(const char *base_dir, const tm_node *n)
{
	const char *p = n->scalar;
	if (n->command_line)
		return path_absolute(p);
	if (p[0] == '/' || !strcmp(p, "-") || !base_dir || !*base_dir || !strcmp(base_dir, "."))
		return xstrdup(p);
	return xasprintf("%s/%s", base_dir, p);
}

static long long choice_index(const char *choices, const char *v)
{
	size_t n = strlen(v);
	long long k = 0;
	for (const char *p = choices; *p; k++) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && !memcmp(p, v, n))
			return k;
		p += len + (bar != NULL);
	}
	return -1;
}

/* ---- bounds ------------------------------------------------------------- */

static int has_bounds(const tm_option *o) { return o->min != 0 || o->max != 0; }

/* A bound as the user writes it; a size in bytes also in GiB or MiB. */
static void put_bound(buf *out, const tm_option *o, double v)
{
	if (o->type == TM_OPT_FLOAT) {
		buf_printf(out, "%g", v);
		return;
	}
	buf_printf(out, "%.0f", v);
	if (!strstr(o->name, "bytes"))
		return;
	static const char *const units[] = {"GiB", "MiB"};
	for (int u = 0; u < 2; u++) {
		double unit = (double)(1ULL << (30 - 10 * u));
		if (v >= unit && v == unit * (double)(long long)(v / unit)) {
			buf_printf(out, " (%.0f %s)", v / unit, units[u]);
			return;
		}
	}
}

static int out_of(const tm_option *o, const tm_node *n, double v, double min, double max, buf *err)
{
	int open = max >= TM_NO_MAX;
	if (v >= min && (open || v <= max))
		return 0;
	buf_printf(err, "%s: %s must be %s", tm_node_where(n), o->name, open ? "at least " : "between ");
	put_bound(err, o, min);
	if (!open) {
		buf_puts(err, " and ");
		put_bound(err, o, max);
	}
	buf_printf(err, ", not %s", n->scalar);
	return -1;
}

/* The declared bounds, then those of an integer member narrower than
 * long long, so a value never wraps on its way into the struct. We cannot
 * tell an unsigned member, so take each as signed: the safe side. */
static int check_bounds(const tm_option *o, const tm_node *n, double v, buf *err)
{
	if (has_bounds(o) && out_of(o, n, v, o->min, o->max, err))
		return -1;
	if (o->type != TM_OPT_INT || !o->size || o->size >= sizeof(long long))
		return 0;
	double half = (double)(1ULL << (8 * o->size - 1));
	double min = -half, max = half - 1;
	if (has_bounds(o) && o->min > min)
		min = o->min;
	if (has_bounds(o) && o->max < max)
		max = o->max;
	return out_of(o, n, v, min, max, err);
}

/* ---- one value ---------------------------------------------------------- */

/* Convert one node to the option's type; on error explains with its place. */
static int convert(const tm_option *o, const tm_node *n, opt_value *v, const char *base_dir, tree *keep, buf *err)
{
	const char *where = tm_node_where(n);
	if (o->type == OPT_NODE)
		return 0;
	if (o->type == TM_OPT_MAP) {
		if (n->kind != TM_NODE_MAP)
			goto wrong_type;
		buf json = {0};
		node_to_json(n, &json);
		v->json = json.p;
		return 0;
	}
	if (o->type == TM_OPT_LIST) {
		const tm_node *one = n;
		size_t count = n->kind == TM_NODE_LIST ? n->n : 1;
		v->list = xcalloc(count + 1, sizeof *v->list);
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
	case TM_OPT_STRING: v->str = n->scalar; return 0;
	case TM_OPT_PATH: {
		/* Kept in a node of the defaults tree so it is freed with the options. */
		tm_node *p = node_new(keep, TM_NODE_SCALAR, n->file, n->line, n->col);
		p->scalar = resolve_path(base_dir, n);
		v->str = p->scalar;
		return 0;
	}
	case TM_OPT_ENUM:
		v->i = choice_index(o->choices ? o->choices : "", n->scalar);
		if (v->i < 0) {
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
		return check_bounds(o, n, v->f, err);
	case TM_OPT_FLOAT:
		if (scalar_float(n, &v->f))
			goto wrong_type;
		return check_bounds(o, n, v->f, err);
	case TM_OPT_BOOL:
		if (scalar_bool(n, &v->b))
			goto wrong_type;
		return 0;
	default: break;
	}
wrong_type:
	if (n->kind == TM_NODE_SCALAR)
		buf_printf(err, "%s: option '%s' expects %s %s, not \"%s\"", where, o->name,
			   o->type == TM_OPT_INT ? "an" : "a", opt_type_name(o), n->scalar);
	else
		buf_printf(err, "%s: option '%s' expects %s %s, not %s", where, o->name,
			   o->type == TM_OPT_INT ? "an" : "a", opt_type_name(o), node_kind_name(n));
	/* `--set path=-` is YAML for a list: say how to pass the text. */
	if (n->kind != TM_NODE_SCALAR && n->command_line && !strncmp(n->file, "--set ", 6)) {
		int dash = n->kind == TM_NODE_LIST && n->n == 1 && n->items[0]->kind == TM_NODE_SCALAR &&
			   !*n->items[0]->scalar;
		buf_printf(err, "; --set values are YAML, so quote a text: --set '%s=\"%s\"'", n->file + 6,
			   dash ? "-" : "...");
	}
	return -1;
}

/* ---- the settings struct ------------------------------------------------ */

static int integer_size(size_t size) { return size == 1 || size == 2 || size == 4 || size == 8; }

/* Whether a member of `size` bytes can hold the option's value. */
static int member_fits(const tm_option *o)
{
	switch (o->type) {
	case TM_OPT_STRING:
	case TM_OPT_PATH:
	case TM_OPT_MAP: return o->size == sizeof(const char *);
	case TM_OPT_INT:
	case TM_OPT_BOOL:
	case TM_OPT_ENUM: return integer_size(o->size);
	case TM_OPT_FLOAT: return o->size == sizeof(double) || o->size == sizeof(float);
	case TM_OPT_LIST: return o->size == sizeof(tm_strings) || o->size == sizeof(const char *const *);
	}
	return 0;
}

int options_check_table(const tm_option *decl, size_t settings_size, buf *err)
{
	for (const tm_option *o = decl; o && o->name; o++) {
		const char *bad = NULL;
		if (o->type < TM_OPT_STRING || o->type > TM_OPT_MAP)
			bad = "its type is not a TM_OPT_ type";
		else if (o->type == TM_OPT_ENUM && (!o->choices || !*o->choices))
			bad = "an enum without choices";
		else if (has_bounds(o) && o->type != TM_OPT_INT && o->type != TM_OPT_FLOAT)
			bad = "bounds are for integer and number options";
		else if (has_bounds(o) && !(o->min <= o->max))
			bad = "its min is above its max";
		else if (o->size && (o->offset > settings_size || o->size > settings_size - o->offset))
			bad = "its field lies outside the settings struct (settings_size)";
		else if (o->size && !member_fits(o))
			bad = "its field's type does not hold the option's (see tm_option in stage.h)";
		if (bad) {
			buf_printf(err, "option '%s': %s", o->name, bad);
			return -1;
		}
	}
	return 0;
}

static void put_integer(char *at, size_t size, long long v)
{
	int8_t i8 = (int8_t)v;
	int16_t i16 = (int16_t)v;
	int32_t i32 = (int32_t)v;
	int64_t i64 = v;
	memcpy(at,
	       size == 1   ? (void *)&i8
	       : size == 2 ? (void *)&i16
	       : size == 4 ? (void *)&i32
			   : (void *)&i64,
	       size);
}

static void fill_member(const tm_option *o, const opt_value *v, char *settings)
{
	char *at = settings + o->offset;
	switch (o->type) {
	case TM_OPT_STRING:
	case TM_OPT_PATH:
	case TM_OPT_MAP: {
		const char *s = o->type == TM_OPT_MAP ? v->json : v->str;
		memcpy(at, &s, sizeof s);
		return;
	}
	case TM_OPT_INT:
	case TM_OPT_ENUM: put_integer(at, o->size, v->i); return;
	case TM_OPT_BOOL: put_integer(at, o->size, v->b); return;
	case TM_OPT_FLOAT:
		if (o->size == sizeof(float)) {
			float f = (float)v->f;
			memcpy(at, &f, sizeof f);
		} else {
			memcpy(at, &v->f, sizeof v->f);
		}
		return;
	case TM_OPT_LIST:
		if (o->size == sizeof(tm_strings)) {
			tm_strings l = {v->list, v->list_len};
			memcpy(at, &l, sizeof l);
		} else {
			const char *const *items = v->list;
			memcpy(at, &items, sizeof items);
		}
		return;
	}
}

/* ---- binding ------------------------------------------------------------ */

static int skipped(const char *key, const char *const *skip)
{
	for (; skip && *skip; skip++)
		if (!strcmp(key, *skip))
			return 1;
	return 0;
}

/* The declared names, "did you mean" the closest one, else all of them. */
static void explain_name(const tm_option *decl, const char *name, const char *intro, const char *sep, buf *err)
{
	size_t n = 0;
	while (decl && decl[n].name)
		n++;
	const char **names = xcalloc(n + 1, sizeof *names);
	for (size_t k = 0; k < n; k++)
		names[k] = decl[k].name;
	const char *hint = kit_closest_word(name, names, n);
	if (hint) {
		buf_printf(err, "; did you mean '%s'?", hint);
	} else if (n) {
		buf_printf(err, " (%s", intro);
		for (size_t k = 0; k < n; k++)
			buf_printf(err, "%s%s", k ? sep : "", names[k]);
		buf_puts(err, ")");
	} else {
		buf_puts(err, " (this stage takes no options)");
	}
	free(names);
}

static void options_unknown(const tm_option *decl, const tm_node *map, size_t i, const char *noun, buf *err)
{
	buf_printf(err, "%s: unknown %s '%s'", tm_node_where(map->items[i]), noun, map->keys[i]);
	if (!strcmp(noun, "key"))
		explain_name(decl, map->keys[i], "expected ", ", ", err);
	else
		explain_name(decl, map->keys[i], "options: ", " ", err);
}

int options_check_keys(const tm_option *decl, const tm_node *map, const char *noun, buf *err)
{
	for (size_t i = 0; map && map->kind == TM_NODE_MAP && i < map->n; i++) {
		const tm_option *o = decl;
		while (o->name && strcmp(o->name, map->keys[i]))
			o++;
		if (!o->name) {
			options_unknown(decl, map, i, noun, err);
			return -1;
		}
	}
	return 0;
}

tm_options *options_bind(const tm_option *decl, size_t settings_size, const tm_node *map, const char *const *skip,
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
			options_unknown(decl, map, i, "option", err);
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
	if (settings_size) {
		o->settings = xcalloc(1, settings_size);
		for (size_t k = 0; k < o->n; k++)
			if (decl[k].size && o->v[k].node)
				fill_member(&decl[k], &o->v[k], o->settings);
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
	for (size_t k = 0; k < o->n; k++) {
		free(o->v[k].list);
		free(o->v[k].json);
	}
	free(o->v);
	free(o->settings);
	free(atomic_load(&o->undeclared));
	tree_free(&o->defaults);
	free(o);
}

const opt_value *options_value(const tm_options *o, const char *name)
{
	for (size_t k = 0; o && k < o->n; k++)
		if (!strcmp(o->decl[k].name, name))
			return &o->v[k];
	return NULL;
}

int options_check_reads(const tm_options *o, buf *err)
{
	const char *name = o ? atomic_load(&((tm_options *)o)->undeclared) : NULL;
	if (!name)
		return 0;
	buf_printf(err, "it reads option '%s', which its option table does not declare", name);
	explain_name(o->decl, name, "options: ", " ", err);
	return -1;
}

/* ---- public accessors ------------------------------------------------- */

/* A read of a name the table lacks is recorded (the first one), for the
 * host to fail create() with: a typo must not read as an unset option. */
static const opt_value *find(const tm_options *o, const char *name)
{
	if (!o)
		return NULL;
	const opt_value *v = options_value(o, name);
	if (v)
		return v->node ? v : NULL;
	char *copy = xstrdup(name ? name : "(null)"), *none = NULL;
	if (!atomic_compare_exchange_strong(&((tm_options *)o)->undeclared, &none, copy))
		free(copy);
	return NULL;
}

const void *tm_opt_settings(const tm_options *o) { return o ? o->settings : NULL; }

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

const char *tm_opt_json(const tm_options *o, const char *name)
{
	const opt_value *v = find(o, name);
	return v ? v->json : NULL;
}

const char *tm_opt_where(const tm_options *o, const char *name)
{
	const opt_value *v = find(o, name);
	return v ? tm_node_where(v->node) : "config";
}
