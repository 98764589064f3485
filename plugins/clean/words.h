/* words.h -- word-level repairs of clean.normalize. */
#ifndef CLEAN_WORDS_H
#define CLEAN_WORDS_H

#include "clean.h"

/* What pass A saw that the word pass may have to replace. */
enum { CL_CONFUSE_SCRIPT = 1 /* Greek or Cyrillic letters */, CL_CONFUSE_ETH = 2 /* Ð or ð */ };

/* Repair look-alikes (when `confusables`, a set of CL_CONFUSE_*: the text has Greek or Cyrillic
 * letters), broken capitals and tone placement as o asks. Only if some
 * word changed is *changed set and the new text written to out; most
 * texts need nothing and are not copied. Sets *recompose when the result
 * needs NFC again. -1: out of memory. */
int cl_words_pass(const cl_norm_opts *o, const char *s, size_t len, cl_buf *out, int confusables, cl_norm_stats *st,
		  int *recompose, int *changed);

#endif
