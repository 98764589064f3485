/* mhindex.c -- entries, band tables, decisions and the index file. */
#include "mhindex.h"
#include "ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mh_index_init(mh_index *ix, uint32_t perms, uint32_t bands, uint32_t rows)
{
	memset(ix, 0, sizeof *ix);
	ix->perms = perms, ix->bands = bands, ix->rows = rows;
	ix->tab = calloc(bands, sizeof *ix->tab);
	return ix->tab ? 0 : -1;
}

void mh_index_free(mh_index *ix)
{
	for (uint32_t j = 0; ix->tab && j < ix->bands; j++)
		free(ix->tab[j]);
	free(ix->tab);
	free(ix->e);
	free(ix->sigs);
	free(ix->ids);
	free(ix->stamp);
	free(ix->cand);
	memset(ix, 0, sizeof *ix);
}

/* Not the toolkit's kit_map: a band table is a multimap (every document
 * whose band hashes alike is a candidate, so one key has many slots and a
 * lookup walks them all), with 8-byte slots, one table per band. */
static void band_put(mh_band *t, size_t mask, uint32_t key, uint32_t entry1)
{
	size_t i = key & mask;
	while (t[i].entry1)
		i = (i + 1) & mask;
	t[i].key = key;
	t[i].entry1 = entry1;
}

static int grow_tables(mh_index *ix, size_t want)
{
	size_t cap = ix->tab_cap ? ix->tab_cap : 1024;
	while (cap < want * 2)
		cap *= 2;
	if (cap == ix->tab_cap)
		return 0;
	for (uint32_t j = 0; j < ix->bands; j++) {
		mh_band *t = calloc(cap, sizeof *t);
		if (!t)
			return -1;
		for (size_t i = 0; i < ix->tab_cap; i++)
			if (ix->tab[j][i].entry1)
				band_put(t, cap - 1, ix->tab[j][i].key, ix->tab[j][i].entry1);
		free(ix->tab[j]);
		ix->tab[j] = t;
	}
	ix->tab_cap = cap;
	return 0;
}

static int grow_entries(mh_index *ix, size_t want)
{
	if (want <= ix->cap)
		return 0;
	size_t cap = ix->cap ? ix->cap : 1024;
	while (cap < want)
		cap *= 2;
	mh_entry *e = realloc(ix->e, cap * sizeof *e);
	if (!e)
		return -1;
	ix->e = e;
	uint32_t *sigs = realloc(ix->sigs, cap * ix->perms * sizeof *sigs);
	if (!sigs)
		return -1;
	ix->sigs = sigs;
	uint32_t *stamp = realloc(ix->stamp, cap * sizeof *stamp);
	if (!stamp)
		return -1;
	memset(stamp + ix->cap, 0, (cap - ix->cap) * sizeof *stamp);
	ix->stamp = stamp;
	ix->cap = cap;
	return 0;
}

static int put_id(mh_index *ix, const char *id, size_t len)
{
	return dd_ids_put(&ix->ids, &ix->ids_len, &ix->ids_cap, id, len);
}

static void index_bands(mh_index *ix, uint32_t entry, const uint32_t *keys)
{
	for (uint32_t j = 0; j < ix->bands; j++)
		band_put(ix->tab[j], ix->tab_cap - 1, keys[j], entry + 1);
}

uint32_t mh_index_add(mh_index *ix, const mh_doc *d, uint32_t root)
{
	if (ix->n >= MH_NONE - 1 || d->id_len > UINT32_MAX || grow_entries(ix, ix->n + 1) ||
	    grow_tables(ix, ix->n + 1))
		return MH_NONE;
	uint32_t i = (uint32_t)ix->n;
	mh_entry *e = &ix->e[i];
	e->id_off = ix->ids_len;
	if (put_id(ix, d->id, d->id_len))
		return MH_NONE;
	e->order = d->order;
	e->published = d->published;
	e->id_len = (uint32_t)d->id_len;
	e->length = d->length;
	e->root = root == MH_NONE ? i : root;
	e->best = i;
	if (root != MH_NONE)
		ix->e[root].best = i;
	memcpy(ix->sigs + (size_t)i * ix->perms, d->sig, ix->perms * sizeof *d->sig);
	index_bands(ix, i, d->keys);
	ix->n++;
	if (d->order >= ix->next_order)
		ix->next_order = d->order + 1;
	return i;
}

