/* output_sqlite.c -- kept documents, their entities and duplicate
 * clusters into a SQLite database, with one row per run.
 *
 * A run is one write transaction, begun in create() (so a database locked
 * by someone else stops the run before any work); statements are prepared
 * once and the rows of each batch of documents go through them. finish()
 * writes everything that could fail (the last rows, the run's record, the
 * pages into the WAL), and commit(), called only once every other file of
 * the run is ready, says COMMIT. A failed run rolls back, which leaves
 * every earlier run as it was. A database that did not exist is built
 * under a temporary name, committed and synced in finish(), and linked
 * into place in commit(), so a failed first run leaves no database behind
 * (and one killed leaves a temporary file the next run removes). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <textmill/textmill.h>

#include "stages.h"

#include "oc_buf.h"
#include "oc_doc.h"
#include "sqlite_schema.h"

enum { ST_DOC, ST_DEL_ENTITIES, ST_ENTITY_JSON, ST_DEL_CLAIM, ST_MEMBER, ST_ORIGINAL, N_STMTS };

/* Entity rows go in by statements of this many rows, the largest that
 * fits first. */
static const int row_sizes[] = {64, 16, 4, 1};
#define N_ROW_SIZES (int)(sizeof row_sizes / sizeof *row_sizes)
#define MAX_ROWS 64

/* An entity's value as json_extract(value_json, '$') would give it, for
 * the common cases. */
typedef struct plain {
	enum { PLAIN_NONE, PLAIN_NULL, PLAIN_TEXT, PLAIN_INT } kind; /* NONE: left to SQLite */
	const char *s;
	size_t len;
	sqlite3_int64 n;
} plain;

/* An entity waiting for a statement of many rows, with its value. */
typedef struct pending_row {
	size_t i;
	plain value;
} pending_row;

typedef struct sqlite_out {
	tm_ctx *ctx;
	char *path; /* the database the user named */
	char *tmp;  /* a new database is built here, NULL when updating */
	sqlite3 *db;
	sqlite3_stmt *st[N_STMTS];
	sqlite3_stmt *rows[N_ROW_SIZES]; /* sql_insert_entities for row_sizes[i] rows */
	pending_row pending[MAX_ROWS];   /* entities waiting for a statement */
	int in_tx;
	int committed; /* an existing database: fold its WAL in when closing */
	int busy_ms;
	int store_text;
	sqlite3_int64 run_id;
	sqlite3_int64 max_key; /* the highest doc_key written to a new database */
	long long version;     /* the schema version the database had when opened, 0 if new */
	char **dedup_fields;
	size_t n_dedup_fields;
	kit_buf meta;
	int sync_fd; /* a new database's file from finish() on, for its sync; -1 */
} sqlite_out;

/* The message for a failed SQLite call, with what the user can do about
 * it; rc is the call's result when it does not set the connection's
 * error (sqlite3_db_cacheflush), else 0. */
static int db_fail_rc(sqlite_out *o, const char *doing, int rc)
{
	int code = rc ? rc : o->db ? sqlite3_extended_errcode(o->db) : SQLITE_CANTOPEN;
	const char *msg = rc ? sqlite3_errstr(rc) : o->db ? sqlite3_errmsg(o->db) : "cannot open";
	int sys = o->db ? sqlite3_system_errno(o->db) : 0;
	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return tm_fail(o->ctx,
			       "cannot %s %s: the database is locked by another connection "
			       "(waited %d ms; raise busy_timeout_ms to wait longer)",
			       doing, o->path, o->busy_ms);
	case SQLITE_FULL: return tm_fail(o->ctx, "cannot %s %s: the disk is full (%s)", doing, o->path, msg);
	case SQLITE_READONLY:
		return tm_fail(o->ctx,
			       "cannot write to %s: %s (the file or its directory is read-only "
			       "for this user)",
			       o->path, msg);
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
		if (sys)
			return tm_fail(o->ctx, "cannot %s %s: %s (%s)", doing, o->path, msg, strerror(sys));
		if (code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_FSYNC || code == SQLITE_IOERR_TRUNCATE)
			return tm_fail(o->ctx,
				       "cannot %s %s: %s (a write failed: is the disk full, or the file "
				       "size limited?)",
				       doing, o->path, msg);
		break;
	default: break;
	}
	return tm_fail(o->ctx, "cannot %s %s: %s", doing, o->path, msg);
}

