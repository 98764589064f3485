/* rules.c -- tools for rule writers: `textmill try` runs a script or a
 * pipeline on one text and shows the entities; `textmill test` runs rule
 * test files and shows what differs. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "doc.h"
#include "json.h"
#include "pipeline.h"

static const char usage_try[] =
	"usage: textmill try SCRIPT.lua|CONFIG [--text TEXT | FILE] [--set KEY=VALUE]... [--json]\n"
	"\n"
	"Runs one Lua script (or the stages of a config) on one text and prints the\n"
	"text with its entities marked, then the entities as a table (spans in Lua\n"
	"positions: 1-based, stop inclusive). The text comes from --text, from FILE,\n"
	"or from stdin.\n"
	"\n"
	"  -t, --text TEXT      the text to try\n"
	"  -s, --set KEY=VALUE  override a config value, e.g. --set stages.0.options.year=2022\n"
	"      --json           print the resulting document as JSON instead\n"
	"  -h, --help           show this help\n";

static const char usage_test[] = "usage: textmill test [--verbose | --log-level LEVEL] FILE...\n"
				 "\n"
				 "Runs rule test files: YAML with `script:` (or `config:`), optional `options:`\n"
				 "for the script, and `cases:`, each a `text` with the entities it must give\n"
				 "(`expect:`), must not give (`absent:`), and `only: true` to allow no others.\n"
				 "A key the format does not know is an error, with \"did you mean\".\n"
				 "Prints a readable difference for each failing case; exits 1 if any fails.\n"
				 "\n"
				 "  -v, --verbose          also name each case that passes (as --log-level debug)\n"
				 "      --log-level LEVEL  error, warn, info (the default) or debug\n";

static void yaml_quote(buf *out, const char *s)
{
	buf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *s);
	}
	buf_putc(out, '"');
}

/* A pipeline of one Lua stage, or the stages of a config file. */
static int load_target(pipeline_conf *pc, const char *target, const tm_node *options, overrides *ov, buf *err)
{
	ov->stages_only = 1;
	if (!kit_has_suffix(target, ".lua"))
		return config_load(pc, target, ov, err);
	char abs[PATH_MAX];
	if (!realpath(target, abs)) {
		buf_printf(err, "%s: no such script", target);
		return -1;
	}
	buf y = {0};
	buf_puts(&y, "stages:\n  - type: lua\n    script: ");
	yaml_quote(&y, abs);
	if (options) {
		buf_puts(&y, "\n    options: ");
		node_print_flow(options, &y);
	}
	buf_putc(&y, '\n');
	int rc = config_load_text(pc, y.p, y.len, target, ".", ov, err);
	buf_free(&y);
	return rc;
}

/* A pipeline_done_fn: where the document left the stages, if it did. */
static void note_stage(void *arg, tm_doc *doc, const char *stage)
{
	(void)doc;
	*(const char **)arg = stage;
}

static void read_all(FILE *f, buf *out)
{
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(out, chunk, n);
}

/* ---- try ------------------------------------------------------------------ */

static const char *color_of(const char *type, int tty)
{
	static const char *const colors[] = {"\033[1;31m", "\033[1;32m", "\033[1;33m",
					     "\033[1;34m", "\033[1;35m", "\033[1;36m"};
	if (!tty)
		return "";
	unsigned h = 0;
	for (const char *p = type; *p; p++)
		h = h * 31 + (unsigned char)*p;
	return colors[h % 6];
}

typedef struct mark {
	size_t at;
	int open;   /* 1 opens, 0 closes */
	size_t len; /* of the entity, to nest longer ones outside */
	const tm_entity *e;
} mark;

static int cmp_mark(const void *a, const void *b)
{
	const mark *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->open != y->open)
		return x->open - y->open; /* close before open */
	if (x->open)
		return x->len > y->len ? -1 : x->len < y->len;
	return x->len < y->len ? -1 : x->len > y->len;
}

