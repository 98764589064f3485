/* rules.h -- boilerplate rule files: exact lines and regular expressions
 * that mark site chrome. The format is documented in docs/cleaning.md
 * and at the top of config/boilerplate/vi.txt. */
#ifndef CLEAN_RULES_H
#define CLEAN_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "clean.h"

typedef enum cl_rule_kind {
	CL_RULE_LINE = 0, /* the whole line, compared case-insensitively */
	CL_RULE_REGEX,    /* a line the pattern matches */
	CL_RULE_STRIP,    /* remove what the pattern matches, keep the rest */
	CL_RULE_END,      /* the article ends here: this line and all after go */
	CL_RULE_KEEP,     /* never remove a line the pattern matches */
	CL_RULE_KINDS
} cl_rule_kind;

typedef struct cl_rule {
	cl_rule_kind kind;
	int edge;    /* only outside the body (before the first or after the last paragraph) */
	int learned; /* came from a file of learned recurring lines */
	int section; /* 0: every document; else only the section's sources */
	char *where; /* "vi.txt:12", for messages and the audit field */
	char *text;  /* line rules: the folded line; others: the pattern */
	pcre2_code *re;
} cl_rule;

/* All regex rules of one kind, edge scope and section, as one pattern:
 * a line that none of them matches costs one match instead of many. */
typedef struct cl_rule_group {
	cl_rule_kind kind;
	int edge, section;
	pcre2_code *any; /* (?:r1)|(?:r2)|…, or NULL: try each rule */
	size_t *rules;   /* indices into cl_rules.v, in file order */
	size_t n;
} cl_rule_group;

typedef struct cl_rules {
	cl_rule *v;
	size_t n, cap;
	cl_rule_group *groups;
	size_t n_groups;
	int grouped;     /* groups are built (after each file is read) */
	char **sections; /* globs of [source GLOB] sections; [0] is unused */
	size_t n_sections;
	/* Exact lines: hash(section, folded line) -> rule index + 1. */
	kit_map lines;
	size_t longest_line; /* bytes of the longest folded line rule */
	cl_buf fold;
} cl_rules;

/* Load a rule file, or every *.txt file of a directory in name order.
 * `learned` marks the rules as learned recurring lines. On error returns
 * -1 with a message naming the file and line in err. */
int cl_rules_load(cl_rules *r, const char *path, int learned, char *err, size_t errlen);
/* Parse rules from memory; `name` is used in messages. */
int cl_rules_parse(cl_rules *r, const char *name, const char *text, size_t len, int learned, char *err,
		   size_t errlen);
void cl_rules_free(cl_rules *r);

/* Which sections apply to a document of source group `group`: active[i]
 * is set for each section i (active[0], the global one, always). active
 * has room for n_sections entries. */
void cl_rules_activate(const cl_rules *r, const char *group, unsigned char *active);

/* The first rule of `kind` (not CL_RULE_LINE) that matches s[0..len)
 * among the active sections; edge rules count only when edge_ok. For
 * CL_RULE_STRIP, so and eo get the matched span. NULL if none. md is
 * scratch. */
const cl_rule *cl_rules_match(const cl_rules *r, const unsigned char *active, cl_rule_kind kind, int edge_ok,
			      const char *s, size_t len, pcre2_match_data *md, size_t *so, size_t *eo);
/* The line rule for a line already folded with cl_fold, or NULL. */
const cl_rule *cl_rules_match_line(const cl_rules *r, const unsigned char *active, int edge_ok, const char *folded,
				   size_t n);

#endif