static int db_fail(sqlite_out *o, const char *doing) { return db_fail_rc(o, doing, 0); }

static int exec(sqlite_out *o, const char *sql, const char *doing)
{
	return sqlite3_exec(o->db, sql, NULL, NULL, NULL) == SQLITE_OK ? TM_OK : db_fail(o, doing);
}

/* One integer from a query such as "PRAGMA user_version". */
static int query_int(sqlite_out *o, const char *sql, long long *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(o->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(o, "read");
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? TM_OK : db_fail(o, "read");
}

/* A database made by something else is left alone, before anything is
 * written to it (switching to WAL writes its header); an empty one, or
 * one of ours no newer than this textmill, is ours. */
static int check_owner(sqlite_out *o)
{
	long long app, tables;
	if (query_int(o, "PRAGMA application_id", &app) || query_int(o, "PRAGMA user_version", &o->version) ||
	    query_int(o, "SELECT count(*) FROM sqlite_schema", &tables))
		return TM_ERROR;
	if (app != SCHEMA_APPLICATION_ID && (app != 0 || tables > 0))
		return tm_fail(o->ctx,
			       "%s is a SQLite database of another application; "
			       "output.sqlite only adds to databases it made (or to a new file)",
			       o->path);
	if (o->version > SCHEMA_VERSION)
		return tm_fail(o->ctx,
			       "%s has schema version %lld, newer than this textmill's %d; "
			       "use a newer textmill or another file",
			       o->path, o->version, SCHEMA_VERSION);
	return TM_OK;
}

static int create_schema(sqlite_out *o)
{
	/* A database of schema version 1 is brought to this one inside the
	 * run's transaction (a failed run leaves it as it was), before
	 * schema_sql makes the view under its table's name. */
	if (o->version == 1 && exec(o, schema_migrate_v1_sql, "migrate"))
		return TM_ERROR;
	if (exec(o, schema_sql, "create the tables of"))
		return TM_ERROR;
	if (!o->tmp && exec(o, schema_sorted_indexes_sql, "create the indexes of"))
		return TM_ERROR; /* a new database gets them after its rows */
	char pragmas[96];
	snprintf(pragmas, sizeof pragmas, "PRAGMA application_id = %d; PRAGMA user_version = %d",
		 SCHEMA_APPLICATION_ID, SCHEMA_VERSION);
	return exec(o, pragmas, "write to");
}

static int prepare_all(sqlite_out *o)
{
	static const char *const sql[N_STMTS] = {
		[ST_DOC] = sql_upsert_document,
		[ST_DEL_ENTITIES] = sql_delete_entities,
		[ST_ENTITY_JSON] = sql_insert_entity_json,
		[ST_DEL_CLAIM] = sql_delete_claim,
		[ST_MEMBER] = sql_insert_member,
		[ST_ORIGINAL] = sql_insert_original,
	};
	for (int i = 0; i < N_STMTS; i++)
		if (sqlite3_prepare_v3(o->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &o->st[i], NULL) != SQLITE_OK)
			return db_fail(o, "prepare statements for");
	kit_buf rows = {0};
	for (int i = 0; i < N_ROW_SIZES; i++) {
		kit_buf_clear(&rows);
		kit_buf_puts(&rows, sql_insert_entities);
		for (int r = 0; r < row_sizes[i]; r++)
			kit_buf_puts(&rows, r ? ",(?1,?,?,?,?,?,?,?,?,?,?)" : "(?1,?,?,?,?,?,?,?,?,?,?)");
		if (sqlite3_prepare_v3(o->db, rows.p, -1, SQLITE_PREPARE_PERSISTENT, &o->rows[i], NULL) !=
		    SQLITE_OK) {
			kit_buf_free(&rows);
			return db_fail(o, "prepare statements for");
		}
	}
	kit_buf_free(&rows);
	return TM_OK;
}

static void finalize_all(sqlite_out *o)
{
	for (int i = 0; i < N_STMTS; i++) {
		sqlite3_finalize(o->st[i]);
		o->st[i] = NULL;
	}
	for (int i = 0; i < N_ROW_SIZES; i++) {
		sqlite3_finalize(o->rows[i]);
		o->rows[i] = NULL;
	}
}

static int begin_run(sqlite_out *o)
{
	char when[32];
	time_t now = time(NULL);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(o->db, sql_insert_run, -1, &st, NULL) != SQLITE_OK)
		return db_fail(o, "write to");
	sqlite3_bind_text(st, 1, when, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, tm_version(), -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(o, "write to");
	o->run_id = sqlite3_last_insert_rowid(o->db);
	return TM_OK;
}

/* A temporary name beside the target for a new database: an empty
 * file, which SQLite opens as a new database. */
static int make_tmp(sqlite_out *o)
{
	o->tmp = tm_file_temp(o->ctx, o->path);
	return o->tmp ? TM_OK : TM_ERROR;
}

static void remove_tmp(sqlite_out *o)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	if (!o->tmp)
		return;
	kit_buf name = {0};
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		kit_buf_clear(&name);
		kit_buf_printf(&name, "%s%s", o->tmp, suffixes[i]);
		unlink(name.p);
	}
	kit_buf_free(&name);
	free(o->tmp);
	o->tmp = NULL;
}