static void print_marked(const tm_doc *doc, int tty)
{
	size_t n = doc->n_ents, len = doc->text.len;
	mark *m = xcalloc(2 * n + 1, sizeof *m);
	for (size_t i = 0; i < n; i++) {
		const tm_entity *e = &doc->ents[i];
		m[2 * i] = (mark){e->start, 1, e->end - e->start, e};
		m[2 * i + 1] = (mark){e->end, 0, e->end - e->start, e};
	}
	qsort(m, 2 * n, sizeof *m, cmp_mark);
	size_t pos = 0;
	for (size_t i = 0; i < 2 * n; i++) {
		fwrite(doc->text.p + pos, 1, m[i].at - pos, stdout);
		pos = m[i].at;
		if (m[i].open)
			printf("%s[", color_of(m[i].e->type, tty));
		else
			printf("%s]%s%s%s", color_of(m[i].e->type, tty), tty ? "\033[2m" : "", m[i].e->type,
			       tty ? "\033[0m" : "");
	}
	fwrite(doc->text.p + pos, 1, len - pos, stdout);
	if (len && doc->text.p[len - 1] != '\n')
		putchar('\n');
	free(m);
}

/* printf pads by bytes; pad by characters so Vietnamese columns line up. */
static void print_cell(const char *s, size_t width)
{
	size_t chars = 0;
	for (const char *p = s; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	fputs(s, stdout);
	for (; chars < width; chars++)
		putchar(' ');
	putchar(' ');
}

static void print_table(const tm_doc *doc)
{
	if (!doc->n_ents) {
		printf("\nno entities\n");
		return;
	}
	printf("\n%3s  %-12s %-13s %-32s %-24s %s\n", "#", "type", "span (Lua)", "text", "value", "rule");
	for (size_t i = 0; i < doc->n_ents; i++) {
		const tm_entity *e = &doc->ents[i];
		char span[32];
		snprintf(span, sizeof span, "%zu..%zu", e->start + 1, e->end);
		buf text = {0};
		buf_put(&text, doc->text.p + e->start, e->end - e->start);
		for (char *p = text.p; p && *p; p++)
			if (*p == '\n')
				*p = ' ';
		printf("%3zu  ", i + 1);
		print_cell(e->type, 12);
		print_cell(span, 13);
		print_cell(text.p ? text.p : "", 32);
		print_cell(e->value_json ? e->value_json : "-", 24);
		printf("%s\n", e->rule ? e->rule : "-");
		if (e->attrs_json && strcmp(e->attrs_json, "{}"))
			printf("%3s  %-12s attrs %s\n", "", "", e->attrs_json);
		buf_free(&text);
	}
}

int cmd_try(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"text", required_argument, NULL, 't'},
		{"set", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'J'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	overrides ov = {0};
	const char *text = NULL;
	int json = 0, c, status = EXIT_USAGE;
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': text = optarg; break;
		case 's':
			ov.sets = xrealloc(ov.sets, (ov.n_sets + 1) * sizeof *ov.sets);
			ov.sets[ov.n_sets++] = optarg;
			break;
		case 'J': json = 1; break;
		case 'h':
			fputs(usage_try, stdout);
			free(ov.sets);
			return EXIT_DONE;
		default:
			fputs(usage_try, stderr);
			free(ov.sets);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc || argc - optind > 2 || (text && argc - optind > 1)) {
		fputs(usage_try, stderr);
		free(ov.sets);
		return EXIT_USAGE;
	}
	const char *target = argv[optind], *file = argc - optind > 1 ? argv[optind + 1] : NULL;
	pipeline_conf pc;
	buf err = {0}, input = {0};
	pipeline *p = NULL;
	tm_doc *doc = doc_new();
	if (load_target(&pc, target, NULL, &ov, &err))
		goto fail;
	pc.workers = 1;
	run_options ro = {.quiet = 0};
	if (!(p = pipeline_open(&pc, &ro, &err)))
		goto fail;
	if (text) {
		buf_puts(&input, text);
	} else {
		FILE *f = file ? fopen(file, "rb") : stdin;
		if (!f) {
			buf_printf(&err, "%s: cannot open", file);
			goto fail;
		}
		read_all(f, &input);
		if (file)
			fclose(f);
	}
	doc_set_id(doc, "try", 3);
	doc_set_source(doc, text ? "--text" : file ? file : "stdin", 0);
	buf_put(&doc->text, input.p ? input.p : "", input.len);
	doc->unchecked = 1;
	const char *stage = NULL;
	pipeline_docs(p, &doc, 1, note_stage, &stage);
	if (json) {
		buf out = {0};
		doc_write_json(doc, &out);
		fputs(out.p, stdout);
		buf_free(&out);
	} else {
		print_marked(doc, isatty(STDOUT_FILENO));
		print_table(doc);
		if (doc->n_meta)
			printf("\nmeta:\n");
		for (size_t i = 0; i < doc->n_meta; i++)
			printf("  %s = %s\n", doc->meta[i].key, doc->meta[i].json);
	}
	status = EXIT_DONE;
	if (doc->verdict != TM_KEEP) {
		fprintf(stderr, "textmill: %s at %s: %s\n", doc->verdict == TM_DROP ? "dropped" : "rejected", stage,
			doc->reason);
		status = doc->verdict == TM_DROP ? EXIT_DONE : EXIT_REJECTS;
	}
	goto done;
fail:
	fprintf(stderr, "textmill: %s\n", err.p ? err.p : "cannot load");
done:
	pipeline_close(p);
	config_free(&pc);
	doc_free(doc);
	buf_free(&err);
	buf_free(&input);
	free(ov.sets);
	return status;
}

