/* oc_map.c -- open addressing with linear probing, FNV-1a hashes. */
#include "oc_map.h"

#include <stdlib.h>
#include <string.h>

#include "oc_buf.h"

static size_t hash_bytes(const char *s, size_t len)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return (size_t)h;
}

static oc_map_slot *find(const oc_map *m, const char *key, size_t len, size_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		oc_map_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && s->len == len && !memcmp(s->key, key, len)))
			return s;
	}
}

static void grow(oc_map *m)
{
	oc_map old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = oc_xcalloc(m->cap, sizeof *m->slots);
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key, old.slots[i].len, old.slots[i].hash) = old.slots[i];
	free(old.slots);
}

size_t oc_map_get(const oc_map *m, const char *key, size_t len)
{
	if (!m->cap)
		return OC_MAP_NONE;
	oc_map_slot *s = find(m, key, len, hash_bytes(key, len));
	return s->key ? s->value : OC_MAP_NONE;
}

size_t oc_map_add(oc_map *m, const char *key, size_t len, size_t value)
{
	if ((m->n + 1) * 4 > m->cap * 3)  /* keep it at most three quarters full */
		grow(m);
	size_t h = hash_bytes(key, len);
	oc_map_slot *s = find(m, key, len, h);
	if (s->key)
		return s->value;
	s->key = oc_xstrndup(key, len);
	s->len = len;
	s->hash = h;
	s->value = value;
	m->n++;
	return value;
}

void oc_map_free(oc_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof *m);
}
