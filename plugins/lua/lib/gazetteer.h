/* gazetteer.h -- one-pass dictionary matcher: finds the names of a list
 * (people, places, organizations, ...) in a text with an Aho-Corasick
 * automaton over the bytes of the names.
 *
 * Keys and text go through the same fold (textops_fold_into): always NFC
 * (precomposed and decomposed text match alike), plus case folding and/or
 * mark removal when asked. Text whose every character folds to one of the
 * same length (nearly all cleaned text) is folded a character at a time
 * as the automaton reads it; other text is folded whole first. Matches are
 * reported as byte spans of the ORIGINAL text.
 *
 * Memory: 16 bytes per trie node plus one byte per edge (nodes are
 * numbered breadth-first, so the children of a node are consecutive and an
 * edge needs no target); the automaton steps a character at a time, with
 * dense rows (4 bytes per class of characters, a class for each character
 * that occurs in a key and one for all the others) for the nodes between
 * two characters nearest the root, 2 MB of them at most (117 classes,
 * 4,443 rows for the 24,352 nodes of the pack's lexicon), and for the
 * other nodes between two characters a list of 8 bytes per character and
 * 8 per node; 17 KB for the classes of the characters' folds, and 128
 * bytes per block of 64 code points with a character of a key; the
 * entries' names and folded keys. 100,000 Vietnamese names of about 17
 * bytes take about 23 to 26 MB, 10,000 about 5 MB
 * (bench/gazetteer_bench.sh).
 *
 * Use: gazetteer_new, gazetteer_add for each entry, gazetteer_build once,
 * then gazetteer_search any number of times. Searching reads the automaton
 * only: one built gazetteer can be shared by threads that each use their
 * own gazetteer_scratch. */
#ifndef TM_GAZETTEER_H
#define TM_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "textops.h"

typedef struct gazetteer gazetteer;

/* Build options (gazetteer_new). */
enum {
	GAZETTEER_CASE_INSENSITIVE = 1,       /* fold case (Unicode case folding) */
	GAZETTEER_DIACRITICS_INSENSITIVE = 2, /* remove marks: "ha noi" ~ "Hà Nội" */
	GAZETTEER_WHOLE_WORDS = 4,            /* no match starting or ending inside a word */
};

/* Search modes (gazetteer_search). */
enum {
	GAZETTEER_LONGEST = 0, /* leftmost-longest, non-overlapping */
	GAZETTEER_ALL = 1,     /* every match, overlapping */
};

/* Return codes, beside TEXTOPS_OK / TEXTOPS_EUTF8 / TEXTOPS_ENOMEM. */
enum {
	GAZETTEER_EEMPTY = -3, /* gazetteer_add: the key folds to nothing */
	GAZETTEER_ESTATE = -4, /* add after build, search before build */
};

typedef struct {
	size_t start, end; /* byte span in the original text, end exclusive */
	int64_t payload;   /* the entry's payload */
	uint32_t entry;    /* the entry's number: 0 for the first added, ... */
} gazetteer_match;

/* A search's working memory: zero-initialize, reuse, free. The matches of
 * the last search are m[0..n), ordered by start, then longest first, then
 * by entry number. */
typedef struct {
	gazetteer_match *m;
	size_t n, cap;
	textops_buf fold;
	gazetteer_match *cand; /* candidates before selection */
	size_t ncand, candcap;
	/* The last search folded the text into fold first (a mark, a letter
	 * that folds to another length, a tone to respell, a case-insensitive
	 * search of marks): most text is walked as it is folded, with no copy. */
	bool general;
} gazetteer_scratch;

/* A new, empty gazetteer with the given GAZETTEER_ options; NULL when out
 * of memory. */
gazetteer *gazetteer_new(unsigned flags);
void gazetteer_free(gazetteer *g);
unsigned gazetteer_flags(const gazetteer *g);

/* Adds an entry: key (UTF-8, any normalization form) and its payload.
 * Returns TEXTOPS_OK, TEXTOPS_EUTF8 (*err_off = offset in key),
 * TEXTOPS_ENOMEM, GAZETTEER_EEMPTY (nothing left after folding) or
 * GAZETTEER_ESTATE (already built). Several entries may have the same
 * (folded) key: see gazetteer_search. */
int gazetteer_add(gazetteer *g, const char *key, size_t len, int64_t payload, size_t *err_off);

/* Builds the automaton; after this, no more gazetteer_add. Returns
 * TEXTOPS_OK, TEXTOPS_ENOMEM or GAZETTEER_ESTATE (built twice). */
int gazetteer_build(gazetteer *g);

/* Number of entries added. */
size_t gazetteer_size(const gazetteer *g);

/* Bytes of memory held by the built automaton and entries (not counting
 * malloc's own overhead). */
size_t gazetteer_memory(const gazetteer *g);

/* A hash of what a built gazetteer finds: its options and every entry's
 * name, key and payload, in the order added. Two built the same way have the
 * same one, so the matches one found may stand for the other's (0 before
 * the build). */
uint64_t gazetteer_fingerprint(const gazetteer *g);

/* The key of entry number i as it was given to gazetteer_add. */
const char *gazetteer_entry_key(const gazetteer *g, uint32_t i, size_t *len);

/* Finds the entries' keys in text[from..len) (from must be the start of a
 * character; the bytes before it are context for GAZETTEER_WHOLE_WORDS).
 * mode GAZETTEER_LONGEST: scanning left to right, the match that starts
 * first, the longest of those, then on from its end. When several entries
 * share the key of a match, one of them is reported: the first added whose
 * key is byte for byte the matched text, else the first added.
 * mode GAZETTEER_ALL: every match of every entry, overlapping.
 * Whole words: the character before the match and the first character of
 * the match are not both word characters (textops_is_word_char), and the
 * same for the last character of the match and the character after it.
 * A match must also cover whole characters of the original text (a fold
 * can turn one character into several: ß -> ss).
 * Returns TEXTOPS_OK (matches in sc->m[0..sc->n)), TEXTOPS_EUTF8
 * (*err_off = offset in text), TEXTOPS_ENOMEM or GAZETTEER_ESTATE (not
 * built). Allocates only when sc's buffers must grow. */
int gazetteer_search(const gazetteer *g, const char *text, size_t len, size_t from, int mode, gazetteer_scratch *sc,
		     size_t *err_off);

void gazetteer_scratch_free(gazetteer_scratch *sc);

#endif
