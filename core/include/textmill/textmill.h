/*
 * textmill.h -- the whole public interface for plugin authors.
 *
 * A plugin is a shared object that exports one symbol, `textmill_plugin`
 * (see TM_PLUGIN below), describing the stage types it provides. The host
 * checks its ABI version before using anything else in it.
 *
 * How the ABI may grow without breaking built plugins:
 *   - the tm_ functions (exported by the textmill program that loads the
 *     plugin; a plugin links nothing) are only ever added, never changed
 *     or removed;
 *   - structs the plugin hands to the host (tm_stage_type, tm_option) only
 *     grow at the end; the plugin records their size, and the host treats
 *     fields past that size as zero;
 *   - structs the host hands to the plugin (tm_entity) only grow at the end;
 *   - anything else is a breaking change and bumps TM_ABI_VERSION, which
 *     makes the host refuse plugins built against the old headers.
 */
#ifndef TEXTMILL_H
#define TEXTMILL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TM_ABI_VERSION 1

#if defined(__GNUC__)
#define TM_API __attribute__((visibility("default")))
#define TM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TM_API
#define TM_PRINTF(f, a)
#endif

/* Status codes returned by every callback and by host functions that can fail. */
enum {
	TM_OK = 0,
	TM_ERROR = -1      /* failed; the message was recorded with tm_fail() */
};

/* The library version the program was built with, e.g. "0.1.0". */
TM_API const char *tm_version(void);

#include "textmill/document.h"
#include "textmill/stage.h"

#ifdef __cplusplus
}
#endif
#endif
