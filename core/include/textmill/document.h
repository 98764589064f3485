/*
 * document.h -- one article flowing through the pipeline.
 *
 * A document has an id, a UTF-8 text, metadata fields whose values are JSON
 * texts, entities (stand-off annotations with byte offsets into the text)
 * and a verdict. All strings returned here belong to the document and stay
 * valid until the document leaves the stage that asked for them, unless
 * said otherwise below. Plugins include <textmill/textmill.h>; this
 * header also compiles on its own.
 */
#ifndef TEXTMILL_DOCUMENT_H
#define TEXTMILL_DOCUMENT_H

#include "textmill/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tm_doc tm_doc;

/* An entity as the host stores it. Offsets are 0-based byte offsets into
 * the text, `end` exclusive. value_json and attrs_json are JSON texts
 * (NULL when absent); rule is the rule that made it, stage the stage. */
typedef struct tm_entity {
	const char *type;
	size_t start;
	size_t end;
	const char *value_json;
	const char *attrs_json;
	const char *rule;
	const char *stage;
} tm_entity;

typedef enum tm_verdict {
	TM_KEEP = 0,
	TM_DROP,  /* removed on purpose, e.g. "duplicate-of:ID" */
	TM_REJECT /* bad input, e.g. "invalid UTF-8 at byte 12" */
} tm_verdict;

/* The document's id (never NULL, possibly ""). */
TM_API const char *tm_doc_id(const tm_doc *doc);

/* Set the id (copied): TM_OK; TM_ERROR if it holds a NUL or is not
 * valid UTF-8. For readers; a stage that renames documents may too. */
TM_API int tm_doc_set_id(tm_doc *doc, const char *id, size_t len);

/* The text and its length in bytes; the text is also NUL-terminated. */
TM_API const char *tm_doc_text(const tm_doc *doc, size_t *len);

/* Replace the text. Fails (TM_ERROR, with a message naming both stages) if
 * the document already has entities, since their offsets would go stale:
 * stages that rewrite text must run before stages that annotate it. */
TM_API int tm_doc_set_text(tm_doc *doc, const char *text, size_t len);

/* Metadata. Values are stored as JSON texts, so any JSON value can be kept
 * and written back unchanged. The host copies keys and values: the
 * caller's strings may be freed once a set_meta function returns. */
TM_API size_t tm_doc_meta_count(const tm_doc *doc);
TM_API const char *tm_doc_meta_key(const tm_doc *doc, size_t i);
/* The JSON text of field `key`, or NULL if there is none. */
TM_API const char *tm_doc_meta_json(const tm_doc *doc, const char *key);
/* The decoded value of a string field; NULL if absent or not a string. */
TM_API const char *tm_doc_meta_string(const tm_doc *doc, const char *key, size_t *len);
/* A number field into *out; TM_ERROR if absent or not a number. */
TM_API int tm_doc_meta_number(const tm_doc *doc, const char *key, double *out);
/* The set_meta functions set field `key`, replacing a field of that name
 * in place (the order of the fields stays), and return TM_OK. They return
 * TM_ERROR, with the message recorded as by tm_fail() and the document
 * unchanged, when `key` is NULL or not valid UTF-8, and:
 *   tm_doc_set_meta_string  when s[0, len) is not valid UTF-8 (it is
 *                           stored as a JSON string);
 *   tm_doc_set_meta_number  never otherwise; NaN and infinities are
 *                           stored as null, which JSON has instead;
 *   tm_doc_set_meta_json    when json[0, len) is not exactly one valid
 *                           JSON value (spaces around it are allowed and
 *                           dropped). */
TM_API int tm_doc_set_meta_string(tm_doc *doc, const char *key, const char *s, size_t len);
TM_API int tm_doc_set_meta_number(tm_doc *doc, const char *key, double value);
TM_API int tm_doc_set_meta_json(tm_doc *doc, const char *key, const char *json, size_t len);
TM_API void tm_doc_remove_meta(tm_doc *doc, const char *key);

/* Entities, in the order they were added. tm_doc_entity returns NULL when
 * i >= tm_doc_entity_count(). The pointer it returns is valid only until
 * the next tm_doc_add_entity on the document, which may move the array:
 * keep the index, not the pointer. The strings an entity points to stay
 * valid until the document leaves the stage. */
TM_API size_t tm_doc_entity_count(const tm_doc *doc);
TM_API const tm_entity *tm_doc_entity(const tm_doc *doc, size_t i);
/* Add an entity over text[start, end). value_json and attrs_json may be
 * NULL; when given they must be valid JSON (attrs an object). rule may be
 * NULL. TM_ERROR (with a message) if the span is outside the text, does not
 * fall on UTF-8 character boundaries, or the JSON is invalid. */
TM_API int tm_doc_add_entity(tm_doc *doc, const char *type, size_t start, size_t end, const char *value_json,
			     const char *attrs_json, const char *rule);
/* tm_doc_add_entity for JSON the caller's own JSON writer made (the Lua
 * stage adds thousands of entities per MB): the host does not parse
 * value_json and attrs_json again. Everything else is checked as there.
 * Invalid JSON given here ends up in the outputs as it is. */
TM_API int tm_doc_add_entity_written(tm_doc *doc, const char *type, size_t start, size_t end, const char *value_json,
				     const char *attrs_json, const char *rule);

/* Verdicts. A dropped or rejected document skips the remaining stages and
 * is counted under `reason` (the part before the first ':') in the run
 * summary. The first verdict wins: later calls change nothing. The host
 * copies `reason` (NULL or "" becomes "unspecified"), so the caller may
 * free its string at once. tm_doc_verdict stores the reason in *reason
 * (if reason is not NULL): NULL for a kept document, else the host's copy,
 * valid as long as the document is, which for a stage means until it
 * leaves the stage. */
TM_API void tm_doc_drop(tm_doc *doc, const char *reason);
TM_API void tm_doc_reject(tm_doc *doc, const char *reason);
TM_API tm_verdict tm_doc_verdict(const tm_doc *doc, const char **reason);

/* Where the document came from, as "FILE:LINE" (or "FILE" for a text file). */
TM_API const char *tm_doc_source(const tm_doc *doc);

/* A stage's private note on a document, from prepare() to process(): the
 * host calls release(data) when the document leaves the stage. One note per
 * document; stashing again releases the previous one. */
TM_API void tm_doc_stash(tm_doc *doc, void *data, void (*release)(void *data));
TM_API void *tm_doc_stashed(const tm_doc *doc);

/* Append the document as one JSON Lines record (with its newline) to *buf,
 * growing it with realloc; *cap is its capacity, *len its used length. This
 * is the exact shape output.jsonl writes and the input reader accepts. */
TM_API int tm_doc_to_json(const tm_doc *doc, char **buf, size_t *len, size_t *cap);

#ifdef __cplusplus
}
#endif
#endif