static void close_db(sqlite_out *o)
{
	finalize_all(o);
	if (o->db && o->in_tx)
		sqlite3_exec(o->db, "ROLLBACK", NULL, NULL, NULL);
	/* Fold the WAL into the database; readers may keep part of it, which
	 * is no error. */
	if (o->db && o->committed)
		sqlite3_exec(o->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	o->in_tx = 0;
	sqlite3_close(o->db);
	o->db = NULL;
}

/* WAL lets others read the database while a run writes to it. */
static int use_wal(sqlite_out *o)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(o->db, "PRAGMA journal_mode = WAL", -1, &st, NULL) != SQLITE_OK)
		return db_fail(o, "open");
	int rc = sqlite3_step(st);
	const char *mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	int wal = mode && !strcmp(mode, "wal");
	char got[16];
	snprintf(got, sizeof got, "%s", mode ? mode : "?");
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(o, "open");
	if (!wal)
		return tm_fail(o->ctx, "cannot use WAL journaling on %s (the journal mode stays '%s')", o->path, got);
	return TM_OK;
}

static int open_db(sqlite_out *o)
{
	struct stat sb;
	if (stat(o->path, &sb) != 0) {
		if (errno != ENOENT)
			return tm_fail(o->ctx, "cannot open %s: %s", o->path, strerror(errno));
		if (make_tmp(o))
			return TM_ERROR;
	} else if (!S_ISREG(sb.st_mode)) {
		return tm_fail(o->ctx, "cannot open %s: not a regular file", o->path);
	}
	/* One connection, used by one thread at a time: no mutexes needed. */
	int rc = sqlite3_open_v2(o->tmp ? o->tmp : o->path, &o->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK)
		return db_fail(o, "open");
	sqlite3_extended_result_codes(o->db, 1);
	sqlite3_busy_timeout(o->db, o->busy_ms);
	if (check_owner(o))
		return TM_ERROR;
	/* A new database is nobody's until it is renamed into place, and a
	 * failed run deletes it: it needs no journal while it is built, so
	 * every page is written once, and no sync until it is complete
	 * (finish() syncs it before the rename and turns WAL on). Nothing of
	 * it was ever anyone's data, so the bytes a page balance frees need
	 * no zeroing (Debian's SQLite has secure_delete on by default: 4 % of
	 * the writer thread on the dev articles). */
	if (o->tmp && exec(o,
			   "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 16384; "
			   "PRAGMA secure_delete = OFF",
			   "open"))
		return TM_ERROR;
	if (!o->tmp && use_wal(o))
		return TM_ERROR;
	/* A new database is written front to back (most indexes come at the
	 * end): a small cache spills its pages to the file as they fill, on
	 * the writer thread, reusing the same memory, where a large one takes
	 * fresh pages from the system for the whole database and then writes
	 * it all at the end, alone (on the dev articles, 2 MB against 64 MB:
	 * 15 % less CPU for the run without the Lua stage, 30 MB peak instead
	 * of 44). 8 MB holds the pages the rows keep coming back to (2 MB,
	 * and 4, re-read them from the file: 3 % more of the writer thread;
	 * 32 MB does no better). finish() sets 2 MB back before the indexes
	 * are sorted: it is also the size of the runs SQLite sorts in memory,
	 * and a sort within a few MB (in the CPU's caches) is much faster
	 * than one over 64 MB. */
	return exec(o, o->tmp ? "PRAGMA cache_size = -8192" : "PRAGMA cache_size = -65536", "open");
}

