/* report_gather.c -- what output.report gathers from each document:
 * months, sources, entities by type and label, duplicate clusters. */
#include <stdlib.h>
#include <string.h>

#include "oc_doc.h"
#include "report.h"

/* The cluster named id, added if new; NULL when out of memory. */
static cluster *find_cluster(report *r, const char *id)
{
	size_t len = strlen(id);
	uint64_t *index = kit_strmap_get(&r->cluster_index, id, len);
	if (index)
		return &r->clusters[*index];
	if (oc_grow(&r->clusters, &r->cap_clusters, r->n_clusters, sizeof *r->clusters, 16))
		return NULL;
	char *copy = kit_strndup(id, len);
	if (!copy || !(index = kit_strmap_put(&r->cluster_index, id, len, NULL))) {
		free(copy);
		return NULL;
	}
	*index = r->n_clusters;
	r->clusters[r->n_clusters] = (cluster){.id = copy};
	return &r->clusters[r->n_clusters++];
}

/* The member doc_id of c, added if new; NULL when out of memory. */
static member *find_member(cluster *c, const char *doc_id)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->members[i].doc_id, doc_id))
			return &c->members[i];
	if (oc_grow(&c->members, &c->cap, c->n, sizeof *c->members, 4))
		return NULL;
	char *copy = kit_strndup(doc_id, strlen(doc_id));
	if (!copy)
		return NULL;
	c->members[c->n] = (member){.doc_id = copy};
	return &c->members[c->n++];
}

/* The document's place in a duplicate cluster, if a dedup stage marked it.
 * The original a duplicate points at joins the cluster too. 0, or -1 when
 * out of memory. */
static int gather_cluster(report *r, const tm_doc *doc)
{
	oc_dup dup;
	int found = oc_dup_read(doc, (const char *const *)r->dedup_fields, r->n_dedup_fields, &dup);
	if (found <= 0)
		return found;
	cluster *c = find_cluster(r, dup.cluster);
	member *m = c ? find_member(c, tm_doc_id(doc)) : NULL;
	size_t at = m ? (size_t)(m - c->members) : 0; /* adding the original may move m */
	const char *title = tm_doc_meta_string(doc, "title", NULL);
	if (!m || (dup.duplicate_of && !find_member(c, dup.duplicate_of)) ||
	    (!c->title && title && *title && !(c->title = kit_strndup(title, strlen(title))))) {
		oc_dup_free(&dup);
		return -1;
	}
	m = &c->members[at];
	free(m->duplicate_of);
	m->duplicate_of = dup.duplicate_of;
	m->similarity = dup.similarity;
	m->has_similarity = dup.has_similarity;
	if (dup.duplicate_of)
		r->marked++;
	dup.duplicate_of = NULL; /* now the member's */
	oc_dup_free(&dup);
	return 0;
}

/* A tally of names for each of the first n entity types: 0, or -1 when
 * out of memory. */
static int grow_labels(report *r, size_t n)
{
	if (n <= r->n_labels)
		return 0;
	tally *labels = kit_realloc(r->labels, n * sizeof *labels);
	if (!labels)
		return -1;
	memset(&labels[r->n_labels], 0, (n - r->n_labels) * sizeof *labels);
	r->labels = labels, r->n_labels = n;
	return 0;
}

int report_add(report *r, const tm_doc *doc)
{
	size_t doc_no = (size_t)r->docs++;
	char month[8];
	size_t len;
	const char *published = tm_doc_meta_string(doc, "published", NULL);
	if (published && oc_month(published, month) == 0) {
		if (!tally_hit(&r->months, month, 7, doc_no))
			return -1;
	} else {
		r->undated++;
	}
	const char *source = tm_doc_meta_string(doc, "source", &len);
	if (source && len && !tally_hit(&r->sources, source, len, doc_no))
		return -1;
	size_t n = tm_doc_entity_count(doc);
	for (size_t i = 0; i < n; i++) {
		const tm_entity *e = tm_doc_entity(doc, i);
		tally_item *type = tally_hit(&r->types, e->type, strlen(e->type), doc_no);
		if (!type || grow_labels(r, type->id + 1))
			return -1;
		kit_buf_clear(&r->label);
		oc_entity_label(doc, e, &r->label);
		if (kit_buf_failed(&r->label) ||
		    !tally_hit(&r->labels[type->id], kit_buf_str(&r->label), r->label.len, doc_no))
			return -1;
	}
	r->entities += (long long)n;
	return gather_cluster(r, doc);
}

void report_free(report *r)
{
	free(r->title);
	oc_strings_free(r->dedup_fields, r->n_dedup_fields);
	tally_free(&r->months);
	tally_free(&r->sources);
	for (size_t i = 0; i < r->n_labels; i++)
		tally_free(&r->labels[i]);
	free(r->labels);
	tally_free(&r->types);
	for (size_t i = 0; i < r->n_clusters; i++) {
		cluster *c = &r->clusters[i];
		for (size_t k = 0; k < c->n; k++) {
			free(c->members[k].doc_id);
			free(c->members[k].duplicate_of);
		}
		free(c->members);
		free(c->id);
		free(c->title);
	}
	free(r->clusters);
	kit_strmap_free(&r->cluster_index);
	kit_buf_free(&r->label);
	memset(r, 0, sizeof *r);
}
