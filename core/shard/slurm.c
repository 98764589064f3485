/* slurm.c -- the Slurm driver of a sharded run (docs/distributed.md): it
 * checks the config can run sharded, writes the plan's job scripts into
 * WORK/jobs, submits what is not done (sbatch job arrays chained by
 * afterok), and with --wait follows the jobs (squeue), reports the first
 * failure and cancels the rest. The phases exchange files only; each task
 * writes its files whole and then a done marker, so re-submitting resumes
 * where a run stopped. */
#define _GNU_SOURCE
#include "slurm.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "global.h"
#include "jobs.h"
#include "json.h"
#include "pipeline.h"
#include "plan.h"
#include "proc.h"

#define POLL_US 300000 /* squeue every 0.3 s */

static int say_quiet;

static void say(const char *fmt, ...) TM_PRINTF(1, 2);
static void say(const char *fmt, ...)
{
	if (say_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* ---- a run: the plan and where it lives ------------------------------------- */

typedef struct srun {
	const slurm_opts *o;
	pipeline_conf pc;
	int loaded;
	shard_plan plan;
	char *self, *config, *work, *name, *jobs;
	char key[17];
	unsigned workers;
} srun;

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;
}

static char *absolute(const char *p) { return p[0] == '/' ? xstrdup(p) : realpath(p, NULL); }

/* Create each global stage once in its collect phase, as `textmill check`
 * creates every stage: what a stage cannot do sharded (an index the shards
 * would share) is refused before anything is submitted. */
static int check_collect(srun *r)
{
	const pipeline_conf *pc = &r->pc;
	int rc = 0;
	for (size_t i = 0; i < pc->n_stages && !rc; i++) {
		const stage_conf *sc = &pc->stages[i];
		if (!(sc->entry->type.flags & TM_STAGE_GLOBAL))
			continue;
		global_role role = {.mode = TM_GLOBAL_COLLECT, .shards = r->o->shards, .stage = i};
		role.dir = xasprintf("%s/global/%s", r->work, sc->label);
		buf err = {0};
		if (global_mkdirs(role.dir, &err)) {
			fprintf(stderr, "textmill slurm: %s\n", err.p);
			rc = -1;
		} else {
			tm_ctx ctx;
			ctx_init(&ctx, sc->entry->type.name, sc->label, 0, 1, 1);
			ctx.global = &role;
			void *state = NULL;
			if (sc->entry->type.create(&ctx, sc->opts, &state)) {
				fprintf(stderr, "textmill slurm: %s (%s, %s) cannot run sharded: %s\n", sc->label,
					sc->entry->type.name, tm_node_where(sc->node),
					ctx.error.len ? ctx.error.p : "create failed");
				rc = -1;
			}
			if (sc->entry->type.destroy)
				sc->entry->type.destroy(state);
			ctx_free(&ctx);
		}
		buf_free(&err);
		free(role.dir);
	}
	return rc;
}

static int srun_make(srun *r, const slurm_opts *o)
{
	r->o = o;
	buf err = {0};
	if (config_load(&r->pc, o->config, &o->ov, &err)) {
		fprintf(stderr, "textmill: %s\n", err.p ? err.p : "invalid config");
		buf_free(&err);
		return -1;
	}
	r->loaded = 1;
	char **inputs = xcalloc(o->ov.n_inputs + 1, sizeof *inputs);
	for (size_t i = 0; i < o->ov.n_inputs; i++) {
		char *abs = absolute(o->ov.inputs[i]);
		inputs[i] = abs ? abs : xstrdup(o->ov.inputs[i]);
	}
	shard_request rq = {o->shards, o->ov.sets, o->ov.n_sets, (const char *const *)inputs, o->ov.n_inputs};
	int rc = shard_plan_make(&r->plan, &r->pc, &rq, &err);
	for (size_t i = 0; i < o->ov.n_inputs; i++)
		free(inputs[i]);
	free(inputs);
	if (rc) {
		fprintf(stderr, "textmill slurm: %s\n", err.p);
		buf_free(&err);
		return -1;
	}
	r->self = proc_self();
	if (!r->self) {
		fprintf(stderr, "textmill slurm: cannot find the textmill program itself (/proc/self/exe)\n");
		return -1;
	}
	r->config = realpath(o->config, NULL);
	const char *base = strrchr(o->config, '/') ? strrchr(o->config, '/') + 1 : o->config;
	buf nm = {0};
	for (const char *c = base; *c && strcmp(c, ".yaml") && strcmp(c, ".yml"); c++)
		buf_putc(&nm, (('a' <= *c && *c <= 'z') || ('A' <= *c && *c <= 'Z') || ('0' <= *c && *c <= '9') ||
			       *c == '-' || *c == '_')
				      ? *c
				      : '_');
	r->name = nm.p ? nm.p : xstrdup("textmill");
	char *work = o->work ? xstrdup(o->work) : xasprintf("%s.slurm", r->name);
	if (global_mkdirs(work, &err)) {
		fprintf(stderr, "textmill slurm: cannot make the work folder: %s\n", err.p);
		buf_free(&err);
		free(work);
		return -1;
	}
	r->work = realpath(work, NULL);
	free(work);
	if (!r->config || !r->work) {
		fprintf(stderr, "textmill slurm: cannot resolve %s: %s\n", r->config ? "the work folder" : o->config,
			strerror(errno));
		return -1;
	}
	if (!shard_safe_path(r->work)) {
		fprintf(stderr,
			"textmill slurm: the work folder %s has characters the job scripts cannot take "
			"unquoted; use a path of letters, digits and ._/@+=~-\n",
			r->work);
		return -1;
	}
	r->jobs = xasprintf("%s/jobs", r->work);
	r->workers = o->ov.workers ? o->ov.workers : o->cpus;
	/* the fingerprint of everything that decides the results */
	buf fp = {0};
	buf_printf(&fp, "textmill %s\nshards %u\nconfig %s\n", tm_version(), o->shards, r->config);
	node_print_flow(r->pc.root, &fp);
	for (size_t i = 0; i < o->ov.n_inputs; i++)
		buf_printf(&fp, "\n-i %s", o->ov.inputs[i]);
	snprintf(r->key, sizeof r->key, "%016llx", (unsigned long long)fnv(0xcbf29ce484222325ULL, fp.p));
	buf_free(&fp);
	return check_collect(r);
}

static void srun_free(srun *r)
{
	shard_plan_free(&r->plan);
	if (r->loaded)
		config_free(&r->pc);
	free(r->self);
	free(r->config);
	free(r->work);
	free(r->name);
	free(r->jobs);
}

/* ---- state in WORK ------------------------------------------------------------- */

static int done_marker(const srun *r, const char *name, double *start, double *end)
{
	char *p = xasprintf("%s/done/%s", r->work, name);
	char *text = proc_read_file(p);
	free(p);
	if (!text)
		return 0;
	char key[64];
	double s = 0, e = 0;
	int ok = sscanf(text, "%63s %lf %lf", key, &s, &e) == 3 && !strcmp(key, r->key);
	free(text);
	if (ok && start)
		*start = s, *end = e;
	return ok;
}

/* The done marker of a phase's task: NAME-NNNNN, or NAME for a merge. */
static void task_name(const shard_phase *ph, unsigned shard, char out[32])
{
	if (ph->kind == SHARD_MERGE)
		snprintf(out, 32, "%s", ph->name);
	else
		snprintf(out, 32, "%s-%05u", ph->name, shard);
}

static int task_done(const srun *r, const shard_phase *ph, unsigned shard)
{
	char name[32];
	task_name(ph, shard, name);
	return done_marker(r, name, NULL, NULL);
}

/* A number in a JSON object read with the host's scanner: text's member
 * `key`, or with `sub` that member's member; dflt if there is none. */
static double json_member(const char *text, const char *key, const char *sub, double dflt)
{
	if (!text)
		return dflt;
	json_cursor c = {.p = text, .start = text, .end = text + strlen(text)};
	for (int depth = 0; depth < 2; depth++) {
		json_skip_ws(&c);
		if (c.p >= c.end || *c.p != '{')
			return dflt;
		c.p++;
		const char *want = depth ? sub : key;
		for (;;) {
			json_skip_ws(&c);
			if (c.p >= c.end || *c.p != '"')
				return dflt;
			buf name = {0};
			int bad = json_read_string(&c, &name);
			int match = !bad && name.p && !strcmp(name.p, want);
			buf_free(&name);
			json_skip_ws(&c);
			if (bad || c.p >= c.end || *c.p++ != ':')
				return dflt;
			json_skip_ws(&c);
			if (match)
				break;
			if (json_skip_value(&c))
				return dflt;
			json_skip_ws(&c);
			if (c.p >= c.end || *c.p++ != ',')
				return dflt;
		}
		if (!sub)
			break;
	}
	char *end;
	double v = strtod(c.p, &end);
	return end == c.p ? dflt : v;
}

static char *read_stats(const srun *r, const char *name)
{
	char *p = xasprintf("%s/stats/%s.json", r->work, name);
	char *text = proc_read_file(p);
	free(p);
	return text;
}

/* ---- jobs: what was submitted --------------------------------------------------- */

typedef struct job {
	const shard_phase *ph;
	long id;
	unsigned base;
	unsigned *shards; /* tasks */
	size_t n;
} job;

typedef struct jobs {
	job *j;
	size_t n;
} jobs;

static void jobs_free(jobs *js)
{
	for (size_t i = 0; i < js->n; i++)
		free(js->j[i].shards);
	free(js->j);
	memset(js, 0, sizeof *js);
}

/* "0-3,7,9-10" relative to base, into shard numbers. */
static int parse_spec(job *jb, const char *spec)
{
	const char *p = spec;
	while (*p) {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;
		if (end == p)
			return -1;
		p = end;
		if (*p == '-') {
			b = strtoul(p + 1, &end, 10);
			if (end == p + 1 || b < a)
				return -1;
			p = end;
		}
		for (unsigned long x = a; x <= b; x++) {
			jb->shards = xrealloc(jb->shards, (jb->n + 1) * sizeof *jb->shards);
			jb->shards[jb->n++] = jb->base + (unsigned)x;
		}
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return 0;
}

/* Lines "PHASE ID BASE SPEC" (a job array of the phase) and "MERGE ID". */
static void parse_jobs(const srun *r, const char *text, jobs *js)
{
	const char *line = text;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char *l = nl ? xstrndup(line, (size_t)(nl - line)) : xstrdup(line);
		line = nl ? nl + 1 : NULL;
		char what[32], spec[4096];
		long id;
		unsigned base;
		job jb = {0};
		int n = sscanf(l, "%31s %ld %u %4095s", what, &id, &base, spec);
		free(l);
		jb.ph = n >= 2 ? shard_plan_find(&r->plan, what) : NULL;
		if (!jb.ph || (jb.ph->kind == SHARD_TASKS && n != 4))
			continue;
		jb.id = id;
		if (jb.ph->kind == SHARD_TASKS) {
			jb.base = base;
			if (parse_spec(&jb, spec)) {
				free(jb.shards);
				continue;
			}
		}
		js->j = xrealloc(js->j, (js->n + 1) * sizeof *js->j);
		js->j[js->n++] = jb;
	}
}

/* Job ids of js still known to Slurm and not finished. */
static void active_ids(const jobs *js, buf *ids)
{
	if (!js->n)
		return;
	buf list = {0};
	for (size_t i = 0; i < js->n; i++)
		buf_printf(&list, "%s%ld", i ? "," : "", js->j[i].id);
	char *argv[] = {"squeue", "-h", "-j", list.p, "-o", "%F", NULL};
	buf out = {0}, err = {0};
	if (proc_run(argv, &out, &err) == 0 && out.p) {
		char *save = NULL;
		for (char *t = strtok_r(out.p, "\n", &save); t; t = strtok_r(NULL, "\n", &save))
			if (!ids->p || !strstr(ids->p, t))
				buf_printf(ids, "%s%s", ids->len ? "," : "", t);
	}
	buf_free(&out);
	buf_free(&err);
	buf_free(&list);
}

static unsigned cluster_max_array(void)
{
	char *argv[] = {"scontrol", "show", "config", NULL};
	buf out = {0}, err = {0};
	unsigned v = 1001;
	if (proc_run(argv, &out, &err) == 0 && out.p) {
		const char *p = strstr(out.p, "MaxArraySize");
		if (p && (p = strchr(p, '=')))
			v = (unsigned)strtoul(p + 1, NULL, 10);
	}
	buf_free(&out);
	buf_free(&err);
	return v ? v : 1001;
}

/* Append the array submissions of shards[0..n) of phase ph to the script,
 * split so that no array has more than max tasks or an index of max or
 * more; their variables go to names, for the next phase's dependency. */
static void submit_arrays(buf *b, const shard_phase *ph, const unsigned *shards, size_t n, unsigned max,
			  const char *dep, const char *jobsdir, buf *names)
{
	size_t i = 0, part = 0;
	while (i < n) {
		unsigned base = shards[i];
		size_t j = i;
		while (j < n && shards[j] - base < max && j - i < max)
			j++;
		buf spec = {0};
		for (size_t a = i; a < j;) {
			size_t z = a;
			while (z + 1 < j && shards[z + 1] == shards[z] + 1)
				z++;
			if (spec.len)
				buf_putc(&spec, ',');
			if (z == a)
				buf_printf(&spec, "%u", shards[a] - base);
			else
				buf_printf(&spec, "%u-%u", shards[a] - base, shards[z] - base);
			a = z + 1;
		}
		buf_printf(b, "p%u_%zu=$(sb --array=%s --export=ALL,TM_SHARD_BASE=%u%s%s %s/%s.sh)\n", ph->number,
			   part, spec.p ? spec.p : "", base, dep && *dep ? " --dependency=afterok:" : "",
			   dep ? dep : "", jobsdir, ph->name);
		buf_printf(b, "echo \"%s $p%u_%zu %u %s\"\n", ph->name, ph->number, part, base, spec.p ? spec.p : "");
		buf_printf(names, "%s$p%u_%zu", names->len ? ":" : "", ph->number, part);
		buf_free(&spec);
		i = j;
		part++;
	}
}

/* ---- following the jobs ------------------------------------------------------------ */

static volatile sig_atomic_t interrupted;
static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

typedef struct task {
	const shard_phase *ph;
	unsigned shard;
	long job;       /* the array job (or the merge's id) */
	unsigned index; /* the array task index */
	char state[32];
	char reason[64];
	int final, reported, missing;
} task;

static int is_final(const char *st)
{
	static const char *const finals[] = {"COMPLETED",     "FAILED",       "CANCELLED", "TIMEOUT",
					     "OUT_OF_MEMORY", "NODE_FAIL",    "BOOT_FAIL", "DEADLINE",
					     "PREEMPTED",     "SPECIAL_EXIT", "REVOKED"};
	for (size_t i = 0; i < sizeof finals / sizeof *finals; i++)
		if (!strcmp(st, finals[i]))
			return 1;
	return 0;
}

/* "phase 1", "merge" (or "merge 2" when there are several). */
static void phase_label(const srun *r, const shard_phase *ph, char out[32])
{
	if (ph->kind == SHARD_TASKS)
		snprintf(out, 32, "phase %u", ph->number);
	else if (r->plan.n_phases == 3)
		snprintf(out, 32, "merge");
	else
		snprintf(out, 32, "merge %u", ph->number);
}

static void print_tail(const char *path, int lines)
{
	char *text = proc_read_file(path);
	if (!text)
		return;
	size_t n = strlen(text);
	while (n && text[n - 1] == '\n')
		n--;
	size_t start = n;
	for (int k = 0; k < lines && start > 0;) {
		start--;
		if (text[start] == '\n' && ++k == lines) {
			start++;
			break;
		}
	}
	fprintf(stderr, "  --- last lines of %s ---\n", path);
	fwrite(text + start, 1, n - start, stderr);
	fputs("\n", stderr);
	free(text);
}

static void report_failure(const srun *r, const task *t)
{
	char name[32], label[32], id[64];
	task_name(t->ph, t->shard, name);
	phase_label(r, t->ph, label);
	char *log = xasprintf("%s/logs/%s.log", r->work, name);
	buf what = {0};
	if (t->ph->kind == SHARD_MERGE) {
		buf_printf(&what, "the %s (job %ld)", label, t->job);
		snprintf(id, sizeof id, "%ld", t->job);
	} else {
		buf_printf(&what, "%s, shard %u (job %ld_%u)", label, t->shard, t->job, t->index);
		snprintf(id, sizeof id, "%ld_%u", t->job, t->index);
	}
	char *argv[] = {"scontrol", "show", "job", "-o", id, NULL};
	buf out = {0}, err = {0};
	char exitcode[32] = "";
	if (proc_run(argv, &out, &err) == 0 && out.p) {
		const char *p = strstr(out.p, "ExitCode=");
		if (p)
			sscanf(p + 9, "%31s", exitcode);
	}
	fprintf(stderr, "textmill slurm: %s %s%s%s%s; log: %s\n", what.p, t->state, exitcode[0] ? " (exit code " : "",
		exitcode, exitcode[0] ? ")" : "", log);
	if (strcmp(t->reason, "None") && t->reason[0])
		fprintf(stderr, "  Slurm's reason: %s\n", t->reason);
	if (access(log, R_OK) == 0) {
		print_tail(log, 12);
	} else {
		char *sl = t->ph->kind == SHARD_MERGE
				   ? xasprintf("%s/logs/slurm/%s-%s-%ld.out", r->work, r->name, t->ph->name, t->job)
				   : xasprintf("%s/logs/slurm/%s-%s-%ld_%u.out", r->work, r->name, t->ph->name,
					       t->job, t->index);
		fprintf(stderr, "  (the task wrote no log; Slurm's output: %s)\n", sl);
		print_tail(sl, 12);
		free(sl);
	}
	buf_free(&out);
	buf_free(&err);
	buf_free(&what);
	free(log);
}

static void scancel_all(const jobs *js)
{
	if (!js->n)
		return;
	char **argv = xcalloc(js->n + 2, sizeof *argv);
	argv[0] = "scancel";
	for (size_t i = 0; i < js->n; i++)
		argv[i + 1] = xasprintf("%ld", js->j[i].id);
	buf out = {0}, err = {0};
	proc_run(argv, &out, &err);
	for (size_t i = 0; i < js->n; i++)
		free(argv[i + 1]);
	free(argv);
	buf_free(&out);
	buf_free(&err);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The one page of all the shards where the config asks for a report:
 * `textmill report` over the work folder (the shards' documents and their
 * phases' summaries), into WORK/out/NAME with the config's page options. */
/* One page, or one database, for all the shards: `textmill report` over
 * the work folder, for each output.report (with its options) and each
 * output.sqlite of the config, into WORK/out/NAME. */
static void combined_outputs(const srun *r)
{
	for (size_t i = 0; i < r->pc.n_outputs; i++) {
		const stage_conf *oc = &r->pc.outputs[i];
		int page = !strcmp(oc->entry->type.name, "output.report");
		if (!page && strcmp(oc->entry->type.name, "output.sqlite"))
			continue;
		char *path = xasprintf("%s/out/%s", r->work, r->plan.out_names[i]);
		size_t n = 0, max = 6 + 2 * tm_node_len(oc->node);
		char **argv = xcalloc(max + 1, sizeof *argv);
		argv[n++] = xstrdup(r->self), argv[n++] = xstrdup("report"), argv[n++] = xstrdup("-q");
		argv[n++] = xstrdup(page ? "-o" : "--db"), argv[n++] = xstrdup(path);
		for (size_t k = 0; page && k < tm_node_len(oc->node); k++) {
			const char *key = tm_node_key(oc->node, k);
			if (!strcmp(key, "type") || !strcmp(key, "path"))
				continue;
			buf set = {0};
			buf_printf(&set, "%s=", key);
			node_print_flow(tm_node_child(oc->node, k), &set);
			argv[n++] = xstrdup("--set"), argv[n++] = set.p;
		}
		argv[n++] = xstrdup(r->work);
		buf err = {0};
		if (proc_run(argv, NULL, &err) == 0)
			say("  %s: %s (all %u shards in one %s)\n", page ? "report" : "database", path, r->o->shards,
			    page ? "page" : "database");
		else
			fprintf(stderr, "textmill slurm: the %s of all the shards failed: %s",
				page ? "report" : "database", err.p ? err.p : "\n");
		buf_free(&err);
		for (size_t k = 0; k < n; k++)
			free(argv[k]);
		free(argv);
		free(path);
	}
}

/* The end: documents in and out, and per phase its wall time and tasks. */
static void summary(const srun *r, double elapsed)
{
	const shard_plan *pl = &r->plan;
	unsigned n = r->o->shards;
	const shard_phase *last = &pl->phase[pl->n_phases - 1];
	double docs_in = 0, rejected = 0, written = 0, dropped = 0, duplicates = 0;
	for (size_t p = 0; p < pl->n_phases; p++) {
		const shard_phase *ph = &pl->phase[p];
		if (ph->kind == SHARD_MERGE) {
			char *m = read_stats(r, ph->name);
			duplicates += json_member(m, "counters", "duplicates", 0);
			free(m);
			continue;
		}
		for (unsigned i = 0; i < n; i++) {
			char name[32];
			task_name(ph, i, name);
			char *j = read_stats(r, name);
			if (ph->number == 1)
				docs_in += json_member(j, "documents", "read", 0);
			rejected += json_member(j, "documents", "rejected", 0);
			if (ph == last) {
				written += json_member(j, "documents", "written", 0);
				dropped += json_member(j, "documents", "dropped", 0);
			}
			free(j);
		}
	}
	fprintf(stderr,
		"textmill slurm: done: %u shards, %.0f documents read, %.0f written, %.0f dropped in phase %u (%.0f as "
		"duplicates), %.0f rejected",
		n, docs_in, written, dropped, last->number, duplicates, rejected);
	if (elapsed > 0) /* not when it was all done before this command */
		fprintf(stderr, "; followed for %.1f s", elapsed);
	fputc('\n', stderr);
	fprintf(stderr, "  phase          tasks   wall s   task s: min / median / max\n");
	double *times = xcalloc(n + 1, sizeof *times);
	for (size_t p = 0; p < pl->n_phases; p++) {
		const shard_phase *ph = &pl->phase[p];
		unsigned tasks = ph->kind == SHARD_MERGE ? 1 : n;
		double first = 0, end = 0;
		size_t k = 0;
		for (unsigned i = 0; i < tasks; i++) {
			char name[32];
			double s, e;
			task_name(ph, i, name);
			if (!done_marker(r, name, &s, &e))
				continue;
			if (!k || s < first)
				first = s;
			if (!k || e > end)
				end = e;
			times[k++] = e - s;
		}
		if (!k)
			continue;
		qsort(times, k, sizeof *times, cmp_double);
		char label[32];
		snprintf(label, sizeof label, "%u %s", ph->number, ph->title);
		fprintf(stderr, "  %-13s %6u %8.1f   %8.1f / %.1f / %.1f", label, tasks, end - first, times[0],
			times[k / 2], times[k - 1]);
		if (ph->kind == SHARD_MERGE) {
			char *m = read_stats(r, ph->name);
			if (m)
				fprintf(stderr, "   (%.0f documents, peak memory %.0f MB)",
					json_member(m, "counters", "documents", 0),
					json_member(m, "peak_rss_kb", NULL, 0) / 1024);
			free(m);
		}
		fputc('\n', stderr);
	}
	free(times);
	fprintf(stderr, "  outputs: %s/out/shard-NNNNN/", r->work);
	for (size_t i = 0; i < pl->n_outputs; i++)
		fprintf(stderr, "%s%s", i ? ", " : "", pl->out_names[i]);
	fprintf(stderr, " (in shard order, they are one run's output)\n");
	combined_outputs(r);
}

static void say_done(const srun *r, const task *x, double t0)
{
	char name[32], label[32];
	double s = 0, e = 0;
	task_name(x->ph, x->shard, name);
	phase_label(r, x->ph, label);
	done_marker(r, name, &s, &e);
	char *js = read_stats(r, name);
	if (x->ph->kind == SHARD_MERGE)
		say("[%7.1fs] %s: done in %.1f s: %.0f documents, %.0f duplicates, peak memory %.0f MB\n",
		    now_seconds() - t0, label, e - s, json_member(js, "counters", "documents", 0),
		    json_member(js, "counters", "duplicates", 0), json_member(js, "peak_rss_kb", NULL, 0) / 1024);
	else
		say("[%7.1fs] %s, shard %u: done in %.1f s (%.0f documents read, %.0f written)\n", now_seconds() - t0,
		    label, x->shard, e - s, json_member(js, "documents", "read", 0),
		    json_member(js, "documents", "written", 0));
	free(js);
}

/* squeue's word on every task of ids; -1 if squeue failed. */
static int poll_squeue(const char *ids, task *t, size_t nt, buf *err)
{
	char *argv[] = {"squeue", "-h", "-r", "--states=all", "-j", (char *)ids, "-o", "%F|%K|%T|%r", NULL};
	buf out = {0};
	int rc = proc_run(argv, &out, err);
	if (rc != 0 && err->p && strstr(err->p, "Invalid job id"))
		rc = 0; /* Slurm has forgotten every one of them: the done markers tell */
	if (rc != 0) {
		buf_free(&out);
		return -1;
	}
	for (size_t i = 0; i < nt; i++)
		t[i].missing++;
	char *save = NULL;
	for (char *line = out.p ? strtok_r(out.p, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		char f1[32], f2[32], f3[32], f4[64] = "";
		if (sscanf(line, "%31[^|]|%31[^|]|%31[^|]|%63[^\n]", f1, f2, f3, f4) < 3)
			continue;
		long jid = strtol(f1, NULL, 10);
		int arr = strcmp(f2, "N/A") != 0;
		unsigned idx = arr ? (unsigned)strtoul(f2, NULL, 10) : 0;
		for (size_t i = 0; i < nt; i++) {
			task *x = &t[i];
			if (x->job != jid || (arr && x->index != idx))
				continue;
			x->missing = 0;
			if (!x->final) {
				snprintf(x->state, sizeof x->state, "%s", f3);
				snprintf(x->reason, sizeof x->reason, "%s", f4);
				x->final = is_final(f3);
			}
		}
	}
	buf_free(&out);
	return 0;
}

/* Follow js until every task is done (0) or one fails (1). */
static int follow(const srun *r, const jobs *js)
{
	const slurm_opts *o = r->o;
	size_t np = r->plan.n_phases;
	task *t = NULL;
	size_t nt = 0;
	for (size_t i = 0; i < js->n; i++) {
		const job *jb = &js->j[i];
		size_t m = jb->ph->kind == SHARD_MERGE ? 1 : jb->n;
		t = xrealloc(t, (nt + m) * sizeof *t);
		for (size_t k = 0; k < m; k++) {
			task *x = &t[nt++];
			memset(x, 0, sizeof *x);
			x->ph = jb->ph;
			x->job = jb->id;
			x->shard = jb->ph->kind == SHARD_MERGE ? 0 : jb->shards[k];
			x->index = jb->ph->kind == SHARD_MERGE ? 0 : jb->shards[k] - jb->base;
			snprintf(x->state, sizeof x->state, "PENDING");
		}
	}
	buf ids = {0};
	for (size_t i = 0; i < js->n; i++)
		buf_printf(&ids, "%s%ld", i ? "," : "", js->j[i].id);
	struct sigaction sa = {0}, old_int, old_term;
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	double t0 = now_seconds(), last_ok = t0;
	int status = -1;
	unsigned(*counts)[3] = xcalloc(np + 1, sizeof *counts), (*before)[3] = xcalloc(np + 1, sizeof *before);
	memset(before, 0xff, (np + 1) * sizeof *before);
	while (status < 0) {
		if (interrupted) {
			fprintf(stderr,
				"textmill slurm: stopped following; the jobs go on (follow them again with: textmill "
				"slurm --resume %s --wait)\n",
				r->work);
			status = 130;
			break;
		}
		buf err = {0};
		if (poll_squeue(ids.p, t, nt, &err)) {
			if (now_seconds() - last_ok > 120) {
				fprintf(stderr, "textmill slurm: squeue has failed for two minutes: %s\n",
					err.p ? err.p : "no message");
				status = 1;
			}
			buf_free(&err);
			usleep(POLL_US);
			continue;
		}
		buf_free(&err);
		last_ok = now_seconds();
		/* tasks Slurm no longer lists: their done markers say how they ended */
		for (size_t i = 0; i < nt; i++) {
			task *x = &t[i];
			if (x->final || x->missing < 10)
				continue;
			x->final = 1;
			snprintf(x->state, sizeof x->state, "%s",
				 task_done(r, x->ph, x->shard) ? "COMPLETED" : "VANISHED");
		}
		for (size_t i = 0; i < nt && status < 0; i++) {
			task *x = &t[i];
			if (!x->final || x->reported)
				continue;
			x->reported = 1;
			if (strcmp(x->state, "COMPLETED")) {
				report_failure(r, x);
				status = 1;
			} else if (!o->quiet) {
				say_done(r, x, t0);
			}
		}
		if (status >= 0)
			break;
		/* counts per phase, printed when they change */
		memset(counts, 0, (np + 1) * sizeof *counts);
		int all = 1;
		for (size_t i = 0; i < nt; i++) {
			task *x = &t[i];
			int c = x->final                                                          ? 2
				: !strcmp(x->state, "RUNNING") || !strcmp(x->state, "COMPLETING") ? 1
												  : 0;
			counts[x->ph->number][c]++;
			all &= x->final;
		}
		for (size_t p = 0; p < np; p++) {
			unsigned *c = counts[p + 1], total = c[0] + c[1] + c[2];
			char label[32];
			phase_label(r, &r->plan.phase[p], label);
			if (memcmp(c, before[p + 1], sizeof *counts) && total && c[2] < total)
				say("[%7.1fs] %s: %u done, %u running, %u pending\n", now_seconds() - t0, label, c[2],
				    c[1], c[0]);
		}
		memcpy(before, counts, (np + 1) * sizeof *counts);
		if (all) {
			status = 0;
			break;
		}
		usleep(POLL_US);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (status == 1) {
		scancel_all(js);
		fprintf(stderr,
			"textmill slurm: cancelled the run's other jobs. Fix the cause, then submit what is not "
			"done:\n  textmill slurm --resume %s --wait\n",
			r->work);
	}
	const shard_phase *last = &r->plan.phase[np - 1];
	for (unsigned i = 0; status == 0 && i < o->shards; i++)
		if (!task_done(r, last, i)) {
			fprintf(stderr,
				"textmill slurm: the jobs ended, but shard %u has no done marker for phase %u (see "
				"%s/logs/%s-%05u.log)\n",
				i, last->number, r->work, last->name, i);
			status = 1;
		}
	if (status == 0)
		summary(r, now_seconds() - t0);
	free(counts);
	free(before);
	free(t);
	buf_free(&ids);
	return status == 130 ? 1 : status;
}

/* ---- the command --------------------------------------------------------------------- */

/* WORK/jobs/command: the options that make this run, one per line, with
 * absolute paths, for --resume from anywhere. */
static void save_command(const srun *r)
{
	const slurm_opts *o = r->o;
	buf b = {0};
	buf_printf(&b, "--shards\n%u\n--work\n%s\n--cpus\n%u\n", o->shards, r->work, o->cpus);
	const char *const named[][2] = {{"--partition", o->partition}, {"--time", o->time},
					{"--account", o->account},     {"--mem", o->mem},
					{"--merge-mem", o->merge_mem}, {"--merge-tmp", o->merge_tmp}};
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (named[i][1])
			buf_printf(&b, "%s\n%s\n", named[i][0], named[i][1]);
	if (o->max_array)
		buf_printf(&b, "--max-array\n%u\n", o->max_array);
	if (o->ov.workers)
		buf_printf(&b, "--workers\n%u\n", o->ov.workers);
	for (size_t i = 0; i < o->n_sbatch; i++)
		buf_printf(&b, "--sbatch\n%s\n", o->sbatch[i]);
	for (size_t i = 0; i < o->ov.n_sets; i++)
		buf_printf(&b, "--set\n%s\n", o->ov.sets[i]);
	for (size_t i = 0; i < o->ov.n_inputs; i++) {
		char *abs = absolute(o->ov.inputs[i]);
		buf_printf(&b, "--input\n%s\n", abs ? abs : o->ov.inputs[i]);
		free(abs);
	}
	buf_printf(&b, "%s\n", r->config);
	char *p = xasprintf("%s/command", r->jobs);
	jobs_write_file(p, b.p, 0);
	free(p);
	buf_free(&b);
}

static int make_work(const srun *r)
{
	static const char *const dirs[] = {"jobs", "logs", "logs/slurm", "global", "out", "rejects", "stats", "done"};
	buf err = {0};
	int rc = 0;
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs && !rc; i++) {
		char *d = xasprintf("%s/%s", r->work, dirs[i]);
		rc = global_mkdirs(d, &err);
		free(d);
	}
	for (size_t p = 0; p < r->plan.n_phases && !rc; p++)
		if (r->plan.phase[p].files[0]) {
			char *d = xasprintf("%s/%s", r->work, r->plan.phase[p].files);
			rc = global_mkdirs(d, &err);
			free(d);
		}
	for (unsigned i = 0; i < r->o->shards && !rc; i++) {
		char *d = xasprintf("%s/out/shard-%05u", r->work, i);
		rc = global_mkdirs(d, &err);
		free(d);
	}
	if (rc)
		fprintf(stderr, "textmill slurm: %s\n", err.p);
	buf_free(&err);
	return rc;
}

static int write_scripts(const srun *r)
{
	jobs_env env = {r->work, r->jobs, r->name, r->self, r->config, r->key, r->workers};
	return jobs_write(&r->plan, r->o, &env);
}

/* What is not done, per phase: the shards whose tasks must run (a merge: one
 * "shard", 0). A phase runs again in full after an earlier one ran. */
static size_t todo(const srun *r, unsigned **shards, size_t *n)
{
	size_t total = 0;
	int dirty = 0;
	for (size_t p = 0; p < r->plan.n_phases; p++) {
		const shard_phase *ph = &r->plan.phase[p];
		unsigned tasks = ph->kind == SHARD_MERGE ? 1 : r->o->shards;
		shards[p] = xcalloc(tasks, sizeof **shards);
		n[p] = 0;
		for (unsigned i = 0; i < tasks; i++)
			if (dirty || !task_done(r, ph, i))
				shards[p][n[p]++] = i;
		dirty |= n[p] > 0;
		total += n[p];
	}
	return total;
}

int slurm_run(const slurm_opts *o)
{
	srun r = {0};
	int status = EXIT_USAGE;
	buf active = {0}, script = {0}, out = {0};
	jobs prev = {0}, now_jobs = {0};
	char *keyfile = NULL, *subpath = NULL, *sp = NULL;
	unsigned **todo_shards = NULL;
	size_t *todo_n = NULL;
	say_quiet = o->quiet;
	if (srun_make(&r, o))
		goto done;
	if (make_work(&r))
		goto done;
	keyfile = xasprintf("%s/key", r.jobs);
	char *oldkey = proc_read_file(keyfile);
	if (oldkey && strncmp(oldkey, r.key, 16) && !o->restart) {
		fprintf(stderr,
			"textmill slurm: %s holds a run of another config, input or shard count (fingerprint %.16s, "
			"now %s); use another --work, or --restart to discard what it finished\n",
			r.work, oldkey, r.key);
		free(oldkey);
		goto done;
	}
	free(oldkey);
	/* jobs of an earlier submission that are still queued or running */
	subpath = xasprintf("%s/submitted", r.jobs);
	char *subtext = proc_read_file(subpath);
	if (subtext) { /* the latest submission: after the last "# DATE" line */
		const char *last = subtext;
		for (const char *q = subtext; (q = strstr(q, "# ")); q += 2)
			if (q == subtext || q[-1] == '\n')
				last = q;
		parse_jobs(&r, last, &prev);
		free(subtext);
	}
	char *sbatch_path = o->dry_run ? NULL : proc_find("sbatch");
	int have_sbatch = sbatch_path != NULL;
	free(sbatch_path);
	if (have_sbatch)
		active_ids(&prev, &active);
	status = EXIT_FAILED;
	if (active.len) {
		if (o->wait && !o->restart) {
			say("textmill slurm: jobs %s of an earlier submission are still queued or running; following them\n",
			    active.p);
			if (!write_scripts(&r))
				status = follow(&r, &prev);
			goto done;
		}
		fprintf(stderr,
			"textmill slurm: jobs %s of an earlier submission in %s are still queued or running; wait "
			"for them (add --wait to follow them) or scancel them first\n",
			active.p, r.work);
		goto done;
	}
	if (o->restart) {
		char *d = xasprintf("%s/done", r.work);
		char *argv_rm[] = {"rm", "-rf", d, NULL};
		proc_run(argv_rm, NULL, NULL);
		buf err = {0};
		global_mkdirs(d, &err);
		buf_free(&err);
		free(d);
		unlink(subpath);
		jobs_free(&prev);
	}
	if (jobs_write_file(keyfile, r.key, 0))
		goto done;
	save_command(&r);
	if (write_scripts(&r))
		goto done;
	size_t np = r.plan.n_phases;
	todo_shards = xcalloc(np, sizeof *todo_shards);
	todo_n = xcalloc(np, sizeof *todo_n);
	if (!todo(&r, todo_shards, todo_n)) {
		say("textmill slurm: everything in %s is done already (--restart runs it again)\n", r.work);
		summary(&r, 0);
		status = EXIT_DONE;
		goto done;
	}
	unsigned max = o->max_array ? o->max_array : have_sbatch ? cluster_max_array() : 1001;
	time_t tnow = time(NULL);
	char when[64];
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&tnow));
	buf_printf(&script, "#!/usr/bin/env bash\n# submit.sh -- what `textmill slurm` submitted on %s:", when);
	for (size_t p = 0; p < np; p++) {
		char label[32];
		phase_label(&r, &r.plan.phase[p], label);
		if (r.plan.phase[p].kind == SHARD_MERGE)
			buf_printf(&script, "%s %s", p ? "," : "", todo_n[p] ? label : "no merge");
		else
			buf_printf(&script, "%s %s for %zu shard(s)", p ? "," : "", label, todo_n[p]);
	}
	buf_printf(
		&script,
		";\n# arrays of at most %u tasks (MaxArraySize), chained by afterok. Prints one line per job.\n"
		"set -euo pipefail\n"
		"sb() { local out; out=$(sbatch --parsable --export=ALL \"$@\") || exit 1; echo \"${out%%%%;*}\"; }\n",
		max);
	buf dep = {0};
	for (size_t p = 0; p < np; p++) {
		const shard_phase *ph = &r.plan.phase[p];
		if (!todo_n[p])
			continue;
		buf names = {0};
		if (ph->kind == SHARD_TASKS) {
			submit_arrays(&script, ph, todo_shards[p], todo_n[p], max, dep.p, r.jobs, &names);
		} else {
			buf_printf(&script, "m%u=$(sb%s%s %s/%s.sh)\necho \"%s $m%u\"\n", ph->number,
				   dep.len ? " --dependency=afterok:" : "", dep.len ? dep.p : "", r.jobs, ph->name,
				   ph->name, ph->number);
			buf_printf(&names, "$m%u", ph->number);
		}
		buf_free(&dep);
		dep = names;
	}
	buf_free(&dep);
	sp = xasprintf("%s/submit.sh", r.jobs);
	if (jobs_write_file(sp, script.p, 1))
		goto done;
	if (o->dry_run || !have_sbatch) {
		if (!o->dry_run)
			fprintf(stderr,
				"textmill slurm: sbatch not found: this is not a Slurm login node (or Slurm is not on "
				"PATH). The job scripts are in %s;\n  run them here with: bash %s/run-local.sh\n",
				r.jobs, r.jobs);
		else
			say("textmill slurm: wrote the job scripts to %s (submit.sh submits them; run-local.sh runs them "
			    "here)\n",
			    r.jobs);
		status = o->dry_run ? EXIT_DONE : EXIT_FAILED;
		goto done;
	}
	char *argv_sub[] = {"bash", sp, NULL};
	int rc = proc_run(argv_sub, &out, NULL);
	parse_jobs(&r, out.p ? out.p : "", &now_jobs);
	if (out.p) { /* remember them, for the next call */
		char *old = proc_read_file(subpath);
		buf all = {0};
		if (old && !o->restart)
			buf_puts(&all, old);
		buf_printf(&all, "# %s\n%s", when, out.p);
		jobs_write_file(subpath, all.p, 0);
		buf_free(&all);
		free(old);
	}
	if (rc != 0) {
		fprintf(stderr,
			"textmill slurm: submitting failed (sbatch said why, above); cancelling what was submitted\n");
		scancel_all(&now_jobs);
		goto done;
	}
	for (size_t i = 0; i < now_jobs.n; i++) {
		job *jb = &now_jobs.j[i];
		char label[32];
		phase_label(&r, jb->ph, label);
		if (jb->ph->kind == SHARD_MERGE)
			say("textmill slurm: submitted the %s as job %ld\n", label, jb->id);
		else if (jb->n == 1)
			say("textmill slurm: submitted %s as array job %ld: shard %u\n", label, jb->id,
			    jb->shards[0]);
		else
			say("textmill slurm: submitted %s as array job %ld: %zu shards, %u to %u\n", label, jb->id,
			    jb->n, jb->shards[0], jb->shards[jb->n - 1]);
	}
	say("textmill slurm: job scripts and logs in %s\n", r.work);
	status = o->wait ? follow(&r, &now_jobs) : EXIT_DONE;
done:
	for (size_t p = 0; todo_shards && p < r.plan.n_phases; p++)
		free(todo_shards[p]);
	free(todo_shards);
	free(todo_n);
	free(keyfile);
	free(subpath);
	free(sp);
	jobs_free(&prev);
	jobs_free(&now_jobs);
	buf_free(&active);
	buf_free(&script);
	buf_free(&out);
	srun_free(&r);
	return status;
}
