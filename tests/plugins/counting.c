/* Stages whose counters arrive in an order that depends on the document,
 * for the order of counters in the run summary (integration.counter_order):
 *   test.counting         a parallel stage: each document counts a few of
 *                         sixteen names, in an order its id decides, after
 *                         one named after its length; the last instance
 *                         counts in create(), the first in finish();
 *   test.counting_serial  a serial stage with prepare(): the workers count
 *                         in prepare(), process() counts in input order;
 *   test.counting_ahead   a parallel stage with prepare(), for its contract
 *                         (integration.parallel_prepare): prepare() notes
 *                         in each document which instance's state it got,
 *                         process() counts the notes it finds.
 * Each waits `us` microseconds over a document, so that every worker gets
 * some of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <textmill/textmill.h>

static const tm_option options[] = {
	{"us", TM_OPT_INT, "100", "microseconds per document", NULL, 0},
	{NULL, 0, NULL, NULL, NULL, 0},
};

static int create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	*state = (void *)opts;
	if (tm_ctx_worker(ctx) == tm_ctx_workers(ctx) - 1)
		tm_count(ctx, "created", 1);
	return TM_OK;
}

static unsigned id_hash(const tm_doc *doc)
{
	unsigned h = 2166136261u;
	for (const char *p = tm_doc_id(doc); *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

/* Three of sixteen names, which and in which order the id says, after one
 * for the text's length in hundreds of bytes. */
static void count_names(tm_ctx *ctx, const tm_doc *doc, const char *prefix)
{
	char name[64];
	size_t len;
	tm_doc_text(doc, &len);
	snprintf(name, sizeof name, "%slength-%zu", prefix, len / 100);
	tm_count(ctx, name, 1);
	unsigned h = id_hash(doc);
	for (int k = 0; k < 3; k++, h >>= 4) {
		snprintf(name, sizeof name, "%sname-%u", prefix, h & 15);
		tm_count(ctx, name, k + 1);
	}
}

static void wait_a_little(const void *state) { usleep((useconds_t)tm_opt_int(state, "us")); }

static int process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	wait_a_little(state);
	count_names(ctx, doc, "");
	return TM_OK;
}

static int finish(tm_ctx *ctx, void *state)
{
	(void)state;
	if (tm_ctx_worker(ctx) == 0)
		tm_count(ctx, "finished", 1);
	return TM_OK;
}

static int prepare(tm_ctx *ctx, const void *state, tm_doc *doc)
{
	wait_a_little(state);
	count_names(ctx, doc, "prepared-");
	return TM_OK;
}

static int process_serial(tm_ctx *ctx, void *state, tm_doc *doc)
{
	(void)state;
	tm_count(ctx, id_hash(doc) & 1 ? "odd" : "even", 1);
	return TM_OK;
}

static int create_ahead(tm_ctx *ctx, const tm_options *opts, void **state)
{
	(void)opts;
	int *worker = malloc(sizeof *worker);
	if (!worker)
		return TM_ERROR;
	*worker = (int)tm_ctx_worker(ctx);
	*state = worker;
	return TM_OK;
}

static int prepare_ahead(tm_ctx *ctx, const void *state, tm_doc *doc)
{
	(void)ctx;
	int *note = malloc(sizeof *note);
	if (!note)
		return TM_ERROR;
	*note = *(const int *)state; /* the instance whose state prepare() got */
	tm_doc_stash(doc, note, free);
	return TM_OK;
}

static int process_ahead(tm_ctx *ctx, void *state, tm_doc *doc)
{
	(void)state;
	const int *note = tm_doc_stashed(doc);
	tm_count(ctx,
		 !note   ? "not prepared"
		 : *note ? "prepared with another state"
			 : "prepared with the first state",
		 1);
	return TM_OK;
}

static const tm_stage_type stages[] = {
	{.name = "test.counting",
	 .summary = "count names in an order each document decides",
	 .options = options,
	 .flags = TM_STAGE_PARALLEL,
	 .create = create,
	 .process = process,
	 .finish = finish},
	{.name = "test.counting_serial",
	 .summary = "count in prepare() on the workers, and in process()",
	 .options = options,
	 .create = create,
	 .process = process_serial,
	 .prepare = prepare,
	 .finish = finish},
	{.name = "test.counting_ahead",
	 .summary = "note in prepare() which state it got, and read the note in process()",
	 .options = options,
	 .flags = TM_STAGE_PARALLEL,
	 .create = create_ahead,
	 .process = process_ahead,
	 .prepare = prepare_ahead,
	 .destroy = free},
};

TM_PLUGIN(stages);
