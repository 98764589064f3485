/* tree.c -- config nodes: building, reading, printing, converting. */
#include "host.h"
#include "json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

tm_node *node_new(tree *t, tm_node_kind kind, const char *file, unsigned line, unsigned col)
{
	tm_node *n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->file = file;
	n->line = line;
	n->col = col;
	n->weight = 1;
	/* Made now, not on demand, so workers may read it concurrently. */
	n->where = line ? xasprintf("%s:%u:%u", file, line, col) : xstrdup(file);
	n->next_alloc = t->all;
	t->all = n;
	return n;
}

static void grow(tm_node *n)
{
	if (n->n < n->cap)
		return;
	n->cap = n->cap ? n->cap * 2 : 4;
	n->items = xrealloc(n->items, n->cap * sizeof *n->items);
	if (n->kind == TM_NODE_MAP)
		n->keys = xrealloc(n->keys, n->cap * sizeof *n->keys);
}

void node_append(tm_node *list, tm_node *item)
{
	grow(list);
	list->items[list->n++] = item;
}

void node_put(tm_node *map, const char *key, tm_node *value)
{
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key)) {
			map->items[i] = value;
			return;
		}
	grow(map);
	map->keys[map->n] = xstrdup(key);
	map->items[map->n++] = value;
}

void node_unplace(tm_node *n)
{
	n->line = n->col = 0;
	n->command_line = 1;
	free(n->where);
	n->where = xstrdup(n->file);
	for (size_t i = 0; n->kind != TM_NODE_SCALAR && i < n->n; i++)
		node_unplace(n->items[i]);
}

const char *tree_file(tree *t, const char *name)
{
	for (size_t i = 0; i < t->n_files; i++)
		if (!strcmp(t->files[i], name))
			return t->files[i];
	t->files = xrealloc(t->files, (t->n_files + 1) * sizeof *t->files);
	return t->files[t->n_files++] = xstrdup(name);
}

void tree_free(tree *t)
{
	tm_node *n = t->all;
	while (n) {
		tm_node *next = n->next_alloc;
		if (n->keys)
			for (size_t i = 0; i < n->n; i++)
				free(n->keys[i]);
		free(n->keys);
		free(n->items);
		free(n->scalar);
		free(n->where);
		free(n);
		n = next;
	}
	for (size_t i = 0; i < t->n_files; i++)
		free(t->files[i]);
	free(t->files);
	memset(t, 0, sizeof *t);
}

/* ---- public node API ------------------------------------------------- */

tm_node_kind tm_node_type(const tm_node *n) { return n ? n->kind : 0; }
const char *tm_node_scalar(const tm_node *n) { return n && n->kind == TM_NODE_SCALAR ? n->scalar : NULL; }
size_t tm_node_len(const tm_node *n) { return n && n->kind != TM_NODE_SCALAR ? n->n : 0; }
int tm_node_plain(const tm_node *n) { return n && n->kind == TM_NODE_SCALAR && n->plain; }

const char *tm_node_key(const tm_node *n, size_t i)
{
	return n && n->kind == TM_NODE_MAP && i < n->n ? n->keys[i] : NULL;
}

const tm_node *tm_node_child(const tm_node *n, size_t i)
{
	return n && n->kind != TM_NODE_SCALAR && i < n->n ? n->items[i] : NULL;
}

const tm_node *tm_node_get(const tm_node *map, const char *key)
{
	if (!map || map->kind != TM_NODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return map->items[i];
	return NULL;
}

const char *tm_node_where(const tm_node *cn) { return cn ? cn->where : "?"; }

/* ---- conversions ------------------------------------------------------ */

const char *node_kind_name(const tm_node *n)
{
	switch (n ? n->kind : 0) {
	case TM_NODE_SCALAR: return "a scalar";
	case TM_NODE_LIST: return "a list";
	case TM_NODE_MAP: return "a mapping";
	default: return "nothing";
	}
}

int scalar_int(const tm_node *n, long long *out)
{
	if (!n || n->kind != TM_NODE_SCALAR || !*n->scalar)
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(n->scalar, &end, 10);
	if (*end || errno)
		return -1;
	*out = v;
	return 0;
}

int scalar_float(const tm_node *n, double *out)
{
	if (!n || n->kind != TM_NODE_SCALAR || !*n->scalar)
		return -1;
	char *end;
	errno = 0;
	double v = strtod(n->scalar, &end);
	if (*end || errno)
		return -1;
	*out = v;
	return 0;
}

int scalar_bool(const tm_node *n, int *out)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "on", "On"};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No", "off", "Off"};
	if (!n || n->kind != TM_NODE_SCALAR)
		return -1;
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (!strcmp(n->scalar, yes[i]))
			return *out = 1, 0;
		if (!strcmp(n->scalar, no[i]))
			return *out = 0, 0;
	}
	return -1;
}

static int needs_quotes(const char *s)
{
	if (!*s)
		return 1;
	if (strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]))
		return 1;
	if (strstr(s, ": ") || strstr(s, " #") || strpbrk(s, "\n\t,[]{}"))
		return 1;
	size_t n = strlen(s);
	return s[n - 1] == ' ' || s[n - 1] == ':';
}

void node_print_flow(const tm_node *n, buf *out)
{
	if (!n) {
		buf_puts(out, "~");
		return;
	}
	switch (n->kind) {
	case TM_NODE_SCALAR:
		if (!n->plain || needs_quotes(n->scalar)) {
			buf_putc(out, '"');
			for (const char *p = n->scalar; *p; p++) {
				if (*p == '"' || *p == '\\')
					buf_putc(out, '\\');
				if (*p == '\n')
					buf_puts(out, "\\n");
				else
					buf_putc(out, *p);
			}
			buf_putc(out, '"');
		} else {
			buf_puts(out, n->scalar);
		}
		break;
	case TM_NODE_LIST:
		buf_putc(out, '[');
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				buf_puts(out, ", ");
			node_print_flow(n->items[i], out);
		}
		buf_putc(out, ']');
		break;
	case TM_NODE_MAP:
		buf_putc(out, '{');
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				buf_puts(out, ", ");
			buf_puts(out, n->keys[i]);
			buf_puts(out, ": ");
			node_print_flow(n->items[i], out);
		}
		buf_putc(out, '}');
		break;
	}
}

void node_to_json(const tm_node *n, buf *out)
{
	double d;
	int b;
	switch (n ? n->kind : 0) {
	case TM_NODE_SCALAR:
		if (n->plain && (!strcmp(n->scalar, "null") || !strcmp(n->scalar, "~") || !*n->scalar))
			buf_puts(out, "null");
		else if (n->plain && scalar_bool(n, &b) == 0)
			buf_puts(out, b ? "true" : "false");
		else if (n->plain && scalar_float(n, &d) == 0 && json_is_value(n->scalar, strlen(n->scalar)))
			buf_puts(out, n->scalar);
		else
			json_put_string(out, n->scalar, strlen(n->scalar));
		break;
	case TM_NODE_LIST:
		buf_putc(out, '[');
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				buf_putc(out, ',');
			node_to_json(n->items[i], out);
		}
		buf_putc(out, ']');
		break;
	case TM_NODE_MAP:
		buf_putc(out, '{');
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				buf_putc(out, ',');
			json_put_string(out, n->keys[i], strlen(n->keys[i]));
			buf_putc(out, ':');
			node_to_json(n->items[i], out);
		}
		buf_putc(out, '}');
		break;
	default: buf_puts(out, "null");
	}
}
