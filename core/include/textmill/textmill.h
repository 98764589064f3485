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
 *   - new TM_STAGE_* flags take new bits; the host refuses a stage type
 *     with a bit it does not know, so a plugin that needs a newer host
 *     fails to load instead of running without what it asked for;
 *   - anything else is a breaking change and bumps TM_ABI_VERSION (in
 *     textmill/abi.h), which makes the host refuse plugins built against
 *     the old headers.
 *
 * Each header documents, for every function, what it returns on failure
 * and how long what it returns stays valid.
 */
#ifndef TEXTMILL_H
#define TEXTMILL_H

#include "textmill/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library version the program was built with, e.g. "0.1.0". */
TM_API const char *tm_version(void);

#include "textmill/document.h"
#include "textmill/stage.h"

#ifdef __cplusplus
}
#endif
#endif
