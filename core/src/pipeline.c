/* pipeline.c -- streams batches of documents through the stages.
 *
 * A batch goes through one stage at a time. A parallel stage splits the
 * batch into contiguous slices, one per worker, each with its own stage
 * instance; a serial stage sees the batch in input order. The counting
 * after each stage is serial, so the summary and every output are the
 * same whatever the number of workers. */
#include "pipeline.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc.h"
#include "guard.h"
#include "input.h"
#include "json.h"
#include "pool.h"
#include "publish.h"
#include "run.h"
#include "writer.h"

#define MAX_REPORTED_REJECTS 20

/* ---- stage instances ---------------------------------------------------- */

/* The config of stage k of the run (0 is the input): a stage, then the outputs. */
static const stage_conf *conf_of(const run *r, size_t k)
{
	return k < r->first_output ? &r->pc->stages[k - 1] : &r->pc->outputs[k - r->first_output];
}

static int create_stage(run *r, stage_run *s, const stage_conf *sc)
{
	s->type = &sc->entry->type;
	s->opts = sc->opts;
	s->n_inst = (s->type->flags & TM_STAGE_PARALLEL) ? r->pc->workers : 1;
	s->ctx = xcalloc(s->n_inst, sizeof *s->ctx);
	s->state = xcalloc(s->n_inst, sizeof *s->state);
	if (s->type->prepare) {
		s->n_prep = r->pc->workers;
		s->prep_ctx = xcalloc(s->n_prep, sizeof *s->prep_ctx);
		for (unsigned w = 0; w < r->pc->workers; w++) {
			ctx_init(&s->prep_ctx[w], s->name, s->label, w, r->pc->workers, r->ro->quiet);
			s->prep_ctx[w].global = sc->global;
		}
	}
	for (unsigned w = 0; w < s->n_inst; w++) {
		ctx_init(&s->ctx[w], s->name, s->label, w, s->n_inst, r->ro->quiet);
		s->ctx[w].run = r;
		s->ctx[w].publish = r->publish;
		s->ctx[w].rank = s->type->flags & TM_STAGE_OUTPUT ? RANK_OUTPUT : RANK_STAGE;
		s->ctx[w].global = sc->global;
		guard_set(s->label, s->name, NULL);
		int rc = s->type->create(&s->ctx[w], s->opts, &s->state[w]);
		guard_set(NULL, NULL, NULL);
		s->n_created++; /* destroy() sees whatever create() made, even on failure */
		if (!rc)        /* a typo in an option's name would have read as unset */
			rc = options_check_reads(s->opts, &s->ctx[w].error);
		if (rc) {
			buf_printf(&r->failure, "%s (%s, %s): cannot start: %s", s->label, s->name,
				   tm_node_where(sc->node),
				   s->ctx[w].error.len ? s->ctx[w].error.p : "create failed");
			return -1;
		}
	}
	log_debug("%s (%s) started: %u instance%s", s->label, s->name, s->n_inst, s->n_inst == 1 ? "" : "s");
	return 0;
}

static void destroy_stage(stage_run *s)
{
	for (unsigned w = 0; w < s->n_created; w++)
		if (s->type && s->type->destroy) {
			guard_set(s->label, s->name, NULL);
			s->type->destroy(s->state[w]);
			guard_set(NULL, NULL, NULL);
		}
	for (unsigned w = 0; s->ctx && w < s->n_inst; w++)
		ctx_free(&s->ctx[w]);
	for (unsigned w = 0; s->prep_ctx && w < s->n_prep; w++)
		ctx_free(&s->prep_ctx[w]);
	free(s->prep_ctx);
	for (size_t i = 0; i < s->n_reasons; i++)
		free(s->reasons[i].reason);
	free(s->reasons);
	free(s->ctx);
	free(s->state);
}

/* ---- processing --------------------------------------------------------- */

/* A document's place in the run, for the order of counters (host.h):
 * batch by batch, each stage's prepare() before its process(), as one
 * worker would go through them. */
