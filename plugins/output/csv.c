/* output_csv.c -- documents, or entities, one per row of a CSV or TSV file.
 *
 * Quoting follows RFC 4180 for both formats: a cell is quoted when it holds
 * the delimiter, a quote or a line break, and quotes inside are doubled.
 * TSV is the same with a tab (Python's "excel-tab" dialect), so any text
 * survives the trip, line breaks included.
 *
 * The formula guard (on by default) keeps spreadsheets from running cells
 * as formulas ("CSV injection"), as OWASP advises: a cell that starts with
 * = + - @, a tab or a carriage return gets a ' in front, and a cell that
 * holds , ; or a tab is quoted whatever the delimiter, since a spreadsheet
 * may split at the list separator of its locale instead. */
#include <stdlib.h>
#include <string.h>

#include <textmill/textmill.h>

#include "stages.h"

#include "oc_buf.h"
#include "oc_doc.h"
#include "oc_json.h"

typedef enum field_kind {
	/* of a document */
	F_ID,
	F_TEXT,
	F_ORIGIN,
	F_ENTITY_COUNT,
	F_META_ALL,
	F_META,
	F_ENTITIES_OF,
	/* of an entity */
	F_DOC_ID,
	F_SEQ,
	F_TYPE,
	F_START,
	F_END,
	F_ETEXT,
	F_VALUE,
	F_ATTRS,
	F_ATTR,
	F_RULE,
	F_STAGE
} field_kind;

typedef struct field {
	field_kind kind;
	char *name; /* as the user wrote it: the header */
	char *arg;  /* F_META: path into meta; F_ENTITIES_OF: type; F_ATTR: path into attrs */
} field;

typedef struct csv_out {
	tm_file *file;
	field *fields;
	size_t n_fields;
	int entity_rows;
	char delim;
	int guard;                     /* formula_guard */
	unsigned char must_quote[256]; /* bytes that make a cell quoted */
	const char *eol;
	char *join;
	kit_buf row, cell;
	kit_strmap seen; /* F_ENTITIES_OF: labels already in the cell */
} csv_out;

static const char *const default_doc_fields[] = {"id",     "title", "published",   "author",
						 "source", "url",   "entity_count"};
static const char *const default_entity_fields[] = {"doc_id", "type",  "start", "end",
						    "text",   "value", "attrs", "rule"};

static const struct {
	const char *name;
	field_kind kind;
} named[] = {
	{"doc_id", F_DOC_ID}, {"seq", F_SEQ},     {"type", F_TYPE},   {"start", F_START}, {"end", F_END},
	{"text", F_ETEXT},    {"value", F_VALUE}, {"attrs", F_ATTRS}, {"rule", F_RULE},   {"stage", F_STAGE},
};

