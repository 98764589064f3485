/* plan.c -- the phases of a sharded run and their commands (plan.h). */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void shard_sh_quote(buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

int shard_safe_path(const char *s)
{
	for (; *s; s++)
		if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') ||
		      strchr("._/@+=~-", *s)))
			return 0;
	return 1;
}

/* A config node as flow YAML that `--set` parses back to the same node. */
static void flow_of(const tm_node *n, buf *out)
{
	buf tmp = {0};
	node_print_flow(n, &tmp);
	for (const char *p = tmp.p ? tmp.p : ""; *p; p++) { /* --set expands ${VAR}: keep a literal ${ */
		if (p[0] == '$' && p[1] == '{')
			buf_putc(out, '$');
		buf_putc(out, *p);
	}
	buf_free(&tmp);
}

static int is_global(const stage_conf *sc) { return (sc->entry->type.flags & TM_STAGE_GLOBAL) != 0; }

/* Per output, a file name for WORK/out/shard-NNNNN/: the configured one's
 * last part, made safe; numbered when two are alike. */
static int out_names(shard_plan *pl, const pipeline_conf *pc, buf *err)
{
	pl->n_outputs = pc->n_outputs;
	pl->out_names = xcalloc(pc->n_outputs + 1, sizeof *pl->out_names);
	for (size_t i = 0; i < pc->n_outputs; i++) {
		const char *path = tm_opt_string(pc->outputs[i].opts, "path");
		if (!path || !strcmp(path, "-")) {
			buf_printf(err, "%s (%s) %s; a sharded run writes each shard's outputs to files in WORK/out",
				   pc->outputs[i].label, pc->outputs[i].entry->type.name,
				   path ? "writes to standard output" : "has no path option");
			return -1;
		}
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		buf nm = {0};
		for (const char *c = base; *c; c++)
			buf_putc(&nm, shard_safe_path((char[]){*c, 0}) ? *c : '_');
		for (size_t j = 0; j < i; j++)
			if (!strcmp(pl->out_names[j], nm.p)) {
				char *numbered = xasprintf("%zu-%s", i, nm.p);
				buf_free(&nm);
				buf_puts(&nm, numbered);
				free(numbered);
				break;
			}
		pl->out_names[i] = nm.p;
	}
	return 0;
}

static void add_sets(buf *b, const shard_request *rq)
{
	for (size_t i = 0; i < rq->n_sets; i++) {
		buf_puts(b, " \\\n  --set ");
		shard_sh_quote(b, rq->sets[i]);
	}
}

/* --global MODE:STAGE:I/N:DIR; `at` is the stage's label in the phase's
 * own stage list, `stage` its index in the config (which names its folder). */
static void add_global(buf *b, const char *mode, size_t at, size_t stage)
{
	buf_printf(b, " \\\n  --global \"%s:stages.%zu:$shard/$N:$W/global/stages.%zu\"", mode, at, stage);
}

static void tasks_command(shard_phase *ph, const pipeline_conf *pc, const shard_request *rq, const shard_plan *pl,
			  const shard_phase *previous)
{
	buf *b = &ph->command;
	buf_puts(b, "\"$TEXTMILL\" run \"$CONFIG\"");
	add_sets(b, rq);
	if (ph->number == 1) {
		for (size_t i = 0; i < rq->n_inputs; i++) {
			buf_puts(b, " \\\n  -i ");
			shard_sh_quote(b, rq->inputs[i]);
		}
		buf_puts(b, " \\\n  --shard \"$shard/$N\" -j \"$WORKERS\"");
	} else {
		buf_printf(b, " \\\n  -i \"$W/%s/shard-$s.jsonl\" -j \"$WORKERS\"", previous->files);
	}
	if (ph->first > 0 || ph->last + 1 < pc->n_stages) {
		buf l = {0};
		buf_puts(&l, "stages=[");
		for (size_t i = ph->first; i <= ph->last; i++) {
			if (i > ph->first)
				buf_puts(&l, ", ");
			flow_of(pc->stages[i].node, &l);
		}
		buf_puts(&l, "]");
		buf_puts(b, " \\\n  --set ");
		shard_sh_quote(b, l.p);
		buf_free(&l);
	}
	if (ph->applies != SHARD_NO_STAGE)
		add_global(b, "apply", ph->applies - ph->first, ph->applies);
	if (ph->collects != SHARD_NO_STAGE)
		add_global(b, "collect", ph->collects - ph->first, ph->collects);
	buf_printf(b, " \\\n  --set \"rejects=$W/rejects/%s-$s.jsonl\" --summary-json \"$W/stats/%s-$s.json\"",
		   ph->name, ph->name);
	if (ph->collects != SHARD_NO_STAGE) {
		buf_printf(b, " \\\n  -o \"$W/%s/shard-$s.jsonl\"", ph->files);
	} else {
		for (size_t i = 0; i < pl->n_outputs; i++)
			buf_printf(b, " \\\n  --set \"outputs.%zu.path=$W/out/shard-$s/%s\"", i, pl->out_names[i]);
	}
}

