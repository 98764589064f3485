/* Stages that misbehave on purpose, for the run's error paths:
 *   test.reject_every   fails on documents whose id contains its `match`;
 *   test.fail_finish    fails at the end of the stream;
 *   test.annotate       adds an entity over the first character;
 *   test.rewrite        rewrites the text (after test.annotate: refused);
 *   test.last_worker_fails  cannot start on the last of several workers;
 *   test.take_sigurg    installs a SIGURG handler (the signal the Lua
 *                       stage's watchdog wants), as another library might;
 *   test.hang           never returns from process() (a long C call),
 *                       after creating the file `marker`;
 *   test.slow           takes `ms` milliseconds over each document;
 *   test.crash          crashes on documents whose id contains `match`,
 *                       the way `how` says (segv, abort, fpe, stack);
 *   test.fail_output    an output writing the ids to `path` that fails in
 *                       finish() or commit(), or crashes in process(), as
 *                       `when` says;
 *   test.fill_disk      fills the disk under `path` in finish();
 *   test.write_files    writes `report` (declared in .writes) and `other`
 *                       (not declared) through tm_file in finish(). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

static int rewrite(tm_ctx *ctx, void *state, tm_doc *doc) { return tm_doc_set_text(doc, "rewritten", 9); }

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

/* ---- never returning, crashing ------------------------------------------ */

static int create_opts(tm_ctx *ctx, const tm_options *opts, void **state)
{
	*state = (void *)opts;
	return TM_OK;
}

static int hang(tm_ctx *ctx, void *state, tm_doc *doc)
{
	const char *marker = tm_opt_string(state, "marker");
	if (marker && *marker)
		close(open(marker, O_WRONLY | O_CREAT, 0644));
	for (;;)
		sleep(1); /* signals interrupt the sleep, not the loop */
	return TM_OK;
}

static const tm_option hang_options[] = {
	{"marker", TM_OPT_STRING, "", "file created when the stage starts hanging", NULL, 0},
	{NULL, 0, NULL, NULL, NULL, 0},
};

static int slow(tm_ctx *ctx, void *state, tm_doc *doc)
{
	usleep((useconds_t)tm_opt_int(state, "ms") * 1000);
	return TM_OK;
}

static const tm_option slow_options[] = {
	{"ms", TM_OPT_INT, "1", "milliseconds per document", NULL, 0},
	{NULL, 0, NULL, NULL, NULL, 0},
};

static volatile int zero;

/* A read of a page that may not be read: a real SIGSEGV, which the
 * sanitizers do not catch first as a null pointer. */
static int bad_read(void)
{
	volatile int *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return *page;
}

/* Deeper until the stack runs out (zero is never set: the compiler
 * cannot tell the recursion has no end). */
static int recurse(int n)
{
	volatile char pad[4096];
	pad[0] = (char)n;
	return zero < 0 ? 0 : recurse(n + 1) + pad[0];
}

static int crash(tm_ctx *ctx, void *state, tm_doc *doc)
{
	const tm_options *opts = state;
	if (!strstr(tm_doc_id(doc), tm_opt_string(opts, "match")))
		return TM_OK;
	const char *how = tm_opt_string(opts, "how");
	if (!strcmp(how, "abort"))
		abort();
	if (!strcmp(how, "fpe"))
		raise(SIGFPE);
	if (!strcmp(how, "stack"))
		return recurse(0);
	return bad_read();
}

static const tm_option crash_options[] = {
	{"match", TM_OPT_STRING, "", "documents whose id contains this crash", NULL, 0},
	{"how", TM_OPT_ENUM, "segv", "how to crash", "segv|abort|fpe|stack", 0},
	{NULL, 0, NULL, NULL, NULL, 0},
};

/* ---- failing at the end ------------------------------------------------- */

typedef struct fail_out {
	tm_file *f;
	const char *when;
} fail_out;

static int fail_out_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	fail_out *o = calloc(1, sizeof *o);
	*state = o;
	o->when = tm_opt_string(opts, "when");
	o->f = tm_file_open(ctx, tm_opt_string(opts, "path"));
	return o->f ? TM_OK : TM_ERROR;
}

static int fail_out_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	fail_out *o = state;
	const char *id = tm_doc_id(doc);
	if (!strcmp(o->when, "crash"))
		return bad_read();
	return tm_file_write(o->f, id, strlen(id)) || tm_file_write(o->f, "\n", 1);
}

static int fail_out_finish(tm_ctx *ctx, void *state)
{
	fail_out *o = state;
	if (strcmp(o->when, "commit"))
		return tm_fail(ctx, "cannot finish on purpose");
	int rc = tm_file_commit(o->f);
	o->f = NULL;
	return rc;
}