static int starts(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

/* A column with an argument: 0, or -1 when out of memory. */
static int with_arg(field *f, field_kind kind, const char *arg)
{
	f->kind = kind;
	f->arg = kit_strndup(arg, strlen(arg));
	return f->arg ? 0 : -1;
}

/* The names a document column is most often meant to be: the built-in
 * ones and the metadata fields the shipped stages set. Any other name is
 * a metadata field too (an input keeps every key it does not know), unless
 * it is a near miss of one of these: `titel` is a typo, not a field. */
static const char *const doc_names[] = {"id",        "text",        "origin",   "entity_count", "meta",  "title",
					"published", "author",      "source",   "url",          "views", "captions",
					"dedup",     "dedup_exact", "province", "province_2025"};
#define N_DOC_NAMES (sizeof doc_names / sizeof *doc_names)

/* A bare name that is not a known one but close to one: that one. */
static const char *near_miss(const char *name)
{
	const char *dot = strchr(name, '.');
	char head[64];
	size_t len = dot ? (size_t)(dot - name) : strlen(name);
	if (len >= sizeof head)
		return NULL;
	memcpy(head, name, len);
	head[len] = '\0';
	for (size_t i = 0; i < N_DOC_NAMES; i++)
		if (!strcmp(head, doc_names[i]))
			return NULL;
	return kit_closest_word(head, doc_names, N_DOC_NAMES);
}

/* A column of a document: the built-in names, entities.TYPE, meta.PATH,
 * and any other name as a path into the metadata. 0, 1 if the name looks
 * like a typo of a known one, or -1 when out of memory. */
static int parse_doc_field(field *f, const char *name)
{
	if (!strcmp(name, "id"))
		f->kind = F_ID;
	else if (!strcmp(name, "text"))
		f->kind = F_TEXT;
	else if (!strcmp(name, "origin"))
		f->kind = F_ORIGIN;
	else if (!strcmp(name, "entity_count"))
		f->kind = F_ENTITY_COUNT;
	else if (!strcmp(name, "meta"))
		f->kind = F_META_ALL;
	else if (starts(name, "entities.") && name[9])
		return with_arg(f, F_ENTITIES_OF, name + 9);
	else if (starts(name, "meta.") && name[5])
		return with_arg(f, F_META, name + 5);
	else if (near_miss(name))
		return 1;
	else
		return with_arg(f, F_META, name);
	return 0;
}

/* A column of an entity row: its own fields, attrs.KEY, and doc.FIELD for
 * any column a document row could have. 0, 1 if name is none of them, or
 * -1 when out of memory. */
static int parse_entity_field(field *f, const char *name)
{
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (!strcmp(name, named[i].name)) {
			f->kind = named[i].kind;
			return 0;
		}
	if (starts(name, "attrs.") && name[6])
		return with_arg(f, F_ATTR, name + 6);
	if (starts(name, "doc.") && name[4])
		return parse_doc_field(f, name + 4);
	return 1;
}

/* Why a column name was refused, in the style of the config's unknown keys. */
static int unknown_column(tm_ctx *ctx, const tm_options *opts, const char *name, int entity_rows)
{
	const char *where = tm_opt_where(opts, "fields");
	const char *doc = entity_rows && starts(name, "doc.") ? name + 4 : NULL;
	if (entity_rows && !doc) {
		const char *names[sizeof named / sizeof *named];
		for (size_t i = 0; i < sizeof named / sizeof *named; i++)
			names[i] = named[i].name;
		const char *hint = kit_closest_word(name, names, sizeof named / sizeof *named);
		if (hint)
			return tm_fail(ctx, "%s: unknown column '%s'; did you mean '%s'?", where, name, hint);
		return tm_fail(ctx,
			       "%s: '%s' is not a column of entity rows; use doc_id, seq, type, start, "
			       "end, text, value, attrs, rule, stage, attrs.KEY or doc.FIELD",
			       where, name);
	}
	const char *meta_name = doc ? doc : name, *dot = strchr(meta_name, '.');
	const char *prefix = doc ? "doc." : "";
	return tm_fail(ctx,
		       "%s: unknown column '%s'; did you mean '%s%s%s'? (a metadata field of that name is "
		       "written %smeta.%s)",
		       where, name, prefix, near_miss(meta_name), dot ? dot : "", prefix, meta_name);
}

static int read_fields(tm_ctx *ctx, const tm_options *opts, const tm_strings *given, csv_out *o)
{
	const char *const *names = given->item; /* NULL: unset; an empty list is not */
	size_t n = given->n;
	if (!names) {
		names = o->entity_rows ? default_entity_fields : default_doc_fields;
		n = o->entity_rows ? sizeof default_entity_fields / sizeof *default_entity_fields
				   : sizeof default_doc_fields / sizeof *default_doc_fields;
	}
	if (n == 0)
		return tm_fail(ctx, "%s: fields must name at least one column", tm_opt_where(opts, "fields"));
	if (!(o->fields = kit_calloc(n, sizeof *o->fields)))
		return tm_fail(ctx, "%s", KIT_OOM);
	for (size_t i = 0; i < n; i++) {
		const char *name = names[i];
		field *f = &o->fields[o->n_fields++];
		if (!(f->name = kit_strndup(name, strlen(name))))
			return tm_fail(ctx, "%s", KIT_OOM);
		if (!*name)
			return tm_fail(ctx, "%s: field %zu is empty", tm_opt_where(opts, "fields"), i);
		int rc = o->entity_rows ? parse_entity_field(f, name) : parse_doc_field(f, name);
		if (rc < 0)
			return tm_fail(ctx, "%s", KIT_OOM);
		if (rc > 0)
			return unknown_column(ctx, opts, name, o->entity_rows);
	}
	return TM_OK;
}

/* A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int is_number(const char *s, size_t len)
{
	size_t i = s[0] == '-';
	if (i < len && s[i] == '0')
		i++;
	else if (i < len && s[i] >= '1' && s[i] <= '9')
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return 0;
	if (i < len && s[i] == '.') {
		size_t from = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == from)
			return 0;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t from = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == from)
			return 0;
	}
	return i == len;
}

/* A cell a spreadsheet would take for a formula. A negative number (-5,
 * -0.25, -1e3) is read as a number and stays as it is. A cell that starts
 * with ' itself is guarded too, so that removing one leading ' always
 * gives the value back. */
static int formula_like(const char *s, size_t len)
{
	if (!len)
		return 0;
	switch (s[0]) {
	case '=':
	case '+':
	case '@':
	case '\t':
	case '\r':
	case '\'': return 1;
	case '-': return !is_number(s, len);
	default: return 0;
	}
}

/* One cell, quoted when it must be, guarded when it looks like a formula. */
static void put_cell(csv_out *o, const char *s, size_t len)
{
	int guard = o->guard && formula_like(s, len), quote = 0;
	for (size_t i = 0; i < len && !quote; i++)
		quote = o->must_quote[(unsigned char)s[i]];
	if (quote)
		kit_buf_putc(&o->row, '"');
	if (guard)
		kit_buf_putc(&o->row, '\'');
	if (!quote) {
		kit_buf_put(&o->row, s, len);
		return;
	}
	size_t run = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '"') {
			kit_buf_put(&o->row, s + run, i + 1 - run);
			kit_buf_putc(&o->row, '"');
			run = i + 1;
		}
	kit_buf_put(&o->row, s + run, len - run);
	kit_buf_putc(&o->row, '"');
}