int sqlite_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	sqlite_out *o = kit_calloc(1, sizeof *o);
	if (!(*state = o))
		return tm_fail(ctx, "%s", KIT_OOM);
	o->ctx = ctx;
	o->sync_fd = -1;
	const sqlite_settings *set = tm_opt_settings(opts);
	o->store_text = set->store_text;
	if (!(o->path = kit_strndup(set->path, strlen(set->path))) ||
	    !(o->dedup_fields = oc_strings_dup(set->dedup_fields.item, set->dedup_fields.n)))
		return tm_fail(ctx, "%s", KIT_OOM);
	o->n_dedup_fields = set->dedup_fields.n;
	o->busy_ms = (int)set->busy_timeout_ms;
	if (!strcmp(o->path, "-"))
		return tm_fail(ctx, "%s: output.sqlite writes a database file, not standard output",
			       tm_opt_where(opts, "path"));
	if (open_db(o))
		goto failed;
	if (sqlite3_exec(o->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(o, "write to");
		goto failed;
	}
	o->in_tx = 1;
	if (create_schema(o) || prepare_all(o) || begin_run(o))
		goto failed;
	return TM_OK;
failed:
	close_db(o);
	remove_tmp(o);
	return TM_ERROR;
}

/* A metadata field into a column: strings decoded, numbers as numbers,
 * anything else as its JSON text, absent as NULL. */
