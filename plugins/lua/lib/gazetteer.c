/* gazetteer.c -- Aho-Corasick dictionary matcher (see gazetteer.h).
 *
 * Layout of the automaton. Entries with the same folded key form a group;
 * groups are sorted by key. Trie nodes are numbered breadth-first, and
 * within a depth in key order, which is what building it level by level
 * from the sorted keys gives. Then the children of a node are consecutive
 * nodes, and edge e (label[e]) always leads to node e + 1: node s has the
 * edges node[s].edge .. node[s + 1].edge - 1, sorted by label. The first
 * nodes also have a dense row (below). Per node, in one 16-byte struct so that
 * a visit touches one cache line: edge, fail (the failure link), out (the
 * group whose key ends here, or NONE) and rep (the nearest node on the
 * failure chain, this one included, whose out is set, or NONE: the matches
 * ending at a position are rep(s), rep(fail(rep(s))), ...).
 *
 * A step reads a whole character. A match ends where a character of the
 * text ends (report throws away the others), and a key starts with the
 * first byte of a character, so its match starts at one too: the byte
 * steps inside a character found only matches thrown away. Then each
 * character that occurs in a key is a class of its own, and every other
 * character is class 0, which leads to the root from anywhere (no node's
 * path ends inside it). A node between two characters has its failure
 * link between two characters too.
 *
 * States. The nodes between two characters nearest the root, as many as
 * DENSE_BYTES of rows hold, have a dense row of one entry per class (117
 * in the pack's lexicon), failures included, and a last one that names
 * the node: on news text that is the keys' first three or four
 * characters, where nearly all steps are. Each other node between two
 * characters has a list of its own characters (char_edge), its failure
 * link's state at the head. The walk's state is where its node's row
 * starts in dense, or its list's in edges with DEEP set; an entry is the
 * next state, with OUT set when a match ends at its node, so a step reads
 * nothing more than the row or the list. */
#include "gazetteer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "textmill/kit_vn_tone.h"

#define NONE UINT32_MAX
#define OUT 0x80000000u  /* in a dense row: matches end at the node */
#define DEEP 0x40000000u /* a state: a node without a row */
#define HEAD 0x80000000u /* in a list of char_edge: a head */
#define DENSE_BYTES (2u << 20)
/* Characters below this have their folds in a table (plain): all of
 * Vietnamese, Latin, Greek, Cyrillic, the general punctuation. */
#define PLAIN_LIMIT 0x2100
#define PLAIN_TONE2 4u /* may be the second vowel of a tone to respell */
/* A character's entry in a gazetteer's cfold: its fold's class above
 * these two bits. */
#define CFOLD_TONE2 1u
#define CFOLD_PLAIN 2u

typedef struct {
	uint32_t edge, fail, out, rep;
} node;

/* A node's character (class k) and the entry it leads to; or a list's
 * head: the node with HEAD set, and its failure link's state. */
typedef struct {
	uint32_t k, en;
} char_edge;

typedef struct {
	size_t name_off, key_off; /* in the arena */
	uint32_t name_len, key_len;
	int64_t payload;
} entry;

struct gazetteer {
	unsigned flags;
	bool built;

	entry *ent;
	size_t nent, entcap;
	char *arena; /* names as given, folded keys */
	size_t arena_len, arena_cap;
	textops_buf fold; /* for gazetteer_add */

	/* Groups, once built: group k is the entries order[first[k] ..
	 * first[k + 1] - 1] (in order of addition), all with the key of length
	 * keylen[k]. */
	uint32_t ngroups;
	uint32_t *order, *first, *keylen;

	/* The automaton. */
	uint32_t nnodes;
	node *node;      /* nnodes + 1 (the last one for its edge only) */
	uint8_t *label;  /* nnodes - 1 */
	uint32_t ndense; /* rows */
	uint32_t ncls;   /* classes of characters: a row has ncls + 1 entries */
	uint32_t *dense; /* ndense rows */
	/* The nodes between two characters without a row: from a state on,
	 * the list's head, then the node's characters up to the next head
	 * (the last one, of no node, ends the last list). */
	char_edge *edges;
	size_t nedges;
	uint32_t *state; /* while building: each node's state, NONE inside a character */
	/* Classes: of the characters below PLAIN_LIMIT by blocks of 64 code
	 * points (block k of cpool holds the classes of the block cblock[k];
	 * block 0, all 0, of every block with no character of a key), of the
	 * others by a binary search in far (sorted: far[j] is class
	 * far_first + j). */
	uint16_t cblock[PLAIN_LIMIT / 64];
	uint16_t *cpool;
	uint32_t npool;
	uint32_t *far, nfar, far_first;

	/* Text that folds byte for byte is walked without a folded copy (see
	 * walk_plain): with cfold set, the class of each ASCII byte's fold,
	 * and for the characters of several bytes below PLAIN_LIMIT, their
	 * fold's class and CFOLD_ bits (0: not plain). */
	uint8_t acls[128];
	uint16_t *cfold;

	uint64_t fingerprint; /* gazetteer_fingerprint */
};

/* The characters' folds for walk_plain, by case folding or not: the same
 * for every gazetteer, made once. Each is the fold's code point above the
 * low byte, which holds the length (0: not plain) and PLAIN_TONE2. */
static uint32_t plain_tab[2][PLAIN_LIMIT];
static pthread_once_t plain_once = PTHREAD_ONCE_INIT;