static unsigned long long doc_order(const run *r, int processing, size_t i)
{
	return r->batches << 32 | (unsigned long long)processing << 31 | i;
}

static void process_one(stage_run *s, unsigned w, tm_doc *doc, unsigned long long order)
{
	tm_ctx *ctx = &s->ctx[w];
	ctx->order = order;
	doc->ctx = ctx;
	ctx->doc_id = doc->id;
	guard_set(s->label, s->name, doc);
	int rc = s->type->process(ctx, s->state[w], doc);
	guard_set(NULL, NULL, NULL);
	if (rc != TM_OK && doc->verdict == TM_KEEP) {
		tm_doc_reject(doc, ctx->error.len ? ctx->error.p : "stage failed");
		doc->verdict_stage = s->name;
	}
	buf_clear(&ctx->error);
	ctx->doc_id = NULL;
	doc->ctx = NULL;
	doc_drop_stash(doc); /* the stage's note ends with the stage */
}

static void prepare_one(stage_run *s, unsigned w, tm_doc *doc, unsigned long long order)
{
	tm_ctx *ctx = &s->prep_ctx[w];
	ctx->order = order;
	doc->ctx = ctx;
	ctx->doc_id = doc->id;
	guard_set(s->label, s->name, doc);
	int rc = s->type->prepare(ctx, s->state[0], doc);
	guard_set(NULL, NULL, NULL);
	if (rc != TM_OK && doc->verdict == TM_KEEP) {
		tm_doc_reject(doc, ctx->error.len ? ctx->error.p : "stage failed");
		doc->verdict_stage = s->name;
	}
	buf_clear(&ctx->error);
	ctx->doc_id = NULL;
	doc->ctx = NULL;
}

/* Workers take the batch's documents a few at a time, in turn: a worker
 * slowed down (by the writer thread sharing its core, or by longer
 * documents) takes fewer, instead of the others waiting for it at the end
 * of the stage. Which instance sees a document does not change the result. */
#define CHUNK 4

static int next_chunk(run *r, size_t *from, size_t *to)
{
	size_t i = atomic_fetch_add_explicit(&r->next, CHUNK, memory_order_relaxed);
	if (i >= r->n)
		return 0;
	*from = i;
	*to = i + CHUNK < r->n ? i + CHUNK : r->n;
	return 1;
}

static void prepare_slice(void *arg, unsigned w, unsigned workers)
{
	(void)workers;
	run *r = arg;
	stage_run *s = r->current;
	size_t from, to;
	while (next_chunk(r, &from, &to))
		for (size_t i = from; i < to; i++)
			if (r->alive[i])
				prepare_one(s, w, r->docs[i], doc_order(r, 0, i));
}

static void process_slice(void *arg, unsigned w, unsigned workers)
{
	(void)workers;
	run *r = arg;
	stage_run *s = r->current;
	size_t from, to;
	while (next_chunk(r, &from, &to))
		for (size_t i = from; i < to; i++)
			if (r->alive[i] && r->docs[i]->verdict == TM_KEEP) /* prepare() may have rejected it */
				process_one(s, w, r->docs[i], doc_order(r, 1, i));
}

static void count_reason(stage_run *s, const char *reason, int rejected)
{
	/* "duplicate-of:ID" counts under "duplicate-of": the part before ':'. */
	size_t n = strcspn(reason, ":");
	for (size_t i = 0; i < s->n_reasons; i++)
		if (s->reasons[i].rejected == rejected && strlen(s->reasons[i].reason) == n &&
		    !memcmp(s->reasons[i].reason, reason, n)) {
			s->reasons[i].n++;
			return;
		}
	s->reasons = xrealloc(s->reasons, (s->n_reasons + 1) * sizeof *s->reasons);
	s->reasons[s->n_reasons].reason = xstrndup(reason, n);
	s->reasons[s->n_reasons].rejected = rejected;
	s->reasons[s->n_reasons++].n = 1;
}

