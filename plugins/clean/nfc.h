/* nfc.h -- composing text to NFC only when some character needs it. */
#ifndef CLEAN_NFC_H
#define CLEAN_NFC_H

#include "clean.h"

/* Nonzero if NFC might change text containing cp. cache is 64 Ki bytes
 * of memory owned by the caller (zeroed at first), or NULL. */
int cl_nfc_sensitive(uint8_t *cache, int32_t cp);
/* out = NFC(s). -1 on error (invalid UTF-8 or out of memory). */
int cl_nfc(const char *s, size_t len, cl_buf *out);

#endif