/* ---- test ------------------------------------------------------------------ */

/* Does the JSON value at c match the expected YAML node? Maps match by the
 * keys they list, so an expectation names only what it cares about. */
static int json_matches(const tm_node *want, json_cursor *c)
{
	json_skip_ws(c);
	if (c->p >= c->end)
		return 0;
	if (want->kind == TM_NODE_SCALAR) {
		const char *start = c->p;
		if (*c->p == '"') {
			buf s = {0};
			int ok = json_read_string(c, &s) == 0 && !strcmp(s.p ? s.p : "", want->scalar);
			buf_free(&s);
			return ok;
		}
		if (json_skip_value(c))
			return 0;
		size_t n = (size_t)(c->p - start);
		double a, b;
		if (scalar_float(want, &a) == 0) {
			char *tmp = xstrndup(start, n);
			b = strtod(tmp, NULL);
			free(tmp);
			return a == b;
		}
		return strlen(want->scalar) == n && !memcmp(want->scalar, start, n);
	}
	if (want->kind == TM_NODE_LIST) {
		if (*c->p != '[')
			return 0;
		c->p++;
		for (size_t i = 0; i < want->n; i++) {
			if (i) {
				json_skip_ws(c);
				if (c->p >= c->end || *c->p != ',')
					return 0;
				c->p++;
			}
			if (!json_matches(want->items[i], c))
				return 0;
		}
		json_skip_ws(c);
		return c->p < c->end && *c->p == ']';
	}
	if (*c->p != '{')
		return 0;
	const char *object = c->p;
	for (size_t i = 0; i < want->n; i++) {
		json_cursor m = {object + 1, c->start, c->end, NULL, NULL, c->utf8_checked};
		int found = 0;
		for (;;) {
			json_skip_ws(&m);
			if (m.p >= m.end || *m.p == '}')
				break;
			buf key = {0};
			if (json_read_string(&m, &key)) {
				buf_free(&key);
				return 0;
			}
			json_skip_ws(&m);
			m.p++; /* ':' */
			int same = !strcmp(key.p ? key.p : "", want->keys[i]);
			buf_free(&key);
			if (same) {
				found = json_matches(want->items[i], &m);
				break;
			}
			if (json_skip_value(&m))
				return 0;
			json_skip_ws(&m);
			if (m.p < m.end && *m.p == ',')
				m.p++;
		}
		if (!found)
			return 0;
	}
	return json_skip_value(c) == 0;
}

static int json_text_matches(const tm_node *want, const char *json)
{
	if (!json)
		json = "null";
	json_cursor c = {json, json, json + strlen(json), NULL, NULL, 0};
	return json_matches(want, &c);
}