static void base64(buf *out, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);
		char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=',
			     i + 2 < n ? tab[v & 63] : '='};
		buf_put(out, q, 4);
	}
}

/* One line of the rejects file: where, which stage, why, and the record. */
static int write_reject(run *r, const stage_run *s, tm_doc *doc, const buf *raw)
{
	buf line = {0};
	buf_puts(&line, "{\"source\":");
	json_put_string(&line, doc->source, strlen(doc->source));
	buf_puts(&line, ",\"stage\":");
	json_put_string(&line, s->label, strlen(s->label));
	buf_puts(&line, ",\"id\":");
	json_put_string(&line, doc->id, strlen(doc->id));
	buf_puts(&line, ",\"reason\":");
	json_put_string(&line, doc->reason, strlen(doc->reason));
	const char *bytes = raw->len ? raw->p : doc->text.p;
	size_t len = raw->len ? raw->len : doc->text.len;
	if (!raw->len && utf8_valid_prefix(bytes, len) == len) {
		buf_puts(&line, ",\"document\":");
		doc_write_json(doc, &line);
		line.len--; /* its newline */
	} else if (utf8_valid_prefix(bytes, len) == len) {
		buf_puts(&line, ",\"raw\":");
		json_put_string(&line, bytes, len);
	} else {
		buf_puts(&line, ",\"raw_base64\":\"");
		base64(&line, (const unsigned char *)bytes, len);
		buf_putc(&line, '"');
	}
	buf_puts(&line, "}\n");
	int rc = tm_file_write(r->rejects, line.p, line.len);
	buf_free(&line);
	return rc;
}

static int reject(run *r, stage_run *s, size_t i)
{
	tm_doc *doc = r->docs[i];
	r->rejected++;
	if (r->done)
		return 0; /* pipeline_docs: its caller reports the document */
	if (!r->ro->quiet && log_level >= LOG_WARN && r->rejected <= MAX_REPORTED_REJECTS) {
		/* The id and source are one line each: escaped whole here, a
		 * newline too, where the reason may run on several lines. */
		buf where = {0};
		buf_put_escaped(&where, doc->source, strlen(doc->source));
		buf_puts(&where, " (id ");
		buf_put_escaped(&where, doc->id, strlen(doc->id));
		print_err("textmill: rejected %s) at %s: %s\n", where.p, s->label, doc->reason);
		buf_free(&where);
	}
	if (!r->ro->quiet && log_level >= LOG_WARN && r->rejected == MAX_REPORTED_REJECTS + 1)
		print_err("textmill: more rejected documents are not shown%s\n",
			  r->rejects ? "; all are in the rejects file" : "");
	if (r->rejects && write_reject(r, s, doc, &r->raws[i])) {
		buf_printf(&r->failure, "rejects file: %s", r->host_ctx.error.p);
		return -1;
	}
	if (r->pc->fail_on_reject) {
		buf_printf(&r->failure, "%s: %s (stopping: on_error is fail)", doc->source, doc->reason);
		return -1;
	}
	return 0;
}

static void check_one(tm_doc *doc)
{
	doc->unchecked = 0;
	size_t ok = utf8_valid_prefix(doc->text.p, doc->text.len);
	if (ok != doc->text.len) {
		buf_clear(&doc->scratch);
		buf_printf(&doc->scratch, "invalid UTF-8: at byte %zu", ok + 1);
		tm_doc_reject(doc, doc->scratch.p);
	}
}

static void check_slice(void *arg, unsigned w, unsigned workers)
{
	(void)w, (void)workers;
	run *r = arg;
	size_t from, to;
	while (next_chunk(r, &from, &to))
		for (size_t i = from; i < to; i++)
			if (r->alive[i] && r->docs[i]->unchecked)
				check_one(r->docs[i]);
}

/* Texts read as raw bytes are checked once no stage ahead takes bytes; on
 * the workers, since whole files can be large and the check is per byte. */
