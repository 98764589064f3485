/* tone_pattern.h -- a regex pattern that finds a Vietnamese word whichever
 * way its tone mark is placed.
 *
 * An open syllable ending in oa, oe or uy carries its tone on the first
 * vowel in the old style (hòa, khỏe, thủy) and on the second in the new
 * one (hoà, khoẻ, thuỷ); text may hold either (tone_marks: keep, sources
 * that mix them). textmill.regex compiles each pattern through this, so a
 * rule written in one style finds the other too. */
#ifndef TM_TONE_PATTERN_H
#define TM_TONE_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

/* The pattern pat[0..len) with each literal pair of an o or u and an a,
 * e or y, one of the two toned, that may end an open syllable written as
 * the alternation of both placements: `hòa` becomes `h(?:òa|oà)`, `Thuỷ`
 * becomes `Th(?:uỷ|ủy)`, case kept letter by letter. A pair is left as
 * it is inside a character class, an escape (\x{..}, \p{..}), a group's
 * name or a comment; when a letter or a quantifier follows it (hoàng, a
 * quantifier would apply to the second vowel alone); after a vowel; and
 * uy after q (quý). \Q...\E is read as literal text. extended says the
 * pattern is compiled with PCRE2_EXTENDED (an inline (?x) is seen too).
 *
 * Returns 0 with *out a malloc'd, NUL-terminated pattern (its length in
 * *out_len) for the caller to free(), or with *out NULL when nothing is
 * rewritten (compile pat as it is); -1 when memory ran out. */
int tone_pattern_both(const char *pat, size_t len, bool extended, char **out, size_t *out_len);

/* The text s[0..len) (NFC) with each open oa, oe or uy syllable in the
 * other placement (Hòa <-> Hoà, a word of each style flipped alone), for
 * a table that must find a word in either spelling. Returns 0 with *out a
 * malloc'd, NUL-terminated text (its length in *out_len) to free(), or with
 * *out NULL when no syllable has a tone to move; -1 when memory ran out. */
int tone_other_spelling(const char *s, size_t len, char **out, size_t *out_len);

#endif