static void merge_command(shard_phase *ph, const shard_request *rq)
{
	buf *b = &ph->command;
	buf_puts(b, "\"$TEXTMILL\" merge \"$CONFIG\"");
	add_sets(b, rq);
	buf_printf(
		b,
		" \\\n  --stage stages.%zu --shards \"$N\" --dir \"$W/global/stages.%zu\" --memory \"$MERGE_MEMORY\""
		" \\\n  --summary-json \"$W/stats/%s.json\"",
		ph->collects, ph->collects, ph->name);
}

int shard_plan_make(shard_plan *pl, const pipeline_conf *pc, const shard_request *rq, buf *err)
{
	memset(pl, 0, sizeof *pl);
	if (pc->input_stdin) {
		buf_puts(err,
			 "the input is standard input, which cannot be cut into shards; give files (input: paths, "
			 "or -i)");
		return -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < pc->n_stages; i++)
		k += is_global(&pc->stages[i]);
	if (!k) {
		buf_printf(err,
			   "%s has no stage with a global phase (such as the dedup stages); a sharded run needs one, "
			   "or its shards could as well be run with textmill run --shard",
			   pc->path);
		return -1;
	}
	if (out_names(pl, pc, err))
		return -1;
	pl->n_phases = 2 * k + 1;
	pl->phase = xcalloc(pl->n_phases, sizeof *pl->phase);
	size_t from = 0, applies = SHARD_NO_STAGE;
	unsigned p = 0;
	for (size_t i = 0; i <= pc->n_stages; i++) {
		if (i < pc->n_stages && !is_global(&pc->stages[i]))
			continue;
		shard_phase *ph = &pl->phase[p];
		ph->number = ++p;
		ph->kind = SHARD_TASKS;
		snprintf(ph->name, sizeof ph->name, "phase%u", ph->number);
		ph->first = from;
		ph->applies = applies;
		ph->collects = i < pc->n_stages ? i : SHARD_NO_STAGE;
		ph->last = i < pc->n_stages ? i : pc->n_stages - 1;
		ph->title = ph->collects != SHARD_NO_STAGE ? "collect" : "outputs";
		if (ph->collects != SHARD_NO_STAGE)
			snprintf(ph->files, sizeof ph->files, "stage%u", ph->number);
		if (ph->collects != SHARD_NO_STAGE)
			ph->what = xasprintf(
				"shard I through %s%s (%s), which passes every document and collects what its "
				"merge needs; every document that reached it goes to %s/shard-I.jsonl",
				ph->first == ph->last ? "" : "the stages up to ", pc->stages[i].label,
				pc->stages[i].entry->type.name, ph->files);
		else
			ph->what = xasprintf("shard I from %s (%s), which applies the merge's decisions, through the "
					     "stages after it into the outputs in out/shard-I/",
					     pc->stages[applies].label, pc->stages[applies].entry->type.name);
		if (ph->collects == SHARD_NO_STAGE)
			break;
		shard_phase *mg = &pl->phase[p];
		mg->number = ++p;
		mg->kind = SHARD_MERGE;
		if (k == 1)
			snprintf(mg->name, sizeof mg->name, "merge");
		else
			snprintf(mg->name, sizeof mg->name, "merge%u", mg->number);
		mg->title = "merge";
		mg->collects = i;
		mg->applies = SHARD_NO_STAGE;
		mg->what = xasprintf("one job: the merge of %s (%s) over what all the shards collected; it writes "
				     "each shard's decisions",
				     pc->stages[i].label, pc->stages[i].entry->type.name);
		from = applies = i;
	}
	for (size_t i = 0; i < pl->n_phases; i++) {
		shard_phase *ph = &pl->phase[i];
		if (ph->kind == SHARD_MERGE)
			merge_command(ph, rq);
		else
			tasks_command(ph, pc, rq, pl, i ? &pl->phase[i - 2] : NULL);
	}
	return 0;
}

void shard_plan_free(shard_plan *pl)
{
	for (size_t i = 0; i < pl->n_phases; i++) {
		free(pl->phase[i].what);
		buf_free(&pl->phase[i].command);
	}
	free(pl->phase);
	for (size_t i = 0; i < pl->n_outputs; i++)
		free(pl->out_names[i]);
	free(pl->out_names);
	memset(pl, 0, sizeof *pl);
}

const shard_phase *shard_plan_find(const shard_plan *pl, const char *name)
{
	for (size_t i = 0; i < pl->n_phases; i++)
		if (!strcmp(pl->phase[i].name, name))
			return &pl->phase[i];
	return NULL;
}