static void check_utf8(run *r, size_t next)
{
	if (next < r->n_st && r->st[next].type && (r->st[next].type->flags & TM_STAGE_TAKES_BYTES))
		return;
	size_t i = 0;
	while (i < r->n && !(r->alive[i] && r->docs[i]->unchecked))
		i++;
	if (i == r->n)
		return;
	atomic_store(&r->next, 0);
	pool_run(r->pool, check_slice, r);
}

/* Count what stage s did to the batch; false verdicts stop the run. */
static int tally(run *r, stage_run *s, size_t index)
{
	check_utf8(r, index + 1);
	for (size_t i = 0; i < r->n; i++) {
		if (!r->alive[i])
			continue;
		tm_doc *doc = r->docs[i];
		doc_drop_stash(doc);
		s->in++;
		if (doc->verdict == TM_KEEP) {
			s->kept++;
			continue;
		}
		r->alive[i] = 0;
		count_reason(s, doc->reason, doc->verdict == TM_REJECT);
		if (r->done)
			r->done(r->done_arg, doc, s->label);
		if (doc->verdict == TM_DROP) {
			s->dropped++;
			r->dropped++;
		} else {
			s->rejected++;
			if (reject(r, s, i))
				return -1;
		}
	}
	return 0;
}

/* The outputs of one batch (a writer_fn); on the writer's thread, so they
 * only touch the batch, their own stage runs, and r->written. */
static int run_outputs(void *arg, batch *b, buf *failure)
{
	run *r = arg;
	for (size_t k = r->first_output; k < r->n_st; k++) {
		stage_run *s = &r->st[k];
		double t0 = now_seconds();
		for (size_t i = 0; i < b->n; i++) {
			if (!b->alive[i])
				continue;
			tm_doc *doc = b->docs[i];
			doc->ctx = &s->ctx[0];
			s->ctx[0].doc_id = doc->id;
			guard_set(s->label, s->name, doc);
			int rc = s->type->process(&s->ctx[0], s->state[0], doc);
			guard_set(NULL, NULL, NULL);
			doc->ctx = NULL;
			if (rc != TM_OK) {
				buf_printf(failure, "%s (%s): %s", s->label, s->name,
					   s->ctx[0].error.len ? s->ctx[0].error.p : "write failed");
				return -1;
			}
			s->in++, s->kept++;
		}
		s->seconds += now_seconds() - t0;
	}
	for (size_t i = 0; i < b->n; i++)
		r->written += b->alive[i];
	return 0;
}

/* The stages (not the outputs) over the current batch, in order. */
static int run_batch(run *r)
{
	for (size_t k = 1; k < r->first_output; k++) {
		stage_run *s = &r->st[k];
		double t0 = now_seconds();
		r->current = s;
		if (s->type->prepare) {
			atomic_store(&r->next, 0);
			pool_run(r->pool, prepare_slice, r);
		}
		atomic_store(&r->next, 0);
		if (s->n_inst > 1)
			pool_run(r->pool, process_slice, r);
		else
			process_slice(r, 0, 1);
		s->seconds += now_seconds() - t0;
		if (tally(r, s, k))
			return -1;
	}
	return 0;
}

/* Make docs the batch going through the stages, and tally what the input
 * (and the UTF-8 check, if the first stage needs it) took out. */
static int take_batch(run *r, tm_doc **docs, buf *raws, unsigned char *alive, size_t n)
{
	r->docs = docs;
	r->raws = raws;
	r->alive = alive;
	r->n = n;
	r->batches++;
	for (size_t i = 0; i < n; i++) {
		r->read++;
		r->bytes += docs[i]->bytes;
		alive[i] = 1;
	}
	return tally(r, &r->st[0], 0);
}

static int read_batch(run *r, reader *rd, int *more)
{
	batch *b = r->b = reader_next(rd);
	if (b->error.len) {
		buf_puts(&r->failure, b->error.p);
		return -1;
	}
	*more = !b->end;
	r->st[0].seconds += b->seconds; /* on the reader's thread, beside the stages */
	return take_batch(r, b->docs, b->raws, b->alive, b->n);
}

