/* jobs.c -- the job scripts of a sharded run from their templates (jobs.h).
 * A template is bash with @KEY@ (capitals and _) where a value goes; every
 * key must get a value, so a template and this file cannot drift apart
 * unnoticed. */
#define _GNU_SOURCE
#include "jobs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "proc.h"

/* The templates: installed beside the program (TM_JOBS_FROM_BIN, relative to
 * its folder), else the source tree's, for a program run from its build. */
static char *templates_dir(void)
{
	struct stat st;
	char *self = proc_self();
	if (self) {
		*strrchr(self, '/') = 0;
		char *dir = xasprintf("%s/%s", self, TM_JOBS_FROM_BIN);
		free(self);
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			return dir;
		free(dir);
	}
	if (stat(TM_JOBS_SOURCE_DIR, &st) == 0 && S_ISDIR(st.st_mode))
		return xstrdup(TM_JOBS_SOURCE_DIR);
	return NULL;
}

typedef struct fill {
	const char *key, *value;
} fill;

/* The template `name` with every @KEY@ replaced; -1 with a message. */
static int fill_template(const char *dir, const char *name, const fill *f, size_t n, buf *out)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *text = proc_read_file(path);
	if (!text) {
		fprintf(stderr, "textmill slurm: cannot read the job template %s: %s\n", path, strerror(errno));
		free(path);
		return -1;
	}
	int rc = 0;
	for (const char *p = text; *p && !rc;) {
		const char *at = strchr(p, '@');
		if (!at) {
			buf_puts(out, p);
			break;
		}
		const char *end = at + 1 + strspn(at + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
		buf_put(out, p, (size_t)(at - p));
		if (*end != '@' || end == at + 1) { /* bash's own @, as in "${list[@]}" */
			buf_putc(out, '@');
			p = at + 1;
			continue;
		}
		size_t len = (size_t)(end - at - 1), i = 0;
		while (i < n && !(strlen(f[i].key) == len && !memcmp(f[i].key, at + 1, len)))
			i++;
		if (i == n) {
			fprintf(stderr, "textmill slurm: %s: unknown placeholder @%.*s@\n", path, (int)len, at + 1);
			rc = -1;
		} else {
			buf_puts(out, f[i].value);
		}
		p = end + 1;
	}
	free(text);
	free(path);
	return rc;
}

int jobs_write_file(const char *path, const char *text, int executable)
{
	tm_ctx ctx;
	ctx_init(&ctx, "slurm", "slurm", 0, 1, 1);
	tm_file *f = tm_file_open(&ctx, path);
	int rc = f && tm_file_write(f, text, strlen(text)) == TM_OK ? tm_file_commit(f)
								    : (tm_file_abort(f), TM_ERROR);
	if (rc == TM_OK && executable && chmod(path, 0755))
		rc = tm_fail(&ctx, "cannot make %s executable: %s", path, strerror(errno));
	if (rc)
		fprintf(stderr, "textmill slurm: %s\n", ctx.error.len ? ctx.error.p : path);
	ctx_free(&ctx);
	return rc ? -1 : 0;
}

static void sbatch_lines(buf *b, const slurm_opts *o, const jobs_env *env, const shard_phase *ph)
{
	int merge = ph->kind == SHARD_MERGE;
	buf_printf(b, "#SBATCH --job-name=%s-%s\n", env->name, ph->name);
	buf_printf(b, "#SBATCH --output=%s/logs/slurm/%%x-%s.out\n", env->work, merge ? "%j" : "%A_%a");
	buf_printf(b, "#SBATCH --cpus-per-task=%u\n", merge ? 1 : o->cpus);
	const char *mem = merge && o->merge_mem ? o->merge_mem : o->mem;
	if (mem)
		buf_printf(b, "#SBATCH --mem=%s\n", mem);
	if (o->partition)
		buf_printf(b, "#SBATCH --partition=%s\n", o->partition);
	if (o->time)
		buf_printf(b, "#SBATCH --time=%s\n", o->time);
	if (o->account)
		buf_printf(b, "#SBATCH --account=%s\n", o->account);
	for (size_t i = 0; i < o->n_sbatch; i++)
		buf_printf(b, "#SBATCH %s\n", o->sbatch[i]);
	if (b->len)
		b->p[--b->len] = 0; /* the template ends the line */
}

/* Memory of a merge in MB: half of --merge-mem (or --mem), for its sort. */
static unsigned merge_memory_mb(const slurm_opts *o)
{
	const char *m = o->merge_mem ? o->merge_mem : o->mem;
	if (!m)
		return 512;
	char *end;
	double v = strtod(m, &end);
	double mb = *end == 'K' || *end == 'k'   ? v / 1024
		    : *end == 'G' || *end == 'g' ? v * 1024
		    : *end == 'T' || *end == 't' ? v * 1024 * 1024
						 : v;
	mb /= 2;
	return mb < 16 ? 16 : mb > 1e6 ? 1000000 : (unsigned)mb;
}

