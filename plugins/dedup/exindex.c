/* exindex.c -- hash table and file of dedup.exact. */
#include "exindex.h"
#include "ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_SEED 0x6578616374ULL /* "exact" */

void ex_index_init(ex_index *ix) { memset(ix, 0, sizeof *ix); }

void ex_index_free(ex_index *ix)
{
	free(ix->e);
	free(ix->slot);
	free(ix->ids);
	memset(ix, 0, sizeof *ix);
}

/* Not the toolkit's kit_map: a slot here is 4 bytes (an entry number; the
 * 128-bit digest lives once, in the entry the index file stores), where a
 * kit_map slot would be 16 and could not hold the whole digest as its key.
 * An index of tens of millions of documents is kept in memory whole. */
static size_t home(dd_digest h, size_t cap) { return (size_t)h.lo & (cap - 1); }

long long ex_index_find(const ex_index *ix, dd_digest h)
{
	if (!ix->slot_cap)
		return -1;
	for (size_t i = home(h, ix->slot_cap); ix->slot[i]; i = (i + 1) & (ix->slot_cap - 1)) {
		const ex_entry *e = &ix->e[ix->slot[i] - 1];
		if (e->h.hi == h.hi && e->h.lo == h.lo)
			return ix->slot[i] - 1;
	}
	return -1;
}

static void put_slot(uint32_t *slot, size_t cap, dd_digest h, uint32_t entry1)
{
	size_t i = home(h, cap);
	while (slot[i])
		i = (i + 1) & (cap - 1);
	slot[i] = entry1;
}

static int grow(ex_index *ix, size_t want)
{
	if (want > ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 1024;
		while (cap < want)
			cap *= 2;
		ex_entry *e = realloc(ix->e, cap * sizeof *e);
		if (!e)
			return -1;
		ix->e = e;
		ix->cap = cap;
	}
	if (want * 2 > ix->slot_cap) {
		size_t cap = ix->slot_cap ? ix->slot_cap : 2048;
		while (want * 2 > cap)
			cap *= 2;
		uint32_t *slot = calloc(cap, sizeof *slot);
		if (!slot)
			return -1;
		for (size_t i = 0; i < ix->n; i++)
			put_slot(slot, cap, ix->e[i].h, (uint32_t)i + 1);
		free(ix->slot);
		ix->slot = slot;
		ix->slot_cap = cap;
	}
	return 0;
}

static int put_id(ex_index *ix, const char *id, size_t len)
{
	return dd_ids_put(&ix->ids, &ix->ids_len, &ix->ids_cap, id, len);
}

int ex_index_add(ex_index *ix, dd_digest h, uint64_t order, const char *id, size_t id_len)
{
	if (ix->n >= UINT32_MAX - 1 || id_len > UINT32_MAX || grow(ix, ix->n + 1))
		return -1;
	ex_entry *e = &ix->e[ix->n];
	e->h = h;
	e->order = order;
	e->id_off = ix->ids_len;
	e->id_len = (uint32_t)id_len;
	if (put_id(ix, id, id_len))
		return -1;
	put_slot(ix->slot, ix->slot_cap, h, (uint32_t)++ix->n);
	if (order >= ix->next_order)
		ix->next_order = order + 1;
	return 0;
}

int ex_index_save(const ex_index *ix, uint32_t norm_flags, dd_out *o)
{
	uint64_t params[2] = {norm_flags, EXACT_SEED};
	dd_out_begin(o, DD_KIND_EXACT, params, 2);
	dd_out_u64(o, ix->next_order);
	for (size_t i = 0; i < ix->n; i++) {
		dd_out_u64(o, ix->e[i].h.hi);
		dd_out_u64(o, ix->e[i].h.lo);
		dd_out_u64(o, ix->e[i].order);
		dd_out_u32(o, ix->e[i].id_len);
	}
	dd_out_bytes(o, ix->ids, ix->ids_len);
	o->count = ix->n;
	return dd_out_end(o);
}

#define EX_ENTRY_BYTES 28

int ex_index_load(ex_index *ix, uint32_t norm_flags, dd_in *in)
{
	if (in->n_params != 2 || in->params[1] != EXACT_SEED) {
		snprintf(in->err, sizeof in->err, "%s is corrupt: unexpected parameters", in->path);
		return -1;
	}
	if (in->params[0] != norm_flags) {
		snprintf(in->err, sizeof in->err,
			 "%s was made with other normalisation settings (flags %llu, this "
			 "stage %u); its hashes cannot be compared",
			 in->path, (unsigned long long)in->params[0], norm_flags);
		return -1;
	}
	uint64_t n = in->count, next_order;
	if (dd_in_check_count(in, "entries", UINT32_MAX - 2, 8, EX_ENTRY_BYTES))
		return -1;
	if (dd_in_u64(in, &next_order))
		return -1;
	if (grow(ix, n ? n : 1))
		return dd_in_nomem(in, n, "entries");
	uint64_t ids_total = 0;
	for (uint64_t i = 0; i < n; i++) {
		ex_entry *e = &ix->e[i];
		uint64_t at = dd_in_tell(in);
		if (dd_in_u64(in, &e->h.hi) || dd_in_u64(in, &e->h.lo) || dd_in_u64(in, &e->order) ||
		    dd_in_u32(in, &e->id_len))
			return -1;
		if (e->id_len > DD_MAX_ID)
			return dd_in_corrupt(in, at, "entry", i, "id length %u is above the limit of %d bytes",
					     e->id_len, DD_MAX_ID);
		e->id_off = ids_total;
		ids_total += e->id_len;
	}
	if (dd_in_ids(in, ids_total, &ix->ids))
		return -1;
	ix->ids_len = ix->ids_cap = ids_total;
	for (uint64_t i = 0; i < n; i++) {
		if (ex_index_find(ix, ix->e[i].h) >= 0) {
			ix->n = (size_t)i;
			return dd_in_corrupt(in, in->body_start + 8 + i * EX_ENTRY_BYTES, "entry", i,
					     "its hash occurs twice");
		}
		put_slot(ix->slot, ix->slot_cap, ix->e[i].h, (uint32_t)i + 1);
		ix->n = (size_t)i + 1;
	}
	ix->next_order = next_order;
	return 0;
}