/* A JSON text as a cell: strings plain, lists joined. */
static void put_json(csv_out *o, const char *json, const char *path)
{
	if (!json)
		return;
	kit_json *v = kit_json_parse(json, strlen(json), NULL);
	const kit_json *at = v && path ? kit_json_path(v, path) : v;
	if (at)
		oc_json_text(&o->cell, at, o->join);
	kit_json_free(v);
}

/* meta.PATH: the whole name as a field first ("a.b" may be one key), then
 * a path of keys into the field named by its first part. */
static void meta_cell(csv_out *o, const tm_doc *doc, const char *path)
{
	const char *json = tm_doc_meta_json(doc, path);
	const char *dot = strchr(path, '.');
	if (json || !dot) {
		put_json(o, json, NULL);
		return;
	}
	char *key = kit_strndup(path, (size_t)(dot - path));
	if (!key) {
		o->cell.failed = 1; /* write_row says so */
		return;
	}
	put_json(o, tm_doc_meta_json(doc, key), dot + 1);
	free(key);
}

/* entities.TYPE: the distinct labels of that type, in text order. */
static void entities_cell(csv_out *o, const tm_doc *doc, const char *type)
{
	kit_buf label = {0};
	size_t n = tm_doc_entity_count(doc), found = 0;
	for (size_t i = 0; i < n; i++) {
		const tm_entity *e = tm_doc_entity(doc, i);
		if (strcmp(e->type, type))
			continue;
		kit_buf_clear(&label);
		oc_entity_label(doc, e, &label);
		int added;
		if (kit_buf_failed(&label) || !kit_strmap_put(&o->seen, label.p, label.len, &added)) {
			o->cell.failed = 1; /* out of memory: write_row says so */
			continue;
		}
		if (!added)
			continue;
		if (found++)
			kit_buf_puts(&o->cell, o->join);
		kit_buf_put(&o->cell, label.p, label.len);
	}
	kit_buf_free(&label);
	kit_strmap_free(&o->seen);
}

