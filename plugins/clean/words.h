/* words.h -- word-level repairs of clean.normalize. */
#ifndef CLEAN_WORDS_H
#define CLEAN_WORDS_H

#include "clean.h"

/* Repair look-alikes (when `confusables`: the text has Greek or Cyrillic
 * letters), broken capitals and tone placement as o asks. Only if some
 * word changed is *changed set and the new text written to out; most
 * texts need nothing and are not copied. Sets *recompose when the result
 * needs NFC again. -1: out of memory. */
int cl_words_pass(const cl_norm_opts *o, const char *s, size_t len, cl_buf *out, int confusables, cl_norm_stats *st,
		  int *recompose, int *changed);

#endif
