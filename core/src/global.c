/* global.c -- the host's side of a stage's global phase in a sharded run:
 * the tm_global_* functions, `run --global`, and the merge call of phase 2
 * (docs/distributed.md, docs/writing-plugins.md). */
#include "textmill/kit.h"

#include "global.h"
#include "guard.h"
#include "json.h"
#include "pipeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

int tm_global_mode(const tm_ctx *ctx) { return ctx && ctx->global ? ctx->global->mode : TM_GLOBAL_OFF; }

unsigned tm_global_shard(const tm_ctx *ctx, unsigned *shards)
{
	const global_role *g = ctx ? ctx->global : NULL;
	if (shards)
		*shards = g ? g->shards : 1;
	return g ? g->shard : 0;
}

const char *tm_global_dir(const tm_ctx *ctx) { return ctx && ctx->global ? ctx->global->dir : NULL; }

size_t tm_global_memory(const tm_ctx *ctx) { return ctx && ctx->global ? ctx->global->memory : 0; }

int global_mkdirs(const char *path, buf *err)
{
	if (!kit_mkdirs(path))
		return 0;
	buf_printf(err, "cannot make the folder %s: %s", path, strerror(errno));
	return -1;
}

/* The stage called `label` ("stages.2"), if it has a global phase. */
static const stage_conf *global_stage(const pipeline_conf *pc, const char *label, size_t *index, buf *err)
{
	for (size_t i = 0; i < pc->n_stages; i++) {
		if (strcmp(pc->stages[i].label, label))
			continue;
		if (!(pc->stages[i].entry->type.flags & TM_STAGE_GLOBAL) || !pc->stages[i].entry->type.merge) {
			buf_printf(err, "%s (%s) has no global phase", label, pc->stages[i].entry->type.name);
			return NULL;
		}
		*index = i;
		return &pc->stages[i];
	}
	buf_printf(err, "the config has no stage %s", label);
	return NULL;
}

int global_bind(pipeline_conf *pc, const char *arg, global_role *role, buf *err)
{
	memset(role, 0, sizeof *role);
	char *copy = xstrdup(arg), *label = strchr(copy, ':'), *shard = NULL, *dir = NULL;
	if (label && (shard = strchr(++label, ':')) && (dir = strchr(++shard, ':')))
		*dir++ = 0, shard[-1] = 0, label[-1] = 0;
	unsigned i = 0, n = 0;
	char end;
	int ok = dir && *dir && sscanf(shard, "%u/%u%c", &i, &n, &end) == 2 && i < n &&
		 (!strcmp(copy, "collect") || !strcmp(copy, "apply"));
	if (!ok) {
		buf_printf(
			err,
			"--global expects collect|apply:STAGE:I/N:DIR, e.g. collect:stages.1:0/4:work/global/stages.1, "
			"not '%s'",
			arg);
		free(copy);
		return -1;
	}
	stage_conf *sc = (stage_conf *)global_stage(pc, label, &role->stage, err);
	if (sc && sc->global) {
		buf_printf(err, "--global names %s twice", label);
		sc = NULL;
	}
	if (!sc || global_mkdirs(dir, err)) {
		free(copy);
		return -1;
	}
	role->mode = !strcmp(copy, "collect") ? TM_GLOBAL_COLLECT : TM_GLOBAL_APPLY;
	role->shard = i;
	role->shards = n;
	role->dir = xstrdup(dir);
	sc->global = role;
	free(copy);
	return 0;
}

void global_role_free(global_role *role)
{
	free(role->dir);
	memset(role, 0, sizeof *role);
}

static void counters_json(const tm_ctx *ctx, buf *b)
{
	buf_puts(b, "{");
	for (size_t i = 0; i < ctx->n_counters; i++) {
		if (i)
			buf_puts(b, ",");
		json_put_string(b, ctx->counters[i].name, strlen(ctx->counters[i].name));
		buf_printf(b, ":%lld", ctx->counters[i].value);
	}
	buf_puts(b, "}");
}

int global_merge(pipeline_conf *pc, const char *label, unsigned shards, const char *dir, size_t memory,
		 const char *summary_json, int quiet)
{
	buf err = {0};
	global_role role = {.mode = TM_GLOBAL_MERGE, .shards = shards, .dir = (char *)dir, .memory = memory};
	const stage_conf *sc = global_stage(pc, label, &role.stage, &err);
	if (!sc || global_mkdirs(dir, &err)) {
		print_err("textmill merge: %s\n", err.p);
		buf_free(&err);
		return EXIT_USAGE;
	}
	tm_ctx ctx;
	ctx_init(&ctx, sc->entry->type.name, sc->label, 0, 1, quiet);
	ctx.global = &role;
	double t0 = now_seconds();
	guard_set(sc->label, sc->entry->type.name, NULL);
	int rc = sc->entry->type.merge(&ctx, sc->opts);
	guard_set(NULL, NULL, NULL);
	double seconds = now_seconds() - t0;
	int status = EXIT_DONE;
	if (rc) {
		print_err("textmill merge: %s (%s, %s): %s\n", sc->label, sc->entry->type.name,
			  tm_node_where(sc->node), ctx.error.len ? ctx.error.p : "the merge failed");
		status = EXIT_FAILED;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	if (!rc && !quiet) {
		buf line = {0};
		for (size_t i = 0; i < ctx.n_counters; i++)
			buf_printf(&line, "%s%s %lld", i ? ", " : "", ctx.counters[i].name, ctx.counters[i].value);
		print_err("textmill merge: %s (%s): %u shards in %.2f s, peak memory %.0f MB%s%s\n", sc->label,
			  sc->entry->type.name, shards, seconds, ru.ru_maxrss / 1024.0, line.len ? ": " : "",
			  line.len ? line.p : "");
		buf_free(&line);
	}
	if (!rc && summary_json) {
		buf j = {0};
		buf_puts(&j, "{\"stage\":");
		json_put_string(&j, sc->label, strlen(sc->label));
		buf_puts(&j, ",\"type\":");
		json_put_string(&j, sc->entry->type.name, strlen(sc->entry->type.name));
		buf_printf(&j, ",\"shards\":%u,\"seconds\":%.3f,\"peak_rss_kb\":%ld,\"counters\":", shards, seconds,
			   ru.ru_maxrss);
		counters_json(&ctx, &j);
		buf_puts(&j, "}\n");
		tm_ctx fctx;
		ctx_init(&fctx, "merge", "merge", 0, 1, quiet);
		tm_file *f = tm_file_open(&fctx, summary_json);
		if (!f || tm_file_write(f, j.p, j.len) || tm_file_commit(f)) {
			print_err("textmill merge: %s\n", fctx.error.len ? fctx.error.p : "cannot write the summary");
			status = EXIT_FAILED;
		}
		ctx_free(&fctx);
		buf_free(&j);
	}
	ctx_free(&ctx);
	return status;
}
