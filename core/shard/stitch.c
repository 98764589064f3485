/* stitch.c -- one shard's run summary from its phases' (stitch.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "stitch.h"

static double number(const kit_json *v, const char *path)
{
	const kit_json *x = kit_json_path(v, path);
	return x && x->kind == KIT_JSON_NUMBER ? x->num : 0;
}

static void put_member(buf *out, const kit_json *v, const char *key, int comma)
{
	const kit_json *x = kit_json_get(v, key);
	if (comma)
		buf_putc(out, ',');
	json_put_string(out, key, strlen(key));
	buf_putc(out, ':');
	if (x)
		kit_json_write(out, x);
	else
		buf_puts(out, "null");
	buf_check(out);
}

/* A stage's entry with another label: the config's, not the phase's. */
static void put_stage(buf *out, const kit_json *stage, const char *label)
{
	buf_putc(out, '{');
	for (const kit_json *m = stage->child; m; m = m->next) {
		if (m != stage->child)
			buf_putc(out, ',');
		json_put_string(out, m->key, m->key_len);
		buf_putc(out, ':');
		if (!strcmp(m->key, "label"))
			json_put_string(out, label, strlen(label));
		else
			kit_json_write(out, m);
	}
	buf_putc(out, '}');
	buf_check(out);
}

/* "stages.J" -> J; -1 for the input and the outputs. */
static long stage_index(const kit_json *stage)
{
	const kit_json *l = kit_json_get(stage, "label");
	if (!l || l->kind != KIT_JSON_STRING || strncmp(l->str, "stages.", 7))
		return -1;
	char *end;
	long j = strtol(l->str + 7, &end, 10);
	return *end || j < 0 ? -1 : j;
}

/* The stages of one phase, relabelled from `offset`: the input only in the
 * first, the outputs only in the last; the stage a phase collects for is
 * left out (it passes everything there) and counted where it applies.
 * Returns the config's index of that stage, the next phase's offset. */
static long put_phase(buf *out, const kit_json *run, long offset, int first, int last, int *any)
{
	const kit_json *stages = kit_json_get(run, "stages");
	const kit_json *collector = NULL;
	for (const kit_json *s = stages ? stages->child : NULL; s; s = s->next)
		if (stage_index(s) >= 0)
			collector = s;
	if (last)
		collector = NULL;
	for (const kit_json *s = stages ? stages->child : NULL; s; s = s->next) {
		long j = stage_index(s);
		const kit_json *l = kit_json_get(s, "label");
		int is_input = l && l->kind == KIT_JSON_STRING && !strcmp(l->str, "input");
		if (s == collector || (j < 0 && (is_input ? !first : !last)))
			continue;
		char label[32];
		if (j >= 0)
			snprintf(label, sizeof label, "stages.%ld", offset + j);
		buf_puts(out, *any ? "," : "");
		put_stage(out, s, j >= 0 ? label : l && l->kind == KIT_JSON_STRING ? l->str : "");
		*any = 1;
	}
	return collector ? offset + stage_index(collector) : -1;
}

int shard_stitch(const char *const *texts, const char *const *names, size_t n, buf *out, buf *err)
{
	if (!n) {
		buf_puts(err, "no phase summaries to stitch");
		return -1;
	}
	kit_json **runs = xcalloc(n, sizeof *runs);
	int status = -1;
	for (size_t i = 0; i < n; i++) {
		const char *why = NULL;
		runs[i] = kit_json_parse(texts[i], strlen(texts[i]), &why);
		if (!runs[i] || runs[i]->kind != KIT_JSON_OBJECT || !kit_json_get(runs[i], "stages")) {
			buf_printf(err, "%s is not a run summary (%s)", names[i], why ? why : "no stages");
			goto out;
		}
	}
	const kit_json *p1 = runs[0], *pn = runs[n - 1];
	double seconds = 0, dropped = 0, rejected = 0, workers = 0;
	for (size_t i = 0; i < n; i++) {
		seconds += number(runs[i], "seconds");
		dropped += number(runs[i], "documents.dropped");
		rejected += number(runs[i], "documents.rejected");
		if (number(runs[i], "workers") > workers)
			workers = number(runs[i], "workers");
	}
	buf_putc(out, '{');
	put_member(out, p1, "textmill", 0);
	put_member(out, p1, "config", 1);
	put_member(out, p1, "config_hash", 1);
	put_member(out, pn, "status", 1);
	put_member(out, pn, "finished", 1);
	buf_printf(out, ",\"seconds\":%.3f,\"workers\":%.0f,\"bytes\":%.0f", seconds, workers, number(p1, "bytes"));
	buf_printf(out, ",\"documents\":{\"read\":%.0f,\"written\":%.0f,\"dropped\":%.0f,\"rejected\":%.0f}",
		   number(p1, "documents.read"), number(pn, "documents.written"), dropped, rejected);
	buf_puts(out, ",\"stages\":[");
	long offset = 0;
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		offset = put_phase(out, runs[i], offset, i == 0, i == n - 1, &any);
		if (i + 1 < n && offset < 0) {
			buf_printf(err, "%s has no stage that collects for the next phase, %s", names[i],
				   names[i + 1]);
			goto out;
		}
	}
	buf_puts(out, "]}");
	status = 0;
out:
	for (size_t i = 0; i < n; i++)
		kit_json_free(runs[i]);
	free(runs);
	return status;
}
