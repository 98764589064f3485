/* sigfile.c -- signature records: write, read, merge, replay. */
#include "sigfile.h"

#include <stdlib.h>
#include <string.h>

void mh_sig_begin(dd_out *o, const mh_params *p)
{
	uint64_t params[16];
	dd_out_begin(o, DD_KIND_SIGNATURES, params, mh_params_encode(p, params));
}

void mh_sig_put(dd_out *o, uint32_t perms, const mh_doc *d)
{
	dd_out_u64(o, d->order);
	dd_out_u64(o, (uint64_t)d->published);
	dd_out_u32(o, d->length);
	dd_out_u32(o, (uint32_t)d->id_len);
	dd_out_u32s(o, d->sig, perms);
	dd_out_bytes(o, d->id, d->id_len);
	o->count++;
}

int mh_sig_end(dd_out *o) { return dd_out_end(o); }

void mh_params_decode(const dd_in *in, mh_params *p)
{
	memset(p, 0, sizeof *p);
	if (in->n_params < 5)
		return;
	p->perms = (uint32_t)in->params[0];
	p->shingle_size = (uint32_t)in->params[1];
	p->chars = (uint32_t)in->params[2];
	p->norm_flags = (uint32_t)in->params[3];
	p->seed = in->params[4];
}

#define SIG_RECORD_HEAD 24 /* order, published, length, id length */

int mh_sig_open(mh_sigreader *r, const char *path, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	int rc = dd_in_open(&r->in, path, DD_KIND_SIGNATURES);
	if (rc) {
		if (rc > 0)
			snprintf(err, errlen, "%s: no such file", path);
		else
			snprintf(err, errlen, "%s", r->in.err);
		dd_in_close(&r->in);
		return -1;
	}
	mh_params_decode(&r->in, &r->p);
	if (r->in.n_params != 5 || r->p.perms < 1 || r->p.perms > MH_MAX_PERMS || r->in.params[0] != r->p.perms) {
		snprintf(err, errlen,
			 "%s is corrupt: bad signature parameters (%u of them, perms %llu; perms must be "
			 "from 1 to %d)",
			 path, r->in.n_params, (unsigned long long)r->in.params[0], MH_MAX_PERMS);
		dd_in_close(&r->in);
		return -1;
	}
	if (dd_in_check_count(&r->in, "records", UINT64_MAX, 0, SIG_RECORD_HEAD + (uint64_t)r->p.perms * 4)) {
		snprintf(err, errlen, "%s", r->in.err);
		dd_in_close(&r->in);
		return -1;
	}
	r->left = r->in.count;
	r->sig = malloc(r->p.perms * sizeof *r->sig);
	if (!r->sig) {
		snprintf(err, errlen, "out of memory");
		mh_sig_close(r);
		return -1;
	}
	r->doc.sig = r->sig;
	return 0;
}

/* Room for an id of id_len bytes and its NUL. */
static int id_room(mh_sigreader *r, size_t id_len)
{
	if (id_len < r->id_cap)
		return 0;
	char *p = realloc(r->id, id_len + 1);
	if (!p)
		return -1;
	r->id = p;
	r->id_cap = id_len + 1;
	return 0;
}

/* mh_sig_next() with its message in r->in.err. */
static int read_record(mh_sigreader *r)
{
	dd_in *in = &r->in;
	uint64_t rec = in->count - r->left, at = dd_in_tell(in);
	if (!r->left) {
		if (in->body_left)
			return dd_in_corrupt(in, at, NULL, 0, "%llu bytes after its last record",
					     (unsigned long long)in->body_left);
		return 0;
	}
	uint64_t order, pub;
	uint32_t length, id_len;
	if (dd_in_u64(in, &order) || dd_in_u64(in, &pub) || dd_in_u32(in, &length) || dd_in_u32(in, &id_len) ||
	    dd_in_u32s(in, r->sig, r->p.perms))
		return -1;
	if (id_len > DD_MAX_ID)
		return dd_in_corrupt(in, at, "record", rec, "id length %u is above the limit of %d bytes", id_len,
				     DD_MAX_ID);
	if (id_len > in->body_left)
		return dd_in_corrupt(in, at, "record", rec,
				     "id length %u runs past the end of its body (%llu bytes "
				     "left)",
				     id_len, (unsigned long long)in->body_left);
	if (id_room(r, id_len))
		return dd_in_nomem(in, id_len, "bytes of id");
	if (dd_in_bytes(in, r->id, id_len))
		return -1;
	if (rec > 0 && order < r->last_order) {
		snprintf(in->err, sizeof in->err,
			 "%s is not sorted: record %llu at byte %llu has order key %llu, after "
			 "%llu",
			 in->path, (unsigned long long)rec, (unsigned long long)at, (unsigned long long)order,
			 (unsigned long long)r->last_order);
		return -1;
	}
	r->id[id_len] = 0;
	r->last_order = order;
	r->left--;
	r->doc.id = r->id;
	r->doc.id_len = id_len;
	r->doc.order = order;
	r->doc.published = (int64_t)pub;
	r->doc.length = length;
	return 1;
}

