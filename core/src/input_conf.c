/* input_conf.c -- the `input:` of a config: the reader its type names, the
 * paths, and the options of every reader. Each reader gets the keys its own
 * table declares, since any reader may take a file of the paths. */
#include "input.h"

#include <stdlib.h>
#include <string.h>

typedef struct input_settings {
	const char *type;
	tm_strings paths;
} input_settings;

static const tm_option input_options[] = {
	{.name = "type",
	 .type = TM_OPT_STRING,
	 .default_value = "files",
	 .help = "the input reader: files, stdin, or another from `textmill plugins`",
	 TM_FIELD(input_settings, type)},
	{.name = "paths",
	 .type = TM_OPT_LIST,
	 .help = "files, globs and directories; each file is read by the reader that takes its kind",
	 TM_FIELD(input_settings, paths)},
	{0},
};

static int is_reader(const stage_entry *e) { return e && (e->type.flags & TM_STAGE_INPUT); }

static int declares(const tm_option *decl, const char *name)
{
	for (const tm_option *o = decl; o->name; o++)
		if (!strcmp(o->name, name))
			return 1;
	return 0;
}

/* The keys of `in` a table does not declare, for options_bind to pass over:
 * another reader's, or the host's. With decl NULL: the keys some reader
 * declares, which the host's table passes over. */
static const char **keys_not_for(const pipeline_conf *pc, const tm_option *decl, const tm_node *in)
{
	const char **skip = xcalloc(in->n + 1, sizeof *skip);
	size_t n = 0;
	for (size_t k = 0; k < in->n; k++) {
		int some = 0;
		for (size_t i = 0; !some && i < pc->reg.n; i++)
			some = is_reader(&pc->reg.e[i]) && declares(pc->reg.e[i].options, in->keys[k]);
		if (decl ? !declares(decl, in->keys[k]) : some && !declares(input_options, in->keys[k]))
			skip[n++] = in->keys[k];
	}
	return skip;
}

static int bind_readers(pipeline_conf *pc, const tm_node *in, buf *err)
{
	pc->readers = xcalloc(pc->reg.n + 1, sizeof *pc->readers);
	for (size_t i = 0; i < pc->reg.n; i++) {
		const stage_entry *e = &pc->reg.e[i];
		if (!is_reader(e))
			continue;
		stage_conf *sc = &pc->readers[pc->n_readers++];
		sc->entry = e;
		sc->node = in;
		sc->label = xstrdup("input");
		const char **skip = keys_not_for(pc, e->options, in);
		sc->opts = options_bind(e->options, e->type.settings_size, in, skip, pc->dir, err);
		free(skip);
		if (!sc->opts)
			return -1;
	}
	return 0;
}

/* A key that neither the host nor any reader declares: "did you mean"
 * among all of their names. */
static int unknown_key(const pipeline_conf *pc, const tm_node *in, buf *err)
{
	for (size_t k = 0; k < in->n; k++) {
		const char **names = xcalloc(3, sizeof *names);
		size_t n = 0;
		names[n++] = "type", names[n++] = "paths";
		int known = declares(input_options, in->keys[k]);
		for (size_t i = 0; i < pc->reg.n; i++)
			for (const tm_option *o = pc->reg.e[i].options; is_reader(&pc->reg.e[i]) && o->name; o++) {
				int again = 0;
				for (size_t j = 0; j < n; j++)
					again |= !strcmp(names[j], o->name);
				if (again)
					continue;
				names = xrealloc(names, (n + 2) * sizeof *names);
				names[n++] = o->name;
				known |= !strcmp(o->name, in->keys[k]);
			}
		if (!known) {
			const char *hint = kit_closest_word(in->keys[k], names, n);
			buf_printf(err, "%s: unknown option '%s'", tm_node_where(in->items[k]), in->keys[k]);
			if (hint)
				buf_printf(err, "; did you mean '%s'?", hint);
			else
				for (size_t j = 0; j < n; j++)
					buf_printf(err, "%s%s%s", j ? " " : " (options: ", names[j],
						   j + 1 < n ? "" : ")");
		}
		free(names);
		if (!known)
			return -1;
	}
	return 0;
}

int input_bind(pipeline_conf *pc, const tm_node *in, buf *err)
{
	if (unknown_key(pc, in, err))
		return -1;
	const char **skip = keys_not_for(pc, NULL, in);
	pc->input = options_bind(input_options, sizeof(input_settings), in, skip, pc->dir, err);
	free(skip);
	if (!pc->input)
		return -1;
	const input_settings *set = pc->input->settings;
	pc->reader = registry_find(&pc->reg, set->type);
	if (!is_reader(pc->reader)) {
		const char *hint = registry_suggest(&pc->reg, set->type, TM_STAGE_INPUT);
		buf_printf(err, "%s: option 'type' is one of ", tm_opt_where(pc->input, "type"));
		for (size_t i = 0, n = 0; i < pc->reg.n; i++)
			if (is_reader(&pc->reg.e[i]))
				buf_printf(err, "%s%s", n++ ? "|" : "", pc->reg.e[i].type.name);
		buf_printf(err, ", not \"%s\"", set->type);
		if (hint)
			buf_printf(err, "; did you mean '%s'?", hint);
		return -1;
	}
	/* A reader that takes no files by name or content reads standard input. */
	pc->input_stdin = !pc->reader->type.extensions && !pc->reader->type.sniff;
	if (!pc->input_stdin && !set->paths.n) {
		buf_printf(err, "%s: input of type %s needs 'paths'", tm_node_where(in), set->type);
		return -1;
	}
	return bind_readers(pc, in, err);
}