static int add_candidate(mh_index *ix, uint32_t c)
{
	if (ix->stamp[c] == ix->query)
		return 0;
	ix->stamp[c] = ix->query;
	if (ix->n_cand == ix->cand_cap) {
		size_t cap = ix->cand_cap ? ix->cand_cap * 2 : 64;
		uint32_t *p = realloc(ix->cand, cap * sizeof *p);
		if (!p) {
			ix->oom = 1;
			return -1;
		}
		ix->cand = p;
		ix->cand_cap = cap;
	}
	ix->cand[ix->n_cand++] = c;
	return 0;
}

uint32_t mh_index_query(mh_index *ix, const uint32_t *sig, const uint32_t *keys, double threshold, int verify,
			double *sim)
{
	*sim = 0;
	if (!ix->n)
		return MH_NONE;
	if (++ix->query == 0) { /* the stamps wrapped: start them again */
		memset(ix->stamp, 0, ix->cap * sizeof *ix->stamp);
		ix->query = 1;
	}
	ix->n_cand = 0;
	size_t mask = ix->tab_cap - 1;
	for (uint32_t j = 0; j < ix->bands; j++) {
		const mh_band *t = ix->tab[j];
		for (size_t i = keys[j] & mask; t[i].entry1; i = (i + 1) & mask)
			if (t[i].key == keys[j] && add_candidate(ix, t[i].entry1 - 1))
				return MH_NONE;
	}
	/* verification: at least need agreeing positions (threshold * perms,
	 * rounded up); stop early on candidates that cannot make it */
	uint32_t need = mh_rule_need(threshold, ix->perms, verify), best = MH_NONE, best_same = 0;
	for (size_t k = 0; k < ix->n_cand; k++) {
		uint32_t c = ix->cand[k];
		uint32_t same = mh_agreeing(sig, ix->sigs + (size_t)c * ix->perms, ix->perms, need);
		if (same < need)
			continue;
		if (mh_rule_closer(c, same, best, best_same))
			best = c, best_same = same;
	}
	if (best != MH_NONE)
		*sim = (double)best_same / ix->perms;
	return best;
}

int mh_decide(mh_index *ix, const mh_policy *pol, const mh_doc *d, mh_verdict *v)
{
	v->duplicate = 0;
	v->replaced = MH_NONE;
	v->cluster = MH_NONE;
	v->of = MH_NONE;
	v->match = mh_index_query(ix, d->sig, d->keys, pol->threshold, pol->verify, &v->similarity);
	if (v->match == MH_NONE) {
		if (ix->oom)
			return -1;
		return mh_index_add(ix, d, MH_NONE) == MH_NONE ? -1 : 0;
	}
	uint32_t root = ix->e[v->match].root, rep = ix->e[root].best;
	v->cluster = root;
	v->of = rep;
	if (pol->second_pass) {
		size_t len;
		const char *id = mh_entry_id(ix, rep, &len);
		v->duplicate = !(len == d->id_len && !memcmp(id, d->id, len));
		return 0;
	}
	if (!mh_rule_supersedes(pol->keep, d->length, d->published, ix->e[rep].length, ix->e[rep].published)) {
		v->duplicate = 1;
		return 0;
	}
	v->replaced = rep;
	v->of = MH_NONE;
	return mh_index_add(ix, d, root) == MH_NONE ? -1 : 0;
}

