/* Stages that misbehave on purpose, for the run's error paths:
 *   test.reject_every   fails on documents whose id contains its `match`;
 *   test.fail_finish    fails at the end of the stream;
 *   test.annotate       adds an entity over the first character;
 *   test.rewrite        rewrites the text (after test.annotate: refused);
 *   test.last_worker_fails  cannot start on the last of several workers;
 *   test.take_sigurg    installs a SIGURG handler (the signal the Lua
 *                       stage's watchdog wants), as another library might. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <textmill/textmill.h>

static int create_match(tm_ctx *ctx, const tm_options *opts, void **state)
{
	*state = strdup(tm_opt_string(opts, "match"));
	return TM_OK;
}

static int reject_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	if (strstr(tm_doc_id(doc), state))
		return tm_fail(ctx, "boom: refused document %s", tm_doc_id(doc));
	return TM_OK;
}

static int noop_create(tm_ctx *ctx, const tm_options *opts, void **state) { return TM_OK; }
static int noop_process(tm_ctx *ctx, void *state, tm_doc *doc) { return TM_OK; }
static int fail_finish(tm_ctx *ctx, void *state) { return tm_fail(ctx, "cannot finish on purpose"); }

static int create_unless_last(tm_ctx *ctx, const tm_options *opts, void **state)
{
	if (tm_ctx_workers(ctx) > 1 && tm_ctx_worker(ctx) == tm_ctx_workers(ctx) - 1)
		return tm_fail(ctx, "worker %u of %u cannot start", tm_ctx_worker(ctx) + 1, tm_ctx_workers(ctx));
	return TM_OK;
}

static int annotate(tm_ctx *ctx, void *state, tm_doc *doc)
{
	size_t len;
	const char *t = tm_doc_text(doc, &len);
	size_t end = 1;
	while (end < len && ((unsigned char)t[end] & 0xC0) == 0x80)
		end++;
	return tm_doc_add_entity(doc, "FIRST", 0, end, "\"x\"", "{\"n\":1}", NULL);
}

static int rewrite(tm_ctx *ctx, void *state, tm_doc *doc)
{
	return tm_doc_set_text(doc, "rewritten", 9);
}

static const tm_option match_options[] = {
	{"match", TM_OPT_STRING, "", "documents whose id contains this fail", NULL, 0},
	{NULL, 0, NULL, NULL, NULL, 0},
};
static void ignore_signal(int sig) { (void)sig; }

static int take_sigurg(tm_ctx *ctx, const tm_options *opts, void **state)
{
	(void)opts, (void)state;
	struct sigaction sa = {0};
	sa.sa_handler = ignore_signal;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGURG, &sa, NULL) ? tm_fail(ctx, "sigaction failed") : TM_OK;
}

static const tm_option no_options[] = {{NULL, 0, NULL, NULL, NULL, 0}};

static const tm_stage_type stages[] = {
	{.name = "test.reject_every", .summary = "fail on matching documents", .options = match_options,
	 .flags = TM_STAGE_PARALLEL, .create = create_match, .process = reject_process, .destroy = free},
	{.name = "test.fail_finish", .summary = "fail at the end", .options = no_options,
	 .create = noop_create, .process = noop_process, .finish = fail_finish},
	{.name = "test.annotate", .summary = "add an entity", .options = no_options,
	 .flags = TM_STAGE_PARALLEL, .create = noop_create, .process = annotate},
	{.name = "test.rewrite", .summary = "rewrite the text", .options = no_options,
	 .flags = TM_STAGE_PARALLEL, .create = noop_create, .process = rewrite},
	{.name = "test.last_worker_fails", .summary = "fail to start on the last worker", .options = no_options,
	 .flags = TM_STAGE_PARALLEL, .create = create_unless_last, .process = noop_process},
	{.name = "test.take_sigurg", .summary = "install a SIGURG handler", .options = no_options,
	 .create = take_sigurg, .process = noop_process},
};

TM_PLUGIN(stages);