gazetteer *gazetteer_new(unsigned flags)
{
	gazetteer *g = calloc(1, sizeof *g);
	if (g)
		g->flags = flags &
			   (GAZETTEER_CASE_INSENSITIVE | GAZETTEER_DIACRITICS_INSENSITIVE | GAZETTEER_WHOLE_WORDS);
	return g;
}

void gazetteer_free(gazetteer *g)
{
	if (!g)
		return;
	free(g->ent);
	free(g->arena);
	textops_buf_free(&g->fold);
	free(g->order);
	free(g->first);
	free(g->keylen);
	free(g->node);
	free(g->label);
	free(g->dense);
	free(g->edges);
	free(g->state);
	free(g->cpool);
	free(g->cfold);
	free(g->far);
	free(g);
}

unsigned gazetteer_flags(const gazetteer *g) { return g->flags; }

size_t gazetteer_size(const gazetteer *g) { return g->nent; }

static unsigned fold_flags(unsigned flags)
{
	unsigned f = 0;
	if (flags & GAZETTEER_CASE_INSENSITIVE)
		f |= TEXTOPS_FOLD_CASE;
	if (flags & GAZETTEER_DIACRITICS_INSENSITIVE)
		f |= TEXTOPS_FOLD_MARKS;
	return f;
}

/* Keys and text alike spell tone placement the old way (hòa, Thúy), so
 * that either style finds the other; with marks folded there is none. */
static void fold_tones(const gazetteer *g, textops_buf *b, bool offsets)
{
	if (g->flags & GAZETTEER_DIACRITICS_INSENSITIVE)
		return;
	b->out.len = kit_vn_tone_old(b->out.p, b->out.len, offsets ? b->offsets : NULL);
	b->out.p[b->out.len] = 0;
}

/* Folds the text to search, as keys are folded. Offsets back to the text
 * are made only when the fold moved bytes (text not in NFC, a letter that
 * folds to another length, a new-style tone to respell): in most text
 * byte i of the fold is byte i of the text, and b->aligned says so. */
static int fold_text(const gazetteer *g, textops_buf *b, const char *text, size_t len, size_t *err_off)
{
	unsigned flags = fold_flags(g->flags);
	int rc = textops_fold_into(b, text, len, flags, false, err_off);
	bool respell = rc == TEXTOPS_OK && !(g->flags & GAZETTEER_DIACRITICS_INSENSITIVE) &&
		       kit_vn_tone_first_change(b->out.p, b->out.len) < b->out.len;
	if (rc != TEXTOPS_OK || (b->aligned && !respell))
		return rc;
	rc = textops_fold_into(b, text, len, flags, true, err_off);
	b->aligned = false; /* the offsets say where each byte came from */
	if (rc == TEXTOPS_OK && respell)
		fold_tones(g, b, true);
	return rc;
}

/* Grows an array to hold at least n items of the given size. */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap : 16;
	void *q;
	if (n <= *cap)
		return 0;
	while (c < n)
		c *= 2;
	q = realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

int gazetteer_add(gazetteer *g, const char *key, size_t len, int64_t payload, size_t *err_off)
{
	entry *e;
	int rc;

	if (g->built)
		return GAZETTEER_ESTATE;
	if (g->nent >= UINT32_MAX - 1 || len >= UINT32_MAX)
		return TEXTOPS_ENOMEM;
	rc = textops_fold_into(&g->fold, key, len, fold_flags(g->flags), false, err_off);
	if (rc)
		return rc;
	fold_tones(g, &g->fold, false);
	if (g->fold.out.len == 0)
		return GAZETTEER_EEMPTY;
	if (g->fold.out.len >= UINT32_MAX)
		return TEXTOPS_ENOMEM;
	if (grow((void **)&g->ent, &g->entcap, g->nent + 1, sizeof *g->ent) ||
	    grow((void **)&g->arena, &g->arena_cap, g->arena_len + len + g->fold.out.len, 1))
		return TEXTOPS_ENOMEM;
	e = &g->ent[g->nent++];
	e->name_off = g->arena_len;
	e->name_len = (uint32_t)len;
	memcpy(g->arena + g->arena_len, key, len);
	g->arena_len += len;
	e->key_off = g->arena_len;
	e->key_len = (uint32_t)g->fold.out.len;
	memcpy(g->arena + g->arena_len, g->fold.out.p, g->fold.out.len);
	g->arena_len += g->fold.out.len;
	e->payload = payload;
	return TEXTOPS_OK;
}

const char *gazetteer_entry_key(const gazetteer *g, uint32_t i, size_t *len)
{
	if (i >= g->nent)
		return NULL;
	if (len)
		*len = g->ent[i].name_len;
	return g->arena + g->ent[i].name_off;
}

/* ---- building ---- */

typedef struct {
	const unsigned char *key;
	uint32_t len, idx;
} sort_item;

static int cmp_items(const void *a, const void *b)
{
	const sort_item *x = a, *y = b;
	uint32_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);
	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The child of node s (not the root) by byte c, or NONE. */
static inline uint32_t child(const gazetteer *g, uint32_t s, uint8_t c)
{
	uint32_t lo = g->node[s].edge, hi = g->node[s + 1].edge;
	const uint8_t *lab = g->label;

	/* Narrow down [lo, hi) while keeping the first label >= c in it. */
	while (hi - lo > 8) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (lab[mid] < c)
			lo = mid + 1;
		else
			hi = mid + 1;
	}
	for (; lo < hi; lo++)
		if (lab[lo] >= c)
			return lab[lo] == c ? lo + 1 : NONE;
	return NONE;
}