int mh_sig_next(mh_sigreader *r, char *err, size_t errlen)
{
	int rc = read_record(r);
	if (rc < 0)
		snprintf(err, errlen, "%s", r->in.err);
	return rc;
}

void mh_sig_close(mh_sigreader *r)
{
	dd_in_close(&r->in);
	free(r->id);
	free(r->sig);
	free(r->keys);
	r->id = NULL;
	r->sig = r->keys = NULL;
}

int mh_doc_before(const mh_doc *a, const mh_doc *b)
{
	if (a->order != b->order)
		return a->order < b->order;
	size_t n = a->id_len < b->id_len ? a->id_len : b->id_len;
	int c = memcmp(a->id, b->id, n);
	return c ? c < 0 : a->id_len < b->id_len;
}

int mh_sig_merge(const char *const *paths, size_t n, dd_out *out, char *err, size_t errlen)
{
	mh_sigreader *r = calloc(n ? n : 1, sizeof *r);
	int *live = calloc(n ? n : 1, sizeof *live);
	int rc = -1;
	size_t opened = 0;
	if (!r || !live) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	for (; opened < n; opened++) {
		if (mh_sig_open(&r[opened], paths[opened], err, errlen))
			goto done;
		if (memcmp(&r[opened].p, &r[0].p, sizeof r[0].p)) {
			snprintf(err, errlen, "%s and %s were made with different signature settings", paths[0],
				 paths[opened]);
			opened++;
			goto done;
		}
		live[opened] = mh_sig_next(&r[opened], err, errlen);
		if (live[opened] < 0) {
			opened++;
			goto done;
		}
	}
	if (n)
		mh_sig_begin(out, &r[0].p);
	for (;;) { /* few inputs: a linear scan for the smallest beats a heap */
		size_t min = n;
		for (size_t i = 0; i < n; i++)
			if (live[i] && (min == n || mh_doc_before(&r[i].doc, &r[min].doc)))
				min = i;
		if (min == n)
			break;
		mh_sig_put(out, r[min].p.perms, &r[min].doc);
		live[min] = mh_sig_next(&r[min], err, errlen);
		if (live[min] < 0)
			goto done;
	}
	if (n && mh_sig_end(out)) {
		snprintf(err, errlen, "cannot write the merged file");
		goto done;
	}
	rc = 0;
done:
	for (size_t i = 0; i < opened; i++)
		mh_sig_close(&r[i]);
	free(r);
	free(live);
	return rc;
}

int mh_sig_replay(const char *path, const mh_policy *pol, mh_index *ix, mh_emit_fn emit, void *ud, char *err,
		  size_t errlen)
{
	mh_sigreader r;
	if (mh_sig_open(&r, path, err, errlen))
		return -1;
	int rc = -1;
	if (r.p.perms != ix->perms) {
		snprintf(err, errlen, "%s has %u permutations, the index %u", path, r.p.perms, ix->perms);
		goto done;
	}
	r.keys = malloc(ix->bands * sizeof *r.keys);
	if (!r.keys) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	r.doc.keys = r.keys;
	int got;
	while ((got = mh_sig_next(&r, err, errlen)) > 0) {
		mh_band_keys(r.sig, ix->bands, ix->rows, r.keys);
		mh_verdict v;
		if (mh_decide(ix, pol, &r.doc, &v)) {
			snprintf(err, errlen, "out of memory");
			goto done;
		}
		if (emit)
			emit(ud, &r.doc, &v, ix);
	}
	rc = got;
done:
	mh_sig_close(&r);
	return rc;
}