static void bind_meta(sqlite3_stmt *st, int col, const tm_doc *doc, const char *key)
{
	size_t len;
	double num;
	const char *s = tm_doc_meta_string(doc, key, &len);
	if (s)
		sqlite3_bind_text(st, col, s, (int)len, SQLITE_STATIC);
	else if (tm_doc_meta_number(doc, key, &num) == TM_OK)
		num == (double)(sqlite3_int64)num ? sqlite3_bind_int64(st, col, (sqlite3_int64)num)
						  : sqlite3_bind_double(st, col, num);
	else if ((s = tm_doc_meta_json(doc, key)) && strcmp(s, "null"))
		sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

static int step(sqlite_out *o, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? TM_OK : db_fail(o, "write to");
}

/* The document's row; *key gets its doc_key. */
static int write_document(sqlite_out *o, const tm_doc *doc, const char *text, size_t len, sqlite3_int64 *key)
{
	sqlite3_stmt *st = o->st[ST_DOC];
	const char *id = tm_doc_id(doc);
	size_t plen;
	char month[8];
	const char *published = tm_doc_meta_string(doc, "published", &plen);
	kit_buf_clear(&o->meta);
	oc_doc_meta_object(doc, &o->meta);
	if (kit_buf_failed(&o->meta))
		return tm_fail(o->ctx, "%s", KIT_OOM);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	bind_meta(st, 2, doc, "title");
	bind_meta(st, 3, doc, "published");
	if (published && oc_month(published, month) == 0)
		sqlite3_bind_text(st, 4, month, 7, SQLITE_TRANSIENT);
	bind_meta(st, 5, doc, "author");
	bind_meta(st, 6, doc, "source");
	bind_meta(st, 7, doc, "url");
	bind_meta(st, 8, doc, "views");
	sqlite3_bind_text(st, 9, tm_doc_source(doc), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)kit_utf8_count(text, len));
	sqlite3_bind_int64(st, 11, (sqlite3_int64)tm_doc_entity_count(doc));
	if (o->store_text)
		sqlite3_bind_text(st, 12, text, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, o->meta.p, (int)o->meta.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 14, o->run_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*key = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? TM_OK : db_fail(o, "write to");
}

/* A string without escapes, an integer of at most 18 digits (fits in
 * 64 bits; "-0" is left to SQLite), true, false, null. */
static plain plain_value(const char *v)
{
	plain p = {PLAIN_NONE, NULL, 0, 0};
	if (!v || !strcmp(v, "null")) {
		p.kind = PLAIN_NULL;
		return p;
	}
	size_t len = strlen(v);
	if (v[0] == '"') {
		if (len >= 2 && v[len - 1] == '"' && !memchr(v + 1, '\\', len - 2))
			p.kind = PLAIN_TEXT, p.s = v + 1, p.len = len - 2;
		return p;
	}
	if (!strcmp(v, "true") || !strcmp(v, "false")) {
		p.kind = PLAIN_INT, p.n = v[0] == 't';
		return p;
	}
	const char *d = v + (v[0] == '-');
	size_t nd = len - (size_t)(d - v);
	if (nd == 0 || nd > 18 || (d[0] == '0' && (nd > 1 || d != v)))
		return p;
	sqlite3_int64 n = 0;
	for (size_t i = 0; i < nd; i++) {
		if (d[i] < '0' || d[i] > '9')
			return p;
		n = n * 10 + (d[i] - '0');
	}
	p.kind = PLAIN_INT, p.n = d != v ? -n : n;
	return p;
}

static void bind_plain(sqlite3_stmt *st, int col, const plain *p)
{
	if (p->kind == PLAIN_TEXT)
		sqlite3_bind_text(st, col, p->s, (int)p->len, SQLITE_STATIC);
	else if (p->kind == PLAIN_INT)
		sqlite3_bind_int64(st, col, p->n);
	else
		sqlite3_bind_null(st, col);
}

static void bind_opt_text(sqlite3_stmt *st, int p, const char *s)
{
	if (s)
		sqlite3_bind_text(st, p, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, p);
}

/* Entity i's columns after doc_key (?1, shared by the rows of a statement
 * and bound once) from parameter p on, in the order of entity_rows, all
 * but the value (p + 5).
 * Every parameter is bound on every row, NULL for what is absent, so the
 * statements need no sqlite3_clear_bindings. */
static void bind_entity(sqlite3_stmt *st, int p, const tm_doc *doc, const char *text, size_t i)
{
	const tm_entity *e = tm_doc_entity(doc, i);
	sqlite3_bind_int64(st, p, (sqlite3_int64)i);
	sqlite3_bind_text(st, p + 1, e->type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, p + 2, (sqlite3_int64)e->start);
	sqlite3_bind_int64(st, p + 3, (sqlite3_int64)e->end);
	sqlite3_bind_text(st, p + 4, text + e->start, (int)(e->end - e->start), SQLITE_STATIC);
	bind_opt_text(st, p + 6, e->value_json);
	/* no attrs and empty attrs ({} in JSON Lines read back) are one thing: NULL */
	bind_opt_text(st, p + 7, e->attrs_json && strcmp(e->attrs_json, "{}") ? e->attrs_json : NULL);
	bind_opt_text(st, p + 8, e->rule);
	bind_opt_text(st, p + 9, e->stage);
}

static int step_rows(sqlite_out *o, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TM_OK : db_fail(o, "write to");
}

/* The n pending entities, by the largest statements that fit. */
static int flush_rows(sqlite_out *o, const tm_doc *doc, const char *text, sqlite3_int64 key, size_t n)
{
	size_t done = 0;
	for (int s = 0; s < N_ROW_SIZES && done < n; s++) {
		size_t size = (size_t)row_sizes[s];
		sqlite3_stmt *st = o->rows[s];
		for (; n - done >= size; done += size) {
			sqlite3_bind_int64(st, 1, key);
			for (size_t r = 0; r < size; r++) {
				int p = (int)r * ENTITY_PARAMS + 2;
				const pending_row *row = &o->pending[done + r];
				bind_plain(st, p + 5, &row->value);
				bind_entity(st, p, doc, text, row->i);
			}
			if (step_rows(o, st))
				return TM_ERROR;
		}
	}
	return TM_OK;
}

/* fresh: the document's row was just added to a new database, so it has
 * no entities to delete yet. A value SQLite has to make plain goes in at
 * once by a statement of its own; the others wait for a statement of
 * many rows. (Rows are keyed by seq, so their order of insertion does not
 * matter.) */
static int write_entities(sqlite_out *o, const tm_doc *doc, const char *text, sqlite3_int64 key, int fresh)
{
	if (!fresh) {
		sqlite3_bind_int64(o->st[ST_DEL_ENTITIES], 1, key);
		if (step(o, o->st[ST_DEL_ENTITIES]))
			return TM_ERROR;
	}
	size_t n = tm_doc_entity_count(doc), waiting = 0;
	for (size_t i = 0; i < n; i++) {
		plain v = plain_value(tm_doc_entity(doc, i)->value_json);
		if (v.kind != PLAIN_NONE) {
			o->pending[waiting++] = (pending_row){i, v};
			if (waiting == MAX_ROWS && flush_rows(o, doc, text, key, waiting))
				return TM_ERROR;
			waiting %= MAX_ROWS;
			continue;
		}
		sqlite3_stmt *st = o->st[ST_ENTITY_JSON];
		sqlite3_bind_int64(st, 1, key);
		bind_entity(st, 2, doc, text, i);
		if (step_rows(o, st))
			return TM_ERROR;
	}
	return flush_rows(o, doc, text, key, waiting);
}

/* fresh as for write_entities: no earlier claim to drop. */
static int write_cluster(sqlite_out *o, const tm_doc *doc, int fresh)
{
	const char *id = tm_doc_id(doc);
	if (!fresh) {
		sqlite3_bind_text(o->st[ST_DEL_CLAIM], 1, id, -1, SQLITE_STATIC);
		if (step(o, o->st[ST_DEL_CLAIM]))
			return TM_ERROR;
	}
	oc_dup dup;
	int found = oc_dup_read(doc, (const char *const *)o->dedup_fields, o->n_dedup_fields, &dup);
	if (found < 0)
		return tm_fail(o->ctx, "%s", KIT_OOM);
	if (!found)
		return TM_OK;
	sqlite3_stmt *st = o->st[ST_MEMBER];
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, dup.cluster, -1, SQLITE_STATIC);
	if (dup.duplicate_of)
		sqlite3_bind_text(st, 3, dup.duplicate_of, -1, SQLITE_STATIC);
	if (dup.has_similarity)
		sqlite3_bind_double(st, 4, dup.similarity);
	sqlite3_bind_int64(st, 5, o->run_id);
	int rc = step(o, st);
	if (rc == TM_OK && dup.duplicate_of) {
		st = o->st[ST_ORIGINAL];
		sqlite3_bind_text(st, 1, dup.duplicate_of, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, dup.cluster, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, o->run_id);
		rc = step(o, st);
	}
	oc_dup_free(&dup);
	return rc;
}

