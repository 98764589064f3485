/* extract_regex.c -- `extract.regex`: one pattern, one entity type, in C.
 * For simple patterns that need no Lua; also the yardstick the Lua stage
 * is measured against. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include <textmill/textmill.h>

#include "stages.h"

typedef struct regex_stage {
	pcre2_code *code;
	pcre2_match_data *md;
	char *type, *rule;
	unsigned group;
} regex_stage;

int regex_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	regex_stage *r = calloc(1, sizeof *r);
	if (!r)
		return tm_fail(ctx, "out of memory");
	*state = r;
	const regex_settings *set = tm_opt_settings(opts);
	uint32_t flags = PCRE2_UTF | PCRE2_UCP;
	for (const char *f = set->flags; *f; f++) {
		if (*f == 'i')
			flags |= PCRE2_CASELESS;
		else if (*f == 'm')
			flags |= PCRE2_MULTILINE;
		else if (*f == 's')
			flags |= PCRE2_DOTALL;
		else if (*f == 'x')
			flags |= PCRE2_EXTENDED;
		else
			return tm_fail(ctx, "%s: unknown flag '%c' (flags: i m s x)", tm_opt_where(opts, "flags"),
				       *f);
	}
	int err;
	PCRE2_SIZE off;
	r->code = pcre2_compile((PCRE2_SPTR)set->pattern, PCRE2_ZERO_TERMINATED, flags, &err, &off, NULL);
	if (!r->code && err == PCRE2_ERROR_HEAP_FAILED) /* the pattern may be fine */
		return tm_fail(ctx, "out of memory");
	if (!r->code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		return tm_fail(ctx, "%s: bad pattern \"%s\" at offset %d: %s", tm_opt_where(opts, "pattern"),
			       set->pattern, (int)off, (const char *)msg);
	}
	pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
	r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
	uint32_t groups;
	pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &groups);
	if (set->group > (long long)groups)
		return tm_fail(ctx, "%s: group %lld, but the pattern has %u", tm_opt_where(opts, "group"), set->group,
			       groups);
	r->group = (unsigned)set->group;
	r->type = strdup(set->entity);
	r->rule = strdup(set->rule ? set->rule : set->entity);
	return r->md && r->type && r->rule ? TM_OK : tm_fail(ctx, "out of memory");
}

int regex_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	regex_stage *r = state;
	size_t len, off = 0;
	const char *text = tm_doc_text(doc, &len);
	long long found = 0;
	/* The host hands over valid UTF-8, so PCRE2 need not check it again. */
	while (off <= len && pcre2_match(r->code, (PCRE2_SPTR)text, len, off, PCRE2_NO_UTF_CHECK, r->md, NULL) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
		size_t s = ov[2 * r->group], e = ov[2 * r->group + 1];
		if (s != PCRE2_UNSET && e > s) {
			if (tm_doc_add_entity(doc, r->type, s, e, NULL, NULL, r->rule))
				return TM_ERROR;
			found++;
		}
		off = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
		while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80)
			off++;
	}
	if (found)
		tm_count(ctx, "entities added", found);
	return TM_OK;
}

void regex_destroy(void *state)
{
	regex_stage *r = state;
	if (!r)
		return;
	pcre2_match_data_free(r->md);
	pcre2_code_free(r->code);
	free(r->type);
	free(r->rule);
	free(r);
}

#define FIELD(member) TM_FIELD(regex_settings, member)

const tm_option regex_options[] = {
	{.name = "pattern",
	 .type = TM_OPT_STRING,
	 .required = 1,
	 FIELD(pattern),
	 .help = "PCRE2 pattern, matched as UTF-8 with Unicode classes"},
	{.name = "entity",
	 .type = TM_OPT_STRING,
	 .required = 1,
	 FIELD(entity),
	 .help = "entity type of each match (e.g. NUMBER)"},
	{.name = "flags",
	 .type = TM_OPT_STRING,
	 .default_value = "",
	 FIELD(flags),
	 .help = "i (ignore case), m (multiline), s (dot matches newline), x (extended)"},
	{.name = "group",
	 .type = TM_OPT_INT,
	 .default_value = "0",
	 .min = 0,
	 .max = TM_NO_MAX,
	 FIELD(group),
	 .help = "the capture that is the entity (0: the whole match)"},
	{.name = "rule",
	 .type = TM_OPT_STRING,
	 FIELD(rule),
	 .help = "rule name written on each entity (default: the entity type)"},
	{0},
};