static int fail_out_commit(tm_ctx *ctx, void *state) { return tm_fail(ctx, "cannot commit on purpose"); }

static void fail_out_destroy(void *state)
{
	fail_out *o = state;
	if (o)
		tm_file_abort(o->f);
	free(o);
}

static const tm_option fail_out_options[] = {
	{"path", TM_OPT_PATH, NULL, "file of the ids", NULL, 1},
	{"when", TM_OPT_ENUM, "finish", "when to fail", "finish|commit|crash", 0},
	{NULL, 0, NULL, NULL, NULL, 0},
};

/* Write zeros to path until the disk is full; the file stays. */
static int fill_disk(tm_ctx *ctx, void *state)
{
	int fd = open(tm_opt_string(state, "path"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return tm_fail(ctx, "cannot create the ballast: %s", strerror(errno));
	static const char block[65536];
	while (write(fd, block, sizeof block) > 0)
		;
	while (write(fd, block, 1) > 0)
		;
	close(fd);
	return TM_OK;
}

static const tm_option fill_options[] = {
	{"path", TM_OPT_PATH, NULL, "the ballast file", NULL, 1},
	{NULL, 0, NULL, NULL, NULL, 0},
};

static int write_one(tm_ctx *ctx, const char *path)
{
	if (!path)
		return TM_OK;
	tm_file *f = tm_file_open(ctx, path);
	if (!f)
		return TM_ERROR;
	if (tm_file_write(f, "written\n", 8)) {
		tm_file_abort(f);
		return TM_ERROR;
	}
	return tm_file_commit(f);
}

static int write_files(tm_ctx *ctx, void *state)
{
	return write_one(ctx, tm_opt_string(state, "report")) || write_one(ctx, tm_opt_string(state, "other"));
}

static const tm_option write_options[] = {
	{"report", TM_OPT_PATH, NULL, "a file the stage says it writes", NULL, 0},
	{"other", TM_OPT_PATH, NULL, "a file it writes without saying so", NULL, 0},
	{NULL, 0, NULL, NULL, NULL, 0},
};

static const tm_stage_type stages[] = {
	{.name = "test.reject_every",
	 .summary = "fail on matching documents",
	 .options = match_options,
	 .flags = TM_STAGE_PARALLEL,
	 .create = create_match,
	 .process = reject_process,
	 .destroy = free},
	{.name = "test.fail_finish",
	 .summary = "fail at the end",
	 .options = no_options,
	 .create = noop_create,
	 .process = noop_process,
	 .finish = fail_finish},
	{.name = "test.annotate",
	 .summary = "add an entity",
	 .options = no_options,
	 .flags = TM_STAGE_PARALLEL,
	 .create = noop_create,
	 .process = annotate},
	{.name = "test.rewrite",
	 .summary = "rewrite the text",
	 .options = no_options,
	 .flags = TM_STAGE_PARALLEL,
	 .create = noop_create,
	 .process = rewrite},
	{.name = "test.last_worker_fails",
	 .summary = "fail to start on the last worker",
	 .options = no_options,
	 .flags = TM_STAGE_PARALLEL,
	 .create = create_unless_last,
	 .process = noop_process},
	{.name = "test.take_sigurg",
	 .summary = "install a SIGURG handler",
	 .options = no_options,
	 .create = take_sigurg,
	 .process = noop_process},
	{.name = "test.hang",
	 .summary = "never return",
	 .options = hang_options,
	 .create = create_opts,
	 .process = hang},
	{.name = "test.slow",
	 .summary = "take time over each document",
	 .options = slow_options,
	 .create = create_opts,
	 .process = slow},
	{.name = "test.crash",
	 .summary = "crash on matching documents",
	 .options = crash_options,
	 .flags = TM_STAGE_PARALLEL,
	 .create = create_opts,
	 .process = crash},
	{.name = "test.fail_output",
	 .summary = "an output that fails at the end",
	 .options = fail_out_options,
	 .flags = TM_STAGE_OUTPUT,
	 .create = fail_out_create,
	 .process = fail_out_process,
	 .finish = fail_out_finish,
	 .commit = fail_out_commit,
	 .destroy = fail_out_destroy},
	{.name = "test.fill_disk",
	 .summary = "fill the disk at the end",
	 .options = fill_options,
	 .create = create_opts,
	 .process = noop_process,
	 .finish = fill_disk},
	{.name = "test.write_files",
	 .summary = "write files at the end",
	 .options = write_options,
	 .create = create_opts,
	 .process = noop_process,
	 .finish = write_files,
	 .writes = "report"},
};

TM_PLUGIN(stages);
