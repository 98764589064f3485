/* results.c -- a sharded run's work folder read back as one run per shard
 * (results.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "proc.h"
#include "results.h"
#include "stitch.h"

int shard_is_work(const char *path)
{
	struct stat st;
	char *p = xasprintf("%s/jobs/command", path);
	int yes = stat(path, &st) == 0 && S_ISDIR(st.st_mode) && stat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return yes;
}

/* A task's done marker names the run's fingerprint (WORK/jobs/key): one of
 * an earlier run of another config does not count. */
static int is_done(const char *work, const char *key, const char *task)
{
	char *p = xasprintf("%s/done/%s", work, task);
	char *text = proc_read_file(p);
	size_t n = strcspn(key, "\n");
	int done = text && !strncmp(text, key, n) && text[n] == ' ';
	free(text);
	free(p);
	return done;
}

/* The one .jsonl file of WORK/out/shard-00000: the documents the report
 * reads. Its name is the same in every shard's folder. */
static char *docs_name(const char *work, buf *err)
{
	char *dir = xasprintf("%s/out/shard-00000", work);
	DIR *d = opendir(dir);
	char *name = NULL;
	int several = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 7 || strcmp(e->d_name + len - 6, ".jsonl"))
			continue;
		if (!name || strcmp(e->d_name, name) < 0) {
			several |= name != NULL;
			free(name);
			name = xstrdup(e->d_name);
		} else {
			several = 1;
		}
	}
	if (d)
		closedir(d);
	if (!name || several) {
		buf_printf(err,
			   "%s holds %s JSON Lines output; the report reads the documents of the run's one "
			   "output.jsonl (give its files and --summary instead)",
			   dir, name ? "more than one" : "no");
		free(name);
		name = NULL;
	}
	free(dir);
	return name;
}

static unsigned saved_shards(const char *work)
{
	char *p = xasprintf("%s/jobs/command", work);
	char *text = proc_read_file(p);
	unsigned n = 0;
	const char *at = text ? strstr(text, "--shards\n") : NULL;
	if (at && (at == text || at[-1] == '\n'))
		n = (unsigned)strtoul(at + 9, NULL, 10);
	free(text);
	free(p);
	return n;
}

int shard_results_read(shard_results *sr, const char *work, buf *err)
{
	memset(sr, 0, sizeof *sr);
	char *keyfile = xasprintf("%s/jobs/key", work);
	char *key = proc_read_file(keyfile);
	char *name = NULL;
	int status = -1;
	sr->shards = saved_shards(work);
	if (!key || !sr->shards) {
		buf_printf(err, "%s is not the work folder of a textmill slurm run (no %s)", work,
			   key ? "--shards in jobs/command" : "jobs/key");
		goto out;
	}
	/* the task phases of its plan: 1, 3, 5 ..., one job script each */
	for (unsigned p = 1;; p += 2) {
		struct stat st;
		char *script = xasprintf("%s/jobs/phase%u.sh", work, p);
		int found = stat(script, &st) == 0;
		free(script);
		if (!found)
			break;
		sr->phases++;
	}
	if (!sr->phases) {
		buf_printf(err, "%s is not the work folder of a textmill slurm run (no jobs/phase1.sh)", work);
		goto out;
	}
	name = docs_name(work, err);
	if (!name)
		goto out;
	sr->docs = xcalloc(sr->shards, sizeof *sr->docs);
	sr->summaries = xcalloc(sr->shards, sizeof *sr->summaries);
	char **texts = xcalloc(sr->phases, sizeof *texts), **names = xcalloc(sr->phases, sizeof *names);
	for (unsigned i = 0; i < sr->shards && status; i++) {
		int bad = 0;
		for (unsigned k = 0; k < sr->phases && !bad; k++) {
			char task[32];
			snprintf(task, sizeof task, "phase%u-%05u", 2 * k + 1, i);
			names[k] = xasprintf("%s/stats/%s.json", work, task);
			texts[k] = is_done(work, key, task) ? proc_read_file(names[k]) : NULL;
			if (!texts[k]) {
				buf_printf(err,
					   "%s: shard %u has not finished phase %u (see %s/logs/%s.log); follow the "
					   "run to its end first (textmill slurm --resume %s --wait)",
					   work, i, 2 * k + 1, work, task, work);
				bad = 1;
			}
		}
		buf sum = {0};
		bad = bad ||
		      shard_stitch((const char *const *)texts, (const char *const *)names, sr->phases, &sum, err);
		sr->summaries[i] = sum.p;
		sr->docs[i] = xasprintf("%s/out/shard-%05u/%s", work, i, name);
		for (unsigned k = 0; k < sr->phases; k++) {
			free(texts[k]), free(names[k]);
			texts[k] = names[k] = NULL;
		}
		if (bad)
			break;
		if (i + 1 == sr->shards)
			status = 0;
	}
	free(texts);
	free(names);
out:
	free(name);
	free(key);
	free(keyfile);
	if (status)
		shard_results_free(sr);
	return status;
}

void shard_results_free(shard_results *sr)
{
	for (unsigned i = 0; i < sr->shards; i++) {
		if (sr->docs)
			free(sr->docs[i]);
		if (sr->summaries)
			free(sr->summaries[i]);
	}
	free(sr->docs);
	free(sr->summaries);
	memset(sr, 0, sizeof *sr);
}