int sqlite_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	sqlite_out *o = state;
	o->ctx = ctx;
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	sqlite3_int64 key = 0;
	if (write_document(o, doc, text, len, &key))
		return TM_ERROR;
	/* In a new database a doc_key above every one before is a new row
	 * (one written again keeps its key), with nothing of it to replace. */
	int fresh = o->tmp && key > o->max_key;
	if (fresh)
		o->max_key = key;
	if (write_entities(o, doc, text, key, fresh) || write_cluster(o, doc, fresh))
		return TM_ERROR;
	if (tm_doc_entity_count(doc))
		tm_count(ctx, "entities", (long long)tm_doc_entity_count(doc));
	return TM_OK;
}

/* The run's row and its stages, from the summary as it stands now. */
static int record_run(sqlite_out *o)
{
	const char *summary = tm_run_summary(o->ctx);
	const char *const sql[] = {sql_finish_run, sql_insert_stages};
	for (size_t i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(o->db, sql[i], -1, &st, NULL) != SQLITE_OK)
			return db_fail(o, "write to");
		sqlite3_bind_int64(st, 1, o->run_id);
		sqlite3_bind_text(st, 2, summary, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_fail(o, "write to");
	}
	return TM_OK;
}

/* A new database's rows (those the page cache has written to its file;
 * it holds 8 MB) go to disk before its indexes are sorted: the disk
 * writes them while the CPU sorts, and the sync at the end waits for
 * less (on the dev articles 60 -> 42 ms there, with the cores idle).
 * The descriptor stays open until the connection is closed: closing one
 * of the file's descriptors would drop SQLite's locks on it. */
static void write_rows_ahead(sqlite_out *o)
{
	o->sync_fd = open(o->tmp, O_RDONLY | O_CLOEXEC);
	if (o->sync_fd >= 0)
		kit_writeback(o->sync_fd, 0, 0);
}

/* A new database, complete (its connection closed): durable before it
 * gets the target's name. */
static int sync_new(sqlite_out *o)
{
	int fd = o->sync_fd >= 0 ? o->sync_fd : open(o->tmp, O_RDONLY | O_CLOEXEC);
	o->sync_fd = -1;
	if (fd < 0 || kit_sync_close(fd) != 0)
		return tm_fail(o->ctx, "cannot commit to %s: %s", o->path, strerror(errno));
	return TM_OK;
}