/* fn (finish or commit) on each instance of s; a failure stops the run. */
static int call_instances(run *r, stage_run *s, int (*fn)(tm_ctx *, void *), const char *what)
{
	for (unsigned w = 0; fn && w < s->n_inst; w++) {
		double t0 = now_seconds();
		s->ctx[w].order = CTX_ORDER_END;
		guard_set(s->label, s->name, NULL);
		int rc = fn(&s->ctx[w], s->state[w]);
		guard_set(NULL, NULL, NULL);
		s->seconds += now_seconds() - t0;
		if (rc) {
			buf_printf(&r->failure, "%s (%s): %s", s->label, s->name,
				   s->ctx[w].error.len ? s->ctx[w].error.p : what);
			return -1;
		}
	}
	return 0;
}

/* Every stage's finish(); the files they commit, and the rejects file,
 * are only staged (publish.c). */
static int finish_all(run *r)
{
	for (size_t k = 1; k < r->n_st; k++)
		if (call_instances(r, &r->st[k], r->st[k].type->finish, "finish failed"))
			return -1;
	if (r->rejects) {
		r->host_ctx.rank = RANK_REJECTS;
		int rc = tm_file_commit(r->rejects);
		r->rejects = NULL;
		if (rc) {
			buf_printf(&r->failure, "rejects file: %s", r->host_ctx.error.p);
			return -1;
		}
	}
	return 0;
}

/* Past the point of no return. The stages' commits come first, outputs
 * before the others: a database's COMMIT is the step most likely to fail,
 * and while nothing is in place a failure still leaves every old file as
 * it was. Then the renames, outputs first (publish.h). */
static int publish_all(run *r)
{
	for (int outputs = 1; outputs >= 0; outputs--)
		for (size_t k = 1; k < r->n_st; k++) {
			stage_run *s = &r->st[k];
			int is_output = (s->type->flags & TM_STAGE_OUTPUT) != 0;
			if (is_output != outputs || !s->type->commit)
				continue;
			if (call_instances(r, s, s->type->commit, "commit failed"))
				return -1;
			buf_printf(&r->placed, "%s%s (%s)", r->placed.len ? ", " : "", s->label, s->name);
		}
	size_t n;
	return publish_files(r->publish, &r->failure, &n, &r->placed);
}

static void release(run *r)
{
	tm_file_abort(r->rejects);
	for (size_t k = r->n_st; k-- > 0;)
		destroy_stage(&r->st[k]);
	publish_free(r->publish); /* removes what a failed run staged */
	free(r->st);
	pool_free(r->pool);
	ctx_free(&r->host_ctx);
	buf_free(&r->failure);
	buf_free(&r->placed);
	buf_free(&r->summary);
	free(r);
}

/* Make the runs of every stage (and output, if asked), each instance created. */
static run *open_run(pipeline_conf *pc, const run_options *ro, int with_outputs)
{
	run *r = xcalloc(1, sizeof *r);
	r->pc = pc;
	r->ro = ro;
	r->first_output = 1 + pc->n_stages;
	r->n_st = r->first_output + (with_outputs ? pc->n_outputs : 0);
	r->st = xcalloc(r->n_st, sizeof *r->st);
	r->st[0].name = r->st[0].label = "input";
	r->publish = with_outputs ? publish_new() : NULL;
	ctx_init(&r->host_ctx, "rejects", "rejects", 0, 1, ro->quiet);
	r->host_ctx.publish = r->publish;
	r->pool = pool_new(pc->workers);
	r->started = now_seconds();
	/* FNV-1a of the resolved config: runs with the same hash ran the same pipeline. */
	buf text = {0};
	config_print(pc, &text);
	r->config_hash = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < text.len; i++)
		r->config_hash = (r->config_hash ^ (unsigned char)text.p[i]) * 0x100000001b3ULL;
	buf_free(&text);
	/* named before any is created: the summary of a run that failed to
	 * start lists the stages after the one that failed too */
	for (size_t k = 1; k < r->n_st; k++) {
		const stage_conf *sc = conf_of(r, k);
		r->st[k].name = sc->entry->type.name;
		r->st[k].label = sc->label;
	}
	for (size_t k = 1; k < r->n_st; k++)
		if (create_stage(r, &r->st[k], conf_of(r, k)))
			break;
	return r;
}