static int entity_matches(const tm_doc *doc, const tm_entity *e, const tm_node *spec)
{
	const tm_node *f;
	long long v;
	if ((f = tm_node_get(spec, "type")) && strcmp(tm_node_scalar(f) ? tm_node_scalar(f) : "", e->type))
		return 0;
	if ((f = tm_node_get(spec, "text"))) {
		const char *t = tm_node_scalar(f);
		if (!t || strlen(t) != e->end - e->start || memcmp(t, doc->text.p + e->start, e->end - e->start))
			return 0;
	}
	if ((f = tm_node_get(spec, "rule")) &&
	    strcmp(tm_node_scalar(f) ? tm_node_scalar(f) : "", e->rule ? e->rule : ""))
		return 0;
	if ((f = tm_node_get(spec, "start")) && (scalar_int(f, &v) || (size_t)v != e->start + 1))
		return 0;
	if ((f = tm_node_get(spec, "stop")) && (scalar_int(f, &v) || (size_t)v != e->end))
		return 0;
	if ((f = tm_node_get(spec, "value")) && !json_text_matches(f, e->value_json))
		return 0;
	if ((f = tm_node_get(spec, "attrs")) && !json_text_matches(f, e->attrs_json ? e->attrs_json : "{}"))
		return 0;
	return 1;
}

static void describe_spec(const tm_node *spec, buf *out) { node_print_flow(spec, out); }

static void describe_entity(const tm_doc *doc, const tm_entity *e, buf *out)
{
	buf_printf(out, "%s \"%.*s\" %zu..%zu", e->type, (int)(e->end - e->start), doc->text.p + e->start,
		   e->start + 1, e->end);
	if (e->value_json)
		buf_printf(out, " value %s", e->value_json);
	if (e->attrs_json && strcmp(e->attrs_json, "{}"))
		buf_printf(out, " attrs %s", e->attrs_json);
}

/* Run one case; append what went wrong to report (empty if it passed). */
static void run_case(pipeline *p, const tm_node *kase, size_t index, buf *report)
{
	const tm_node *text = tm_node_get(kase, "text");
	if (!tm_node_scalar(text)) {
		buf_printf(report, "  the case needs text: (%s)\n", tm_node_where(kase));
		return;
	}
	tm_doc *doc = doc_new();
	char id[32];
	snprintf(id, sizeof id, "case %zu", index + 1);
	doc_set_id(doc, id, strlen(id));
	doc_set_source(doc, tm_node_where(kase), 0);
	buf_puts(&doc->text, tm_node_scalar(text));
	doc->unchecked = 1;
	const tm_node *meta = tm_node_get(kase, "meta");
	for (size_t i = 0; meta && i < tm_node_len(meta); i++) {
		buf j = {0};
		node_to_json(meta->items[i], &j);
		tm_doc_set_meta_json(doc, meta->keys[i], j.p, j.len);
		buf_free(&j);
	}
	const char *stage = NULL;
	pipeline_docs(p, &doc, 1, note_stage, &stage);
	if (doc->verdict == TM_REJECT) {
		buf_printf(report, "  rejected at %s: %s\n", stage, doc->reason);
		doc_free(doc);
		return;
	}
	unsigned char *used = xcalloc(doc->n_ents + 1, 1);
	const tm_node *expect = tm_node_get(kase, "expect"), *absent = tm_node_get(kase, "absent");
	for (size_t i = 0; expect && i < tm_node_len(expect); i++) {
		size_t k = 0;
		while (k < doc->n_ents && (used[k] || !entity_matches(doc, &doc->ents[k], expect->items[i])))
			k++;
		if (k < doc->n_ents) {
			used[k] = 1;
			continue;
		}
		buf_puts(report, "  missing   ");
		describe_spec(expect->items[i], report);
		buf_putc(report, '\n');
	}
	for (size_t i = 0; absent && i < tm_node_len(absent); i++)
		for (size_t k = 0; k < doc->n_ents; k++)
			if (entity_matches(doc, &doc->ents[k], absent->items[i])) {
				buf_puts(report, "  unwanted  ");
				describe_entity(doc, &doc->ents[k], report);
				buf_putc(report, '\n');
			}
	int only = 0;
	const tm_node *o = tm_node_get(kase, "only");
	if (o && scalar_bool(o, &only))
		buf_printf(report, "  %s: 'only' expects true or false\n", tm_node_where(o));
	for (size_t k = 0; only && k < doc->n_ents; k++)
		if (!used[k]) {
			buf_puts(report, "  extra     ");
			describe_entity(doc, &doc->ents[k], report);
			buf_putc(report, '\n');
		}
	if (doc->verdict == TM_DROP && !tm_node_get(kase, "dropped"))
		buf_printf(report, "  dropped at %s: %s\n", stage, doc->reason);
	if (report->len) {
		buf_puts(report, "  found:\n");
		for (size_t k = 0; k < doc->n_ents; k++) {
			buf_puts(report, "            ");
			describe_entity(doc, &doc->ents[k], report);
			buf_putc(report, '\n');
		}
	}
	free(used);
	doc_free(doc);
}

