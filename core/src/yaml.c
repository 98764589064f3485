/* yaml.c -- YAML into config nodes, with libyaml's event parser.
 *
 * Aliases share the anchored node instead of copying it, and every alias
 * adds the anchored subtree's size to a budget, so a "billion laughs" file
 * is refused after a few events instead of being expanded. */
#include "host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_EXPANDED 100000 /* nodes reachable through aliases */
#define MAX_DEPTH 64

typedef struct anchor {
	char *name;
	tm_node *node;
} anchor;

typedef struct loader {
	tree *t;
	yaml_parser_t parser;
	const char *file;
	buf *err;
	anchor *anchors;
	size_t n_anchors;
	size_t expanded;
	int depth;
} loader;

static void error_at(loader *l, const yaml_mark_t *m, const char *fmt, ...) TM_PRINTF(3, 4);
static void error_at(loader *l, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list ap;
	buf_printf(l->err, "%s:%zu:%zu: ", l->file, m->line + 1, m->column + 1);
	va_start(ap, fmt);
	buf_vprintf(l->err, fmt, ap);
	va_end(ap);
}

/* Expand ${VAR} and ${VAR:-default}; "$${" stands for a literal "${". */
static int expand_env(loader *l, const yaml_mark_t *m, const char *s, buf *out)
{
	while (*s) {
		if (s[0] == '$' && s[1] == '$' && s[2] == '{') {
			buf_puts(out, "${");
			s += 3;
			continue;
		}
		if (s[0] != '$' || s[1] != '{') {
			buf_putc(out, *s++);
			continue;
		}
		const char *close = strchr(s, '}');
		if (!close) {
			error_at(l, m, "unclosed '${' in \"%s\"", s);
			return -1;
		}
		char *name = xstrndup(s + 2, (size_t)(close - s - 2));
		char *def = strstr(name, ":-");
		if (def)
			*def = 0, def += 2;
		const char *v = getenv(name);
		if (!*name) {
			error_at(l, m, "empty variable name in '${}'");
			free(name);
			return -1;
		}
		if (!v || (!*v && def))
			v = def;
		if (!v) {
			error_at(l, m, "environment variable %s is not set (write ${%s:-default} for a fallback)",
				 name, name);
			free(name);
			return -1;
		}
		buf_puts(out, v);
		free(name);
		s = close + 1;
	}
	return 0;
}

static void remember_anchor(loader *l, const yaml_char_t *name, tm_node *n)
{
	if (!name)
		return;
	l->anchors = xrealloc(l->anchors, (l->n_anchors + 1) * sizeof *l->anchors);
	l->anchors[l->n_anchors].name = xstrdup((const char *)name);
	l->anchors[l->n_anchors++].node = n;
}

static tm_node *parse_node(loader *l, yaml_event_t *ev);

static int next_event(loader *l, yaml_event_t *ev)
{
	if (yaml_parser_parse(&l->parser, ev))
		return 0;
	yaml_parser_t *p = &l->parser;
	if (p->error == YAML_MEMORY_ERROR) /* not the text's fault: the host's rule for memory */
		buf_out_of_memory();
	const char *what = p->problem ? p->problem : "syntax error";
	if (p->context)
		buf_printf(l->err, "%s:%zu:%zu: %s %s (at line %zu)", l->file, p->problem_mark.line + 1,
			   p->problem_mark.column + 1, what, p->context, p->context_mark.line + 1);
	else
		buf_printf(l->err, "%s:%zu:%zu: %s", l->file, p->problem_mark.line + 1, p->problem_mark.column + 1,
			   what);
	return -1;
}

