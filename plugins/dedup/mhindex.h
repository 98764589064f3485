/* mhindex.h -- the near-duplicate index: documents' MinHash signatures,
 * LSH band tables over them, clusters, and the decision for each new
 * document. Nothing here knows about the textmill host, so a tool can
 * replay merged signature records through the same decisions (sigfile.h).
 *
 * The index holds every document that was kept (written). A cluster is a
 * set of kept documents; its root is the first one and its `best` the one
 * a later duplicate is reported against. Under keep: first the root stays
 * best; under longest/newest a better document joins the cluster as its
 * new best (the earlier one was already written and stays so). */
#ifndef DD_MHINDEX_H
#define DD_MHINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "ddfile.h"
#include "minhash.h"
#include "rule.h"

#define MH_NO_DATE INT64_MIN

typedef struct mh_entry {
	uint64_t order;    /* sort key: input position, see docs/dedup.md */
	int64_t published; /* YYYYMMDDhhmmss, or MH_NO_DATE */
	uint64_t id_off;   /* into the id arena */
	uint32_t id_len;
	uint32_t length; /* characters */
	uint32_t root;   /* the cluster's first entry */
	uint32_t best;   /* roots only: the cluster's current best entry */
} mh_entry;

typedef struct mh_band {
	uint32_t key;
	uint32_t entry1; /* entry + 1; 0: an empty slot */
} mh_band;

typedef struct mh_index {
	uint32_t perms, bands, rows;
	mh_entry *e;
	uint32_t *sigs; /* n * perms */
	size_t n, cap;
	char *ids;
	size_t ids_len, ids_cap;
	mh_band **tab;   /* one open-addressing table per band */
	size_t tab_cap;  /* slots per table, a power of two */
	uint32_t *stamp; /* per entry: the query that last saw it */
	uint32_t query;
	uint32_t *cand;
	size_t n_cand, cand_cap;
	uint64_t next_order; /* one past the largest order key stored */
	int oom;             /* a query could not grow its candidate list */
} mh_index;

int mh_index_init(mh_index *ix, uint32_t perms, uint32_t bands, uint32_t rows);
void mh_index_free(mh_index *ix);

/* A document as the decision sees it. keys: its band keys (bands of them). */
typedef struct mh_doc {
	const char *id;
	size_t id_len;
	uint64_t order;
	int64_t published;
	uint32_t length;
	const uint32_t *sig;
	const uint32_t *keys;
} mh_doc;

/* Add a kept document; root MH_NONE starts a new cluster, otherwise it
 * joins root's cluster as its best. Returns the entry, or MH_NONE when out
 * of memory. */
uint32_t mh_index_add(mh_index *ix, const mh_doc *d, uint32_t root);

/* The indexed entry most similar to the signature among the LSH
 * candidates, if verification passes (or any candidate when verify is
 * off). Returns the entry or MH_NONE; *sim its estimated similarity. */
uint32_t mh_index_query(mh_index *ix, const uint32_t *sig, const uint32_t *keys, double threshold, int verify,
			double *sim);

static inline const char *mh_entry_id(const mh_index *ix, uint32_t i, size_t *len)
{
	*len = ix->e[i].id_len;
	return ix->ids + ix->e[i].id_off;
}

typedef struct mh_policy {
	double threshold;
	int verify;
	mh_keep keep;
	int second_pass; /* the index already holds this corpus: keep each cluster's best */
} mh_policy;

typedef struct mh_verdict {
	int duplicate;     /* nonzero: a duplicate of entry `of` */
	uint32_t of;       /* the cluster's best, which the document is a duplicate of */
	uint32_t match;    /* the entry it was most similar to (MH_NONE: none) */
	double similarity; /* to `match` */
	uint32_t replaced; /* kept as the cluster's new best, replacing this (or MH_NONE) */
	uint32_t cluster;  /* the cluster's root (MH_NONE: a new cluster, or not indexed) */
} mh_verdict;

/* Decide on a document and update the index. -1 when out of memory. */
int mh_decide(mh_index *ix, const mh_policy *pol, const mh_doc *d, mh_verdict *v);

/* Parse a published date ("2024-12-10", "2024-12-10T08:30:00+07:00",
 * "10/12/2024") into YYYYMMDDhhmmss; MH_NO_DATE if it is none of these. */
int64_t mh_parse_date(const char *s, size_t len);

/* The parameters stored in index and signature files. */
uint32_t mh_params_encode(const mh_params *p, uint64_t *out);
/* 0 if the file's parameters match p; -1 with a message in in->err
 * naming the first difference. */
int mh_params_check(const mh_params *p, dd_in *in);

/* Index files: save (the whole index), load (into an empty index made
 * with the same perms; bands and rows may differ from the saving run).
 * Load: 0, or -1 with a message naming the file in in->err. */
int mh_index_save(const mh_index *ix, const mh_params *p, dd_out *o);
int mh_index_load(mh_index *ix, const mh_params *p, dd_in *in);

#endif
