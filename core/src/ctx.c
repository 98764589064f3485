/* ctx.c -- what the host offers a stage instance: messages and counters. */
#include "host.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *lib_version = TEXTMILL_VERSION;

const char *tm_version(void) { return lib_version; }

void ctx_init(tm_ctx *ctx, const char *stage, const char *label, unsigned worker, unsigned workers, int quiet)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->stage = stage;
	ctx->label = label;
	ctx->worker = worker;
	ctx->workers = workers;
	ctx->quiet = quiet;
}

void ctx_free(tm_ctx *ctx)
{
	buf_free(&ctx->error);
	for (size_t i = 0; i < ctx->n_counters; i++)
		free(ctx->counters[i].name);
	free(ctx->counters);
	ctx->counters = NULL;
	ctx->n_counters = 0;
}

int tm_vfail(tm_ctx *ctx, const char *fmt, va_list ap)
{
	if (!ctx)
		return TM_ERROR;
	if (ctx->error.len) /* the first failure explains the rest */
		return TM_ERROR;
	buf_vprintf(&ctx->error, fmt, ap);
	return TM_ERROR;
}

int tm_fail(tm_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tm_vfail(ctx, fmt, ap);
	va_end(ap);
	return TM_ERROR;
}

void tm_log(tm_ctx *ctx, const char *fmt, ...)
{
	/* a stage's "warning: ..." is a warning; its other notes are info */
	if ((ctx && ctx->quiet) || log_level < (strncmp(fmt, "warning:", 8) ? LOG_INFO : LOG_WARN))
		return;
	buf line = {0};
	buf_printf(&line, "textmill: %s: ", ctx ? ctx->stage : "plugin");
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	buf_putc(&line, '\n');
	print_err("%s", line.p);
	buf_free(&line);
}

void tm_count(tm_ctx *ctx, const char *name, long long delta)
{
	if (!ctx)
		return;
	for (size_t i = 0; i < ctx->n_counters; i++)
		if (!strcmp(ctx->counters[i].name, name)) {
			ctx->counters[i].value += delta;
			return;
		}
	ctx->counters = xrealloc(ctx->counters, (ctx->n_counters + 1) * sizeof *ctx->counters);
	ctx->counters[ctx->n_counters].name = xstrdup(name);
	ctx->counters[ctx->n_counters].first = ctx->order;
	ctx->counters[ctx->n_counters++].value = delta;
}

const char *tm_ctx_stage(const tm_ctx *ctx) { return ctx ? ctx->stage : NULL; }
unsigned tm_ctx_worker(const tm_ctx *ctx) { return ctx ? ctx->worker : 0; }
unsigned tm_ctx_workers(const tm_ctx *ctx) { return ctx ? ctx->workers : 1; }

const char *tm_run_summary(tm_ctx *ctx) { return ctx && ctx->run ? run_summary_now(ctx->run) : "{}"; }