static tm_node *parse_collection(loader *l, yaml_event_t *start, tm_node_kind kind)
{
	yaml_mark_t m = start->start_mark;
	tm_node *n = node_new(l->t, kind, l->file, (unsigned)m.line + 1, (unsigned)m.column + 1);
	remember_anchor(l, kind == TM_NODE_MAP ? start->data.mapping_start.anchor : start->data.sequence_start.anchor,
			n);
	if (++l->depth > MAX_DEPTH) {
		error_at(l, &m, "nested more than %d levels deep", MAX_DEPTH);
		return NULL;
	}
	yaml_event_type_t end = kind == TM_NODE_MAP ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
	for (;;) {
		yaml_event_t ev;
		if (next_event(l, &ev))
			return NULL;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			break;
		}
		char *key = NULL;
		yaml_mark_t key_mark = ev.start_mark;
		if (kind == TM_NODE_MAP) {
			if (ev.type != YAML_SCALAR_EVENT) {
				error_at(l, &key_mark, "a mapping key must be a plain string");
				yaml_event_delete(&ev);
				return NULL;
			}
			key = xstrdup((const char *)ev.data.scalar.value);
			yaml_event_delete(&ev);
			const tm_node *dup = tm_node_get(n, key);
			if (dup) {
				error_at(l, &key_mark, "duplicate key '%s' (already set at line %u)", key, dup->line);
				free(key);
				return NULL;
			}
			if (next_event(l, &ev)) {
				free(key);
				return NULL;
			}
		}
		tm_node *child = parse_node(l, &ev);
		if (!child) {
			free(key);
			return NULL;
		}
		n->weight += child->weight;
		if (key) {
			node_put(n, key, child);
			free(key);
		} else {
			node_append(n, child);
		}
	}
	l->depth--;
	return n;
}

/* Takes ownership of ev. */
static tm_node *parse_node(loader *l, yaml_event_t *ev)
{
	tm_node *n = NULL;
	yaml_mark_t m = ev->start_mark;
	switch (ev->type) {
	case YAML_SCALAR_EVENT: {
		buf v = {0};
		if (expand_env(l, &m, (const char *)ev->data.scalar.value, &v) == 0) {
			n = node_new(l->t, TM_NODE_SCALAR, l->file, (unsigned)m.line + 1, (unsigned)m.column + 1);
			n->scalar = v.p ? v.p : xstrdup("");
			n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			remember_anchor(l, ev->data.scalar.anchor, n);
		} else {
			buf_free(&v);
		}
		break;
	}
	case YAML_SEQUENCE_START_EVENT: n = parse_collection(l, ev, TM_NODE_LIST); break;
	case YAML_MAPPING_START_EVENT: n = parse_collection(l, ev, TM_NODE_MAP); break;
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		for (size_t i = l->n_anchors; i-- > 0;)
			if (!strcmp(l->anchors[i].name, name)) {
				n = l->anchors[i].node;
				break;
			}
		if (!n) {
			error_at(l, &m, "unknown alias *%s", name);
			break;
		}
		l->expanded += n->weight;
		if (l->expanded > MAX_EXPANDED) {
			error_at(l, &m, "aliases expand to more than %d nodes; refusing the file", MAX_EXPANDED);
			n = NULL;
		}
		break;
	}
	default: error_at(l, &m, "unexpected YAML event"); break;
	}
	yaml_event_delete(ev);
	return n;
}

tm_node *yaml_load(tree *t, const char *text, size_t len, const char *file, buf *err)
{
	loader l = {.t = t, .file = tree_file(t, file), .err = err};
	tm_node *root = NULL;
	yaml_event_t ev;
	if (!yaml_parser_initialize(&l.parser)) /* fails only for memory */
		buf_out_of_memory();
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
	int docs = 0;
	for (;;) {
		if (next_event(&l, &ev))
			goto done;
		yaml_event_type_t type = ev.type;
		yaml_mark_t m = ev.start_mark;
		if (type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			error_at(&l, &m, "a config holds one YAML document; found a second one");
			yaml_event_delete(&ev);
			goto done;
		}
		if (type == YAML_STREAM_START_EVENT || type == YAML_DOCUMENT_START_EVENT ||
		    type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (!(root = parse_node(&l, &ev)))
			goto done;
	}
	if (!root)
		root = node_new(t, TM_NODE_MAP, l.file, 1, 1); /* an empty file */
done:
	if (err->len)
		root = NULL;
	yaml_parser_delete(&l.parser);
	for (size_t i = 0; i < l.n_anchors; i++)
		free(l.anchors[i].name);
	free(l.anchors);
	return root;
}

tm_node *yaml_load_file(tree *t, const char *path, buf *err)
{
	buf text = {0};
	if (kit_read_file(path, &text)) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		buf_free(&text);
		return NULL;
	}
	if (utf8_valid_prefix(text.p ? text.p : "", text.len) != text.len) {
		buf_printf(err, "%s: not valid UTF-8 (at byte %zu)", path, utf8_valid_prefix(text.p, text.len) + 1);
		buf_free(&text);
		return NULL;
	}
	tm_node *root = yaml_load(t, text.p ? text.p : "", text.len, path, err);
	buf_free(&text);
	return root;
}