/* Everything that can fail, while every other file of the run can still
 * be left as it was. */
int sqlite_finish(tm_ctx *ctx, void *state)
{
	sqlite_out *o = state;
	o->ctx = ctx;
	/* Nothing else runs while a new database's indexes are sorted: one
	 * helper thread takes part of the sort (on the dev articles the main
	 * thread's share of entities(type, value) 882 -> 550 M instructions,
	 * the helper's 540 M: a quarter more work, a third less time alone). */
	if (o->tmp) {
		write_rows_ahead(o);
		if (exec(o, "PRAGMA threads = 1; PRAGMA cache_size = -2048", "sort the indexes of") ||
		    exec(o, schema_sorted_indexes_sql, "create the indexes of"))
			return TM_ERROR;
	}
	if (exec(o, schema_statistics_sql, "analyze") || record_run(o))
		return TM_ERROR;
	finalize_all(o);
	if (!o->tmp) {
		/* The pages go into the WAL now, so that a full disk shows here;
		 * commit() then only appends the frame that commits them. */
		int rc = sqlite3_db_cacheflush(o->db);
		return rc == SQLITE_OK ? TM_OK : db_fail_rc(o, "write to", rc);
	}
	/* Nobody sees a new database before commit() links it into place. */
	if (sqlite3_exec(o->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(o, "commit to");
	o->in_tx = 0;
	/* Readers of the finished database get WAL like any other. */
	if (use_wal(o))
		return TM_ERROR;
	if (sqlite3_close(o->db) != SQLITE_OK)
		return db_fail(o, "close");
	o->db = NULL;
	return sync_new(o);
}

/* Put a new database in place, unless another run made one there in the
 * meantime: that one is not replaced. */
static int publish_new(sqlite_out *o)
{
	int rc = link(o->tmp, o->path);
	if (rc != 0 && errno == EEXIST)
		return tm_fail(o->ctx, "%s was created by someone else during this run; not replacing it", o->path);
	if (rc != 0) /* no hard links on this file system */
		rc = rename(o->tmp, o->path);
	if (rc != 0)
		return tm_fail(o->ctx, "cannot move the finished database to %s: %s", o->path, strerror(errno));
	unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	/* The new name is durable once its folder is synced. */
	const char *slash = strrchr(o->path, '/');
	kit_buf dir = {0};
	kit_buf_printf(&dir, "%.*s", slash ? (int)(slash - o->path) + (slash == o->path) : 1, slash ? o->path : ".");
	int fd = open(dir.p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	kit_buf_free(&dir);
	return TM_OK;
}

/* Called once every file of the run is ready: the one step left. */
int sqlite_commit(tm_ctx *ctx, void *state)
{
	sqlite_out *o = state;
	o->ctx = ctx;
	if (o->tmp)
		return publish_new(o);
	if (sqlite3_exec(o->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(o, "commit to");
	o->in_tx = 0;
	o->committed = 1;
	return TM_OK;
}

void sqlite_destroy(void *state)
{
	sqlite_out *o = state;
	if (!o)
		return;
	close_db(o); /* rolls back a run that did not finish */
	if (o->sync_fd >= 0)
		close(o->sync_fd);
	remove_tmp(o); /* and a database it was making */
	kit_buf_free(&o->meta);
	oc_strings_free(o->dedup_fields, o->n_dedup_fields);
	free(o->path);
	free(o);
}

#define FIELD(member) TM_FIELD(sqlite_settings, member)

const tm_option sqlite_options[] = {
	{.name = "path",
	 .type = TM_OPT_PATH,
	 .required = 1,
	 FIELD(path),
	 .help = "database file; created if missing, added to if it exists"},
	{.name = "busy_timeout_ms",
	 .type = TM_OPT_INT,
	 .default_value = "5000",
	 .min = 0,
	 .max = 3600000,
	 FIELD(busy_timeout_ms),
	 .help = "how long to wait for another connection's write lock before failing"},
	{.name = "store_text",
	 .type = TM_OPT_BOOL,
	 .default_value = "true",
	 FIELD(store_text),
	 .help = "keep each document's text in documents.text"},
	{.name = "dedup_fields",
	 .type = TM_OPT_LIST,
	 .default_value = OC_DEDUP_FIELDS,
	 FIELD(dedup_fields),
	 .help = "meta fields where a dedup stage with action: mark records clusters"},
	{0},
};