static int digits(const char *s, size_t len, size_t at, size_t n, int *out)
{
	if (at + n > len)
		return 0;
	int v = 0;
	for (size_t i = at; i < at + n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int64_t mh_parse_date(const char *s, size_t len)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	size_t t;
	if (digits(s, len, 0, 4, &y) && len >= 10 && s[4] == '-' && digits(s, len, 5, 2, &mo) && s[7] == '-' &&
	    digits(s, len, 8, 2, &d)) {
		t = 10;
	} else if (digits(s, len, 0, 2, &d) && len >= 10 && s[2] == '/' && digits(s, len, 3, 2, &mo) && s[5] == '/' &&
		   digits(s, len, 6, 4, &y)) {
		t = 10;
	} else {
		return MH_NO_DATE;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return MH_NO_DATE;
	if (len > t + 5 && (s[t] == 'T' || s[t] == ' ') && digits(s, len, t + 1, 2, &h) && s[t + 3] == ':' &&
	    digits(s, len, t + 4, 2, &mi)) {
		if (len > t + 8 && s[t + 6] == ':')
			digits(s, len, t + 7, 2, &se);
	}
	return (((((int64_t)y * 100 + mo) * 100 + d) * 100 + h) * 100 + mi) * 100 + se;
}

uint32_t mh_params_encode(const mh_params *p, uint64_t *out)
{
	out[0] = p->perms;
	out[1] = p->shingle_size;
	out[2] = p->chars;
	out[3] = p->norm_flags;
	out[4] = p->seed;
	return 5;
}

int mh_params_check(const mh_params *p, dd_in *in)
{
	static const char *const names[] = {"perms", "shingle_size", "shingle (0 word, 1 char)",
					    "normalisation flags", "seed"};
	uint64_t want[16];
	uint32_t n = mh_params_encode(p, want);
	if (in->n_params != n) {
		snprintf(in->err, sizeof in->err, "%s is corrupt: it has %u parameters, expected %u", in->path,
			 in->n_params, n);
		return -1;
	}
	for (uint32_t i = 0; i < n; i++)
		if (in->params[i] != want[i]) {
			snprintf(in->err, sizeof in->err,
				 "%s was made with %s %llu, but this stage uses %llu; "
				 "signatures made with different settings cannot be compared",
				 in->path, names[i], (unsigned long long)in->params[i], (unsigned long long)want[i]);
			return -1;
		}
	return 0;
}

#define ENTRY_BYTES 32

int mh_index_save(const mh_index *ix, const mh_params *p, dd_out *o)
{
	uint64_t params[16];
	dd_out_begin(o, DD_KIND_MINHASH, params, mh_params_encode(p, params));
	dd_out_u64(o, ix->next_order);
	for (size_t i = 0; i < ix->n; i++) {
		const mh_entry *e = &ix->e[i];
		dd_out_u64(o, e->order);
		dd_out_u64(o, (uint64_t)e->published);
		dd_out_u32(o, e->length);
		dd_out_u32(o, e->id_len);
		dd_out_u32(o, e->root);
		dd_out_u32(o, e->root == i ? e->best : MH_NONE);
	}
	dd_out_u32s(o, ix->sigs, ix->n * ix->perms);
	dd_out_bytes(o, ix->ids, ix->ids_len);
	o->count = ix->n;
	return dd_out_end(o);
}

int mh_index_load(mh_index *ix, const mh_params *p, dd_in *in)
{
	if (mh_params_check(p, in))
		return -1;
	uint64_t n = in->count, next_order;
	if (dd_in_check_count(in, "entries", MH_NONE - 2, 8, ENTRY_BYTES + (uint64_t)p->perms * 4))
		return -1;
	if (dd_in_u64(in, &next_order))
		return -1;
	if (grow_entries(ix, n ? n : 1) || grow_tables(ix, n))
		return dd_in_nomem(in, n, "entries");
	uint64_t ids_total = 0;
	for (uint64_t i = 0; i < n; i++) {
		mh_entry *e = &ix->e[i];
		uint64_t pub, at = dd_in_tell(in);
		uint32_t best;
		if (dd_in_u64(in, &e->order) || dd_in_u64(in, &pub) || dd_in_u32(in, &e->length) ||
		    dd_in_u32(in, &e->id_len) || dd_in_u32(in, &e->root) || dd_in_u32(in, &best))
			return -1;
		if (e->id_len > DD_MAX_ID)
			return dd_in_corrupt(in, at, "entry", i, "id length %u is above the limit of %d bytes",
					     e->id_len, DD_MAX_ID);
		e->published = (int64_t)pub;
		e->id_off = ids_total;
		ids_total += e->id_len;
		if (e->root >= n || (e->root == i && best >= n) || e->order >= next_order)
			return dd_in_corrupt(in, at, "entry", i, "it points outside the index");
		e->best = e->root == i ? best : (uint32_t)i;
	}
	for (uint64_t i = 0; i < n; i++)
		if (ix->e[ix->e[i].root].root != ix->e[i].root ||
		    ix->e[ix->e[ix->e[i].root].best].root != ix->e[i].root)
			return dd_in_corrupt(in, in->body_start + 8 + i * ENTRY_BYTES, "entry", i,
					     "its cluster is inconsistent");
	if (dd_in_u32s(in, ix->sigs, n * p->perms))
		return -1;
	if (dd_in_ids(in, ids_total, &ix->ids))
		return -1;
	ix->ids_len = ix->ids_cap = ids_total;
	ix->n = n;
	ix->next_order = next_order;
	uint32_t keys[MH_MAX_PERMS];
	for (uint64_t i = 0; i < n; i++) {
		mh_band_keys(ix->sigs + i * p->perms, ix->bands, ix->rows, keys);
		index_bands(ix, (uint32_t)i, keys);
	}
	return 0;
}