/* The keys a test file may use: a misspelt `expcet:` or `onyl:` would
 * otherwise pass every case unseen. */
static const tm_option file_keys[] = {
	{.name = "script", .type = OPT_NODE, .help = "the Lua script under test"},
	{.name = "config", .type = OPT_NODE, .help = "or a config whose stages are under test"},
	{.name = "options", .type = OPT_NODE, .help = "options for the script"},
	{.name = "cases", .type = OPT_NODE, .help = "the cases"},
	{0},
};

static const tm_option case_keys[] = {
	{.name = "name", .type = OPT_NODE, .help = "what the case shows"},
	{.name = "text", .type = OPT_NODE, .help = "the text to run"},
	{.name = "meta", .type = OPT_NODE, .help = "metadata fields of the document"},
	{.name = "expect", .type = OPT_NODE, .help = "entities that must be found"},
	{.name = "absent", .type = OPT_NODE, .help = "entities that must not be found"},
	{.name = "only", .type = OPT_NODE, .help = "no entities beyond expect"},
	{.name = "dropped", .type = OPT_NODE, .help = "the document may be dropped"},
	{0},
};

static const tm_option entity_keys[] = {
	{.name = "type", .type = OPT_NODE},  {.name = "text", .type = OPT_NODE},
	{.name = "start", .type = OPT_NODE}, {.name = "stop", .type = OPT_NODE},
	{.name = "value", .type = OPT_NODE}, {.name = "attrs", .type = OPT_NODE},
	{.name = "rule", .type = OPT_NODE},  {0},
};

/* An entity list of a case (expect, absent): a list of mappings. */
static int check_entity_list(const tm_node *kase, const char *key, buf *err)
{
	const tm_node *list = tm_node_get(kase, key);
	if (!list)
		return 0;
	if (list->kind != TM_NODE_LIST) {
		buf_printf(err, "%s: '%s' expects a list of entities, not %s", tm_node_where(list), key,
			   node_kind_name(list));
		return -1;
	}
	for (size_t i = 0; i < list->n; i++) {
		const tm_node *e = list->items[i];
		if (e->kind != TM_NODE_MAP) {
			buf_printf(err, "%s: an entity is a mapping such as {type: DATE, text: ...}, not %s",
				   tm_node_where(e), node_kind_name(e));
			return -1;
		}
		if (options_check_keys(entity_keys, e, "key", err))
			return -1;
	}
	return 0;
}

/* Every key of the file, its cases and their entities, before anything runs. */
static int check_test_keys(const tm_node *root, buf *err)
{
	if (options_check_keys(file_keys, root, "key", err))
		return -1;
	const tm_node *cases = tm_node_get(root, "cases");
	for (size_t i = 0; cases && cases->kind == TM_NODE_LIST && i < cases->n; i++) {
		const tm_node *kase = cases->items[i];
		if (kase->kind != TM_NODE_MAP) {
			buf_printf(err, "%s: a case is a mapping with text and expect, not %s", tm_node_where(kase),
				   node_kind_name(kase));
			return -1;
		}
		if (options_check_keys(case_keys, kase, "key", err) || check_entity_list(kase, "expect", err) ||
		    check_entity_list(kase, "absent", err))
			return -1;
	}
	return 0;
}

