/* doc.h -- the document's inside, for the host only. */
#ifndef TM_DOC_H
#define TM_DOC_H

#include "util.h"

/* Slots of a document's cache of entity types and rule names: a handful of
 * distinct names recur over thousands of entities. */
#define DOC_NAME_SLOTS 64

typedef struct meta_field {
	char *key;
	char *json;
} meta_field;

struct tm_doc {
	arena mem; /* id, metadata, entities; reset per record */
	buf text;
	char *id;
	char *source; /* "FILE:LINE" */
	meta_field *meta;
	size_t n_meta, cap_meta;
	tm_entity *ents;
	size_t n_ents, cap_ents;
	tm_verdict verdict;
	const char *reason;
	const char *verdict_stage; /* stage that dropped or rejected it */
	size_t bytes;              /* size of the input record */
	int unchecked;             /* text not yet checked to be UTF-8 */
	tm_ctx *ctx;               /* stage now processing it, for messages */
	void *stash;               /* a stage's note from prepare() to process() */
	void (*stash_release)(void *);
	buf scratch;
	/* types and rules already checked and copied into mem, by a hash of
	 * their length and a few bytes; emptied with mem */
	struct {
		const char *s;
		size_t len;
	} names[DOC_NAME_SLOTS];
};

TM_INTERNAL tm_doc *doc_new(void);
TM_INTERNAL void doc_reset(tm_doc *doc);
TM_INTERNAL void doc_free(tm_doc *doc);
TM_INTERNAL void doc_set_id(tm_doc *doc, const char *id, size_t len);
TM_INTERNAL void doc_drop_stash(tm_doc *doc);
TM_INTERNAL void doc_set_source(tm_doc *doc, const char *file, size_t line);

/* Fill a reset document from one JSON Lines record. On error returns -1
 * and writes the reason (with a column) to err. */
TM_INTERNAL int doc_from_json(tm_doc *doc, const char *line, size_t len, buf *err);
/* The same with the id and the text under other keys (`id_key`, `text_key`
 * of the JSON Lines reader); a record's "id" or "text" is then metadata. */
TM_INTERNAL int doc_from_json_keys(tm_doc *doc, const char *line, size_t len, const char *id_key,
				   const char *text_key, buf *err);
TM_INTERNAL void doc_write_json(const tm_doc *doc, buf *out);

#endif