struct pipeline {
	run *r;
	unsigned char alive[BATCH];
};

pipeline *pipeline_open(pipeline_conf *pc, const run_options *ro, buf *err)
{
	run *r = open_run(pc, ro, ro->open_outputs);
	if (r->failure.len) {
		buf_puts(err, r->failure.p);
		release(r);
		return NULL;
	}
	pipeline *p = xcalloc(1, sizeof *p);
	p->r = r;
	return p;
}

void pipeline_docs(pipeline *p, tm_doc **docs, size_t n, pipeline_done_fn *done, void *arg)
{
	run *r = p->r;
	r->done = done;
	r->done_arg = arg;
	for (size_t from = 0; from < n; from += BATCH) {
		size_t len = n - from < BATCH ? n - from : BATCH;
		/* Neither fails: without a rejects file or on_error: fail, a
		 * tally only counts (see reject). */
		if (take_batch(r, docs + from, NULL, p->alive, len) || run_batch(r))
			break;
		for (size_t i = 0; i < len; i++)
			if (p->alive[i])
				done(arg, docs[from + i], NULL);
	}
	r->done = NULL;
}

void pipeline_close(pipeline *p)
{
	if (!p)
		return;
	release(p->r);
	free(p);
}

/* The summary as --summary-json asks; -1 with the message in
 * r->host_ctx.error. Staged with the run's files, unless the run failed. */
static int write_summary(run *r, int status, double seconds)
{
	buf json = {0};
	summary_json(r, status_name(status), seconds, &json);
	buf_putc(&json, '\n');
	buf_clear(&r->host_ctx.error);
	r->host_ctx.rank = RANK_SUMMARY;
	tm_file *f = tm_file_open(&r->host_ctx, r->ro->summary_json);
	int rc = !f;
	if (f && tm_file_write(f, json.p, json.len)) {
		tm_file_abort(f);
		rc = 1;
	} else if (f) {
		rc = tm_file_commit(f) != TM_OK;
	}
	buf_free(&json);
	if (rc && !r->host_ctx.error.len)
		buf_puts(&r->host_ctx.error, "cannot write");
	return rc ? -1 : 0;
}

static void interrupted(run *r)
{
	buf_printf(&r->failure, "interrupted (%s)", guard_interrupted() == SIGTERM ? "SIGTERM" : "SIGINT");
}