static void fill_cell(csv_out *o, const field *f, const tm_doc *doc, const tm_entity *e, size_t seq)
{
	size_t len;
	const char *text;
	switch (f->kind) {
	case F_ID: kit_buf_puts(&o->cell, tm_doc_id(doc)); break;
	case F_TEXT:
		text = tm_doc_text(doc, &len);
		kit_buf_put(&o->cell, text, len);
		break;
	case F_ORIGIN: kit_buf_puts(&o->cell, tm_doc_source(doc)); break;
	case F_ENTITY_COUNT: kit_buf_printf(&o->cell, "%zu", tm_doc_entity_count(doc)); break;
	case F_META_ALL: oc_doc_meta_object(doc, &o->cell); break;
	case F_META: meta_cell(o, doc, f->arg); break;
	case F_ENTITIES_OF: entities_cell(o, doc, f->arg); break;
	case F_DOC_ID: kit_buf_puts(&o->cell, tm_doc_id(doc)); break;
	case F_SEQ: kit_buf_printf(&o->cell, "%zu", seq); break;
	case F_TYPE: kit_buf_puts(&o->cell, e->type); break;
	case F_START: kit_buf_printf(&o->cell, "%zu", e->start); break;
	case F_END: kit_buf_printf(&o->cell, "%zu", e->end); break;
	case F_ETEXT:
		text = tm_doc_text(doc, NULL);
		kit_buf_put(&o->cell, text + e->start, e->end - e->start);
		break;
	case F_VALUE: put_json(o, e->value_json, NULL); break;
	case F_ATTRS: kit_buf_puts(&o->cell, e->attrs_json ? e->attrs_json : "{}"); break;
	case F_ATTR: put_json(o, e->attrs_json, f->arg); break;
	case F_RULE: kit_buf_puts(&o->cell, e->rule ? e->rule : ""); break;
	case F_STAGE: kit_buf_puts(&o->cell, e->stage ? e->stage : ""); break;
	}
}

static int write_row(tm_ctx *ctx, csv_out *o, const tm_doc *doc, const tm_entity *e, size_t seq)
{
	kit_buf_clear(&o->row);
	for (size_t i = 0; i < o->n_fields; i++) {
		if (i)
			kit_buf_putc(&o->row, o->delim);
		kit_buf_clear(&o->cell);
		if (doc)
			fill_cell(o, &o->fields[i], doc, e, seq);
		else
			kit_buf_puts(&o->cell, o->fields[i].name); /* the header */
		put_cell(o, kit_buf_str(&o->cell), o->cell.len);
	}
	kit_buf_puts(&o->row, o->eol);
	if (kit_buf_failed(&o->row) || kit_buf_failed(&o->cell))
		return tm_fail(ctx, "%s", KIT_OOM);
	return tm_file_write(o->file, o->row.p, o->row.len);
}

