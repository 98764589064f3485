/* summary.c -- what a run reports: the table on stderr, the JSON summary
 * for scripts (--summary-json, and outputs through tm_run_summary), and
 * the live progress line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "run.h"

/* Where a counter was first counted: its ctx's order then, and, for
 * counters first counted at the same point (the same document, or
 * create() and finish() on each instance), the ctx and its place there. */
typedef struct counter_rank {
	unsigned long long first;
	size_t ctx, pos;
} counter_rank;

static int rank_before(const counter_rank *a, const counter_rank *b)
{
	if (a->first != b->first)
		return a->first < b->first;
	return a->ctx != b->ctx ? a->ctx < b->ctx : a->pos < b->pos;
}

static const tm_ctx *stage_ctx(const stage_run *s, size_t k)
{
	return k < s->n_inst ? &s->ctx[k] : &s->prep_ctx[k - s->n_inst];
}

counter *merged_counters(const stage_run *s, size_t *n)
{
	counter *out = NULL;
	counter_rank *rank = NULL;
	*n = 0;
	size_t n_ctx = (s->ctx ? s->n_inst : 0) + (s->prep_ctx ? s->n_prep : 0);
	for (size_t k = 0; k < n_ctx; k++) {
		const tm_ctx *ctx = stage_ctx(s, k);
		for (size_t c = 0; c < ctx->n_counters; c++) {
			const counter *from = &ctx->counters[c];
			counter_rank r = {from->first, k, c};
			size_t i = 0;
			while (i < *n && strcmp(out[i].name, from->name))
				i++;
			if (i == *n) {
				out = xrealloc(out, (*n + 1) * sizeof *out);
				rank = xrealloc(rank, (*n + 1) * sizeof *rank);
				out[i].name = xstrdup(from->name);
				out[i].value = 0;
				rank[i] = r;
				(*n)++;
			} else if (rank_before(&r, &rank[i])) {
				rank[i] = r;
			}
			out[i].value += from->value;
		}
	}
	/* a handful of counters: insertion sort, keeping the rank beside */
	for (size_t i = 1; i < *n; i++)
		for (size_t j = i; j > 0 && rank_before(&rank[j], &rank[j - 1]); j--) {
			counter c = out[j];
			out[j] = out[j - 1], out[j - 1] = c;
			counter_rank r = rank[j];
			rank[j] = rank[j - 1], rank[j - 1] = r;
		}
	free(rank);
	return out;
}

void counters_free(counter *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].name);
	free(c);
}

void print_summary(const run *r, double seconds)
{
	double mb = (double)r->bytes / 1e6;
	print_err("textmill: %lld documents read: %lld written, %lld dropped, %lld rejected "
		  "(%.2f s, %.2f MB, %.1f MB/s)\n",
		  r->read, r->written, r->dropped, r->rejected, seconds, mb, seconds > 0 ? mb / seconds : 0.0);
	print_err("  %-22s %9s %9s %9s %9s %9s\n", "stage", "in", "kept", "dropped", "rejected", "seconds");
	for (size_t k = 0; k < r->n_st; k++) {
		const stage_run *s = &r->st[k];
		print_err("  %-22s %9lld %9lld %9lld %9lld %9.3f\n", s->name, s->in, s->kept, s->dropped, s->rejected,
			  s->seconds);
		for (size_t i = 0; i < s->n_reasons; i++)
			print_err("      %s %s: %lld\n", s->reasons[i].rejected ? "rejected" : "dropped",
				  s->reasons[i].reason, s->reasons[i].n);
		size_t n;
		counter *c = merged_counters(s, &n);
		for (size_t i = 0; i < n; i++)
			print_err("      %s: %lld\n", c[i].name, c[i].value);
		counters_free(c, n);
	}
}

static void put_key(buf *out, const char *key)
{
	json_put_string(out, key, strlen(key));
	buf_putc(out, ':');
}

static void put_reasons(buf *out, const stage_run *s, int rejected)
{
	buf_putc(out, '{');
	int first = 1;
	for (size_t i = 0; i < s->n_reasons; i++) {
		if (s->reasons[i].rejected != rejected)
			continue;
		if (!first)
			buf_putc(out, ',');
		first = 0;
		put_key(out, s->reasons[i].reason);
		buf_printf(out, "%lld", s->reasons[i].n);
	}
	buf_putc(out, '}');
}