int pipeline_run(pipeline_conf *pc, const run_options *ro)
{
	int status = EXIT_FAILED;
	double t0 = now_seconds();
	signal(SIGPIPE, SIG_IGN); /* a closed stdout becomes a write error */
	guard_start();

	/* Files are read while the stages are made (the entity pack's Lua
	 * states take a tenth of a second): the workers find documents
	 * waiting. Not stdin or a pipe: a run whose stage cannot start would
	 * wait there for its reader. A stage that cannot start is the error
	 * told before the input's, as when the input was opened after. */
	buf input_failure = {0};
	input *in = input_open(pc, &input_failure);
	reader *rd = in && !input_may_wait(in) ? reader_start(in) : NULL;
	writer *w = NULL;
	run *r = open_run(pc, ro, 1);
	if (!r->failure.len && !in)
		buf_puts(&r->failure, input_failure.p);
	buf_free(&input_failure);
	if (r->failure.len)
		goto done;
	if (!rd)
		rd = reader_start(in);
	r->total_bytes = input_total_bytes(in);
	r->progress = !ro->quiet && log_level >= LOG_INFO && isatty(STDERR_FILENO);
	/* A stream for a watcher (a FIFO, /dev/fd/N, a file tail -f reads),
	 * not an output: written as the run goes, not all or nothing. */
	if (ro->progress_json && !(r->progress_json = fopen(ro->progress_json, "we"))) {
		buf_printf(&r->failure, "--progress-json %s: %s", ro->progress_json, strerror(errno));
		goto done;
	}
	w = writer_start(rd, run_outputs, r);
	if (pc->rejects && !(r->rejects = tm_file_open(&r->host_ctx, pc->rejects))) {
		buf_printf(&r->failure, "rejects file: %s", r->host_ctx.error.p);
		goto done;
	}
	for (int more = 1; more;) {
		if (guard_interrupted()) {
			interrupted(r);
			goto done;
		}
		if (writer_failed(w, &r->failure) || read_batch(r, rd, &more) || run_batch(r))
			goto done;
		writer_push(w, r->b);
		progress_update(r, 0);
	}
	int write_failed = writer_stop(w, &r->failure); /* every batch written */
	w = NULL;
	if (write_failed)
		goto done;
	if (finish_all(r))
		goto done;
	if (r->read != r->written + r->dropped + r->rejected) {
		buf_printf(&r->failure, "internal error: %lld read but %lld accounted for", r->read,
			   r->written + r->dropped + r->rejected);
		goto done;
	}
	/* One shard of many (--shard, or a phase of a sharded run with
	 * --global) may well be empty; a whole input that is, is news. */
	int part = pc->shard_count > 1;
	for (size_t i = 0; i < pc->n_stages; i++)
		part |= pc->stages[i].global != NULL;
	int empty = !r->read && !part;
	int finished = r->rejected ? EXIT_REJECTS : empty ? EXIT_EMPTY : EXIT_DONE;
	/* A summary file is staged with the others; on stdout it can only
	 * come once the run is sure to have succeeded. */
	int summary_out = ro->summary_json && !strcmp(ro->summary_json, "-");
	if (ro->summary_json && !summary_out && write_summary(r, finished, now_seconds() - t0)) {
		buf_printf(&r->failure, "summary: %s", r->host_ctx.error.p);
		goto done;
	}
	if (!guard_begin_publish()) {
		interrupted(r);
		goto done;
	}
	if (publish_all(r))
		goto done;
	guard_published();
	status = finished;
	if (guard_interrupted())
		print_err("textmill: interrupted while putting the run's files in place; they all are now\n");
	if (summary_out && write_summary(r, finished, now_seconds() - t0))
		print_err("textmill: summary: %s\n", r->host_ctx.error.p);
done:
	progress_update(r, 1);
	/* The reader of stdout has all it wanted (`| head`): end as head would
	 * have us, quietly; the other files, cut short, are not committed. */
	int closed = status == EXIT_FAILED && file_stdout_closed();
	if (closed)
		status = EXIT_DONE;
	if (status == EXIT_FAILED) {
		print_err("textmill: run failed: %s\n", r->failure.p ? r->failure.p : "unknown error");
		/* A failed run reports itself: its summary is written at once. */
		r->host_ctx.publish = NULL;
		if (ro->summary_json && write_summary(r, status, now_seconds() - t0))
			print_err("textmill: summary: %s\n", r->host_ctx.error.p);
	}
	if (!ro->quiet && log_level >= LOG_INFO && !closed)
		print_summary(r, now_seconds() - t0);
	if (status == EXIT_EMPTY && !ro->quiet && log_level >= LOG_WARN)
		print_err("textmill: warning: no documents were read (exit status 4); the outputs are empty\n");
	if (status == EXIT_FAILED && r->placed.len)
		print_err("textmill: already in place: %s; everything else was left as it was\n", r->placed.p);
	else if (status == EXIT_FAILED && !ro->quiet)
		print_err("textmill: no output was committed\n");
	writer_cancel(w);
	progress_json_end(r, status); /* the writer's count is final now */
	reader_stop(rd);              /* before the input it reads from */
	input_close(in);
	release(r);
	guard_stop();
	temps_clear();
	return status;
}