int csv_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	csv_out *o = kit_calloc(1, sizeof *o);
	if (!(*state = o))
		return tm_fail(ctx, "%s", KIT_OOM);
	const csv_settings *set = tm_opt_settings(opts);
	int tsv = tm_opt_isset(opts, "format")
			  ? set->tsv
			  : kit_has_suffix(set->path, ".tsv") || kit_has_suffix(set->path, ".tab");
	o->delim = tsv ? '\t' : ',';
	o->guard = set->formula_guard;
	const char *special = o->guard ? "\"\n\r,;\t" : "\"\n\r";
	for (const char *c = special; *c; c++)
		o->must_quote[(unsigned char)*c] = 1;
	o->must_quote[(unsigned char)o->delim] = 1;
	o->entity_rows = set->entity_rows;
	o->eol = set->crlf ? "\r\n" : "\n";
	if (!(o->join = kit_strndup(set->join, strlen(set->join))))
		return tm_fail(ctx, "%s", KIT_OOM);
	if (read_fields(ctx, opts, &set->fields, o))
		return TM_ERROR;
	if (!(o->file = tm_file_open(ctx, set->path)))
		return TM_ERROR;
	if (set->bom && tm_file_write(o->file, "\xEF\xBB\xBF", 3))
		return TM_ERROR;
	return set->header ? write_row(ctx, o, NULL, NULL, 0) : TM_OK;
}

int csv_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	csv_out *o = state;
	if (!o->entity_rows)
		return write_row(ctx, o, doc, NULL, 0);
	size_t n = tm_doc_entity_count(doc);
	for (size_t i = 0; i < n; i++)
		if (write_row(ctx, o, doc, tm_doc_entity(doc, i), i))
			return TM_ERROR;
	return TM_OK;
}

int csv_finish(tm_ctx *ctx, void *state)
{
	(void)ctx;
	csv_out *o = state;
	int rc = tm_file_commit(o->file);
	o->file = NULL;
	return rc;
}

void csv_destroy(void *state)
{
	csv_out *o = state;
	if (!o)
		return;
	tm_file_abort(o->file); /* still open only if the run failed */
	for (size_t i = 0; i < o->n_fields; i++) {
		free(o->fields[i].name);
		free(o->fields[i].arg);
	}
	free(o->fields);
	free(o->join);
	kit_buf_free(&o->row);
	kit_buf_free(&o->cell);
	kit_strmap_free(&o->seen);
	free(o);
}

#define FIELD(member) TM_FIELD(csv_settings, member)

const tm_option csv_options[] = {
	{.name = "path", .type = TM_OPT_PATH, .required = 1, FIELD(path), .help = "file to write ('-' for stdout)"},
	{.name = "format",
	 .type = TM_OPT_ENUM,
	 .choices = "csv|tsv",
	 FIELD(tsv),
	 .help = "csv or tsv (default: tsv for a path ending in .tsv or .tab, else csv)"},
	{.name = "rows",
	 .type = TM_OPT_ENUM,
	 .default_value = "documents",
	 .choices = "documents|entities",
	 FIELD(entity_rows),
	 .help = "one row per document, or one per entity"},
	{.name = "fields",
	 .type = TM_OPT_LIST,
	 FIELD(fields),
	 .help = "columns, in order (see docs/outputs.md; default depends on rows)"},
	{.name = "header",
	 .type = TM_OPT_BOOL,
	 .default_value = "true",
	 FIELD(header),
	 .help = "write the column names as the first row"},
	{.name = "join",
	 .type = TM_OPT_STRING,
	 .default_value = "; ",
	 FIELD(join),
	 .help = "separator between the items of a list in one cell"},
	{.name = "bom",
	 .type = TM_OPT_BOOL,
	 .default_value = "false",
	 FIELD(bom),
	 .help = "start with a UTF-8 byte order mark (for Excel)"},
	{.name = "line_end",
	 .type = TM_OPT_ENUM,
	 .default_value = "lf",
	 .choices = "lf|crlf",
	 FIELD(crlf),
	 .help = "row ending: lf, or crlf as RFC 4180 has it"},
	{.name = "formula_guard",
	 .type = TM_OPT_BOOL,
	 .default_value = "true",
	 FIELD(formula_guard),
	 .help = "put ' before a cell that a spreadsheet would run as a formula (see docs/outputs.md)"},
	{0},
};
