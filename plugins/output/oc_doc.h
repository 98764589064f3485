/* oc_doc.h -- what several outputs read from a document the same way:
 * all metadata as one JSON object, an entity's label, the publication
 * month, and the duplicate information left by the dedup stage. */
#ifndef OC_DOC_H
#define OC_DOC_H

#include <textmill/textmill.h>

#include "oc_buf.h"

/* Append every metadata field as one JSON object, {"title":"…",…}. */
void oc_doc_meta_object(const tm_doc *doc, kit_buf *out);

/* What an entity is counted as: its value when that is a JSON string,
 * otherwise the text it covers. Out of memory fails out (kit_buf_failed). */
void oc_entity_label(const tm_doc *doc, const tm_entity *e, kit_buf *out);

/* "YYYY-MM" from a date that starts like ISO 8601 ("2024-12-10",
 * "2024-12-10T08:00:00+07:00"); 0 on success, -1 if it does not. */
int oc_month(const char *date, char month[8]);

/* The dedup contract (docs/outputs.md): a stage that marks duplicates
 * instead of dropping them writes, in a metadata field,
 *     {"cluster": ID, "duplicate_of": ID, "similarity": x}
 * with "duplicate_of" absent (or null) on the document a cluster keeps.
 * dedup.minhash writes this to meta.dedup, dedup.exact {"duplicate_of": ID}
 * to meta.dedup_exact. Also read: "cluster_id" for "cluster", "of" for
 * "duplicate_of", "score" for "similarity", a string field naming the
 * original ("duplicate-of:ID" or "ID"), and a top-level meta.duplicate_of.
 * IDs may be strings or numbers; the cluster defaults to the original's id. */
typedef struct oc_dup {
	char *cluster;      /* never NULL when found */
	char *duplicate_of; /* NULL for the document a cluster keeps */
	double similarity;
	int has_similarity;
} oc_dup;

/* The default fields to look in, for an option's default. */
#define OC_DEDUP_FIELDS "[dedup, dedup_exact]"

/* Look in fields[0..n) in order (the first that says anything wins);
 * 1 and *dup filled (free with oc_dup_free) if the document is in a
 * cluster, 0 if not, -1 when out of memory. */
int oc_dup_read(const tm_doc *doc, const char *const *fields, size_t n, oc_dup *dup);
void oc_dup_free(oc_dup *dup);

#endif
