/* json_tree.c -- a JSON text as a tree, read with the scanner of
 * json_read.c and kept in one chain of blocks. */
#include "textmill/kit.h"

#include <stdlib.h>

typedef struct block {
	struct block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
} block;

/* The root sits in the first allocation, so kit_json_free finds the blocks. */
typedef struct tree {
	kit_json root;
	block *blocks;
	int out_of_memory;
} tree;

static void *alloc(tree *t, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	block *b = t->blocks;
	if (!b || b->size - b->used < n) {
		size_t size = n > 4000 ? n : 4000;
		if (!(b = kit_malloc(sizeof *b + size))) {
			t->out_of_memory = 1;
			return NULL;
		}
		b->size = size;
		b->used = 0;
		b->next = t->blocks;
		t->blocks = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

static const char *copy(tree *t, const char *s, size_t n)
{
	char *p = alloc(t, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

static int fail(kit_json_cursor *c, const char *msg)
{
	if (!c->error) {
		c->error = msg;
		c->error_at = c->p;
	}
	return -1;
}

/* Decoded straight into the tree: checked first on a copy of the cursor,
 * which also tells how much room it needs. */
static int read_string(tree *t, kit_json_cursor *c, const char **out, size_t *len)
{
	kit_json_cursor probe = *c;
	if (kit_json_read_string(&probe, NULL)) {
		c->p = probe.p;
		return fail(c, probe.error);
	}
	char *s = alloc(t, (size_t)(probe.p - c->p) + 1);
	if (!s)
		return -1;
	kit_json_decode_string(c, s, len);
	s[*len] = 0;
	*out = s;
	return 0;
}

static int read_value(tree *t, kit_json_cursor *c, kit_json *v, int depth);

static int read_items(tree *t, kit_json_cursor *c, kit_json *v, int depth)
{
	int object = *c->p == '{';
	v->kind = object ? KIT_JSON_OBJECT : KIT_JSON_ARRAY;
	kit_json **tail = &v->child;
	int more = kit_json_open(c, object);
	while (more > 0) {
		kit_json *item = alloc(t, sizeof *item);
		if (!item)
			return -1;
		memset(item, 0, sizeof *item);
		if (object) {
			kit_json_skip_ws(c);
			if (read_string(t, c, &item->key, &item->key_len) || kit_json_colon(c))
				return -1;
		}
		if (read_value(t, c, item, depth + 1))
			return -1;
		*tail = item;
		tail = &item->next;
		v->n++;
		more = kit_json_next(c, object);
	}
	return more;
}

static int read_value(tree *t, kit_json_cursor *c, kit_json *v, int depth)
{
	kit_json_skip_ws(c);
	if (c->p >= c->end)
		return fail(c, "unexpected end of input");
	if (depth > KIT_JSON_MAX_DEPTH) /* as deep as kit_json_skip_value takes */
		return fail(c, "nested too deeply");
	const char *start = c->p;
	switch (*c->p) {
	case '{':
	case '[': return read_items(t, c, v, depth);
	case '"': v->kind = KIT_JSON_STRING; return read_string(t, c, &v->str, &v->len);
	case 't':
	case 'f':
	case 'n':
		if (kit_json_skip_value(c))
			return -1;
		v->kind = *start == 't' ? KIT_JSON_TRUE : *start == 'f' ? KIT_JSON_FALSE : KIT_JSON_NULL;
		return 0;
	default:
		if (kit_json_skip_number(c, &v->len))
			return -1;
		if (!(v->str = copy(t, start, v->len)))
			return -1;
		v->kind = KIT_JSON_NUMBER;
		v->num = strtod(v->str, NULL); /* a JSON number is a valid C-locale number */
		return 0;
	}
}

kit_json *kit_json_parse(const char *text, size_t len, const char **error)
{
	tree *t = kit_calloc(1, sizeof *t);
	if (!t) {
		if (error)
			*error = KIT_OOM;
		return NULL;
	}
	kit_json_cursor c = kit_json_at(text, len);
	if (read_value(t, &c, &t->root, 0) == 0) {
		kit_json_skip_ws(&c);
		if (c.p != c.end)
			fail(&c, "text after the value");
	}
	if (t->out_of_memory || c.error) {
		if (error)
			*error = t->out_of_memory ? KIT_OOM : c.error;
		kit_json_free(&t->root);
		return NULL;
	}
	return &t->root;
}

void kit_json_free(kit_json *v)
{
	if (!v)
		return;
	tree *t = (tree *)((char *)v - offsetof(tree, root));
	for (block *b = t->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(t);
}

/* The last member named [key, key+n) of an object: the last of duplicate
 * keys wins, as in most readers. */
static const kit_json *member(const kit_json *v, const char *key, size_t n)
{
	if (!v || v->kind != KIT_JSON_OBJECT)
		return NULL;
	const kit_json *found = NULL;
	for (const kit_json *m = v->child; m; m = m->next)
		if (m->key_len == n && !memcmp(m->key, key, n))
			found = m;
	return found;
}

const kit_json *kit_json_get(const kit_json *v, const char *key) { return member(v, key, strlen(key)); }

const kit_json *kit_json_path(const kit_json *v, const char *path)
{
	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		v = member(v, path, n);
		path += n + (dot != NULL);
	}
	return v;
}
