/* oc_map.h -- a hash map from byte strings to small integers (indexes
 * into the caller's own array), for counting things by name. */
#ifndef OC_MAP_H
#define OC_MAP_H

#include <stddef.h>

typedef struct oc_map_slot {
	char *key;      /* NULL: empty */
	size_t len;
	size_t value;
	size_t hash;
} oc_map_slot;

typedef struct oc_map {
	oc_map_slot *slots;
	size_t cap, n;
} oc_map;

/* The value stored under key, or (size_t)-1 if there is none. */
size_t oc_map_get(const oc_map *m, const char *key, size_t len);
/* Store value under key unless key is there; returns the value stored
 * (the old one if key was there). */
size_t oc_map_add(oc_map *m, const char *key, size_t len, size_t value);
void oc_map_free(oc_map *m);

#define OC_MAP_NONE ((size_t)-1)

#endif