static int write_one(const char *dir, const char *tmpl, const fill *f, size_t n, const char *path, int executable)
{
	buf out = {0};
	int rc = fill_template(dir, tmpl, f, n, &out);
	if (!rc)
		rc = jobs_write_file(path, out.p ? out.p : "", executable);
	buf_free(&out);
	return rc;
}

int jobs_write(const shard_plan *pl, const slurm_opts *o, const jobs_env *env)
{
	char *dir = templates_dir();
	if (!dir) {
		fprintf(stderr,
			"textmill slurm: cannot find the job templates (share/textmill/jobs beside the program, "
			"or %s)\n",
			TM_JOBS_SOURCE_DIR);
		return -1;
	}
	time_t t = time(NULL);
	char when[64], shards[16], workers[16], memory[16], count[16];
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&t));
	snprintf(shards, sizeof shards, "%u", o->shards);
	snprintf(workers, sizeof workers, "%u", env->workers);
	snprintf(memory, sizeof memory, "%u", merge_memory_mb(o));
	snprintf(count, sizeof count, "%zu", pl->n_phases);
	buf textmill = {0}, config = {0}, tmp = {0}, phases = {0}, steps = {0};
	shard_sh_quote(&textmill, env->textmill);
	shard_sh_quote(&config, env->config);
	if (o->merge_tmp)
		shard_sh_quote(&tmp, o->merge_tmp);
	else
		buf_puts(&tmp, "");
	for (size_t i = 0; i < pl->n_phases; i++) {
		const shard_phase *ph = &pl->phase[i];
		buf_printf(&phases, "%s%s", i ? " " : "", ph->name);
		if (ph->kind == SHARD_TASKS)
			buf_printf(&steps, "tasks %u %s\n", ph->number, ph->name);
		else
			buf_printf(&steps, "merge %s\n", ph->name);
	}
	const fill settings[] = {
		{"WHEN", when},       {"WORK", env->work},  {"TEXTMILL", textmill.p}, {"CONFIG", config.p},
		{"SHARDS", shards},   {"WORKERS", workers}, {"KEY", env->key},        {"MERGE_MEMORY", memory},
		{"MERGE_TMP", tmp.p}, {"PHASES", phases.p},
	};
	char *path = xasprintf("%s/settings.sh", env->jobs);
	int rc = write_one(dir, "settings.sh.in", settings, sizeof settings / sizeof *settings, path, 0);
	free(path);
	for (size_t i = 0; i < pl->n_phases && !rc; i++) {
		const shard_phase *ph = &pl->phase[i];
		char number[16], prev_number[16];
		snprintf(number, sizeof number, "%u", ph->number);
		snprintf(prev_number, sizeof prev_number, "%u", ph->number - 1);
		buf sb = {0}, needs = {0}, later = {0};
		sbatch_lines(&sb, o, env, ph);
		if (ph->kind == SHARD_TASKS && i)
			buf_printf(&needs,
				   "is_done %s || { echo \"the merge has not finished (no $W/done/%s)\"; exit 1; }",
				   pl->phase[i - 1].name, pl->phase[i - 1].name);
		for (size_t j = i + 1; j < pl->n_phases; j++)
			buf_printf(&later, "%s\"$W\"/done/%s%s", later.len ? " " : "", pl->phase[j].name,
				   pl->phase[j].kind == SHARD_TASKS ? "-*" : "");
		const fill f[] = {
			{"SBATCH", sb.p ? sb.p : ""},
			{"NUMBER", number},
			{"COUNT", count},
			{"WHAT", ph->what},
			{"JOBS", env->jobs},
			{"NAME", ph->name},
			{"NEEDS", needs.p ? needs.p : ""},
			{"COMMAND", ph->command.p},
			{"PREVIOUS", i ? pl->phase[i - 1].name : ""},
			{"PREVIOUS_NUMBER", prev_number},
			{"LATER", later.p ? later.p : ""},
		};
		path = xasprintf("%s/%s.sh", env->jobs, ph->name);
		rc = write_one(dir, ph->kind == SHARD_TASKS ? "tasks.sh.in" : "merge.sh.in", f, sizeof f / sizeof *f,
			       path, 1);
		free(path);
		buf_free(&sb);
		buf_free(&needs);
		buf_free(&later);
	}
	if (!rc) {
		const fill f[] = {{"JOBS", env->jobs}, {"STEPS", steps.p}};
		path = xasprintf("%s/run-local.sh", env->jobs);
		rc = write_one(dir, "run-local.sh.in", f, 2, path, 1);
		free(path);
	}
	buf_free(&textmill);
	buf_free(&config);
	buf_free(&tmp);
	buf_free(&phases);
	buf_free(&steps);
	free(dir);
	return rc;
}