/* Run one test file; returns the number of failed cases, or -1 if the
 * file itself is broken. */
static int run_test_file(const char *path, size_t *n_cases)
{
	tree t = {0};
	buf err = {0};
	int failed = -1;
	pipeline_conf pc;
	int have_pc = 0;
	pipeline *p = NULL;
	tm_node *root = yaml_load_file(&t, path, &err);
	if (!root || check_test_keys(root, &err))
		goto out;
	const tm_node *script = tm_node_get(root, "script"), *config = tm_node_get(root, "config");
	const tm_node *cases = tm_node_get(root, "cases");
	if (!tm_node_scalar(script) == !tm_node_scalar(config)) {
		buf_printf(&err, "%s: a test file names one `script:` or one `config:`", tm_node_where(root));
		goto out;
	}
	if (!cases || cases->kind != TM_NODE_LIST) {
		buf_printf(&err, "%s: a test file needs `cases:`, a list", tm_node_where(root));
		goto out;
	}
	const char *target = tm_node_scalar(script ? script : config);
	const char *slash = strrchr(path, '/');
	char *full = target[0] == '/' || !slash ? xstrdup(target)
						: xasprintf("%.*s/%s", (int)(slash - path), path, target);
	overrides ov = {0};
	have_pc = 1;
	int rc = load_target(&pc, full, tm_node_get(root, "options"), &ov, &err);
	free(full);
	if (rc)
		goto out;
	pc.workers = 1;
	run_options ro = {.quiet = 1};
	if (!(p = pipeline_open(&pc, &ro, &err)))
		goto out;
	failed = 0;
	for (size_t i = 0; i < cases->n; i++) {
		const tm_node *kase = cases->items[i];
		const tm_node *name = tm_node_get(kase, "name");
		buf report = {0};
		run_case(p, kase, i, &report);
		(*n_cases)++;
		if (report.len) {
			failed++;
			printf("FAIL %s: %s\n%s", tm_node_where(kase),
			       tm_node_scalar(name) ? tm_node_scalar(name) : "", report.p);
		} else if (log_level >= LOG_DEBUG) {
			printf("ok %s: %s\n", tm_node_where(kase), tm_node_scalar(name) ? tm_node_scalar(name) : "");
		}
		buf_free(&report);
	}
out:
	if (failed < 0)
		printf("ERROR %s\n", err.p ? err.p : path);
	pipeline_close(p);
	if (have_pc)
		config_free(&pc);
	tree_free(&t);
	buf_free(&err);
	return failed;
}

int cmd_test(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_test, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_DONE;
	}
	size_t cases = 0, failed = 0, broken = 0;
	int files = 0;
	for (int i = 1; i < argc; i++) { /* the options, wherever they are */
		const char *a = argv[i];
		int c = !strcmp(a, "-v") || !strcmp(a, "--verbose")                  ? 'v'
			: !strcmp(a, "-q") || !strcmp(a, "--quiet")                  ? 'q'
			: !strncmp(a, "--log-level", 11) && (!a[11] || a[11] == '=') ? 'l'
										     : 0;
		const char *level = c != 'l' ? NULL : a[11] ? a + 12 : i + 1 < argc ? argv[++i] : "";
		if (c && cli_log_level(c, level))
			return EXIT_USAGE;
		if (!c)
			argv[++files] = argv[i];
	}
	if (!files) {
		fputs(usage_test, stderr);
		return EXIT_USAGE;
	}
	argc = files + 1;
	for (int i = 1; i < argc; i++) {
		int f = run_test_file(argv[i], &cases);
		if (f < 0)
			broken++;
		else
			failed += (size_t)f;
	}
	printf("%zu case%s in %d file%s: %zu passed, %zu failed%s\n", cases, cases == 1 ? "" : "s", argc - 1,
	       argc == 2 ? "" : "s", cases - failed, failed, broken ? "; some files could not be run" : "");
	return broken ? EXIT_USAGE : failed ? EXIT_FAILED : EXIT_DONE;
}
