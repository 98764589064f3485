/* map.c -- open addressing with linear probing: uint64_t keys and values,
 * and byte-string keys on top. */
#include "textmill/kit.h"

#include <stdlib.h>

struct kit_map_slot {
	uint64_t key; /* 0: empty (key 0 itself lives in the map) */
	uint64_t value;
};

struct kit_strmap_entry {
	char *key;
	size_t len;
	uint64_t value;
	size_t next; /* the next entry + 1 with the same hash, 0: none */
};

/* Keys that are small numbers or share their low bits spread over the table. */
static size_t home(uint64_t key, size_t cap)
{
	key *= 0x9E3779B97F4A7C15ULL;
	return (size_t)(key ^ key >> 32) & (cap - 1);
}

static struct kit_map_slot *find(const kit_map *m, uint64_t key)
{
	for (size_t i = home(key, m->cap);; i = (i + 1) & (m->cap - 1))
		if (m->slots[i].key == key || !m->slots[i].key)
			return &m->slots[i];
}

uint64_t *kit_map_get(const kit_map *m, uint64_t key)
{
	if (!key)
		return m->has_zero ? (uint64_t *)&m->zero_value : NULL;
	if (!m->cap)
		return NULL;
	struct kit_map_slot *s = find(m, key);
	return s->key ? &s->value : NULL;
}

static int grow(kit_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct kit_map_slot *old = m->slots, *v = kit_calloc(cap, sizeof *v);
	if (!v)
		return -1;
	size_t old_cap = m->cap;
	m->slots = v, m->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			*find(m, old[i].key) = old[i];
	free(old);
	return 0;
}

uint64_t *kit_map_put(kit_map *m, uint64_t key, int *added)
{
	if (added)
		*added = 0;
	if (!key) {
		if (!m->has_zero && added)
			*added = 1;
		if (!m->has_zero)
			m->has_zero = 1, m->zero_value = 0;
		return &m->zero_value;
	}
	if ((m->n + 1) * 2 > m->cap && grow(m))
		return NULL;
	struct kit_map_slot *s = find(m, key);
	if (!s->key) {
		s->key = key;
		s->value = 0;
		m->n++;
		if (added)
			*added = 1;
	}
	return &s->value;
}

int kit_map_next(const kit_map *m, size_t *at, uint64_t *key, uint64_t *value)
{
	/* *at 0 is key 0, then slot *at - 1 */
	if (*at == 0) {
		*at = 1;
		if (m->has_zero) {
			*key = 0, *value = m->zero_value;
			return 1;
		}
	}
	for (; *at <= m->cap; ++*at) {
		const struct kit_map_slot *s = &m->slots[*at - 1];
		if (s->key) {
			*key = s->key, *value = s->value;
			++*at;
			return 1;
		}
	}
	return 0;
}

void kit_map_free(kit_map *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}

uint64_t kit_hash(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	h ^= h >> 33; /* FNV leaves the high bits poorly mixed */
	h *= 0xff51afd7ed558ccdULL;
	return h ^ h >> 33;
}

/* The entry for key in the chain of its hash, or NULL. */
static struct kit_strmap_entry *str_find(const kit_strmap *m, const void *key, size_t len, uint64_t h)
{
	uint64_t *first = kit_map_get(&m->index, h);
	for (size_t e = first ? (size_t)*first : 0; e; e = m->v[e - 1].next) {
		struct kit_strmap_entry *x = &m->v[e - 1];
		if (x->len == len && !memcmp(x->key, key, len))
			return x;
	}
	return NULL;
}

uint64_t *kit_strmap_get(const kit_strmap *m, const void *key, size_t len)
{
	struct kit_strmap_entry *x = str_find(m, key, len, kit_hash(key, len, 0));
	return x ? &x->value : NULL;
}

uint64_t *kit_strmap_put(kit_strmap *m, const void *key, size_t len, int *added)
{
	if (added)
		*added = 0;
	uint64_t h = kit_hash(key, len, 0);
	struct kit_strmap_entry *x = str_find(m, key, len, h);
	if (x)
		return &x->value;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct kit_strmap_entry *v = kit_realloc(m->v, cap * sizeof *v);
		if (!v)
			return NULL;
		m->v = v, m->cap = cap;
	}
	char *copy = kit_strndup(key, len);
	int fresh;
	uint64_t *first = copy ? kit_map_put(&m->index, h, &fresh) : NULL;
	if (!first) {
		free(copy);
		return NULL;
	}
	m->v[m->n] = (struct kit_strmap_entry){copy, len, 0, fresh ? 0 : (size_t)*first};
	*first = ++m->n;
	if (added)
		*added = 1;
	return &m->v[m->n - 1].value;
}

int kit_strmap_next(const kit_strmap *m, size_t *at, const char **key, size_t *len, uint64_t *value)
{
	if (*at >= m->n)
		return 0;
	const struct kit_strmap_entry *x = &m->v[(*at)++];
	*key = x->key, *len = x->len, *value = x->value;
	return 1;
}

void kit_strmap_free(kit_strmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].key);
	free(m->v);
	kit_map_free(&m->index);
	memset(m, 0, sizeof *m);
}
