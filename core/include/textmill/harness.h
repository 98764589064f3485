/*
 * harness.h -- run stages inside a test program, without `textmill`.
 *
 * A unit test of a stage wants one document in, the document (or the
 * verdict) out, and an assertion, in its own process and test framework.
 * The harness is the host's own stage runner as a static library: the same
 * config reader, option checks, plugin loader and per-document runner that
 * `textmill run` uses, minus input, outputs and threads. Build a test with
 *
 *     cc test_mystage.c $(pkg-config --cflags --libs textmill-harness)
 *
 * (the flags export the tm_ functions from the test program, so the plugin
 * it loads finds them, as it does in `textmill`). One harness is for one
 * thread; open several for several threads.
 */
#ifndef TEXTMILL_HARNESS_H
#define TEXTMILL_HARNESS_H

#include <stddef.h>

#include "textmill/textmill.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tm_harness tm_harness;

/* Opens the stages that `yaml`, a pipeline config, lists; its `input:`
 * and `outputs:` are not used. Relative paths (plugin_path, a stage's
 * PATH options) resolve against `dir`, or the current folder when it is
 * NULL. NULL on any error, with the message `textmill check` would give
 * in *err (free() it). */
TM_API tm_harness *tm_harness_open(const char *yaml, const char *dir, char **err);

/* Runs one document through the stages. `json` is one record as textmill
 * reads JSON Lines ({"id": ..., "text": ..., "meta": {...}}). Returns the
 * verdict; for TM_KEEP, *out is the document as output.jsonl writes it
 * (one JSON object and a newline; free() it), for a drop or a reject *out
 * is "STAGE: REASON" (the stage's label, e.g. "stages.1", and its reason).
 * A record that is not valid JSON is rejected by "input". */
TM_API int tm_harness_process(tm_harness *h, const char *json, size_t len, char **out);

/* Frees the stages and the harness. */
TM_API void tm_harness_close(tm_harness *h);

#ifdef __cplusplus
}
#endif

#endif