void summary_json(const run *r, const char *status, double seconds, buf *out)
{
	char when[32];
	time_t now = time(NULL);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	buf_puts(out, "{\"textmill\":");
	json_put_string(out, tm_version(), strlen(tm_version()));
	buf_puts(out, ",\"config\":");
	json_put_string(out, r->pc->path, strlen(r->pc->path));
	buf_printf(out, ",\"config_hash\":\"%016llx\",\"status\":\"%s\",\"finished\":\"%s\"", r->config_hash, status,
		   when);
	buf_printf(out, ",\"seconds\":%.3f,\"workers\":%u,\"bytes\":%llu", seconds, r->pc->workers, r->bytes);
	buf_printf(out, ",\"documents\":{\"read\":%lld,\"written\":%lld,\"dropped\":%lld,\"rejected\":%lld}", r->read,
		   r->written, r->dropped, r->rejected);
	buf_puts(out, ",\"stages\":[");
	for (size_t k = 0; k < r->n_st; k++) {
		const stage_run *s = &r->st[k];
		if (!s->label)
			break; /* never created: an earlier stage failed to start */
		buf_puts(out, k ? ",{\"label\":" : "{\"label\":");
		json_put_string(out, s->label, strlen(s->label));
		buf_puts(out, ",\"type\":");
		json_put_string(out, s->name, strlen(s->name));
		buf_printf(out, ",\"in\":%lld,\"kept\":%lld,\"dropped\":%lld,\"rejected\":%lld,\"seconds\":%.3f",
			   s->in, s->kept, s->dropped, s->rejected, s->seconds);
		buf_puts(out, ",\"dropped_by\":");
		put_reasons(out, s, 0);
		buf_puts(out, ",\"rejected_by\":");
		put_reasons(out, s, 1);
		buf_puts(out, ",\"counters\":{");
		size_t n;
		counter *c = merged_counters(s, &n);
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_putc(out, ',');
			put_key(out, c[i].name);
			buf_printf(out, "%lld", c[i].value);
		}
		counters_free(c, n);
		buf_puts(out, "}}");
	}
	buf_puts(out, "]}");
}

const char *status_name(int status)
{
	static const char *const names[] = {"done", "failed", "usage", "rejects", "empty"};
	return status >= 0 && status <= EXIT_EMPTY ? names[status] : "failed";
}

/* While the run goes, the writer thread counts the documents written: the
 * lines before the last leave them out. */
static void progress_json_line(run *r, const char *status, double now, int last)
{
	double elapsed = now - r->started;
	buf line = {0};
	buf_printf(&line, "{\"status\":\"%s\",\"seconds\":%.3f,\"documents\":{\"read\":%lld,", status, elapsed,
		   r->read);
	if (last)
		buf_printf(&line, "\"written\":%lld,", r->written);
	buf_printf(&line, "\"dropped\":%lld,\"rejected\":%lld},\"bytes\":%llu,", r->dropped, r->rejected, r->bytes);
	if (r->total_bytes)
		buf_printf(&line, "\"total_bytes\":%llu,", r->total_bytes);
	else
		buf_puts(&line, "\"total_bytes\":null,");
	buf_printf(&line, "\"documents_per_second\":%.1f,\"mb_per_second\":%.3f}\n",
		   elapsed > 0 ? (double)r->read / elapsed : 0, elapsed > 0 ? (double)r->bytes / 1e6 / elapsed : 0);
	/* a watcher that went away must not stop the run */
	if (fwrite(line.p, 1, line.len, r->progress_json) == line.len)
		fflush(r->progress_json);
	buf_free(&line);
	r->progress_json_at = now;
}

void progress_json_end(run *r, int status)
{
	if (!r->progress_json)
		return;
	progress_json_line(r, status_name(status), now_seconds(), 1);
	fclose(r->progress_json);
	r->progress_json = NULL;
}

void progress_update(run *r, int final)
{
	double now = now_seconds();
	/* the first batch's line at once, so that even a short run says it ran */
	if (r->progress_json && !final && (!r->progress_json_at || now - r->progress_json_at >= PROGRESS_JSON_EVERY))
		progress_json_line(r, "running", now, 0);
	if (!r->progress)
		return;
	if (final) {
		fputs("\r\033[K", stderr); /* leave the line to the summary */
		return;
	}
	if (now - r->progress_at < 0.25)
		return;
	r->progress_at = now;
	double elapsed = now - r->started, mb = (double)r->bytes / 1e6;
	double rate = elapsed > 0 ? mb / elapsed : 0;
	fprintf(stderr, "\r\033[K  %lld documents  %.0f docs/s  %.1f MB  %.1f MB/s", r->read,
		elapsed > 0 ? (double)r->read / elapsed : 0, mb, rate);
	if (r->total_bytes && r->bytes <= r->total_bytes) {
		double done = (double)r->bytes / (double)r->total_bytes;
		double left = rate > 0 ? ((double)(r->total_bytes - r->bytes) / 1e6) / rate : 0;
		fprintf(stderr, "  %.0f%%  %d:%02d left", 100 * done, (int)left / 60, (int)left % 60);
	}
	fflush(stderr);
}

const char *run_summary_now(run *r)
{
	buf_clear(&r->summary);
	summary_json(r, "running", now_seconds() - r->started, &r->summary);
	return r->summary.p;
}