/* The entry (the state, with OUT) for node t. */
static inline uint32_t entry_to(const gazetteer *g, uint32_t t)
{
	return g->state[t] | (g->node[t].rep != NONE ? OUT : 0);
}

/* The node of a state. */
static inline uint32_t state_node(const gazetteer *g, uint32_t s)
{
	return s & DEEP ? g->edges[s & ~DEEP].k & ~HEAD : g->dense[s + g->ncls];
}

/* The bytes after a character's first byte c, and the bits of its code
 * point that c holds (keys are valid UTF-8). */
static uint32_t utf8_lead_bits(uint8_t c)
{
	return c < 0x80 ? c : c < 0xE0 ? c & 0x1Fu : c < 0xF0 ? c & 0x0Fu : c & 0x07u;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The class of a character below PLAIN_LIMIT (code point cp). */
static inline uint32_t class_below(const gazetteer *g, uint32_t cp)
{
	return g->cpool[(uint32_t)g->cblock[cp / 64] * 64 + cp % 64];
}

/* The class of a character of a key (code point cp), 0 for any other. */
static uint32_t char_class(const gazetteer *g, uint32_t cp)
{
	if (cp < PLAIN_LIMIT)
		return class_below(g, cp);
	uint32_t lo = 0, hi = g->nfar;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (g->far[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->nfar && g->far[lo] == cp ? g->far_first + lo : 0;
}

/* The classes of the characters of the keys: the code point each node's
 * path ends in (cp, in the middle of a character: its bits so far) and
 * the bytes still to come of that character (more), then one class per
 * character, in order of code point. */
static int char_classes(gazetteer *g, const uint32_t *parent, uint32_t *cp, uint8_t *more, uint32_t *depth,
			uint32_t *from)
{
	uint32_t nfar = 0;
	uint16_t *used = calloc(PLAIN_LIMIT, sizeof *used);
	g->far = malloc((g->nnodes ? g->nnodes : 1) * sizeof *g->far);
	if (!used || !g->far) {
		free(used);
		return -1;
	}
	cp[0] = 0;
	more[0] = 0;
	depth[0] = 0;
	from[0] = NONE;
	for (uint32_t x = 1; x < g->nnodes; x++) {
		uint32_t p = parent[x];
		uint8_t c = g->label[x - 1];
		if (more[p]) {
			cp[x] = cp[p] << 6 | (c & 0x3Fu);
			more[x] = (uint8_t)(more[p] - 1);
		} else {
			cp[x] = utf8_lead_bits(c);
			more[x] = (uint8_t)(textops_utf8_length(c) - 1);
		}
		depth[x] = depth[p] + !more[x];
		from[x] = more[p] ? from[p] : p;
		if (more[x])
			continue;
		if (cp[x] < PLAIN_LIMIT)
			used[cp[x]] = 1;
		else
			g->far[nfar++] = cp[x];
	}
	qsort(g->far, nfar, sizeof *g->far, cmp_u32);
	g->nfar = 0;
	for (uint32_t j = 0; j < nfar; j++)
		if (j == 0 || g->far[j] != g->far[j - 1])
			g->far[g->nfar++] = g->far[j];
	void *p = realloc(g->far, (g->nfar ? g->nfar : 1) * sizeof *g->far);
	if (p)
		g->far = p;
	g->ncls = 1;
	g->npool = 1;
	for (uint32_t b = 0; b < PLAIN_LIMIT / 64; b++) {
		bool any = false;
		for (uint32_t c = b * 64; c < b * 64 + 64; c++)
			if (used[c])
				used[c] = (uint16_t)g->ncls++, any = true;
		g->cblock[b] = any ? (uint16_t)g->npool++ : 0;
	}
	g->cpool = calloc((size_t)g->npool * 64, sizeof *g->cpool);
	if (!g->cpool) {
		free(used);
		return -1;
	}
	for (uint32_t b = 0; b < PLAIN_LIMIT / 64; b++)
		if (g->cblock[b])
			memcpy(g->cpool + (size_t)g->cblock[b] * 64, used + b * 64, 64 * sizeof *used);
	free(used);
	g->far_first = g->ncls;
	g->ncls += g->nfar;
	return 0;
}

/* The entries of node x's row for the characters that lead from it to a
 * node: from x's child e + 1 on, need more bytes of a character whose
 * code point so far is cp. */
static void own_chars(const gazetteer *g, uint32_t *row, uint32_t x, uint32_t cp, unsigned need)
{
	for (uint32_t e = g->node[x].edge; e < g->node[x + 1].edge; e++) {
		uint8_t c = g->label[e];
		uint32_t next = need ? cp << 6 | (c & 0x3Fu) : utf8_lead_bits(c);
		unsigned left = need ? need - 1 : (unsigned)textops_utf8_length(c) - 1;
		if (left)
			own_chars(g, row, e + 1, next, left);
		else
			row[char_class(g, next)] = entry_to(g, e + 1);
	}
}

/* The nodes between two characters by depth in characters, depth by
 * depth, in node order within one (order[0 .. *n)): the root first. */
static uint32_t *by_depth(const gazetteer *g, const uint8_t *more, const uint32_t *depth, uint32_t *n)
{
	uint32_t maxdepth = 0, *start, *order = malloc(g->nnodes * sizeof *order);
	for (uint32_t x = 0; x < g->nnodes; x++)
		if (depth[x] > maxdepth)
			maxdepth = depth[x];
	start = calloc(maxdepth + 2, sizeof *start);
	if (!order || !start) {
		free(order);
		free(start);
		return NULL;
	}
	for (uint32_t x = 0; x < g->nnodes; x++)
		if (!more[x])
			start[depth[x] + 1]++;
	for (uint32_t d = 0; d <= maxdepth; d++)
		start[d + 1] += start[d];
	*n = start[maxdepth + 1];
	for (uint32_t x = 0; x < g->nnodes; x++)
		if (!more[x])
			order[start[depth[x]]++] = x;
	free(start);
	return order;
}

/* The walk's states: dense rows for the nodes nearest the root (the
 * states the walk is in most), as many as DENSE_BYTES hold, lists of
 * char_edge for the others. A node's failure link is shallower, so
 * earlier in order: its row is made, and the node's row is that row with
 * the node's own characters over it. From the tree: at node x between
 * two characters, cp[x] is the character that ends there, from[x] the
 * node where it starts. */
static int make_states(gazetteer *g, const uint8_t *more, const uint32_t *depth, const uint32_t *cp,
		       const uint32_t *from)
{
	size_t width = (size_t)g->ncls + 1, rows = DENSE_BYTES / (width * sizeof *g->dense);
	uint32_t nb, *order = by_depth(g, more, depth, &nb), *fill = calloc(g->nnodes, sizeof *fill);
	g->state = malloc(g->nnodes * sizeof *g->state);
	if (!order || !fill || !g->state)
		goto fail;
	g->ndense = (uint32_t)(rows == 0 ? 1 : rows < nb ? rows : nb);
	for (uint32_t x = 0; x < g->nnodes; x++)
		g->state[x] = NONE;
	for (uint32_t r = 0; r < g->ndense; r++)
		g->state[order[r]] = (uint32_t)(r * width);
	/* a list: its head, a character for each node from here; the nodes
	 * without a row have no state yet */
	for (uint32_t y = 1; y < g->nnodes; y++)
		if (!more[y] && g->state[from[y]] == NONE)
			fill[from[y]]++;
	g->nedges = 0;
	for (uint32_t r = g->ndense; r < nb; r++) {
		uint32_t x = order[r];
		g->state[x] = (uint32_t)g->nedges | DEEP;
		g->nedges += fill[x] + 1;
		if (g->nedges >= DEEP)
			goto fail;
	}
	g->dense = malloc(g->ndense * width * sizeof *g->dense);
	g->edges = malloc((g->nedges + 1) * sizeof *g->edges);
	if (!g->dense || !g->edges)
		goto fail;
	for (uint32_t r = 0; r < g->ndense; r++) {
		uint32_t x = order[r], *row = g->dense + r * width;
		if (x == 0)
			memset(row, 0, g->ncls * sizeof *row);
		else
			memcpy(row, g->dense + g->state[g->node[x].fail], g->ncls * sizeof *row);
		row[g->ncls] = x;
		own_chars(g, row, x, 0, 0);
	}
	for (uint32_t r = g->ndense; r < nb; r++) {
		uint32_t x = order[r], at = g->state[x] & ~DEEP;
		g->edges[at] = (char_edge){x | HEAD, g->state[g->node[x].fail]};
		fill[x] = at + 1; /* where the next character goes */
	}
	g->edges[g->nedges] = (char_edge){HEAD, 0};
	for (uint32_t y = 1; y < g->nnodes; y++)
		if (!more[y] && (g->state[from[y]] & DEEP))
			g->edges[fill[from[y]]++] = (char_edge){char_class(g, cp[y]), entry_to(g, y)};
	free(order);
	free(fill);
	return 0;
fail:
	free(order);
	free(fill);
	return -1;
}

static void make_plain_tab(void)
{
	char in[5], out[4];
	for (uint32_t cp = 0x80; cp < PLAIN_LIMIT; cp++) {
		size_t n = cp < 0x800 ? 2 : 3;
		char *c = in + 1;
		if (n == 2)
			c[0] = (char)(0xC0 | cp >> 6), c[1] = (char)(0x80 | (cp & 0x3F));
		else
			c[0] = (char)(0xE0 | cp >> 12), c[1] = (char)(0x80 | (cp >> 6 & 0x3F)),
			c[2] = (char)(0x80 | (cp & 0x3F));
		in[0] = 'o';
		bool tone2 = kit_vn_tone_changes_at(in, n + 1, 0);
		in[0] = 'u';
		tone2 = tone2 || kit_vn_tone_changes_at(in, n + 1, 0);
		for (unsigned fold_case = 0; fold_case < 2; fold_case++) {
			if (!textops_fold_alone(c, n, fold_case ? TEXTOPS_FOLD_CASE : 0, out))
				continue;
			uint32_t fcp = n == 2 ? ((uint8_t)out[0] & 0x1Fu) << 6 | ((uint8_t)out[1] & 0x3Fu)
					      : ((uint8_t)out[0] & 0x0Fu) << 12 | ((uint8_t)out[1] & 0x3Fu) << 6 |
							((uint8_t)out[2] & 0x3Fu);
			if (fcp < PLAIN_LIMIT) /* (else not plain: the general fold) */
				plain_tab[fold_case][cp] = fcp << 8 | (uint32_t)n | (tone2 ? PLAIN_TONE2 : 0);
		}
	}
}

/* The tables of walk_plain. Without them (marks removed: most letters of
 * Vietnamese fold shorter) every text takes the general fold. */
static int plain_tables(gazetteer *g)
{
	unsigned flags = fold_flags(g->flags);
	char in[1], out[4];
	if (g->flags & GAZETTEER_DIACRITICS_INSENSITIVE)
		return 0;
	for (unsigned b = 0; b < 128; b++) {
		in[0] = (char)b;
		if (!textops_fold_alone(in, 1, flags, out))
			return 0;
		g->acls[b] = (uint8_t)char_class(g, (uint8_t)out[0]); /* ASCII classes come first */
	}
	pthread_once(&plain_once, make_plain_tab);
	const uint32_t *plain = plain_tab[(flags & TEXTOPS_FOLD_CASE) != 0];
	g->cfold = calloc(PLAIN_LIMIT, sizeof *g->cfold);
	if (!g->cfold)
		return -1;
	for (uint32_t c = 0x80; c < PLAIN_LIMIT; c++)
		if (plain[c])
			g->cfold[c] = (uint16_t)(class_below(g, plain[c] >> 8) << 2 | CFOLD_PLAIN |
						 (plain[c] & PLAIN_TONE2 ? CFOLD_TONE2 : 0));
	return 0;
}

/* A step by a character of class k from a state without a dense row
 * (the list at edges[s]): its characters, else its failure link's, down
 * to a state with a row. Returns an entry, as a row holds. */
static uint32_t deep_step(const gazetteer *g, uint32_t s, uint32_t k)
{
	if (k == 0) /* in no key */
		return 0;
	for (;;) {
		const char_edge *e = g->edges + s;
		uint32_t fail = e->en;
		for (e++; !(e->k & HEAD); e++)
			if (e->k == k)
				return e->en;
		if (!(fail & DEEP))
			return g->dense[fail + k];
		s = fail & ~DEEP;
	}
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3u;
	return h;
}

/* FNV-1a over the options and each entry's name, key and payload. */
static uint64_t fingerprint_of(const gazetteer *g)
{
	uint64_t head[2] = {g->flags, g->nent};
	uint64_t h = fnv(0xcbf29ce484222325u, head, sizeof head);
	for (size_t k = 0; k < g->nent; k++) {
		const entry *en = &g->ent[k];
		uint64_t lens[3] = {en->name_len, en->key_len, (uint64_t)en->payload};
		h = fnv(h, lens, sizeof lens);
		h = fnv(h, g->arena + en->name_off, en->name_len);
		h = fnv(h, g->arena + en->key_off, en->key_len);
	}
	return h;
}

int gazetteer_build(gazetteer *g)
{
	sort_item *items = NULL;
	const unsigned char **gkey = NULL; /* a key per group */
	uint32_t *cur = NULL, *active = NULL, *parent = NULL, *cp = NULL, *cdepth = NULL, *from = NULL;
	uint8_t *more = NULL;
	size_t maxnodes = 1;
	uint32_t nactive, n, depth;
	int rc = TEXTOPS_ENOMEM;

	if (g->built)
		return GAZETTEER_ESTATE;

	/* Sort the entries by key and group them. */
	items = malloc((g->nent ? g->nent : 1) * sizeof *items);
	g->order = malloc((g->nent ? g->nent : 1) * sizeof *g->order);
	g->first = malloc((g->nent + 1) * sizeof *g->first);
	g->keylen = malloc((g->nent ? g->nent : 1) * sizeof *g->keylen);
	gkey = malloc((g->nent ? g->nent : 1) * sizeof *gkey);
	if (!items || !g->order || !g->first || !g->keylen || !gkey)
		goto done;
	for (size_t i = 0; i < g->nent; i++) {
		items[i].key = (const unsigned char *)g->arena + g->ent[i].key_off;
		items[i].len = g->ent[i].key_len;
		items[i].idx = (uint32_t)i;
	}
	qsort(items, g->nent, sizeof *items, cmp_items);
	g->ngroups = 0;
	for (size_t i = 0; i < g->nent; i++) {
		if (i == 0 || items[i].len != items[i - 1].len ||
		    memcmp(items[i].key, items[i - 1].key, items[i].len)) {
			g->first[g->ngroups] = (uint32_t)i;
			g->keylen[g->ngroups] = items[i].len;
			gkey[g->ngroups] = items[i].key;
			maxnodes += items[i].len;
			g->ngroups++;
		}
		g->order[i] = items[i].idx;
	}
	g->first[g->ngroups] = (uint32_t)g->nent;
	free(items);
	items = NULL;
	if (maxnodes >= HEAD) /* node numbers leave a head's top bit free */
		goto done;

	/* The trie, one depth at a time: at depth d, the groups whose key is at
	 * least d long, in key order, each at the node of its first d - 1
	 * bytes (cur); a new node for each distinct first d bytes. */
	g->label = malloc(maxnodes);
	g->node = calloc(maxnodes + 1, sizeof *g->node);
	parent = malloc(maxnodes * sizeof *parent);
	cur = calloc(g->ngroups ? g->ngroups : 1, sizeof *cur);
	active = malloc((g->ngroups ? g->ngroups : 1) * sizeof *active);
	if (!g->label || !g->node || !parent || !cur || !active)
		goto done;
	n = 1;
	g->node[0].out = NONE;
	parent[0] = NONE;
	nactive = g->ngroups;
	for (uint32_t k = 0; k < nactive; k++)
		active[k] = k;
	for (depth = 1; nactive; depth++) {
		uint32_t kept = 0, prev_node = NONE;
		for (uint32_t a = 0; a < nactive; a++) {
			uint32_t k = active[a];
			uint8_t c = gkey[k][depth - 1];
			/* Same parent and same byte as the group before: same node. */
			if (!(prev_node != NONE && parent[prev_node] == cur[k] && g->label[prev_node - 1] == c)) {
				prev_node = n++;
				parent[prev_node] = cur[k];
				g->label[prev_node - 1] = c;
				g->node[prev_node].out = NONE;
				g->node[cur[k]].edge++; /* child counts, summed below */
			}
			cur[k] = prev_node;
			if (g->keylen[k] == depth)
				g->node[prev_node].out = k;
			else
				active[kept++] = k;
		}
		nactive = kept;
	}
	g->nnodes = n;
	/* Child counts -> first edge of each node. */
	{
		uint32_t sum = 0;
		for (uint32_t s = 0; s <= n; s++) {
			uint32_t c = g->node[s].edge;
			g->node[s].edge = sum;
			sum += c;
		}
	}
	/* Give back what the upper bound took too much of. */
	{
		void *p;
		if ((p = realloc(g->label, n > 1 ? n - 1 : 1)))
			g->label = p;
		if ((p = realloc(g->node, (n + 1) * sizeof *g->node)))
			g->node = p;
	}

	/* Failure and report links, breadth first (node order). */
	g->node[0].fail = 0;
	g->node[0].rep = NONE;
	for (uint32_t x = 1; x < n; x++) {
		uint32_t p = parent[x], f;
		uint8_t c = g->label[x - 1];
		if (p == 0) {
			f = 0;
		} else {
			uint32_t s = g->node[p].fail;
			for (;;) {
				uint32_t t = child(g, s, c);
				if (t != NONE) {
					f = t;
					break;
				}
				if (s == 0) {
					f = 0;
					break;
				}
				s = g->node[s].fail;
			}
		}
		g->node[x].fail = f;
		g->node[x].rep = g->node[x].out != NONE ? x : g->node[f].rep;
	}
	cp = malloc(n * sizeof *cp);
	cdepth = malloc(n * sizeof *cdepth);
	from = malloc(n * sizeof *from);
	more = malloc(n);
	if (!cp || !cdepth || !from || !more || char_classes(g, parent, cp, more, cdepth, from) ||
	    make_states(g, more, cdepth, cp, from) || plain_tables(g))
		goto done;
	free(g->state); /* the entries hold the states */
	g->state = NULL;
	g->fingerprint = fingerprint_of(g);
	g->built = true;
	textops_buf_free(&g->fold);
	rc = TEXTOPS_OK;
done:
	free(items);
	free(gkey);
	free(cur);
	free(active);
	free(parent);
	free(cp);
	free(cdepth);
	free(from);
	free(more);
	return rc;
}

uint64_t gazetteer_fingerprint(const gazetteer *g) { return g->built ? g->fingerprint : 0; }

size_t gazetteer_memory(const gazetteer *g)
{
	size_t m = sizeof *g + g->entcap * sizeof *g->ent + g->arena_cap;
	if (g->built) {
		m += g->nent * sizeof *g->order + (g->nent + 1) * sizeof *g->first + g->nent * sizeof *g->keylen;
		m += (g->nnodes + 1) * sizeof *g->node + g->nnodes;
		m += (size_t)g->ndense * (g->ncls + 1) * sizeof *g->dense + (g->nedges + 1) * sizeof *g->edges;
		m += (size_t)g->npool * 64 * sizeof *g->cpool + g->nfar * sizeof *g->far;
		m += g->cfold ? PLAIN_LIMIT * sizeof *g->cfold : 0;
	}
	return m;
}

/* ---- searching ---- */

/* An ASCII byte is a word character when it is a letter or a digit: most
 * matches have a space or a punctuation mark on each side, decided here
 * without decoding. */
static inline bool ascii_word(unsigned char b)
{
	return (unsigned)(b - '0') < 10u || (unsigned)((b | 0x20) - 'a') < 26u;
}

static bool is_word_at(const char *text, size_t len, size_t i)
{
	int32_t cp;
	if (i >= len)
		return false;
	if ((unsigned char)text[i] < 0x80)
		return ascii_word((unsigned char)text[i]);
	return textops_utf8_decode(text, len, i, &cp) && textops_is_word_char(cp);
}

static bool is_word_before(const char *text, size_t i)
{
	if (i > 0 && (unsigned char)text[i - 1] < 0x80)
		return ascii_word((unsigned char)text[i - 1]);
	int32_t cp = textops_utf8_prev(text, i);
	return cp >= 0 && textops_is_word_char(cp);
}

/* Whole words: no word character on both sides of the start, nor of the
 * end, of text[s..e). */
static bool whole_word(const char *text, size_t len, size_t s, size_t e)
{
	if (is_word_before(text, s) && is_word_at(text, len, s))
		return false;
	if (is_word_at(text, len, e) && is_word_before(text, e))
		return false;
	return true;
}

static int cmp_matches(const void *a, const void *b)
{
	const gazetteer_match *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* Candidates come by where they end, and for one end longest first: in
 * order of start but for the few that lie inside a later, longer match.
 * Insertion sort puts those in place; text where that takes many moves
 * (many keys inside one another) is sorted by qsort. The order is total
 * (one group matches a span once), so both give the same. */
static void sort_candidates(gazetteer_match *c, size_t n)
{
	size_t moves = 0;
	for (size_t i = 1; i < n; i++) {
		gazetteer_match x = c[i];
		size_t j = i;
		for (; j > 0 && cmp_matches(&x, &c[j - 1]) < 0; j--)
			c[j] = c[j - 1];
		c[j] = x;
		moves += i - j;
		if (moves > 8 * n) {
			qsort(c, n, sizeof *c, cmp_matches);
			return;
		}
	}
}

static int push_match(gazetteer_scratch *sc, size_t s, size_t e, uint32_t entry_no, int64_t payload)
{
	gazetteer_match *m;
	if (sc->n >= sc->cap && grow((void **)&sc->m, &sc->cap, sc->n + 1, sizeof *sc->m))
		return TEXTOPS_ENOMEM;
	m = &sc->m[sc->n++];
	m->start = s;
	m->end = e;
	m->entry = entry_no;
	m->payload = payload;
	return TEXTOPS_OK;
}

/* The entry of group k to report for text[s..e): the first whose name is
 * that text, else the first. */
static uint32_t pick_entry(const gazetteer *g, uint32_t k, const char *text, size_t s, size_t e)
{
	for (uint32_t i = g->first[k]; i < g->first[k + 1]; i++) {
		const entry *en = &g->ent[g->order[i]];
		if (en->name_len == e - s && !memcmp(g->arena + en->name_off, text + s, e - s))
			return g->order[i];
	}
	return g->order[g->first[k]];
}

/* The candidates whose keys end at node s, the character just read
 * ending at byte fe of the fold (n bytes) of text[from..len) (offs: where
 * each of its bytes came from, NULL when the fold is aligned). */
static int report(const gazetteer *g, gazetteer_scratch *sc, const char *text, size_t len, size_t from, size_t n,
		  const size_t *offs, uint32_t s, size_t fe)
{
	bool whole = g->flags & GAZETTEER_WHOLE_WORDS;
	for (uint32_t u = g->node[s].rep; u != NONE; u = g->node[g->node[u].fail].rep) {
		uint32_t k = g->node[u].out;
		size_t fs = fe - g->keylen[k], os, oe;
		gazetteer_match *c;
		/* Whole characters of the original only. A match starts and ends
		 * between two characters of the fold (a key starts with a
		 * character's first byte, a step reads a whole character); an
		 * aligned fold's characters are the text's. */
		if (offs) {
			if ((fs > 0 && offs[fs] == offs[fs - 1]) || (fe < n && offs[fe] == offs[fe - 1]))
				continue;
			os = from + offs[fs];
			oe = from + offs[fe];
		} else {
			os = from + fs;
			oe = from + fe;
		}
		if (whole && !whole_word(text, len, os, oe))
			continue;
		if (sc->ncand >= sc->candcap &&
		    grow((void **)&sc->cand, &sc->candcap, sc->ncand + 1, sizeof *sc->cand))
			return TEXTOPS_ENOMEM;
		c = &sc->cand[sc->ncand++];
		c->start = os;
		c->end = oe;
		c->entry = k; /* the group, for now */
		c->payload = 0;
	}
	return TEXTOPS_OK;
}

/* The automaton over the folded text t[0..n) (valid UTF-8), a character
 * at a time. */
static int walk_folded(const gazetteer *g, gazetteer_scratch *sc, const char *text, size_t len, size_t from,
		       const unsigned char *t, size_t n, const size_t *offs)
{
	const uint32_t *dense = g->dense;
	uint32_t s = 0;
	for (size_t i = 0; i < n;) {
		int32_t cp;
		size_t m = textops_utf8_decode((const char *)t, n, i, &cp);
		uint32_t k = m ? char_class(g, (uint32_t)cp) : 0; /* (the fold writes valid UTF-8) */
		m += !m;
		uint32_t en = s & DEEP ? deep_step(g, s & ~DEEP, k) : dense[s + k];
		s = en & ~OUT;
		i += m;
		if ((en & OUT) && report(g, sc, text, len, from, n, offs, state_node(g, s), i))
			return TEXTOPS_ENOMEM;
	}
	return TEXTOPS_OK;
}

/* The class of the fold of the character of several bytes at t[i] and
 * its length, for walk_plain; 0 where the text needs the general fold (a
 * character that folds to another length, a tone to respell, invalid
 * UTF-8). The characters below PLAIN_LIMIT by their fold's table
 * (cfold), others folded alone. */
static inline size_t plain_char(const gazetteer *g, const unsigned char *t, size_t len, size_t from, size_t i,
				unsigned flags, uint32_t *k)
{
	unsigned b = t[i];
	uint32_t f, cp;
	size_t m;
	if (b >= 0xC2 && b < 0xE0 && i + 1 < len && (t[i + 1] & 0xC0) == 0x80) {
		m = 2, f = g->cfold[(b & 0x1F) << 6 | (t[i + 1] & 0x3F)];
	} else if (b >= 0xE0 && b < 0xF0 && i + 2 < len && (t[i + 1] & 0xC0) == 0x80 && (t[i + 2] & 0xC0) == 0x80 &&
		   (cp = (b & 0x0F) << 12 | (t[i + 1] & 0x3Fu) << 6 | (t[i + 2] & 0x3Fu)) >= 0x800 &&
		   cp < PLAIN_LIMIT) {
		m = 3, f = g->cfold[cp];
	} else {
		/* a character beyond the tables: folded alone (or refused) */
		char out[4];
		m = textops_utf8_length((unsigned char)b);
		if (!m || i + m > len || !textops_fold_alone((const char *)t + i, m, flags, out))
			return 0;
		int32_t fc;
		if (textops_utf8_decode(out, m, 0, &fc) != m)
			return 0;
		f = char_class(g, (uint32_t)fc) << 2 | CFOLD_PLAIN;
	}
	if (!f)
		return 0;
	/* after an o or u, a toned a, e or y may be a syllable to respell */
	if ((f & CFOLD_TONE2) && i > from && ((t[i - 1] | 0x20) == 'o' || (t[i - 1] | 0x20) == 'u') &&
	    kit_vn_tone_changes_at((const char *)t + from, len - from, i - 1 - from))
		return 0;
	*k = f >> 2;
	return m;
}

/* Text that folds byte for byte, with no tone to respell (nearly all
 * text), walked as it is folded, a character at a time from the tables,
 * with no folded copy: ASCII by its fold's class, the characters below
 * PLAIN_LIMIT by their fold's (cfold), others folded alone. Returns 1 when
 * done, 0 where the text needs the general fold (a mark, a character that
 * folds to another length, a tone to respell, invalid UTF-8), or
 * TEXTOPS_ENOMEM. Of each character only its first byte is told apart
 * from a continuation byte: the same as in its fold. */
static int walk_plain(const gazetteer *g, gazetteer_scratch *sc, const char *text, size_t len, size_t from)
{
	const unsigned char *t = (const unsigned char *)text;
	const uint32_t *dense = g->dense;
	const uint8_t *acls = g->acls;
	const unsigned flags = fold_flags(g->flags);
	const size_t n = len - from;
	uint32_t s = 0, en, k;
	size_t i = from;

	while (i < len) {
		unsigned b = t[i];
		if (b < 0x80 && !(s & DEEP)) {
			/* ASCII from a state with a row, most of the text: a tight loop
			 * until a match ends, the walk leaves the rows or the ASCII
			 * ends (one test of the entry where a step tested OUT, then
			 * DEEP on the next); the last entry is taken below */
			for (;;) {
				en = dense[s + acls[b]];
				i++;
				if ((en & (OUT | DEEP)) || i == len || (b = t[i]) >= 0x80)
					break;
				s = en;
			}
		} else {
			if (b < 0x80) {
				k = acls[b];
				i++;
			} else {
				size_t m = plain_char(g, t, len, from, i, flags, &k);
				if (!m)
					return 0;
				i += m;
			}
			en = s & DEEP ? deep_step(g, s & ~DEEP, k) : dense[s + k];
		}
		s = en & ~OUT;
		if ((en & OUT) && report(g, sc, text, len, from, n, NULL, state_node(g, s), i - from))
			return TEXTOPS_ENOMEM;
	}
	return 1;
}

int gazetteer_search(const gazetteer *g, const char *text, size_t len, size_t from, int mode, gazetteer_scratch *sc,
		     size_t *err_off)
{
	int rc;

	sc->n = 0;
	sc->ncand = 0;
	sc->general = false;
	if (!g->built)
		return GAZETTEER_ESTATE;
	if (from >= len)
		return TEXTOPS_OK;
	rc = g->cfold ? walk_plain(g, sc, text, len, from) : 0;
	if (rc < 0)
		return rc;
	if (rc == 0) { /* the general fold, from the start */
		sc->ncand = 0;
		sc->general = true;
		rc = fold_text(g, &sc->fold, text + from, len - from, err_off);
		if (rc) {
			if (rc == TEXTOPS_EUTF8 && err_off)
				*err_off += from;
			return rc;
		}
		rc = walk_folded(g, sc, text, len, from, (const unsigned char *)sc->fold.out.p, sc->fold.out.len,
				 sc->fold.aligned ? NULL : sc->fold.offsets);
		if (rc)
			return rc;
	}
	sort_candidates(sc->cand, sc->ncand);

	if (mode == GAZETTEER_ALL) {
		for (size_t j = 0; j < sc->ncand; j++) {
			const gazetteer_match *c = &sc->cand[j];
			for (uint32_t i = g->first[c->entry]; i < g->first[c->entry + 1]; i++) {
				uint32_t en = g->order[i];
				if (push_match(sc, c->start, c->end, en, g->ent[en].payload))
					return TEXTOPS_ENOMEM;
			}
		}
	} else {
		size_t last_end = from;
		for (size_t j = 0; j < sc->ncand; j++) {
			const gazetteer_match *c = &sc->cand[j];
			uint32_t en;
			if (c->start < last_end)
				continue;
			en = pick_entry(g, c->entry, text, c->start, c->end);
			if (push_match(sc, c->start, c->end, en, g->ent[en].payload))
				return TEXTOPS_ENOMEM;
			last_end = c->end;
		}
	}
	return TEXTOPS_OK;
}

void gazetteer_scratch_free(gazetteer_scratch *sc)
{
	free(sc->m);
	free(sc->cand);
	textops_buf_free(&sc->fold);
	memset(sc, 0, sizeof *sc);
}
