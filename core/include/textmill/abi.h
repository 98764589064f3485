/*
 * abi.h -- what every public header needs: the ABI version, the marks on
 * exported functions, and the status codes. Each header includes it, so
 * each compiles on its own; plugins include <textmill/textmill.h>.
 */
#ifndef TEXTMILL_ABI_H
#define TEXTMILL_ABI_H

#include <stddef.h>

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
	TM_ERROR = -1 /* failed; the message was recorded with tm_fail() */
};

#endif
