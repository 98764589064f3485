/* sigfile.h -- signature record files: one record per document that
 * reached dedup.minhash (order key, id, length, published, signature), in
 * order-key order. Shards of a corpus processed on several machines each
 * write one; merging them (a k-way merge on the order key) and replaying
 * the merged records through mh_decide() gives the result a single run
 * over the whole corpus would have given. The layout is in docs/dedup.md. */
#ifndef DD_SIGFILE_H
#define DD_SIGFILE_H

#include "ddfile.h"
#include "mhindex.h"

/* Writing: begin, one put per document, end (then commit the file). */
void mh_sig_begin(dd_out *o, const mh_params *p);
void mh_sig_put(dd_out *o, uint32_t perms, const mh_doc *d);
int mh_sig_end(dd_out *o);

/* Merge order of signature records: by order key, then by id. */
int mh_doc_before(const mh_doc *a, const mh_doc *b);

/* The signature parameters stored in a dedup file. */
void mh_params_decode(const dd_in *in, mh_params *p);

typedef struct mh_sigreader {
	dd_in in;
	mh_params p;
	uint64_t left; /* records still to read */
	uint64_t last_order;
	/* the current record */
	mh_doc doc;
	char *id;
	size_t id_cap;
	uint32_t *sig;
	uint32_t *keys;
} mh_sigreader;

/* Open a signature file; 0, or -1 with a message in err (a missing file
 * is an error here). */
int mh_sig_open(mh_sigreader *r, const char *path, char *err, size_t errlen);
/* The next record in r->doc (keys are not filled): 1, 0 at the end, -1
 * with a message if the file is corrupt or out of order. */
int mh_sig_next(mh_sigreader *r, char *err, size_t errlen);
void mh_sig_close(mh_sigreader *r);

/* Merge signature files (each sorted by order key) into one, sorted by
 * (order key, id). All inputs must share their signature parameters. */
int mh_sig_merge(const char *const *paths, size_t n, dd_out *out, char *err, size_t errlen);

/* Feed every record of a signature file through mh_decide() on ix (fresh
 * or loaded, made with the file's perms), calling emit for each. */
typedef void (*mh_emit_fn)(void *ud, const mh_doc *d, const mh_verdict *v, const mh_index *ix);
int mh_sig_replay(const char *path, const mh_policy *pol, mh_index *ix, mh_emit_fn emit, void *ud, char *err,
		  size_t errlen);

#endif
