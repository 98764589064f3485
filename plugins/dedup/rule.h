/* rule.h -- dedup.minhash's decision rule, written once: how many agreeing
 * signature positions make a match, which candidate is the match, and when
 * keep: longest|newest lets a document supersede its cluster's best. The
 * stage's index (mhindex.c) and the sharded merge (textmill-dedup decide,
 * decide.c) both decide with these functions, so a sharded run cannot
 * decide differently from one run over everything. */
#ifndef DD_RULE_H
#define DD_RULE_H

#include <stdint.h>

#define MH_NONE UINT32_MAX

typedef enum mh_keep { MH_KEEP_FIRST = 0, MH_KEEP_LONGEST, MH_KEEP_NEWEST } mh_keep;

/* Agreeing positions a candidate needs: threshold * perms rounded up (the
 * 1e-9 keeps 0.8 * 128 = 102.4000001 from becoming 103), 0 without
 * verification. */
static inline uint32_t mh_rule_need(double threshold, uint32_t perms, int verify)
{
	if (!verify)
		return 0;
	uint32_t need = (uint32_t)(threshold * perms - 1e-9) + 1;
	return need > perms ? perms : need;
}

/* Is candidate c (with `same` agreeing positions) a better match than the
 * best so far? The most agreeing positions win; ties go to the earliest. */
static inline int mh_rule_closer(uint32_t c, uint32_t same, uint32_t best, uint32_t best_same)
{
	return best == MH_NONE || same > best_same || (same == best_same && c < best);
}

/* Does a matching document supersede its cluster's current best? Only
 * strictly longer (characters) or newer (published; a missing date is
 * the oldest) under keep: longest|newest; never under keep: first. */
static inline int mh_rule_supersedes(mh_keep keep, uint32_t length, int64_t published, uint32_t best_length,
				     int64_t best_published)
{
	if (keep == MH_KEEP_LONGEST)
		return length > best_length;
	if (keep == MH_KEEP_NEWEST)
		return published > best_published;
	return 0;
}

#endif
